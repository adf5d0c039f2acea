package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// changeMidBody runs change once, after the first read of a commit
// request's body: the file changes while the transport is sending it.
type changeMidBody struct {
	base    http.RoundTripper
	change  func()
	commits *atomic.Int32
}

func (c changeMidBody) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil && strings.HasSuffix(r.URL.Path, "/commit") {
		c.commits.Add(1)
		r.Body = &readHook{ReadCloser: r.Body, after: c.change}
	}
	return c.base.RoundTrip(r)
}

type readHook struct {
	io.ReadCloser
	after func()
}

func (h *readHook) Read(p []byte) (int, error) {
	n, err := h.ReadCloser.Read(p)
	h.after()
	return n, err
}

// uploadFixture is the fake exchanger, a client whose commits run change
// mid-body, a pending intent for a .pdf, and a 1 MiB file to send.
func uploadFixture(t *testing.T, change func(path string)) (c *client.Client, intent, path string, commits *atomic.Int32) {
	t.Helper()
	srv := clienttest.NewServer(t)
	path = filepath.Join(t.TempDir(), "scan.pdf")
	if err := os.WriteFile(path, []byte(strings.Repeat("scan of a passport ", 1<<20/19)), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // let the coarse ctime clock tick past the write
	var once sync.Once
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	commits = new(atomic.Int32)
	hc := &http.Client{Transport: changeMidBody{base: tr, change: func() { once.Do(func() { change(path) }) }, commits: commits}}
	key := srv.Key()
	c, err := client.New(srv.URL, client.WithToken(key.Token), client.WithHMACSecret(key.HMACSecret), client.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.CreateUploadIntent(context.Background(), client.UploadIntentParams{Purpose: "sandbox", AllowedExtensions: []string{"pdf"}, MaxBytes: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return c, in.UUID, path, commits
}

// assertNotCommitted checks the intent is still pending: the server took
// no file for it.
func assertNotCommitted(t *testing.T, c *client.Client, intent string) {
	t.Helper()
	in, err := c.UploadIntent(context.Background(), intent)
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != "pending" || len(in.File) != 0 {
		t.Fatalf("intent %s with file %v after a changed upload", in.Status, in.File)
	}
}

// A file that changes while UploadFile sends it ends the call with
// ErrUploadChanged and is never committed, whether the change keeps the
// size or not and whichever check the file gets (its stamp when old
// enough, hashing again when just written or asked to); afterwards the
// same intent takes the file as it is now.
func TestUploadFileChangedMidSendIsNeverCommitted(t *testing.T) {
	changes := map[string]func(path string){
		"same size": func(path string) {
			f, _ := os.OpenFile(path, os.O_WRONLY, 0)
			defer f.Close()
			f.WriteAt([]byte("forged"), 1<<20-100)
		},
		"appended": func(path string) {
			f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			defer f.Close()
			f.Write([]byte("forged"))
		},
	}
	sources := map[string]func(path string) client.UploadSource{
		"stamp":        func(p string) client.UploadSource { return client.AgedUploadSource(client.UploadPath(p)) },
		"just written": client.UploadPath,
		"HashWhileSending": func(p string) client.UploadSource {
			return client.AgedUploadSource(client.UploadPath(p)).HashWhileSending()
		},
	}
	for cname, change := range changes {
		for sname, source := range sources {
			t.Run(cname+", "+sname, func(t *testing.T) {
				c, intent, path, commits := uploadFixture(t, change)
				_, err := c.UploadFile(context.Background(), intent, "scan.pdf", source(path))
				if !errors.Is(err, client.ErrUploadChanged) {
					t.Fatalf("err = %v, want ErrUploadChanged", err)
				}
				if n := commits.Load(); n != 1 {
					t.Fatalf("%d attempts: a changed file cannot match its signed hash, so it is not retried", n)
				}
				assertNotCommitted(t, c, intent)
				in, err := c.UploadFile(context.Background(), intent, "scan.pdf", source(path))
				if err != nil {
					t.Fatalf("upload of the file as it is now: %v", err)
				}
				if in.Status != "committed" {
					t.Fatalf("status %q", in.Status)
				}
			})
		}
	}
}
