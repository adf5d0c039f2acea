package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

func newHandler(t testing.TB, store webhook.Store, fn webhook.HandlerFunc, opts ...webhook.HandlerOption) *webhook.Handler {
	t.Helper()
	v, err := webhook.NewVerifier(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.NewHandler(v, store, fn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// deliver sends a signed delivery of event id to h and returns the recorder.
func deliver(t testing.TB, h http.Handler, id string) *httptest.ResponseRecorder {
	t.Helper()
	req, err := webhook.Delivery{Secret: testSecret, EventID: id, EventType: webhook.TypeOrderStatusChanged,
		Data: map[string]any{"order": map[string]any{"tracking_id": "TRK-" + id, "status": "paid"}}}.Request()
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerRunsOnceAndAcksDuplicates(t *testing.T) {
	var runs atomic.Int32
	h := newHandler(t, webhook.NewMemoryStore(), func(ctx context.Context, e *webhook.Event) error {
		runs.Add(1)
		if o := e.OrderRef(); o == nil || o.TrackingID != "TRK-evt_a" {
			t.Errorf("order %+v", o)
		}
		return nil
	})
	for i := 0; i < 3; i++ {
		if rec := deliver(t, h, "evt_a"); rec.Code != http.StatusOK {
			t.Fatalf("delivery %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("business function ran %d times, want 1", n)
	}
}

func TestHandlerMethodAndSize(t *testing.T) {
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error {
		t.Error("must not run")
		return nil
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhook", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != http.MethodPost {
		t.Fatalf("GET: %d %v", rec.Code, rec.Header())
	}

	big := bytes.Repeat([]byte("x"), webhook.DefaultMaxBodySize+1)
	req, _ := webhook.Delivery{Secret: testSecret, EventType: "api.test", Body: big}.Request()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared large body: %d", rec.Code)
	}
	// Same without Content-Length (chunked): the limit holds while reading.
	req, _ = webhook.Delivery{Secret: testSecret, EventType: "api.test", Body: big}.Request()
	req.ContentLength = -1
	req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(big), strings.NewReader("more")))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("streamed large body: %d", rec.Code)
	}
}

func TestHandlerRejectsWithoutDetail(t *testing.T) {
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error {
		t.Error("must not run")
		return nil
	})
	req, _ := webhook.NewTestDelivery("whsec_wrong", "api.test", map[string]string{"message": "hi"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || strings.TrimSpace(rec.Body.String()) != "invalid delivery" {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	req, _ = webhook.NewTestDelivery(testSecret, "api.test", nil)
	req.Header.Del(webhook.HeaderNonce)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "Nonce") {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	req, _ = webhook.Delivery{Secret: testSecret, EventType: "api.test", Body: []byte("<html>")}.Request()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("authentic non-JSON: %d", rec.Code)
	}
}

func TestHandlerFailureReleasesForRetry(t *testing.T) {
	var runs atomic.Int32
	h := newHandler(t, webhook.NewMemoryStore(), func(ctx context.Context, e *webhook.Event) error {
		switch runs.Add(1) {
		case 1:
			return errors.New("crm down")
		case 2:
			panic("bug in the business function")
		}
		return nil
	})
	for i, want := range []int{http.StatusInternalServerError, http.StatusInternalServerError, http.StatusOK, http.StatusOK} {
		if rec := deliver(t, h, "evt_f"); rec.Code != want {
			t.Fatalf("attempt %d: %d, want %d", i, rec.Code, want)
		}
	}
	if n := runs.Load(); n != 3 {
		t.Fatalf("runs = %d, want 3 (two failures, one success, then a duplicate)", n)
	}
}

func TestHandlerDuplicateWhileRunningIsRetryable(t *testing.T) {
	started, finish := make(chan struct{}), make(chan struct{})
	var runs atomic.Int32
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error {
		runs.Add(1)
		close(started)
		<-finish
		return nil
	}, webhook.WithRetryAfter(2*time.Second))
	var wg sync.WaitGroup
	wg.Add(1)
	var first *httptest.ResponseRecorder
	go func() {
		defer wg.Done()
		first = deliver(t, h, "evt_b")
	}()
	<-started
	rec := deliver(t, h, "evt_b")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("duplicate while running: %d Retry-After=%q", rec.Code, rec.Header().Get("Retry-After"))
	}
	close(finish)
	wg.Wait()
	if first.Code != http.StatusOK {
		t.Fatalf("first: %d", first.Code)
	}
	if rec := deliver(t, h, "evt_b"); rec.Code != http.StatusOK || runs.Load() != 1 {
		t.Fatalf("after: %d runs=%d", rec.Code, runs.Load())
	}
}

// failingStore fails Complete, to check that a 2xx is never sent for an event
// that is not recorded.
type failingStore struct{ *webhook.MemoryStore }

func (failingStore) Complete(context.Context, string, string) error { return errors.New("disk full") }

func TestHandlerAcksOnlyAfterStored(t *testing.T) {
	h := newHandler(t, failingStore{webhook.NewMemoryStore()}, func(context.Context, *webhook.Event) error { return nil })
	if rec := deliver(t, h, "evt_c"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%d, want 503 when the event cannot be recorded", rec.Code)
	}
}

func TestHandlerOptionsValidate(t *testing.T) {
	v, _ := webhook.NewVerifier(testSecret)
	fn := func(context.Context, *webhook.Event) error { return nil }
	for _, o := range []webhook.HandlerOption{webhook.WithLease(0), webhook.WithStoreTimeout(-1), webhook.WithRetryAfter(0), webhook.WithLogger(nil)} {
		if _, err := webhook.NewHandler(v, webhook.NewMemoryStore(), fn, o); err == nil {
			t.Error("bad option accepted")
		}
	}
	if _, err := webhook.NewHandler(nil, webhook.NewMemoryStore(), fn); err == nil {
		t.Error("nil verifier accepted")
	}
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
