package client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzRequestURL: the URL a call is sent to, built from its parts, is the
// one net/url parses from the base URL and the escaped path (as the client
// built it before), for escaped ids and for paths written by hand.
func FuzzRequestURL(f *testing.F) {
	for _, s := range []string{"T-1001", "a b", "x/y", "%zz", "ü", "a;b,c", "(!)", "..", "", "a+b=c@d:e$f&g"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	c, err := New("https://api.example/prefix/api/v3", WithToken(testToken))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, seg string, raw bool) {
		p := "/private/exchange/orders/" + url.PathEscape(seg) + "/status"
		if raw {
			if strings.ContainsAny(seg, "?#") {
				return // never in an escaped path: they would end it
			}
			p = "/private/" + seg
		}
		cl := &call{method: "GET", path: p, query: url.Values{"filter[status][]": {seg}}}
		want, werr := url.Parse(c.baseURL + p + "?" + cl.query.Encode())
		got, gerr := c.requestURL(cl)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("path %q: parse error %v, requestURL error %v", p, werr, gerr)
		}
		if werr != nil {
			return
		}
		if got.String() != want.String() || got.EscapedPath() != want.EscapedPath() || got.Path != want.Path ||
			got.RawPath != want.RawPath || got.RawQuery != want.RawQuery || got.Host != want.Host || got.Scheme != want.Scheme {
			t.Fatalf("path %q:\n got  %#v\n want %#v", p, got, want)
		}
	})
}

// rtFunc is a RoundTripper from a function.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Attempts skip http.Client only where it would add nothing: a transport
// that answers without a body, or with nothing at all, is handled as
// http.Client handles it; a client with a cookie jar or a timeout still
// sends through it.
func TestRoundTripDirect(t *testing.T) {
	ctx := context.Background()
	newClient := func(hc *http.Client) *Client {
		c, err := New("http://api.example/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithInsecureHTTP(), WithHTTPClient(hc))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	noBody := newClient(&http.Client{Transport: rtFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Header: http.Header{}, Request: r}, nil
	})})
	if !noBody.direct {
		t.Fatal("a plain http.Client does not take the direct path")
	}
	if _, err := noBody.OrderStatus(ctx, "T-1"); !errors.As(err, new(*ResponseError)) {
		t.Errorf("answer without a body: %v, want a *ResponseError", err)
	}

	nothing := newClient(&http.Client{Transport: rtFunc(func(*http.Request) (*http.Response, error) { return nil, nil })})
	if _, err := nothing.OrderStatus(ctx, "T-1", WithResponse(new(Response))); !errors.Is(err, errNoResponse) {
		t.Errorf("no answer and no error: %v, want errNoResponse", err)
	}

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://api.example/")
	jar.SetCookies(u, []*http.Cookie{{Name: "lb", Value: "node-2"}})
	var cookie string
	withJar := newClient(&http.Client{Jar: jar, Transport: rtFunc(func(r *http.Request) (*http.Response, error) {
		cookie = r.Header.Get("Cookie")
		return cannedTransport{}.RoundTrip(r)
	})})
	if withJar.direct {
		t.Fatal("a client with a cookie jar takes the direct path")
	}
	if _, err := withJar.OrderStatus(ctx, "T-1001"); err != nil || cookie != "lb=node-2" {
		t.Errorf("with a jar: %v, cookie %q", err, cookie)
	}
	if newClient(&http.Client{Timeout: time.Minute, Transport: cannedTransport{}}).direct {
		t.Error("a client with a timeout takes the direct path")
	}
}

// writeCounter counts the writes to a connection.
type writeCounter struct {
	net.Conn
	n *atomic.Int64
}

func (w writeCounter) Write(p []byte) (int, error) { w.n.Add(1); return w.Conn.Write(p) }

// A request with a JSON body leaves in one write, headers and body
// together: net/http flushes the headers on their own unless it knows the
// body is in memory, which would cost a write here and a read on the
// server for every call.
func TestRequestLeavesInOneWrite(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(201)
		io.WriteString(w, benchOrderBody)
	}))
	defer srv.Close()
	var writes atomic.Int64
	tr := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		return writeCounter{c, &writes}, err
	}
	defer tr.CloseIdleConnections()
	c, err := New(srv.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		writes.Store(0)
		if _, err := c.CreateOrder(context.Background(), benchOrderParams); err != nil {
			t.Fatal(err)
		}
		if n := writes.Load(); n != 1 {
			t.Fatalf("call %d: the request took %d writes, want 1", i, n)
		}
	}
}
