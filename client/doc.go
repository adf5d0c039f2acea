// Package client is a typed client for the iEXExchanger API v3.
package client
