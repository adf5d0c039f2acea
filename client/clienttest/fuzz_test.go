package clienttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeHTTP throws hostile requests at the pipeline: any method, path,
// query, headers and body. The server must answer every one with a
// well-formed envelope (or the raw documents it serves) and never panic.
func FuzzServeHTTP(f *testing.F) {
	s, err := New(WithKeyOptions(KeyOptions{HMAC: HMACAll}))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	token := s.Key().Token
	f.Add("GET", "/api/v3/ping", "", "", "", "", "", []byte(nil))
	f.Add("POST", "/api/v3/private/exchange/orders", "a[b]=1&c[", "Bearer "+token, "1782190000", "n1", "sha256=00", []byte(`{"route_id":1,"amount":"1"}`))
	f.Add("POST", "/api/v3/private/files/upload-intents/x/commit", "", "Bearer "+token, "2026-06-23T10:00:00+00:00", "n", "zz", []byte("--b\r\n"))
	f.Add("PATCH", "/api/v3/private/webhooks/%zz", "page=-1&per_page=0&cursor=%%", "bearer", "", "", "", []byte(`[`))
	f.Add("GET", "/api/v3/private/orders", "pagination=cursor&cursor=b286OTk5", "Bearer "+token, "99999999999999999999", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, method, path, query, auth, stamp, nonce, sig string, body []byte) {
		if !validMethod(method) || strings.ContainsAny(path, " \r\n\x00#?") || !strings.HasPrefix(path, "/") || strings.ContainsAny(query, " \r\n\x00#") {
			return
		}
		req, err := http.NewRequest(method, "http://fake"+path, bytes.NewReader(body))
		if err != nil {
			return // net/http's server refuses such a request line before any handler
		}
		req.RemoteAddr = "192.0.2.1:1234"
		req.URL.RawQuery = query
		for name, v := range map[string]string{"Authorization": auth, "X-Api-Timestamp": stamp,
			"X-Api-Nonce": nonce, "X-Api-Signature": sig} {
			if v != "" && !strings.ContainsAny(v, "\r\n\x00") {
				req.Header.Set(name, v)
			}
		}
		if len(body) > 0 && body[0] == '-' {
			req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		} else if len(body) > 0 {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		ct := rec.Header().Get("Content-Type")
		if ct != "application/json" {
			if rec.Code != 200 {
				t.Fatalf("%d with Content-Type %q", rec.Code, ct)
			}
			return
		}
		var env struct {
			State int              `json:"state"`
			Code  int              `json:"code"`
			Error *json.RawMessage `json:"error"`
			Meta  struct {
				RequestID string `json:"request_id"`
			} `json:"meta"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("not an envelope: %v: %s", err, rec.Body.Bytes())
		}
		if (env.State == 1) != (rec.Code >= 400) || env.Meta.RequestID == "" {
			t.Fatalf("status %d with state %d: %s", rec.Code, env.State, rec.Body.Bytes())
		}
		if env.State == 1 && (env.Code != rec.Code || env.Error == nil) {
			t.Fatalf("error envelope code %d for status %d", env.Code, rec.Code)
		}
	})
}

func validMethod(m string) bool {
	if m == "" || len(m) > 10 {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
