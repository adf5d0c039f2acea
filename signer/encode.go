package signer

// This file holds the two byte-level codecs of the canonical query: PHP's
// query decoding (php_url_decode: '+' is a space, %XX is a byte) and RFC 3986
// encoding (PHP's rawurlencode: everything but A-Z a-z 0-9 - _ . ~ is %XX with
// upper-case hex).

const upperHex = "0123456789ABCDEF"

// unreservedTable has a '1' at the index of every byte RFC 3986 leaves
// unescaped: - . 0-9 A-Z _ a-z ~. A constant string is an immutable lookup
// table, the fastest test in the byte loops of the fast path.
const unreservedTable = "" +
	"0000000000000000" + // 0x00
	"0000000000000000" + // 0x10
	"0000000000000110" + // 0x20: - .
	"1111111111000000" + // 0x30: 0-9
	"0111111111111111" + // 0x40: A-O
	"1111111111100001" + // 0x50: P-Z _
	"0111111111111111" + // 0x60: a-o
	"1111111111100010" + // 0x70: p-z ~
	"0000000000000000" + "0000000000000000" + "0000000000000000" + "0000000000000000" + // 0x80-0xBF
	"0000000000000000" + "0000000000000000" + "0000000000000000" + "0000000000000000" // 0xC0-0xFF

// baseTable is unreservedTable without '.': the bytes a base name (before
// any '[') passes through PHP's parser with unchanged, as PHP turns '.'
// into '_' there.
const baseTable = "" +
	"0000000000000000" + // 0x00
	"0000000000000000" + // 0x10
	"0000000000000100" + // 0x20: -
	"1111111111000000" + // 0x30: 0-9
	"0111111111111111" + // 0x40: A-O
	"1111111111100001" + // 0x50: P-Z _
	"0111111111111111" + // 0x60: a-o
	"1111111111100010" + // 0x70: p-z ~
	"0000000000000000" + "0000000000000000" + "0000000000000000" + "0000000000000000" + // 0x80-0xBF
	"0000000000000000" + "0000000000000000" + "0000000000000000" + "0000000000000000" // 0xC0-0xFF

// isUnreserved reports whether RFC 3986 leaves c unescaped.
func isUnreserved(c byte) bool { return unreservedTable[c] == '1' }

// appendEscaped appends the RFC 3986 encoding of s to dst.
func appendEscaped(dst []byte, s string) []byte {
	for len(s) > 0 {
		// Copy the run that needs no escaping in one go.
		i := 0
		for i < len(s) && isUnreserved(s[i]) {
			i++
		}
		dst = append(dst, s[:i]...)
		if i == len(s) {
			break
		}
		dst = appendEscapedByte(dst, s[i])
		s = s[i+1:]
	}
	return dst
}

func appendEscapedByte(dst []byte, c byte) []byte {
	if isUnreserved(c) {
		return append(dst, c)
	}
	return append(dst, '%', upperHex[c>>4], upperHex[c&15])
}

// unhex returns the value of the hex digit c and whether c is one (C's
// isxdigit in the "C" locale).
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodedByte decodes the byte that starts s[i:] the way php_url_decode does
// and returns it with the number of input bytes it used: "+" is a space, "%XX"
// with two hex digits is that byte, and anything else (a lone or malformed '%'
// included) is itself.
func decodedByte(s string, i int) (byte, int) {
	switch c := s[i]; c {
	case '+':
		return ' ', 1
	case '%':
		if i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				return hi<<4 | lo, 3
			}
		}
		return '%', 1
	default:
		return c, 1
	}
}

// phpURLDecode decodes s the way PHP decodes query names and values.
func phpURLDecode(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '+' || s[i] == '%' {
			return string(appendDecoded(make([]byte, 0, len(s)), s))
		}
	}
	return s
}

func appendDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c, n := decodedByte(s, i)
		dst = append(dst, c)
		i += n
	}
	return dst
}
