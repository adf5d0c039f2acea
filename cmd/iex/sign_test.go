package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// The explanation of a fixed request, line for line.
func TestSignExplainGolden(t *testing.T) {
	env := map[string]string{client.EnvHMACSecret: "s3cr3t"}
	body := writeTemp(t, "body.json", "{\"route_id\":1,\"amount\":\"10.00\"}\n")
	r := iex(t, env, "", "sign", "--explain", "--timestamp", "1782190000", "--nonce", "req-20260623-001",
		"post", "/private/orders?filter[status][]=paid&filter[status][]=completed&sort=-created_at&a.b=1", "-d", "@"+body)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "sign-explain", r.stdout)
	noSecrets(t, r.stdout+r.stderr, "s3cr3t")

	r = iex(t, env, "", "sign", "--timestamp", "1782190000", "--nonce", "n-1", "GET", "https://ex.example/api/v3/private/ping?b=2&a=1#frag")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "sign-headers", r.stdout)
}

// Every vendor vector (signed by the vendor's PHP signer) comes out of
// iex sign byte for byte: the canonical string and the signature.
func TestSignMatchesVendorVectors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "signing-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Method, Path, Timestamp, Nonce, Secret, Canonical, Signature string
			RawQuery                                                     string `json:"raw_query"`
			BodyB64                                                      string `json:"body_b64"`
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, c := range doc.Cases {
		body, _ := base64.StdEncoding.DecodeString(c.BodyB64)
		target := c.Path
		if c.RawQuery != "" {
			target += "?" + c.RawQuery
		}
		args := []string{"sign", "--timestamp", c.Timestamp, "--nonce", c.Nonce, c.Method, target}
		if len(body) > 0 {
			f := filepath.Join(dir, "body")
			if err := os.WriteFile(f, body, 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "-d", "@"+f)
		}
		env := map[string]string{client.EnvHMACSecret: c.Secret}
		canon := iex(t, env, "", append([]string{"sign", "--canonical"}, args[1:]...)...)
		heads := iex(t, env, "", args...)
		if canon.code != exitOK || canon.stdout != c.Canonical {
			t.Fatalf("case %d: canonical (exit %d %s)\n%q\nwant\n%q", i, canon.code, canon.stderr, canon.stdout, c.Canonical)
		}
		if !strings.Contains(heads.stdout, "X-Api-Signature: "+c.Signature+"\n") {
			t.Fatalf("case %d: headers\n%s\nwant signature %s", i, heads.stdout, c.Signature)
		}
	}
}

// Headers written by iex sign are accepted by a server that wants every
// request signed: what curl -H @- would send.
func TestSignHeadersAreAcceptedByTheFake(t *testing.T) {
	s, env := fakeEnv(t, clienttest.WithKeyOptions(clienttest.KeyOptions{Name: "cli", HMAC: clienttest.HMACAll}))
	r := iex(t, env, "", "sign", "GET", "/private/exchange/routes?filter[from_currency_id]=1&per_page=2")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/private/exchange/routes?filter[from_currency_id]=1&per_page=2", nil)
	req.Header.Set("Authorization", "Bearer "+env[client.EnvToken])
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the fake answered %d to iex sign's headers", resp.StatusCode)
	}
}

func TestSignNeedsASecret(t *testing.T) {
	r := iex(t, nil, "", "sign", "GET", "/private/ping")
	if r.code != exitConfig || !strings.Contains(r.stderr, client.EnvHMACSecret) {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	r = iex(t, map[string]string{client.EnvHMACSecret: "x"}, "", "sign", "--file-sha256", "xyz", "POST", "/private/files/upload-intents/1/commit")
	if r.code != exitUsage {
		t.Fatalf("bad --file-sha256: exit %d", r.code)
	}
}

// --compare names the line that differs and what it means; the usual
// mistake of signing the query as sent shows on the query line.
func TestSignCompare(t *testing.T) {
	env := map[string]string{client.EnvHMACSecret: "s3cr3t"}
	theirs := "v1\nGET\n/api/v3/private/orders\nfilter[status][]=paid&page=2\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n1782190000\nn-1\n"
	f := writeTemp(t, "theirs.txt", theirs)
	r := iex(t, env, "", "sign", "--compare", f, "--timestamp", "1782190000", "--nonce", "n-1", "GET", "/private/orders?filter[status][]=paid&page=2")
	if r.code != exitRefused {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "sign-compare", r.stdout)

	same := iex(t, env, "", "sign", "--canonical", "--timestamp", "1782190000", "--nonce", "n-1", "GET", "/private/orders?filter[status][]=paid&page=2")
	r = iex(t, env, same.stdout, "sign", "--compare", "-", "--timestamp", "1782190000", "--nonce", "n-1", "GET", "/private/orders?filter[status][]=paid&page=2")
	if r.code != exitOK || !strings.Contains(r.stdout, "the canonical strings are the same") {
		t.Fatalf("same: exit %d\n%s", r.code, r.stdout)
	}
}
