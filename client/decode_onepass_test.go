package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"
)

// generalOnly hides resultInto's onePass method: decodeFinal then takes
// the general path (resultInto.UnmarshalJSON) for it.
type generalOnly struct {
	json.Unmarshaler
	resultDecoder
}

// decodeBoth decodes body as a 200 answer of a call for T under key, once
// as the client does (one pass when it can) and once on the general path
// only, and fails t when the two differ in result, Response or error.
func decodeBoth[T any](t *testing.T, c *Client, body []byte, key string) (onePass bool) {
	t.Helper()
	run := func(general bool) (*T, *Response, error) {
		res := &resultInto[T]{key: key, out: new(T)}
		var out any = res
		if general {
			out = &generalOnly{res, res}
		}
		resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
		st := &callState{c: c, cl: statusCall("1"), attempts: 1}
		r, err := st.finish(context.Background(), resp, out)
		return res.out, r, err
	}
	got, gr, gerr := run(false)
	want, wr, werr := run(true)
	if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("body %q key %q: one pass error %v, general path error %v", body, key, gerr, werr)
	}
	if gerr != nil {
		return false
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q key %q:\none pass %+v\ngeneral  %+v", body, key, got, want)
	}
	if gr.Message != wr.Message || !reflect.DeepEqual(gr.Meta, wr.Meta) || gr.RequestID != wr.RequestID || gr.CorrelationID != wr.CorrelationID {
		t.Fatalf("body %q key %q: Response one pass %+v, general %+v", body, key, gr, wr)
	}
	_, ok := (&resultInto[T]{key: key, out: new(T)}).onePass(body)
	return ok
}

// FuzzOnePassMatchesGeneral: an answer decoded in one pass gives the same
// result, Response and error as the general path, whatever the bytes, for
// a wrapped result type (Order under "order") and one that reads its
// wrappers itself (OrderStatus).
func FuzzOnePassMatchesGeneral(f *testing.F) {
	for _, s := range []string{
		benchOrderBody, benchStatusBody,
		`{"state":0,"result":{"id":7,"status":"paid"},"meta":{}}`,
		`{"state":0,"result":{"order":{"id":7,"direction":[]}}}`,
		`{"state":0,"result":{"order":{"id":7,"direction":{"a":[ ],"b":"[]"}}}}`,
		`{"state":0,"result":{"order":{"id":7}},"result":{"order":{"id":8}}}`,
		`{"state":0,"result":{"Order":{"id":7}}}`,
		`{"state":0,"result":{"order":{"id":7},"ORDER":{"id":9}}}`,
		`{"state":0,"result":{"order":null,"id":3}}`,
		`{"state":0,"result":{"order":{"id":"x"}}}`,
		`{"state":0,"result":null}`, `{"state":0,"result":"paid"}`, `{"state":0}`,
		`{"state":1,"result":{"order":{"id":7}},"error":{"code":"x"}}`,
		`{"state":"0","result":{"order":{"id":7}}}`,
		`{"state":0,"result":{"order":{"id":7}}`, `{"state":0,"result":{"order":{"id":7}}} x`,
		`{"state":0,"result":{"ord\u0065r":{"id":7}}}`,
		`{"state":0,"result":{"order":{"id":7,"public_id":"a\"]}"}},"meta":{"request_id":"r"}}`,
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
			decodeBoth[OrderStatus](t, c, body, "")
		} else {
			decodeBoth[Order](t, c, body, "order")
		}
	})
}

// The benchmark's answers, the wrapped order and the status, take the one
// pass: a change that sent them back to the general path would fail here.
func TestOnePassTakesTheCommonAnswers(t *testing.T) {
	c, err := New("https://exchanger.example/api/v3", WithToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	if !decodeBoth[Order](t, c, []byte(benchOrderBody), "order") {
		t.Error("a wrapped order took the general path")
	}
	if !decodeBoth[Order](t, c, []byte(`{"state":0,"result":{"id":42,"public_id":"P"},"meta":{}}`), "order") {
		t.Error("a bare order took the general path")
	}
	if !decodeBoth[OrderStatus](t, c, []byte(benchStatusBody), "") {
		t.Error("a status took the general path")
	}
}
