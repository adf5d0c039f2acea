package client

import "runtime"

// Version is the SDK version sent in the User-Agent header.
const Version = "0.1.0"

// userAgent is "<app> exchanger-go/<Version> (<go version>)".
func userAgent(app string) string {
	ua := "exchanger-go/" + Version + " (" + runtime.Version() + ")"
	if app != "" {
		ua = app + " " + ua
	}
	return ua
}
