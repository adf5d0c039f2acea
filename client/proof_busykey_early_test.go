package client_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
)

// busyKeyLoad is the load of TestProofBusyKey: one process of 32
// goroutines against an in-process fake, and four worker processes against
// examples/fake-exchanger run as its own process, at once.
//
// A parallel test starts only when every serial test of the package has
// finished, so TestMain starts this load before them (when the run selects
// TestProofBusyKey) and the test waits for its results: its 12 s of mostly
// waiting then overlap the serial tests instead of following them.
type busyKeyLoad struct {
	done chan struct{} // closed when the results below are set

	skip string // why the proof cannot run here
	err  error  // a failed setup

	one         loadResult
	from, until time.Time // the counted part of the one-process load
	fleet       fleetRun
	fleetErrs   messages // what the fleet reported

	closeOnce sync.Once
	cleanups  []func()
}

// startBusyKeyLoad starts the load in the background.
func startBusyKeyLoad() *busyKeyLoad {
	l := &busyKeyLoad{done: make(chan struct{})}
	go l.run()
	return l
}

func (l *busyKeyLoad) run() {
	defer close(l.done)
	dir, err := os.MkdirTemp("", "iex-busykey-")
	if err != nil {
		l.err = err
		return
	}
	l.cleanups = append(l.cleanups, func() { os.RemoveAll(dir) })
	s, err := clienttest.New(clienttest.WithRateLimit(busyKeyLimit, busyKeyWindow),
		clienttest.WithKeyOptions(clienttest.KeyOptions{HMAC: clienttest.HMACAll}))
	if err != nil {
		l.err = err
		return
	}
	l.cleanups = append(l.cleanups, s.Close)
	k := s.Key()
	c, log, err := loadClient(s.URL, k.Token, k.HMACSecret)
	if err != nil {
		l.err = err
		return
	}
	exe, skip, err := buildFakeIn(dir)
	if skip != "" || err != nil {
		l.skip, l.err = skip, err
		return
	}
	fake, stop, err := launchFake(exe, busyKeyFleetLimit, busyKeyWindow)
	if err != nil {
		l.err = fmt.Errorf("start the fake: %w", err)
		return
	}
	l.cleanups = append(l.cleanups, stop)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		// The fake's windows start on whole seconds: start on one, so that
		// the windows after the first are whole.
		start := time.Now().Truncate(time.Second).Add(time.Second)
		time.Sleep(time.Until(start))
		l.from, l.until = start.Add(busyKeyWindow), start.Add(busyKeyRun)
		l.one = runLoad(c, log, busyKeyWorkers, l.from, l.until)
	}()
	go func() {
		defer wg.Done()
		l.fleet = runFleetOn(&l.fleetErrs, fake, 4, 8, busyKeyFleetLimit, busyKeyWindow, busyKeyRun)
	}()
	wg.Wait()
}

// close waits for the load to end and stops its fakes.
func (l *busyKeyLoad) close() {
	<-l.done
	l.closeOnce.Do(func() {
		for i := len(l.cleanups) - 1; i >= 0; i-- {
			l.cleanups[i]()
		}
	})
}

// messages collects what runFleetOn reports, for the test to repeat.
type messages struct {
	mu   sync.Mutex
	msgs []string
}

func (m *messages) Errorf(format string, args ...any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, fmt.Sprintf(format, args...))
}

func (m *messages) list() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.msgs...)
}

// earlyLoad holds a load that TestMain started until its test takes it,
// once: a second run of the test (-count) starts its own.
type earlyLoad[T any] struct {
	mu   sync.Mutex
	load *T
}

func (e *earlyLoad[T]) put(l *T) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.load = l
}

func (e *earlyLoad[T]) take() *T {
	e.mu.Lock()
	defer e.mu.Unlock()
	l := e.load
	e.load = nil
	return l
}

// earlyBusyKey and earlyChaos are the loads TestMain started, if any.
var (
	earlyBusyKey earlyLoad[busyKeyLoad]
	earlyChaos   earlyLoad[chaosLoad]
)

// runSelects reports whether the command line runs the top-level test
// name: -test.run (its first element) matches it, -test.skip does not,
// and the binary does not only list tests. When unsure it says no, and the
// test starts its load itself.
func runSelects(name string) bool {
	value := func(f string) string {
		if fl := flag.Lookup(f); fl != nil {
			return fl.Value.String()
		}
		return ""
	}
	if value("test.list") != "" {
		return false
	}
	matches := func(pattern string) bool {
		first, _, _ := strings.Cut(pattern, "/")
		re, err := regexp.Compile(first)
		return err == nil && re.MatchString(name)
	}
	run, skip := value("test.run"), value("test.skip")
	return (run == "" || matches(run)) && (skip == "" || !matches(skip))
}
