package clienttest

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// pagination is meta.pagination (spec 8).
type pagination struct {
	Mode        string  `json:"mode"`
	CurrentPage *int    `json:"current_page"`
	PerPage     int     `json:"per_page"`
	Total       *int    `json:"total"`
	LastPage    *int    `json:"last_page"`
	From        *int    `json:"from"`
	To          *int    `json:"to"`
	Cursor      *string `json:"cursor"`
	NextCursor  *string `json:"next_cursor"`
	HasMore     bool    `json:"has_more"`
}

// listItem is one row of a list: its JSON value (or a function that builds
// it, so that only the rows of the page are rendered) and the values its
// filters and sorts look at (a row may carry several values for one filter).
type listItem struct {
	value  any
	render func() any
	fields map[string][]string
	get    func(name string) []string // instead of fields, for long lists: nothing is built up front
}

func (it listItem) field(name string) []string {
	if it.get != nil {
		return it.get(name)
	}
	return it.fields[name]
}

// filterParams collects filter[name], filter[name][] and filter[name][i]
// query parameters; comma-separated values are split (filter[status]=a,b).
func filterParams(q map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, vs := range q {
		if !strings.HasPrefix(k, "filter[") {
			continue
		}
		rest := k[len("filter["):]
		end := strings.IndexByte(rest, ']')
		if end <= 0 {
			continue
		}
		name := rest[:end]
		for _, v := range vs {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out[name] = append(out[name], part)
				}
			}
		}
	}
	return out
}

// list filters, sorts and paginates items. allowed names the filters the
// operation documents; others are ignored, like the server does. Range
// filters: name_from/name_to compare name_at (or created_at) as times,
// name_min/name_max compare name as decimals.
func list(rq *request, items []listItem, allowed ...string) ([]any, *pagination, *apiError) {
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	filters := filterParams(rq.query)
	var kept []listItem
	for _, it := range items {
		match := true
		for name, want := range filters {
			if !ok[name] {
				continue
			}
			if !matchFilter(it, name, want) {
				match = false
				break
			}
		}
		if match {
			kept = append(kept, it)
		}
	}
	if srt := rq.query.Get("sort"); srt != "" {
		keys := strings.Split(srt, ",")
		sort.SliceStable(kept, func(i, j int) bool {
			for _, k := range keys {
				k = strings.TrimSpace(k)
				desc := strings.HasPrefix(k, "-")
				k = strings.TrimPrefix(k, "-")
				c := compareField(first(kept[i].field(k)), first(kept[j].field(k)))
				if c != 0 {
					return (c < 0) != desc
				}
			}
			return false
		})
	}
	return paginate(rq, kept)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func compareField(a, b string) int {
	if isDigits(a) && isDigits(b) { // ids and counts: no big.Rat needed
		a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	}
	ra, okA := parseDecimal(strings.TrimPrefix(a, "-"))
	rb, okB := parseDecimal(strings.TrimPrefix(b, "-"))
	if okA && okB && !strings.HasPrefix(a, "-") && !strings.HasPrefix(b, "-") {
		return ra.Cmp(rb)
	}
	return strings.Compare(a, b)
}

func matchFilter(it listItem, name string, want []string) bool {
	switch {
	case strings.HasSuffix(name, "_from") || strings.HasSuffix(name, "_to"):
		base, isFrom := strings.TrimSuffix(name, "_from"), strings.HasSuffix(name, "_from")
		if !isFrom {
			base = strings.TrimSuffix(name, "_to")
		}
		if vs := it.field(name); vs != nil { // a plain field that happens to end in _from/_to
			return anyIn(vs, want)
		}
		got, err := time.Parse(time.RFC3339, first(it.field(base+"_at")))
		limit, err2 := time.Parse(time.RFC3339, want[0])
		if err != nil || err2 != nil {
			return err2 != nil // an unparseable bound filters nothing out
		}
		if isFrom {
			return !got.Before(limit)
		}
		return !got.After(limit)
	case strings.HasSuffix(name, "_min") || strings.HasSuffix(name, "_max"):
		base := name[:len(name)-4]
		got, ok1 := parseDecimal(first(it.field(base)))
		limit, ok2 := parseDecimal(want[0])
		if !ok2 {
			return true
		}
		if !ok1 {
			return false
		}
		if strings.HasSuffix(name, "_min") {
			return got.Cmp(limit) >= 0
		}
		return got.Cmp(limit) <= 0
	}
	return anyIn(it.field(name), want)
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

func intPtr(i int) *int       { return &i }
func strPtr(s string) *string { return &s }

// paginate cuts one page out of items: page mode (page, per_page) or cursor
// mode (pagination=cursor, then cursor=next_cursor).
func paginate(rq *request, items []listItem) ([]any, *pagination, *apiError) {
	q := rq.query
	perPage := 25
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return nil, nil, validation("per_page", "The per page must be an integer between 1 and 100.")
		}
		perPage = n
	}
	mode := q.Get("pagination")
	if mode != "" && mode != "page" && mode != "cursor" {
		return nil, nil, validation("pagination", "The selected pagination is invalid.")
	}
	cursor := q.Get("cursor")
	if cursor != "" {
		mode = "cursor"
	}
	total := len(items)
	if mode == "cursor" {
		offset := 0
		if cursor != "" {
			raw, err := base64.RawURLEncoding.DecodeString(cursor)
			n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "o:"))
			if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "o:") || n < 0 {
				return nil, nil, validation("cursor", "The cursor is invalid.")
			}
			offset = n
		}
		end := min(offset+perPage, total)
		offset = min(offset, total)
		p := &pagination{Mode: "cursor", PerPage: perPage, HasMore: end < total}
		if cursor != "" {
			p.Cursor = strPtr(cursor)
		}
		if end < total {
			p.NextCursor = strPtr(base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end))))
		}
		return values(items[offset:end]), p, nil
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, nil, validation("page", "The page must be an integer of at least 1.")
		}
		page = n
	}
	last := max((total+perPage-1)/perPage, 1)
	start := min((page-1)*perPage, total)
	end := min(start+perPage, total)
	p := &pagination{Mode: "page", CurrentPage: intPtr(page), PerPage: perPage, Total: intPtr(total),
		LastPage: intPtr(last), HasMore: end < total}
	if end > start {
		p.From, p.To = intPtr(start+1), intPtr(end)
	}
	return values(items[start:end]), p, nil
}

func values(items []listItem) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		if it.render != nil {
			out = append(out, it.render())
			continue
		}
		out = append(out, it.value)
	}
	return out
}

// queryInt reads an optional integer query parameter.
func queryInt(rq *request, name string) (int64, bool, *apiError) {
	v := rq.query.Get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, validation(name, "The "+name+" must be an integer.")
	}
	return n, true, nil
}

// pathInt reads an integer path parameter; a non-integer is a 404.
func pathInt(rq *request, name, what string) (int64, *apiError) {
	n, err := strconv.ParseInt(rq.params[name], 10, 64)
	if err != nil {
		return 0, errf(http.StatusNotFound, "not_found", what+" not found.", nil)
	}
	return n, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
