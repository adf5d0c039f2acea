package main

import (
	"fmt"
	"log/slog"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// target is the exchanger the quickstart talks to.
type target struct {
	c     *client.Client
	fake  bool   // the embedded clienttest server
	about string // how the transcript names it (no secrets)
	close func()
}

// connect starts the embedded fake when IEX_API_BASE_URL is empty, and
// otherwise builds a client for the exchanger it names.
func connect(cfg config, e env, log *slog.Logger) (*target, error) {
	base := e.getenv(envBaseURL)
	if base == "" {
		return startFake(cfg, e, log)
	}
	token := e.getenv(envToken)
	if token == "" {
		return nil, fmt.Errorf("%s is set but %s is empty", envBaseURL, envToken)
	}
	c, err := client.New(base,
		client.WithToken(token),
		client.WithHMACSecret(e.getenv(envHMACSecret)),
		client.WithUserAgent("exchanger-go-quickstart"),
		client.WithLogger(log))
	if err != nil {
		return nil, err
	}
	return &target{c: c, about: "the exchanger at " + c.BaseURL(), close: func() {}}, nil
}

// startFake runs clienttest in the process. Its orders walk through
// processing to completed on their own, one step every cfg.fakeStep.
func startFake(cfg config, e env, log *slog.Logger) (*target, error) {
	srv, err := clienttest.New(
		clienttest.WithOrderSchedule([]string{clienttest.StatusProcessing, clienttest.StatusCompleted}, cfg.fakeStep),
		clienttest.WithLogger(log.With("component", "fake-exchanger")),
	)
	if err != nil {
		return nil, fmt.Errorf("starting the fake exchanger: %w", err)
	}
	key := srv.Key()
	e.secret(key.Token)
	e.secret(key.HMACSecret)
	c, err := client.New(srv.URL,
		client.WithToken(key.Token),
		client.WithHMACSecret(key.HMACSecret),
		client.WithUserAgent("exchanger-go-quickstart"),
		client.WithLogger(log))
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &target{c: c, fake: true, about: "an embedded fake exchanger (clienttest) at " + srv.URL, close: srv.Close}, nil
}
