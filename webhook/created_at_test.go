package webhook

import (
	"testing"
	"time"
)

var createdAtInputs = []string{
	`"2026-06-23T10:00:00+00:00"`, `"2026-06-23T10:00:00Z"`, `"2026-06-23T10:00:00-07:00"`, `"2026-06-23T10:00:00+05:30"`,
	`"2024-02-29T23:59:59+14:00"`, `"2023-02-29T10:00:00Z"`, `"2026-04-31T10:00:00Z"`, `"2026-13-01T10:00:00Z"`,
	`"2026-00-10T10:00:00Z"`, `"2026-06-23T24:00:00Z"`, `"2026-06-23T10:60:00Z"`, `"2026-06-23T10:00:60Z"`,
	`"2026-06-23T10:00:00+24:00"`, `"2026-06-23T10:00:00+10:60"`, `"2026-06-23T10:00:00 00:00"`, `"2026-06-23T10:00:00+0000"`,
	`"2026-06-23t10:00:00Z"`, `"2026-06-23 10:00:00Z"`, `"2026-06-23T10:00:00z"`, `"2026-06-23T10:00:00.5Z"`,
	`"2026-06-23T10:00:00.123456+00:00"`, `"2026-06-23T10:00:00"`, `"2026-06-23 10:00:00"`, `"2026-06-23T10:00:00\u002b00:00"`,
	`"+026-06-23T10:00:00Z"`, `"2026-0a-23T10:00:00Z"`, `"0000-01-01T00:00:00Z"`, `"9999-12-31T23:59:59-12:00"`,
	`"1900-02-29T00:00:00Z"`, `"2000-02-29T00:00:00Z"`, `null`, `1782190000`, `""`, `"x"`, `"2026-06-23T10:00:00+00:00`,
}

// sameTime reports whether a and b are the same instant in the same
// location, as a caller printing or comparing them would see. Fixed zones
// off the hour are made anew by each parse, so they compare by name and
// offset (through String).
func sameTime(a, b time.Time) bool {
	is := func(t time.Time, l *time.Location) bool { return t.Location() == l }
	return a.Equal(b) && a.String() == b.String() && is(a, time.Local) == is(b, time.Local) && is(a, time.UTC) == is(b, time.UTC)
}

// TestCreatedAtFastPathMatchesParse: the fast path reads the vendor's form
// exactly as time.Parse does, and everything else falls back.
func TestCreatedAtFastPathMatchesParse(t *testing.T) {
	for _, in := range createdAtInputs {
		checkCreatedAt(t, []byte(in))
	}
	if _, ok := rfc3339Seconds([]byte(`"2026-06-23T10:00:00+00:00"`)); !ok {
		t.Fatal("the vendor's form missed the fast path")
	}
	if got := createdAtOf([]byte(`"2026-06-23T10:00:00-07:00"`)); !got.Equal(time.Date(2026, 6, 23, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("got %v", got)
	}
}

func checkCreatedAt(t *testing.T, val []byte) {
	t.Helper()
	want := parseCreatedAt(stringValue(val))
	if got := createdAtOf(val); !sameTime(got, want) {
		t.Fatalf("%s: got %v (%v), time.Parse gives %v (%v)", val, got, got.Location(), want, want.Location())
	}
}

// FuzzCreatedAt checks the fast created_at reader against time.Parse.
func FuzzCreatedAt(f *testing.F) {
	for _, in := range createdAtInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, val []byte) {
		checkCreatedAt(t, val)
	})
}
