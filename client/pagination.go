package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
}

// ErrCursorStuck reports a server whose next_cursor repeats the cursor just
// used: following it would loop for ever.
var ErrCursorStuck = errors.New("client: pagination cursor did not advance")

// maxPages bounds a walk, so a server that always claims more pages cannot
// keep an iterator running for ever (100 rows a page: ten million rows).
const maxPages = 100_000

// paginate returns an iterator over every item of a list operation. base is
// the call without paging parameters; key names the array inside an object
// result ("events"), if the server wraps it. The walk stops after the last
// page, on the first error (yielded once, with a zero item), when ctx is done
// (its error is yielded), or when the consumer stops.
func paginate[T any](ctx context.Context, c *Client, base call, po PageOptions, key string, opts []CallOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		page := po.StartPage
		if page < 1 {
			page = 1
		}
		cursor := ""
		for n := 0; ; n++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if n >= maxPages {
				yield(zero, fmt.Errorf("client: %s %s: more than %d pages", base.method, base.path, maxPages))
				return
			}
			cl := base
			cl.query = cloneValues(base.query)
			if po.PerPage > 0 {
				cl.query.Set("per_page", strconv.Itoa(po.PerPage))
			}
			if po.Cursor {
				cl.query.Set("pagination", "cursor")
				if cursor != "" {
					cl.query.Set("cursor", cursor)
				}
			} else {
				cl.query.Set("page", strconv.Itoa(page))
			}
			var raw json.RawMessage
			resp, err := c.do(ctx, &cl, &raw, opts)
			if err != nil {
				yield(zero, err)
				return
			}
			items, err := decodeList[T](raw, key)
			if err != nil {
				yield(zero, fmt.Errorf("client: decode %s %s: %w", base.method, base.path, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			var pg *Pagination
			if resp != nil {
				pg = resp.Meta.Pagination
			}
			if len(items) == 0 || pg == nil {
				return // an empty page, or a list the server did not paginate
			}
			if po.Cursor {
				if !pg.HasMore || pg.NextCursor == "" {
					return
				}
				if pg.NextCursor == cursor {
					yield(zero, ErrCursorStuck)
					return
				}
				cursor = pg.NextCursor
				continue
			}
			switch {
			case pg.LastPage > 0:
				if pg.CurrentPage >= pg.LastPage || page >= pg.LastPage {
					return
				}
			case !pg.HasMore:
				return // last_page unknown (null) and nothing more announced
			}
			page++
		}
	}
}

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
