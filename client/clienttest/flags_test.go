package clienttest_test

import (
	"flag"
	"io"
	"net/http"
	"strings"
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
