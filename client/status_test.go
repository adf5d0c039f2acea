package client

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

func TestOrderStatusDecodesEveryShape(t *testing.T) {
	cases := []struct {
		name, in string
		want     OrderStatus
	}{
		{"prose string", `"created"`, OrderStatus{Key: "created"}},
		{"openapi object", `{"id":3,"key":"paid","name":"Paid","is_final":false,"is_payment_flow":true,"is_problem":false}`,
			OrderStatus{ID: 3, Key: "paid", Name: "Paid", IsPaymentFlow: true}},
		{"status endpoint", `{"order":{"tracking_id":"TR-1","status":"completed","status_label":"Completed","is_final":true}}`,
			OrderStatus{Key: "completed", Name: "Completed", IsFinal: true, TrackingID: "TR-1"}},
		{"status endpoint, status object", `{"order":{"tracking_id":"TR-2","status":{"id":9,"key":"error","name":"Error","is_problem":true},"is_final":true}}`,
			OrderStatus{ID: 9, Key: "error", Name: "Error", IsFinal: true, IsProblem: true, TrackingID: "TR-2"}},
		{"unwrapped compact", `{"tracking_id":"TR-3","status":"new","status_label":"New","is_final":false,"extra":[1,2]}`,
			OrderStatus{Key: "new", Name: "New", TrackingID: "TR-3"}},
		{"string id", `{"id":"7","key":"x"}`, OrderStatus{ID: 7, Key: "x"}},
		{"null", `null`, OrderStatus{}},
		{"whole order", `{"id":42,"public_id":"P","status":{"id":3,"key":"paid","name":"Paid"}}`, OrderStatus{ID: 3, Key: "paid", Name: "Paid"}},
	}
	for _, tc := range cases {
		var got OrderStatus
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestOrderStatusInsideOrder(t *testing.T) {
	for _, in := range []string{`{"id":1,"status":"paid"}`, `{"id":1,"status":{"key":"paid","is_final":false}}`} {
		var o Order
		if err := json.Unmarshal([]byte(in), &o); err != nil {
			t.Fatal(err)
		}
		if o.Status.Key != "paid" {
			t.Errorf("%s: status key %q", in, o.Status.Key)
		}
	}
}

func TestOrderStatusRejectsBadShapes(t *testing.T) {
	for _, in := range []string{`12`, `[1]`, `true`, `{"status":{"status":{"status":{"status":{"status":{"status":"x"}}}}}}`} {
		var s OrderStatus
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s: no error, got %+v", in, s)
		}
	}
}

func TestDecodeStatusListShapes(t *testing.T) {
	cases := map[string][]OrderStatus{
		`[{"id":2,"key":"paid","name":"Paid"},"created"]`:             {{ID: 2, Key: "paid", Name: "Paid"}, {Key: "created"}},
		`{"statuses":[{"key":"new","is_final":false}]}`:               {{Key: "new"}},
		`{"paid":"Paid","completed":{"name":"Done","is_final":true}}`: {{Key: "completed", Name: "Done", IsFinal: true}, {Key: "paid", Name: "Paid"}},
	}
	for in, want := range cases {
		got, err := decodeStatusList(json.RawMessage(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: got %+v", in, got)
			continue
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s [%d]: got %+v, want %+v", in, i, got[i], want[i])
			}
		}
	}
}

func TestEmptyArraysBecomeNull(t *testing.T) {
	cases := map[string]string{
		`{"a":[],"b":[ ],"c":[1],"d":"[]","e":"x\"[]","f":[[]]}`: `{"a":null,"b":null,"c":[1],"d":"[]","e":"x\"[]","f":[null]}`,
		`[]`:         `null`,
		`{"a":"\\"}`: `{"a":"\\"}`,
		`[`:          `[`,
	}
	for in, want := range cases {
		if got := string(emptyArraysToNull([]byte(in))); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
	same := []byte(`{"a":[1]}`)
	if got := emptyArraysToNull(same); &got[0] != &same[0] {
		t.Error("input without empty arrays was copied")
	}
}

// PHP encodes empty objects as []; typed results must still decode.
func TestPHPEmptyObjectsDecode(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, rawJSON(`[{"id":1,"name":"USDT","form":[],"notices":[],"sorting":[],"payment":[],"routes":{"give_to":[]}}]`), nil)
	})
	var got []PaymentSystem
	for ps, err := range c.PaymentSystems(context.Background(), PaymentSystemListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ps)
	}
	if len(got) != 1 || got[0].Name != "USDT" || got[0].Form != nil {
		t.Fatalf("payment systems = %+v", got)
	}
	_, c2 := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, rawJSON(`{"order":{"id":5,"amounts":[],"currencies":[],"flags":[],"status":"paid"}}`), nil)
	})
	o, err := c2.Order(context.Background(), "5")
	if err != nil || o.ID != 5 || o.Status.Key != "paid" {
		t.Fatalf("order %+v, %v", o, err)
	}
}
