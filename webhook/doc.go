// Package webhook verifies iEXExchanger webhook deliveries and runs each
// event's business action at most once.
package webhook
