package webhook

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestParseSignatureMatchesHex puts every byte at the first and last digit
// of a signature: the table decoder must accept and decode exactly what
// encoding/hex does.
func TestParseSignatureMatchesHex(t *testing.T) {
	base := "00112233445566778899aabbccddeeffAABBCCDDEEFF0123456789abcdef0123"
	for c := 0; c < 256; c++ {
		for _, pos := range []int{0, 63} {
			s := base[:pos] + string([]byte{byte(c)}) + base[pos+1:]
			want, werr := hex.DecodeString(s)
			var mac [32]byte
			detail := parseSignature(s, &mac)
			if (detail == "") != (werr == nil) || (werr == nil && string(mac[:]) != string(want)) {
				t.Fatalf("byte %#x at %d: detail %q, encoding/hex %v", c, pos, detail, werr)
			}
		}
	}
}

// TestParseUnixSecondsMatchesStrconv: digits only, 1 to 12 of them, with
// strconv's value.
func TestParseUnixSecondsMatchesStrconv(t *testing.T) {
	for _, s := range []string{"0", "1782190000", "000000000001", "999999999999", "1000000000000", "", "-1", "+1", "1e9", "12 ", "١٢", "17821900/0", "1782190:00"} {
		got, ok := parseUnixSeconds(s)
		want, err := strconv.ParseInt(s, 10, 64)
		wantOK := err == nil && len(s) <= 12 && strings.Trim(s, "0123456789") == ""
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("%q: %d %v, want %d %v", s, got, ok, want, wantOK)
		}
	}
}

// TestSignedHeaderTrim: values are trimmed as strings.TrimSpace does
// (Unicode spaces included) before the visible-ASCII check, whether or not
// the fast path skips the trim.
func TestSignedHeaderTrim(t *testing.T) {
	for _, v := range []string{"evt_1", " evt_1", "evt_1 ", "\tevt_1\t", "evt_1\u00a0", "\u00a0evt_1", "\u0085evt_1", "ev t", "evt_1\x7f", "\x7fevt", "~", "!", " ", ""} {
		l := headerLookup{h: http.Header{HeaderEventID: {v}}}
		got, err := l.signed(HeaderEventID)
		want := strings.TrimSpace(v)
		wantOK := want != "" && strings.IndexFunc(want, func(r rune) bool { return r < 0x21 || r > 0x7e }) < 0
		if (err == nil) != wantOK || (err == nil && got != want) {
			t.Fatalf("%q: %q %v, want %q ok=%v", v, got, err, want, wantOK)
		}
	}
}
