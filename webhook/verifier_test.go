package webhook_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

const testSecret = "whsec_test_0123456789abcdef"

var fixedNow = time.Unix(1782190000, 0)

// signed returns headers and body of a delivery signed with secret at ts.
func signed(secret, id, typ string, ts time.Time, body []byte) (http.Header, []byte) {
	h := http.Header{}
	t := strconv.FormatInt(ts.Unix(), 10)
	h.Set(webhook.HeaderEventID, id)
	h.Set(webhook.HeaderEventType, typ)
	h.Set(webhook.HeaderTimestamp, t)
	h.Set(webhook.HeaderNonce, "wh_nonce_1")
	h.Set(webhook.HeaderSignature, webhook.Sign(secret, id, typ, t, "wh_nonce_1", body))
	return h, body
}

func orderBody(id string) []byte {
	return []byte(`{"id":"` + id + `","type":"order.status_changed","created_at":"2026-06-23T10:00:00+00:00","data":{"order":{"tracking_id":"TRK1","status":"paid"}}}`)
}

func newVerifier(t testing.TB, opts ...webhook.Option) *webhook.Verifier {
	t.Helper()
	v, err := webhook.NewVerifier(testSecret, append([]webhook.Option{webhook.WithClock(func() time.Time { return fixedNow })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantVerifyErr(t *testing.T, err, sentinel error, check string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v, want %v", err, sentinel)
	}
	var ve *webhook.VerifyError
	if !errors.As(err, &ve) || ve.Check != check {
		t.Fatalf("err = %#v, want a VerifyError with check %q", err, check)
	}
}

func TestVerifyAcceptsAndFillsEvent(t *testing.T) {
	v := newVerifier(t)
	h, body := signed(testSecret, "evt_1", webhook.TypeOrderStatusChanged, fixedNow, orderBody("evt_1"))
	h.Set(webhook.HeaderRequestID, "req-9")
	h.Set(webhook.HeaderCorrelationID, "corr-7")
	ev, err := v.Verify(h, body)
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != "evt_1" || ev.Type != webhook.TypeOrderStatusChanged || ev.RequestID != "req-9" || ev.CorrelationID != "corr-7" || ev.Nonce != "wh_nonce_1" {
		t.Fatalf("event %+v", ev)
	}
	if !ev.SentAt.Equal(fixedNow) || !ev.CreatedAt.Equal(time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("times %v %v", ev.SentAt, ev.CreatedAt)
	}
	if string(ev.Data) != `{"order":{"tracking_id":"TRK1","status":"paid"}}` {
		t.Fatalf("data %s", ev.Data)
	}
}

func TestVerifyMissingHeaders(t *testing.T) {
	v := newVerifier(t)
	for _, name := range []string{webhook.HeaderEventID, webhook.HeaderEventType, webhook.HeaderTimestamp, webhook.HeaderNonce, webhook.HeaderSignature} {
		h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
		h.Del(name)
		_, err := v.Verify(h, body)
		wantVerifyErr(t, err, webhook.ErrMissingHeader, webhook.CheckHeader)
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}

func TestVerifyMalformedHeaders(t *testing.T) {
	v := newVerifier(t)
	for _, bad := range []string{"evt\x01x", "evt 1", strings.Repeat("a", 300), "évt"} {
		h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
		h[webhook.HeaderNonce] = []string{bad}
		_, err := v.Verify(h, body)
		wantVerifyErr(t, err, webhook.ErrMalformedHeader, webhook.CheckHeader)
	}
}

func TestVerifyMalformedTimestamp(t *testing.T) {
	v := newVerifier(t)
	for _, ts := range []string{"abc", "-1782190000", "1782190000.5", "1782190000000000", "+1"} {
		h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
		h.Set(webhook.HeaderTimestamp, ts)
		_, err := v.Verify(h, body)
		wantVerifyErr(t, err, webhook.ErrMalformedTimestamp, webhook.CheckTimestamp)
	}
}

func TestVerifyFreshnessWindow(t *testing.T) {
	v := newVerifier(t) // default tolerance, 5 minutes
	for _, tc := range []struct {
		skew time.Duration
		ok   bool
	}{{0, true}, {5 * time.Minute, true}, {-5 * time.Minute, true}, {5*time.Minute + time.Second, false}, {-5*time.Minute - time.Second, false}, {-48 * time.Hour, false}} {
		h, body := signed(testSecret, "evt_1", "api.test", fixedNow.Add(tc.skew), orderBody("evt_1"))
		_, err := v.Verify(h, body)
		if tc.ok && err != nil {
			t.Errorf("skew %v: %v", tc.skew, err)
		}
		if !tc.ok {
			wantVerifyErr(t, err, webhook.ErrStale, webhook.CheckFreshness)
		}
	}
	off := newVerifier(t, webhook.WithTolerance(0))
	h, body := signed(testSecret, "evt_1", "api.test", fixedNow.Add(-400*24*time.Hour), orderBody("evt_1"))
	if _, err := off.Verify(h, body); err != nil {
		t.Fatalf("tolerance 0 must not check freshness: %v", err)
	}
	if _, err := webhook.NewVerifier(testSecret, webhook.WithTolerance(-time.Second)); err == nil {
		t.Fatal("negative tolerance accepted")
	}
}

// A stale delivery with a wrong signature reports the signature: freshness is
// only judged for authentic deliveries.
func TestVerifyStaleForgeryIsBadSignature(t *testing.T) {
	v := newVerifier(t)
	h, body := signed("whsec_other", "evt_1", "api.test", fixedNow.Add(-time.Hour), orderBody("evt_1"))
	_, err := v.Verify(h, body)
	wantVerifyErr(t, err, webhook.ErrBadSignature, webhook.CheckSignature)
}

func TestVerifySignatureForms(t *testing.T) {
	v := newVerifier(t)
	h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
	good := h.Get(webhook.HeaderSignature)
	hexPart := strings.TrimPrefix(good, "sha256=")
	for _, tc := range []struct {
		sig string
		ok  bool
	}{
		{good, true},
		{hexPart, true},
		{"sha256=" + strings.ToUpper(hexPart), true},
		{"sha1=" + hexPart, false},
		{"SHA256=" + hexPart, false},
		{"sha512=" + hexPart, false},
		{"=" + hexPart, false},
		{"sha256=" + hexPart[:62], false},
		{"sha256=" + hexPart + "00", false},
		{"sha256=" + hexPart[:63] + "g", false},
		{"sha256=" + strings.Repeat("0", 64), false},
	} {
		h.Set(webhook.HeaderSignature, tc.sig)
		_, err := v.Verify(h, body)
		if tc.ok && err != nil {
			t.Errorf("%q: %v", tc.sig, err)
		}
		if !tc.ok {
			wantVerifyErr(t, err, webhook.ErrBadSignature, webhook.CheckSignature)
		}
	}
}

func TestVerifyBodyLimitAndJSON(t *testing.T) {
	v := newVerifier(t, webhook.WithMaxBodySize(64))
	h, body := signed(testSecret, "evt_1", "api.test", fixedNow, []byte(`{"data":"`+strings.Repeat("x", 64)+`"}`))
	_, err := v.Verify(h, body)
	wantVerifyErr(t, err, webhook.ErrBodyTooLarge, webhook.CheckBodySize)

	for _, bad := range []string{``, `[]`, `"x"`, `{"id":1,}`, `{"data":{"a":tru}}`, `{"a":1}{"b":2}`, `<html>502</html>`, `{"data":[1,2}`} {
		h, body := signed(testSecret, "evt_1", "api.test", fixedNow, []byte(bad))
		_, err := v.Verify(h, body)
		wantVerifyErr(t, err, webhook.ErrNotJSON, webhook.CheckJSON)
	}
	// An authentic object without data is still an event.
	h, body = signed(testSecret, "evt_1", "api.test", fixedNow, []byte(` {} `))
	if ev, err := v.Verify(h, body); err != nil || ev.Data != nil {
		t.Fatalf("ev %+v err %v", ev, err)
	}
}

func TestRotation(t *testing.T) {
	v := newVerifier(t, webhook.WithSecrets("whsec_second", "", testSecret))
	if n := v.SecretCount(); n != 2 {
		t.Fatalf("SecretCount = %d, want 2 (empty and duplicate ignored)", n)
	}
	hOld, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
	hNew, _ := signed("whsec_third", "evt_1", "api.test", fixedNow, body)
	if _, err := v.Verify(hNew, body); !errors.Is(err, webhook.ErrBadSignature) {
		t.Fatalf("unknown secret: %v", err)
	}
	if err := v.AddSecret("whsec_third"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(hNew, body); err != nil {
		t.Fatalf("added secret: %v", err)
	}
	if ok, err := v.RemoveSecret(testSecret); !ok || err != nil {
		t.Fatalf("RemoveSecret = %v, %v", ok, err)
	}
	if _, err := v.Verify(hOld, body); !errors.Is(err, webhook.ErrBadSignature) {
		t.Fatalf("removed secret still accepted: %v", err)
	}
	if ok, _ := v.RemoveSecret("never-added"); ok {
		t.Fatal("removed a secret that was never there")
	}
	if _, err := v.RemoveSecret("whsec_second"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.RemoveSecret("whsec_third"); !errors.Is(err, webhook.ErrLastSecret) {
		t.Fatalf("removing the last secret: %v", err)
	}
	if err := v.AddSecret(""); !errors.Is(err, webhook.ErrNoSecret) {
		t.Fatalf("empty secret: %v", err)
	}
	if _, err := webhook.NewVerifier(""); !errors.Is(err, webhook.ErrNoSecret) {
		t.Fatalf("NewVerifier(\"\"): %v", err)
	}
}

// TestRotationConcurrent verifies while secrets are added and removed; the
// secret that signs stays configured throughout, so every call must pass.
func TestRotationConcurrent(t *testing.T) {
	v := newVerifier(t)
	h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s := fmt.Sprintf("whsec_rot_%d", i%7)
			_ = v.AddSecret(s)
			_, _ = v.RemoveSecret(s)
		}
	}()
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				if _, err := v.Verify(h, body); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
}

func TestSecretsNeverPrinted(t *testing.T) {
	v := newVerifier(t, webhook.WithSecrets("whsec_second_secret"))
	for _, s := range []string{fmt.Sprint(v), fmt.Sprintf("%v %+v %#v %s", v, v, v, v)} {
		if strings.Contains(s, "whsec_") {
			t.Fatalf("secret printed: %s", s)
		}
	}
	h, body := signed("whsec_wrong", "evt_1", "api.test", fixedNow, orderBody("evt_1"))
	_, err := v.Verify(h, body)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, err)} {
		if strings.Contains(s, "whsec_") || strings.Contains(s, webhook.Sign(testSecret, "evt_1", "api.test", strconv.FormatInt(fixedNow.Unix(), 10), "wh_nonce_1", body)[7:]) {
			t.Fatalf("error reveals a secret or the expected signature: %s", s)
		}
	}
}

// Headers set by hand under a non-canonical spelling are still found, the
// informational request and correlation ids included.
func TestVerifyNonCanonicalHeaderKeys(t *testing.T) {
	v := newVerifier(t)
	h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
	h.Set(webhook.HeaderRequestID, "req_1")
	h.Set(webhook.HeaderCorrelationID, "corr_1")
	lower := http.Header{}
	for k, vals := range h {
		lower[strings.ToLower(k)] = vals
	}
	for name, hh := range map[string]http.Header{"canonical": h, "lower-case": lower} {
		ev, err := v.Verify(hh, body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ev.RequestID != "req_1" || ev.CorrelationID != "corr_1" {
			t.Errorf("%s: request id %q, correlation id %q", name, ev.RequestID, ev.CorrelationID)
		}
	}
	delete(h, webhook.HeaderRequestID)
	ev, err := v.Verify(h, body)
	if err != nil {
		t.Fatalf("without a request id: %v", err)
	}
	if ev.RequestID != "" || ev.CorrelationID != "corr_1" {
		t.Fatalf("without a request id: request id %q, correlation id %q", ev.RequestID, ev.CorrelationID)
	}
}

func TestVerifyHeaderNameFoldingIsASCIIOnly(t *testing.T) {
	v := newVerifier(t)
	h, body := signed(testSecret, "evt_1", "api.test", fixedNow, orderBody("evt_1"))
	h["X-Webhoo\u212a-Event-Id"] = h[webhook.HeaderEventID] // Kelvin sign, not 'k'
	delete(h, webhook.HeaderEventID)
	_, err := v.Verify(h, body)
	wantVerifyErr(t, err, webhook.ErrMissingHeader, webhook.CheckHeader)
}
