package webhook

import "time"

// createdAtOf returns the time of a body's created_at, given its raw JSON
// value. The vendor writes it as "2026-06-23T10:00:00+00:00" (or with a
// "Z"); that form is read here straight from the body's bytes, with the
// same checks and the same result, location included, as time.Parse with
// time.RFC3339Nano, without making a string of it. Anything else (escapes,
// fractions, the other layouts, bad dates) goes to parseCreatedAt.
func createdAtOf(val []byte) time.Time {
	if t, ok := rfc3339Seconds(val); ok {
		return t
	}
	return parseCreatedAt(stringValue(val))
}

// rfc3339Seconds reads a quoted "YYYY-MM-DDTHH:MM:SS" followed by "Z" or
// "±HH:MM", as time's own RFC 3339 reader does. ok is false for anything it
// does not take, and then the caller decides.
func rfc3339Seconds(val []byte) (t time.Time, ok bool) {
	n := len(val)
	if (n != len(`"2006-01-02T15:04:05Z"`) && n != len(`"2006-01-02T15:04:05+07:00"`)) || val[0] != '"' || val[n-1] != '"' {
		return time.Time{}, false
	}
	s := val[1 : n-1]
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	ok = true
	num := func(b []byte, lo, hi int) int {
		x := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				ok = false
				return lo
			}
			x = x*10 + int(c-'0')
		}
		if x < lo || x > hi {
			ok = false
		}
		return x
	}
	year := num(s[0:4], 0, 9999)
	month := num(s[5:7], 1, 12)
	if !ok {
		return time.Time{}, false
	}
	day := num(s[8:10], 1, daysIn(time.Month(month), year))
	hour := num(s[11:13], 0, 23)
	minute := num(s[14:16], 0, 59)
	sec := num(s[17:19], 0, 59)
	if !ok {
		return time.Time{}, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	zone := s[19:]
	if len(zone) == 1 {
		return t, zone[0] == 'Z'
	}
	if (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' {
		return time.Time{}, false
	}
	zh := num(zone[1:3], 0, 23)
	zm := num(zone[4:6], 0, 59)
	if !ok {
		return time.Time{}, false
	}
	offset := (zh*60 + zm) * 60
	if zone[0] == '-' {
		offset = -offset
	}
	t = t.Add(-time.Duration(offset) * time.Second)
	// As time.Parse: the local zone when it has this offset at that
	// instant, else an unnamed fixed zone.
	if _, local := t.In(time.Local).Zone(); local == offset {
		return t.In(time.Local), true
	}
	return t.In(time.FixedZone("", offset)), true
}

// daysIn returns the number of days of a month; February follows the
// Gregorian leap rule, as time's range check does.
func daysIn(m time.Month, year int) int {
	if m == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 31 - int((m-1)%7%2)
}
