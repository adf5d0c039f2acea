package webhook_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/iexkit/exchanger-go/webhook"
)

type vector struct {
	Secret    string `json:"secret"`
	EventID   string `json:"event_id"`
	EventType string `json:"event_type"`
	Timestamp string `json:"timestamp"`
	Nonce     string `json:"nonce"`
	BodyB64   string `json:"body_b64"`
	Canonical string `json:"canonical"`
	Signature string `json:"signature"`
}

func (v vector) body(t testing.TB) []byte {
	b, err := base64.StdEncoding.DecodeString(v.BodyB64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (v vector) headers() http.Header {
	h := http.Header{}
	h.Set(webhook.HeaderEventID, v.EventID)
	h.Set(webhook.HeaderEventType, v.EventType)
	h.Set(webhook.HeaderTimestamp, v.Timestamp)
	h.Set(webhook.HeaderNonce, v.Nonce)
	h.Set(webhook.HeaderSignature, v.Signature)
	return h
}

// loadVectors reads the repository's copy of the vendor's test vectors.
func loadVectors(t testing.TB) []vector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "webhook-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []vector `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) != 100 {
		t.Fatalf("want 100 cases, got %d", len(file.Cases))
	}
	return file.Cases
}

func TestVectorsSignAndCanonical(t *testing.T) {
	for i, c := range loadVectors(t) {
		body := c.body(t)
		if got := webhook.Canonical(c.EventID, c.EventType, c.Timestamp, c.Nonce, body); got != c.Canonical {
			t.Errorf("case %d: canonical\n got %q\nwant %q", i, got, c.Canonical)
		}
		if got := webhook.Sign(c.Secret, c.EventID, c.EventType, c.Timestamp, c.Nonce, body); got != c.Signature {
			t.Errorf("case %d: Sign = %s, want %s", i, got, c.Signature)
		}
	}
}

func TestVectorsVerify(t *testing.T) {
	for i, c := range loadVectors(t) {
		v, err := webhook.NewVerifier(c.Secret, webhook.WithTolerance(0))
		if err != nil {
			t.Fatal(err)
		}
		body := c.body(t)
		ev, err := v.Verify(c.headers(), body)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if ev.ID != c.EventID || ev.Type != c.EventType || len(ev.Data) == 0 || ev.CreatedAt.IsZero() {
			t.Errorf("case %d: event %+v", i, ev)
		}
		// Without the prefix too.
		h := c.headers()
		h.Set(webhook.HeaderSignature, c.Signature[len(webhook.SignaturePrefix):])
		if _, err := v.Verify(h, body); err != nil {
			t.Errorf("case %d without prefix: %v", i, err)
		}
	}
}

// TestVectorsRejectTampering changes one thing at a time: a byte of the body
// (several positions), each signed header, the signature, and the secret.
func TestVectorsRejectTampering(t *testing.T) {
	mustReject := func(t *testing.T, i int, what string, v *webhook.Verifier, h http.Header, body []byte) {
		t.Helper()
		_, err := v.Verify(h, body)
		if !errors.Is(err, webhook.ErrBadSignature) {
			t.Errorf("case %d, %s changed: err = %v, want ErrBadSignature", i, what, err)
		}
	}
	for i, c := range loadVectors(t) {
		v, err := webhook.NewVerifier(c.Secret, webhook.WithTolerance(0))
		if err != nil {
			t.Fatal(err)
		}
		body := c.body(t)
		for _, pos := range []int{0, len(body) / 2, len(body) - 1, i % len(body)} {
			tampered := append([]byte(nil), body...)
			tampered[pos] ^= 0x01
			mustReject(t, i, "body byte", v, c.headers(), tampered)
		}
		for _, name := range []string{webhook.HeaderEventID, webhook.HeaderEventType, webhook.HeaderTimestamp, webhook.HeaderNonce, webhook.HeaderSignature} {
			h := c.headers()
			h.Set(name, changeLast(h.Get(name)))
			mustReject(t, i, name, v, h, body)
		}
		other, err := webhook.NewVerifier(changeLast(c.Secret), webhook.WithTolerance(0))
		if err != nil {
			t.Fatal(err)
		}
		mustReject(t, i, "secret", other, c.headers(), body)
	}
}

// changeLast changes the last character and keeps the value well formed (a
// digit stays a digit, a hex digit stays a hex digit).
func changeLast(s string) string {
	b := []byte(s)
	switch c := b[len(b)-1]; {
	case c == '9':
		b[len(b)-1] = '8'
	case c >= '0' && c < '9':
		b[len(b)-1] = c + 1
	case c == 'f' || c == 'F' || c == 'z' || c == 'Z':
		b[len(b)-1] = c - 1
	default:
		b[len(b)-1] = c + 1
	}
	return string(b)
}
