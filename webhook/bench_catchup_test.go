package webhook_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/webhook"
)

// BenchmarkCatchUpVsPaging measures catch-up throughput (events run per
// second: list, decode, claim, run a no-op, record) against the raw paging
// speed of the same list endpoint (WebhookEventLog walked to its end, entries
// discarded), both through the client against the fake exchanger holding
// 1,000 undelivered events. Each round walks the log once each way, in
// alternating order, with a fresh store for catch-up; the reported ratio is
// the median of the per-round ratios, so load from other processes weighs on
// both sides alike.
func BenchmarkCatchUpVsPaging(b *testing.B) {
	const events = 1000
	fake := clienttest.NewServer(b, clienttest.WithWebhookDropWindow(0, time.Hour), clienttest.WithRateLimit(1_000_000, time.Minute))
	if _, _, err := fake.RegisterWebhook("http://127.0.0.1:1/webhook"); err != nil {
		b.Fatal(err)
	}
	start := fake.Now().Add(-time.Minute)
	types := clienttest.EventTypes()
	for i := 0; i < events; i++ {
		if _, err := fake.EmitEvent(types[i%len(types)], map[string]any{"order": map[string]any{"tracking_id": "TRK", "status": "paid"}, "n": i}); err != nil {
			b.Fatal(err)
		}
	}
	api := fakeClient(b, fake)
	ctx := context.Background()
	page := func() time.Duration {
		t0 := time.Now()
		n := 0
		for _, err := range api.WebhookEventLog(ctx, start) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != events {
			b.Fatalf("listed %d events", n)
		}
		return time.Since(t0)
	}
	noop := func(context.Context, *webhook.Event) error { return nil }
	stores := []struct {
		name  string
		store func(b *testing.B, round int) webhook.Store
	}{
		{"memory", func(*testing.B, int) webhook.Store { return webhook.NewMemoryStore() }},
		{"sqlite", func(b *testing.B, round int) webhook.Store {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "bench.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			s, err := webhook.NewSQLStore(db, webhook.SQLite)
			if err == nil {
				err = s.CreateTable(ctx)
			}
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			catchUp := func(round int) time.Duration {
				b.StopTimer()
				cu := newCatchUp(b, newHandler(b, st.store(b, round), noop), api, webhook.WithCatchUpFrom(start.Add(time.Minute)), webhook.WithCatchUpOverlap(time.Minute))
				b.StartTimer()
				t0 := time.Now()
				res, err := cu.RunOnce(ctx)
				d := time.Since(t0)
				if err != nil || res.Ran != events {
					b.Fatalf("%+v %v", res, err)
				}
				return d
			}
			page() // warm the connection
			var ratios []float64
			var pageTime, cuTime time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var p, c time.Duration
				if i%2 == 0 {
					p, c = page(), catchUp(i)
				} else {
					c, p = catchUp(i), page()
				}
				pageTime += p
				cuTime += c
				ratios = append(ratios, float64(p)/float64(c)) // throughput ratio: catch-up / paging
			}
			sort.Float64s(ratios)
			n := float64(b.N)
			b.ReportMetric(events*n/pageTime.Seconds(), "paging-events/s")
			b.ReportMetric(events*n/cuTime.Seconds(), "catchup-events/s")
			b.ReportMetric(ratios[len(ratios)/2], "catchup/paging")
		})
	}
}
