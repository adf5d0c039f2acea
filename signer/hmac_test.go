package signer

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
)

const testSecret = "very-secret-hmac-key"

func TestHMACNeverPrintsTheSecret(t *testing.T) {
	h := NewHMAC(testSecret)
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, arg := range []any{h, *h} {
			if out := fmt.Sprintf(format, arg); strings.Contains(out, testSecret) || strings.Contains(out, "118 101 114 121") {
				t.Errorf("Sprintf(%q, %T) = %q shows the secret", format, arg, out)
			}
		}
	}
}

func TestZeroHMACSignsAndVerifiesNothing(t *testing.T) {
	var zero HMAC
	var nilHMAC *HMAC
	if got := zero.Sign(benchGET); got != "" {
		t.Errorf("zero HMAC signed: %q", got)
	}
	if got := nilHMAC.Sign(benchGET); got != "" {
		t.Errorf("nil HMAC signed: %q", got)
	}
	emptyKeySig := NewHMAC("").Sign(benchGET)
	if zero.Verify(benchGET, emptyKeySig) || nilHMAC.Verify(benchGET, emptyKeySig) {
		t.Error("zero HMAC verified a signature")
	}
}

func TestVerifyRejectsNearMisses(t *testing.T) {
	h := NewHMAC(testSecret)
	sig := h.Sign(benchGET)
	hexSig := strings.TrimPrefix(sig, SignaturePrefix)
	flipped := []byte(hexSig)
	flipped[10] ^= 1
	for name, header := range map[string]string{
		"empty":           "",
		"prefix only":     SignaturePrefix,
		"upper-case hex":  SignaturePrefix + strings.ToUpper(hexSig),
		"upper prefix":    "SHA256=" + hexSig,
		"one bit off":     SignaturePrefix + string(flipped),
		"truncated":       sig[:len(sig)-1],
		"extra byte":      sig + "0",
		"other secret":    NewHMAC(testSecret + "x").Sign(benchGET),
		"surrounding ws":  " " + sig,
		"doubled prefix":  SignaturePrefix + sig,
		"non-hex garbage": SignaturePrefix + strings.Repeat("zz", 32),
	} {
		if h.Verify(benchGET, header) {
			t.Errorf("%s: Verify accepted %q", name, header)
		}
	}
}

func TestSignatureShape(t *testing.T) {
	sig := NewHMAC(testSecret).Sign(benchPOST)
	hexSig, ok := strings.CutPrefix(sig, SignaturePrefix)
	if !ok || len(hexSig) != 64 || strings.Trim(hexSig, "0123456789abcdef") != "" {
		t.Errorf("Sign = %q, want sha256= and 64 lowercase hex", sig)
	}
}

// TestSignConcurrent shares one HMAC between goroutines; run with -race.
// Pooled states must never mix one call's canonical string into another's.
func TestSignConcurrent(t *testing.T) {
	h := NewHMAC(testSecret)
	payloads := []Payload{benchGET, benchPOST, {Method: "DELETE", Path: "/api/v3/private/webhooks/1",
		RawQuery: "a[]=1&a[]=2&b.c=3", BodySHA256: EmptyBodySHA256, Timestamp: "1", Nonce: "n"}}
	want := make([]string, len(payloads))
	for i, p := range payloads {
		want[i] = NewHMAC(testSecret).Sign(p)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := (g + i) % len(payloads)
				if got := h.Sign(payloads[k]); got != want[k] {
					t.Errorf("goroutine %d: payload %d signed %s, want %s", g, k, got, want[k])
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestSignHugeQueryDoesNotPinItsBuffer(t *testing.T) {
	h := NewHMAC(testSecret)
	p := benchGET
	p.RawQuery = "q=" + strings.Repeat("x", 2*maxPooledCanonical)
	want := NewHMAC(testSecret).Sign(p)
	if got := h.Sign(p); got != want {
		t.Fatalf("huge query: %s, want %s", got, want)
	}
	s := h.k.states.Get().(*signState)
	if cap(s.canonical) > maxPooledCanonical {
		t.Errorf("pool kept a %d-byte buffer", cap(s.canonical))
	}
}

func TestCanonicalUpperCasesTheMethodASCIIOnly(t *testing.T) {
	p := Payload{Method: "pAtch", Path: "/p", BodySHA256: EmptyBodySHA256, Timestamp: "t", Nonce: "n"}
	if got, want := p.Canonical(), "v1\nPATCH\n/p\n\n"+EmptyBodySHA256+"\nt\nn"; got != want {
		t.Errorf("Canonical() = %q, want %q", got, want)
	}
	p.Method = "gét" // PHP 8's strtoupper leaves non-ASCII bytes alone
	if got := strings.Split(p.Canonical(), "\n")[1]; got != "GéT" {
		t.Errorf("method line %q, want %q", got, "GéT")
	}
}

func TestBodySHA256(t *testing.T) {
	if got := BodySHA256(nil); got != EmptyBodySHA256 {
		t.Errorf("BodySHA256(nil) = %s, want %s", got, EmptyBodySHA256)
	}
	if got, want := BodySHA256([]byte("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("BodySHA256(abc) = %s, want %s", got, want)
	}
}

// chunkReader hands out its data a few bytes at a time, as a file or a
// network stream would.
type chunkReader struct {
	data string
	err  error
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p[:min(len(p), 3)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestFileSHA256Streams(t *testing.T) {
	data := strings.Repeat("0123456789", 1000)
	got, err := FileSHA256(&chunkReader{data: data, err: io.EOF})
	if err != nil {
		t.Fatal(err)
	}
	if want := BodySHA256([]byte(data)); got != want {
		t.Errorf("FileSHA256 = %s, want %s", got, want)
	}
}

func TestFileSHA256ReturnsReadErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	got, err := FileSHA256(&chunkReader{data: "partial", err: boom})
	if !errors.Is(err, boom) || got != "" {
		t.Errorf("FileSHA256 = %q, %v; want \"\" and an error wrapping %v", got, err, boom)
	}
}
