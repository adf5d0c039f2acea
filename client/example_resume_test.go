package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/iexkit/exchanger-go/client"
)

// A walk bounded by MaxItems stops with a *ListLimitError that says where
// the list goes on; a saved ListPosition resumes it there, in this run or
// the next (it marshals to JSON).
func ExamplePageOptions_resume() {
	srv := fakeExchanger()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))
	ctx := context.Background()

	var pos client.ListPosition
	for order, err := range c.Orders(ctx, client.OrderListOptions{PageOptions: client.PageOptions{Position: &pos, MaxItems: 2}}) {
		var limit *client.ListLimitError
		if errors.As(err, &limit) {
			fmt.Println("stopped after", limit.Items, "orders")
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(order.ID, order.Status)
	}
	saved, _ := json.Marshal(pos) // keep it in a file or a database
	fmt.Println(string(saved))

	var resume client.ListPosition
	_ = json.Unmarshal(saved, &resume)
	for order, err := range c.Orders(ctx, client.OrderListOptions{PageOptions: client.PageOptions{Position: &resume}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(order.ID, order.Status)
	}
	// Output:
	// 1 completed
	// 2 paid
	// stopped after 2 orders
	// {"page":2}
	// 3 created
}
