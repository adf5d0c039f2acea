package webhook_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/webhook"
)

// replica is one receiver process of the outage test: a transactional
// Handler on its own connection pool and a CatchUp beside it.
type replica struct {
	n       int
	db      *sql.DB
	handler *webhook.Handler
	catchUp *webhook.CatchUp
	dead    chan struct{} // closed when the replica is killed
	stop    context.CancelFunc
	done    chan struct{} // closed when its CatchUp.Run returned
}

// start runs the replica's catch-up until stopped or killed.
func (r *replica) start() {
	ctx, cancel := context.WithCancel(context.Background())
	r.stop, r.done = cancel, make(chan struct{})
	go func() {
		defer close(r.done)
		_ = r.catchUp.Run(ctx)
	}()
}

// balancer spreads deliveries over the live replicas, like a load balancer
// in front of them. While down, or when the replica chosen dies mid-request,
// the connection is cut: the sender sees no answer.
type balancer struct {
	mu       sync.Mutex
	replicas []*replica
	next     int
	down     bool
	codes    map[int]int
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	if b.down {
		b.mu.Unlock()
		panic(http.ErrAbortHandler)
	}
	var rp *replica
	for range b.replicas {
		c := b.replicas[b.next%len(b.replicas)]
		b.next++
		select {
		case <-c.dead:
			continue
		default:
		}
		rp = c
		break
	}
	b.mu.Unlock()
	if rp == nil {
		panic(http.ErrAbortHandler)
	}
	rec := httptest.NewRecorder()
	served := make(chan struct{})
	go func() {
		defer close(served)
		rp.handler.ServeHTTP(rec, r)
	}()
	select {
	case <-served:
	case <-rp.dead:
		panic(http.ErrAbortHandler) // the process died with the request
	}
	b.mu.Lock()
	b.codes[rec.Code]++
	b.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (b *balancer) setDown(down bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.down = down
}

func (b *balancer) code(c int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.codes[c]
}

// TestOutageNoEventLost is the proof of catch-up: three receiver replicas
// on one database; the fake exchanger emits 3,000 events of all 13 types;
// the receivers are unreachable for a stretch, so deliveries fail and their
// retries, sent with the first attempt's timestamp, come back late and are
// refused as stale; the sender drops some deliveries entirely and gives up
// on others. After the replicas return and catch up, every event's business
// write is committed exactly once. On PostgreSQL one replica is also killed
// in the middle of a business transaction: its connection dies, its claim's
// lease expires, and another replica finishes the event.
func TestOutageNoEventLost(t *testing.T) {
	t.Parallel()
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			t.Parallel()
			outage(t, b)
		})
	}
}

func outage(t *testing.T, b sqlBackend) {
	const (
		total     = 3000
		liveFirst = 300  // delivered before the outage
		dropped   = 300  // emitted during the outage, deliveries dropped
		lost      = 1900 // emitted during the outage, deliveries failing
		liveLast  = total - liveFirst - dropped - lost
		lease     = time.Second
	)
	fake := clienttest.NewServer(t,
		clienttest.WithWebhookRetrySameSignature(),
		clienttest.WithWebhookRetry(4, 150*time.Millisecond, 600*time.Millisecond),
		clienttest.WithRateLimit(1_000_000, time.Minute),
		clienttest.WithWebhookClient(&http.Client{Timeout: 10 * time.Second}))
	lb := &balancer{codes: map[int]int{}}
	front := httptest.NewServer(lb)
	defer front.Close()
	_, secret, err := fake.RegisterWebhook(front.URL)
	if err != nil {
		t.Fatal(err)
	}
	start := fake.Now().Add(-time.Second)
	api := fakeClient(t, fake)

	// SQLite has one writer at a time: parallel catch-up only adds lock
	// waits there.
	workers := 4
	if b.dialect == webhook.SQLite {
		workers = 1
	}
	check := b.open(t)
	b.createEffects(t, check)
	var killOnce sync.Once
	var armed atomic.Bool
	killed := make(chan int64, 1) // the killed transaction's backend pid
	release := make(chan struct{})
	defer close(release)
	var caughtUp atomic.Int32
	replicas := make([]*replica, 3)
	for i := range replicas {
		r := &replica{n: i, db: b.open(t), dead: make(chan struct{})}
		store := b.store(t, r.db)
		v, err := webhook.NewVerifier(secret, webhook.WithTolerance(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		r.handler, err = webhook.NewTxHandler(v, store, func(ctx context.Context, tx *sql.Tx, e *webhook.Event) error {
			if err := b.insertEffect(ctx, tx, e.ID, r.n); err != nil {
				return err
			}
			if r.n == 0 && b.dialect == webhook.Postgres && armed.Load() {
				die := false
				killOnce.Do(func() { die = true })
				if die {
					// This replica dies with its transaction open: the
					// test terminates the connection, as a crash would.
					var pid int64
					if err := tx.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
						return err
					}
					killed <- pid
					<-release
					return errors.New("killed")
				}
			}
			if e.CaughtUp {
				caughtUp.Add(1)
			}
			return nil
		}, webhook.WithLease(lease))
		if err != nil {
			t.Fatal(err)
		}
		r.catchUp, err = webhook.NewCatchUp(r.handler, api, webhook.WithCatchUpFrom(start),
			webhook.WithCatchUpInterval(500*time.Millisecond), webhook.WithCatchUpOverlap(time.Second),
			webhook.WithCatchUpWorkers(workers))
		if err != nil {
			t.Fatal(err)
		}
		replicas[i] = r
	}
	lb.replicas = replicas

	types := clienttest.EventTypes()
	var ids []string
	emit := func(n int) {
		for i := 0; i < n; i++ {
			k := len(ids)
			id, err := fake.EmitEvent(types[k%len(types)], map[string]any{"n": k})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
	}

	// Normal operation.
	emit(liveFirst)
	if !fake.WaitForDeliveries(30 * time.Second) {
		t.Fatal("the live deliveries before the outage did not settle")
	}
	// The receivers go away.
	lb.setDown(true)
	fake.DropWebhookDeliveries(time.Hour)
	emit(dropped)
	fake.DropWebhookDeliveries(0)
	emit(lost)
	time.Sleep(400 * time.Millisecond) // first attempts fail; retries keep their timestamps
	// They come back: late retries are now stale, catch-up resumes from
	// the shared checkpoint, and new events keep arriving live.
	armed.Store(true)
	lb.setDown(false)
	for _, r := range replicas {
		r.start()
	}
	emit(liveLast)

	// Wait until every event is committed (catch-up does most of it), then
	// give the sender's remaining retries a few seconds to arrive (each one
	// is a duplicate by then) and stop it.
	began := time.Now()
	deadline := began.Add(150 * time.Second) // generous: CI runs it under -race on shared cores
	for {
		select {
		case pid := <-killed:
			close(replicas[0].dead)
			replicas[0].stop()
			if _, err := check.Exec("SELECT pg_terminate_backend($1)", pid); err != nil {
				t.Fatal(err)
			}
			t.Logf("replica 0 killed mid-transaction (backend %d)", pid)
		default:
		}
		if len(b.effectCounts(t, check)) >= total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, %d of %d events committed", time.Since(began), len(b.effectCounts(t, check)), total)
		}
		time.Sleep(50 * time.Millisecond)
	}
	committed := time.Since(began)
	settled := fake.WaitForDeliveries(2 * time.Second)
	fake.Close() // waits for the deliveries in flight
	t.Logf("all events committed %v after the receivers returned; the sender settled: %v", committed.Round(time.Millisecond), settled)
	for _, r := range replicas[1:] {
		r.stop()
		<-r.done
	}

	counts := b.effectCounts(t, check)
	missing, dup := 0, 0
	for _, id := range ids {
		switch n := counts[id]; {
		case n == 0:
			missing++
		case n > 1:
			dup++
			t.Errorf("%s committed %d times", id, n)
		}
	}
	if missing != 0 || dup != 0 || len(counts) != total {
		t.Fatalf("%d lost, %d duplicated, %d distinct events committed (want %d)", missing, dup, len(counts), total)
	}
	if lb.code(http.StatusUnauthorized) == 0 {
		t.Error("no late retry was refused as stale: the scenario did not happen")
	}
	if caughtUp.Load() < dropped {
		t.Errorf("only %d events came through catch-up; at least the %d dropped ones must", caughtUp.Load(), dropped)
	}
	if b.dialect == webhook.Postgres {
		select {
		case <-replicas[0].dead:
		default:
			t.Error("replica 0 was never killed")
		}
	}
	lb.mu.Lock()
	t.Logf("%d events: %d via catch-up, live answers %v", total, caughtUp.Load(), lb.codes)
	lb.mu.Unlock()
}

// TestKilledReplicaLeaseTakeover: a replica dies in the middle of a business
// function (plain Handler, no transaction: on SQLite a transaction held by a
// dead replica would block the whole database until its connection closed).
// Its claim stays until the lease ends; then another replica's catch-up
// takes the event over and runs it, once. Both databases.
func TestKilledReplicaLeaseTakeover(t *testing.T) {
	t.Parallel()
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			t.Parallel()
			base := time.Now().Add(-time.Hour).Truncate(time.Second)
			log := &memLog{}
			for i := 0; i < 60; i++ {
				log.add(fmt.Sprintf("evt_kill_%02d", i), webhook.TypeOrderCreated, base.Add(time.Duration(i)*time.Second))
			}
			var runs counter
			dying := make(chan struct{})
			never := make(chan struct{})
			defer close(never)
			victim := newHandler(t, b.store(t, b.open(t)), func(ctx context.Context, e *webhook.Event) error {
				if e.ID == "evt_kill_30" {
					close(dying)
					<-never // the process is gone: nothing after this happens
					return errors.New("killed")
				}
				runs.add(e.ID)
				return nil
			}, webhook.WithLease(600*time.Millisecond))
			survivor := newHandler(t, b.store(t, b.open(t)), func(_ context.Context, e *webhook.Event) error {
				runs.add(e.ID)
				return nil
			}, webhook.WithLease(600*time.Millisecond))

			go func() {
				_, _ = newCatchUp(t, victim, log, webhook.WithCatchUpFrom(base)).RunOnce(context.Background())
			}()
			<-dying
			cu := newCatchUp(t, survivor, log, webhook.WithCatchUpFrom(base))
			res, err := cu.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Busy != 1 || !res.Checkpoint.Equal(base.Add(30*time.Second)) {
				t.Fatalf("while the dead replica's lease lasts: %+v", res)
			}
			time.Sleep(650 * time.Millisecond) // the lease ends
			if res, err = cu.RunOnce(context.Background()); err != nil || res.Ran != 1 {
				t.Fatalf("after the lease: %+v %v", res, err)
			}
			for i := 0; i < 60; i++ {
				if n := runs.get(fmt.Sprintf("evt_kill_%02d", i)); n != 1 {
					t.Errorf("evt_kill_%02d ran %d times", i, n)
				}
			}
		})
	}
}
