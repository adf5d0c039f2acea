package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// The two ways a write's error answer leaves its outcome open, one by one:
// a refusal after an attempt that stored the order went unanswered, and a
// 2xx whose body cannot be read. Both match ErrOutcomeUnknown, and the
// repeat with the same key returns the one order. A plain refusal with no
// unanswered attempt before it does not.
func TestProofOutcomeUnknownAnswers(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	ctx := context.Background()
	cases := []struct {
		name    string
		inject  func(s *clienttest.Server) error
		unknown bool
	}{
		{"503 after a lost answer", func(s *clienttest.Server) error {
			if err := s.DropAfterProcessing(createOrderOp, 1); err != nil {
				return err
			}
			return s.FailNext(createOrderOp, 1, http.StatusServiceUnavailable)
		}, true},
		{"proxy page after a lost answer", func(s *clienttest.Server) error {
			if err := s.DropAfterProcessing(createOrderOp, 1); err != nil {
				return err
			}
			return s.FailNextRaw(createOrderOp, 1, http.StatusBadGateway, "text/html", []byte("<html>502</html>"))
		}, true},
		{"truncated 201", func(s *clienttest.Server) error {
			return s.FailNextRaw(createOrderOp, 1, http.StatusCreated, "application/json", []byte(`{"state":0,"result":{"order":`))
		}, true},
		{"503 twice", func(s *clienttest.Server) error {
			return s.FailNext(createOrderOp, 2, http.StatusServiceUnavailable)
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := clienttest.NewServer(t)
			c := newProofClient(t, s, s.Key(), client.WithRetry(fastRetry(2)))
			if err := tc.inject(s); err != nil {
				t.Fatal(err)
			}
			key := client.WithIdempotencyKey("outcome-order-0001")
			_, err := c.CreateOrder(ctx, proofOrder(), key)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, client.ErrOutcomeUnknown); got != tc.unknown {
				t.Fatalf("errors.Is(err, ErrOutcomeUnknown) = %v, want %v: %v", got, tc.unknown, err)
			}
			o, err := c.CreateOrder(ctx, proofOrder(), key)
			if err != nil {
				t.Fatalf("repeat: %v", err)
			}
			if n := len(s.Orders()); n != 1 || s.Orders()[0].ID != o.ID {
				t.Fatalf("%d orders after the repeat, want exactly the one returned", n)
			}
		})
	}
}
