package client

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// APIRootPath is how the path of every exchanger's API root ends
// (docs/api.md §1): https://{exchanger-domain}/api/v3.
const APIRootPath = "/api/v3"

// ErrInvalidBaseURL: the base URL given to New is not an API root. The
// message says what was wrong and which URL to use instead.
var ErrInvalidBaseURL = errors.New("client: invalid base URL")

// baseURLError is an ErrInvalidBaseURL with its reason.
type baseURLError struct{ msg string }

func (e *baseURLError) Error() string        { return "client: base URL " + e.msg }
func (e *baseURLError) Is(target error) bool { return target == ErrInvalidBaseURL }

// apiVersionSuffix matches a trailing /api or /api/vN that a user may have
// typed in place of the API root.
var apiVersionSuffix = regexp.MustCompile(`/api(/v[0-9]*)?$`)

// parseBaseURL checks that raw names the API root. Without /api/v3 every
// call would reach the site instead of the API and fail as "404 not_found:
// Route not found", which reads like a missing order; so New refuses such a
// URL and names the one to use. Only the scheme, host and path are ever
// echoed: user info, a query and a fragment are refused without printing
// them, since they may hold credentials.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		// The parser's message quotes parts of the URL (a "port" that may
		// be a password typed without its @), so it is not passed on.
		return nil, &baseURLError{msg: "does not parse as a URL: check the scheme, the host and the port, e.g. https://exchanger.example" + APIRootPath}
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, &baseURLError{msg: "must be an absolute http(s) URL, e.g. https://exchanger.example" + APIRootPath}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, &baseURLError{msg: "must not carry user info, a query or a fragment"}
	}
	if strings.HasSuffix(u.Path, APIRootPath) {
		return u, nil
	}
	shown := u.Scheme + "://" + u.Host + u.EscapedPath()
	root := u.Scheme + "://" + u.Host
	switch i := strings.Index(u.Path, APIRootPath+"/"); {
	case u.Path == "":
		return nil, &baseURLError{msg: fmt.Sprintf("%q lacks the API root path %s: use %q (docs/api.md §1)",
			shown, APIRootPath, root+APIRootPath)}
	case i >= 0:
		return nil, &baseURLError{msg: fmt.Sprintf("%q goes past the API root: use %q; the client adds each operation's path (docs/api.md §1)",
			shown, root+(&url.URL{Path: u.Path[:i+len(APIRootPath)]}).EscapedPath())}
	default:
		fixed := apiVersionSuffix.ReplaceAllString(u.Path, "") + APIRootPath
		return nil, &baseURLError{msg: fmt.Sprintf("%q does not end with the API root path %s, so every call would fail as 404 Route not found: use %q (docs/api.md §1)",
			shown, APIRootPath, root+(&url.URL{Path: fixed}).EscapedPath())}
	}
}
