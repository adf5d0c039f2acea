package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/signer"
	"github.com/iexkit/exchanger-go/webhook"
)

const webhookVerifyUsage = `Usage: iex webhook verify --headers FILE [--body FILE] [flags]

Checks a saved webhook delivery as webhook.Verifier does (docs/api.md §5)
and says which check failed: a missing or malformed header, the body size,
the signature, the freshness window, the JSON body. On a signature failure
it shows the canonical string the signature must cover, and tries the
usual mistakes: a body saved with a newline at its end or re-encoded, or
the API's HMAC secret in place of the endpoint's webhook secret.

The secret comes from $IEX_WEBHOOK_SECRET (comma-separated during a
rotation) or --webhook-secret-file (repeatable). The headers file holds
"Name: value" lines (a raw request, curl -D or -v output) or a JSON object;
the body file holds the body exactly as received. A raw request saved whole
(headers, blank line, body) needs no --body.

Exit code 0 when the delivery verifies, 1 when it does not.
`

// runWebhookVerify is "iex webhook verify".
func runWebhookVerify(_ context.Context, a *app, args []string) error {
	fs := a.newFlagSet("webhook verify", webhookVerifyUsage)
	var (
		headersFile, bodyFile string
		secretFiles           listFlag
		tolerance             time.Duration
	)
	fs.StringVar(&headersFile, "headers", "", "file with the delivery's headers (required)")
	fs.StringVar(&bodyFile, "body", "", "file with the delivery's raw body, or - for stdin (default: what follows the blank line of a raw request in --headers)")
	fs.Var(&secretFiles, "webhook-secret-file", "read a webhook secret from this file (repeatable; default $"+envWebhookSecret+")")
	fs.DurationVar(&tolerance, "tolerance", webhook.DefaultTolerance, "freshness window of X-Webhook-Timestamp; 0 skips the check (a saved delivery is old)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := fs.wantArgs(pos); err != nil {
		return err
	}
	if headersFile == "" {
		return usagef("webhook verify: --headers is required (see iex webhook verify -h)")
	}
	secrets, err := a.webhookSecrets(secretFiles)
	if err != nil {
		return err
	}
	hb, err := readFile(headersFile)
	if err != nil {
		return err
	}
	h, err := parseHeaderFile(hb)
	if err != nil {
		return fmt.Errorf("headers file %s: %w", headersFile, err)
	}
	var body []byte
	switch bodyFile {
	case "":
		var ok bool
		if body, ok = dumpBody(hb); !ok || bytes.HasPrefix(bytes.TrimSpace(hb), []byte("{")) {
			return usagef("webhook verify: --body is required unless the headers file is a raw request with its body after the blank line")
		}
	case "-":
		body, err = readBounded(a.stdin, "stdin")
	default:
		body, err = readFile(bodyFile)
	}
	if err != nil {
		return err
	}
	v, err := webhook.NewVerifier(secrets[0], webhook.WithSecrets(secrets[1:]...), webhook.WithTolerance(tolerance))
	if err != nil {
		return configf("webhook secret: %v", err)
	}
	ev, verr := v.Verify(h, body)
	if verr == nil {
		writeVerified(a.stdout, ev)
		return nil
	}
	var ve *webhook.VerifyError
	if !errors.As(verr, &ve) {
		return verr
	}
	fmt.Fprintf(a.stdout, "refused by the %s check: %v\n", ve.Check, verr)
	if errors.Is(verr, webhook.ErrStale) {
		fmt.Fprintln(a.stdout, "the signature is valid; a saved delivery is old: --tolerance 0 skips the freshness check")
	}
	if errors.Is(verr, webhook.ErrBadSignature) {
		writeSignatureDiagnosis(a.stdout, h, body, secrets, a.getenv(client.EnvHMACSecret))
	}
	return &refusedError{fmt.Sprintf("the delivery does not verify (%s check)", ve.Check)}
}

// writeVerified describes an authentic delivery.
func writeVerified(w io.Writer, ev *webhook.Event) {
	fmt.Fprintln(w, "ok: the delivery verifies")
	fmt.Fprintf(w, "  event:      %s (%s)\n", ev.ID, ev.Type)
	fmt.Fprintf(w, "  signed at:  %s (X-Webhook-Timestamp %d)\n", ev.SentAt.UTC().Format(time.RFC3339), ev.SentAt.Unix())
	if !ev.CreatedAt.IsZero() {
		fmt.Fprintf(w, "  created at: %s\n", ev.CreatedAt.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(w, "  body:       %d bytes, SHA-256 %s\n", len(ev.Body), signer.BodySHA256(ev.Body))
	if ev.RequestID != "" {
		fmt.Fprintf(w, "  request id: %s\n", ev.RequestID)
	}
	if ev.CorrelationID != "" {
		fmt.Fprintf(w, "  correlation id: %s\n", ev.CorrelationID)
	}
}

// writeSignatureDiagnosis shows what the signature must cover and tries
// the mistakes that make a genuine delivery fail.
func writeSignatureDiagnosis(w io.Writer, h http.Header, body []byte, secrets []string, apiSecret string) {
	get := func(name string) string { return headerValue(h, name) }
	id, typ, ts, nonce := get(webhook.HeaderEventID), get(webhook.HeaderEventType), get(webhook.HeaderTimestamp), get(webhook.HeaderNonce)
	fmt.Fprintln(w, "the signature was checked against this canonical string (6 lines joined by \"\\n\"; docs/api.md §5):")
	for _, line := range strings.Split(webhook.Canonical(id, typ, ts, nonce, body), "\n") {
		fmt.Fprintf(w, "  | %s\n", line)
	}
	fmt.Fprintf(w, "  (the last line is the SHA-256 of the %d body bytes)\n", len(body))
	sigOK := func(secret string, b []byte) bool {
		v, err := webhook.NewVerifier(secret, webhook.WithTolerance(0))
		if err != nil {
			return false
		}
		_, err = v.Verify(h, b)
		return !errors.Is(err, webhook.ErrBadSignature)
	}
	anyOK := func(b []byte) bool {
		for _, s := range secrets {
			if sigOK(s, b) {
				return true
			}
		}
		return false
	}
	var hints []string
	if t := bytes.TrimRight(body, "\r\n"); len(t) < len(body) && anyOK(t) {
		hints = append(hints, "the signature matches the body without its line break at the end: the file gained one after it was received; verify the raw bytes")
	}
	var compact bytes.Buffer
	if len(hints) == 0 && json.Compact(&compact, body) == nil && !bytes.Equal(compact.Bytes(), body) && anyOK(compact.Bytes()) {
		hints = append(hints, "the signature matches the body with its whitespace removed: the body was re-encoded after it was received; verify the raw bytes")
	}
	for _, s := range secrets {
		if apiSecret != "" && s == apiSecret {
			hints = append(hints, "the secret given is the API key's HMAC secret ($"+client.EnvHMACSecret+"); deliveries are signed with the endpoint's webhook secret, returned when the endpoint was created or its secret rotated")
		}
		if strings.TrimSpace(s) != s || strings.Trim(s, `"'`) != s {
			hints = append(hints, "a webhook secret has spaces or quotes around it; the secret is the bare string")
		}
	}
	if len(hints) == 0 {
		hints = append(hints, "no usual mistake explains it: check that the secret is this endpoint's current one (after a rotation, give both), and that the body is the delivery's own")
	}
	for _, hint := range hints {
		fmt.Fprintln(w, "hint: "+hint)
	}
}

// headerValue finds a header by name, ignoring case, as Verify does.
func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}
