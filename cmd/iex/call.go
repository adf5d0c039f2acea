package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/iexkit/exchanger-go/client"
)

const callUsage = `Usage: iex call [flags] METHOD PATH

Calls any operation of the API through the SDK: the token on private paths,
a fresh HMAC signature on every attempt, an Idempotency-Key on every write
(yours, or a generated one, the same on every retry), the SDK's retries and
rate-limit pacing. PATH is below the base URL, as in openapi.yaml, with
your values: /private/exchange/orders/ORD-1. A query may follow PATH after
"?" or come in -q flags.

The body of the answer is written to stdout, error answers included;
the error itself goes to stderr and sets the exit code (see iex help).

Examples:
  iex call GET /private/exchange/routes -q per_page=5
  iex call GET /private/orders -q per_page=100 -q pagination=cursor --paginate | jq -c '.result[]'
  iex call GET '/private/orders?filter[status]=paid,completed'
  iex call POST /private/exchange/orders -d @order.json --idempotency-key order-user-42-001
  iex call GET /openapi.yaml
`

// runCall is "iex call".
func runCall(ctx context.Context, a *app, args []string) error {
	fs := a.newFlagSet("call", callUsage)
	var (
		api      apiFlags
		out      outputFlags
		query    queryFlag
		data     string
		key      string
		corr     string
		include  bool
		paginate bool
	)
	api.register(fs)
	out.register(fs)
	fs.Var(&query, "q", "query parameter key=value (repeatable; key may be filter[status] or filter[ids][])")
	fs.StringVar(&data, "d", "", "JSON body: the text itself, @FILE, or @- for stdin (sent byte for byte)")
	fs.StringVar(&key, "idempotency-key", "", "Idempotency-Key of a write (default: a generated one); reuse it to repeat a write safely")
	fs.StringVar(&corr, "correlation-id", "", "X-Correlation-Id, echoed in meta and in the webhook events the call causes")
	fs.BoolVar(&include, "include", false, "write the status line and the response headers before the body")
	fs.BoolVar(&include, "i", false, "short for --include")
	fs.BoolVar(&paginate, "paginate", false, "GET a list page after page (meta.pagination) and write each page's answer")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := fs.wantArgs(pos, "METHOD", "PATH"); err != nil {
		return err
	}
	req := client.RawRequest{Method: strings.ToUpper(pos[0])}
	if req.Path, req.Query, err = splitPathQuery(pos[1], a.basePath(&api)); err != nil {
		return err
	}
	for _, kv := range query {
		if req.Query == nil {
			req.Query = url.Values{}
		}
		req.Query.Add(kv[0], kv[1])
	}
	if data != "" {
		if req.Body, err = a.readData(data); err != nil {
			return err
		}
	}
	c, err := a.newClient(&api)
	if err != nil {
		return err
	}
	var opts []client.CallOption
	if key != "" {
		opts = append(opts, client.WithIdempotencyKey(key))
	}
	if corr != "" {
		opts = append(opts, client.WithCorrelationID(corr))
	}
	if paginate && req.Method != http.MethodGet {
		return usagef("call: --paginate is for GET lists")
	}
	for page := 1; ; page++ {
		resp, callErr := c.Call(ctx, req, opts...)
		if resp != nil {
			if include {
				writeHead(a.stdout, resp)
			}
			if err := writeBody(a.stdout, resp.Body, out.indent(a.stdout)); err != nil {
				return err
			}
		}
		if callErr != nil || !paginate || page >= maxPages {
			return callErr
		}
		if !nextPage(&req, resp.Meta.Pagination) {
			return nil
		}
	}
}

// maxPages bounds --paginate, against a server whose pagination never ends.
const maxPages = 10000

// nextPage points req at the page after p; false when p was the last.
func nextPage(req *client.RawRequest, p *client.Pagination) bool {
	if p == nil {
		return false
	}
	q := url.Values{}
	for k, v := range req.Query {
		q[k] = v
	}
	switch {
	case p.Mode == "cursor" || p.NextCursor != "":
		if !p.HasMore || p.NextCursor == "" {
			return false
		}
		q.Set("cursor", p.NextCursor)
	case p.CurrentPage > 0 && p.CurrentPage < p.LastPage:
		q.Set("page", strconv.Itoa(p.CurrentPage+1))
	default:
		return false
	}
	req.Query = q
	return true
}

// splitPathQuery splits PATH?QUERY. A path that repeats the base URL's
// path (/api/v3/...) is taken below it, since that is what users copy from
// logs.
func splitPathQuery(s, basePath string) (string, url.Values, error) {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return "", nil, usagef("call: PATH is the path below the base URL (/private/...), not a URL; the base URL comes from --base-url or $%s", client.EnvBaseURL)
	}
	path, rawQuery, _ := strings.Cut(s, "?")
	if basePath != "" && strings.HasPrefix(path, basePath+"/") {
		path = strings.TrimPrefix(path, basePath)
	}
	if rawQuery == "" {
		return path, nil, nil
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", nil, usagef("call: query %q: %v", rawQuery, err)
	}
	return path, q, nil
}

// writeHead writes the status line and the headers, sorted, as --include
// shows them.
func writeHead(w io.Writer, r *client.RawResponse) {
	fmt.Fprintf(w, "HTTP %d %s\n", r.StatusCode, http.StatusText(r.StatusCode))
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range r.Header[k] {
			fmt.Fprintf(w, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintln(w)
}
