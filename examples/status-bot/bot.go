package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"time"

	"github.com/iexkit/exchanger-go/client"
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
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	fake := e.Getenv(demo.EnvBaseURL) == ""
	if fake {
		cfg.useFakeDefaults()
	} else if len(cfg.refs) == 0 {
		return errors.New("name the orders to follow (numeric id, public_id or tracking_id) after the flags")
	}
	tg, err := demo.Connect(e, "exchanger-go-status-bot", fakeOptions(cfg, log), log)
	if err != nil {
		return err
	}
	defer tg.Close()
	fmt.Fprintf(w, "exchanger: %s\n", tg.About)

	b := &bot{cfg: cfg, c: tg.Client, log: log, w: w, index: map[string]*tracked{}}
	var events <-chan *webhook.Event
	var rcv *demo.Receiver
	var loss lossy
	if fake || cfg.webhookURL != "" {
		rc := demo.ReceiverConfig{
			Listen:    cfg.listen,
			PublicURL: cfg.webhookURL,
			Name:      "exchanger-go status-bot",
			Events:    []string{webhook.TypeOrderStatusChanged, webhook.TypeOrderPaymentReceived},
			Buffer:    256,
		}
		if fake {
			loss.every = cfg.fakeLose
			rc.Wrap = loss.wrap
		}
		rcv, err = demo.StartReceiver(ctx, tg.Client, rc, e, log)
		if err != nil {
			return err
		}
		defer rcv.Stop(tg.Client, log)
		events = rcv.Events()
		fmt.Fprintf(w, "webhook: receiver %s registered for order.status_changed and order.payment_received\n", rcv.URL)
	} else {
		fmt.Fprintln(w, "webhook: none (pass -webhook-url with a public URL forwarded to -listen); polling only")
	}

	start := time.Now()
	if fake {
		orders, err := createDemoOrders(ctx, tg.Client, cfg.fakeRoute, cfg.orders)
		if err != nil {
			return err
		}
		b.add(orders...)
		fmt.Fprintf(w, "created %d demo orders; %s\n", len(orders), lossNote(cfg.fakeLose))
	} else {
		for _, ref := range cfg.refs {
			t := newTracked(ref, start)
			if rcv != nil {
				t.nextPoll = start.Add(cfg.stale) // the webhook may tell first
			}
			b.add(t)
		}
	}
	fmt.Fprintf(w, "following %d orders: webhook first, a poll after %s without an event, within the rate limit\n",
		len(b.orders), cfg.stale)

	followErr := b.follow(ctx, events)
	b.summary(start)
	if tg.Fake != nil {
		st := tg.Fake.Stats()
		fmt.Fprintf(w, "the fake served %d requests (%d answered 429); the receiver lost %d deliveries\n",
			st.Total.Requests, st.Total.RateLimited, loss.lost.Load())
	}
	return followErr
}

// bot follows the orders. One goroutine (follow's) owns all the state;
// webhook events and poll answers come to it through channels.
type bot struct {
	cfg    config
	c      *client.Client
	log    *slog.Logger
	w      io.Writer
	orders []*tracked
	index  map[string]*tracked // every alias of every order

	results  chan pollResult
	inFlight int
}

type pollResult struct {
	t   *tracked
	st  *client.OrderStatus
	err error
}

func (b *bot) add(ts ...*tracked) {
	for _, t := range ts {
		t.backoff = b.cfg.stale
		if t.nextPoll.IsZero() {
			t.nextPoll = t.started.Add(b.cfg.stale)
		}
		b.orders = append(b.orders, t)
		b.alias(t, t.aliases...)
	}
}

func (b *bot) alias(t *tracked, refs ...string) {
	for _, r := range refs {
		if r != "" && r != "0" {
			b.index[r] = t
		}
	}
}

// tick is how often the bot looks for stale orders.
func (b *bot) tick() time.Duration {
	return min(max(b.cfg.stale/4, 50*time.Millisecond), time.Second)
}

// follow runs until every order is final, or ctx ends.
func (b *bot) follow(ctx context.Context, events <-chan *webhook.Event) error {
	b.results = make(chan pollResult, b.cfg.parallel)
	ticker := time.NewTicker(b.tick())
	defer ticker.Stop()
	defer b.drain()
	for b.open() > 0 {
		select {
		case ev := <-events:
			b.onEvent(ev)
		case r := <-b.results:
			b.onPoll(r)
		case <-ticker.C:
			b.pollStale(ctx)
		case <-ctx.Done():
			return fmt.Errorf("%d of %d orders not final: %w", b.open()+b.abandoned(), len(b.orders), ctx.Err())
		}
	}
	if n := b.abandoned(); n > 0 {
		return fmt.Errorf("%d of %d orders could not be followed (see the summary)", n, len(b.orders))
	}
	return nil
}

// drain waits for the polls still in flight (their context ends them).
func (b *bot) drain() {
	for ; b.inFlight > 0; b.inFlight-- {
		b.onPollAnswer(<-b.results)
	}
}

func (b *bot) open() int {
	n := 0
	for _, t := range b.orders {
		if t.open() {
			n++
		}
	}
	return n
}

// abandoned counts the orders the bot stopped following after an answer
// that polling again cannot change.
func (b *bot) abandoned() int {
	n := 0
	for _, t := range b.orders {
		if t.gaveUp != "" {
			n++
		}
	}
	return n
}

func (b *bot) onEvent(ev *webhook.Event) {
	o := ev.OrderRef()
	if o == nil {
		return
	}
	var t *tracked
	for _, r := range []string{o.TrackingID, o.PublicID, string(o.ID)} {
		if t = b.index[r]; r != "" && t != nil {
			break
		}
	}
	if t == nil {
		b.log.Debug("event about an order not followed", "event", ev.ID, "type", ev.Type)
		return
	}
	b.alias(t, o.TrackingID, o.PublicID, string(o.ID))
	wasFinal := t.final
	t.heard(time.Now(), o.Status.Key, o.Final(), b.cfg.stale)
	b.log.Debug("webhook", "order", t.ref, "type", ev.Type, "status", o.Status.Key, "event", ev.ID)
	if t.final && !wasFinal {
		b.log.Info("order final", "order", t.ref, "status", t.status, "via", t.via)
	}
}

func (b *bot) onPoll(r pollResult) {
	b.inFlight--
	b.onPollAnswer(r)
}

func (b *bot) onPollAnswer(r pollResult) {
	t, now := r.t, time.Now()
	t.polling = false
	if r.err != nil {
		var apiErr *client.APIError
		if errors.As(r.err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429 {
			// 404, 403, 401...: asking again gives the same answer.
			t.gaveUp = fmt.Sprintf("%d %s", apiErr.StatusCode, orDash(apiErr.Code))
			b.log.Error("order not followed any more", "order", t.ref, "err", r.err)
			return
		}
		b.log.Warn("status poll failed", "order", t.ref, "err", r.err)
		t.failed(now, b.cfg.maxPollInterval())
		return
	}
	b.alias(t, r.st.TrackingID)
	wasFinal := t.final
	t.polled(now, r.st.Key, r.st.IsFinal, b.cfg.maxPollInterval())
	if t.final && !wasFinal {
		b.log.Info("order final", "order", t.ref, "status", t.status, "via", t.via)
	}
}

// pollStale polls the orders that have waited longest without news, as
// many as the rate limit allows this tick.
func (b *bot) pollStale(ctx context.Context) {
	now := time.Now()
	var due []*tracked
	for _, t := range b.orders {
		if t.due(now) {
			due = append(due, t)
		}
	}
	if len(due) == 0 {
		return
	}
	sort.Slice(due, func(i, j int) bool { return due[i].nextPoll.Before(due[j].nextPoll) })
	n := min(len(due), b.cfg.parallel-b.inFlight, b.pollBudget(now))
	if n < len(due) {
		b.log.Debug("polls deferred by the rate limit or -parallel", "due", len(due), "now", max(n, 0))
	}
	for _, t := range due[:max(n, 0)] {
		t.polling = true
		t.polls++
		b.inFlight++
		go func(t *tracked) {
			st, err := b.c.OrderStatus(ctx, t.ref)
			b.results <- pollResult{t: t, st: st, err: err}
		}(t)
	}
}

// pollBudget is how many polls this tick may send: a tick's share of the
// requests left in the rate-limit window (at least one while any is
// left), keeping a tenth of the limit for the integration's other calls.
// Before the server has said anything, one poll finds out.
func (b *bot) pollBudget(now time.Time) int {
	rl, ok := b.c.RateLimit()
	if !ok || rl.Remaining < 0 {
		return 1
	}
	// Polls in flight are not counted in Remaining yet.
	left := rl.Remaining - b.inFlight
	if rl.Limit > 0 {
		left -= rl.Limit / 10
	}
	if left <= 0 {
		return 0
	}
	// rl.Reset is on the server's clock.
	untilReset := rl.Reset.Sub(now.Add(b.c.ClockOffset()))
	if rl.Reset.IsZero() || untilReset <= b.tick() {
		return left
	}
	return max(1, int(int64(left)*int64(b.tick())/int64(untilReset)))
}

// summary prints one line per order, then the totals.
func (b *bot) summary(start time.Time) {
	byWebhook, byPoll, polls := 0, 0, 0
	for _, t := range b.orders {
		polls += t.polls
		state, after := "not final", ""
		switch t.via {
		case "webhook":
			byWebhook++
		case "poll":
			byPoll++
		}
		switch {
		case t.final:
			state = "final via " + t.via
			after = " after " + t.finished.Sub(t.started).Round(10*time.Millisecond).String()
		case t.gaveUp != "":
			state = "gave up: " + t.gaveUp
		}
		fmt.Fprintf(b.w, "%-14s %-11s %-17s%s (events %d, polls %d)\n", t.ref, orDash(t.status), state, after, t.events, t.polls)
	}
	fmt.Fprintf(b.w, "%d of %d orders final in %s: %d via webhook, %d via poll; %d status polls in all\n",
		byWebhook+byPoll, len(b.orders), time.Since(start).Round(10*time.Millisecond), byWebhook, byPoll, polls)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// lossNote says what -fake-lose does to the demo's deliveries.
func lossNote(n int) string {
	switch n {
	case 0:
		return "the receiver takes every delivery"
	case 1:
		return "the receiver loses every delivery"
	default:
		return fmt.Sprintf("the receiver loses one delivery in %d", n)
	}
}
