package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestNewRefusesCredentialsWithWhitespace: a token read from a file with
// its newline used to be retried four times and fail as `invalid header
// field value for "Authorization"`; now New refuses it at once, naming the
// character and never the secret.
func TestNewRefusesCredentialsWithWhitespace(t *testing.T) {
	cases := []struct {
		cr   Credentials
		says string
	}{
		{Credentials{Token: "tok-secret-1\n"}, `token ends with a newline (\n)`},
		{Credentials{Token: "tok-secret-1\r\n"}, `token contains a carriage return (\r)`},
		{Credentials{Token: " tok-secret-1"}, "token starts with a space"},
		{Credentials{Token: "tok-secret\t1"}, `token contains a tab (\t) at byte 10`},
		{Credentials{Token: "tok-secret-1\u00a0"}, "no-break space (U+00A0)"},
		{Credentials{Token: "tok-secret-é"}, "the character U+00E9"},
		{Credentials{Token: "tok-secret-1", HMACSecret: "hmac-secret\n"}, `HMAC secret ends with a newline (\n)`},
		{Credentials{Token: "tok-secret-1", HMACSecret: "\themac-secret"}, `HMAC secret starts with a tab (\t)`},
	}
	for _, tc := range cases {
		_, err := New("https://exchanger.example/api/v3", WithToken(tc.cr.Token), WithHMACSecret(tc.cr.HMACSecret))
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("%q: err = %v, want ErrInvalidCredentials", tc.says, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.says) {
			t.Errorf("err = %q, want it to say %q", err, tc.says)
		}
		if strings.Contains(err.Error(), "secret") && !strings.Contains(err.Error(), "HMAC secret") || strings.Contains(err.Error(), "tok-") {
			t.Errorf("err = %q quotes the credentials", err)
		}
	}
	// A secret with inner spaces is unusual but sendable: it is only an
	// HMAC key, never a header.
	if _, err := New("https://exchanger.example/api/v3", WithToken("t"), WithHMACSecret("a b")); err != nil {
		t.Errorf("inner space in the secret: %v", err)
	}
}

// TestSetCredentialsRefusesWhitespaceAndKeepsTheOldKey.
func TestSetCredentialsRefusesWhitespaceAndKeepsTheOldKey(t *testing.T) {
	api, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, nil, nil) })
	err := c.SetCredentials(Credentials{Token: "tok-next\n"})
	if !errors.Is(err, ErrInvalidCredentials) || !strings.Contains(err.Error(), "newline") {
		t.Fatalf("err = %v, want ErrInvalidCredentials naming the newline", err)
	}
	if err := c.PingPrivate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := lastRequest(t, api).Header.Get("Authorization"); got != "Bearer test-token" {
		t.Errorf("Authorization = %q, want the old token", got)
	}
	if _, err := c.RotateCredentials(context.Background(), Credentials{Token: "tok-next "}, RotateOptions{}); !errors.Is(err, ErrInvalidCredentials) || !errors.Is(err, ErrRotationCheckFailed) {
		t.Errorf("RotateCredentials: err = %v, want ErrInvalidCredentials and ErrRotationCheckFailed", err)
	}
	if n := len(api.requests()); n != 1 {
		t.Errorf("the server saw %d requests, want 1 (the refused rotation sends none)", n)
	}
}

type sourceFunc func(context.Context) (Credentials, error)

func (f sourceFunc) Credentials(ctx context.Context) (Credentials, error) { return f(ctx) }

// TestSourceCredentialsWithWhitespaceAreNotRetried: a source that returns a
// token with a newline fails the call once, without a request and without
// retries.
func TestSourceCredentialsWithWhitespaceAreNotRetried(t *testing.T) {
	asked := 0
	src := sourceFunc(func(context.Context) (Credentials, error) {
		asked++
		return Credentials{Token: "tok-from-vault\n"}, nil
	})
	api, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, nil, nil) })
	c.SetCredentialsSource(src)
	err := c.PingPrivate(context.Background())
	if !errors.Is(err, ErrInvalidCredentials) || strings.Contains(err.Error(), "tok-from-vault") {
		t.Fatalf("err = %v, want ErrInvalidCredentials without the token", err)
	}
	if asked != 1 || len(api.requests()) != 0 {
		t.Errorf("source asked %d times, %d requests sent; want 1 and 0", asked, len(api.requests()))
	}
}
