package client_test

import (
	"context"
	"fmt"
	"log"
	"net/url"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Call reaches any operation by method and path, through the same
// pipeline as the typed methods (token, signature, retries, pacing).
func ExampleClient_Call() {
	srv, err := clienttest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	key := srv.Key()
	c, err := client.New(srv.URL, client.WithToken(key.Token), client.WithHMACSecret(key.HMACSecret))
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.Call(context.Background(), client.RawRequest{
		Method: "GET",
		Path:   "/private/exchange/routes",
		Query:  url.Values{"per_page": {"1"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode, r.Meta.Pagination.PerPage, len(r.Body) > 0)
	// Output: 200 1 true
}
