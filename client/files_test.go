package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
)

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// readMultipartFile checks a multipart body and returns its "file" part.
func readMultipartFile(t *testing.T, contentType string, body io.Reader) (name string, data []byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	mr := multipart.NewReader(body, params["boundary"])
	p, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	if p.FormName() != "file" {
		t.Fatalf("part name %q", p.FormName())
	}
	data, err = io.ReadAll(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Fatalf("more than one part: %v", err)
	}
	return p.FileName(), data
}

func TestUploadBodyFromEverySource(t *testing.T) {
	content := []byte(strings.Repeat("passport scan ", 1000))
	path := filepath.Join(t.TempDir(), "scan.jpg")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sources := map[string]UploadSource{
		"path":     UploadPath(path),
		"readerAt": UploadReaderAt(bytes.NewReader(content), int64(len(content))),
		"reader":   UploadReader(bytes.NewReader(content)),
		"seeker":   UploadReader(f),
		"opener": UploadOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(content)), nil
		}, int64(len(content))),
	}
	for name, src := range sources {
		up, err := newUploadBody(context.Background(), "scan.jpg", src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if up.fileSHA256 != sha(content) {
			t.Errorf("%s: hash %s", name, up.fileSHA256)
		}
		for attempt := 0; attempt < 2; attempt++ { // every attempt gets the same body
			rc, err := up.open()
			if err != nil {
				t.Fatalf("%s: open: %v", name, err)
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatalf("%s: read: %v", name, err)
			}
			if int64(len(body)) != up.length {
				t.Errorf("%s: body is %d bytes, announced %d", name, len(body), up.length)
			}
			fn, data := readMultipartFile(t, up.contentType, bytes.NewReader(body))
			if fn != "scan.jpg" || !bytes.Equal(data, content) {
				t.Errorf("%s attempt %d: file %q, %d bytes", name, attempt, fn, len(data))
			}
		}
		if up.oneShot {
			t.Errorf("%s: marked one-shot", name)
		}
	}
}

func TestUploadStreamIsOneShot(t *testing.T) {
	content := []byte("one pass only")
	up, err := newUploadBody(context.Background(), "a.txt", UploadStream(bytes.NewReader(content), sha(content), int64(len(content))))
	if err != nil {
		t.Fatal(err)
	}
	if !up.oneShot || up.length < int64(len(content)) {
		t.Fatalf("oneShot %v length %d", up.oneShot, up.length)
	}
	rc, err := up.open()
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, rc)
	rc.Close()
	if _, err := up.open(); !errors.Is(err, ErrOneShotUpload) {
		t.Fatalf("second open: %v", err)
	}
}

func TestUploadStreamWithWrongHashAborts(t *testing.T) {
	up, err := newUploadBody(context.Background(), "a.txt", UploadStream(strings.NewReader("actual bytes"), sha([]byte("other bytes")), -1))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := up.open()
	defer rc.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, ErrUploadChanged) {
		t.Fatalf("err = %v, want ErrUploadChanged", err)
	}
}

func TestUploadFileChangedAfterHashingAborts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.bin")
	os.WriteFile(path, []byte("first version"), 0o600)
	up, err := newUploadBody(context.Background(), "f.bin", UploadPath(path))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("other version"), 0o600) // same length, other bytes
	rc, _ := up.open()
	defer rc.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, ErrUploadChanged) {
		t.Fatalf("err = %v, want ErrUploadChanged", err)
	}
}

func TestUploadBodyStopsWhenReaderCloses(t *testing.T) {
	big := UploadReaderAt(zeroReaderAt{}, 64<<20)
	up, err := newUploadBody(context.Background(), "z", big)
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		rc, _ := up.open()
		buf := make([]byte, 1024)
		rc.Read(buf)
		rc.Close() // the transport gave up mid-body
	}
	// The writer goroutines see the closed pipe and exit.
	for i := 0; i < 200 && runtime.NumGoroutine() > before+2; i++ {
		runtime.Gosched()
		sleepMS(5)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Fatalf("%d goroutines left behind", n-before)
	}
}

// uploadServer answers the commit endpoint after checking the body against
// X-Api-File-Sha256.
func uploadServer(t *testing.T, attempts *atomic.Int32, failFirst bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := attempts.Add(1)
		if !strings.HasSuffix(r.URL.Path, "/commit") {
			envelope(w, 201, rawJSON(`{"upload_intent":{"uuid":"`+uuidA+`","status":"pending"}}`), nil)
			return
		}
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		p, err := mr.NextPart()
		if err != nil {
			t.Errorf("multipart: %v", err)
			return
		}
		h := sha256.New()
		if _, err := io.Copy(h, p); err != nil {
			t.Errorf("read file part: %v", err)
			return
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != r.Header.Get("X-Api-File-Sha256") {
			t.Errorf("file hash %s, header %s", got, r.Header.Get("X-Api-File-Sha256"))
		}
		if failFirst && n == 1 {
			errorEnvelope(w, 503, "server_error", "")
			return
		}
		envelope(w, 200, rawJSON(`{"upload_intent":{"uuid":"`+uuidA+`","status":"committed","file":{"sha256":"x"}}}`), nil)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestUploadFileRetriesWithTheSameBody(t *testing.T) {
	var attempts atomic.Int32
	srv := uploadServer(t, &attempts, true)
	c, err := New(srv.URL+"/api/v3", WithToken("t"), WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: 1, MaxBackoff: 1}))
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.UploadFile(context.Background(), uuidA, "id.png", UploadReader(strings.NewReader(strings.Repeat("x", 5000))))
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != "committed" || attempts.Load() != 2 {
		t.Fatalf("status %q after %d attempts", in.Status, attempts.Load())
	}
}

func TestUploadStreamIsNotRetried(t *testing.T) {
	var attempts atomic.Int32
	srv := uploadServer(t, &attempts, true)
	c, _ := New(srv.URL+"/api/v3", WithToken("t"), WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: 1, MaxBackoff: 1}))
	content := "sent once"
	_, err := c.UploadFile(context.Background(), uuidA, "a.txt", UploadStream(strings.NewReader(content), sha([]byte(content)), int64(len(content))))
	if err == nil || attempts.Load() != 1 {
		t.Fatalf("err = %v after %d attempts; a one-shot body must not be resent", err, attempts.Load())
	}
}

func TestVerifyIdentityRunsTheWholeFlow(t *testing.T) {
	var attempts atomic.Int32
	var paths []string
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		paths = append(paths, r.Method+" "+r.URL.Path)
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		switch {
		case strings.HasSuffix(r.URL.Path, "/upload-intents"):
			envelope(w, 201, rawJSON(`{"upload_intent":{"uuid":"`+uuidA+`"}}`), nil)
		case strings.HasSuffix(r.URL.Path, "/commit"):
			io.Copy(io.Discard, r.Body)
			envelope(w, 200, rawJSON(`{"upload_intent":{"uuid":"`+uuidA+`","status":"committed"}}`), nil)
		default:
			envelope(w, 201, rawJSON(`{"verification":{"id":"77","type":"identity","status":"pending"}}`), nil)
		}
	}))
	defer srv.Close()
	c, _ := New(srv.URL+"/api/v3", WithToken("t"))
	v, err := c.VerifyIdentity(context.Background(), "Ann Example", []NamedUpload{{Name: "front.jpg", Source: UploadReader(strings.NewReader("front"))}},
		WithIdempotencyKey("verify-user-42-001"))
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != 77 || v.Status.Key != "pending" || !bytes.Contains(v.Raw, []byte(`"identity"`)) {
		t.Fatalf("verification = %+v", v)
	}
	want := []string{"POST /api/v3/private/files/upload-intents", "POST /api/v3/private/files/upload-intents/" + uuidA + "/commit", "POST /api/v3/private/verifications/identity"}
	if strings.Join(paths, "|") != strings.Join(want, "|") {
		t.Fatalf("paths = %v", paths)
	}
	if keys[2] != "verify-user-42-001" || keys[0] == keys[1] || keys[0] == keys[2] || !strings.HasPrefix(keys[0], "verify-user-42-001:") {
		t.Fatalf("idempotency keys = %v", keys)
	}
}

// zeroReaderAt is an endless file of generated bytes.
type zeroReaderAt struct{}

func (zeroReaderAt) ReadAt(p []byte, off int64) (int, error) {
	for i := range p {
		p[i] = byte(off + int64(i))
	}
	return len(p), nil
}

// TestUploadFile256MiBKeepsMemoryFlat streams a 256 MiB generated file to a
// server that hashes and discards it, and checks the heap grows by less than
// 32 MiB.
func TestUploadFile256MiBKeepsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("256 MiB upload skipped in -short mode")
	}
	const size = 256 << 20
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			t.Errorf("content type %q", mt)
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		p, err := mr.NextPart()
		if err != nil {
			t.Errorf("multipart: %v", err)
			return
		}
		h := sha256.New()
		n, _ := io.Copy(h, p)
		got.Store([2]string{hex.EncodeToString(h.Sum(nil)), r.Header.Get("X-Api-File-Sha256")})
		if n != size {
			t.Errorf("server read %d bytes", n)
		}
		envelope(w, 200, rawJSON(`{"upload_intent":{"status":"committed"}}`), nil)
	}))
	defer srv.Close()
	c, _ := New(srv.URL+"/api/v3", WithToken("t"), WithHMACSecret("upload-test-secret"))

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := uint64(0)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while the upload runs
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			default:
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak {
				peak = m.HeapInuse
			}
			sleepMS(20)
		}
	}()
	_, err := c.UploadFile(context.Background(), uuidA, "big.bin", UploadReaderAt(zeroReaderAt{}, size))
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	hashes := got.Load().([2]string)
	if hashes[0] != hashes[1] {
		t.Fatalf("server hashed %s, header said %s", hashes[0], hashes[1])
	}
	growth := int64(peak) - int64(before.HeapInuse)
	t.Logf("heap in use: before %d MiB, peak %d MiB (growth %.1f MiB); total allocated during upload %d MiB",
		before.HeapInuse>>20, peak>>20, float64(growth)/(1<<20), (after.TotalAlloc-before.TotalAlloc)>>20)
	if growth >= 32<<20 {
		t.Fatalf("heap grew by %d MiB while uploading 256 MiB, want < 32 MiB", growth>>20)
	}
}

// onlyReader hides every interface but io.Reader.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestUploadFileSpoolsPlainReaders(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var attempts atomic.Int32
	srv := uploadServer(t, &attempts, true)
	c, _ := New(srv.URL+"/api/v3", WithToken("t"), WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: 1, MaxBackoff: 1}))
	src := UploadReader(onlyReader{strings.NewReader(strings.Repeat("pipe ", 4000))})
	if _, err := c.UploadFile(context.Background(), uuidA, "p.txt", src); err != nil {
		t.Fatal(err)
	}
	if attempts.Load() != 2 {
		t.Fatalf("%d attempts, want 2 (the spooled copy is resent)", attempts.Load())
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// The upload body against a baseline that only hashes and copies the same
// bytes: the ratio is the cost of the multipart framing, the pipe and the
// second hash.
func benchmarkBody(b *testing.B, framed bool) {
	const size = 8 << 20
	src := UploadReaderAt(zeroReaderAt{}, size)
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !framed {
			h := sha256.New()
			io.Copy(io.MultiWriter(h, io.Discard), io.NewSectionReader(zeroReaderAt{}, 0, size))
			continue
		}
		up, err := newUploadBody(context.Background(), "z.bin", src)
		if err != nil {
			b.Fatal(err)
		}
		rc, _ := up.open()
		io.Copy(io.Discard, rc)
		rc.Close()
	}
}

func BenchmarkUploadBodyBaseline(b *testing.B) { benchmarkBody(b, false) }
func BenchmarkUploadBody(b *testing.B)         { benchmarkBody(b, true) }

func TestUploadHashingPassStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newUploadBody(ctx, "z", UploadReaderAt(zeroReaderAt{}, 1<<30))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestVerifyCardSetsTheIntent(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/upload-intents"):
			envelope(w, 201, rawJSON(`{"upload_intent":{"uuid":"`+uuidB+`","purpose":"card_verification"}}`), nil)
		case strings.HasSuffix(r.URL.Path, "/commit"):
			envelope(w, 200, nil, nil)
		default:
			envelope(w, 201, rawJSON(`{"verification":{"id":9,"status":{"key":"pending","label":"Pending"}}}`), nil)
		}
	})
	v, err := c.VerifyCard(context.Background(), CardVerificationParams{CardNumber: "4111111111111111", Order: "TR-1"},
		NamedUpload{Name: "card.jpg", Source: UploadReader(strings.NewReader("card photo"))})
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != 9 || v.Status.Label != "Pending" {
		t.Fatalf("verification = %+v", v)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	if !bytes.Contains(reqs[0].Body, []byte(`"purpose":"card_verification"`)) {
		t.Errorf("intent body %s", reqs[0].Body)
	}
	if !bytes.Contains(reqs[2].Body, []byte(`"file_intent":"`+uuidB+`"`)) || !bytes.Contains(reqs[2].Body, []byte(`"card_number":"4111111111111111"`)) {
		t.Errorf("verification body %s", reqs[2].Body)
	}
}

func TestVerifyIdentityChecksFileCount(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, nil, nil) })
	three := []NamedUpload{{"a", UploadReader(strings.NewReader("a"))}, {"b", UploadReader(strings.NewReader("b"))}, {"c", UploadReader(strings.NewReader("c"))}}
	for _, files := range [][]NamedUpload{nil, three} {
		if _, err := c.VerifyIdentity(context.Background(), "", files); err == nil {
			t.Errorf("%d files accepted", len(files))
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}

// The body an attempt sends is exactly what mime/multipart writes for the
// file, and as long as announced, whatever read sizes the transport uses.
func TestUploadBodyIsTheMultipartFrame(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 4097)
	up, err := newUploadBody(context.Background(), "scan \"1\".pdf", UploadReader(bytes.NewReader(content)))
	if err != nil {
		t.Fatal(err)
	}
	for _, wrap := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r },
		iotest.OneByteReader,
		iotest.HalfReader,
	} {
		rc, err := up.open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(wrap(rc))
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(got)) != up.length {
			t.Fatalf("body is %d bytes, announced %d", len(got), up.length)
		}
		_, params, err := mime.ParseMediaType(up.contentType)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		mw := multipart.NewWriter(&want)
		mw.SetBoundary(params["boundary"])
		part, _ := mw.CreateFormFile("file", "scan \"1\".pdf")
		part.Write(content)
		mw.Close()
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("body differs from mime/multipart's (%d vs %d bytes)", len(got), want.Len())
		}
	}
}
