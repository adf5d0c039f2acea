package main

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// envWebhookSecret holds the webhook secret(s), comma-separated during a
// rotation, as examples/webhook-receiver reads them.
const envWebhookSecret = "IEX_WEBHOOK_SECRET"

// apiFlags are the settings of every command that talks to the API.
type apiFlags struct {
	baseURL    string
	tokenFile  string
	secretFile string
	timeout    time.Duration
	attempts   int
	verbose    bool
}

func (f *apiFlags) register(fs *flagSet) {
	fs.StringVar(&f.baseURL, "base-url", "", "API base URL (default $"+client.EnvBaseURL+")")
	fs.StringVar(&f.tokenFile, "token-file", "", "read the API token from this file (default $"+client.EnvToken+")")
	fs.StringVar(&f.secretFile, "hmac-secret-file", "", "read the key's HMAC secret from this file (default $"+client.EnvHMACSecret+")")
	fs.DurationVar(&f.timeout, "timeout", 0, "give up after this long (default: the SDK's per-call timeout)")
	fs.IntVar(&f.attempts, "max-attempts", client.DefaultRetryPolicy().MaxAttempts, "attempts per call, first included, when a retry is safe (1: no retries)")
	fs.BoolVar(&f.verbose, "v", false, "the SDK's debug log on stderr (never shows secrets)")
}

// base returns the configured base URL.
func (a *app) base(f *apiFlags) (string, error) {
	if f.baseURL != "" {
		return f.baseURL, nil
	}
	if v := a.getenv(client.EnvBaseURL); v != "" {
		return v, nil
	}
	return "", configf("no base URL: set %s or pass --base-url (iex fake prints one)", client.EnvBaseURL)
}

// newClient builds the SDK client from the flags and the environment.
func (a *app) newClient(f *apiFlags) (*client.Client, error) {
	base, err := a.base(f)
	if err != nil {
		return nil, err
	}
	token, err := a.secret(f.tokenFile, client.EnvToken)
	if err != nil {
		return nil, err
	}
	hmacSecret, err := a.secret(f.secretFile, client.EnvHMACSecret)
	if err != nil {
		return nil, err
	}
	level := slog.LevelError // the command reports failures itself
	if f.verbose {
		level = slog.LevelDebug
	}
	opts := []client.Option{
		client.WithUserAgent("iex/" + version()),
		client.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))),
	}
	if token != "" {
		opts = append(opts, client.WithToken(token))
	}
	if hmacSecret != "" {
		opts = append(opts, client.WithHMACSecret(hmacSecret))
	}
	if f.timeout > 0 {
		opts = append(opts, client.WithTimeout(f.timeout))
	}
	if f.attempts < 1 {
		return nil, usagef("--max-attempts must be at least 1")
	}
	p := client.DefaultRetryPolicy()
	p.MaxAttempts = f.attempts
	opts = append(opts, client.WithRetry(p))
	c, err := client.New(base, opts...)
	if err != nil {
		return nil, configf("%v", err)
	}
	return c, nil
}

// secret reads a secret from file when one is named, else from the
// environment variable env. One trailing line break (what echo and
// editors add) is dropped.
func (a *app) secret(file, env string) (string, error) {
	if file == "" {
		return a.getenv(env), nil
	}
	b, err := readFile(file)
	if err != nil {
		return "", configf("secret file: %v", err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", configf("secret file %s is empty", file)
	}
	return s, nil
}

// webhookSecrets returns the webhook secrets: each file's, else the
// comma-separated list in IEX_WEBHOOK_SECRET.
func (a *app) webhookSecrets(files []string) ([]string, error) {
	var out []string
	for _, f := range files {
		s, err := a.secret(f, "")
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(files) == 0 {
		for _, s := range strings.Split(a.getenv(envWebhookSecret), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return nil, configf("no webhook secret: set %s or pass --webhook-secret-file", envWebhookSecret)
	}
	return out, nil
}

// basePath is the path of the base URL ("/api/v3"), what the server sees
// in front of every operation's path.
func (a *app) basePath(f *apiFlags) string {
	base, err := a.base(f)
	if err != nil {
		return "/api/v3"
	}
	u, err := url.Parse(base)
	if err != nil || u.Path == "" {
		return "/api/v3"
	}
	return strings.TrimRight(u.EscapedPath(), "/")
}
