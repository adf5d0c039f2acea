package client_test

import (
	"context"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// The health check reports hmac_required in its "security" section, beside
// the token object; KeyInfo must take it from there.
func TestKeyInfoReadsHMACRequiredFromTheSecuritySection(t *testing.T) {
	srv := clienttest.NewServer(t) // default key: HMAC required for writes
	key := srv.Key()
	c, err := client.New(srv.URL, client.WithToken(key.Token), client.WithHMACSecret(key.HMACSecret))
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.ClientHealth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h.Security["hmac_required"].(bool); !got {
		t.Fatalf("the fake's health check no longer says hmac_required: %v", h.Security)
	}
	info, ok := c.KeyInfo()
	if !ok || !info.HMACRequired {
		t.Fatalf("KeyInfo() = %+v, %v; want HMACRequired true", info, ok)
	}
}
