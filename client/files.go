package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"

	"github.com/iexkit/exchanger-go/signer"
)

// UploadIntent is a one-time permission to upload one file for one purpose.
type UploadIntent struct {
	ID                int64          `json:"id"`
	UUID              string         `json:"uuid"`    // the id used in paths
	Purpose           string         `json:"purpose"` // identity_verification, card_verification, order_attachment, sandbox
	ResourceType      string         `json:"resource_type"`
	ResourceID        string         `json:"resource_id"`
	FieldKey          string         `json:"field_key"`
	Status            string         `json:"status"` // pending, committed, consumed, expired
	AllowedExtensions []string       `json:"allowed_extensions"`
	MaxBytes          int64          `json:"max_bytes"`
	File              map[string]any `json:"file"` // free-form: the committed file
	ExpiresAt         string         `json:"expires_at"`
	CommittedAt       string         `json:"committed_at"`
	ConsumedAt        string         `json:"consumed_at"`
}

// UploadIntentParams is the body of CreateUploadIntent.
type UploadIntentParams struct {
	Purpose           string   `json:"purpose"` // identity_verification, card_verification, order_attachment, sandbox
	ResourceType      string   `json:"resource_type,omitempty"`
	ResourceID        string   `json:"resource_id,omitempty"`
	FieldKey          string   `json:"field_key,omitempty"`
	AllowedExtensions []string `json:"allowed_extensions,omitempty"`
	MaxBytes          int64    `json:"max_bytes,omitempty"`
}

// CreateUploadIntent creates a one-time upload intent; upload the file with
// UploadFile.
//
// POST /private/files/upload-intents. Scope: public-api:files:write.
func (c *Client) CreateUploadIntent(ctx context.Context, p UploadIntentParams, opts ...CallOption) (*UploadIntent, error) {
	cl := &call{op: "POST /private/files/upload-intents", method: http.MethodPost, path: "/private/files/upload-intents", body: p, scope: "public-api:files:write", idempotent: true}
	return callInto[UploadIntent](ctx, c, cl, "upload_intent", opts)
}

// UploadIntent returns an upload intent's state.
//
// GET /private/files/upload-intents/{intent}. Scope: public-api:files:read.
func (c *Client) UploadIntent(ctx context.Context, intent string, opts ...CallOption) (*UploadIntent, error) {
	cl := &call{op: "GET /private/files/upload-intents/{intent}", method: http.MethodGet, path: intentPath(intent), scope: "public-api:files:read"}
	return callInto[UploadIntent](ctx, c, cl, "upload_intent", opts)
}

// ErrOneShotUpload reports a file source that cannot be read twice (made by
// UploadStream) used where it would have to be.
var ErrOneShotUpload = errors.New("client: one-shot upload source already used")

// ErrUploadChanged reports a file whose bytes changed between the hashing
// pass and the upload: the upload is aborted rather than sent with a hash
// that does not match.
var ErrUploadChanged = errors.New("client: file changed while it was being uploaded")

// UploadSource is where UploadFile reads a file from. Make one with
// UploadPath, UploadReader, UploadReaderAt, UploadOpener or UploadStream.
type UploadSource struct {
	open  func() (io.ReadCloser, error) // a fresh reader positioned at the file's first byte
	size  func() (int64, error)         // the file's size, -1 if unknown; nil: unknown
	spool io.Reader                     // a plain reader to copy into a temporary file first
	sha   string                        // UploadStream: the caller's hash, no hashing pass
}

// UploadPath reads the file at path, reopening it for every attempt.
func UploadPath(path string) UploadSource {
	return UploadSource{
		open: func() (io.ReadCloser, error) { return os.Open(path) },
		size: func() (int64, error) {
			fi, err := os.Stat(path)
			if err != nil {
				return 0, err
			}
			return fi.Size(), nil
		},
	}
}

// UploadReaderAt reads size bytes of r from offset 0, a fresh section for
// every attempt.
func UploadReaderAt(r io.ReaderAt, size int64) UploadSource {
	return UploadSource{
		open: func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(r, 0, size)), nil },
		size: func() (int64, error) { return size, nil },
	}
}

// UploadOpener calls open for every pass over the file (the hashing pass and
// each attempt); size is the file's length, or -1 if unknown.
func UploadOpener(open func() (io.ReadCloser, error), size int64) UploadSource {
	return UploadSource{open: open, size: func() (int64, error) { return size, nil }}
}

// UploadReader reads r. A reader that can be reread is: an io.ReaderAt with
// a Size method (bytes.Reader, strings.Reader, io.SectionReader) is read in
// sections; an io.Seeker (os.File) is rewound to its position at the time of
// the call. Any other reader is first copied into a temporary file (hashed
// on the way), so that memory use stays flat and retries stay possible.
func UploadReader(r io.Reader) UploadSource {
	if ra, ok := r.(interface {
		io.ReaderAt
		Size() int64
	}); ok {
		return UploadReaderAt(ra, ra.Size())
	}
	if s, ok := r.(io.ReadSeeker); ok {
		start, err := s.Seek(0, io.SeekCurrent)
		if err == nil {
			return UploadSource{
				open: func() (io.ReadCloser, error) {
					if _, err := s.Seek(start, io.SeekStart); err != nil {
						return nil, err
					}
					return io.NopCloser(s), nil
				},
				size: func() (int64, error) {
					end, err := s.Seek(0, io.SeekEnd)
					if err != nil {
						return 0, err
					}
					return end - start, nil
				},
			}
		}
	}
	return UploadSource{spool: r}
}

// UploadStream sends r as it is read, without a hashing pass: fileSHA256 is
// its lowercase hex SHA-256, which the caller already knows, and size its
// length (-1 if unknown). The body can be sent once only, so such an upload
// is never retried; a hash that does not match the bytes aborts the upload.
func UploadStream(r io.Reader, fileSHA256 string, size int64) UploadSource {
	used := false
	return UploadSource{
		open: func() (io.ReadCloser, error) {
			if used {
				return nil, ErrOneShotUpload
			}
			used = true
			return io.NopCloser(r), nil
		},
		size: func() (int64, error) { return size, nil },
		sha:  fileSHA256,
	}
}

// UploadFile uploads a file into an upload intent (its uuid) as the
// multipart field "file", named name. The body is streamed: the file is
// hashed in a first pass (X-Api-File-Sha256, and the body hash of the
// signature), then streamed through an io.Pipe on every attempt, so memory
// use does not grow with the file's size.
//
// POST /private/files/upload-intents/{intent}/commit. Scope: public-api:files:write.
func (c *Client) UploadFile(ctx context.Context, intent, name string, src UploadSource, opts ...CallOption) (*UploadIntent, error) {
	if src.spool != nil {
		tmp, cleanup, err := spoolToTemp(ctx, src.spool)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		src = UploadPath(tmp)
	}
	if src.open == nil {
		return nil, errors.New("client: UploadFile: empty UploadSource")
	}
	up, err := newUploadBody(ctx, name, src)
	if err != nil {
		return nil, err
	}
	cl := &call{op: "POST /private/files/upload-intents/{intent}/commit", method: http.MethodPost, path: intentPath(intent) + "/commit", upload: up, scope: "public-api:files:write", idempotent: true}
	return callInto[UploadIntent](ctx, c, cl, "upload_intent", opts)
}

// newUploadBody hashes the file (unless the caller gave the hash) and
// prepares a body that streams it as multipart/form-data.
func newUploadBody(ctx context.Context, name string, src UploadSource) (*uploadBody, error) {
	size := int64(-1)
	if src.size != nil {
		n, err := src.size()
		if err != nil {
			return nil, fmt.Errorf("client: upload %q: %w", name, err)
		}
		size = n
	}
	sum := src.sha
	if sum == "" {
		f, err := src.open()
		if err != nil {
			return nil, fmt.Errorf("client: upload %q: %w", name, err)
		}
		cr := &countingReader{r: ctxReader{ctx: ctx, r: f}}
		sum, err = signer.FileSHA256(cr)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("client: upload %q: hash: %w", name, err)
		}
		if size >= 0 && cr.n != size {
			return nil, fmt.Errorf("%w: %q is %d bytes, not %d", ErrUploadChanged, name, cr.n, size)
		}
		size = cr.n
	}
	boundary := multipart.NewWriter(io.Discard).Boundary()
	length := int64(-1)
	if size >= 0 {
		overhead, err := multipartOverhead(boundary, name)
		if err != nil {
			return nil, err
		}
		length = overhead + size
	}
	return &uploadBody{
		contentType: "multipart/form-data; boundary=" + boundary,
		open:        func() (io.ReadCloser, error) { return streamMultipart(boundary, name, src.open, sum, size) },
		oneShot:     src.sha != "",
		fileSHA256:  sum,
		length:      length,
	}, nil
}

// streamMultipart opens the file and returns the multipart body that a
// goroutine writes through a pipe as the transport reads it. The file is
// hashed again on the way: if it no longer matches the first pass (or the
// caller's hash), the body ends with ErrUploadChanged instead of completing.
// Closing the returned reader (the transport always does) stops the
// goroutine.
func streamMultipart(boundary, name string, open func() (io.ReadCloser, error), sum string, size int64) (io.ReadCloser, error) {
	f, err := open()
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		defer f.Close()
		mw := multipart.NewWriter(pw)
		if err := mw.SetBoundary(boundary); err != nil {
			pw.CloseWithError(err)
			return
		}
		part, err := mw.CreateFormFile("file", name)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(part, h), f)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		if hex.EncodeToString(h.Sum(nil)) != sum || (size >= 0 && n != size) {
			pw.CloseWithError(ErrUploadChanged)
			return
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, nil
}

// multipartOverhead is the number of bytes the multipart framing adds
// around a file part, so that the body's length is known in advance.
func multipartOverhead(boundary, name string) (int64, error) {
	var cw countingWriter
	mw := multipart.NewWriter(&cw)
	if err := mw.SetBoundary(boundary); err != nil {
		return 0, err
	}
	if _, err := mw.CreateFormFile("file", name); err != nil {
		return 0, err
	}
	if err := mw.Close(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

// spoolToTemp copies a one-pass reader into a temporary file, so that it can
// be hashed and reread without holding it in memory.
func spoolToTemp(ctx context.Context, r io.Reader) (path string, cleanup func(), err error) {
	f, err := os.CreateTemp("", "exchanger-upload-*")
	if err != nil {
		return "", nil, fmt.Errorf("client: upload: spool: %w", err)
	}
	cleanup = func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, ctxReader{ctx: ctx, r: r}); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("client: upload: spool: %w", err)
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("client: upload: spool: %w", err)
	}
	return f.Name(), cleanup, nil
}

// ctxReader stops a copy when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func intentPath(intent string) string {
	return "/private/files/upload-intents/" + url.PathEscape(intent)
}
