package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/iexkit/exchanger-go/client"
)

// Requests are checked against openapi.yaml before they are sent: a call
// that breaks the contract fails at once with every problem listed, and
// costs no request of the rate limit.
func ExampleInvalidRequestError() {
	c, err := client.New("https://exchanger.example/api/v3", client.WithToken("example-token"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.CreateOrder(context.Background(), client.CreateOrderParams{
		RouteID:     7,
		DirectionID: 7, // a second route form: openapi.yaml takes one
		TypeRate:    "best",
	})
	var ie *client.InvalidRequestError
	if errors.As(err, &ie) && errors.Is(err, client.ErrInvalidRequest) {
		for _, p := range ie.Problems {
			fmt.Printf("%s (%s): %s\n", p.Field, p.Rule, p.Message)
		}
	}
	// Output:
	// direction_id (one_of): conflicts with route_id: send one of route_id, direction_id, income_payment_system and outcome_payment_system, from_currency_id and to_currency_id, from and to
	// income_amount (any_of): is required (one of income_amount, amount)
	// type_rate (enum): must be one of 0, 1, fixed, floating
}

// Each of openapi.yaml's route forms is a field of its own; set one.
func ExampleCreateOrderParams_routeForms() {
	byID := client.CreateOrderParams{RouteID: 7, Amount: "100", OutcomeAccount: "T9yD..."}
	byCurrencies := client.CreateOrderParams{FromCurrencyID: 1, ToCurrencyID: 3, Amount: "100", ToRequisite: "T9yD..."}
	byCodes := client.CreateOrderParams{From: "USDTTRC20", To: "SBERRUB", Amount: "100", TypeRate: client.TypeRateFixed}
	fmt.Println(byID.RouteID, byCurrencies.FromCurrencyID, byCodes.From)
	// Output: 7 1 USDTTRC20
}
