package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// A fake exchanger for a program; in a test, clienttest.NewServer(t) also
// stops it when the test ends.
func Example() {
	s, err := clienttest.New()
	if err != nil {
		panic(err)
	}
	defer s.Close()

	resp, err := http.Get(s.URL + "/ping")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var env struct {
		State   int    `json:"state"`
		Message string `json:"message"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	fmt.Println(resp.StatusCode, env.State, env.Message)
	// Output: 200 0 OK
}

// The key's formatted forms never show its token or HMAC secret.
func ExampleKey() {
	s, err := clienttest.New(clienttest.WithKeyOptions(clienttest.KeyOptions{
		Name: "read-only-crm", Scopes: []string{"orders:read", "client:health:read"}, HMAC: clienttest.HMACAll,
	}))
	if err != nil {
		panic(err)
	}
	defer s.Close()
	fmt.Println(s.Key())
	fmt.Printf("%#v\n", s.Key())
	// Output:
	// clienttest.Key{ID:1 Name:"read-only-crm" Token:REDACTED HMACSecret:REDACTED Scopes:2 HMAC:all}
	// clienttest.Key{ID:1 Name:"read-only-crm" Token:REDACTED HMACSecret:REDACTED Scopes:2 HMAC:all}
}

// Make the next two order creations fail with 503, as a flaky upstream would.
func ExampleServer_FailNext() {
	s, err := clienttest.New(clienttest.WithKeyOptions(clienttest.KeyOptions{HMAC: clienttest.HMACOff}))
	if err != nil {
		panic(err)
	}
	defer s.Close()
	if err := s.FailNext("POST /private/exchange/orders", 2, http.StatusServiceUnavailable); err != nil {
		panic(err)
	}
	body := []byte(`{"route_id":1,"amount":"100","outcome_account":"4276000011112222"}`)
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/private/exchange/orders", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.Key().Token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "create-order-example-001")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	fmt.Println(len(s.Orders()), "order")
	// Output:
	// 503
	// 503
	// 201
	// 1 order
}

// Move an order through its life cycle as the exchanger's operator would;
// each move sends an order.status_changed webhook to subscribed endpoints.
func ExampleServer_AdvanceOrder() {
	s, err := clienttest.New(clienttest.WithKeyOptions(clienttest.KeyOptions{HMAC: clienttest.HMACOff}))
	if err != nil {
		panic(err)
	}
	defer s.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/private/exchange/orders",
		bytes.NewReader([]byte(`{"route_id":1,"amount":"100","outcome_account":"4276000011112222"}`)))
	req.Header.Set("Authorization", "Bearer "+s.Key().Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	o := s.Orders()[0]
	for _, st := range []string{clienttest.StatusProcessing, clienttest.StatusCompleted} {
		if err := s.AdvanceOrder(o.TrackingID, st); err != nil {
			panic(err)
		}
	}
	o, _ = s.Order(o.PublicID)
	fmt.Println(o.Give, o.Receive, o.Status, clienttest.IsFinal(o.Status))
	// Output: 100 9215.00 completed true
}

// A sender that loses deliveries: the events stay in the API's event log
// (where webhook.CatchUp finds them) but no delivery is ever attempted.
func ExampleServer_DropWebhookDeliveries() {
	s, err := clienttest.New()
	if err != nil {
		panic(err)
	}
	defer s.Close()
	if _, _, err := s.RegisterWebhook("http://127.0.0.1:1/webhook"); err != nil {
		panic(err)
	}
	s.DropWebhookDeliveries(time.Hour)
	if _, err := s.EmitEvent("order.status_changed", map[string]any{"order": map[string]any{"tracking_id": "TRK1"}}); err != nil {
		panic(err)
	}
	c, err := client.New(s.URL, client.WithToken(s.Key().Token), client.WithHMACSecret(s.Key().HMACSecret))
	if err != nil {
		panic(err)
	}
	for ev, err := range c.WebhookEvents(context.Background(), client.WebhookEventListOptions{}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(ev.Type, ev.Status, "deliveries:", ev.DeliveriesCount)
	}
	// Output: order.status_changed failed deliveries: 1
}

// A program that runs the fake on its own reads the same flags as
// examples/fake-exchanger and `iex fake`.
func ExampleFlags() {
	f := clienttest.DefaultFlags()
	fs := flag.NewFlagSet("my-fake", flag.ContinueOnError)
	f.Register(fs)
	if err := fs.Parse([]string{"-addr", "127.0.0.1:0", "-hmac", "all"}); err != nil {
		panic(err)
	}
	s, err := f.Start()
	if err != nil {
		panic(err)
	}
	defer s.Close()
	fmt.Println(s.Key().HMAC, strings.HasSuffix(s.URL, clienttest.BasePath))
	// Output: all true
}
