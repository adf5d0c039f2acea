package clienttest

import (
	"net/http"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

func TestBearerTokenChecks(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, Key{})
	mustError(t, c.do(http.MethodGet, "/private/ping", nil, nil), 401, "authentication_required")
	c.key.Token = "1|not-a-real-token"
	mustError(t, c.do(http.MethodGet, "/private/ping", nil, nil), 401, "invalid_token")

	disabled, _ := s.CreateKey(KeyOptions{Disabled: true})
	expired, _ := s.CreateKey(KeyOptions{ExpiresAt: time.Now().Add(-time.Minute)})
	revoked, _ := s.CreateKey(KeyOptions{})
	good, _ := s.CreateKey(KeyOptions{HMAC: HMACOff})
	if err := s.RevokeKey(revoked.Token); err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string]Key{"disabled": disabled, "expired": expired, "revoked": revoked} {
		r := newTClient(t, s, k).do(http.MethodGet, "/private/ping", nil, nil)
		if r.status != 401 || r.errCode() != "invalid_token" {
			t.Errorf("%s key: %d %s", name, r.status, r.errCode())
		}
	}
	mustStatus(t, newTClient(t, s, good).do(http.MethodGet, "/private/ping", nil, nil), 200)
	if err := s.DisableKey(good.Token, true); err != nil {
		t.Fatal(err)
	}
	mustError(t, newTClient(t, s, good).do(http.MethodGet, "/private/ping", nil, nil), 401, "invalid_token")
	if err := s.RevokeKey("nope"); err != ErrUnknownKey {
		t.Errorf("RevokeKey(unknown) = %v", err)
	}
	// Public operations need no token.
	mustStatus(t, newTClient(t, s, Key{}).do(http.MethodGet, "/ping", nil, nil), 200)
}

func TestAccessScopeAndIPChecks(t *testing.T) {
	s := NewServer(t)
	noAPI, _ := s.CreateKey(KeyOptions{APIAccessDisabled: true, HMAC: HMACOff})
	mustError(t, newTClient(t, s, noAPI).do(http.MethodGet, "/private/ping", nil, nil), 403, "api_access_disabled")
	farAway, _ := s.CreateKey(KeyOptions{AllowedIPs: []string{"203.0.113.0/24"}, HMAC: HMACOff})
	mustError(t, newTClient(t, s, farAway).do(http.MethodGet, "/private/ping", nil, nil), 403, "ip_not_allowed")
	local, _ := s.CreateKey(KeyOptions{AllowedIPs: []string{"127.0.0.1"}, HMAC: HMACOff})
	mustStatus(t, newTClient(t, s, local).do(http.MethodGet, "/private/ping", nil, nil), 200)

	if k, err := s.CreateKey(KeyOptions{Scopes: []string{"orders read"}}); err == nil {
		t.Fatalf("a malformed scope was accepted: %v", k)
	}
	// The read-only CRM key of the vendor's guide.
	crm, err := s.CreateKey(KeyOptions{Scopes: []string{"orders:read", "orders:detail:read", "orders:statuses:read",
		"client:health:read"}, HMAC: HMACOff})
	if err != nil {
		t.Fatal(err)
	}
	c := newTClient(t, s, crm)
	mustStatus(t, c.do(http.MethodGet, "/private/orders", nil, nil), 200)
	mustStatus(t, c.do(http.MethodGet, "/private/health/client", nil, nil), 200)
	r := c.do(http.MethodPost, "/private/exchange/orders", map[string]any{"route_id": 1}, nil)
	mustError(t, r, 403, "scope_denied")
	if string(r.env.Error.Details) != `{"scope":["public-api:exchange:orders:create"]}` {
		t.Errorf("details %s", r.env.Error.Details)
	}
	if got := s.Stats().Keys[crm.ID].ScopeDenied; got != 1 {
		t.Errorf("ScopeDenied = %d", got)
	}
}

func TestHMACModes(t *testing.T) {
	s := NewServer(t)
	for _, tc := range []struct {
		mode                HMACMode
		getNeeds, postNeeds bool
	}{{HMACOff, false, false}, {HMACWrites, false, true}, {HMACAll, true, true}} {
		k, _ := s.CreateKey(KeyOptions{HMAC: tc.mode})
		c := newTClient(t, s, k)
		c.sign = false
		get := c.do(http.MethodGet, "/private/ping", nil, nil)
		post := c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 1, "amount": "100"}, nil)
		if (get.errCode() == "signature_required") != tc.getNeeds || (post.errCode() == "signature_required") != tc.postNeeds {
			t.Errorf("%s: unsigned GET %d %s, POST %d %s", tc.mode, get.status, get.errCode(), post.status, post.errCode())
		}
		c.sign = true
		mustStatus(t, c.do(http.MethodGet, "/private/ping", nil, nil), 200)
		mustStatus(t, c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 1, "amount": "100"}, nil), 200)
	}
}

func TestSignatureIsVerifiedLikeTheServer(t *testing.T) {
	s := NewServer(t, WithKeyOptions(KeyOptions{HMAC: HMACAll}))
	k := s.Key()
	c := newTClient(t, s, k)

	// The signed query is the canonical form of the raw query as received.
	mustStatus(t, c.do(http.MethodGet, "/private/exchange/routes?filter[from_currency_id]=1&filter[to_currency_id]=3&sort=-id", nil, nil), 200)

	// A signature made for other bytes fails: here, a query changed after signing.
	req := c.build(http.MethodGet, "/private/exchange/routes?filter[from_currency_id]=1", nil, nil)
	req.URL.RawQuery = "filter[from_currency_id]=2"
	r := c.send(req)
	mustError(t, r, 401, "invalid_signature")

	// The wrong secret fails; the bare hex form of a good signature passes.
	bad := newTClient(t, s, Key{Token: k.Token, HMACSecret: "wrong"})
	mustError(t, bad.do(http.MethodGet, "/private/ping", nil, nil), 401, "invalid_signature")
	req = c.build(http.MethodGet, "/private/ping", nil, nil)
	req.Header.Set(signer.HeaderSignature, req.Header.Get(signer.HeaderSignature)[len("sha256="):])
	mustStatus(t, c.send(req), 200)

	// ISO-8601 timestamps are accepted.
	iso := time.Now().UTC().Format(time.RFC3339)
	p := signer.Payload{Method: "GET", Path: "/api/v3/private/ping", BodySHA256: signer.EmptyBodySHA256, Timestamp: iso, Nonce: "iso-nonce-1"}
	req, _ = http.NewRequest(http.MethodGet, s.URL+"/private/ping", nil)
	req.Header.Set("Authorization", "Bearer "+k.Token)
	req.Header.Set(signer.HeaderTimestamp, iso)
	req.Header.Set(signer.HeaderNonce, p.Nonce)
	req.Header.Set(signer.HeaderSignature, signer.NewHMAC(k.HMACSecret).Sign(p))
	mustStatus(t, c.send(req), 200)

	// A nonce may not come back within the window.
	hdr := map[string]string{signer.HeaderNonce: "same-nonce"}
	mustStatus(t, c.do(http.MethodGet, "/private/ping", nil, hdr), 200)
	mustError(t, c.do(http.MethodGet, "/private/ping", nil, hdr), 401, "signature_replay")

	st := s.Stats().Keys[k.ID]
	if st.InvalidSignatures != 2 || st.SignatureReplays != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestTimestampWindowFollowsTheSkewedClock(t *testing.T) {
	s := NewServer(t, WithSignatureWindow(time.Minute))
	c := newTClient(t, s, s.Key())
	q := map[string]any{"route_id": 1, "amount": "100"}
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/quotes", q, nil), 200)
	s.SetClockSkew(10 * time.Minute)
	r := c.do(http.MethodPost, "/private/exchange/quotes", q, nil)
	mustError(t, r, 401, "invalid_signature")
	date, err := http.ParseTime(r.header.Get("Date"))
	if err != nil || time.Until(date) < 9*time.Minute {
		t.Fatalf("Date %q does not show the skew", r.header.Get("Date"))
	}
	// A client that corrects its clock from Date signs in the window again.
	offset := time.Until(date)
	c.clock = func() time.Time { return time.Now().Add(offset) }
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/quotes", q, nil), 200)
}

func TestUploadSignatureCoversTheFileHash(t *testing.T) {
	s := NewServer(t, WithKeyOptions(KeyOptions{HMAC: HMACAll}))
	c := newTClient(t, s, s.Key())
	var res struct {
		UploadIntent struct {
			UUID string
		} `json:"upload_intent"`
	}
	newIntent := func() string {
		r := c.do(http.MethodPost, "/private/files/upload-intents", map[string]any{"purpose": "order_attachment",
			"allowed_extensions": []string{"pdf"}, "max_bytes": 64}, map[string]string{"Idempotency-Key": "intent-" + time.Now().Format("150405.000000000")})
		mustStatus(t, r, 201)
		r.result(t, &res)
		return res.UploadIntent.UUID
	}
	content := []byte("%PDF-1.4 fake")
	// X-Api-File-Sha256 that is not the file's hash: the signature is valid
	// (it covers the header's value) but the file check refuses it.
	id := newIntent()
	mustError(t, c.upload(id, "a.pdf", content, signer.BodySHA256([]byte("other"))), 422, "validation_error")
	mustError(t, c.upload(newIntent(), "a.png", content, ""), 422, "validation_error")
	mustError(t, c.upload(newIntent(), "big.pdf", make([]byte, 65), ""), 422, "validation_error")
	id = newIntent()
	mustStatus(t, c.upload(id, "a.pdf", content, ""), 200)
	r := c.do(http.MethodGet, "/private/files/upload-intents/"+id, nil, nil)
	var got struct {
		UploadIntent struct {
			Status string
			File   struct{ SHA256 string }
		} `json:"upload_intent"`
	}
	r.result(t, &got)
	if got.UploadIntent.Status != "committed" || got.UploadIntent.File.SHA256 != signer.BodySHA256(content) {
		t.Fatalf("intent after commit: %s", r.env.Result)
	}
}

func TestKeyNeverPrintsItsSecrets(t *testing.T) {
	s := NewServer(t)
	k := s.Key()
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		out := sprintf(f, k) + sprintf(f, &k) + sprintf(f, []Key{k})
		if contains(out, k.Token) || contains(out, k.HMACSecret) || contains(out, k.Token[2:12]) {
			t.Errorf("%s leaks a secret: %s", f, out)
		}
	}
}
