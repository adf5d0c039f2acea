package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A validation_error's message carries the field messages, sorted by
// field, so a log line says what to fix; Details keeps them as sent.
func TestValidationErrorMessageListsFields(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 422, "validation_error", "req-v", map[string]any{
			"outcome_account": []string{"The outcome account field is required."},
			"amount":          []string{"The amount must be at least 10.", "The amount must be a decimal."},
		})
	})
	c := newTestClient(t, f)
	_, err := c.do(context.Background(), createCall(), nil, nil)
	if !errors.Is(err, ErrValidation) {
		t.Fatalf("want ErrValidation, got %v", err)
	}
	want := `: failed: validation_error (amount: "The amount must be at least 10."; amount: "The amount must be a decimal."; ` +
		`outcome_account: "The outcome account field is required.") (request req-v)`
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("message:\n%s\nwant it to end with\n%s", err, want)
	}
	var ae *APIError
	if !errors.As(err, &ae) || len(ae.Details["amount"]) != 2 {
		t.Errorf("details: %+v", ae)
	}
}

// The list is bounded, says how many messages it left out, and cannot break
// a log line: messages are quoted, field names cleaned.
func TestValidationErrorMessageIsBounded(t *testing.T) {
	details := map[string]any{}
	for i := range 200 {
		details[fmt.Sprintf("field_%03d", i)] = []string{strings.Repeat("x", 1000)}
	}
	details["a\nforged log line"] = "a message\nwith a newline"
	e := &APIError{StatusCode: 422, Code: "validation_error", Message: "The given data was invalid."}
	e.Details = map[string][]string{}
	for k, v := range details {
		switch v := v.(type) {
		case string:
			e.Details[k] = []string{v}
		case []string:
			e.Details[k] = v
		}
	}
	msg := e.Error()
	if len(msg) > 1000 {
		t.Errorf("message of %d bytes", len(msg))
	}
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message spans lines: %q", msg)
	}
	if !strings.Contains(msg, `a?forged log line: "a message\nwith a newline"`) {
		t.Errorf("the first field (sorted) is missing or not cleaned: %s", msg)
	}
	// The first message fits, each of the others (160 bytes quoted) does not
	// all fit: 201 messages, 4 shown.
	if !strings.Contains(msg, "; and 197 more)") {
		t.Errorf("no count of the messages left out: %s", msg)
	}
}

// Other codes do not get the list (their details are not field errors).
func TestFieldListOnlyForValidationErrors(t *testing.T) {
	e := &APIError{StatusCode: 400, Code: "bad_request", Message: "no", Details: map[string][]string{"canonical": {"v1\nGET"}}}
	if strings.Contains(e.Error(), "canonical") {
		t.Errorf("details of another code in the message: %s", e)
	}
	e = &APIError{StatusCode: 422, Message: "no", Details: map[string][]string{"amount": {"bad"}}}
	if !strings.Contains(e.Error(), `(amount: "bad")`) {
		t.Errorf("a 422 without a code lost its field errors: %s", e)
	}
}

// After invalid_signature the message says where the secret must come from
// and where this client took it, and never shows the secret, even when the
// server echoes it in the details.
func TestInvalidSignatureHintNamesTheSecretsOrigin(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 401, "invalid_signature", "req-s", map[string]any{"canonical": "v1\nGET\n" + testSecret})
	})
	const hint = "hint: sign with the HMAC secret issued with this API token in the exchanger's cabinet, not a webhook secret"
	for _, tc := range []struct {
		name   string
		client func(t *testing.T) *Client
		origin string
	}{
		{"option", func(t *testing.T) *Client { return newTestClient(t, f) }, "this client's came from WithHMACSecret"},
		{"env", func(t *testing.T) *Client {
			t.Setenv(EnvToken, testToken)
			t.Setenv(EnvHMACSecret, testSecret)
			c, err := New(f.URL+"/api/v3", FromEnv(), WithRetry(fastRetry))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, "this client's came from the environment variable IEX_API_HMAC_SECRET"},
		{"set", func(t *testing.T) *Client {
			c := newTestClient(t, f)
			c.SetCredentials(Credentials{Token: testToken, HMACSecret: testSecret})
			return c
		}, "this client's came from SetCredentials"},
		{"source", func(t *testing.T) *Client {
			c, err := New(f.URL+"/api/v3", WithCredentialsSource(StaticCredentials{Token: testToken, HMACSecret: testSecret}), WithRetry(fastRetry))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, "this client's came from the CredentialsSource"},
		{"unsigned", func(t *testing.T) *Client {
			c, err := New(f.URL+"/api/v3", WithToken(testToken), WithRetry(fastRetry))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}, "this client sent no signature: set WithHMACSecret or IEX_API_HMAC_SECRET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.client(t).do(context.Background(), statusCall("1"), nil, nil)
			if !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("want ErrInvalidSignature, got %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, hint) || !strings.Contains(msg, tc.origin) {
				t.Errorf("message:\n%s\nwants %q and %q", msg, hint, tc.origin)
			}
			if tc.name == "unsigned" {
				return // this client has no secret to hide
			}
			if strings.Contains(msg, testSecret) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), testSecret) {
				t.Errorf("the secret is shown: %s", msg)
			}
			var ae *APIError
			if errors.As(err, &ae) {
				if strings.Contains(string(ae.RawDetails), testSecret) {
					t.Errorf("raw details keep the echoed secret: %s", ae.RawDetails)
				}
				for _, msgs := range ae.Details {
					for _, m := range msgs {
						if strings.Contains(m, testSecret) {
							t.Errorf("details keep the echoed secret: %q", m)
						}
					}
				}
			}
		})
	}
}
