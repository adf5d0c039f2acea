package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/internal/benchratio"
	"github.com/iexkit/exchanger-go/signer"
)

// BenchmarkUploadFileVsCopy: UploadFile(UploadPath) of a 256 MiB file
// against its floor, the hash pass plus a POST of the *os.File itself (which
// net/http sends with the kernel's file-to-socket copy), both to one
// loopback server that reads and discards the body. Set
// IEX_BENCH_UPLOAD_MIB to change the size; run with -benchtime 5x or so:
//
//	go test -run '^$' -bench UploadFileVsCopy -benchtime 5x ./client/
//
// UploadPath is the row's figure: the file is older than stampRacyWindow,
// so attempts check its stamp. HashWhileSending is the same upload hashing
// the file again as it is sent (what a file written in the last two
// seconds gets, and every upload did before). UploadPathVsPlainReader
// compares with a floor that POSTs the file hidden behind an io.Reader: a
// buffered copy, the most a framed body can get from net/http (sendfile
// is for a body that is the file alone). The harness checks that the
// server read every byte on both sides.
func BenchmarkUploadFileVsCopy(b *testing.B) {
	mib := 256
	if s := os.Getenv("IEX_BENCH_UPLOAD_MIB"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			mib = n
		}
	}
	path := filepath.Join(b.TempDir(), "big.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	for i := 0; i < mib; i++ {
		if _, err := f.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	f.Close()
	size := int64(mib) << 20
	// A file written this recently would be hashed again (stampRacy): let
	// it age, as a file on disk has.
	time.Sleep(stampRacyWindow)

	var got atomic.Int64 // body bytes the server read last
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		got.Store(n)
		envelope(w, 200, rawJSON(`{"upload_intent":{"uuid":"`+uuidA+`","status":"committed"}}`), nil)
	}))
	b.Cleanup(srv.Close)
	hc := &http.Client{Transport: benchTransport()}
	c, err := New(srv.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	sdk := func(src UploadSource) func() {
		return func() {
			if _, err := c.UploadFile(ctx, uuidA, "big.bin", src); err != nil {
				b.Fatal(err)
			}
			if n := got.Load(); n <= size { // the file and its multipart frame
				b.Fatalf("server read %d bytes", n)
			}
		}
	}
	post := func(plain bool) func() { return func() { postFile(b, hc, srv.URL, path, size, plain, &got) } }
	for _, bc := range []struct {
		name string
		src  UploadSource
		base func()
	}{
		{"UploadPath", UploadPath(path), post(false)},
		{"HashWhileSending", UploadPath(path).HashWhileSending(), post(false)},
		{"UploadPathVsPlainReader", UploadPath(path), post(true)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			benchratio.Compare(b, sdk(bc.src), bc.base)
		})
	}
}

// postFile is the floor: the hash pass over the file, then a POST of it
// with that hash. plain hides the *os.File behind an io.Reader, so that
// net/http copies it through a buffer instead of with sendfile.
func postFile(b *testing.B, hc *http.Client, url, path string, size int64, plain bool, got *atomic.Int64) {
	ctx := context.Background()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sum, err := signer.FileSHA256(f)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		b.Fatal(err)
	}
	var body io.Reader = f
	if plain {
		body = struct{ io.Reader }{f}
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v3/private/files/upload-intents/"+uuidA+"/commit", body)
	req.ContentLength = size
	req.Header.Set(signer.HeaderFileSHA256, sum)
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if n := got.Load(); n != size {
		b.Fatalf("server read %d bytes", n)
	}
}
