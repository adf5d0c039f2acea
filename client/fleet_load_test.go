package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// The load of the overload and fleet proofs (issue: "rate limits under
// sustained overload and across a fleet of processes"): goroutines that
// call Scopes and the public Ping in turn, as fast as the client lets them.

// requestLog records when each request left, whether it was public, and
// what status came back.
type requestLog struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs []loggedRequest
}

type loggedRequest struct {
	at     time.Time
	code   int // 0: no answer
	public bool
}

func (l *requestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	at := time.Now()
	resp, err := l.next.RoundTrip(r)
	code := 0
	if resp != nil {
		code = resp.StatusCode
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, loggedRequest{at: at, code: code, public: !strings.Contains(r.URL.Path, "/private/")})
	l.mu.Unlock()
	return resp, err
}

// loadResult is what one process's load saw from the end of the first
// window on (from) to the end of the run. Private counts requests that
// count against the key's window and got an answer.
type loadResult struct {
	Calls     int    `json:"calls"`      // calls started, Scopes and Ping
	CallerErr int    `json:"caller_err"` // calls that returned an error other than a 429 or the run's end
	Caller429 int    `json:"caller_429"` // calls that returned a 429 to their caller
	Private   int    `json:"private"`    // private requests answered
	Server429 int    `json:"server_429"` // of which the server answered 429
	PrivateOK int    `json:"private_ok"` // of which the server answered 200
	FirstErr  string `json:"first_err,omitempty"`
	// Waits and Share are the client's pacing state at the end.
	Waits int64   `json:"waits"`
	Share float64 `json:"share"`
}

func (r *loadResult) add(o loadResult) {
	r.Calls += o.Calls
	r.CallerErr += o.CallerErr
	r.Caller429 += o.Caller429
	r.Private += o.Private
	r.Server429 += o.Server429
	r.PrivateOK += o.PrivateOK
	r.Waits += o.Waits
	r.Share += o.Share
	if r.FirstErr == "" {
		r.FirstErr = o.FirstErr
	}
}

// runLoad runs workers goroutines on c until until, and counts what
// happened from from on. The calls' context allows any wait: it has no
// deadline of its own (the client's 30 s timeout applies) and is cancelled
// at until, which ends the calls still waiting then.
func runLoad(c *client.Client, log *requestLog, workers int, from, until time.Time) loadResult {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	defer time.AfterFunc(time.Until(until), stop).Stop()

	var mu sync.Mutex
	var res loadResult
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				began := time.Now()
				var err error
				if i%2 == 0 {
					_, err = c.Scopes(ctx)
				} else {
					_, err = c.Ping(ctx)
				}
				if began.Before(from) {
					continue
				}
				mu.Lock()
				res.Calls++
				var ae *client.APIError
				switch {
				case err == nil, errors.Is(err, context.Canceled):
				case errors.As(err, &ae) && ae.StatusCode == http.StatusTooManyRequests:
					res.Caller429++
				default:
					res.CallerErr++
				}
				if err != nil && res.FirstErr == "" && !errors.Is(err, context.Canceled) {
					res.FirstErr = err.Error()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	log.mu.Lock()
	for _, r := range log.reqs {
		if r.public || r.code == 0 || r.at.Before(from) || !r.at.Before(until) {
			continue
		}
		res.Private++
		switch r.code {
		case http.StatusTooManyRequests:
			res.Server429++
		case http.StatusOK:
			res.PrivateOK++
		}
	}
	log.mu.Unlock()
	rl, _ := c.RateLimit()
	res.Waits, res.Share = rl.Waits, rl.Share
	return res
}

// loadClient is a client for the load, with its request log.
func loadClient(baseURL, token, secret string, opts ...client.Option) (*client.Client, *requestLog, error) {
	log := &requestLog{next: newTransport()}
	base := []client.Option{client.WithToken(token), client.WithHMACSecret(secret), client.WithHTTPClient(&http.Client{Transport: log})}
	c, err := client.New(baseURL, append(base, opts...)...)
	return c, log, err
}
