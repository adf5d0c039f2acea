package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/iexkit/exchanger-go/internal/apispec"
)

// Sample identifiers that satisfy the spec's formats (uuid path params).
const (
	uuidA = "0b9e2c6e-8a53-4f3e-9f1e-6f1c2a7d5e01"
	uuidB = "5d4c3b2a-1f0e-4d9c-8b7a-695847362514"
)

// contractCalls maps every operation of openapi.yaml ("METHOD /path") to a
// call of the client method that implements it, with arguments that the
// spec accepts.
var contractCalls = map[string]func(context.Context, *Client) error{
	"GET /ping":             func(ctx context.Context, c *Client) error { _, err := c.Ping(ctx); return err },
	"GET /openapi.yaml":     func(ctx context.Context, c *Client) error { _, err := c.OpenAPIDocument(ctx); return err },
	"GET /public/contracts": func(ctx context.Context, c *Client) error { _, err := c.PublicContracts(ctx); return err },
	"GET /public/contracts/{contract}": func(ctx context.Context, c *Client) error {
		_, err := c.PublicContract(ctx, "operation-contract")
		return err
	},
	"GET /public/schemas": func(ctx context.Context, c *Client) error { _, err := c.PublicSchemas(ctx); return err },
	"GET /public/schemas/{schema}": func(ctx context.Context, c *Client) error {
		_, err := c.PublicSchema(ctx, "success-envelope.v1")
		return err
	},
	"GET /private/ping":          func(ctx context.Context, c *Client) error { return c.PingPrivate(ctx) },
	"GET /private/health/client": func(ctx context.Context, c *Client) error { _, err := c.ClientHealth(ctx); return err },
	"GET /private/contracts":     func(ctx context.Context, c *Client) error { _, err := c.Contracts(ctx); return err },
	"GET /private/contracts/{contract}": func(ctx context.Context, c *Client) error {
		_, err := c.Contract(ctx, "operation-contract")
		return err
	},
	"GET /private/schemas": func(ctx context.Context, c *Client) error { _, err := c.Schemas(ctx); return err },
	"GET /private/schemas/{schema}": func(ctx context.Context, c *Client) error {
		_, err := c.Schema(ctx, "success-envelope.v1")
		return err
	},
	"GET /public/orders/statuses": func(ctx context.Context, c *Client) error { _, err := c.PublicOrderStatuses(ctx); return err },
	"GET /private/scopes":         func(ctx context.Context, c *Client) error { _, err := c.Scopes(ctx); return err },
	"GET /private/usage":          func(ctx context.Context, c *Client) error { _, err := c.Usage(ctx); return err },
	"GET /private/client":         func(ctx context.Context, c *Client) error { _, err := c.ClientProfile(ctx); return err },

	"GET /private/webhooks": func(ctx context.Context, c *Client) error { _, err := c.WebhookEndpoints(ctx); return err },
	"POST /private/webhooks": func(ctx context.Context, c *Client) error {
		_, err := c.CreateWebhookEndpoint(ctx, CreateWebhookEndpointParams{Name: "crm", URL: "https://crm.example/hooks", Events: []string{"order.status_changed"}})
		return err
	},
	"POST /private/webhooks/test": func(ctx context.Context, c *Client) error {
		_, err := c.TestWebhook(ctx, WebhookTestParams{EndpointID: uuidA, EventType: "api.test"})
		return err
	},
	"GET /private/webhooks/events": func(ctx context.Context, c *Client) error {
		return drain(c.WebhookEvents(ctx, WebhookEventListOptions{EventType: "order.created", CreatedFrom: sampleTime, PageOptions: PageOptions{PerPage: 50}}))
	},
	"GET /private/webhooks/events/{event}": func(ctx context.Context, c *Client) error { _, err := c.WebhookEvent(ctx, uuidA); return err },
	"GET /private/webhooks/deliveries": func(ctx context.Context, c *Client) error {
		return drain(c.WebhookDeliveries(ctx, WebhookDeliveryListOptions{EndpointID: uuidA, Status: "failed", PageOptions: PageOptions{Cursor: true}}))
	},
	"GET /private/webhooks/deliveries/{delivery}": func(ctx context.Context, c *Client) error {
		_, err := c.WebhookDelivery(ctx, uuidB)
		return err
	},
	"POST /private/webhooks/deliveries/{delivery}/retry": func(ctx context.Context, c *Client) error {
		_, err := c.RetryWebhookDelivery(ctx, uuidB)
		return err
	},
	"GET /private/webhooks/{webhook}": func(ctx context.Context, c *Client) error { _, err := c.WebhookEndpoint(ctx, uuidA); return err },
	"PATCH /private/webhooks/{webhook}": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateWebhookEndpoint(ctx, uuidA, UpdateWebhookEndpointParams{Status: WebhookPaused})
		return err
	},
	"DELETE /private/webhooks/{webhook}": func(ctx context.Context, c *Client) error { return c.DeleteWebhookEndpoint(ctx, uuidA) },
	"POST /private/webhooks/{webhook}/rotate-secret": func(ctx context.Context, c *Client) error {
		_, err := c.RotateWebhookSecret(ctx, uuidA)
		return err
	},

	"GET /private/exchange/payment-systems": func(ctx context.Context, c *Client) error {
		return drain(c.PaymentSystems(ctx, PaymentSystemListOptions{Side: "give", CurrencyCode: "USDT", Sort: []string{"sorting", "id"}}))
	},
	"GET /private/exchange/routes": func(ctx context.Context, c *Client) error {
		return drain(c.Routes(ctx, RouteListOptions{FromCurrencyID: 1, ToCurrencyID: 2}))
	},
	"GET /private/exchange/routes/{route}": func(ctx context.Context, c *Client) error { _, err := c.Route(ctx, 7); return err },
	"GET /private/exchange/routes/details": func(ctx context.Context, c *Client) error {
		_, err := c.RouteDetailsByQuery(ctx, RouteQuery{From: "USDT", To: "USD"})
		return err
	},
	"GET /private/exchange/routes/{route}/details": func(ctx context.Context, c *Client) error {
		_, err := c.RouteDetails(ctx, 7)
		return err
	},
	"GET /private/exchange/routes/{route}/capabilities": func(ctx context.Context, c *Client) error {
		_, err := c.RouteCapabilities(ctx, 7)
		return err
	},
	"GET /private/exchange/routes/{from}/{to}/details": func(ctx context.Context, c *Client) error {
		_, err := c.RouteDetailsByPair(ctx, 1, 2)
		return err
	},
	"GET /private/exchange/routes/{from}/{to}/capabilities": func(ctx context.Context, c *Client) error {
		_, err := c.RouteCapabilitiesByPair(ctx, 1, 2)
		return err
	},
	"POST /private/exchange/quotes": func(ctx context.Context, c *Client) error {
		_, err := c.Quote(ctx, QuoteParams{RouteID: 7, Amount: "100.50", TypeRate: "fixed"})
		return err
	},
	"POST /private/exchange/orders/preflight": func(ctx context.Context, c *Client) error {
		_, err := c.PreflightOrder(ctx, samplePreflight)
		return err
	},
	"POST /private/exchange/orders": func(ctx context.Context, c *Client) error {
		_, err := c.CreateOrder(ctx, CreateOrderParams{RouteID: 7, Amount: "100.50", IncomeAccount: "in", OutcomeAccount: "out", TypeRate: "floating",
			Email: "user@example.com", UserFields: map[string]any{"telegram": "@u"}})
		return err
	},
	"GET /private/exchange/orders/{order}":    func(ctx context.Context, c *Client) error { _, err := c.Order(ctx, "TR-1"); return err },
	"DELETE /private/exchange/orders/{order}": func(ctx context.Context, c *Client) error { return c.DeleteOrder(ctx, "TR-1") },
	"GET /private/exchange/orders/{order}/status": func(ctx context.Context, c *Client) error {
		_, err := c.OrderStatus(ctx, "TR-1")
		return err
	},
	"GET /private/exchange/orders/{order}/actions": func(ctx context.Context, c *Client) error {
		_, err := c.OrderActions(ctx, "TR-1")
		return err
	},
	"POST /private/exchange/orders/{order}/confirm": func(ctx context.Context, c *Client) error {
		_, err := c.ConfirmOrder(ctx, "TR-1", ConfirmOrderParams{Type: "paid", NumTx: "0xabc"})
		return err
	},
	"POST /private/exchange/orders/{order}/cancel": func(ctx context.Context, c *Client) error {
		_, err := c.CancelOrder(ctx, "TR-1", CancelOrderParams{})
		return err
	},
	"GET /private/exchange/orders/{order}/verifications": func(ctx context.Context, c *Client) error {
		_, err := c.OrderVerificationRequirements(ctx, "TR-1")
		return err
	},
	"POST /private/exchange/orders/{order}/verifications/submit": func(ctx context.Context, c *Client) error {
		_, err := c.SubmitOrderVerification(ctx, "TR-1", OrderVerificationParams{Identity: &IdentityVerificationParams{FullName: "A B", FileIntents: []string{uuidA}}})
		return err
	},

	"POST /private/files/upload-intents": func(ctx context.Context, c *Client) error {
		_, err := c.CreateUploadIntent(ctx, UploadIntentParams{Purpose: "identity_verification", AllowedExtensions: []string{"jpg", "png"}, MaxBytes: 1 << 20})
		return err
	},
	"GET /private/files/upload-intents/{intent}": func(ctx context.Context, c *Client) error { _, err := c.UploadIntent(ctx, uuidA); return err },
	"POST /private/files/upload-intents/{intent}/commit": func(ctx context.Context, c *Client) error {
		_, err := c.UploadFile(ctx, uuidA, "passport.jpg", UploadReader(strings.NewReader("\xff\xd8\xff not really a jpeg")))
		return err
	},

	"GET /private/verifications/requirements": func(ctx context.Context, c *Client) error {
		_, err := c.VerificationRequirements(ctx, VerificationRequirementsQuery{RouteID: 7})
		return err
	},
	"POST /private/verifications/identity": func(ctx context.Context, c *Client) error {
		_, err := c.CreateIdentityVerification(ctx, IdentityVerificationParams{FileIntents: []string{uuidA, uuidB}})
		return err
	},
	"GET /private/verifications/identity/{verification}": func(ctx context.Context, c *Client) error {
		_, err := c.IdentityVerification(ctx, "12")
		return err
	},
	"GET /private/verifications/identity/{verification}/actions": func(ctx context.Context, c *Client) error {
		_, err := c.IdentityVerificationActions(ctx, "12")
		return err
	},
	"POST /private/verifications/cards": func(ctx context.Context, c *Client) error {
		_, err := c.CreateCardVerification(ctx, CardVerificationParams{CardNumber: "4111111111111111", FileIntent: uuidA, Order: "TR-1"})
		return err
	},
	"GET /private/verifications/cards/{verification}": func(ctx context.Context, c *Client) error {
		_, err := c.CardVerification(ctx, "13")
		return err
	},
	"GET /private/verifications/cards/{verification}/actions": func(ctx context.Context, c *Client) error {
		_, err := c.CardVerificationActions(ctx, "13")
		return err
	},

	"POST /private/sandbox/exchange/orders/simulate": func(ctx context.Context, c *Client) error {
		_, err := c.SimulateOrder(ctx, samplePreflight)
		return err
	},
	"GET /private/reviews": func(ctx context.Context, c *Client) error {
		return drain(c.Reviews(ctx, ReviewListOptions{Rating: 5}))
	},
	"POST /private/reviews": func(ctx context.Context, c *Client) error {
		_, err := c.CreateReview(ctx, ReviewParams{Name: "Ann", Text: "Fast.", Rating: 5, TrackingID: "TR-1"})
		return err
	},
	"GET /private/orders/statuses": func(ctx context.Context, c *Client) error { _, err := c.OrderStatuses(ctx); return err },
	"GET /private/orders": func(ctx context.Context, c *Client) error {
		return drain(c.Orders(ctx, OrderListOptions{Status: []string{"paid"}, CreatedFrom: sampleTime, AmountMin: "10", Sort: []string{"-created_at"}}))
	},
	"GET /private/orders/{order}": func(ctx context.Context, c *Client) error { _, err := c.OrderDetails(ctx, "TR-1"); return err },

	"GET /private/partner":            func(ctx context.Context, c *Client) error { _, err := c.PartnerSummary(ctx); return err },
	"GET /private/partner/statistics": func(ctx context.Context, c *Client) error { _, err := c.PartnerStatistics(ctx); return err },
	"GET /private/partner/referrals": func(ctx context.Context, c *Client) error {
		return drain(c.PartnerReferrals(ctx, PartnerReferralListOptions{ClientEmail: "a@example.com"}))
	},
	"GET /private/partner/exchanges": func(ctx context.Context, c *Client) error {
		return drain(c.PartnerExchanges(ctx, PartnerExchangeListOptions{BonusMin: "1.5", OrderID: 3}))
	},
	"GET /private/partner/payouts": func(ctx context.Context, c *Client) error {
		return drain(c.PartnerPayouts(ctx, PartnerPayoutListOptions{Status: "paid", CreatedTo: sampleTime}))
	},
}

var sampleTime = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

var samplePreflight = PreflightParams{
	QuoteParams:    QuoteParams{IncomePaymentSystem: 1, OutcomePaymentSystem: 2, Amount: "250"},
	IncomeAccount:  "in",
	OutcomeAccount: "out",
}

// drain walks a list iterator and returns its first error.
func drain[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// loadSpec parses the embedded openapi.yaml.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(apispec.Document())
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	return doc
}

// specOperations lists "METHOD /path" for every operation of the spec.
func specOperations(doc *openapi3.T) map[string]*openapi3.Operation {
	ops := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops[method+" "+path] = op
		}
	}
	return ops
}

func TestContractEveryOperationHasAMethod(t *testing.T) {
	ops := specOperations(loadSpec(t))
	if len(ops) != 68 {
		t.Errorf("openapi.yaml has %d operations, want 68", len(ops))
	}
	var missing, stale []string
	for key := range ops {
		if contractCalls[key] == nil {
			missing = append(missing, key)
		}
	}
	for key := range contractCalls {
		if ops[key] == nil {
			stale = append(stale, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, k := range missing {
		t.Errorf("operation without a client method: %s", k)
	}
	for _, k := range stale {
		t.Errorf("table entry for an operation not in openapi.yaml: %s", k)
	}
}

// contractServer validates every request against the spec and answers a
// minimal valid envelope, or the error envelope fail says.
type contractServer struct {
	t      *testing.T
	router routers.Router
	fail   string // error.code to answer with; "" answers success

	mu   sync.Mutex
	seen []seenRequest
}

type seenRequest struct {
	key string // "METHOD /template", "" when no route matched
	err error  // validation failure
}

func (s *contractServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	seen := seenRequest{}
	route, params, err := s.router.FindRoute(r)
	if err != nil {
		seen.err = fmt.Errorf("no route for %s %s: %w", r.Method, r.URL.Path, err)
	} else {
		seen.key = route.Method + " " + route.Path
		seen.err = s.validate(r, route, params)
	}
	s.mu.Lock()
	s.seen = append(s.seen, seen)
	s.mu.Unlock()

	if s.fail != "" {
		errorEnvelope(w, http.StatusForbidden, s.fail, "")
		return
	}
	switch r.URL.Path {
	case "/api/v3/openapi.yaml":
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write([]byte("openapi: 3.1.0\n"))
		return
	case "/api/v3/private/health/client":
		// ClientHealth needs a health object; every other method accepts
		// a null result.
		envelope(w, http.StatusOK, rawJSON(`{"health":{"version":"client-health-v1","status":"ok"}}`), nil)
		return
	}
	envelope(w, http.StatusOK, nil, nil)
}

func (s *contractServer) validate(r *http.Request, route *routers.Route, params map[string]string) error {
	op := route.Operation
	private := op.Security == nil || len(*op.Security) > 0
	auth := r.Header.Get("Authorization")
	switch {
	case private && !strings.HasPrefix(auth, "Bearer "):
		return errors.New("private operation sent without a Bearer token")
	case !private && auth != "":
		return errors.New("public operation sent with a token")
	}
	wantsKey := false
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == "header" && p.Value.Name == "Idempotency-Key" {
			wantsKey = true
		}
	}
	if got := r.Header.Get("Idempotency-Key"); wantsKey != (got != "") {
		return fmt.Errorf("Idempotency-Key %q, operation takes one: %v", got, wantsKey)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: func(_ context.Context, ai *openapi3filter.AuthenticationInput) error {
				if ai.SecuritySchemeName != "sanctumBearer" {
					return fmt.Errorf("unexpected security scheme %q", ai.SecuritySchemeName)
				}
				if !strings.HasPrefix(ai.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
					return errors.New("no Bearer token")
				}
				return nil
			},
		},
	}
	return openapi3filter.ValidateRequest(r.Context(), in)
}

func (s *contractServer) take() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.seen
	s.seen = nil
	return out
}

func newContractServer(t *testing.T) (*contractServer, *Client) {
	t.Helper()
	doc := loadSpec(t)
	cs := &contractServer{t: t}
	srv := httptest.NewServer(cs)
	t.Cleanup(srv.Close)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	cs.router = router
	c, err := New(srv.URL+"/api/v3", WithToken("contract-token"), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return cs, c
}

func TestContractRequestsMatchSpec(t *testing.T) {
	cs, c := newContractServer(t)
	ctx := context.Background()
	keys := make([]string, 0, len(contractCalls))
	for k := range contractCalls {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		err := contractCalls[key](ctx, c)
		seen := cs.take()
		if err != nil {
			t.Errorf("%s: call failed: %v", key, err)
		}
		if len(seen) != 1 {
			t.Errorf("%s: the server saw %d requests, want 1", key, len(seen))
			continue
		}
		if seen[0].key != key {
			t.Errorf("%s: the request went to %q", key, seen[0].key)
		}
		if seen[0].err != nil {
			t.Errorf("%s: request does not match openapi.yaml: %v", key, seen[0].err)
		}
	}
}

// TestContractScopes answers scope_denied to every private operation and
// checks that the error names the scope openapi.yaml gives it.
func TestContractScopes(t *testing.T) {
	cs, c := newContractServer(t)
	cs.fail = "scope_denied"
	ops := specOperations(loadSpec(t))
	ctx := context.Background()
	for key, call := range contractCalls {
		op := ops[key]
		if op == nil || op.Security == nil || len(*op.Security) == 0 {
			continue
		}
		want := ""
		for _, req := range *op.Security {
			if scopes := req["sanctumBearer"]; len(scopes) > 0 {
				want = scopes[0]
			}
		}
		err := call(ctx, c)
		cs.take()
		var ae *APIError
		if !errors.As(err, &ae) || !errors.Is(err, ErrScopeDenied) {
			t.Errorf("%s: err = %v, want a scope_denied APIError", key, err)
			continue
		}
		if ae.Scope != want {
			t.Errorf("%s: error names scope %q, openapi.yaml says %q", key, ae.Scope, want)
		}
		if want != "" && !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error text %q does not name the scope", key, err)
		}
	}
}
