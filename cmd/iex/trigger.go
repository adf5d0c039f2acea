package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

const triggerUsage = `Usage: iex trigger [flags] EVENT_TYPE

Makes the server send a webhook event of EVENT_TYPE to the account's
endpoints (POST /private/webhooks/test), with a realistic sample of the
event's data, or yours with -d. Against iex fake, deliveries are signed and
retried like real ones, and iex listen forwards the event too; against a
real exchanger it sends the same test event.

iex trigger --list lists the event types.
`

// samplesJSON holds one sample of each event type's data, shaped like the
// payloads package webhook decodes.
//
//go:embed samples.json
var samplesJSON []byte

// samples returns the sample data by event type.
func samples() (map[string]map[string]any, error) {
	var m map[string]map[string]any
	err := json.Unmarshal(samplesJSON, &m)
	return m, err
}

// runTrigger is "iex trigger".
func runTrigger(ctx context.Context, a *app, args []string) error {
	fs := a.newFlagSet("trigger", triggerUsage)
	var (
		api      apiFlags
		endpoint string
		data     string
		list     bool
	)
	api.register(fs)
	fs.StringVar(&endpoint, "endpoint", "", "deliver to this endpoint id only (default: every active endpoint)")
	fs.StringVar(&data, "d", "", "the event's data, a JSON object: the text itself, @FILE, or @- (default: a sample)")
	fs.BoolVar(&list, "list", false, "list the event types and exit")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if list {
		types := webhook.KnownTypes()
		sort.Strings(types)
		for _, t := range types {
			fmt.Fprintln(a.stdout, t)
		}
		return nil
	}
	if err := fs.wantArgs(pos, "EVENT_TYPE"); err != nil {
		return err
	}
	p := client.WebhookTestParams{EventType: pos[0], EndpointID: endpoint}
	if data != "" {
		b, err := a.readData(data)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &p.Payload); err != nil || p.Payload == nil {
			return usagef("trigger: -d must be a JSON object")
		}
	} else {
		all, err := samples()
		if err != nil {
			return err
		}
		p.Payload = all[p.EventType] // none for a type iex does not know: the server's default
	}
	c, err := a.newClient(&api)
	if err != nil {
		return err
	}
	res, err := c.TestWebhook(ctx, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "event %s (%s) sent to %d endpoint(s)\n", res.Event.ID, res.Event.Type, len(res.Deliveries))
	for _, d := range res.Deliveries {
		fmt.Fprintf(a.stdout, "  delivery %s -> endpoint %s: %s\n", d.ID, d.EndpointID, d.Status)
	}
	if len(res.Deliveries) == 0 {
		fmt.Fprintln(a.stdout, "no active endpoint: the event is in the events API (iex listen forwards it), or register one (iex fake --webhook-url URL)")
	}
	return nil
}
