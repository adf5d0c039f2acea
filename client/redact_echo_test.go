package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

// A hostile server or proxy echoes the token (and the HMAC secret) into
// every string of its answer. None of it may reach Error(), any fmt verb
// of the error, or the logs; not even a prefix of the token where a field
// is cut to size.
func TestEchoedSecretsAreScrubbedEverywhere(t *testing.T) {
	tok := testToken
	// The body excerpt keeps 256 bytes: the token straddles the cut, with
	// more than half of it before the cut.
	straddle := strings.Repeat("x", snippetMax-len("Bearer ")-len(tok)/2-2) + "Bearer " + tok + " " + testSecret
	cases := map[string]func(w http.ResponseWriter){
		"body past the cut": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, straddle)
		},
		"error code": func(w http.ResponseWriter) {
			writeErr(w, 400, "Bearer "+tok, "r", nil)
		},
		"message": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"state":1,"message":"echo \u0042earer %s %s","error":{"code":"bad"}}`, tok, testSecret)
		},
		"X-Request-Id": func(w http.ResponseWriter) {
			w.Header().Set("X-Request-Id", "Bearer "+tok)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(502)
		},
		"meta request and correlation ids": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"state":1,"message":"m","error":{"code":"bad"},"meta":{"request_id":"%s","correlation_id":"%s"}}`, tok, testSecret)
		},
		"Content-Type": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html; charset=Bearer "+tok)
			w.WriteHeader(502)
		},
		"redirect Location": func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://"+tok+".example/x")
			w.WriteHeader(302)
		},
		"details": func(w http.ResponseWriter) {
			writeErr(w, 422, "validation_error", "r", map[string]any{"amount": []string{"got Bearer " + tok}, tok: "x"})
		},
		"raw details with escapes": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			// \u0074 is "t": the raw bytes do not contain the token, the value does.
			esc := `\u0074` + tok[1:]
			fmt.Fprintf(w, `{"state":1,"message":"m","error":{"code":"bad","details":{"headers":{"authorization":"Bearer %s"},"n":12345678901234567890}}}`, esc)
		},
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) { answer(w) })
			c := newTestClient(t, f, WithLogger(logger), WithRetry(RetryPolicy{MaxAttempts: 1}))
			_, err := c.do(context.Background(), statusCall("1"), nil, nil)
			if err == nil {
				t.Fatal("no error")
			}
			assertNoSecret(t, err, logs.String(), tok[:len(tok)/2], testSecret)
		})
	}
}

// A transport error that quotes the answer (here a malformed status line
// carrying the token) is scrubbed too, and still a *RequestError.
func TestEchoedSecretInTransportErrorIsScrubbed(t *testing.T) {
	addr := rawAnswerServer(t, func(conn net.Conn) {
		fmt.Fprintf(conn, "Bearer:%s\r\n\r\n", testToken) // no space: "malformed HTTP response" quotes the line
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New("http://"+addr+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret),
		WithLogger(logger), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.do(context.Background(), statusCall("1"), nil, nil)
	if _, ok := err.(*RequestError); !ok {
		t.Fatalf("%T %v, want *RequestError", err, err)
	}
	if !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("the transport error's text is gone: %v", err)
	}
	assertNoSecret(t, err, logs.String(), testToken[:len(testToken)/2], testSecret)
}

// assertNoSecret checks err in every fmt verb, and the logs, for the
// fragments.
func assertNoSecret(t *testing.T, err error, logs string, fragments ...string) {
	t.Helper()
	var out []string
	out = append(out, err.Error())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out, fmt.Sprintf(verb, err))
	}
	if ae, ok := err.(*APIError); ok {
		out = append(out, fmt.Sprintf("%#v %+v %s", *ae, ae.Details, ae.RawDetails))
		// RawDetails may spell the token with \u escapes: read it as JSON.
		var v any
		if len(ae.RawDetails) > 0 {
			if err := json.Unmarshal(ae.RawDetails, &v); err != nil {
				t.Fatalf("RawDetails is not JSON: %v", err)
			}
		}
		out = append(out, fmt.Sprintf("%v", v))
	}
	if re, ok := err.(*ResponseError); ok {
		out = append(out, fmt.Sprintf("%#v %v", *re, re.Err))
	}
	out = append(out, logs)
	for _, s := range out {
		for _, f := range fragments {
			if strings.Contains(s, f) {
				t.Fatalf("secret fragment %q leaked in:\n%s", f, s)
			}
		}
	}
}

// A key name that echoes the token is scrubbed from the expiry warning.
func TestEchoedSecretInKeyNameIsScrubbedFromLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeOK(w, healthBody("ok", "key "+testToken, []string{"*"}, true, timeIn(1)), "h")
	})
	c := newTestClient(t, f, WithLogger(logger))
	if _, err := c.ClientHealth(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "expires soon") {
		t.Fatalf("no expiry warning logged: %s", logs.String())
	}
	if strings.Contains(logs.String(), testToken[:12]) {
		t.Fatalf("token in logs: %s", logs.String())
	}
}
