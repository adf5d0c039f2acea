package clienttest

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
)

// Many clients at once: every order is created once per Idempotency-Key, and
// the counters add up.
func TestConcurrentClients(t *testing.T) {
	s := NewServer(t)
	const workers, perWorker = 8, 10
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		k, err := s.CreateKey(KeyOptions{Name: "worker-" + strconv.Itoa(w)})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(w int, k Key) {
			defer wg.Done()
			c := newTClient(t, s, k)
			for i := 0; i < perWorker; i++ {
				// Each order is sent twice with the same key.
				hdr := map[string]string{"Idempotency-Key": "worker-" + strconv.Itoa(w) + "-order-" + strconv.Itoa(i)}
				for try := 0; try < 2; try++ {
					if r := c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr); r.status != 201 {
						t.Errorf("worker %d: %d %s", w, r.status, r.body)
						return
					}
				}
				if r := c.do(http.MethodGet, "/private/orders?per_page=5", nil, nil); r.status != 200 {
					t.Errorf("worker %d list: %d", w, r.status)
					return
				}
			}
		}(w, k)
	}
	wg.Wait()
	perKey := map[string]int{}
	for _, o := range s.Orders() {
		perKey[o.IdempotencyKey]++
	}
	if len(s.Orders()) != workers*perWorker || len(perKey) != workers*perWorker {
		t.Fatalf("%d orders for %d keys, want %d", len(s.Orders()), len(perKey), workers*perWorker)
	}
	st := s.Stats()
	if st.Total.IdempotentReplays != workers*perWorker || st.Operations["POST /private/exchange/orders"] != 2*workers*perWorker {
		t.Fatalf("stats %+v %v", st.Total, st.Operations)
	}
}
