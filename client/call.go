package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// call describes one invocation of one API operation. Operation methods
// (one file per API area) fill it in and hand it to (*Client).do, which owns
// the pipeline: marshalling, idempotency keys, signing, retries, envelope
// decoding and errors.
type call struct {
	method string     // HTTP method
	path   string     // path below the base URL, each segment already escaped: "/private/exchange/orders/" + url.PathEscape(id)
	query  url.Values // query parameters, nil for none (filter[x], filter[x][] ...)
	body   any        // JSON request body, marshalled once per call; nil for none

	// upload, when set, replaces body: a streamed (multipart) body.
	upload *uploadBody

	scope  string // scope the operation needs (openapi.yaml security), "" for public
	public bool   // the operation needs no token (/ping, /public/*)

	// idempotent marks a write that takes an Idempotency-Key (openapi.yaml
	// lists it): the pipeline sends the caller's key or generates one, the same
	// on every attempt, and may retry it.
	idempotent bool
	// safe marks a POST without side effects (quotes, preflight) that may be
	// retried without a key. GET and HEAD are always safe.
	safe bool
	raw  string // not an envelope but a document of this media type (openapi.yaml, rates.xml): sent as Accept; do stores the size-bounded body in out, a *[]byte
}

// uploadBody is a body streamed from a source that can be reopened for each
// attempt, with its hash computed beforehand.
type uploadBody struct {
	contentType string                        // multipart/form-data; boundary=...
	open        func() (io.ReadCloser, error) // a fresh body for every attempt
	oneShot     bool                          // open may be called once only: never retry once the body was sent
	fileSHA256  string                        // hex SHA-256 of the file: X-Api-File-Sha256 and the signed body hash
	length      int64                         // body length if known, else -1
}

// do runs c through the pipeline and decodes the envelope's result into out
// (a pointer, or nil to discard it). The returned Response is non-nil
// whenever a response was received.
//
// PLACEHOLDER: a minimal version; the full pipeline replaces it.
func (c *Client) do(ctx context.Context, cl *call, out any, opts []CallOption) (*Response, error) {
	u := *c.base
	u.Path = c.base.Path + cl.path
	u.RawPath = c.base.EscapedPath() + cl.path
	if cl.query != nil {
		u.RawQuery = cl.query.Encode()
	}
	var body io.Reader
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env struct {
		State   int             `json:"state"`
		Message string          `json:"message"`
		Result  json.RawMessage `json:"result"`
		Meta    ResponseMeta    `json:"meta"`
		Error   *struct {
			Code    string          `json:"code"`
			Details json.RawMessage `json:"details"`
		} `json:"error"`
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	r := &Response{StatusCode: resp.StatusCode, Header: resp.Header}
	if err := json.Unmarshal(data, &env); err != nil {
		return r, fmt.Errorf("client: decode %s %s: %w", cl.method, cl.path, err)
	}
	r.Meta = env.Meta
	if env.State != 0 || resp.StatusCode >= 300 {
		e := &APIError{StatusCode: resp.StatusCode, Message: env.Message, RequestID: env.Meta.RequestID}
		if env.Error != nil {
			e.Code = env.Error.Code
		}
		return r, e
	}
	if out != nil && len(env.Result) > 0 && string(env.Result) != "null" {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return r, fmt.Errorf("client: decode result of %s %s: %w", cl.method, cl.path, err)
		}
	}
	return r, nil
}
