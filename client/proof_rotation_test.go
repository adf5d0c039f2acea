package client_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Rotation under load: while 32 goroutines call (reads and signed writes),
// the client switches to a new key and the old key is revoked on the server
// a moment later. No call fails: an attempt signed with the old key that
// meets the revocation is repeated with the new one.
//
// Whether an old-key attempt is still in flight when the revocation lands
// depends on the scheduler (a loaded machine can finish them all during the
// "moment"), so a run that did not span the revocation proves nothing and is
// repeated, up to five times; a failed call fails the test at once.
func TestProofRotationUnderLoad(t *testing.T) {
	for _, mode := range []string{"SetCredentials", "RotateCredentials"} {
		t.Run(mode, func(t *testing.T) {
			for run := 1; ; run++ {
				if rotateUnderLoad(t, mode) {
					return
				}
				if run == 5 {
					t.Fatal("the load did not span the rotation and the revocation in 5 runs")
				}
				t.Logf("run %d did not span the revocation; again", run)
			}
		})
	}
}

// rotateUnderLoad runs one rotation under load, fails t if any call failed,
// and reports whether the load spanned the switch and the revocation.
func rotateUnderLoad(t *testing.T, mode string) bool {
	const workers = 32
	s := clienttest.NewServer(t, clienttest.WithRateLimit(0, 0))
	// Latency keeps attempts in flight across the switch.
	s.SetLatency(5 * time.Millisecond)
	old := s.Key()
	c := newProofClient(t, s, old, client.WithRetry(fastRetry(3)))
	ctx := proofContext(t, time.Minute)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var calls, failed atomic.Int64
	var failMu sync.Mutex
	var firstFail error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if i%2 == 0 {
					err = c.PingPrivate(ctx)
				} else {
					_, err = c.CreateOrder(ctx, proofOrder(), client.WithIdempotencyKey(fmt.Sprintf("rotation-%d-%d", w, i)))
				}
				calls.Add(1)
				if err != nil {
					failed.Add(1)
					failMu.Lock()
					if firstFail == nil {
						firstFail = err
					}
					failMu.Unlock()
				}
			}
		}(w)
	}

	time.Sleep(300 * time.Millisecond)
	next, err := s.CreateKey(clienttest.KeyOptions{Name: "next", HMAC: clienttest.HMACWrites})
	if err != nil {
		t.Fatal(err)
	}
	cr := client.Credentials{Token: next.Token, HMACSecret: next.HMACSecret}
	if mode == "SetCredentials" {
		c.SetCredentials(cr)
	} else if _, err := c.RotateCredentials(context.Background(), cr, client.RotateOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond) // a moment later
	if err := s.RevokeKey(old.Token); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()

	st := s.Stats()
	t.Logf("%d calls, %d failed; old key %d requests, new key %d requests, %d refused as invalid_token",
		calls.Load(), failed.Load(), st.Keys[old.ID].Requests, st.Keys[next.ID].Requests, st.Total.Unauthenticated)
	if failed.Load() != 0 {
		t.Fatalf("%d of %d calls failed, first: %v", failed.Load(), calls.Load(), firstFail)
	}
	return st.Keys[next.ID].Requests != 0 && st.Keys[old.ID].Requests != 0 && st.Total.Unauthenticated != 0
}
