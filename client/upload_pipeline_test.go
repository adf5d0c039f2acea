package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/iexkit/exchanger-go/signer"
)

// uploadCall streams file as the body, counting how often it is opened.
func uploadCall(file []byte, oneShot bool, opens *atomic.Int32) *call {
	return &call{method: http.MethodPost, path: "/private/files/upload-intents/i1/commit", scope: "public-api:files:write", idempotent: true,
		upload: &uploadBody{
			contentType: "multipart/form-data; boundary=xyz",
			open: func() (io.ReadCloser, error) {
				opens.Add(1)
				return io.NopCloser(bytes.NewReader(file)), nil
			},
			oneShot:    oneShot,
			fileSHA256: signer.BodySHA256(file),
			length:     int64(len(file)),
		}}
}

func TestUploadIsReopenedPerAttemptAndSignsTheFileHash(t *testing.T) {
	file := bytes.Repeat([]byte("pdf-bytes "), 1000)
	f := newFakeExchanger(t, func(n int, a attempt, w http.ResponseWriter, _ *http.Request) {
		if !a.SignatureOK || !bytes.Equal(a.Body, file) || a.Header.Get("Content-Type") != "multipart/form-data; boundary=xyz" {
			writeErr(w, 400, "bad_upload", "r", nil)
			return
		}
		if n == 1 {
			writeErr(w, 503, "", "r", nil)
			return
		}
		writeOK(w, nil, "ok")
	})
	c := newTestClient(t, f)
	var opens atomic.Int32
	if _, err := c.do(context.Background(), uploadCall(file, false, &opens), nil, nil); err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if len(seen) != 2 || opens.Load() != 2 || seen[0].Header.Get(signer.HeaderFileSHA256) != signer.BodySHA256(file) {
		t.Fatalf("%d attempts, %d opens", len(seen), opens.Load())
	}
}

func TestOneShotUploadIsNeverRetriedOnceSent(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 503, "", "r", nil)
	})
	c := newTestClient(t, f)
	var opens atomic.Int32
	_, err := c.do(context.Background(), uploadCall([]byte("once"), true, &opens), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("err %v", err)
	}
	if n := len(f.seen()); n != 1 || opens.Load() != 1 {
		t.Fatalf("%d attempts, %d opens of a one-shot body", n, opens.Load())
	}
}
