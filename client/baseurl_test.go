package client

import (
	"errors"
	"strings"
	"testing"
)

// A base URL that is not the API root is refused in New, with the URL to
// use, instead of every call failing later as "404 Route not found".
func TestNewRefusesBaseURLWithoutAPIRoot(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want: the URL the message must propose
	}{
		{"https://exchanger.example", `"https://exchanger.example/api/v3"`},
		{"https://exchanger.example/", `"https://exchanger.example/api/v3"`},
		{"https://exchanger.example/api", `"https://exchanger.example/api/v3"`},
		{"https://exchanger.example/api/v2", `"https://exchanger.example/api/v3"`},
		{"https://exchanger.example/api/v", `"https://exchanger.example/api/v3"`},
		{"https://exchanger.example/exchange", `"https://exchanger.example/exchange/api/v3"`},
		{"https://exchanger.example/api/v3/private/exchange/orders", `"https://exchanger.example/api/v3"`},
		{"https://exchanger.example/gw/api/v3/ping", `"https://exchanger.example/gw/api/v3"`},
		{"http://127.0.0.1:8080", `"http://127.0.0.1:8080/api/v3"`},
	} {
		c, err := New(tc.in)
		if err == nil {
			t.Errorf("%s accepted as %s", tc.in, c.BaseURL())
			continue
		}
		if !errors.Is(err, ErrInvalidBaseURL) {
			t.Errorf("%s: %v does not match ErrInvalidBaseURL", tc.in, err)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "client: base URL ") || !strings.Contains(msg, "use "+tc.want) || !strings.Contains(msg, "docs/api.md §1") {
			t.Errorf("%s: message does not propose %s: %s", tc.in, tc.want, msg)
		}
	}
}

func TestNewAcceptsAPIRoot(t *testing.T) {
	for in, want := range map[string]string{
		"https://exchanger.example/api/v3":      "https://exchanger.example/api/v3",
		"https://exchanger.example/api/v3/":     "https://exchanger.example/api/v3",
		"https://exchanger.example/gw/api/v3":   "https://exchanger.example/gw/api/v3", // a proxy's prefix
		"http://localhost:8080/api/v3":          "http://localhost:8080/api/v3",
		"https://exchanger.example:8443/api/v3": "https://exchanger.example:8443/api/v3",
	} {
		c, err := New(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if c.BaseURL() != want {
			t.Errorf("%s: base URL %s, want %s", in, c.BaseURL(), want)
		}
	}
}

// The other refusals match the same sentinel, and none of them echoes user
// info, a query or a fragment, which may hold credentials.
func TestNewBaseURLRefusalsNeverEchoSecrets(t *testing.T) {
	for _, in := range []string{
		"exchanger.example/api/v3",
		"ftp://exchanger.example/api/v3",
		"https://user:s3cr3t@exchanger.example/api/v3",
		"https://exchanger.example/api/v3?token=s3cr3t",
		"https://exchanger.example/api/v3#s3cr3t",
		"https://exchanger.example/api/v3?token=s3cr3t%zz",
		"https://user:s3cr3t@exchanger.example",
		"https://exchanger.example?token=s3cr3t",
		"https://[::1:s3cr3t/api/v3",
		"https://token:s3cr3t/api/v3", // user info without its @: a "port"
	} {
		_, err := New(in)
		if err == nil {
			t.Errorf("%s accepted", in)
			continue
		}
		if !errors.Is(err, ErrInvalidBaseURL) {
			t.Errorf("%s: %v does not match ErrInvalidBaseURL", in, err)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: the message shows a secret: %v", in, err)
		}
	}
}
