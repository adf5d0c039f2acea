package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
	"github.com/iexkit/exchanger-go/webhook"
)

// runEnv is run with its environment made explicit.
func runEnv(ctx context.Context, w io.Writer, args []string, e demo.Env) error {
	cfg, err := parseConfig(args, e.Stderr)
	if err != nil {
		return err
	}
	log := demo.NewLogger(e.Stderr, cfg.verbose)
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	start := time.Now()
	// The embedded fake's orders walk through processing to completed on
	// their own, one step every -fake-step.
	tg, err := demo.Connect(e, "exchanger-go-quickstart", []clienttest.Option{
		clienttest.WithOrderSchedule([]string{clienttest.StatusProcessing, clienttest.StatusCompleted}, cfg.fakeStep),
		clienttest.WithLogger(log.With("component", "fake-exchanger")),
	}, log)
	if err != nil {
		return err
	}
	defer tg.Close()
	q := &quickstart{cfg: cfg, env: e, log: log, tg: tg, c: tg.Client, t: transcript{w}}
	q.t.step("exchanger", "%s", tg.About)
	if err := q.flow(ctx); err != nil {
		return err
	}
	q.t.step("done", "in %s", since(start))
	return nil
}

// quickstart holds what the steps share.
type quickstart struct {
	cfg config
	env demo.Env
	log *slog.Logger
	tg  *demo.Target
	c   *client.Client
	t   transcript

	missing []string // the fields the preflight found missing
}

// flow runs the steps in the order an integration does them.
func (q *quickstart) flow(ctx context.Context) error {
	// Whether an order will be created decides whether a webhook is worth
	// registering: a real exchanger gets one only with -create and -webhook-url.
	fake := q.tg.Fake != nil
	willCreate := fake || q.cfg.create
	var rcv *demo.Receiver
	switch {
	case fake || (willCreate && q.cfg.webhookURL != ""):
		r, err := demo.StartReceiver(ctx, q.c, demo.ReceiverConfig{
			Listen:    q.cfg.listen,
			PublicURL: q.cfg.webhookURL,
			Name:      "exchanger-go quickstart",
			Events:    []string{webhook.TypeOrderStatusChanged},
		}, q.env, q.log)
		if err != nil {
			return err
		}
		defer r.Stop(q.c, q.log)
		rcv = r
		q.t.step("webhook", "receiver %s registered as endpoint %s for order.status_changed", r.URL, short(r.EndpointID, 8))
	case !willCreate:
		q.t.step("webhook", "not registered: no order will be created")
	default:
		q.t.step("webhook", "not registered: a real exchanger cannot reach this machine's 127.0.0.1;")
		q.t.step("", "pass -webhook-url with a public URL forwarded to -listen. The status will be polled.")
	}

	if err := q.ping(ctx); err != nil {
		return err
	}
	if err := q.health(ctx); err != nil {
		return err
	}
	if err := q.paymentSystems(ctx); err != nil {
		return err
	}
	route, err := q.pickRoute(ctx)
	if err != nil {
		return err
	}
	if err := q.capabilities(ctx, route); err != nil {
		return err
	}
	quote, qp, err := q.quote(ctx, route)
	if err != nil {
		return err
	}
	params, ok, err := q.preflight(ctx, route, quote, qp)
	if err != nil {
		return err
	}
	if !willCreate {
		q.t.step("create order", "skipped: this is a real exchanger; pass -create to create a real order")
		return nil
	}
	if !ok {
		if len(q.missing) > 0 {
			return fmt.Errorf("the preflight says the order cannot be created: missing %s; %s",
				strings.Join(q.missing, ", "), flagHint(q.missing))
		}
		return errors.New("the preflight says the order cannot be created (it names no missing field; see allowed and can_create_order above)")
	}
	order, err := q.createOrder(ctx, route, params)
	if err != nil {
		return err
	}
	return q.follow(ctx, rcv, order)
}

func (q *quickstart) ping(ctx context.Context) error {
	pong, err := q.c.Ping(ctx)
	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	when := "-"
	if !pong.ServerTime.IsZero() {
		when = pong.ServerTime.UTC().Format(time.RFC3339)
	}
	if pong.Status != "" {
		q.t.step("ping", "status %s, site %q, server time %s", pong.Status, pong.SiteName, when)
	} else {
		q.t.step("ping", "%s, server time %s", orDash(pong.Message), when)
	}
	return nil
}

func (q *quickstart) health(ctx context.Context) error {
	h, err := q.c.ClientHealth(ctx)
	if err != nil {
		return fmt.Errorf("client health: %w", err)
	}
	k, ok := q.c.KeyInfo()
	if !ok {
		q.t.step("health", "status %s (the server did not describe the key)", orDash(h.Status))
		return nil
	}
	expires := "never"
	if !k.ExpiresAt.IsZero() {
		expires = k.ExpiresAt.UTC().Format(time.RFC3339)
	}
	q.t.step("health", "status %s, key %q, hmac_required %t, expires %s", orDash(h.Status), k.Name, k.HMACRequired, expires)
	// The scopes the quickstart's calls need.
	needed := []string{"client:health:read", "exchange:routes:read", "exchange:capabilities:read",
		"exchange:quotes:read", "exchange:preflight:read", "exchange:orders:create", "orders:read", "webhooks:write"}
	var missing []string
	for _, s := range needed {
		if !k.HasScope(s) {
			missing = append(missing, s)
		}
	}
	verdict := "all granted"
	if len(missing) > 0 {
		verdict = "missing " + strings.Join(missing, ", ")
	}
	q.t.step("", "%d scopes; the ones this flow needs: %s", len(k.Scopes), verdict)
	q.log.Debug("key scopes", "scopes", k.Scopes)
	return nil
}

func (q *quickstart) paymentSystems(ctx context.Context) error {
	var codes []string
	for ps, err := range q.c.PaymentSystems(ctx, client.PaymentSystemListOptions{}) {
		if err != nil {
			return fmt.Errorf("payment systems: %w", err)
		}
		codes = append(codes, orDash(ps.Codes.Letter))
	}
	const shown = 8
	more := ""
	if len(codes) > shown {
		more = fmt.Sprintf(" and %d more", len(codes)-shown)
		codes = codes[:shown]
	}
	q.t.step("payment systems", "%d: %s%s", len(codes), strings.Join(codes, ", "), more)
	return nil
}

// pickRoute returns -route, or the first enabled route of the list.
func (q *quickstart) pickRoute(ctx context.Context) (*client.Route, error) {
	var route *client.Route
	if q.cfg.routeID > 0 {
		r, err := q.c.Route(ctx, q.cfg.routeID)
		if err != nil {
			return nil, fmt.Errorf("route %d: %w", q.cfg.routeID, err)
		}
		route = r
	} else {
		for r, err := range q.c.Routes(ctx, client.RouteListOptions{}) {
			if err != nil {
				return nil, fmt.Errorf("routes: %w", err)
			}
			if r.IsEnabled {
				route = &r
				break // stops the iterator: no further pages are fetched
			}
		}
		if route == nil {
			return nil, errors.New("routes: the exchanger lists no enabled route")
		}
	}
	q.t.step("route", "#%d %s (%s -> %s), rate %s, give %s..%s", route.ID, route.Name,
		orDash(route.From.Code), orDash(route.To.Code), orDash(string(route.Rate.Course)),
		orDash(string(route.Limits.MinGive)), orDash(string(route.Limits.MaxGive)))
	return route, nil
}

func (q *quickstart) capabilities(ctx context.Context, route *client.Route) error {
	caps, err := q.c.RouteCapabilities(ctx, route.ID)
	if err != nil {
		return fmt.Errorf("route capabilities: %w", err)
	}
	available, _ := caps.Status["available"].(bool)
	var required []string
	for _, f := range caps.Fields {
		if req, _ := f["required"].(bool); req {
			if k, _ := f["key"].(string); k != "" {
				required = append(required, k)
			}
		}
	}
	var checks []string
	if r := caps.Requirements; r != nil {
		if r.Identity.Required {
			checks = append(checks, "identity")
		}
		if r.Card.Required {
			checks = append(checks, "card")
		}
	}
	q.t.step("capabilities", "available %t, required fields: %s, verifications: %s",
		available, orDash(strings.Join(required, ", ")), orDash(strings.Join(checks, ", ")))
	return nil
}

func (q *quickstart) quote(ctx context.Context, route *client.Route) (*client.Quote, client.QuoteParams, error) {
	amount := q.cfg.amount
	if amount == "" {
		amount = string(route.Limits.MinGive)
	}
	if amount == "" {
		amount = "100"
	}
	qp := client.QuoteParams{RouteID: route.ID, Amount: amount}
	quote, err := q.c.Quote(ctx, qp)
	if err != nil {
		return nil, qp, fmt.Errorf("quote: %w", err)
	}
	rate := string(quote.Rate.Value)
	if quote.Rate.Display != "" {
		rate = quote.Rate.Display
	}
	q.t.step("quote", "give %s %s -> receive %s %s, rate %s", quote.Amounts.Give, route.From.Code,
		quote.Amounts.Receive, route.To.Code, orDash(rate))
	return quote, qp, nil
}

// preflight checks the order before creating it. It fills the accounts the
// route asks for from the flags, or with demo values on the fake.
func (q *quickstart) preflight(ctx context.Context, route *client.Route, quote *client.Quote, qp client.QuoteParams) (client.CreateOrderParams, bool, error) {
	in, out := q.cfg.incomeAccount, q.cfg.outcomeAccount
	if q.tg.Fake != nil {
		if in == "" {
			in = "TDemoIncomeWallet0000000000000001"
		}
		if out == "" {
			out = "4276000011112222"
		}
	}
	pp := client.PreflightParams{QuoteParams: qp, IncomeAccount: in, OutcomeAccount: out, Snapshot: quote.Snapshot}
	pf, err := q.c.PreflightOrder(ctx, pp)
	if err != nil {
		return client.CreateOrderParams{}, false, fmt.Errorf("preflight: %w", err)
	}
	var missing []string
	q.missing = q.missing[:0]
	for _, m := range pf.MissingFields {
		missing = append(missing, fmt.Sprintf("%s (%s)", m.Field, orDash(m.Type)))
		q.missing = append(q.missing, m.Field)
	}
	q.t.step("preflight", "allowed %t, can_create_order %t, missing: %s", pf.Allowed, pf.CanCreateOrder,
		orDash(strings.Join(missing, ", ")))
	if len(q.missing) > 0 {
		q.t.step("", "%s", flagHint(q.missing))
	}
	snap := pf.Snapshot
	if snap == nil {
		snap = quote.Snapshot
	}
	params := client.CreateOrderParams{RouteID: route.ID, Amount: qp.Amount, IncomeAccount: in,
		OutcomeAccount: out, Snapshot: snap}
	return params, pf.CanCreateOrder, nil
}

// createOrder creates the order under a business Idempotency-Key, then
// repeats the call with the same key to show that it creates nothing new.
func (q *quickstart) createOrder(ctx context.Context, route *client.Route, p client.CreateOrderParams) (*client.Order, error) {
	key := q.cfg.orderKey
	if key == "" {
		key = fmt.Sprintf("quickstart-%s-route-%d", time.Now().UTC().Format("20060102T150405Z"), route.ID)
	}
	var resp client.Response
	order, err := q.c.CreateOrder(ctx, p, client.WithIdempotencyKey(key), client.WithResponse(&resp))
	if err != nil {
		// With client.ErrOutcomeUnknown the order may exist: running again
		// with the same -idempotency-key returns it instead of a second one.
		if hint := flagHint(refusedFields(err)); hint != "" && errors.Is(err, client.ErrValidation) {
			return nil, fmt.Errorf("create order (Idempotency-Key %s): %w; %s", key, err, hint)
		}
		return nil, fmt.Errorf("create order (Idempotency-Key %s): %w", key, err)
	}
	q.t.step("create order", "%s, status %s: give %s %s, receive %s %s", demo.OrderRef(order), order.Status.Key,
		order.Amounts.Give, route.From.Code, order.Amounts.Receive, route.To.Code)
	q.t.step("", "Idempotency-Key %s, request id %s", key, orDash(short(resp.RequestID, 8)))

	var again client.Response
	twin, err := q.c.CreateOrder(ctx, p, client.WithIdempotencyKey(key), client.WithResponse(&again))
	if err != nil {
		return nil, fmt.Errorf("create order again with the same key: %w", err)
	}
	q.t.step("same key again", "order %s, Idempotency-Replayed %t: no second order", demo.OrderRef(twin), again.IdempotencyReplayed)
	return order, nil
}
