package client_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/iexkit/exchanger-go/client"
)

// A base URL without the API root is refused at once, with the URL to use.
func ExampleNew_baseURLWithoutAPIRoot() {
	_, err := client.New("https://exchanger.example")
	fmt.Println(errors.Is(err, client.ErrInvalidBaseURL))
	fmt.Println(err)
	// Output:
	// true
	// client: base URL "https://exchanger.example" lacks the API root path /api/v3: use "https://exchanger.example/api/v3" (docs/api.md §1)
}

// A validation_error's message carries its field messages, for logs.
func ExampleAPIError_Error() {
	srv := pipelineServer()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))

	_, err := c.OrderStatus(context.Background(), "bad")
	fmt.Println(err)
	// Output:
	// client: GET /private/exchange/orders/bad/status: 422 validation_error: The given data was invalid. (order: "Unknown order.") (request req-422)
}
