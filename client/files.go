package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"time"

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

// ErrUploadChanged reports a file that changed between the hashing pass
// and the end of an attempt: that attempt's body is cut short before its
// last bytes, so it is never sent complete with a hash that does not match.
//
// How a change is seen depends on the source. A regular file (UploadPath,
// UploadReader of an *os.File, an UploadOpener that opens one) on Linux,
// macOS and the BSDs is checked by its stamp: device, inode, size,
// modification and change time, read before the hashing pass, after it,
// when each attempt opens the file and when it reaches the file's end. A
// write moves the change time, which no program can set back, so this
// catches any change made through write calls, including one that keeps
// the size, and also a file replaced by another or merely touched or
// chmod-ed (reported as changed too). It costs two fstat calls per attempt
// where hashing again would cost as much as reading the file. A file
// written within the last two seconds (whose timestamps a further write
// in the same clock tick might not move), a file system without these
// times, and every other source are instead hashed again while they are
// sent, as is any source marked with HashWhileSending.
//
// A change the stamp cannot show (a store through a shared memory mapping
// into a page already dirty, which moves no timestamp) is not reported by
// the SDK; the body then carries other bytes than X-Api-File-Sha256 says,
// and the signature covers the file only through that hash (docs/api.md §4
// and §10), so the server, hashing what it receives, refuses it (as
// clienttest does with a validation error). Use HashWhileSending for files
// written that way.
var ErrUploadChanged = errors.New("client: file changed while it was being uploaded")

// UploadSource is where UploadFile reads a file from. Make one with
// UploadPath, UploadReader, UploadReaderAt, UploadOpener or UploadStream.
type UploadSource struct {
	open  func() (io.ReadCloser, error) // a fresh reader positioned at the file's first byte
	size  func() (int64, error)         // the file's size, -1 if unknown; nil: unknown
	spool io.Reader                     // a plain reader to copy into a temporary file first
	sha   string                        // UploadStream: the caller's hash, no hashing pass

	rehash bool             // HashWhileSending: no stamp check, hash every attempt
	now    func() time.Time // the clock stamps are judged by; nil: time.Now (tests set it)
}

// UploadPath reads the file at path, reopening it for every attempt. The
// file is hashed once; attempts check its stamp instead of hashing it again
// (see ErrUploadChanged), so an upload costs one read of the file more than
// sending it does.
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
// each attempt); size is the file's length, or -1 if unknown. An opener
// that returns an *os.File (or anything with a Stat method describing a
// regular file) gets the stamp check of UploadPath.
func UploadOpener(open func() (io.ReadCloser, error), size int64) UploadSource {
	return UploadSource{open: open, size: func() (int64, error) { return size, nil }}
}

// UploadReader reads r. A reader that can be reread is: an io.ReaderAt with
// a Size method (bytes.Reader, strings.Reader, io.SectionReader) is read in
// sections; an io.Seeker (os.File) is rewound to its position at the time of
// the call, and an *os.File is checked by its stamp as UploadPath is (and
// left open). Any other reader is first copied into a temporary file, so
// that memory use stays flat and retries stay possible.
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
					if f, ok := s.(*os.File); ok {
						return callerFile{f}, nil
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

// callerFile is an *os.File the caller opened: an attempt reads it, and
// stamps it through its Stat, but leaves it open.
type callerFile struct{ *os.File }

// Close leaves the file open for the caller.
func (callerFile) Close() error { return nil }

// HashWhileSending returns s marked to be hashed again on every attempt,
// as it is sent, even where the file's stamp would do (see
// ErrUploadChanged): for a file that may change without its timestamps
// moving, such as one written through a shared memory mapping. It costs
// one more SHA-256 pass over the file per attempt.
func (s UploadSource) HashWhileSending() UploadSource {
	s.rehash = true
	return s
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
// signature), then read again on every attempt between the multipart
// frame's prefix and suffix, so memory use does not grow with the file's
// size. A file that changes meanwhile ends the call with ErrUploadChanged.
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
//
// A regular file is stamped (fileStamp) before the hashing pass; when that
// stamp is old enough to prove anything (stampRacy), every attempt checks
// the file against it instead of hashing it again, as an io.Copy of the
// file would cost. Any other source, or a file written within the last
// stampRacyWindow, is hashed again on every attempt.
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
	var stamp fileStamp
	stamped := false
	if sum == "" {
		now := time.Now
		if src.now != nil {
			now = src.now
		}
		f, err := src.open()
		if err != nil {
			return nil, fmt.Errorf("client: upload %q: %w", name, err)
		}
		start := now()
		stamp, stamped = statStamp(f)
		cr := &countingReader{r: ctxReader{ctx: ctx, r: f}}
		sum, err = signer.FileSHA256(cr)
		if err == nil && stamped {
			if after, ok := statStamp(f); !ok || after != stamp {
				err = fmt.Errorf("%w: %q changed while it was hashed", ErrUploadChanged, name)
			}
		}
		f.Close()
		if err != nil {
			if errors.Is(err, ErrUploadChanged) {
				return nil, err
			}
			return nil, fmt.Errorf("client: upload %q: hash: %w", name, err)
		}
		if size >= 0 && cr.n != size {
			return nil, fmt.Errorf("%w: %q is %d bytes, not %d", ErrUploadChanged, name, cr.n, size)
		}
		size = cr.n
		stamped = stamped && !src.rehash && !stampRacy(stamp, start)
	}
	prefix, suffix, err := multipartFrame(name)
	if err != nil {
		return nil, err
	}
	length := int64(-1)
	if size >= 0 {
		length = int64(len(prefix.bytes)) + size + int64(len(suffix))
	}
	return &uploadBody{
		contentType: prefix.contentType,
		open: func() (io.ReadCloser, error) {
			f, err := src.open()
			if err != nil {
				return nil, err
			}
			b := &multipartBody{prefix: prefix.bytes, suffix: suffix, file: f, sum: sum, size: size}
			if stamped {
				// A file replaced, rewritten or touched since the hashing
				// pass fails before a byte of it is sent.
				if now, ok := statStamp(f); !ok || now != stamp {
					f.Close()
					return nil, fmt.Errorf("%w: %q changed since it was hashed", ErrUploadChanged, name)
				}
				b.stamp = &stamp
			}
			return b, nil
		},
		oneShot:    src.sha != "",
		fileSHA256: sum,
		length:     length,
	}, nil
}

// framePrefix is what comes before the file in the body, and the body's
// content type (which names the boundary).
type framePrefix struct {
	bytes       []byte
	contentType string
}

// multipartFrame returns the bytes that frame the file as the multipart
// field "file" named name: everything before the file's first byte and
// everything after its last. They are built once per upload; every attempt
// sends them around the file.
func multipartFrame(name string) (framePrefix, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, err := mw.CreateFormFile("file", name); err != nil {
		return framePrefix{}, nil, err
	}
	prefix := bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return framePrefix{}, nil, err
	}
	return framePrefix{bytes: prefix, contentType: mw.FormDataContentType()}, bytes.Clone(buf.Bytes()), nil
}

// multipartBody is one attempt's body: the frame's prefix, the file, the
// frame's suffix, read in turn by the transport itself (no goroutine, no
// pipe). When the file reaches its end, the body proves it sent the bytes
// that were hashed: by the file's stamp (unchanged since before the
// hashing pass) when it has one, else by hashing the file again on the
// way. If that fails, the read that reaches the file's end fails with
// ErrUploadChanged and the suffix is never sent, so the server never
// receives a complete body with a hash that does not match.
type multipartBody struct {
	prefix, suffix []byte
	file           io.ReadCloser
	sum            string
	size           int64      // -1 if unknown
	stamp          *fileStamp // the file's stamp before hashing; nil: hash again

	h     hash.Hash
	n     int64
	stage int // 0 prefix, 1 file, 2 suffix, 3 done
	err   error
}

func (b *multipartBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	for len(p) > 0 {
		switch b.stage {
		case 0:
			n := copy(p, b.prefix)
			if b.prefix = b.prefix[n:]; len(b.prefix) == 0 {
				b.stage = 1
			}
			return n, nil
		case 1:
			if b.h == nil && b.stamp == nil {
				b.h = sha256.New()
			}
			// Never read past the hashed length: a grown file must not put
			// its new bytes where the frame's suffix belongs, nor keep the
			// transport draining it.
			q := p
			if b.size >= 0 && int64(len(q)) > b.size-b.n {
				q = q[:b.size-b.n]
			}
			var n int
			var err error
			if len(q) > 0 {
				n, err = b.file.Read(q)
				if b.h != nil {
					b.h.Write(q[:n])
				}
				b.n += int64(n)
			}
			if err != nil && err != io.EOF {
				return n, err
			}
			if err == io.EOF || (b.size >= 0 && b.n == b.size) {
				if cerr := b.sentWhatWasHashed(); cerr != nil {
					b.err = cerr
					// The bytes just read may still go out; the suffix
					// never will, so the body cannot complete.
					if n > 0 {
						return n, nil
					}
					return 0, b.err
				}
				b.stage = 2
				err = nil
			}
			if n > 0 || err != nil {
				return n, err
			}
		case 2:
			n := copy(p, b.suffix)
			if b.suffix = b.suffix[n:]; len(b.suffix) == 0 {
				b.stage = 3
			}
			return n, nil
		default:
			return 0, io.EOF
		}
	}
	return 0, nil
}

// sentWhatWasHashed checks, at the file's end (or at its hashed length),
// that the bytes read are the ones hashed before: as many as announced,
// and either the file's stamp is still the one taken before the hashing
// pass (every write since would have moved its ctime; its size shows
// growth) or the bytes hash to the same sum with nothing after them. It
// returns ErrUploadChanged, or the error of reading past the end.
func (b *multipartBody) sentWhatWasHashed() error {
	if b.size >= 0 && b.n != b.size {
		return ErrUploadChanged
	}
	if b.stamp != nil {
		if now, ok := statStamp(b.file); !ok || now != *b.stamp {
			return ErrUploadChanged
		}
		return nil
	}
	if b.size >= 0 {
		if err := b.atEOF(); err != nil {
			return err
		}
	}
	if hex.EncodeToString(b.h.Sum(nil)) != b.sum {
		return ErrUploadChanged
	}
	return nil
}

// atEOF checks that the file has no byte after the hashed length: one
// read of a single byte, retried while the reader returns nothing and no
// error (up to 100 times, as bufio does).
func (b *multipartBody) atEOF() error {
	var one [1]byte
	for range 100 {
		n, err := b.file.Read(one[:])
		switch {
		case n > 0:
			return ErrUploadChanged
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		}
	}
	return io.ErrNoProgress
}

// Close closes the file.
func (b *multipartBody) Close() error { return b.file.Close() }

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

func intentPath(intent string) string {
	return "/private/files/upload-intents/" + url.PathEscape(intent)
}
