package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// pagedOrders serves 7 orders, 3 a page, in page or cursor mode.
func pagedOrders(w http.ResponseWriter, r *http.Request) {
	const total, per = 7, 3
	q := r.URL.Query()
	start := 0
	pg := &Pagination{PerPage: per, Total: total, LastPage: 3}
	if q.Get("pagination") == "cursor" {
		pg.Mode = "cursor"
		if c := q.Get("cursor"); c != "" {
			start, _ = strconv.Atoi(c)
		}
	} else {
		pg.Mode = "page"
		page, _ := strconv.Atoi(q.Get("page"))
		pg.CurrentPage = page
		start = (page - 1) * per
	}
	var items []map[string]any
	for i := start; i < start+per && i < total; i++ {
		items = append(items, map[string]any{"id": i + 1, "status": "created"})
	}
	if start+per < total {
		pg.HasMore = true
		pg.NextCursor = strconv.Itoa(start + per)
	}
	envelope(w, 200, items, pg)
}

func collectIDs(t *testing.T, seq func(func(Order, error) bool)) []int64 {
	t.Helper()
	var ids []int64
	for o, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	return ids
}

func TestOrdersWalksEveryPage(t *testing.T) {
	srv, c := newAPI(t, pagedOrders)
	ids := collectIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{PerPage: 3}}))
	if len(ids) != 7 || ids[0] != 1 || ids[6] != 7 {
		t.Fatalf("ids = %v", ids)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.RawQuery)
		if q.Get("page") != strconv.Itoa(i+1) || q.Get("per_page") != "3" {
			t.Errorf("request %d query %q", i, r.RawQuery)
		}
	}
}

func TestOrdersWalksCursorMode(t *testing.T) {
	srv, c := newAPI(t, pagedOrders)
	ids := collectIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{Cursor: true}}))
	if len(ids) != 7 {
		t.Fatalf("ids = %v", ids)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	q0, _ := url.ParseQuery(reqs[0].RawQuery)
	q2, _ := url.ParseQuery(reqs[2].RawQuery)
	if q0.Get("pagination") != "cursor" || q0.Has("cursor") || q0.Has("page") {
		t.Errorf("first cursor request %q", reqs[0].RawQuery)
	}
	if q2.Get("cursor") != "6" {
		t.Errorf("third cursor request %q", reqs[2].RawQuery)
	}
}

func TestListStopsWhenConsumerBreaks(t *testing.T) {
	srv, c := newAPI(t, pagedOrders)
	n := 0
	for _, err := range c.Orders(context.Background(), OrderListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if got := len(srv.requests()); got != 1 {
		t.Fatalf("%d requests after breaking on the first page, want 1", got)
	}
}

func TestListStopsOnContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, c := newAPI(t, pagedOrders)
	var last error
	n := 0
	for _, err := range c.Orders(ctx, OrderListOptions{}) {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 3 {
			cancel() // at the end of the first page
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Fatalf("last error %v, want context.Canceled", last)
	}
	if got := len(srv.requests()); got != 1 {
		t.Fatalf("%d requests, want 1", got)
	}
}

func TestListStopsOnError(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { errorEnvelope(w, 403, "scope_denied", "") })
	var errs []error
	for _, err := range c.Reviews(context.Background(), ReviewListOptions{}) {
		errs = append(errs, err)
	}
	var ae *APIError
	if len(errs) != 1 || !errors.As(errs[0], &ae) || ae.StatusCode != 403 {
		t.Fatalf("errors = %v", errs)
	}
}

func TestListRefusesAStuckCursor(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, []any{map[string]any{"id": 1}}, &Pagination{Mode: "cursor", HasMore: true, NextCursor: "same"})
	})
	var last error
	n := 0
	for _, err := range c.Reviews(context.Background(), ReviewListOptions{PageOptions: PageOptions{Cursor: true}}) {
		if err != nil {
			last = err
		}
		if n++; n > 10 {
			t.Fatal("iterator did not stop")
		}
	}
	if !errors.Is(last, ErrCursorStuck) {
		t.Fatalf("last = %v", last)
	}
}

func TestListReadsWrappedAndUnpaginatedResults(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, map[string]any{"events": []any{map[string]any{"id": "e1", "type": "api.test"}, map[string]any{"id": "e2"}}}, nil)
	})
	var ids []string
	for ev, err := range c.WebhookEvents(context.Background(), WebhookEventListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	if len(ids) != 2 || ids[1] != "e2" {
		t.Fatalf("ids = %v", ids)
	}
}

func TestListPageModeWithoutLastPageFollowsHasMore(t *testing.T) {
	calls := 0
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		envelope(w, 200, []any{map[string]any{"id": calls}}, &Pagination{Mode: "page", CurrentPage: calls, HasMore: calls < 2})
	})
	n := 0
	for _, err := range c.Reviews(context.Background(), ReviewListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || calls != 2 {
		t.Fatalf("items %d, calls %d", n, calls)
	}
}

func TestListFiltersEncoding(t *testing.T) {
	var f Filters
	f.In("currency", "USDT", "BTC").Set("city", "msk")
	o := OrderListOptions{
		Status:      []string{"paid", "completed"},
		TrackingID:  "TR-1",
		CreatedFrom: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)),
		AmountMin:   "10.5",
		Sort:        []string{"-created_at", "id"},
		Filters:     f,
	}
	got := o.values()
	want := url.Values{
		"filter[status]":       {"paid,completed"}, // one string, as openapi.yaml declares it
		"filter[tracking_id]":  {"TR-1"},
		"filter[created_from]": {"2026-01-02T02:04:05Z"},
		"filter[amount_min]":   {"10.5"},
		"sort":                 {"-created_at,id"},
		"filter[currency][]":   {"USDT", "BTC"},
		"filter[city]":         {"msk"},
	}
	if got.Encode() != want.Encode() {
		t.Fatalf("got  %s\nwant %s", got.Encode(), want.Encode())
	}
	one := OrderListOptions{Status: []string{"paid"}}.values()
	if one.Get("filter[status]") != "paid" || one.Has("filter[status][]") {
		t.Fatalf("single status: %s", one.Encode())
	}
	if n := len((PaymentSystemListOptions{}).values()); n != 0 {
		t.Fatalf("zero options send %d parameters", n)
	}
}
