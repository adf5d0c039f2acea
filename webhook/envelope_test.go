package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/internal/benchratio"
)

var envelopeInputs = []string{
	`{}`, ` { } `, `{"id":"a","type":"b","created_at":"c","data":{"x":[1,2.5,-0,1e9,true,false,null,"s"]}}`,
	`{"data":"\"quoted\" \\ \/ \b\f\n\r\t \u00e9"}`, `{"id":"e\u0301vt"}`, `{"id":42,"data":null}`,
	`{"a":{"b":{"c":[[[]]]}}}`, `{"k":"é漢字"}`, `{"n":0.0e+0}`, `{"n":-1E-2}`,
	``, ` `, `{`, `}`, `[]`, `"s"`, `1`, `null`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{"a":1 "b":2}`,
	`{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":-}`, `{"a":+1}`, `{"a":tru}`, `{"a":nul}`,
	"{\"a\":\"tab\there\"}", "{\"a\":\"nul\x00\"}", `{"long":"0123456789abcdef0123456789abcdef\"quoted\" and \\ more text here"}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`, `{"a":"abc}`, `{"a":"abc\"}`, `{"a":[1,2}`, `{"a":{"b":1]}`,
	`{"a":1}x`, `{"a":1}{}`, `{'a':1}`, `{a:1}`, `{"a":[,1]}`, `{"a":[1,]}`, `{"a":"\\"}`, `{"a":"\\\"}`,
	"{\"a\":\" !#\x1f\"}", "{\"a\":\" !#~\x7f\x80\xff\"}", "{\"long key with\x01control\":1}", `{"a":-0.5e+3,"b":[1e5,0E0,-9,12]}`,
	`{"a":12.}`, `{"a":fals}`, `{"a":falsee}`, `{"a":nulll}`, `{"a":true`, `{"a":tr`, `{"a":f`, `{"a":"x`, `{"a":"0123456789`,
	`{"a":[true,false,null,{"b":null}]}`, `{"k":1,"0123456789abcdef":{"0123456789abcdef":"0123456789abcdef"}}`,
	`{"a":[ 1 , { "b" : "c" } ] }`, `{"a":{"b" "c"}}`, `{"a":{"b":"c",}}`, `{"a":{1:2}}`,
	// Runs of escapes, as PHP's json_encode writes Cyrillic and slashes,
	// broken at every place the escape loop could go wrong.
	`{"n":"\u0412\u043e\u0431\u0440 \u0430","u":"https:\/\/x\/y"}`, `{"n":"\u0412\u043e\"}`, `{"n":"\u0412\u043"}`,
	`{"n":"\u0412\u043g"}`, `{"n":"\u0412\q"}`, `{"n":"\u0412\`, `{"n":"\u0412\u04`, `{"n":"\u0412`, `{"n":"\\\\"}`,
	"{\"n\":\"\\u0412\x01\"}", "{\"n\":\"\\n\x1f\"}", `{"n":"\u0412\u043E\uABCD\uabcd"}`, `{"\u0412\u043e":"\/"}`,
	strings.Repeat("[", 300) + strings.Repeat("]", 300), `{"d":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}`,
}

// TestScanEnvelopeMatchesEncodingJSON compares the fast scanner with
// encoding/json on hand-picked inputs: valid objects must pass, anything
// json.Valid rejects must fail.
func TestScanEnvelopeMatchesEncodingJSON(t *testing.T) {
	for _, in := range envelopeInputs {
		checkEnvelope(t, []byte(in))
	}
}

func checkEnvelope(t *testing.T, b []byte) {
	t.Helper()
	env, err := scanEnvelope(b)
	trimmed := bytes.TrimSpace(b)
	isObject := json.Valid(b) && len(trimmed) > 0 && trimmed[0] == '{'
	deep := bytes.Count(b, []byte("[")) >= maxJSONDepth || bytes.Count(b, []byte("{")) >= maxJSONDepth
	switch {
	case isObject && err != nil && !deep:
		t.Fatalf("%q: valid object rejected: %v", b, err)
	case !isObject && err == nil:
		t.Fatalf("%q: invalid JSON accepted", b)
	}
	if err != nil || !isObject {
		return
	}
	// A map, not a struct: JSON keys are case-sensitive, and encoding/json
	// would match "DATA" to a field tagged "data". The last duplicate wins
	// in both.
	var want map[string]json.RawMessage
	if json.Unmarshal(b, &want) != nil {
		return
	}
	var id any
	if json.Unmarshal(want["id"], &id) == nil {
		if s, ok := id.(string); ok && stringValue(env.id) != s {
			t.Fatalf("%q: id %q, want %q", b, env.id, s)
		}
	}
	if !bytes.Equal(bytes.TrimSpace(env.data), bytes.TrimSpace(want["data"])) {
		t.Fatalf("%q: data %q, want %q", b, env.data, want["data"])
	}
}

func FuzzScanEnvelope(f *testing.F) {
	for _, in := range envelopeInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkEnvelope(t, b)
	})
}

// scanBodies are the bodies of the JSON check's benchmarks: BenchBody (dense)
// and OrderEventBody (realistic) at 1, 16 and 64 KiB.
func scanBodies() (names []string, bodies [][]byte) {
	for _, kind := range []struct {
		name string
		make func(int) []byte
	}{{"dense", BenchBody}, {"order", OrderEventBody}} {
		for _, size := range []int{1 << 10, 16 << 10, 64 << 10} {
			names = append(names, fmt.Sprintf("%s-%dKiB", kind.name, size>>10))
			bodies = append(bodies, kind.make(size))
		}
	}
	return names, bodies
}

// TestBenchBodies keeps the benchmarks honest: every body is one valid JSON
// object of about the size asked for, and the scanner finds its envelope.
func TestBenchBodies(t *testing.T) {
	names, bodies := scanBodies()
	for i, body := range bodies {
		checkEnvelope(t, body)
		env, err := scanEnvelope(body)
		if err != nil || len(env.data) == 0 || createdAtOf(env.createdAt).IsZero() {
			t.Fatalf("%s: envelope %+v, %v", names[i], env, err)
		}
	}
}

// BenchmarkScanEnvelope is the JSON check alone, on the bodies of
// BenchmarkVerifyVsFloorPaired, to split Verify's cost between
// authentication and JSON.
func BenchmarkScanEnvelope(b *testing.B) {
	names, bodies := scanBodies()
	for i, body := range bodies {
		b.Run(names[i], func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := scanEnvelope(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScanVsSHA256Paired pairs the JSON check with SHA-256 of the same
// body (benchratio: alternating rounds, median of per-round ratios). SHA-256
// is most of Verify's floor, so check/SHA-256 is about what the check adds
// to Verify / floor, whatever the machine's load.
func BenchmarkScanVsSHA256Paired(b *testing.B) {
	names, bodies := scanBodies()
	for i, body := range bodies {
		b.Run(names[i], func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			benchratio.Compare(b,
				func() {
					if _, err := scanEnvelope(body); err != nil {
						b.Fatal(err)
					}
				},
				func() { sha256.Sum256(body) })
		})
	}
}

// BenchmarkJSONValid is encoding/json's Valid on the same bodies, for scale.
func BenchmarkJSONValid(b *testing.B) {
	names, bodies := scanBodies()
	for i, body := range bodies {
		b.Run(names[i], func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for i := 0; i < b.N; i++ {
				if !json.Valid(body) {
					b.Fatal("invalid")
				}
			}
		})
	}
}
