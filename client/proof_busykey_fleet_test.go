package client_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx", for the pglimiter figures

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/pglimiter"
)

// A fleet of OS processes shares one key of the fake exchanger, which runs
// as its own process (examples/fake-exchanger). Each process is this test
// binary run again as TestFleetWorker, with its job in fleetJobEnv.

const (
	fleetJobEnv     = "IEX_TEST_FLEET_JOB"     // set in a worker process: its job, as JSON
	fleetFiguresEnv = "IEX_TEST_FLEET_FIGURES" // set to run TestFleetFigures (BENCHMARKS.md)
	fleetResultTag  = "fleet-result: "
)

// fleetJob is one worker process's job.
type fleetJob struct {
	URL     string    `json:"url"`
	Token   string    `json:"token"`
	Secret  string    `json:"secret"`
	Workers int       `json:"workers"`
	Start   time.Time `json:"start"` // all processes start at once
	From    time.Time `json:"from"`  // the end of the first window
	Until   time.Time `json:"until"`
	// LimiterDSN and LimiterTable, when set, share the window through
	// pglimiter on that PostgreSQL database.
	LimiterDSN   string `json:"limiter_dsn,omitempty"`
	LimiterTable string `json:"limiter_table,omitempty"`
}

// TestFleetWorker is a worker process of the fleet proofs; run on its own
// it skips.
func TestFleetWorker(t *testing.T) {
	raw := os.Getenv(fleetJobEnv)
	if raw == "" {
		t.Skip("a worker process of TestProofBusyKey and TestFleetFigures, started by them")
	}
	var job fleetJob
	if err := json.Unmarshal([]byte(raw), &job); err != nil {
		t.Fatal(err)
	}
	var opts []client.Option
	if job.LimiterDSN != "" {
		db, err := sql.Open("pgx", job.LimiterDSN)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		l, err := pglimiter.New(context.Background(), db, "fleet", pglimiter.WithTable(job.LimiterTable))
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, client.WithLimiter(l))
	}
	c, log, err := loadClient(job.URL, job.Token, job.Secret, opts...)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(job.Start))
	res := runLoad(c, log, job.Workers, job.From, job.Until)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s%s\n", fleetResultTag, b)
}

// fakeProcess is examples/fake-exchanger running as its own process.
type fakeProcess struct {
	url, token, secret string
}

// buildFake builds examples/fake-exchanger into dir.
func buildFake(t testing.TB, dir string) string {
	t.Helper()
	exe, skip, err := buildFakeIn(dir)
	if skip != "" {
		t.Skip(skip)
	}
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// buildFakeIn builds examples/fake-exchanger into dir. Without a go command
// it returns why the proof must be skipped.
func buildFakeIn(dir string) (exe, skip string, err error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", "no go command to build examples/fake-exchanger", nil
	}
	exe = filepath.Join(dir, "fake")
	build := exec.Command(gobin, "build", "-o", exe, "./examples/fake-exchanger")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("build the fake: %v\n%s", err, out)
	}
	return exe, "", nil
}

// startFake runs the fake with a rate limit of limit per window and reads
// the base URL and key it prints. It is stopped when the test ends.
func startFake(t testing.TB, exe string, limit int, window time.Duration) fakeProcess {
	t.Helper()
	f, stop, err := launchFake(exe, limit, window)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return f
}

// launchFake runs the fake with a rate limit of limit per window and reads
// the base URL and key it prints; stop ends it.
func launchFake(exe string, limit int, window time.Duration) (f fakeProcess, stop func(), err error) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe, "-addr", "127.0.0.1:0", "-hmac", "all",
		"-rate-limit", fmt.Sprint(limit), "-rate-window", window.String(), "-schedule", "")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return f, nil, err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return f, nil, err
	}
	stop = func() { cancel(); _ = cmd.Wait() }
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if env, ok := strings.CutPrefix(line, "export "); ok {
			// The same values as the environment for the examples.
			for _, kv := range strings.Fields(env) {
				k, v, _ := strings.Cut(kv, "=")
				v = strings.Trim(v, "'")
				switch k {
				case "IEX_API_BASE_URL":
					f.url = v
				case "IEX_API_TOKEN":
					f.token = v
				case "IEX_API_HMAC_SECRET":
					f.secret = v
				}
			}
		}
		key, val, _ := strings.Cut(line, ":")
		if v := strings.Fields(val); len(v) > 0 {
			switch key {
			case "base URL":
				f.url = v[0]
			case "token":
				f.token = v[0]
			case "HMAC secret":
				f.secret = v[0]
			}
		}
		if strings.HasPrefix(line, "Ctrl-C") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if f.url == "" || f.token == "" || f.secret == "" {
		stop()
		return f, nil, errors.New("the fake printed no base URL or key")
	}
	return f, stop, nil
}

// fleetRun is what a fleet of procs processes with workers goroutines each
// saw from the end of the first window on.
type fleetRun struct {
	procs, workers int
	limit          int
	window, run    time.Duration
	res            loadResult
	windows        float64 // whole windows after the first
	limiter        bool    // the processes shared a pglimiter
}

func (r fleetRun) used() float64 {
	return float64(r.res.PrivateOK) / (r.windows * float64(r.limit))
}

func (r fleetRun) share429() float64 {
	return float64(r.res.Server429) / float64(max(r.res.Private, 1))
}

func (r fleetRun) String() string {
	how := ""
	if r.limiter {
		how = " (pglimiter)"
	}
	return fmt.Sprintf("%d processes%s x %d goroutines, limit %d per %v, %v: after the first window %d calls, %d caller-visible 429s, %d private requests, %d answered 429 (%.2f%%), %d answered 200 (%.1f%% of the limit)",
		r.procs, how, r.workers, r.limit, r.window, r.run, r.res.Calls, r.res.Caller429, r.res.Private, r.res.Server429, 100*r.share429(), r.res.PrivateOK, 100*r.used())
}

// runFleet starts the fake and procs worker processes, and adds up what
// they saw.
func runFleet(t testing.TB, exe string, procs, workers, limit int, window, run time.Duration, shared ...fleetJob) fleetRun {
	t.Helper()
	return runFleetOn(t, startFake(t, exe, limit, window), procs, workers, limit, window, run, shared...)
}

// errorReporter is the part of testing.TB that runFleetOn uses.
type errorReporter interface {
	Errorf(format string, args ...any)
}

// runFleetOn runs the fleet against a fake already started with limit and
// window. It reports problems with t.Errorf only, so it may run on a
// goroutine of its own, or before any test has started.
func runFleetOn(t errorReporter, f fakeProcess, procs, workers, limit int, window, run time.Duration, shared ...fleetJob) fleetRun {
	// The fake's windows start on whole seconds: start on one, late enough
	// for every process to be up.
	start := time.Now().Truncate(time.Second).Add(2 * time.Second)
	job := fleetJob{URL: f.url, Token: f.token, Secret: f.secret, Workers: workers,
		Start: start, From: start.Add(window), Until: start.Add(run)}
	for _, sh := range shared {
		job.LimiterDSN, job.LimiterTable = sh.LimiterDSN, sh.LimiterTable
	}
	raw, err := json.Marshal(job)
	if err != nil {
		t.Errorf("fleet job: %v", err)
		return fleetRun{}
	}
	r := fleetRun{procs: procs, workers: workers, limit: limit, window: window, run: run,
		windows: float64(run-window) / float64(window), limiter: job.LimiterDSN != ""}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for p := 0; p < procs; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), run+time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFleetWorker$", "-test.count=1")
			cmd.Env = append(os.Environ(), fleetJobEnv+"="+string(raw))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var res loadResult
			_, line, found := strings.Cut(stdout.String(), fleetResultTag)
			if line, _, _ = strings.Cut(line, "\n"); !found || json.Unmarshal([]byte(line), &res) != nil {
				t.Errorf("worker process: %v, no result\n%s\n%s", err, stdout.String(), stderr.String())
				return
			}
			mu.Lock()
			r.res.add(res)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return r
}

// Four OS processes with 8 goroutines each share one key against a limit
// of 100 per window for four windows. After the first window, no call sees a 429 (the
// calls' context allows any wait), at most 5% of the requests are answered
// 429 and at least 90% of the limit is used. (Run by TestProofBusyKey.)
func checkFleet(t *testing.T, r fleetRun) {
	t.Log(r)
	if r.res.Caller429 != 0 {
		t.Errorf("%d calls returned a 429 to their caller after the first window, want 0 (first: %s)", r.res.Caller429, r.res.FirstErr)
	}
	if r.res.CallerErr != 0 {
		t.Errorf("%d calls failed, first: %s", r.res.CallerErr, r.res.FirstErr)
	}
	if r.share429() > 0.05 {
		t.Errorf("the server answered %.2f%% of the requests with 429, want at most 5%%", 100*r.share429())
	}
	if r.used() < 0.9 {
		t.Errorf("%.1f%% of the limit used, want at least 90%%", 100*r.used())
	}
}

// TestFleetFigures measures, for BENCHMARKS.md, the one process
// with 32 goroutines against 50 per 5 s, then 1, 2, 4 and 8 processes (8
// goroutines each, limit 100 per 5 s, 20 s each), and with
// IEX_TEST_POSTGRES_DSN set 8 and 16 processes sharing a pglimiter. It
// runs on demand:
//
//	IEX_TEST_FLEET_FIGURES=1 go test ./client -run TestFleetFigures -v
func TestFleetFigures(t *testing.T) {
	if os.Getenv(fleetFiguresEnv) == "" {
		t.Skip("set " + fleetFiguresEnv + "=1 to measure fleets of 1 to 16 processes (about 3 minutes)")
	}
	exe := buildFake(t, t.TempDir())
	t.Log(runFleet(t, exe, 1, 32, 50, 5*time.Second, 20*time.Second))
	for _, procs := range []int{1, 2, 4, 8, 16} {
		t.Log(runFleet(t, exe, procs, 8, 100, 5*time.Second, 20*time.Second))
	}
	dsn := os.Getenv("IEX_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Log("IEX_TEST_POSTGRES_DSN is not set: no pglimiter figures")
		return
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, procs := range []int{8, 16} {
		table := fmt.Sprintf("iex_rate_limit_fleet_%d_%d", procs, time.Now().UnixNano())
		t.Log(runFleet(t, exe, procs, 8, 100, 5*time.Second, 20*time.Second, fleetJob{LimiterDSN: dsn, LimiterTable: table}))
		_, _ = db.Exec("DROP TABLE IF EXISTS " + table)
	}
}
