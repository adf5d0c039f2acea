package signer

import "testing"

func TestIsUnreservedMatchesRFC3986(t *testing.T) {
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
	want := map[byte]bool{}
	for i := 0; i < len(unreserved); i++ {
		want[unreserved[i]] = true
	}
	for c := 0; c < 256; c++ {
		if got := isUnreserved(byte(c)); got != want[byte(c)] {
			t.Errorf("isUnreserved(%#x) = %v, want %v", c, got, want[byte(c)])
		}
	}
}

func TestBaseTableIsUnreservedWithoutDot(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := isUnreserved(byte(c)) && c != '.'
		if got := baseTable[c] == '1'; got != want {
			t.Errorf("baseTable[%#x] = %v, want %v", c, got, want)
		}
	}
}
