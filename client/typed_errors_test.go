package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

// A 200 answer that is not a usable envelope, or whose result does not fit
// the operation's type, is a *ResponseError matching ErrMalformedResponse,
// never a bare wrapped error.
func TestMalformedSuccessAnswersAreTyped(t *testing.T) {
	answers := map[string]string{
		"state as a string":  `{"state":"0","message":"OK","result":{"id":1}}`,
		"state as a bool":    `{"state":true,"result":{}}`,
		"order not object":   `{"state":0,"message":"OK","result":"nope"}`,
		"order id wrong":     `{"state":0,"message":"OK","result":{"id":"x"}}`,
		"list not array":     `{"state":0,"message":"OK","result":{"orders":"x"}}`,
		"list items wrong":   `{"state":0,"message":"OK","result":[1,2]}`,
		"statuses wrong":     `{"state":0,"message":"OK","result":{"statuses":7}}`,
		"health wrong":       `{"state":0,"message":"OK","result":{"health":{"status":5}}}`,
		"scopes not a list":  `{"state":0,"message":"OK","result":{"scopes":{"a":1}}}`,
		"contract not valid": `{"state":0,"message":"OK","result":{"contract":{"version":[]}}}`,
	}
	calls := map[string]func(c *Client) error{
		"Order": func(c *Client) error { _, err := c.Order(context.Background(), "1"); return err },
		"Orders": func(c *Client) error {
			for _, err := range c.Orders(context.Background(), OrderListOptions{}) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"OrderStatuses": func(c *Client) error { _, err := c.PublicOrderStatuses(context.Background()); return err },
		"ClientHealth":  func(c *Client) error { _, err := c.health(context.Background(), nil); return err },
		"Scopes":        func(c *Client) error { _, err := c.Scopes(context.Background()); return err },
	}
	failed := 0
	for an, body := range answers {
		_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, body)
		})
		for cn, call := range calls {
			err := call(c)
			if err == nil {
				if an == "state as a string" || an == "state as a bool" {
					t.Errorf("%s, %s: no error", an, cn)
				}
				continue // this answer fits this call's type
			}
			failed++
			var re *ResponseError
			if !errors.As(err, &re) || !errors.Is(err, ErrMalformedResponse) || re.StatusCode != 200 {
				t.Errorf("%s, %s: %T %v, want a *ResponseError matching ErrMalformedResponse", an, cn, err, err)
			}
		}
	}
	// The rate export is XML: one that does not parse is typed too.
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<rates><item><from>BTC</from>`)
	})
	if _, err := c.Rates(context.Background()); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("Rates of a broken document: %T %v, want a *ResponseError", err, err)
	}
	if failed < 20 {
		t.Fatalf("only %d calls failed: the answers do not exercise the decoders", failed)
	}
}
