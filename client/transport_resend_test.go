package client_test

import (
	"context"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// net/http's Transport resends a request by itself when a reused keep-alive
// connection dies before the answer and it deems the request replayable (a
// GET, or a request with an Idempotency-Key). Such a resend would repeat the
// attempt's nonce; the signing transport must make every signed request
// non-replayable to it, so that only the retry loop repeats, freshly signed.
func TestSignedAttemptsAreNeverResentByTheTransport(t *testing.T) {
	for _, op := range []string{"GET /private/ping", "POST /private/exchange/orders"} {
		t.Run(op, func(t *testing.T) {
			srv := clienttest.NewServer(t)
			key := srv.Key()
			c, err := client.New(srv.URL, client.WithToken(key.Token), client.WithHMACSecret(key.HMACSecret))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			call := func() error {
				if op == "GET /private/ping" {
					return c.PingPrivate(ctx)
				}
				_, err := c.CreateOrder(ctx, client.CreateOrderParams{RouteID: 1, Amount: "100",
					IncomeAccount: "in", OutcomeAccount: "out", TypeRate: "fixed"})
				return err
			}
			// The first call opens the keep-alive connection the second reuses.
			if err := call(); err != nil {
				t.Fatal(err)
			}
			if err := srv.DropAfterProcessing(op, 1); err != nil {
				t.Fatal(err)
			}
			if err := call(); err != nil {
				t.Fatalf("second call: %v (the retry loop should have recovered)", err)
			}
			st := srv.Stats().Total
			if st.Dropped != 1 {
				t.Fatalf("dropped = %d, want 1 (the fault was not exercised)", st.Dropped)
			}
			if st.SignatureReplays != 0 {
				t.Fatalf("signature_replay answers = %d, want 0: an attempt was resent with its nonce", st.SignatureReplays)
			}
		})
	}
}
