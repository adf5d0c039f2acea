package demo

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

func TestOrderRefPrefersTrackingThenPublicID(t *testing.T) {
	cases := []struct {
		o    client.Order
		want string
	}{
		{client.Order{ID: 7, PublicID: "p7", TrackingID: "TRK7"}, "TRK7"},
		{client.Order{ID: 7, PublicID: "p7"}, "p7"},
		{client.Order{ID: 7}, "7"},
	}
	for _, c := range cases {
		if got := OrderRef(&c.o); got != c.want {
			t.Errorf("OrderRef(%+v) = %q, want %q", c.o, got, c.want)
		}
	}
}

func TestConnectRefusesABaseURLWithoutToken(t *testing.T) {
	e := Env{Getenv: func(k string) string {
		if k == EnvBaseURL {
			return "http://127.0.0.1:1/api/v3"
		}
		return ""
	}}
	_, err := Connect(e, "demo-test", nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), EnvToken) {
		t.Fatalf("Connect without a token: %v, want an error naming %s", err, EnvToken)
	}
}

func TestConnectStartsTheFakeAndReportsItsSecrets(t *testing.T) {
	var held []string
	var fake *clienttest.Server
	e := Env{
		Getenv:      func(string) string { return "" },
		HoldsSecret: func(s string) { held = append(held, s) },
		OnFake:      func(s *clienttest.Server) { fake = s },
	}
	tg, err := Connect(e, "demo-test", nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if tg.Fake == nil || fake != tg.Fake {
		t.Fatalf("OnFake got %p, Target.Fake is %p", fake, tg.Fake)
	}
	k := tg.Fake.Key()
	if len(held) != 2 || held[0] != k.Token || held[1] != k.HMACSecret {
		t.Fatalf("HoldsSecret was told %d values, want the fake key's token and HMAC secret", len(held))
	}
	if strings.Contains(tg.About, k.Token) || !strings.Contains(tg.About, tg.Fake.URL) {
		t.Fatalf("About = %q", tg.About)
	}
	if _, err := tg.Client.Ping(context.Background()); err != nil {
		t.Fatalf("the client does not reach the fake: %v", err)
	}
}
