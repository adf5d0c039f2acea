package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
)

// createOrder creates an order through iex call and returns its tracking id.
func createOrder(t *testing.T, s *clienttest.Server, env map[string]string) string {
	t.Helper()
	r := iex(t, env, orderBody(t, s), "call", "POST", "/private/exchange/orders", "-d", "@-")
	if r.code != exitOK {
		t.Fatalf("create: exit %d: %s", r.code, r.stderr)
	}
	orders := s.Orders()
	return orders[len(orders)-1].TrackingID
}

// The order is followed to its final status, one line per change.
func TestOrdersWaitFollowsToFinal(t *testing.T) {
	s, env := fakeEnv(t, clienttest.WithOrderSchedule([]string{clienttest.StatusProcessing, clienttest.StatusCompleted}, 60*time.Millisecond))
	tracking := createOrder(t, s, env)
	r := iex(t, env, "", "orders", "wait", "--interval", "10ms", "--max-interval", "20ms", tracking)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	line := regexp.MustCompile(`^\d\d:\d\d:\d\d  ` + regexp.QuoteMeta(tracking) + `  [a-z_]+( \([^)]*\))?(, final)?$`)
	for i, l := range lines {
		if !line.MatchString(l) {
			t.Fatalf("line %q", l)
		}
		if i > 0 && l[8:] == lines[i-1][8:] {
			t.Fatalf("status printed twice in a row:\n%s", r.stdout)
		}
	}
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, "completed (Completed), final") || len(lines) < 2 {
		t.Fatalf("output:\n%s", r.stdout)
	}

	// --json: one object a line, the last one final.
	r = iex(t, env, "", "orders", "wait", "--json", tracking)
	var st struct {
		Order  string
		Status struct {
			Key     string `json:"key"`
			IsFinal bool   `json:"is_final"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != exitOK || err != nil || st.Order != tracking || !st.Status.IsFinal || st.Status.Key != "completed" {
		t.Fatalf("--json: exit %d %v: %s", r.code, err, r.stdout)
	}
}

func TestOrdersWaitStopsOnRefusalAndTimeout(t *testing.T) {
	s, env := fakeEnv(t)
	if r := iex(t, env, "", "orders", "wait", "no-such-order"); r.code != exitClient || !strings.Contains(r.stderr, "404") {
		t.Fatalf("unknown order: exit %d %s", r.code, r.stderr)
	}
	tracking := createOrder(t, s, env) // no schedule: it stays created
	r := iex(t, env, "", "orders", "wait", "--interval", "10ms", "--timeout", "150ms", tracking)
	if r.code != exitNetwork || !strings.Contains(r.stdout, "created") {
		t.Fatalf("timeout: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
}
