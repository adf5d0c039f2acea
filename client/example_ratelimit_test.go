package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// RateLimit says what the server reported last and whether, when and why
// the client held calls back. Here the key may send one request per second:
// the second call waits for the window's reset instead of earning a 429.
func ExampleClient_RateLimit() {
	s, err := clienttest.New(clienttest.WithRateLimit(1, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	c, err := client.New(s.URL, client.WithToken(s.Key().Token), client.WithHMACSecret(s.Key().HMACSecret))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := c.Scopes(ctx); err != nil {
			log.Fatal(err)
		}
	}
	rl, _ := c.RateLimit()
	fmt.Printf("limit %d, remaining %d\n", rl.Limit, rl.Remaining)
	fmt.Printf("%d call waited: %s\n", rl.Waits, rl.Wait.Reason)
	// Output:
	// limit 1, remaining 0
	// 1 call waited: window spent
}
