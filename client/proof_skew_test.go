package client_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Clock skew: the server's clock is five minutes ahead or behind, and its
// signature window (30s here) is far narrower. The client learns the offset
// from the first answer; after at most one refused attempt every request it
// signs is valid, and no call fails.
func TestProofClockSkew(t *testing.T) {
	for _, skew := range []time.Duration{5 * time.Minute, -5 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			s := clienttest.NewServer(t, clienttest.WithSignatureWindow(30*time.Second),
				clienttest.WithKeyOptions(clienttest.KeyOptions{HMAC: clienttest.HMACAll}))
			s.SetClockSkew(skew)
			c := newProofClient(t, s, s.Key(), client.WithRetry(fastRetry(3)))
			ctx := proofContext(t, 30*time.Second)

			const calls = 20
			for i := 0; i < calls; i++ {
				var err error
				if i%2 == 0 {
					err = c.PingPrivate(ctx)
				} else {
					_, err = c.CreateOrder(ctx, proofOrder(), client.WithIdempotencyKey(fmt.Sprintf("skew-order-%03d", i)))
				}
				if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			st := s.Stats().Total
			off := c.ClockOffset()
			t.Logf("skew %v: offset learned %v; %d requests for %d calls, %d invalid signatures", skew, off, st.Requests, calls, st.InvalidSignatures)
			if st.InvalidSignatures > 1 {
				t.Errorf("%d requests had invalid signatures, want at most 1", st.InvalidSignatures)
			}
			if st.Requests > calls+1 {
				t.Errorf("%d requests for %d calls: more than one extra attempt", st.Requests, calls)
			}
			if d := off - skew; d < -3*time.Second || d > 3*time.Second {
				t.Errorf("offset %v, want about %v", off, skew)
			}
			if st.SignatureReplays != 0 || st.Errors > 1 {
				t.Errorf("%d replays, %d error answers", st.SignatureReplays, st.Errors)
			}
		})
	}
}
