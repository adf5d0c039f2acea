package clienttest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// BasePath is the path prefix of the API; Server.URL ends with it.
const BasePath = "/api/v3"

const defaultClientID = 1

// Server is a running fake exchanger. Its methods are safe for concurrent
// use. Close stops it.
type Server struct {
	// URL is the API's base URL, "http://127.0.0.1:port/api/v3": what
	// client.New takes.
	URL string

	cfg config
	ops []*operation
	ln  net.Listener
	hs  *http.Server

	started   time.Time     // real time, for WithWebhookDropWindow
	done      chan struct{} // closed by Close
	wake      chan struct{} // pokes the webhook dispatcher
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once

	mu           sync.Mutex // guards everything below
	skew         time.Duration
	latency      time.Duration
	faults       map[string]*fault
	rawFaults    map[string]*rawFault
	drops        map[string]int
	keys         map[string]*keyState
	defaultToken string
	nextKeyID    int64
	idem         map[string]*idemEntry
	idemPurge    time.Time // next sweep of expired idempotency entries
	total        KeyStats
	opCounts     map[string]int64
	state
}

// New starts a fake exchanger for a program (see examples/fake-exchanger).
// Tests should prefer NewServer, which also stops it.
func New(opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.cfg.addr)
	if err != nil {
		s.cancel()
		return nil, fmt.Errorf("clienttest: listen: %w", err)
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String() + BasePath
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := s.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.logger.Error("clienttest: serve", "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		s.dispatchLoop()
	}()
	return s, nil
}

// NewServer starts a fake exchanger for tb and stops it when the test ends.
// It fails the test if the server cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := New(opts...)
	if err != nil {
		tb.Fatalf("clienttest.NewServer: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

func newServer(opts []Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.seed.validate(); err != nil {
		return nil, err
	}
	for _, st := range cfg.schedule {
		if _, ok := lookupStatus(st); !ok {
			return nil, fmt.Errorf("%w in WithOrderSchedule: %q", ErrUnknownStatus, st)
		}
	}
	if len(cfg.schedule) > 0 && cfg.scheduleEvery <= 0 {
		return nil, fmt.Errorf("clienttest: WithOrderSchedule needs a positive interval")
	}
	if cfg.whClient == nil {
		cfg.whClient = &http.Client{Timeout: 5 * time.Second}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:       cfg,
		ops:       append(operationTable(), extraTable()...),
		done:      make(chan struct{}),
		wake:      make(chan struct{}, 1),
		ctx:       ctx,
		cancel:    cancel,
		faults:    map[string]*fault{},
		rawFaults: map[string]*rawFault{},
		drops:     map[string]int{},
		keys:      map[string]*keyState{},
		idem:      map[string]*idemEntry{},
		opCounts:  map[string]int64{},
		started:   time.Now(),
	}
	s.initState()
	ks, err := s.newKeyState(cfg.key)
	if err != nil {
		return nil, err
	}
	s.keys[ks.Token] = ks
	s.defaultToken = ks.Token
	return s, nil
}

// Close stops the server: it stops accepting requests, waits for webhook
// deliveries in flight to end and stops order schedules. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.cancel()
		if s.hs != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = s.hs.Shutdown(ctx)
			cancel()
			_ = s.hs.Close()
		}
		s.mu.Lock()
		for _, t := range s.timers {
			t.Stop()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// now is the server's clock: the configured clock plus the skew.
func (s *Server) now() time.Time { return s.cfg.clock().Add(s.skew).UTC() }

// Now returns the server's current time (the clock plus any skew).
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}
