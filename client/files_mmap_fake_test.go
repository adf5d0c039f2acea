//go:build linux

package client_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/iexkit/exchanger-go/client"
)

// A change the file's stamp may not show, a store through a shared memory
// mapping into a page already dirty (no fault, so no timestamp moves), is
// still never committed: either the stamp saw it after all (the page was
// written back meanwhile) and the call ends with ErrUploadChanged, or the
// body went out complete with bytes that no longer match the signed
// X-Api-File-Sha256 and the server refused it. HashWhileSending always
// catches it in the client.
func TestUploadFileChangedThroughMmapIsNeverCommitted(t *testing.T) {
	for _, rehash := range []bool{false, true} {
		var m []byte
		c, intent, path, _ := uploadFixture(t, func(string) { m[len(m)-1] ^= 0xff })
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		m, err = syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
		f.Close()
		if err != nil {
			t.Skipf("mmap: %v", err)
		}
		m[len(m)-1] = 'x' // dirty the last page now: the change mid-send will not fault
		src := client.AgedUploadSource(client.UploadPath(path))
		if rehash {
			src = src.HashWhileSending()
		}
		_, err = c.UploadFile(context.Background(), intent, "scan.pdf", src)
		syscall.Munmap(m)
		var ae *client.APIError
		switch {
		case errors.Is(err, client.ErrUploadChanged):
			t.Logf("HashWhileSending %v: the client saw the change", rehash)
		case rehash:
			t.Fatalf("HashWhileSending: err = %v, want ErrUploadChanged", err)
		case errors.As(err, &ae) && ae.StatusCode == 422 && len(ae.Details["file"]) > 0:
			t.Logf("the server refused the body: %v", ae.Details["file"])
		default:
			t.Fatalf("err = %v, want ErrUploadChanged or the server's refusal", err)
		}
		assertNotCommitted(t, c, intent)
	}
}
