package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/iexkit/exchanger-go/client"
)

// helpText is "iex help": the commands, the configuration and the exit
// codes.
const helpText = `iex: the iEXExchanger API v3 from the shell (exchanger-go %s)

Usage: iex COMMAND [flags] [arguments]

Commands:
%s
Run "iex help COMMAND" (or "iex COMMAND -h") for a command's flags.

Configuration (the environment variables of client.FromEnv, and flags):
  IEX_API_BASE_URL      base URL, like https://exchanger.example/api/v3 (or --base-url)
  IEX_API_TOKEN         API token (or --token-file FILE)
  IEX_API_HMAC_SECRET   HMAC secret of the key, when it requires signatures (or --hmac-secret-file FILE)
  IEX_WEBHOOK_SECRET    webhook secret(s), comma-separated during a rotation (or --webhook-secret-file FILE)
Secrets are read from the environment or from a file (one trailing newline
is ignored), never from a flag's value, which would stay in the shell's
history; iex never prints them. The fake's own test credentials (iex fake)
and the forwarding secret of iex listen are the exceptions: they exist to be
copied.

Output: JSON answers are indented on a terminal and written as received
when piped, ending with a newline (--pretty or --raw to choose). Diagnostics
go to stderr (-v for the SDK's debug log).

Exit codes:
  0    success
  1    the check the command made said no (iex webhook verify)
  2    usage: unknown command, bad flag or argument
  3    configuration: a required setting is missing (base URL, token, secret)
  4    client: the server answered 4xx, or the SDK refused the request
       locally (no token, an invalid request, a file it cannot read)
  5    server: the server answered 5xx, or something that is not the API's
       answer (a proxy's HTML page, a truncated body)
  6    network: no answer (connection refused, DNS, TLS, timeout)
  130  interrupted
`

// help writes the overview.
func (a *app) help(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, helpText, version(), b.String())
}

// runHelp is "iex help [COMMAND]".
func (a *app) runHelp(args []string) error {
	if len(args) == 0 {
		a.help(a.stdout)
		return nil
	}
	name := strings.Join(args, " ")
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			// The command prints its own usage for -h.
			return c.run(context.Background(), &app{stdin: a.stdin, stdout: a.stdout, stderr: a.stdout, getenv: a.getenv}, []string{"-h"})
		}
	}
	return usagef("help: unknown command %q", name)
}

// version is the module version iex was built from (go install ...@v1.2.3),
// else the SDK's.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "v" + client.Version
}
