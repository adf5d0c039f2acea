package client

import (
	"encoding/json"
	"testing"
)

// FuzzListPage: any list result and pagination meta a server may send
// decodes or fails cleanly, and a walk that goes on always moves to a
// position it was not at: it never asks for the same page again.
func FuzzListPage(f *testing.F) {
	f.Add([]byte(`[{"id":1}]`), []byte(`{"mode":"page","current_page":1,"last_page":3,"has_more":true}`), false, "", 1)
	f.Add([]byte(`{"orders":[{"id":1},{"id":2}]}`), []byte(`{"mode":"cursor","next_cursor":"A","has_more":true}`), true, "A", 0)
	f.Add([]byte(`{"data":"x"}`), []byte(`{"current_page":"1"}`), false, "", 2)
	f.Fuzz(func(t *testing.T, result, meta []byte, cursor bool, after string, page int) {
		l := &listInto[Order]{key: "orders"}
		_ = l.UnmarshalJSON(result)
		var pg *Pagination
		if json.Unmarshal(meta, &pg) != nil {
			pg = nil
		}
		pos := ListPosition{Cursor: cursor, After: after, Page: page}
		if !cursor && pos.Page < 1 {
			pos.Page = 1
		}
		next, more, err := nextPosition(pos, pg, len(l.items))
		if err != nil && more {
			t.Fatal("an error with more pages")
		}
		if more && next == pos {
			t.Fatalf("the walk would repeat position %+v", pos)
		}
		if more && !cursor && next.Page != pos.Page+1 {
			t.Fatalf("page %d after %d", next.Page, pos.Page)
		}
	})
}
