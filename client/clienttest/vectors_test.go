package clienttest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"
)

// TestSigningVectorsVerify replays the 400 signatures that the vendor's PHP
// signer computed (testdata/signing-v1.json) through the fake's verification,
// with the path as net/http parses it and the raw query exactly as in the
// vector: every one must be accepted,
// and a changed byte refused.
func TestSigningVectorsVerify(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/signing-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Method, Path, Timestamp, Nonce, Secret, Signature string
			RawQuery                                          string `json:"raw_query"`
			BodyB64                                           string `json:"body_b64"`
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var clock time.Time
	s, err := New(WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checked := 0
	for i, c := range doc.Cases {
		target := c.Path
		if c.RawQuery != "" {
			target += "?" + c.RawQuery
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			continue // net/http refuses this request line before any handler
		}
		body, _ := base64.StdEncoding.DecodeString(c.BodyB64)
		ts, ok := parseTimestamp(c.Timestamp)
		if !ok {
			t.Fatalf("case %d: timestamp %q", i, c.Timestamp)
		}
		clock = ts
		verify := func(sig, query string) *apiError {
			r := &http.Request{Method: c.Method, URL: &url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: query},
				Header: http.Header{}, Body: http.NoBody}
			r.Header.Set("X-Api-Timestamp", c.Timestamp)
			r.Header.Set("X-Api-Nonce", c.Nonce)
			r.Header.Set("X-Api-Signature", sig)
			k := &keyState{Key: Key{HMACSecret: c.Secret, HMAC: HMACAll}, nonces: map[string]time.Time{}}
			return s.checkSignature(&request{r: r, body: bytes.Clone(body), now: s.now()}, k)
		}
		if e := verify(c.Signature, u.RawQuery); e != nil {
			t.Errorf("case %d (%s %s?%s): %s %v", i, c.Method, c.Path, c.RawQuery, e.code, e.details)
			continue
		}
		if e := verify(c.Signature, u.RawQuery+"&zz=1"); e == nil || e.code != "invalid_signature" {
			t.Errorf("case %d: a changed query was accepted", i)
		}
		checked++
	}
	if checked < 380 {
		t.Fatalf("only %d of %d vectors could be sent as HTTP requests", checked, len(doc.Cases))
	}
	t.Logf("%d of %d vectors verified", checked, len(doc.Cases))
}
