package client

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDecimalKeepsExactDigits(t *testing.T) {
	cases := map[string]Decimal{
		`"100.50"`:                             "100.50",
		`100.50`:                               "100.50", // a JSON number keeps its trailing zero
		`0.1000000000000000055511151231257827`: "0.1000000000000000055511151231257827",
		`"12345678901234567890.123456789"`:     "12345678901234567890.123456789",
		`1e-8`:                                 "1e-8",
		`null`:                                 "",
		`-3`:                                   "-3",
	}
	for in, want := range cases {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if d != want {
			t.Errorf("%s: got %q, want %q", in, d, want)
		}
	}
}

func TestDecimalRejectsNonScalars(t *testing.T) {
	for _, in := range []string{`{}`, `[1]`, `true`} {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); !errors.Is(err, ErrNotDecimal) {
			t.Errorf("%s: err = %v, want ErrNotDecimal", in, err)
		}
	}
}

func TestDecimalInStructAndMarshal(t *testing.T) {
	var v struct {
		A Decimal `json:"a"`
		B Decimal `json:"b"`
	}
	if err := json.Unmarshal([]byte(`{"a":99.990,"b":"0.00000001"}`), &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":"99.990","b":"0.00000001"}` {
		t.Fatalf("marshal = %s", out)
	}
}

func TestDecimalValid(t *testing.T) {
	for s, want := range map[Decimal]bool{"1": true, "-1.5": true, "1.": true, ".5": true, "2E+3": true, "": false, "1,5": false, "abc": false, "1e": false, "-": false} {
		if got := s.Valid(); got != want {
			t.Errorf("%q.Valid() = %v, want %v", s, got, want)
		}
	}
}
