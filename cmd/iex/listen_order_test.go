package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

func logEntry(id string, at time.Time) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"id":%q,"type":"api.test","created_at":%q,"payload":{"id":%q,"type":"api.test","created_at":%q,"data":{}}}`,
		id, at.Format(time.RFC3339), id, at.Format(time.RFC3339)))
}

// A pass yields its entries oldest first, then the log's error.
func TestChronologicalOrdersEachPass(t *testing.T) {
	base := time.Date(2026, 6, 23, 4, 0, 0, 0, time.UTC)
	boom := errors.New("boom")
	src := webhook.EventLogFunc(func(context.Context, time.Time) iter.Seq2[json.RawMessage, error] {
		return func(yield func(json.RawMessage, error) bool) {
			for _, id := range []string{"c", "a", "b"} {
				at := base.Add(map[string]time.Duration{"a": 1, "b": 2, "c": 3}[id] * time.Second)
				if !yield(logEntry(id, at), nil) {
					return
				}
			}
			yield(nil, boom)
		}
	})
	var ids []string
	var last error
	for raw, err := range chronological(src).WebhookEventLog(context.Background(), time.Time{}) {
		if err != nil {
			last = err
			break
		}
		ev, err := webhook.EventFromLog(raw)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	if strings.Join(ids, ",") != "a,b,c" || !errors.Is(last, boom) {
		t.Fatalf("ids %v, err %v", ids, last)
	}
	// Breaking out of the loop stops the walk.
	n := 0
	for range chronological(src).WebhookEventLog(context.Background(), time.Time{}) {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("%d entries after break", n)
	}
}

func TestWriteBody(t *testing.T) {
	for _, tc := range []struct {
		body   string
		indent bool
		want   string
	}{
		{`{"a":1}`, false, "{\"a\":1}\n"},
		{"{\"a\":1}\n", false, "{\"a\":1}\n"},
		{`{"a":1}`, true, "{\n  \"a\": 1\n}\n"},
		{"openapi: 3.0.3", true, "openapi: 3.0.3"},
		{"", false, ""},
	} {
		var b strings.Builder
		if err := writeBody(&b, []byte(tc.body), tc.indent); err != nil || b.String() != tc.want {
			t.Errorf("writeBody(%q, %v) = %q, %v; want %q", tc.body, tc.indent, b.String(), err, tc.want)
		}
	}
}
