package clienttest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// tclient is a minimal raw HTTP client for the tests: it signs every
// private request with its key (when the key has a secret and sign is set).
type tclient struct {
	t     testing.TB
	base  string
	key   Key
	sign  bool
	hc    *http.Client
	nonce atomic.Int64
	// last request, for validators
	lastReq  *http.Request
	lastBody []byte
	// clock gives the signing time; nil means time.Now.
	clock func() time.Time
}

func newTClient(t testing.TB, s *Server, k Key) *tclient {
	return &tclient{t: t, base: s.URL, key: k, sign: true, hc: &http.Client{Timeout: 10 * time.Second}}
}

type tresp struct {
	status int
	header http.Header
	body   []byte
	env    struct {
		State   int             `json:"state"`
		Message string          `json:"message"`
		Code    int             `json:"code"`
		Result  json.RawMessage `json:"result"`
		Error   *struct {
			Code    string          `json:"code"`
			Type    string          `json:"type"`
			Details json.RawMessage `json:"details"`
		} `json:"error"`
		Meta struct {
			RequestID     string          `json:"request_id"`
			CorrelationID string          `json:"correlation_id"`
			Timestamp     string          `json:"timestamp"`
			Pagination    json.RawMessage `json:"pagination"`
		} `json:"meta"`
	}
}

func (r *tresp) errCode() string {
	if r.env.Error == nil {
		return ""
	}
	return r.env.Error.Code
}

// result decodes the envelope's result into v.
func (r *tresp) result(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.env.Result, v); err != nil {
		t.Fatalf("decode result %s: %v", r.env.Result, err)
	}
}

// build makes a request; body is a JSON value, []byte (sent as is) or nil.
func (c *tclient) build(method, pathAndQuery string, body any, hdr map[string]string) *http.Request {
	c.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			c.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, c.base+pathAndQuery, bytes.NewReader(raw))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.key.Token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if c.sign && c.key.HMACSecret != "" && strings.Contains(pathAndQuery, "/private/") {
		now := time.Now()
		if c.clock != nil {
			now = c.clock()
		}
		bodyHash := signer.BodySHA256(raw)
		if h := req.Header.Get(signer.HeaderFileSHA256); h != "" {
			bodyHash = h
		}
		p := signer.Payload{Method: method, Path: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery,
			BodySHA256: bodyHash, Timestamp: strconv.FormatInt(now.Unix(), 10),
			Nonce: "n-" + strconv.FormatInt(c.nonce.Add(1), 10) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)}
		if _, ok := hdr[signer.HeaderNonce]; ok {
			p.Nonce = hdr[signer.HeaderNonce]
		}
		req.Header.Set(signer.HeaderTimestamp, p.Timestamp)
		req.Header.Set(signer.HeaderNonce, p.Nonce)
		req.Header.Set(signer.HeaderSignature, signer.NewHMAC(c.key.HMACSecret).Sign(p))
	}
	c.lastBody = raw
	return req
}

func (c *tclient) send(req *http.Request) *tresp {
	c.t.Helper()
	c.lastReq = req
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := &tresp{status: resp.StatusCode, header: resp.Header, body: b}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &r.env); err != nil {
			c.t.Fatalf("%s %s: body is not an envelope: %v: %s", req.Method, req.URL, err, b)
		}
	}
	return r
}

func (c *tclient) do(method, pathAndQuery string, body any, hdr map[string]string) *tresp {
	c.t.Helper()
	return c.send(c.build(method, pathAndQuery, body, hdr))
}

// multipartFile builds a commit body with a "file" part.
func multipartFile(t testing.TB, name string, content []byte) (body []byte, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func (c *tclient) upload(intent, name string, content []byte, fileHash string) *tresp {
	c.t.Helper()
	body, ct := multipartFile(c.t, name, content)
	if fileHash == "" {
		fileHash = signer.BodySHA256(content)
	}
	req := c.build(http.MethodPost, "/private/files/upload-intents/"+intent+"/commit", body,
		map[string]string{signer.HeaderFileSHA256: fileHash, "Idempotency-Key": "upload-" + intent})
	req.Header.Set("Content-Type", ct)
	return c.send(req)
}

func mustStatus(t testing.TB, r *tresp, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
}

func mustError(t testing.TB, r *tresp, status int, code string) {
	t.Helper()
	if r.status != status || r.errCode() != code || r.env.State != 1 || r.env.Code != status {
		t.Fatalf("got %d %q (state %d, code %d), want %d %q: %s", r.status, r.errCode(), r.env.State, r.env.Code, status, code, r.body)
	}
}
