package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// failTransport fails the test if a request reaches it: the proof that a
// refused call sends nothing.
type failTransport struct{ t *testing.T }

func (f failTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("request sent: %s %s", r.Method, r.URL)
	return nil, errors.New("failTransport: nothing may be sent")
}

func newOfflineClient(t *testing.T) *Client {
	t.Helper()
	c, err := New("https://exchanger.example/api/v3", WithToken("tok-offline-0001"), WithHMACSecret("sec-offline"),
		WithHTTPClient(&http.Client{Transport: failTransport{t}}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// want is one expected problem: its field and rule.
type want struct{ field, rule string }

// TestValidationRefusesBeforeSending runs calls that break openapi.yaml's
// contract and checks that each fails with every problem listed, named as
// the API names the fields, and that nothing is sent.
func TestValidationRefusesBeforeSending(t *testing.T) {
	long := strings.Repeat("n", 81)
	cases := []struct {
		name string
		call func(context.Context, *Client) error
		want []want
	}{
		{"zero CreateOrder", func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrder(ctx, CreateOrderParams{})
			return err
		}, []want{{"route_id", "one_of"}, {"income_amount", "any_of"}}},
		{"two route forms", func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrder(ctx, CreateOrderParams{RouteID: 7, DirectionID: 7, Amount: "1"})
			return err
		}, []want{{"direction_id", "one_of"}}},
		{"half a pair", func(ctx context.Context, c *Client) error {
			_, err := c.Quote(ctx, QuoteParams{IncomePaymentSystem: 1, ToCurrencyID: 2, Amount: "1"})
			return err
		}, []want{{"outcome_payment_system", "one_of"}, {"from_currency_id", "one_of"}}},
		{"receive amount alone", func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrder(ctx, CreateOrderParams{RouteID: 7, ReceiveAmount: "5"})
			return err
		}, []want{{"income_amount", "any_of"}}},
		{"field and its alias", func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrder(ctx, CreateOrderParams{RouteID: 7, Amount: "1", OutcomeAccount: "acct-1", ToRequisite: "acct-2",
				OutcomeAmount: "2", ReceiveAmount: "2"})
			return err
		}, []want{{"receive_amount", "alias"}, {"to_requisite", "alias"}}},
		{"bad type_rate and email", func(ctx context.Context, c *Client) error {
			_, err := c.CreateOrder(ctx, CreateOrderParams{RouteID: 7, Amount: "1", TypeRate: "best", Email: "nobody"})
			return err
		}, []want{{"email", "format"}, {"type_rate", "enum"}}},
		{"preflight without route", func(ctx context.Context, c *Client) error {
			_, err := c.PreflightOrder(ctx, PreflightParams{QuoteParams: QuoteParams{Amount: "1"}})
			return err
		}, []want{{"route_id", "one_of"}}},
		{"simulate with two forms", func(ctx context.Context, c *Client) error {
			_, err := c.SimulateOrder(ctx, PreflightParams{QuoteParams: QuoteParams{From: "USDT", To: "BTC", RouteID: 3, Amount: "1"}})
			return err
		}, []want{{"from", "one_of"}}},
		{"confirm without type", func(ctx context.Context, c *Client) error {
			_, err := c.ConfirmOrder(ctx, "TR-1", ConfirmOrderParams{})
			return err
		}, []want{{"type", "required"}}},
		{"empty order id", func(ctx context.Context, c *Client) error {
			_, err := c.Order(ctx, "")
			return err
		}, []want{{"{order}", "required"}}},
		{"dot-dot order id", func(ctx context.Context, c *Client) error {
			_, err := c.OrderStatus(ctx, "..")
			return err
		}, []want{{"{order}", "path_segment"}}},
		{"dot order id", func(ctx context.Context, c *Client) error {
			return c.DeleteOrder(ctx, ".")
		}, []want{{"{order}", "path_segment"}}},
		{"webhook id not a uuid", func(ctx context.Context, c *Client) error {
			_, err := c.WebhookEndpoint(ctx, "events")
			return err
		}, []want{{"{webhook}", "format"}}},
		{"webhook endpoint create", func(ctx context.Context, c *Client) error {
			_, err := c.CreateWebhookEndpoint(ctx, CreateWebhookEndpointParams{Name: long, URL: "crm.example/hooks"})
			return err
		}, []want{{"events", "required"}, {"name", "max_length"}, {"url", "format"}}},
		{"webhook endpoint update status", func(ctx context.Context, c *Client) error {
			_, err := c.UpdateWebhookEndpoint(ctx, uuidA, UpdateWebhookEndpointParams{Status: "on"})
			return err
		}, []want{{"status", "enum"}}},
		{"identity intents", func(ctx context.Context, c *Client) error {
			_, err := c.CreateIdentityVerification(ctx, IdentityVerificationParams{FileIntents: []string{uuidA, uuidB, "x"}})
			return err
		}, []want{{"file_intents", "max_items"}, {"file_intents.2", "format"}}},
		{"nested card", func(ctx context.Context, c *Client) error {
			_, err := c.SubmitOrderVerification(ctx, "TR-1", OrderVerificationParams{Card: &CardVerificationParams{CardNumber: "4111111111111111"}})
			return err
		}, []want{{"card.file_intent", "required"}}},
		{"upload intent purpose", func(ctx context.Context, c *Client) error {
			_, err := c.CreateUploadIntent(ctx, UploadIntentParams{})
			return err
		}, []want{{"purpose", "required"}}},
		{"review", func(ctx context.Context, c *Client) error {
			_, err := c.CreateReview(ctx, ReviewParams{Rating: 9})
			return err
		}, []want{{"name", "required"}, {"text", "required"}, {"order_id", "one_of"}, {"rating", "maximum"}}},
		{"status as a list form", func(ctx context.Context, c *Client) error {
			var f Filters
			f.In("status", "paid", "completed")
			return drain(c.Orders(ctx, OrderListOptions{Filters: f}))
		}, []want{{"filter[status]", "list_form"}}},
		{"page size", func(ctx context.Context, c *Client) error {
			return drain(c.PaymentSystems(ctx, PaymentSystemListOptions{PageOptions: PageOptions{PerPage: 500}, Side: "left"}))
		}, []want{{"filter[side]", "enum"}, {"per_page", "maximum"}}},
		{"delivery filter uuid", func(ctx context.Context, c *Client) error {
			return drain(c.WebhookDeliveries(ctx, WebhookDeliveryListOptions{EndpointID: "ep-1"}))
		}, []want{{"filter[endpoint_id]", "format"}}},
	}
	c := newOfflineClient(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(context.Background(), c)
			var ie *InvalidRequestError
			if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *InvalidRequestError", err)
			}
			var got []want
			for _, p := range ie.Problems {
				got = append(got, want{p.Field, p.Rule})
				if !strings.Contains(err.Error(), p.Field+": "+p.Message) {
					t.Errorf("Error() %q does not list %s: %s", err, p.Field, p.Message)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("problems = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestValidationNeverQuotesValues keeps accounts, card numbers and the
// key out of the message: only field names and rules are printed.
func TestValidationNeverQuotesValues(t *testing.T) {
	c := newOfflineClient(t)
	_, err := c.CreateOrder(context.Background(), CreateOrderParams{RouteID: 7, DirectionID: 8, Amount: "1",
		IncomeAccount: "acct-secret-in", FromRequisite: "acct-secret-in2", TypeRate: "tr-secret", Email: "mail-secret"})
	_, err2 := c.CreateCardVerification(context.Background(), CardVerificationParams{CardNumber: "4111111111111111", FileIntent: "fi-secret"})
	for _, e := range []error{err, err2} {
		if e == nil {
			t.Fatal("no error")
		}
		for _, secret := range []string{"secret", "4111", "tok-offline", "sec-offline"} {
			if strings.Contains(e.Error(), secret) {
				t.Errorf("error %q quotes a value (%s)", e, secret)
			}
		}
	}
}

// TestValidationBoundsTheMessage lists at most maxListedProblems problems
// in Error(), and all of them in Problems.
func TestValidationBoundsTheMessage(t *testing.T) {
	c := newOfflineClient(t)
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = "not-a-uuid"
	}
	_, err := c.CreateIdentityVerification(context.Background(), IdentityVerificationParams{FileIntents: ids})
	var ie *InvalidRequestError
	if !errors.As(err, &ie) || len(ie.Problems) != 31 {
		t.Fatalf("err = %v, want 31 problems", err)
	}
	if n := strings.Count(err.Error(), "; "); n != maxListedProblems {
		t.Errorf("Error() joins %d problems, want %d and a count: %s", n, maxListedProblems, err)
	}
	if !strings.HasSuffix(err.Error(), "and 21 more") {
		t.Errorf("Error() = %q, want it to end with the count of the rest", err)
	}
}

// TestValidationIsNotRetried: a refused call is not retried, waits for no
// backoff and spends no rate-limit budget: the transport is never called,
// even with retries configured.
func TestValidationIsNotRetried(t *testing.T) {
	calls := 0
	c, err := New("https://exchanger.example/api/v3", WithToken("tok-offline-0001"),
		WithRetry(RetryPolicy{MaxAttempts: 5}),
		WithHTTPClient(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			calls++
			return nil, errors.New("down")
		})}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Order(context.Background(), "")
	if !errors.Is(err, ErrInvalidRequest) || calls != 0 {
		t.Fatalf("err = %v after %d transport calls, want ErrInvalidRequest after none", err, calls)
	}
	if _, ok := c.RateLimit(); ok {
		t.Error("a refused call recorded rate-limit headers")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestWaitForOrderStopsOnALocalError: an order id that can never be sent
// fails WaitForOrder at once instead of polling MaxErrors times.
func TestWaitForOrderStopsOnALocalError(t *testing.T) {
	c := newOfflineClient(t)
	// A second poll would wait an hour and end with the context's deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.WaitForOrder(ctx, "..", WaitOptions{Interval: time.Hour, MaxInterval: time.Hour, MaxErrors: 5})
	if !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("err = %v, want ErrInvalidRequest at once", err)
	}
}

// TestValidationOrderIsStable: problems come in the same order every time,
// though the body is read into maps, nested objects included.
func TestValidationOrderIsStable(t *testing.T) {
	c := newOfflineClient(t)
	p := OrderVerificationParams{
		Card:     &CardVerificationParams{FileIntent: "x", CardNumber: ""},
		Identity: &IdentityVerificationParams{FileIntents: []string{"a", "b", "c"}},
	}
	first := ""
	for i := 0; i < 20; i++ {
		_, err := c.SubmitOrderVerification(context.Background(), "TR-1", p)
		if err == nil {
			t.Fatal("no error")
		}
		if i == 0 {
			first = err.Error()
			continue
		}
		if err.Error() != first {
			t.Fatalf("order changed:\n%s\n%s", first, err)
		}
	}
	want := "card.card_number: is required; card.file_intent: must be a UUID (8-4-4-4-12 hex digits); identity.file_intents: takes at most 2 item(s); identity.file_intents.0"
	if !strings.Contains(first, want) {
		t.Errorf("Error() = %s\nwant it to contain %s", first, want)
	}
}

// TestValidationKeepsPathProblemsWithABadBody: a body that is not JSON
// (a caller's json.Marshaler gone wrong) is one more problem beside the
// path's, not instead of it.
func TestValidationKeepsPathProblemsWithABadBody(t *testing.T) {
	cl := &call{op: "POST /private/exchange/orders/{order}/confirm", method: "POST", path: "/private/exchange/orders//confirm"}
	err := cl.validate([]byte(`{"type":"paid"`))
	var ie *InvalidRequestError
	if !errors.As(err, &ie) || len(ie.Problems) != 2 || ie.Problems[0].Field != "{order}" || ie.Problems[1].Message != "the body is not JSON" {
		t.Fatalf("err = %v", err)
	}
}
