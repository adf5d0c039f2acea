package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
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
// seconds gets, and every upload did before).
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

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
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
		}
	}
	floor := func() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sum, err := signer.FileSHA256(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v3/private/files/upload-intents/"+uuidA+"/commit", f)
		req.ContentLength = size
		req.Header.Set(signer.HeaderFileSHA256, sum)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	for _, bc := range []struct {
		name string
		src  UploadSource
	}{
		{"UploadPath", UploadPath(path)},
		{"HashWhileSending", UploadPath(path).HashWhileSending()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			benchratio.Compare(b, sdk(bc.src), floor)
		})
	}
}
