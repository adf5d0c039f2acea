package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// drainLimit is how much of an answer that is retried is read before its
// connection is given back: enough for an error envelope, so the
// connection can be reused, not so much that a huge answer is read only to
// be thrown away.
const drainLimit = 4 << 10

// send is the retry loop: it sends attempts of the call until checkRetry
// declines one, or the attempts allowed run out, waiting between them
// what checkRetry decided. It returns the last answer, whatever its
// status, or the last transport error when there was no answer; a
// cancelled context during a wait ends it with the context's error.
//
// Each attempt is a request of its own (attemptRequest), with its own
// header map and body reader, that the signing transport completes in
// place: an earlier attempt that net/http may still be writing is never
// touched, and no attempt is copied.
func (st *callState) send(ctx context.Context, u *url.URL) (*http.Response, error) {
	c := st.c
	for i := 0; ; i++ {
		resp, err := c.roundTrip(st.attemptRequest(ctx, u))
		// The signature retries (clock skew, replay, rotation) come on top
		// of MaxAttempts; checkRetry enforces MaxAttempts itself.
		if !st.checkRetry(ctx, resp, err) || i > c.retry.MaxAttempts {
			if resp != nil {
				return resp, nil // its error envelope reaches the caller
			}
			return nil, err
		}
		if resp != nil {
			// Read what is left of the answer so its connection is reused.
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
			_ = resp.Body.Close()
		}
		if err := sleepCtx(ctx, st.wait); err != nil {
			return nil, err
		}
	}
}

// roundTrip sends one attempt. The http.Client around the signing
// transport adds nothing to the SDK's requests when it has no cookie jar
// and no timeout (redirects it refuses in any case, returning the 3xx as
// it came): the attempt then goes to the transport directly, which spares
// the copies http.Client makes of every request's headers and URL for
// redirects it will never follow. With a jar or a timeout the client
// sends it.
func (c *Client) roundTrip(req *http.Request) (*http.Response, error) {
	if !c.direct {
		return c.hc.Do(req)
	}
	resp, err := c.hc.Transport.RoundTrip(req)
	switch {
	case err != nil:
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close() // a response beside an error is not used (as http.Client does)
		}
		return nil, err
	case resp == nil:
		return nil, errNoResponse
	case resp.Body == nil:
		resp.Body = http.NoBody // as http.Client does for a transport that sets none
	}
	return resp, nil
}

// errNoResponse: a transport under the client returned neither a response
// nor an error.
var errNoResponse = errors.New("client: the HTTP transport returned no response and no error")

// sleepCtx waits d, or until ctx ends (its error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attemptRequest builds one attempt's request: the call's URL, the
// headers every attempt shares, and a fresh body. The signing transport
// adds the credentials, the timestamp, the nonce and the signature.
func (st *callState) attemptRequest(ctx context.Context, u *url.URL) *http.Request {
	n := st.headerCount()
	r := http.Request{
		Method:     st.cl.method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header, n),
		Host:       u.Host,
	}
	// One backing array for all header values, the signing transport's
	// included (st.spare): a header costs no allocation of its own.
	vals := st.setHeaders(r.Header, make([]string, 0, n))
	st.spare = vals[len(vals):cap(vals)]
	st.wrote = nil
	if st.isWrite() {
		// Learn whether this attempt reached the wire, to tell "not sent"
		// from "outcome unknown" when it fails.
		w := new(wroteHeaders)
		w.trace.WroteHeaders = w.set
		ctx = withClientTrace(ctx, &w.trace)
		st.wrote = &w.flag
	}
	switch {
	case st.cl.upload != nil:
		r.Body = &lazyUpload{st: st}
		r.ContentLength = max(st.cl.upload.length, 0) // 0: unknown, sent chunked
	case st.body != nil:
		// No GetBody: net/http must not resend an attempt by itself (a
		// signed one would repeat its nonce); the loop decides. The body
		// is a *bytes.Reader in io.NopCloser because net/http knows that
		// pair as in memory and writes the headers and the body in one
		// go; any other reader makes it flush the headers first, which
		// costs a write on this side and a read on the server's for every
		// request (TestRequestLeavesInOneWrite).
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(st.body)), int64(len(st.body))
		if len(st.body) == 0 {
			r.Body = http.NoBody
		}
	}
	return r.WithContext(ctx)
}

// wroteHeaders is one write attempt's trace: flag is set once its headers
// were written to a connection.
type wroteHeaders struct {
	flag  atomic.Bool
	trace httptrace.ClientTrace
}

func (w *wroteHeaders) set() { w.flag.Store(true) }

// headerCount is how many headers an attempt carries at most: those
// setHeaders sets and the four the signing transport adds.
func (st *callState) headerCount() int {
	n := 2 + 4 // Accept, User-Agent; Authorization, the three signing headers
	switch {
	case st.cl.upload != nil:
		n += 2
	case st.body != nil:
		n++
	}
	if st.idemKey != "" {
		n++
	}
	if st.cfg.correlationID != "" {
		n++
	}
	return n
}

// requestURL is the URL of the call: base URL, escaped path, encoded
// query. It is built from its parts rather than parsed from a string when
// the path holds only bytes that need no escaping (the common case: the
// parser would find the same URL).
func (c *Client) requestURL(cl *call) (*url.URL, error) {
	path := c.basePath + cl.path
	u := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host}
	if plainPath(path) {
		u.Path = path
	} else {
		// Escapes or bytes an escaped path keeps as they are: the parser
		// sets Path and RawPath as it always did.
		p, err := url.Parse(path)
		if err != nil {
			return nil, err
		}
		u.Path, u.RawPath = p.Path, p.RawPath
	}
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}
	return u, nil
}

// plainPath reports whether an escaped path is made only of bytes that
// stand for themselves in a path: letters, digits, "-._~" and the
// separators net/url leaves unescaped in a path ("$&+,/:;=@"). Such a path
// is its own unescaped form, and url.URL.EscapedPath gives it back as is.
func plainPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == '~':
		case c == '$' || c == '&' || c == '+' || c == ',' || c == '/' || c == ':' || c == ';' || c == '=' || c == '@':
		default:
			return false
		}
	}
	return true
}
