package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

const testWebhookSecret = "whsec_0123456789abcdef"

// savedDelivery signs a fixed delivery and saves its headers and body as
// a user would, returning the two files.
func savedDelivery(t *testing.T, at time.Time, editBody func([]byte) []byte) (headersFile, bodyFile string) {
	t.Helper()
	req, err := webhook.Delivery{
		Secret: testWebhookSecret, EventID: "evt_01J0TEST", EventType: "order.status_changed",
		Timestamp: at, Nonce: "wh_20260623_001", RequestID: "req-42",
		Body: []byte(`{"id":"evt_01J0TEST","type":"order.status_changed","created_at":"2026-06-23T04:46:40Z","data":{"order":{"id":7,"status":"completed"}}}`),
	}.Request()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	if editBody != nil {
		body = editBody(body)
	}
	var h strings.Builder
	h.WriteString("POST /webhook HTTP/1.1\r\n")
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		h.WriteString(k + ": " + req.Header.Get(k) + "\r\n")
	}
	h.WriteString("\r\n")
	return writeTemp(t, "headers.txt", h.String()), writeTemp(t, "body.json", string(body))
}

var signedAt = time.Unix(1782190000, 0)

func TestWebhookVerifyOK(t *testing.T) {
	hf, bf := savedDelivery(t, signedAt, nil)
	env := map[string]string{envWebhookSecret: "whsec_old, " + testWebhookSecret}
	r := iex(t, env, "", "webhook", "verify", "--headers", hf, "--body", bf, "--tolerance", "0")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stdout, r.stderr)
	}
	golden(t, "webhook-verify-ok", r.stdout)
	noSecrets(t, r.stdout+r.stderr, testWebhookSecret)

	// The body from stdin, a fresh delivery within the default window.
	hf, bf = savedDelivery(t, time.Now(), nil)
	body := strings.TrimSpace(readOrFail(t, bf))
	r = iex(t, env, body, "webhook", "verify", "--headers", hf, "--body", "-")
	if r.code != exitOK {
		t.Fatalf("stdin: exit %d: %s", r.code, r.stdout)
	}
}

// Each failure names its check and exits 1; a signature failure shows
// the canonical string and the likely mistake.
func TestWebhookVerifyRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		edit func([]byte) []byte
		args []string
	}{
		{name: "webhook-verify-newline", env: map[string]string{envWebhookSecret: testWebhookSecret},
			edit: func(b []byte) []byte { return append(b, '\n') }, args: []string{"--tolerance", "0"}},
		{name: "webhook-verify-api-secret", env: map[string]string{envWebhookSecret: "hs_api", client.EnvHMACSecret: "hs_api"},
			args: []string{"--tolerance", "0"}},
		{name: "webhook-verify-reencoded", env: map[string]string{envWebhookSecret: testWebhookSecret},
			edit: func(b []byte) []byte {
				var out bytes.Buffer
				_ = json.Indent(&out, b, "", "  ")
				return out.Bytes()
			}, args: []string{"--tolerance", "0"}},
		{name: "webhook-verify-stale", env: map[string]string{envWebhookSecret: testWebhookSecret}},
	} {
		hf, bf := savedDelivery(t, signedAt, tc.edit)
		r := iex(t, tc.env, "", append([]string{"webhook", "verify", "--headers", hf, "--body", bf}, tc.args...)...)
		if r.code != exitRefused || !strings.HasPrefix(r.stderr, "iex: the delivery does not verify") {
			t.Fatalf("%s: exit %d, stderr %s", tc.name, r.code, r.stderr)
		}
		out := r.stdout
		if tc.name == "webhook-verify-stale" {
			// The distance to now changes with every run.
			out = strings.Split(out, "timestamp is ")[0] + "timestamp is ...\n" + out[strings.Index(out, "\n")+1:]
		}
		golden(t, tc.name, out)
		noSecrets(t, r.stdout+r.stderr, testWebhookSecret, "hs_api")
	}
}

func TestWebhookVerifyMissingHeaderAndConfig(t *testing.T) {
	hf := writeTemp(t, "h.txt", "X-Webhook-Event-Id: evt_1\nX-Webhook-Event-Type: api.test\n")
	bf := writeTemp(t, "b.json", "{}")
	env := map[string]string{envWebhookSecret: testWebhookSecret}
	r := iex(t, env, "", "webhook", "verify", "--headers", hf, "--body", bf)
	if r.code != exitRefused || !strings.Contains(r.stdout, "refused by the header check") || !strings.Contains(r.stdout, "X-Webhook-Timestamp") {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	if r := iex(t, nil, "", "webhook", "verify", "--headers", hf, "--body", bf); r.code != exitConfig {
		t.Fatalf("no secret: exit %d", r.code)
	}
	secretFile := writeTemp(t, "secret", testWebhookSecret+"\n")
	if r := iex(t, nil, "", "webhook", "verify", "--headers", hf, "--body", bf, "--webhook-secret-file", secretFile); r.code != exitRefused {
		t.Fatalf("secret file: exit %d %s", r.code, r.stderr)
	}
	bad := writeTemp(t, "bad.txt", "this is not a header\n")
	if r := iex(t, env, "", "webhook", "verify", "--headers", bad, "--body", bf); r.code != exitClient || !strings.Contains(r.stderr, "line 1") {
		t.Fatalf("bad headers file: exit %d %s", r.code, r.stderr)
	}
}

func readOrFail(t *testing.T, name string) string {
	t.Helper()
	b, err := readFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The header file forms people save: a request dump, curl -v, JSON.
func TestParseHeaderFile(t *testing.T) {
	for _, in := range []string{
		"POST /hook HTTP/1.1\r\nHost: x\r\nX-Webhook-Event-Id: evt_1\r\nX-Webhook-Nonce: n\r\n\r\n{\"body\":1}",
		"> POST /hook HTTP/1.1\n> x-webhook-event-id: evt_1\n> X-Webhook-Nonce:   n\n>\n",
		"\xef\xbb\xbfX-Webhook-Event-Id: evt_1\nX-Webhook-Nonce: n\n",
		`{"x-webhook-event-id": "evt_1", "X-Webhook-Nonce": ["n"]}`,
	} {
		h, err := parseHeaderFile([]byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if headerValue(h, "X-Webhook-Event-Id") != "evt_1" || headerValue(h, "X-Webhook-Nonce") != "n" {
			t.Fatalf("%q: %v", in, h)
		}
	}
	for _, in := range []string{"", "\n\n", "no colon here", `{"a b": "x"}`, `{"X": 1}`, "X-A: 1\nbad line\n"} {
		if _, err := parseHeaderFile([]byte(in)); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// Whatever the file holds, parsing ends with headers or an error, never a
// panic, and gives names and values without line breaks.
func FuzzParseHeaderFile(f *testing.F) {
	f.Add([]byte("POST / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\nbody"))
	f.Add([]byte(`{"X-A":["1","2"]}`))
	f.Add([]byte("> X-A: 1\n< HTTP/1.1 200 OK\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parseHeaderFile(b)
		if err != nil {
			return
		}
		if len(h) == 0 {
			t.Fatal("no error and no headers")
		}
		for k, vs := range h {
			if !validHeaderName(k) {
				t.Fatalf("name %q", k)
			}
			// Values of header lines cannot hold a line break; JSON values
			// and stray control characters are kept as written, for Verify
			// to call them malformed.
			for _, v := range vs {
				if strings.Contains(v, "\n") && !bytes.HasPrefix(bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))), []byte("{")) {
					t.Fatalf("value %q", v)
				}
			}
		}
		_ = http.Header(h).Get("X-A")
	})
}

// A raw request saved whole needs no --body: the body is what follows the
// blank line, byte for byte.
func TestWebhookVerifyRawRequestDump(t *testing.T) {
	hf, bf := savedDelivery(t, signedAt, nil)
	dump := writeTemp(t, "dump.http", readOrFail(t, hf)+readOrFail(t, bf))
	env := map[string]string{envWebhookSecret: testWebhookSecret}
	r := iex(t, env, "", "webhook", "verify", "--headers", dump, "--tolerance", "0")
	if r.code != exitOK || !strings.Contains(r.stdout, "134 bytes") {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	if r := iex(t, env, "", "webhook", "verify", "--headers", hf); r.code != exitUsage {
		t.Fatalf("headers only, no --body: exit %d", r.code)
	}
	for in, want := range map[string]string{"\nA: 1\n\nbody\n": "body\n", "A: 1\r\n\r\n{}": "{}", "A: 1\n": "", "A: 1\n\n": ""} {
		if got, _ := dumpBody([]byte(in)); string(got) != want {
			t.Errorf("dumpBody(%q) = %q, want %q", in, got, want)
		}
	}
}
