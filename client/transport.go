package client

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/iexkit/exchanger-go/signer"
)

// errForeignHost stops a request that would carry credentials to a host
// other than the API's (it cannot happen while redirects are refused; this
// is the second lock on the door).
var errForeignHost = errors.New("client: request to a host other than the base URL's: credentials withheld")

// signingTransport sits under the retry loop, so it runs once per attempt:
// every attempt gets the current credentials, a fresh nonce, a current
// timestamp and its own signature.
type signingTransport struct {
	next http.RoundTripper
	c    *Client
}

// RoundTrip signs and sends one attempt.
func (t *signingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st, _ := ctx.Value(callStateKey{}).(*callState)
	if st == nil {
		// Not a call of this client (someone reused its *http.Client):
		// send it as is, without credentials.
		return t.next.RoundTrip(req)
	}
	c := t.c
	if req.URL.Scheme != c.base.Scheme || req.URL.Host != c.base.Host {
		closeBody(req)
		return nil, errForeignHost
	}
	if !st.cl.public {
		// Public operations carry no key: they do not count against its window.
		ep, err := c.pace(ctx, st)
		if err != nil {
			closeBody(req)
			return nil, err
		}
		st.paceHeld, st.paceEpoch = true, ep
	}
	// The request is this attempt's own (attemptRequest builds one per
	// attempt, with room for these headers): it is completed in place, and
	// an earlier attempt that net/http may still be writing is not touched.
	r := req
	vals := st.spare
	if len(vals) < 4 {
		vals = make([]string, 4)
	}
	st.attempts++
	if !st.cl.public {
		cr, mac, err := st.credentials(ctx)
		if err != nil {
			closeBody(req)
			st.fatal = err
			return nil, err
		}
		st.used = cr
		if cr.Token != "" {
			vals[0] = st.keys.authorization(cr)
			r.Header["Authorization"] = vals[0:1:1]
		}
		if mac != nil {
			st.offset = c.clock.Offset()
			ts := strconv.FormatInt(c.now().Add(st.offset).Unix(), 10)
			p := signer.Payload{
				Method:     r.Method,
				Path:       r.URL.EscapedPath(),
				RawQuery:   r.URL.RawQuery,
				BodySHA256: st.bodySHA256(),
				Timestamp:  ts,
				Nonce:      c.ids.newString(),
			}
			vals[1], vals[2], vals[3] = p.Timestamp, p.Nonce, mac.Sign(p)
			r.Header[signer.HeaderTimestamp] = vals[1:2:2]
			r.Header[signer.HeaderNonce] = vals[2:3:3]
			r.Header[signer.HeaderSignature] = vals[3:4:4]
			st.payload, st.signed = p, true
			forbidTransportResend(r)
		}
	}
	wrote := st.wrote // attemptRequest traced a write attempt
	resp, err := t.next.RoundTrip(r)
	if err != nil && wrote != nil && wrote.Load() {
		st.unknown = true
	}
	return resp, err
}

// forbidTransportResend makes a signed request non-replayable to net/http.
// The Transport resends a request by itself when a reused keep-alive
// connection dies before the answer and the request looks replayable (a
// GET, or an Idempotency-Key header, with no body or a GetBody). That resend
// would carry this attempt's nonce again and be refused as signature_replay;
// the retry loop above must make that decision and sign afresh. A body the
// Transport cannot get again makes the request non-replayable.
//
// An empty body stands in for a missing one. Its length is 0, which net/http
// reads as "unknown" for a non-nil body; left at that, the Transport probes
// such a body of a GET, HEAD, DELETE or OPTIONS on every attempt, with a
// goroutine and a timer, to learn that it is empty (a tenth of a GET's
// round trip in BENCHMARKS.md), and then sends no body. For these methods,
// TransferEncoding "identity" (net/http's documented way to send a body as
// it is, without chunking) sends the same nothing on the wire (no
// Content-Length, no Transfer-Encoding, no bytes) with no probe. Other
// methods (a POST without a body) are not probed and keep their wire form,
// an empty chunked body. HTTP/2 does not read the field.
func forbidTransportResend(r *http.Request) {
	r.GetBody = nil
	if r.Body == nil || r.Body == http.NoBody {
		r.Body = emptyBody{}
		r.ContentLength = 0
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodDelete, http.MethodOptions:
			r.TransferEncoding = identityEncoding
		}
	}
}

// identityEncoding is shared by all requests; net/http only reads it.
var identityEncoding = []string{"identity"}

// emptyBody is an empty request body that is not http.NoBody.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// WriteTo writes nothing. Without it, copying the body to the connection
// goes through the connection's ReadFrom, which allocates a 32 KiB buffer
// to copy these zero bytes.
func (emptyBody) WriteTo(io.Writer) (int64, error) { return 0, nil }

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// lazyUpload opens an upload body on its first Read, so that an attempt
// that is never sent (refused by the pacer, a foreign host, failed
// credentials) opens nothing.
type lazyUpload struct {
	st *callState
	rc io.ReadCloser
}

// Read opens the upload on first use.
func (l *lazyUpload) Read(p []byte) (int, error) {
	if l.rc == nil {
		rc, err := l.st.openUpload()
		if err != nil {
			return 0, err
		}
		l.rc = rc
	}
	return l.rc.Read(p)
}

// Close closes the upload if it was opened.
func (l *lazyUpload) Close() error {
	if l.rc == nil {
		return nil
	}
	return l.rc.Close()
}
