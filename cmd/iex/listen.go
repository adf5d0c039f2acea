package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

const listenUsage = `Usage: iex listen --forward-to URL [flags]

Receives the account's real events on this machine without a public URL:
it follows the API's event log (GET /private/webhooks/events, through
webhook.CatchUp) and forwards each event to URL as a webhook delivery,
signed with a forwarding secret, so that your own webhook.Handler verifies
it unchanged. Give your receiver that secret: iex listen prints the one it
made (kept in its state file, so it stays the same from run to run), or
takes yours from --webhook-secret-file or $IEX_WEBHOOK_SECRET and does not
print it.

It prints one line per event. A receiver that fails (non-2xx, no answer)
gets the event again on the next pass; the position is saved in a state
file, so a listen started again resumes after the last event forwarded and
forwards none twice. Event log pages go through the SDK client: signed,
paced under the rate limit, waiting out Retry-After.

Example:
  iex listen --forward-to http://localhost:8080/webhook --events order.status_changed
`

// runListen is "iex listen".
func runListen(ctx context.Context, a *app, args []string) error {
	fs := a.newFlagSet("listen", listenUsage)
	var (
		api         apiFlags
		forwardTo   string
		events      string
		interval    time.Duration
		since       time.Duration
		statePath   string
		secretFiles listFlag
		fwdTimeout  time.Duration
	)
	api.register(fs)
	fs.StringVar(&forwardTo, "forward-to", "", "URL of your webhook receiver (required)")
	fs.StringVar(&events, "events", "*", "event types to forward, comma-separated")
	fs.DurationVar(&interval, "interval", 2*time.Second, "time between two reads of the event log")
	fs.DurationVar(&since, "since", 0, "on the first run, also forward the events of this long before now (default: only new events)")
	fs.StringVar(&statePath, "state", "", "state file: position, forwarded events, forwarding secret (default: in the user cache directory)")
	fs.Var(&secretFiles, "webhook-secret-file", "sign with the secret in this file instead of a generated one (default $"+envWebhookSecret+")")
	fs.DurationVar(&fwdTimeout, "forward-timeout", 10*time.Second, "how long the receiver may take to answer")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := fs.wantArgs(pos); err != nil {
		return err
	}
	if u, err := url.Parse(forwardTo); forwardTo == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("listen: --forward-to wants the http(s) URL of your receiver")
	}
	if interval <= 0 || since < 0 || fwdTimeout <= 0 {
		return usagef("listen: --interval and --forward-timeout must be positive, --since not negative")
	}
	c, err := a.newClient(&api)
	if err != nil {
		return err
	}
	if statePath == "" {
		if statePath, err = defaultStatePath(c.BaseURL() + " " + forwardTo); err != nil {
			return configf("listen: no cache directory for the state file (%v): pass --state", err)
		}
	}
	state, err := openListenState(statePath)
	if err != nil {
		return configf("listen: %v", err)
	}
	state.onSaveError = func(err error) {
		fmt.Fprintf(a.stderr, "%s  the state file cannot be written (events will be forwarded again): %v\n", clock(), err)
	}
	secret, shown, err := a.forwardingSecret(secretFiles, state)
	if err != nil {
		return err
	}
	fw := &forwarder{a: a, url: forwardTo, secret: secret, hc: &http.Client{Timeout: fwdTimeout}}
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return configf("listen: %v", err)
	}
	h, err := webhook.NewHandler(v, state, fw.forward,
		webhook.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelError + 4}))))
	if err != nil {
		return err
	}
	opts := []webhook.CatchUpOption{webhook.WithCatchUpFrom(time.Now().Add(-since)), webhook.WithCatchUpName("listen")}
	if types := splitList(events); len(types) > 0 {
		opts = append(opts, webhook.WithCatchUpTypes(types...))
	}
	cu, err := webhook.NewCatchUp(h, chronological(c), opts...)
	if err != nil {
		return usagef("listen: %v", err)
	}

	fmt.Fprintf(a.stdout, "forwarding the events of %s to %s\n", c.BaseURL(), forwardTo)
	if shown {
		fmt.Fprintf(a.stdout, "  signed with the forwarding secret %s (give it to your receiver as its webhook secret)\n", secret)
	} else {
		fmt.Fprintln(a.stdout, "  signed with your webhook secret")
	}
	if at, ok, _ := cu.Checkpoint(ctx); ok {
		fmt.Fprintf(a.stdout, "  resuming after %s (state %s)\n", at.UTC().Format(time.RFC3339), statePath)
	} else {
		fmt.Fprintf(a.stdout, "  from %s on (state %s)\n", time.Now().Add(-since).UTC().Format(time.RFC3339), statePath)
	}
	fmt.Fprintln(a.stdout, "Ctrl-C stops it.")
	return follow(ctx, a, cu, interval)
}

// follow makes catch-up passes every interval until ctx is done. A refusal
// the user must fix (401, 403, 404) ends it; a network or server failure is
// reported and the next pass tries again, waiting longer each time, as it
// does while the receiver fails.
func follow(ctx context.Context, a *app, cu *webhook.CatchUp, interval time.Duration) error {
	wait := interval
	for {
		res, err := cu.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil // Ctrl-C: a normal end
		case err == nil && res.Failed > 0:
			// The receiver is down or failing: try again, less often.
			wait = min(2*wait, 30*time.Second)
		case err == nil:
			wait = interval
		default:
			var ae *client.APIError
			if errors.As(err, &ae) && ae.StatusCode < 500 && ae.StatusCode != http.StatusTooManyRequests {
				return err
			}
			fmt.Fprintf(a.stderr, "%s  reading the event log failed, trying again in %v: %v\n", clock(), wait, err)
			if ae != nil && ae.RetryAfter > wait {
				wait = ae.RetryAfter
			}
			wait = min(2*wait, time.Minute)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// forwardingSecret returns the secret deliveries are signed with, and
// whether it was generated (and so is shown): the user's from a file or
// $IEX_WEBHOOK_SECRET, else the one kept in the state file.
func (a *app) forwardingSecret(files []string, state *listenState) (string, bool, error) {
	if len(files) > 0 || a.getenv(envWebhookSecret) != "" {
		secrets, err := a.webhookSecrets(files)
		if err != nil {
			return "", false, err
		}
		return secrets[0], false, nil
	}
	s, err := state.secret(func() string {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		return "whsec_iex_" + hex.EncodeToString(b)
	})
	if err != nil {
		return "", false, configf("listen: state file: %v", err)
	}
	return s, true, nil
}

// forwarder sends events to the developer's receiver.
type forwarder struct {
	a      *app
	url    string
	secret string
	hc     *http.Client
}

// forward is the catch-up's business function: one signed delivery of ev
// (its id, type and stored body; a fresh timestamp and nonce), done when
// the receiver answers 2xx.
func (f *forwarder) forward(ctx context.Context, ev *webhook.Event) error {
	req, err := webhook.Delivery{
		Secret: f.secret, EventID: ev.ID, EventType: ev.Type, Body: ev.Body,
		RequestID: ev.RequestID, CorrelationID: ev.CorrelationID, URL: f.url,
	}.Request()
	if err != nil {
		return err
	}
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", "iex-listen/"+version())
	start := time.Now()
	resp, err := f.hc.Do(req)
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		fmt.Fprintf(f.a.stdout, "%s  %-24s %s  -> no answer: %v (again on the next pass)\n", clock(), ev.Type, ev.ID, errorText(err))
		return err
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(f.a.stdout, "%s  %-24s %s  -> %d %s (again on the next pass)\n", clock(), ev.Type, ev.ID, resp.StatusCode, oneLine(snippet))
		return fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	fmt.Fprintf(f.a.stdout, "%s  %-24s %s  -> %d (%v)\n", clock(), ev.Type, ev.ID, resp.StatusCode, took)
	return nil
}

// clock is the time at the start of an output line.
func clock() string { return time.Now().UTC().Format("15:04:05") }

// errorText is an error without the URL net/http wraps around it.
func errorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// oneLine is the start of a body, on one line.
func oneLine(b []byte) string {
	s := strings.Join(strings.Fields(string(bytes.ToValidUTF8(b, []byte("?")))), " ")
	return truncateText(s, 120)
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// shortHash names a file after a key.
func shortHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}
