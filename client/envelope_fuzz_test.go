package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
)

// FuzzFinish feeds hostile answers (any status, body and diagnostic
// headers) to the final decoding step: it must never panic, and every
// failure must be one of the typed errors with bounded text.
func FuzzFinish(f *testing.F) {
	f.Add(200, []byte(`{"state":0,"message":"OK","result":{"order":{"status":"paid","is_final":true}},"meta":{"request_id":"r"}}`), "1", "Sun, 06 Nov 1994 08:49:37 GMT", "0")
	f.Add(422, []byte(`{"state":1,"message":"bad","error":{"code":"validation_error","details":{"a":["x"]}},"meta":{}}`), "", "", "")
	f.Add(502, []byte("<html>bad gateway</html>"), "x", "garbage", "-5")
	f.Add(200, []byte(`{"state":1}`), "99999999999999999999", "", "")
	f.Add(200, []byte(`{"state":0,"result":`), "", "", "")
	f.Add(302, []byte(""), "", "", "")
	c, err := New("https://exchanger.example/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithMaxResponseBytes(4096))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter, date, remaining string) {
		if status < 100 || status > 999 {
			status = 200 + (status%300+300)%300
		}
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("Date", date)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", remaining)
		h.Set("Location", "https://elsewhere.example/"+remaining)
		resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}
		st := &callState{c: c, cl: statusCall("1"), attempts: 1, signed: true}
		st.learn(context.Background(), resp)
		var out OrderStatus
		_, err := st.finish(context.Background(), resp, &out)
		if err == nil {
			return
		}
		var ae *APIError
		var re *ResponseError
		switch {
		case errors.As(err, &ae):
			if ae.StatusCode != status {
				t.Fatalf("status %d reported as %d", status, ae.StatusCode)
			}
		case errors.As(err, &re):
			if len(re.Snippet) > 4*snippetMax {
				t.Fatalf("snippet of %d bytes", len(re.Snippet))
			}
		default:
			// A well-formed envelope whose result does not fit the type.
			if !bytes.Contains([]byte(err.Error()), []byte("decode result")) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
		}
	})
}
