package demo

import (
	"fmt"
	"log/slog"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Target is the exchanger a program talks to.
type Target struct {
	Client *client.Client
	Fake   *clienttest.Server // nil for a real exchanger
	About  string             // how the output names it (no secrets)
}

// Close stops the embedded fake, if there is one.
func (t *Target) Close() {
	if t.Fake != nil {
		t.Fake.Close()
	}
}

// Connect starts the embedded fake with fakeOpts when IEX_API_BASE_URL is
// empty, and otherwise builds a client for the exchanger it names with
// IEX_API_TOKEN and IEX_API_HMAC_SECRET. userAgent names the program.
func Connect(e Env, userAgent string, fakeOpts []clienttest.Option, log *slog.Logger) (*Target, error) {
	base := e.Getenv(EnvBaseURL)
	if base == "" {
		return startFake(e, userAgent, fakeOpts, log)
	}
	token := e.Getenv(EnvToken)
	if token == "" {
		return nil, fmt.Errorf("%s is set but %s is empty", EnvBaseURL, EnvToken)
	}
	c, err := client.New(base,
		client.WithToken(token),
		client.WithHMACSecret(e.Getenv(EnvHMACSecret)),
		client.WithUserAgent(userAgent),
		client.WithLogger(log))
	if err != nil {
		return nil, err
	}
	return &Target{Client: c, About: "the exchanger at " + c.BaseURL()}, nil
}

// startFake runs clienttest in the process, with a client for the key it
// created.
func startFake(e Env, userAgent string, opts []clienttest.Option, log *slog.Logger) (*Target, error) {
	srv, err := clienttest.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("starting the fake exchanger: %w", err)
	}
	key := srv.Key()
	e.Secret(key.Token)
	e.Secret(key.HMACSecret)
	c, err := client.New(srv.URL,
		client.WithToken(key.Token),
		client.WithHMACSecret(key.HMACSecret),
		client.WithUserAgent(userAgent),
		client.WithLogger(log))
	if err != nil {
		srv.Close()
		return nil, err
	}
	if e.OnFake != nil {
		e.OnFake(srv)
	}
	return &Target{Client: c, Fake: srv, About: "an embedded fake exchanger (clienttest) at " + srv.URL}, nil
}
