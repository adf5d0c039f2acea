package pglimiter_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/client/pglimiter"
)

// postgresDSNEnv names the variable that enables the PostgreSQL tests.
const postgresDSNEnv = "IEX_TEST_POSTGRES_DSN"

// testDB opens the test database and returns a table name of its own,
// dropped at the end; the test skips without a database.
func testDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	dsn := os.Getenv(postgresDSNEnv)
	if dsn == "" {
		t.Skip(postgresDSNEnv + " is not set (CI=true bash .ci/run starts a server and sets it)")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(16)
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	table := "iex_rate_limit_test_" + hex.EncodeToString(suffix[:])
	t.Cleanup(func() {
		_, _ = db.Exec("DROP TABLE IF EXISTS " + table)
		db.Close()
	})
	return db, table
}

func TestNewRefusesBadInput(t *testing.T) {
	if _, err := pglimiter.New(context.Background(), nil, "k"); err == nil {
		t.Fatal("nil *sql.DB accepted")
	}
	db, err := sql.Open("pgx", "postgres://127.0.0.1:1/none") // never connected
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, bad := range []string{"a;drop", "1abc", "with space", ""} {
		if _, err := pglimiter.New(context.Background(), db, "k", pglimiter.WithTable(bad)); err == nil {
			t.Errorf("table name %q accepted", bad)
		}
	}
	if _, err := pglimiter.New(context.Background(), db, ""); err == nil {
		t.Error("empty key label accepted")
	}
}

// The table counts the window the answers named: Limit requests go, the
// next waits for the window's end; then one request opens the next window
// and the others wait for its answer.
func TestLimiterCountsTheWindow(t *testing.T) {
	db, table := testDB(t)
	ctx := context.Background()
	l, err := pglimiter.New(ctx, db, "key-a", pglimiter.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := l.Reserve(ctx); err != nil || d != 0 {
		t.Fatalf("before any answer: wait %v, %v; want 0", d, err)
	}
	end := time.Now().Add(700 * time.Millisecond)
	if err := l.Observe(ctx, client.RateLimit{Limit: 5, Remaining: 4, Reset: end}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if d, err := l.Reserve(ctx); err != nil || d != 0 {
			t.Fatalf("request %d: wait %v, %v", i+2, d, err)
		}
	}
	d, err := l.Reserve(ctx)
	if err != nil || d <= 0 || d > 700*time.Millisecond {
		t.Fatalf("the window is spent: wait %v, %v; want until its end", d, err)
	}
	// Another label is another key.
	other, err := pglimiter.New(ctx, db, "key-b", pglimiter.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := other.Reserve(ctx); err != nil || d != 0 {
		t.Fatalf("another key waits %v, %v", d, err)
	}
	time.Sleep(time.Until(end) + 10*time.Millisecond)
	if d, err := l.Reserve(ctx); err != nil || d != 0 {
		t.Fatalf("the probe of the next window: wait %v, %v", d, err)
	}
	if d, err := l.Reserve(ctx); err != nil || d <= 0 || d > 50*time.Millisecond {
		t.Fatalf("while the probe is out: wait %v, %v; want a short poll", d, err)
	}
	// The probe's answer: the next window, 2 left after it.
	if err := l.Observe(ctx, client.RateLimit{Limit: 5, Remaining: 2, Reset: end.Add(5 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if d, err := l.Reserve(ctx); err != nil || d != 0 {
			t.Fatalf("after the probe's answer, request %d: wait %v, %v", i+1, d, err)
		}
	}
	if d, _ := l.Reserve(ctx); d < 4*time.Second {
		t.Fatalf("the next window is spent: wait %v", d)
	}
	// An answer of an older window changes nothing.
	if err := l.Observe(ctx, client.RateLimit{Limit: 5, Remaining: 0, Reset: end}); err != nil {
		t.Fatal(err)
	}
	if d, _ := l.Reserve(ctx); d < 4*time.Second {
		t.Fatalf("after a late answer: wait %v", d)
	}
}

// Processes that start at once all get their Limiter, although only one
// of them creates the table.
func TestNewConcurrently(t *testing.T) {
	db, table := testDB(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := pglimiter.New(context.Background(), db, "key", pglimiter.WithTable(table))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A failing database does not stop the client: Reserve's error lets the
// request go, paced locally.
func TestLimiterErrorLetsTheCallThrough(t *testing.T) {
	db, table := testDB(t)
	ctx := context.Background()
	l, err := pglimiter.New(ctx, db, "key", pglimiter.WithTable(table))
	if err != nil {
		t.Fatal(err)
	}
	s := clienttest.NewServer(t)
	c, err := client.New(s.URL, client.WithToken(s.Key().Token), client.WithHMACSecret(s.Key().HMACSecret), client.WithLimiter(l))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DROP TABLE " + table); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Scopes(ctx); err != nil {
		t.Fatalf("with the limiter's table gone: %v", err)
	}
}

// Eight clients, each with its own Limiter on the same table (as eight
// processes would have), share one key with 4 goroutines each against a
// limit of 20 per second for 4 s: after the first window the server
// answers no more than 2% of the requests with 429, no caller sees one,
// and at least 90% of the limit is used.
func TestLimiterFleet(t *testing.T) {
	db, table := testDB(t)
	t.Parallel()
	const (
		clients, workers = 8, 4
		limit            = 20
		window           = time.Second
		run              = 4 * time.Second
	)
	s := clienttest.NewServer(t, clienttest.WithRateLimit(limit, window))
	k := s.Key()
	var total, limited, ok, caller429 atomic.Int64
	start := time.Now().Truncate(time.Second).Add(time.Second)
	from, until := start.Add(window), start.Add(run)
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		at := time.Now()
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err == nil && !at.Before(from) && at.Before(until) {
			total.Add(1)
			switch resp.StatusCode {
			case http.StatusTooManyRequests:
				limited.Add(1)
			case http.StatusOK:
				ok.Add(1)
			}
		}
		return resp, err
	})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	time.Sleep(time.Until(start))
	time.AfterFunc(time.Until(until), stop)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		l, err := pglimiter.New(ctx, db, "fleet-key", pglimiter.WithTable(table))
		if err != nil {
			t.Fatal(err)
		}
		c, err := client.New(s.URL, client.WithToken(k.Token), client.WithHMACSecret(k.HMACSecret),
			client.WithLimiter(l), client.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatal(err)
		}
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					began := time.Now()
					_, err := c.Scopes(ctx)
					var ae *client.APIError
					if !began.Before(from) && errors.As(err, &ae) && ae.StatusCode == http.StatusTooManyRequests {
						caller429.Add(1)
					}
				}
			}()
		}
	}
	wg.Wait()
	windows := float64(until.Sub(from)) / float64(window)
	used := float64(ok.Load()) / (windows * limit)
	share := float64(limited.Load()) / float64(max(total.Load(), 1))
	t.Logf("%d clients x %d goroutines, limit %d per %v: after the first window %d requests, %d answered 429 (%.1f%%), %d answered 200 (%.0f%% of the limit), %d caller-visible 429s",
		clients, workers, limit, window, total.Load(), limited.Load(), 100*share, ok.Load(), 100*used, caller429.Load())
	if caller429.Load() != 0 {
		t.Errorf("%d calls returned a 429", caller429.Load())
	}
	if share > 0.02 {
		t.Errorf("%.1f%% of the requests answered 429, want at most 2%%", 100*share)
	}
	if used < 0.9 {
		t.Errorf("%.0f%% of the limit used, want at least 90%%", 100*used)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
