package webhook_test

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// TestTwoReplicasRunEachEventOnce plays the sender against two handlers, each
// with its own connection pool to one shared database, as two replicas behind
// a load balancer. 2,000 events are each delivered three times, concurrently
// and shuffled; a delivery answered 503 is retried, as the sender would. The
// business function must run exactly once per event.
func TestTwoReplicasRunEachEventOnce(t *testing.T) {
	const events, copies, workers = 2000, 3, 16
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			runs := make([]atomic.Int32, events)
			fn := func(_ context.Context, e *webhook.Event) error {
				var n int
				if _, err := fmt.Sscanf(e.ID, "evt_%d", &n); err != nil {
					return err
				}
				runs[n].Add(1)
				if n%10 == 0 { // widen the window in which duplicates collide
					time.Sleep(time.Millisecond)
				}
				return nil
			}
			replicas := [2]http.Handler{
				newHandler(t, b.store(t, b.open(t)), fn, webhook.WithRetryAfter(time.Second)),
				newHandler(t, b.store(t, b.open(t)), fn, webhook.WithRetryAfter(time.Second)),
			}

			// Build every delivery first: signing is not what is under test.
			type delivery struct {
				id   int
				body []byte
				hdr  http.Header
			}
			all := make([]delivery, 0, events*copies)
			for i := 0; i < events; i++ {
				for c := 0; c < copies; c++ {
					req, err := webhook.Delivery{Secret: testSecret, EventID: fmt.Sprintf("evt_%d", i), EventType: webhook.TypeOrderStatusChanged,
						Nonce: fmt.Sprintf("wh_%d_%d", i, c), Data: map[string]any{"order": map[string]any{"status": "paid"}}}.Request()
					if err != nil {
						t.Fatal(err)
					}
					body := make([]byte, req.ContentLength)
					if _, err := io.ReadFull(req.Body, body); err != nil {
						t.Fatal(err)
					}
					all = append(all, delivery{i, body, req.Header})
				}
			}
			// Events in random order, and the copies of each event shuffled
			// within a window of 48 deliveries, so that most duplicates meet
			// their first copy while it is still running on the other replica.
			rng := rand.New(rand.NewSource(1))
			perm := rng.Perm(events)
			shuffled := make([]delivery, 0, len(all))
			for _, e := range perm {
				shuffled = append(shuffled, all[e*copies:(e+1)*copies]...)
			}
			all = shuffled
			for start := 0; start < len(all); start += 48 {
				win := all[start:min(start+48, len(all))]
				rng.Shuffle(len(win), func(i, j int) { win[i], win[j] = win[j], win[i] })
			}

			var next, retries, failures atomic.Int64
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for {
						k := next.Add(1) - 1
						if k >= int64(len(all)) {
							return
						}
						d := all[k]
						for attempt := 0; ; attempt++ {
							req := httptest.NewRequest(http.MethodPost, "/webhook", bytesReader(d.body))
							req.Header = d.hdr.Clone()
							rec := httptest.NewRecorder()
							replicas[(int(k)+attempt+w)%2].ServeHTTP(rec, req)
							if rec.Code == http.StatusOK {
								break
							}
							if rec.Code != http.StatusServiceUnavailable || attempt > 2000 {
								failures.Add(1)
								t.Errorf("event %d: status %d %s", d.id, rec.Code, rec.Body)
								break
							}
							retries.Add(1)
							time.Sleep(time.Millisecond)
						}
					}
				}(w)
			}
			wg.Wait()
			bad := 0
			for i := range runs {
				if n := runs[i].Load(); n != 1 {
					if bad++; bad <= 10 {
						t.Errorf("event %d ran %d times", i, n)
					}
				}
			}
			t.Logf("%s: %d deliveries of %d events, %d answered 503 and retried, %d failed, %d events not run exactly once",
				b.name, len(all), events, retries.Load(), failures.Load(), bad)
		})
	}
}
