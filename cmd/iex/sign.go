package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/signer"
)

const signUsage = `Usage: iex sign [--explain] [flags] METHOD PATH[?QUERY]

Signs a request with the key's HMAC secret ($IEX_API_HMAC_SECRET or
--hmac-secret-file) the way the server checks it (docs/api.md §4). Without
--explain it writes the three signature headers, ready for curl -H @-.

With --explain it shows every step: the query as sent and the canonical
query the server rebuilds from it (PHP's query rules, docs/api.md §4.1),
the body's hash, the seven-line canonical string and the signature. When
your own code gets invalid_signature, run this with your request's
timestamp and nonce and compare the canonical strings: --compare FILE
names the first line that differs and what it means (--canonical writes
the string alone, for diff).

PATH is the path as sent, with the query as sent; a path below the base
URL gets the base URL's path (/api/v3) in front, and a whole URL is taken
apart. The body (-d) is hashed byte for byte: a trailing newline counts.

Examples:
  iex sign --explain GET '/private/orders?filter[status][]=paid&filter[status][]=completed'
  iex sign --explain --timestamp 1782190000 --nonce n-1 POST /private/exchange/orders -d @order.json
  iex sign POST /private/exchange/orders -d @order.json | curl -H @- ...
`

// runSign is "iex sign".
func runSign(_ context.Context, a *app, args []string) error {
	fs := a.newFlagSet("sign", signUsage)
	var (
		api        apiFlags
		explain    bool
		canonical  bool
		data       string
		fileSHA256 string
		timestamp  string
		nonce      string
		compare    string
	)
	fs.StringVar(&api.baseURL, "base-url", "", "base URL whose path goes in front of PATH (default $"+client.EnvBaseURL+", else /api/v3)")
	fs.StringVar(&api.secretFile, "hmac-secret-file", "", "read the key's HMAC secret from this file (default $"+client.EnvHMACSecret+")")
	fs.BoolVar(&explain, "explain", false, "show the canonical query, the canonical string and the signature, step by step")
	fs.BoolVar(&canonical, "canonical", false, "write the canonical string alone, exactly (no newline after it), for diff")
	fs.StringVar(&data, "d", "", "body exactly as sent: the text itself, @FILE, or @- for stdin")
	fs.StringVar(&fileSHA256, "file-sha256", "", "multipart upload: the file's SHA-256 (X-Api-File-Sha256), signed instead of the body's")
	fs.StringVar(&timestamp, "timestamp", "", "X-Api-Timestamp exactly as sent (default: now, in Unix seconds)")
	fs.StringVar(&nonce, "nonce", "", "X-Api-Nonce exactly as sent (default: a new UUID)")
	fs.StringVar(&compare, "compare", "", "compare with the canonical string your code built (a file, or - for stdin), line by line")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := fs.wantArgs(pos, "METHOD", "PATH[?QUERY]"); err != nil {
		return err
	}
	p := signer.Payload{Method: strings.ToUpper(pos[0]), Timestamp: timestamp, Nonce: nonce}
	var added bool
	p.Path, p.RawQuery, added = signedTarget(pos[1], a.basePath(&api))
	var body []byte
	if data != "" {
		if body, err = a.readData(data); err != nil {
			return err
		}
	}
	switch {
	case fileSHA256 != "":
		if len(fileSHA256) != 64 || strings.Trim(strings.ToLower(fileSHA256), "0123456789abcdef") != "" {
			return usagef("sign: --file-sha256 wants 64 hex digits")
		}
		p.BodySHA256 = strings.ToLower(fileSHA256)
	default:
		p.BodySHA256 = signer.BodySHA256(body)
	}
	if p.Timestamp == "" {
		p.Timestamp = strconv.FormatInt(time.Now().Unix(), 10)
	}
	if p.Nonce == "" {
		p.Nonce = uuid.NewString()
	}
	secret, err := a.secret(api.secretFile, client.EnvHMACSecret)
	if err != nil {
		return err
	}
	if secret == "" {
		return configf("no HMAC secret: set %s or pass --hmac-secret-file", client.EnvHMACSecret)
	}
	sig := signer.NewHMAC(secret).Sign(p)
	if compare != "" {
		return a.compareCanonical(compare, p)
	}
	switch {
	case canonical:
		_, err = io.WriteString(a.stdout, p.Canonical())
	case explain:
		explainSignature(a.stdout, p, body, fileSHA256 != "", added, sig)
	default:
		writeSignatureHeaders(a.stdout, p, sig)
	}
	return err
}

// signedTarget splits PATH?QUERY (or a whole URL) into the path and the
// raw query the server sees, and puts the base path in front of a path
// below it. It keeps the bytes as given: the server signs them as sent.
func signedTarget(s, basePath string) (path, rawQuery string, added bool) {
	if i := strings.Index(s, "://"); i >= 0 && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) {
		rest := s[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			s = rest[j:]
		} else {
			s = "/"
		}
	}
	s, _, _ = strings.Cut(s, "#") // never sent
	path, rawQuery, _ = strings.Cut(s, "?")
	if basePath != "" && path != basePath && !strings.HasPrefix(path, basePath+"/") {
		path, added = basePath+path, true
	}
	return path, rawQuery, added
}

// writeSignatureHeaders writes the three headers of a signed request.
func writeSignatureHeaders(w io.Writer, p signer.Payload, sig string) {
	fmt.Fprintf(w, "%s: %s\n%s: %s\n%s: %s\n", signer.HeaderTimestamp, p.Timestamp, signer.HeaderNonce, p.Nonce, signer.HeaderSignature, sig)
}

// explainSignature writes every step of the signature.
func explainSignature(w io.Writer, p signer.Payload, body []byte, fileHash, added bool, sig string) {
	note := ""
	if added {
		note = " (the base URL's path added in front)"
	}
	fmt.Fprintf(w, "method:           %s\n", strings.ToUpper(p.Method))
	fmt.Fprintf(w, "path:             %s%s\n", p.Path, note)
	fmt.Fprintf(w, "query as sent:    %s\n", p.RawQuery)
	fmt.Fprintf(w, "canonical query:  %s\n", signer.CanonicalQuery(p.RawQuery))
	fmt.Fprintln(w, "                  (parsed as PHP does, pairs flattened, RFC 3986-encoded and sorted; docs/api.md §4.1)")
	switch {
	case fileHash:
		fmt.Fprintf(w, "body SHA-256:     %s (the file's, from --file-sha256)\n", p.BodySHA256)
	case len(body) == 0:
		fmt.Fprintf(w, "body SHA-256:     %s (no body)\n", p.BodySHA256)
	default:
		tail := ""
		if body[len(body)-1] == '\n' {
			tail = ", ends with a newline, which is hashed too"
		}
		fmt.Fprintf(w, "body SHA-256:     %s (%d bytes%s)\n", p.BodySHA256, len(body), tail)
	}
	fmt.Fprintf(w, "timestamp:        %s\n", p.Timestamp)
	fmt.Fprintf(w, "nonce:            %s\n", p.Nonce)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "canonical string (7 lines joined by \"\\n\", no newline after the last):")
	for _, line := range strings.Split(p.Canonical(), "\n") {
		fmt.Fprintf(w, "  | %s\n", line)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "signature (hex HMAC-SHA256 of the canonical string with the key's HMAC secret):")
	fmt.Fprintf(w, "  %s\n", sig)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "headers:")
	fmt.Fprintf(w, "  %s: %s\n  %s: %s\n  %s: %s\n", signer.HeaderTimestamp, p.Timestamp, signer.HeaderNonce, p.Nonce, signer.HeaderSignature, sig)
}
