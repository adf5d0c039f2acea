package main

import (
	"context"
	"encoding/json"
	"iter"
	"sort"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// maxSortedPass bounds how many log entries one pass holds to put them in
// the order they happened; a longer backlog (a large --since) is forwarded
// in the API's order.
const maxSortedPass = 10000

// chronological wraps an event log so that each pass yields its entries
// oldest first: the developer's receiver sees events in the order they
// happened, whatever order the API lists them in.
func chronological(src webhook.EventLog) webhook.EventLog {
	return webhook.EventLogFunc(func(ctx context.Context, since time.Time) iter.Seq2[json.RawMessage, error] {
		return func(yield func(json.RawMessage, error) bool) {
			type entry struct {
				raw json.RawMessage
				at  time.Time
			}
			var held []entry
			flush := func() bool {
				sort.SliceStable(held, func(i, j int) bool { return held[i].at.Before(held[j].at) })
				for _, e := range held {
					if !yield(e.raw, nil) {
						return false
					}
				}
				held = nil
				return true
			}
			sorting := true
			for raw, err := range src.WebhookEventLog(ctx, since) {
				if err != nil {
					if flush() {
						yield(nil, err)
					}
					return
				}
				if !sorting {
					if !yield(raw, nil) {
						return
					}
					continue
				}
				var at time.Time
				if ev, err := webhook.EventFromLog(raw); err == nil {
					at = ev.CreatedAt
				}
				held = append(held, entry{raw, at})
				if len(held) >= maxSortedPass {
					sorting = false
					if !flush() {
						return
					}
				}
			}
			flush()
		}
	})
}
