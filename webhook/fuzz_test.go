package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// Secrets of the fuzz targets: two configured, one foreign.
const (
	fuzzSecretA = "whsec_fuzz_primary_secret"
	fuzzSecretB = "whsec_fuzz_rotated_secret"
	fuzzForeign = "whsec_fuzz_unknown_secret"
)

var sentinels = []error{webhook.ErrMissingHeader, webhook.ErrMalformedHeader, webhook.ErrMalformedTimestamp,
	webhook.ErrStale, webhook.ErrBadSignature, webhook.ErrBodyTooLarge, webhook.ErrNotJSON}

// madeWithConfiguredSecret recomputes, independently of Verify, whether the
// headers' signature is the v1 signature of a configured secret.
func madeWithConfiguredSecret(h http.Header, body []byte) bool {
	get := func(k string) string { return strings.TrimSpace(h.Get(k)) }
	sig := strings.ToLower(strings.TrimPrefix(get(webhook.HeaderSignature), webhook.SignaturePrefix))
	got, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	for _, s := range []string{fuzzSecretA, fuzzSecretB} {
		want, _ := hex.DecodeString(strings.TrimPrefix(webhook.Sign(s, get(webhook.HeaderEventID), get(webhook.HeaderEventType),
			get(webhook.HeaderTimestamp), get(webhook.HeaderNonce), body), webhook.SignaturePrefix))
		if hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

// signMode chooses what the fuzzer's signature header holds, so that it can
// reach the checks after the signature: 0 its own bytes, 1 a valid signature
// of secret A, 2 of secret B without the prefix, 3 of a foreign secret.
func applySignMode(h http.Header, body []byte, mode byte) {
	get := func(k string) string { return strings.TrimSpace(h.Get(k)) }
	sign := func(secret string) string {
		return webhook.Sign(secret, get(webhook.HeaderEventID), get(webhook.HeaderEventType), get(webhook.HeaderTimestamp), get(webhook.HeaderNonce), body)
	}
	switch mode % 4 {
	case 1:
		h.Set(webhook.HeaderSignature, sign(fuzzSecretA))
	case 2:
		h.Set(webhook.HeaderSignature, strings.TrimPrefix(sign(fuzzSecretB), webhook.SignaturePrefix))
	case 3:
		h.Set(webhook.HeaderSignature, sign(fuzzForeign))
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("evt_1", "order.created", "1782190000", "wh_1", "sha256=00", []byte(`{"id":"evt_1","data":{}}`), byte(1))
	f.Add("evt_1", "api.test", "1782190000", "wh_1", "", []byte(`{"data":{"order":{"status":{"key":"paid"}}}}`), byte(2))
	f.Add("evt_1", "api.test", "12", "wh_1", "sha1=ab", []byte(`[`), byte(3))
	open := mustVerifier(f, webhook.WithTolerance(0))
	fresh := mustVerifier(f, webhook.WithClock(func() time.Time { return time.Unix(1782190000, 0) }), webhook.WithMaxBodySize(4096))
	f.Fuzz(func(t *testing.T, id, typ, ts, nonce, sig string, body []byte, mode byte) {
		h := http.Header{}
		h[webhook.HeaderEventID] = []string{id}
		h[webhook.HeaderEventType] = []string{typ}
		h[webhook.HeaderTimestamp] = []string{ts}
		h[webhook.HeaderNonce] = []string{nonce}
		h[webhook.HeaderSignature] = []string{sig}
		applySignMode(h, body, mode)
		authentic := madeWithConfiguredSecret(h, body)
		for _, v := range []*webhook.Verifier{open, fresh} {
			ev, err := v.Verify(h, body)
			if err == nil {
				if !authentic {
					t.Fatalf("accepted a delivery not signed with a configured secret: %v", h)
				}
				if ev.ID != strings.TrimSpace(id) || ev.Type != strings.TrimSpace(typ) {
					t.Fatalf("event %q/%q from headers %q/%q", ev.ID, ev.Type, id, typ)
				}
				continue
			}
			checkVerifyError(t, err)
			if authentic && errors.Is(err, webhook.ErrBadSignature) {
				t.Fatalf("rejected an authentic signature: %v", err)
			}
		}
	})
}

func checkVerifyError(t *testing.T, err error) {
	t.Helper()
	var ve *webhook.VerifyError
	if !errors.As(err, &ve) || ve.Check == "" {
		t.Fatalf("untyped error %v", err)
	}
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%v matches %d sentinels", err, n)
	}
	if msg := err.Error(); strings.Contains(msg, "whsec_") {
		t.Fatalf("error reveals a secret: %s", msg)
	}
}

func mustVerifier(t testing.TB, opts ...webhook.Option) *webhook.Verifier {
	v, err := webhook.NewVerifier(fuzzSecretA, append(opts, webhook.WithSecrets(fuzzSecretB))...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// FuzzHandler sends arbitrary methods, headers ("Name: value" lines) and
// bodies to a Handler. Only a delivery signed with a configured secret may
// run the business function or earn a 200.
func FuzzHandler(f *testing.F) {
	f.Add("POST", "X-Webhook-Event-Id: evt_1\nX-Webhook-Event-Type: api.test\nX-Webhook-Timestamp: 1782190000\nX-Webhook-Nonce: n1", []byte(`{"data":{}}`), byte(1))
	f.Add("GET", "X-Webhook-Signature: sha256=zz", []byte(`{}`), byte(0))
	f.Add("POST", "Content-Length: 5\nX-Webhook-Event-Id: a\nX-Webhook-Event-Id: b", []byte(`{"a":`), byte(3))
	v := mustVerifier(f, webhook.WithTolerance(0), webhook.WithMaxBodySize(8192))
	store := webhook.NewMemoryStore(webhook.WithMemorySize(1000))
	var lastRan *webhook.Event
	h, err := webhook.NewHandler(v, store, func(_ context.Context, e *webhook.Event) error {
		lastRan = e
		if bytes.Contains(e.Body, []byte("fail")) {
			return errors.New("business failure")
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, rawHeaders string, body []byte, mode byte) {
		hdr := http.Header{}
		for _, line := range strings.Split(rawHeaders, "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				hdr.Add(k, strings.TrimSpace(v))
			}
		}
		applySignMode(hdr, body, mode)
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		req.Method = method
		req.Header = hdr
		lastRan = nil
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		authentic := madeWithConfiguredSecret(hdr, body)
		switch rec.Code {
		case http.StatusOK, http.StatusInternalServerError:
			if !authentic || method != http.MethodPost {
				t.Fatalf("status %d for a delivery not signed with a configured secret", rec.Code)
			}
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("unexpected status %d", rec.Code)
		}
		if lastRan != nil && (!authentic || lastRan.ID != strings.TrimSpace(hdr.Get(webhook.HeaderEventID))) {
			t.Fatalf("business function ran for %q: authentic=%v", lastRan.ID, authentic)
		}
		if rec.Code == http.StatusUnauthorized && strings.TrimSpace(rec.Body.String()) != "invalid delivery" {
			t.Fatalf("401 body says too much: %q", rec.Body)
		}
	})
}
