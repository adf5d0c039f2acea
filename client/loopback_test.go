package client

import (
	"errors"
	"testing"
)

// Plain http without WithInsecureHTTP: only the literal name localhost and
// loopback IP literals; names under .localhost go through the resolver.
func TestPlainHTTPOnlyForLiteralLoopback(t *testing.T) {
	for _, u := range []string{"http://localhost/api/v3", "http://LOCALHOST:8080/api/v3", "http://127.0.0.1/api/v3",
		"http://127.1.2.3:9/api/v3", "http://[::1]/api/v3", "http://[::ffff:127.0.0.1]/api/v3"} {
		if _, err := New(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"http://x.localhost/api/v3", "http://api.localhost:8080/api/v3", "http://localhost.example/api/v3",
		"http://localhost./api/v3", "http://127.0.0.1.nip.io/api/v3", "http://0x7f000001/api/v3", "http://[::2]/api/v3"} {
		if _, err := New(u); !errors.Is(err, ErrInsecureURL) {
			t.Errorf("%s: %v, want ErrInsecureURL", u, err)
		}
		if _, err := New(u, WithInsecureHTTP()); err != nil {
			t.Errorf("%s with WithInsecureHTTP: %v", u, err)
		}
	}
}
