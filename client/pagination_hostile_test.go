package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// drainIDs walks seq to its end and returns the ids and the last error.
func drainIDs(t *testing.T, seq func(func(Order, error) bool), bound int) ([]int64, error) {
	t.Helper()
	var ids []int64
	var last error
	n := 0
	for o, err := range seq {
		if n++; n > bound {
			t.Fatalf("the walk did not stop after %d steps", bound)
		}
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, o.ID)
	}
	return ids, last
}

// Cursors cycling A, B, A: the walk stops at the first cursor it already
// used, after three requests.
func TestListRefusesACursorCycle(t *testing.T) {
	next := map[string]string{"": "A", "A": "B", "B": "A"}
	id := map[string]int{"": 1, "A": 2, "B": 3} // every page differs: only the cursors cycle
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		cur := r.URL.Query().Get("cursor")
		envelope(w, 200, []any{map[string]any{"id": id[cur]}}, &Pagination{Mode: "cursor", HasMore: true, NextCursor: next[cur]})
	})
	_, err := drainIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{Cursor: true}}), 100)
	if !errors.Is(err, ErrCursorStuck) || !errors.Is(err, ErrPaginationStuck) || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("err %v, want ErrCursorStuck and ErrPaginationStuck for a cursor already used", err)
	}
	if n := len(srv.requests()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
}

// Page mode with current_page stuck at 1 and has_more true: the walk stops
// at the second page instead of asking for pages 3, 4, ... for ever.
func TestListRefusesAStuckPage(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, []any{map[string]any{"id": 1}}, &Pagination{Mode: "page", CurrentPage: 1, HasMore: true})
	})
	_, err := drainIDs(t, c.Orders(context.Background(), OrderListOptions{}), 100)
	if !errors.Is(err, ErrPaginationStuck) {
		t.Fatalf("err %v, want ErrPaginationStuck", err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

// endless is a server whose pages always advance and always claim more:
// only a bound the user sets ends the walk.
func endless(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("pagination") == "cursor" {
		n, _ := strconv.Atoi(q.Get("cursor"))
		envelope(w, 200, []any{map[string]any{"id": 2*n + 1}, map[string]any{"id": 2*n + 2}},
			&Pagination{Mode: "cursor", HasMore: true, NextCursor: strconv.Itoa(n + 1)})
		return
	}
	p, _ := strconv.Atoi(q.Get("page"))
	envelope(w, 200, []any{map[string]any{"id": 2*p - 1}, map[string]any{"id": 2 * p}}, &Pagination{Mode: "page", CurrentPage: p, HasMore: true})
}

func TestListMaxPagesAndMaxItems(t *testing.T) {
	for _, cursor := range []bool{false, true} {
		t.Run("pages cursor="+strconv.FormatBool(cursor), func(t *testing.T) {
			srv, c := newAPI(t, endless)
			ids, err := drainIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{Cursor: cursor, MaxPages: 5}}), 100)
			var le *ListLimitError
			if !errors.As(err, &le) || !errors.Is(err, ErrListLimit) {
				t.Fatalf("err %v, want a *ListLimitError", err)
			}
			if len(ids) != 10 || len(srv.requests()) != 5 || le.Pages != 5 || le.Items != 10 {
				t.Fatalf("%d items, %d requests, error %+v", len(ids), len(srv.requests()), le)
			}
			// The error says where the list goes on; resuming there yields item 11.
			pos := le.Next
			more, _ := drainIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{Position: &pos, MaxItems: 1}}), 100)
			if len(more) != 1 || more[0] != 11 {
				t.Fatalf("resumed at %v, want [11]", more)
			}
		})
		t.Run("items cursor="+strconv.FormatBool(cursor), func(t *testing.T) {
			srv, c := newAPI(t, endless)
			ids, err := drainIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{Cursor: cursor, MaxItems: 3}}), 100)
			var le *ListLimitError
			if !errors.As(err, &le) {
				t.Fatalf("err %v, want a *ListLimitError", err)
			}
			if len(ids) != 3 || len(srv.requests()) != 2 || le.Items != 3 || le.Next.Skip != 1 {
				t.Fatalf("%v items, %d requests, error %+v", ids, len(srv.requests()), le)
			}
		})
	}
}

// A walk that stops in the middle of a page (a crash, a break) resumes from
// its saved position at the next item, in both modes, through JSON.
func TestListResumesFromASavedPosition(t *testing.T) {
	for _, cursor := range []bool{false, true} {
		t.Run("cursor="+strconv.FormatBool(cursor), func(t *testing.T) {
			_, c := newAPI(t, pagedOrders)
			var pos ListPosition
			po := PageOptions{Cursor: cursor, PerPage: 3, Position: &pos}
			var first []int64
			for o, err := range c.Orders(context.Background(), OrderListOptions{PageOptions: po}) {
				if err != nil {
					t.Fatal(err)
				}
				first = append(first, o.ID)
				if len(first) == 4 {
					break // item 5 is the second of page 2
				}
			}
			saved, err := json.Marshal(pos)
			if err != nil {
				t.Fatal(err)
			}
			var back ListPosition
			if err := json.Unmarshal(saved, &back); err != nil {
				t.Fatal(err)
			}
			rest := collectIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{PerPage: 3, Position: &back}}))
			if len(rest) != 3 || rest[0] != 5 || rest[2] != 7 {
				t.Fatalf("resumed from %s: %v, want [5 6 7]", saved, rest)
			}
			if !back.Done {
				t.Fatalf("position after the end %+v, want Done", back)
			}
		})
	}
}

// A next_cursor saved from an earlier walk starts a cursor-mode walk there.
func TestListStartsAtASavedCursor(t *testing.T) {
	srv, c := newAPI(t, pagedOrders)
	ids := collectIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{StartCursor: "3"}}))
	if len(ids) != 4 || ids[0] != 4 {
		t.Fatalf("ids %v, want [4 5 6 7]", ids)
	}
	if q := srv.requests()[0].RawQuery; q != "cursor=3&pagination=cursor" {
		t.Fatalf("first query %q", q)
	}
}

// Pages that advance by number (no current_page) or by fresh cursors but
// repeat the same rows are caught at the second page.
func TestListRefusesRepeatedPages(t *testing.T) {
	for _, cursor := range []bool{false, true} {
		t.Run("cursor="+strconv.FormatBool(cursor), func(t *testing.T) {
			n := 0
			srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
				n++
				envelope(w, 200, []any{map[string]any{"id": 1}, map[string]any{"id": 2}},
					&Pagination{HasMore: true, NextCursor: "c" + strconv.Itoa(n)})
			})
			_, err := drainIDs(t, c.Orders(context.Background(), OrderListOptions{PageOptions: PageOptions{Cursor: cursor}}), 100)
			if !errors.Is(err, ErrPaginationStuck) {
				t.Fatalf("err %v, want ErrPaginationStuck", err)
			}
			if got := len(srv.requests()); got != 2 {
				t.Fatalf("%d requests, want 2", got)
			}
		})
	}
}
