package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// WebhookEventLog walks in cursor mode with 100-row pages from since, and
// hands each entry over byte for byte: PHP's [] and long numbers included.
func TestWebhookEventLogKeepsEntriesVerbatim(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		q := r.URL.Query()
		if q.Get("cursor") == "" {
			fmt.Fprint(w, `{"state":0,"message":"OK","result":{"events":[{"id":"e1","type":"order.created","payload":{"id":"evt_1","data":{"list":[],"big":12345678901234567890}}}]},`+
				`"meta":{"pagination":{"mode":"cursor","next_cursor":"c2","has_more":true}}}`)
			return
		}
		fmt.Fprint(w, `{"state":0,"message":"OK","result":{"events":[{"id":"e2","type":"review.created","payload":{"id":"evt_2","data":[]}}]},`+
			`"meta":{"pagination":{"mode":"cursor","next_cursor":null,"has_more":false}}}`)
	}))
	defer srv.Close()
	c, err := client.New(srv.URL+"/api/v3", client.WithToken("token"))
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	var got []string
	for raw, err := range c.WebhookEventLog(context.Background(), since) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(raw))
	}
	if len(got) != 2 || !strings.Contains(got[0], `"list":[]`) || !strings.Contains(got[0], `12345678901234567890`) || !strings.Contains(got[1], `"data":[]`) {
		t.Fatalf("entries %q", got)
	}
	if len(queries) != 2 {
		t.Fatalf("%d requests", len(queries))
	}
	for i, q := range queries {
		for _, want := range []string{"pagination=cursor", "per_page=100", "filter%5Bcreated_from%5D=2026-06-23T10%3A00%3A00Z"} {
			if !strings.Contains(q, want) {
				t.Errorf("request %d: query %q lacks %s", i, q, want)
			}
		}
	}
	if !strings.Contains(queries[1], "cursor=c2") {
		t.Errorf("second page did not follow the cursor: %q", queries[1])
	}
}
