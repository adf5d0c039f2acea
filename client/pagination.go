package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"net/url"
	"strconv"
)

// PageOptions says how a list call walks the pages; every typed list option
// struct embeds it.
type PageOptions struct {
	// PerPage is the page size, 1 to 100; 0 leaves the server's default (25).
	PerPage int
	// Cursor walks the list in cursor mode (pagination=cursor, then
	// cursor=next_cursor), which is stable while rows are being added. The
	// default is page mode (page=1, 2, ...).
	Cursor bool
	// StartPage is the first page in page mode; 0 means 1.
	StartPage int
	// StartCursor starts a cursor-mode walk at a cursor saved earlier (a
	// next_cursor the server sent, or ListPosition.Cursor); it implies
	// Cursor.
	StartCursor string

	// Position, when set, is where the walk starts (unless it is zero) and
	// is kept up to date while it runs: after every item it holds the place
	// of the next one. Save it (it marshals to JSON) and pass it again to
	// resume the walk where it stopped, after a crash or in the next run.
	// The position's mode (Cursor set or not) overrides Cursor.
	Position *ListPosition

	// MaxPages bounds how many pages one walk requests (default
	// DefaultMaxPages); MaxItems, when positive, how many items it yields.
	// A list longer than either ends with a *ListLimitError that says where
	// to resume. A context deadline alone does not bound a walk against a
	// server that keeps answering quickly and always claims more.
	MaxPages int
	MaxItems int
}

// ListPosition is a place in a list walk, for resuming it
// (PageOptions.Position): the page that holds the next item, in the walk's
// mode, and how many of that page's items were already yielded. A page-mode
// position counts rows, so rows added or removed meanwhile shift it; a cursor
// is stable. A position with Done set (the walk reached the end) resumes at
// the last page and yields only the rows that arrived there since.
type ListPosition struct {
	Cursor bool   `json:"cursor,omitempty"` // cursor mode
	After  string `json:"after,omitempty"`  // cursor of the page holding the next item ("" = the first page)
	Page   int    `json:"page,omitempty"`   // page mode: the page holding the next item (0 = the first)
	Skip   int    `json:"skip,omitempty"`   // items of that page already yielded
	Done   bool   `json:"done,omitempty"`   // the walk reached the end of the list
}

// DefaultMaxPages is the page bound of a walk without PageOptions.MaxPages
// (100 rows a page: ten million rows).
const DefaultMaxPages = 100_000

// Errors of hostile or broken pagination. The walk stops at the first one.
var (
	// ErrPaginationStuck: the server's pages do not advance, so following
	// them would never end: a cursor that was already used (A, B, A), in
	// page mode a current_page other than the page asked for, or a page
	// whose rows repeat the previous page byte for byte.
	ErrPaginationStuck = errors.New("client: pagination does not advance")
	// ErrCursorStuck: a next_cursor that was already used, or a cursor page
	// that repeats the previous one. Such errors match ErrPaginationStuck
	// too.
	ErrCursorStuck = errors.New("client: pagination cursor did not advance")
	// ErrListLimit: a walk reached PageOptions.MaxPages or MaxItems while
	// the server announced more. The error is a *ListLimitError.
	ErrListLimit = errors.New("client: list walk limit reached")
)

// ListLimitError ends a walk that reached PageOptions.MaxPages or MaxItems
// while the list went on. It matches ErrListLimit.
type ListLimitError struct {
	Method, Path string
	Pages, Items int // requested and yielded by the walk
	// Next is where the list goes on: pass it as PageOptions.Position to
	// continue.
	Next ListPosition
}

// Error names the call and the limit reached.
func (e *ListLimitError) Error() string {
	return fmt.Sprintf("client: %s %s: list walk stopped after %d pages and %d items; the list goes on", e.Method, e.Path, e.Pages, e.Items)
}

// Is matches ErrListLimit.
func (e *ListLimitError) Is(target error) bool { return target == ErrListLimit }

// paginate returns an iterator over every item of a list operation. base is
// the call without paging parameters; key names the array inside an object
// result ("events"), if the server wraps it. The walk stops after the last
// page, on the first error (yielded once, with a zero item), when ctx is done
// (its error is yielded), when a limit of po is reached (*ListLimitError), or
// when the consumer stops.
func paginate[T any](ctx context.Context, c *Client, base call, po PageOptions, key string, opts []CallOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		pos := startPosition(po)
		track := func() {
			if po.Position != nil {
				*po.Position = pos
			}
		}
		track()
		maxPages := po.MaxPages
		if maxPages <= 0 {
			maxPages = DefaultMaxPages
		}
		// Cursors already used, by hash: a cursor may be long, and a cycle
		// of any length must be caught.
		seed := maphash.MakeSeed()
		used := map[uint64]struct{}{}
		if pos.Cursor {
			used[maphash.String(seed, pos.After)] = struct{}{}
		}
		items, pages := 0, 0
		var lastSum uint64 // the previous page's result, hashed
		limit := func() error {
			return &ListLimitError{Method: base.method, Path: base.path, Pages: pages, Items: items, Next: pos}
		}
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if pages >= maxPages {
				yield(zero, limit())
				return
			}
			cl := base
			cl.query = cloneValues(base.query)
			if po.PerPage > 0 {
				cl.query.Set("per_page", strconv.Itoa(po.PerPage))
			}
			if pos.Cursor {
				cl.query.Set("pagination", "cursor")
				if pos.After != "" {
					cl.query.Set("cursor", pos.After)
				}
			} else {
				cl.query.Set("page", strconv.Itoa(pos.Page))
			}
			list := &listInto[T]{key: key, seed: seed, hash: true}
			resp, err := c.do(ctx, &cl, list, opts)
			pages++
			if err != nil {
				yield(zero, err)
				return
			}
			if pages > 1 && len(list.items) > 0 && list.sum == lastSum {
				// Pages that advance by their numbers or cursors but repeat
				// the same rows (current_page absent, fresh cursors) would
				// run until MaxPages, yielding the same rows each time.
				err := fmt.Errorf("client: %s %s: page %d repeats the previous page: %w", base.method, base.path, pages, ErrPaginationStuck)
				if pos.Cursor {
					err = fmt.Errorf("%w (%w)", err, ErrCursorStuck)
				}
				yield(zero, err)
				return
			}
			lastSum = list.sum
			skip := min(pos.Skip, len(list.items))
			for _, it := range list.items[skip:] {
				if po.MaxItems > 0 && items >= po.MaxItems {
					yield(zero, limit())
					return
				}
				items++
				pos.Skip++
				track()
				if !yield(it, nil) {
					return
				}
			}
			var pg *Pagination
			if resp != nil {
				pg = resp.Meta.Pagination
			}
			next, more, err := nextPosition(pos, pg, len(list.items))
			if err != nil {
				yield(zero, fmt.Errorf("client: %s %s: %w", base.method, base.path, err))
				return
			}
			if !more {
				pos.Done = true
				track()
				return
			}
			if next.Cursor {
				h := maphash.String(seed, next.After)
				if _, seen := used[h]; seen {
					yield(zero, fmt.Errorf("client: %s %s: next_cursor %.64q was already used: %w (%w)",
						base.method, base.path, next.After, ErrCursorStuck, ErrPaginationStuck))
					return
				}
				used[h] = struct{}{}
			}
			pos = next
			track()
			if po.MaxItems > 0 && items >= po.MaxItems {
				yield(zero, limit())
				return
			}
		}
	}
}

// startPosition is where a walk with po begins.
func startPosition(po PageOptions) ListPosition {
	if p := po.Position; p != nil && *p != (ListPosition{}) {
		pos := *p
		pos.Done = false
		if pos.Skip < 0 {
			pos.Skip = 0
		}
		if !pos.Cursor && pos.Page < 1 {
			pos.Page = 1
		}
		return pos
	}
	if po.Cursor || po.StartCursor != "" {
		return ListPosition{Cursor: true, After: po.StartCursor}
	}
	return ListPosition{Page: max(po.StartPage, 1)}
}

// nextPosition reads a page's pagination and says where the walk goes
// next, whether there is more, or why the server's answer cannot be
// followed.
func nextPosition(pos ListPosition, pg *Pagination, n int) (ListPosition, bool, error) {
	if n == 0 || pg == nil {
		return pos, false, nil // an empty page, or a list the server did not paginate
	}
	if pos.Cursor {
		if !pg.HasMore || pg.NextCursor == "" {
			return pos, false, nil
		}
		if pg.NextCursor == pos.After {
			return pos, false, fmt.Errorf("next_cursor %.64q repeats the cursor just used: %w (%w)", pg.NextCursor, ErrCursorStuck, ErrPaginationStuck)
		}
		return ListPosition{Cursor: true, After: pg.NextCursor}, true, nil
	}
	if pg.CurrentPage > 0 && pg.CurrentPage != pos.Page {
		// A server that answers page 2 with page 1 again (and has_more)
		// would be asked for page 3, 4, ... for ever, yielding the same rows.
		return pos, false, fmt.Errorf("asked for page %d, got current_page %d: %w", pos.Page, pg.CurrentPage, ErrPaginationStuck)
	}
	switch {
	case pg.LastPage > 0:
		if pos.Page >= pg.LastPage {
			return pos, false, nil
		}
	case !pg.HasMore:
		return pos, false, nil // last_page unknown (null) and nothing more announced
	}
	return ListPosition{Page: pos.Page + 1}, true, nil
}

// listInto decodes a list result inside the envelope's decoding, so a
// result that is not a list is reported by do as a *ResponseError.
type listInto[T any] struct {
	key   string
	items []T
	err   error
	// With hash set, sum is the hash of the result's bytes under seed, to
	// tell a page that repeats the previous one.
	hash bool
	seed maphash.Seed
	sum  uint64
}

// UnmarshalJSON decodes one "result" value; a repeated key starts afresh.
func (l *listInto[T]) UnmarshalJSON(b []byte) error {
	l.items, l.err = decodeList[T](b, l.key)
	if l.hash {
		l.sum = maphash.Bytes(l.seed, b)
	}
	return nil
}

// resultErr reports why the result did not decode.
func (l *listInto[T]) resultErr() error { return l.err }

// decodeList reads a list result: a bare JSON array, or an object holding
// the array under key (or under "data" or "items", which some deployments
// use). null is an empty list.
func decodeList[T any](raw json.RawMessage, key string) ([]T, error) {
	if _, verbatim := any((*T)(nil)).(*json.RawMessage); !verbatim {
		// Raw items (WebhookEventLog) keep their bytes: the rewrite only
		// helps typed decoding.
		raw = emptyArraysToNull(raw)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		found := false
		for _, k := range []string{key, "data", "items"} {
			if v, ok := m[k]; ok && k != "" {
				raw, found = v, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("list result has no %q array", key)
		}
	}
	var out []T
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// cloneValues copies v so that one page's parameters never leak into the
// next; it never returns nil.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+3)
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
