package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// RawRequest is one request to any operation of the API, described by hand:
// what Call sends. It is the escape hatch for operations without a method
// yet, and for tools that let a person type the request (cmd/iex call).
// Unlike the typed methods, it is not checked against the operation's
// contract (required fields, enums, formats): it is sent as written, so
// that the server's own answer to any request can be seen.
type RawRequest struct {
	Method string // GET, POST, PUT, PATCH, DELETE or HEAD
	// Path is the path below the base URL, escaped as it is to be sent:
	// "/private/exchange/orders/ORD-1". It must start with "/" and hold no
	// query, fragment, control characters, spaces, or "." and ".." segments.
	Path  string
	Query url.Values // sent as Query.Encode(); nil for none
	// Body is sent as it is, with Content-Type: application/json; nil for
	// no body. It is not checked against the operation's contract.
	Body []byte
}

// RawResponse is the answer to Call: the body exactly as received, with the
// metadata every call reports.
type RawResponse struct {
	Response
	Body []byte // the whole body: the JSON envelope, or the document (YAML, XML)
}

// Errors Call reports before anything is sent.
var (
	// ErrInvalidRawRequest: a RawRequest with an unknown method or a path
	// Call refuses to send.
	ErrInvalidRawRequest = errors.New("client: invalid raw request")
)

// Call sends r through the client's pipeline, as the typed methods do: the
// token on private paths (those below /private/), an HMAC signature on
// every attempt, an Idempotency-Key on every write (the caller's, from
// WithIdempotencyKey, or a generated one, the same on every attempt), the
// retry rules, rate-limit pacing and the size bound on the answer.
//
// Every write of the API v3 takes an Idempotency-Key (docs/api.md 6), so
// Call treats POST, PUT, PATCH and DELETE as writes that may be repeated
// with their key; the two POSTs without side effects (quotes, preflight)
// are repeated without one.
//
// The answer's body is returned whole. A 2xx answer that is not a JSON
// envelope (openapi.yaml, rates.xml) is a success. Error answers give the
// same *APIError, *ResponseError or *RequestError as the typed methods, and
// the RawResponse as well whenever an answer arrived, so its body can be
// shown.
func (c *Client) Call(ctx context.Context, r RawRequest, opts ...CallOption) (*RawResponse, error) {
	method := strings.ToUpper(r.Method)
	if err := checkRawRequest(method, r.Path); err != nil {
		return nil, err
	}
	cl := &call{method: method, path: r.Path, query: r.Query, whole: true}
	cl.public = !strings.HasPrefix(r.Path, "/private/")
	switch method {
	case http.MethodGet, http.MethodHead:
	default:
		switch r.Path {
		case "/private/exchange/quotes", "/private/exchange/orders/preflight":
			cl.safe = true
		default:
			cl.idempotent = true
		}
	}
	if r.Body != nil {
		if !json.Valid(r.Body) {
			return nil, fmt.Errorf("%w: %s %s: the body is not valid JSON", ErrInvalidRawRequest, method, r.Path)
		}
		cl.body = verbatimJSON(r.Body)
	}
	var body []byte
	resp, err := c.do(ctx, cl, &body, opts)
	if resp == nil {
		return nil, err
	}
	return &RawResponse{Response: *resp, Body: body}, err
}

// verbatimJSON is a request body sent byte for byte (json.Marshal would
// compact a json.RawMessage).
type verbatimJSON []byte

// checkRawRequest refuses what no operation of the API looks like, so that a
// typo never reaches a proxy that would resolve it elsewhere.
func checkRawRequest(method, path string) error {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return fmt.Errorf("%w: method %q (want GET, HEAD, POST, PUT, PATCH or DELETE)", ErrInvalidRawRequest, method)
	}
	if !strings.HasPrefix(path, "/") {
		return fmt.Errorf("%w: path %q must start with /", ErrInvalidRawRequest, path)
	}
	for i := 0; i < len(path); i++ {
		if c := path[i]; c <= ' ' || c == 0x7f || c == '?' || c == '#' {
			return fmt.Errorf("%w: path %q holds %q (put the query in Query)", ErrInvalidRawRequest, path, c)
		}
	}
	if _, err := url.PathUnescape(path); err != nil {
		return fmt.Errorf("%w: path %q: %v", ErrInvalidRawRequest, path, err)
	}
	for _, seg := range strings.Split(path[1:], "/") {
		if u, _ := url.PathUnescape(seg); u == "." || u == ".." {
			return fmt.Errorf("%w: path %q has a %q segment", ErrInvalidRawRequest, path, u)
		}
	}
	return nil
}
