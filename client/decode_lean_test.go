package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// decodeLeanAndFull decodes body as a 200 answer with a Date header of a
// call for T under key, once as an operation method does (no WithResponse:
// the lean envelope when it can) and once with WithResponse (message and
// meta decoded), and fails t when the two differ. The one difference
// allowed: the lean decoding does not read meta or message, so a success
// whose meta or message has the wrong type is refused only by the full one.
func decodeLeanAndFull[T any](t *testing.T, c *Client, body []byte, key string) (lean bool) {
	t.Helper()
	run := func(full bool) (*T, error, bool) {
		res := &resultInto[T]{key: key, out: new(T)}
		resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
		st := &callState{c: c, cl: statusCall("1"), attempts: 1, sawDate: true}
		if full {
			st.cfg.response = new(Response)
		}
		taken := st.leanSuccess(res)
		_, err := st.finish(context.Background(), resp, res)
		return res.out, err, taken
	}
	got, gerr, lean := run(false)
	want, werr, fullLean := run(true)
	if !lean || fullLean {
		t.Fatalf("leanSuccess: %v without WithResponse, %v with it", lean, fullLean)
	}
	if gerr == nil && werr != nil {
		var se *json.UnmarshalTypeError
		if errors.As(werr, &se) && (se.Field == "message" || strings.HasPrefix(se.Field, "meta")) {
			return true
		}
	}
	if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("body %q key %q: lean error %v, full error %v", body, key, gerr, werr)
	}
	if gerr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q key %q:\nlean %+v\nfull %+v", body, key, got, want)
	}
	return true
}

// FuzzLeanMatchesFull: an operation method's success decoded without its
// message and meta gives the same result and error as the full decoding,
// whatever the bytes (but a malformed meta or message, see above).
func FuzzLeanMatchesFull(f *testing.F) {
	for _, s := range []string{
		benchOrderBody, benchStatusBody,
		`{"state":0,"result":{"id":7,"status":"paid"},"meta":{}}`,
		`{"state":0,"message":5,"result":{"order":{"id":7}}}`,
		`{"state":0,"result":{"order":{"id":7}},"meta":{"request_id":7}}`,
		`{"state":0,"result":{"order":{"id":7}},"meta":"x"}`,
		`{"state":0,"result":{"order":{"id":7}},"meta":{"pagination":{"total":"x"}}}`,
		`{"state":0,"result":{"order":{"id":7}},"meta":{x}}`,
		`{"state":0,"result":{"order":{"id":7}},"meta":{"request_id":"r"},"meta":null}`,
		`{"state":0,"result":{"order":{"id":"x"}},"meta":{}}`,
		`{"state":0,"result":{"order":{"id":7,"direction":[]}}}`,
		`{"state":1,"message":"no","result":{"order":{"id":7}},"error":{"code":"x"}}`,
		`{"state":0,"result":{"order":{"id":7}}} x`, `{"state":0}`, `null`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	c, err := New("https://exchanger.example/api/v3", WithToken(testToken), WithHMACSecret(testSecret))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, status bool) {
		if status {
			decodeLeanAndFull[OrderStatus](t, c, body, "")
		} else {
			decodeLeanAndFull[Order](t, c, body, "order")
		}
	})
}

// The lean decoding is what CreateOrder takes for the benchmark's answer,
// and it gives the order the full decoding gives; WithResponse still gets
// the meta, and a success without a Date header is decoded in full, so
// meta.timestamp still sets the clock (TestMetaTimestamp... in clock tests).
func TestLeanSuccessTakenAndEqual(t *testing.T) {
	c, err := New("https://exchanger.example/api/v3", WithToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	decodeLeanAndFull[Order](t, c, []byte(benchOrderBody), "order")
	res := &resultInto[Order]{key: "order", out: new(Order)}
	if st := (&callState{c: c, cl: statusCall("1")}); st.leanSuccess(res) {
		t.Error("an answer without a Date header took the lean decoding: meta.timestamp would not reach the clock")
	}

	body := []byte(benchOrderBody)
	var r Response
	st := &callState{c: c, cl: statusCall("1"), attempts: 1, sawDate: true}
	st.cfg.response = &r
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
	if _, err := st.finish(context.Background(), resp, res); err != nil {
		t.Fatal(err)
	}
	if r.Meta.RequestID != "req-bench" || r.Message != "OK" || res.out.ID != 42 {
		t.Errorf("WithResponse: meta %+v, message %q, order %d", r.Meta, r.Message, res.out.ID)
	}
}
