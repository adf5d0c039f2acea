package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNoTokenRefusesPrivateLocallyAndServesPublic(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeOK(w, map[string]any{"pong": true}, "p")
	})
	c, err := New(f.URL + "/api/v3")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.do(context.Background(), statusCall("1"), nil, nil)
	if !errors.Is(err, ErrNoToken) || !strings.Contains(err.Error(), "public-api:orders:read") {
		t.Fatalf("err %v", err)
	}
	if len(f.seen()) != 0 {
		t.Fatal("a private call without token reached the server")
	}
	p, err := c.Ping(context.Background())
	if err != nil || string(p.Result) != `{"pong":true}` || p.RequestID != "p" || p.ServerTime.IsZero() {
		t.Fatalf("ping %+v %v", p, err)
	}
	// Public calls never carry credentials, even on a client that has them.
	c2 := newTestClient(t, f)
	if _, err := c2.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, a := range f.seen() {
		if a.Header.Get("Authorization") != "" || a.Header.Get("X-Api-Signature") != "" {
			t.Fatalf("public call sent credentials: %v", a.Header)
		}
	}
}

func TestUnsignedWithoutSecret(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) { writeOK(w, nil, "x") })
	c, err := New(f.URL+"/api/v3", WithToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(context.Background(), createCall(), nil, nil); err != nil {
		t.Fatal(err)
	}
	h := f.seen()[0].Header
	if h.Get("Authorization") != "Bearer "+testToken || h.Get("X-Api-Signature") != "" || h.Get("X-Api-Nonce") != "" ||
		!strings.HasPrefix(h.Get("User-Agent"), "exchanger-go/"+Version) {
		t.Fatalf("headers %v", h)
	}
}

// Credentials swapped while calls are in flight: no call fails, every
// request carries one whole key (token and matching signature), and the
// calls after the swap use the new key.
func TestSetCredentialsWhileCallsInFlight(t *testing.T) {
	keys := map[string]string{"tok-old-00000001": "secret-old-0001", "tok-new-00000002": "secret-new-0002"}
	var bad atomic.Int32
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(a.Header.Get("Authorization"), "Bearer ")
		sec, ok := keys[tok]
		if !ok || !verifyWith(sec, a) {
			bad.Add(1)
			writeErr(w, 401, "invalid_signature", "r", nil)
			return
		}
		time.Sleep(time.Millisecond)
		writeOK(w, nil, "ok")
	})
	c, err := New(f.URL+"/api/v3", WithToken("tok-old-00000001"), WithHMACSecret("secret-old-0001"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var failed atomic.Int32
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := c.do(context.Background(), createCall(), nil, nil); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	time.Sleep(10 * time.Millisecond)
	c.SetCredentials(Credentials{Token: "tok-new-00000002", HMACSecret: "secret-new-0002"})
	wg.Wait()
	if failed.Load() != 0 || bad.Load() != 0 {
		t.Fatalf("%d calls failed, %d requests mixed keys", failed.Load(), bad.Load())
	}
	if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if got := seen[len(seen)-1].Header.Get("Authorization"); got != "Bearer tok-new-00000002" {
		t.Fatalf("after the swap: %q", got)
	}
}

type countingSource struct {
	n  atomic.Int32
	cr Credentials
}

func (s *countingSource) Credentials(context.Context) (Credentials, error) {
	s.n.Add(1)
	return s.cr, nil
}

func TestCredentialsSourceIsAskedPerAttempt(t *testing.T) {
	f := newFakeExchanger(t, func(n int, a attempt, w http.ResponseWriter, _ *http.Request) {
		if !a.SignatureOK {
			writeErr(w, 401, "invalid_signature", "r", nil)
			return
		}
		if n == 1 {
			writeErr(w, 503, "", "r", nil)
			return
		}
		writeOK(w, nil, "ok")
	})
	src := &countingSource{cr: Credentials{Token: testToken, HMACSecret: testSecret}}
	c, err := New(f.URL+"/api/v3", WithCredentialsSource(src), WithRetry(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if src.n.Load() != 2 {
		t.Fatalf("source asked %d times for 2 attempts", src.n.Load())
	}
	if _, err := New(f.URL+"/api/v3", WithCredentialsSource(src), WithToken("x")); err == nil {
		t.Fatal("source and token together accepted")
	}
}

func healthBody(status, name string, scopes []string, hmac bool, expires time.Time) map[string]any {
	tok := map[string]any{"id": 3, "name": name, "scopes": scopes, "security": map[string]any{"hmac_required": hmac}, "expires_at": nil}
	if !expires.IsZero() {
		tok["expires_at"] = expires.UTC().Format(time.RFC3339)
	}
	return map[string]any{"health": map[string]any{"version": "client-health-v1", "status": status, "client": map[string]any{"id": 1},
		"token": tok, "quota": nil, "security": nil, "webhooks": map[string]any{}, "contracts": map[string]any{}, "time": time.Now().UTC().Format(time.RFC3339)}}
}

func TestRotateCredentials(t *testing.T) {
	newTok, newSec := "tok-rotated-000000099", "sec-rotated-099"
	var simulated atomic.Bool
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(a.Header.Get("Authorization"), "Bearer ")
		switch {
		case r.URL.Path == "/api/v3/private/health/client" && tok == newTok:
			if !verifyWith(newSec, a) {
				writeErr(w, 401, "invalid_signature", "r", nil)
				return
			}
			writeOK(w, healthBody("ok", "production-crm-2", []string{"public-api:client:health:read", "public-api:orders:read"}, true, time.Now().Add(48*time.Hour)), "h")
		case r.URL.Path == "/api/v3/private/sandbox/exchange/orders/simulate" && tok == newTok:
			simulated.Store(a.Header.Get("Idempotency-Key") != "")
			writeOK(w, map[string]any{"simulated": true}, "s")
		case tok == testToken:
			writeOK(w, nil, "old")
		default:
			writeErr(w, 401, "invalid_token", "r", nil)
		}
	})
	var logs bytes.Buffer
	c := newTestClient(t, f, WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithKeyExpiryWarning(72*time.Hour))

	// A failing check keeps the old key.
	_, err := c.RotateCredentials(context.Background(), Credentials{Token: "tok-unknown-0000001"}, RotateOptions{})
	if !errors.Is(err, ErrRotationCheckFailed) || !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("err %v", err)
	}
	_, err = c.RotateCredentials(context.Background(), Credentials{Token: newTok, HMACSecret: newSec}, RotateOptions{RequireScopes: []string{"exchange:orders:create"}})
	if !errors.Is(err, ErrRotationCheckFailed) || !strings.Contains(err.Error(), "exchange:orders:create") {
		t.Fatalf("missing scope: %v", err)
	}
	_, err = c.RotateCredentials(context.Background(), Credentials{Token: newTok}, RotateOptions{})
	if !errors.Is(err, ErrRotationCheckFailed) {
		t.Fatalf("hmac required, no secret: %v", err)
	}
	if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
		t.Fatalf("old key after failed rotations: %v", err)
	}

	h, err := c.RotateCredentials(context.Background(), Credentials{Token: newTok, HMACSecret: newSec},
		RotateOptions{RequireScopes: []string{"orders:read"}, SimulateOrder: map[string]any{"route_id": 1, "amount": "10"}})
	if err != nil || h.Status != "ok" || !simulated.Load() {
		t.Fatalf("rotation: %v %+v simulated=%v", err, h, simulated.Load())
	}
	ki, ok := c.KeyInfo()
	if !ok || ki.Name != "production-crm-2" || !ki.HMACRequired || ki.ExpiresAt.IsZero() || !ki.HasScope("public-api:orders:read") {
		t.Fatalf("key info %+v", ki)
	}
	if _, err := c.ClientHealth(context.Background()); err != nil {
		t.Fatalf("health with the new key: %v", err)
	}
	seen := f.seen()
	if got := seen[len(seen)-1].Header.Get("Authorization"); got != "Bearer "+newTok {
		t.Fatalf("after rotation: %q", got)
	}
	if !strings.Contains(logs.String(), "expires soon") || !strings.Contains(logs.String(), "production-crm-2") {
		t.Fatalf("no expiry warning in %s", logs.String())
	}
}

func TestNewValidatesBaseURLAndOptions(t *testing.T) {
	for _, u := range []string{"http://exchanger.example/api/v3", "ftp://x/api/v3", "/api/v3", "https://user:pw@x.example/api/v3", "https://x.example/api/v3?token=1"} {
		if _, err := New(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	if _, err := New("http://exchanger.example/api/v3"); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("http non-loopback: %v", err)
	}
	for _, u := range []string{"http://127.0.0.1:8080/api/v3", "http://localhost/api/v3", "http://[::1]:9/api/v3"} {
		if _, err := New(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := New("http://exchanger.example/api/v3", WithInsecureHTTP()); err != nil {
		t.Error(err)
	}
	c, err := New("https://exchanger.example/api/v3/", WithUserAgent("shop/1.4"), WithRetry(RetryPolicy{MaxAttempts: 2}))
	if err != nil || c.BaseURL() != "https://exchanger.example/api/v3" || !strings.HasPrefix(c.userAgent, "shop/1.4 exchanger-go/") ||
		c.retry.MaxAttempts != 2 || c.retry.MaxRetryAfter != DefaultRetryPolicy().MaxRetryAfter {
		t.Fatalf("%v %+v", err, c)
	}
	if _, err := New("https://x.example/api/v3", WithRetry(RetryPolicy{MaxAttempts: -1})); err == nil {
		t.Error("negative attempts accepted")
	}
}

func TestNewFromEnv(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, _ *http.Request) {
		if !a.SignatureOK || a.Header.Get("Authorization") != "Bearer "+testToken {
			writeErr(w, 401, "invalid_signature", "r", nil)
			return
		}
		writeOK(w, nil, "ok")
	})
	t.Setenv(EnvBaseURL, f.URL+"/api/v3")
	t.Setenv(EnvToken, testToken)
	t.Setenv(EnvHMACSecret, testSecret)
	c, err := NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvBaseURL, "")
	if _, err := NewFromEnv(); err == nil {
		t.Fatal("empty base URL accepted")
	}
}

// Rate-limit pacing: after an answer with Remaining 0, the next call waits
// for the window's reset instead of earning a 429.
func TestPacingWaitsForReset(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	var resetAt time.Time
	var second time.Time
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			resetAt = time.Now().Add(1500 * time.Millisecond).Truncate(time.Second).Add(time.Second)
			w.Header().Set("X-RateLimit-Limit", "1")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(resetAt.Unix()))
		} else {
			second = time.Now()
		}
		writeOK(w, nil, "ok")
	})
	c := newTestClient(t, f)
	for i := 0; i < 2; i++ {
		if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if second.Before(resetAt.Add(-50 * time.Millisecond)) {
		t.Fatalf("second request at %v, window reset at %v", second, resetAt)
	}
}

func verifyWith(secret string, a attempt) bool {
	return a.Canonical != "" && signerVerify(secret, a)
}
