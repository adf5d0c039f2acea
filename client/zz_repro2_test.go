package client_test

import (
	"context"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

func TestZZRepro2(t *testing.T) {
	if os.Getenv("ZZURL") == "" {
		t.Skip()
	}
	log := &statusLog{next: newTransport()}
	c, err := client.New(os.Getenv("ZZURL"), client.WithToken(os.Getenv("ZZTOK")), client.WithHMACSecret(os.Getenv("ZZSEC")), client.WithHTTPClient(&http.Client{Transport: log}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	end := start.Add(20 * time.Second)
	var ok, e429, other atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(end); i++ {
				var err error
				if i%2 == 0 {
					_, err = c.Scopes(context.Background())
				} else {
					_, err = c.Ping(context.Background())
				}
				var ae *client.APIError
				switch {
				case err == nil:
					ok.Add(1)
				case asAPIError(err, &ae) && ae.StatusCode == 429:
					e429.Add(1)
				default:
					other.Add(1)
					t.Log(err)
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("ok %d caller429 %d other %d server429 %d late %d", ok.Load(), e429.Load(), other.Load(), log.count(429, start, end.Add(time.Hour)), log.count(429, start.Add(5*time.Second), end.Add(time.Hour)))
}
