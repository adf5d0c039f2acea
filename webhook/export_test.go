package webhook

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ErrClaimLost is errClaimLost, for the transactional tests.
var ErrClaimLost = errClaimLost

// CompleteInTx is the transactional completion of NewTxHandler, for tests
// that interleave replicas by hand.
func (s *SQLStore) CompleteInTx(ctx context.Context, eventID, owner string, fn func(*sql.Tx) error) error {
	return s.runInTx(ctx, eventID, owner, time.Minute, fn)
}

// MaxHeaderLen is the verifier's bound on signed header values.
const MaxHeaderLen = maxHeaderLen

// BenchBody returns an order.status_changed body of about size bytes: an
// order with its status history, grown entry by entry as real payloads grow.
// It is dense JSON (a token every few bytes), the hard case for the JSON
// check. Defined here so that external and internal benchmarks share it.
func BenchBody(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":"evt_01J8Z6Q4W2","type":"order.status_changed","created_at":"2026-06-23T10:00:00+00:00","data":{"order":{"id":52817,"public_id":"ord_5f2c9a","tracking_id":"TRK52817","status":{"id":4,"key":"paid","name":"Paid","is_final":false,"is_payment_flow":true,"is_problem":false},"amounts":{"give":"1500.00","receive":"0.02314500","rate":"64812.33"},"history":[`)
	for i := 0; b.Len() < size-64; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"at":"2026-06-23T10:%02d:00+00:00","status":"step_%d","note":"moved by the operator","by":{"id":%d,"role":"operator"}}`, i%60, i, 100+i)
	}
	b.WriteString(`]}}}`)
	return []byte(b.String())
}

// NewOwnerTokens returns a Handler's owner token maker, for tests: next
// makes a token of its own, shared one cut from a block.
func NewOwnerTokens() (next, shared func() string) {
	o := newOwnerTokens()
	return o.next, o.shared
}
