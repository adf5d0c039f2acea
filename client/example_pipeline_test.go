package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// pipelineServer answers a status request with a validation error for order
// "bad", and an order creation with the key it received.
func pipelineServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v3/ping":
			fmt.Fprint(w, `{"state":0,"message":"pong","result":{},"meta":{"request_id":"req-ping"}}`)
		case "/api/v3/private/exchange/orders":
			w.Header().Set("Idempotency-Replayed", "true")
			fmt.Fprintf(w, `{"state":0,"message":"OK","result":{"order":{"id":42,"tracking_id":"TR-42","status":"created"}},"meta":{"request_id":"req-1"}}`)
		default:
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"state":1,"message":"The given data was invalid.","code":422,"result":null,`+
				`"error":{"code":"validation_error","type":"validation_error","details":{"order":["Unknown order."]}},"meta":{"request_id":"req-422"}}`)
		}
	}))
}

func ExampleNew() {
	srv := pipelineServer()
	defer srv.Close()
	// In production: client.NewFromEnv() reads IEX_API_BASE_URL,
	// IEX_API_TOKEN and IEX_API_HMAC_SECRET.
	c, err := client.New(srv.URL+"/api/v3",
		client.WithToken("token-from-your-secret-manager"),
		client.WithHMACSecret("hmac-secret-from-your-secret-manager"),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 3, MaxRetryAfter: 10 * time.Second}),
		client.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))),
		client.WithUserAgent("my-shop/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	pong, err := c.Ping(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pong.Message, pong.RequestID)
	// Output: pong req-ping
}

func ExampleAPIError() {
	srv := pipelineServer()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))

	_, err := c.OrderStatus(context.Background(), "bad")
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.RequestID)
		fmt.Println(apiErr.Details["order"])
	}
	fmt.Println(errors.Is(err, client.ErrValidation), errors.Is(err, client.ErrRateLimited))
	// Output:
	// 422 validation_error req-422
	// [Unknown order.]
	// true false
}

func ExampleWithIdempotencyKey() {
	srv := pipelineServer()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))

	// Name the business operation; reuse the key when repeating a call
	// whose outcome is unknown, and the server answers the stored result.
	var resp client.Response
	order, err := c.CreateOrder(context.Background(), client.CreateOrderParams{
		RouteID: 7, Amount: "100.00", IncomeAccount: "TXYZ", OutcomeAccount: "4111", TypeRate: "fixed",
	}, client.WithIdempotencyKey("create-order-user-42-001"), client.WithResponse(&resp))
	if errors.Is(err, client.ErrOutcomeUnknown) {
		// Timeout or reset after sending: repeat with the same key.
		log.Print("repeat with the same key")
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(order.TrackingID, resp.IdempotencyKey, resp.IdempotencyReplayed)
	// Output: TR-42 create-order-user-42-001 true
}
