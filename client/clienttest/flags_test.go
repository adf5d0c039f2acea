package clienttest_test

import (
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
)

// The flags land in the fake they start: the key's HMAC mode, the rate
// limit, the latency.
func TestFlagsStartTheFakeTheyDescribe(t *testing.T) {
	f := clienttest.DefaultFlags()
	fs := flag.NewFlagSet("fake", flag.ContinueOnError)
	f.Register(fs)
	if err := fs.Parse([]string{"-addr", "127.0.0.1:0", "-hmac", "off", "-rate-limit", "2", "-latency", "30ms", "-schedule", ""}); err != nil {
		t.Fatal(err)
	}
	s, err := f.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Key().HMAC != clienttest.HMACOff {
		t.Fatalf("key HMAC %v, want off", s.Key().HMAC)
	}
	statuses := []int{}
	start := time.Now()
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/private/ping", nil)
		req.Header.Set("Authorization", "Bearer "+s.Key().Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	// Unsigned is fine under -hmac off; the limit of 2 gives a 429.
	if statuses[0] != http.StatusOK || statuses[1] != http.StatusOK || statuses[2] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v", statuses)
	}
	if time.Since(start) < 90*time.Millisecond {
		t.Fatalf("-latency 30ms: three requests took %v", time.Since(start))
	}
}

func TestFlagsRefuseBadValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"-hmac", "sometimes"}, "-hmac"},
		{[]string{"-schedule", "processing,shipped"}, "-schedule"},
		{[]string{"-every", "0s"}, "-every"},
		{[]string{"-rate-window", "0s"}, "-rate-window"},
		{[]string{"-daily-quota", "-1"}, "-daily-quota"},
		{[]string{"-webhook-attempts", "0"}, "-webhook-attempts"},
		{[]string{"-webhook-drop-for", "-1s"}, "-webhook-drop-for"},
	} {
		f := clienttest.DefaultFlags()
		fs := flag.NewFlagSet("fake", flag.ContinueOnError)
		f.Register(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Options(); err == nil || !strings.Contains(err.Error(), tc.flag) {
			t.Errorf("%v: err %v, want one naming %s", tc.args, err, tc.flag)
		}
	}
}

// The webhook flags reach the sender: attempts, backoff, the same
// signature on retries, and dropped deliveries.
func TestFlagsWebhookFaults(t *testing.T) {
	var mu sync.Mutex
	var sigs []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sigs = append(sigs, r.Header.Get("X-Webhook-Nonce")+" "+r.Header.Get("X-Webhook-Signature"))
		mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer hook.Close()
	start := func(args ...string) *clienttest.Server {
		f := clienttest.DefaultFlags()
		fs := flag.NewFlagSet("fake", flag.ContinueOnError)
		f.Register(fs)
		if err := fs.Parse(append([]string{"-addr", "127.0.0.1:0"}, args...)); err != nil {
			t.Fatal(err)
		}
		s, err := f.Start()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		if _, _, err := s.RegisterWebhook(hook.URL); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := start("-webhook-attempts", "2", "-webhook-backoff", "10ms", "-webhook-max-backoff", "10ms", "-webhook-same-signature")
	if _, err := s.EmitEvent("api.test", nil); err != nil {
		t.Fatal(err)
	}
	s.WaitForDeliveries(5 * time.Second)
	time.Sleep(50 * time.Millisecond) // a third attempt would come now
	mu.Lock()
	got := append([]string(nil), sigs...)
	sigs = nil
	mu.Unlock()
	if len(got) != 2 || got[0] != got[1] {
		t.Fatalf("attempts %q: want 2 with one signature", got)
	}

	s = start("-webhook-drop-for", "1h")
	if _, err := s.EmitEvent("api.test", nil); err != nil {
		t.Fatal(err)
	}
	s.WaitForDeliveries(5 * time.Second)
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(sigs) != 0 {
		t.Fatalf("-webhook-drop-for: %d deliveries arrived", len(sigs))
	}
}
