package sheet

// Cell values as text: numbers, dates, booleans and the _xHHHH_ escapes.

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// formatNumber writes the number in the <v> of a numeric cell in Excel's
// General format (appendGeneral): 0.30000000000000004 is 0.3 and
// 123456789012 is 1.23457E+11, as Excel shows them. Text that is not a
// finite number is kept as written: the reviewer sees what the file holds
// rather than nothing.
func formatNumber(raw []byte) string {
	v := trimXMLSpace(raw)
	if isShortPlain(v) {
		return string(v)
	}
	f, ok := parseNumber(v)
	if !ok {
		return string(v)
	}
	return string(appendGeneral(nil, f))
}

// isShortPlain reports whether b is a number that General shows exactly as
// written: optional minus, an integer part without a leading zero (or 0),
// optional decimals not ending in 0, at most 11 characters besides the
// minus, not -0. Most numbers in a sheet are such, and this spares them
// ParseFloat and the decimal rounding.
func isShortPlain(b []byte) bool {
	d := b
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 11 {
		return false
	}
	i := 0
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	if i == 0 || (d[0] == '0' && i > 1) {
		return false
	}
	if i == len(d) {
		return !(len(b) > len(d) && i == 1 && d[0] == '0') // not -0
	}
	if d[i] != '.' || i+1 == len(d) || d[len(d)-1] == '0' {
		return false
	}
	for _, c := range d[i+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseNumber reads a decimal number as SpreadsheetML writes it. It accepts
// only digits, sign, point and exponent, so "Inf", "NaN", hex floats and Go's
// underscores stay text.
func parseNumber(b []byte) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func trimXMLSpace(b []byte) []byte {
	for len(b) > 0 && isXMLSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isXMLSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// Day counts of the two date systems' epochs (ECMA-376 Part 1 §18.17.4):
// serial 0 of the 1900 system is taken as 1899-12-30 (with Excel's
// fictitious 1900-02-29 before serial 61), of the 1904 system 1904-01-01.
var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// isoDateKind is what a t="d" cell's text holds.
type isoDateKind uint8

const (
	isoNone     isoDateKind = iota
	isoDay                  // 2006-01-02
	isoClock                // 15:04:05, a time of day alone
	isoDayClock             // 2006-01-02T15:04:05
)

// parseISODate reads the text of a t="d" cell (ISO 8601, as openpyxl and
// streaming writers put it). A zone suffix is dropped (spreadsheet dates
// have no zone) and the time is rounded to the second.
func parseISODate(raw []byte) (time.Time, isoDateKind) {
	s := string(trimXMLSpace(raw))
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, isoDay
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Round(time.Second), isoClock
		}
	}
	base := s
	if i := strings.IndexAny(base[min(len(base), 10):], "Z+-"); i >= 0 {
		base = base[:10+i] // drop Z, +02:00, -05:00
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, base); err == nil {
			t = t.Round(time.Second)
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return t, isoDay
			}
			return t, isoDayClock
		}
	}
	return time.Time{}, isoNone
}

// formatISODate rewrites the text of a t="d" cell in one shape: 2006-01-02,
// 2006-01-02T15:04:05 or 15:04:05 (see parseISODate). Text that does not
// parse is kept as written.
func formatISODate(raw []byte) string {
	t, kind := parseISODate(raw)
	switch kind {
	case isoDay:
		return t.Format("2006-01-02")
	case isoClock:
		return t.Format("15:04:05")
	case isoDayClock:
		return t.Format("2006-01-02T15:04:05")
	}
	return string(trimXMLSpace(raw))
}

// isoSerialOf turns the text of a t="d" cell into the serial Excel would
// store for it. isDate is false for text that is not an ISO date or time;
// ok is false too for a date no serial can hold (before the system's
// first day).
func isoSerialOf(raw []byte, date1904 bool) (serial float64, isDate, ok bool) {
	t, kind := parseISODate(raw)
	if kind == isoNone {
		return 0, false, false
	}
	clock := float64(t.Hour()*3600+t.Minute()*60+t.Second()) / 86400
	if kind == isoClock {
		return clock, true, true
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	var days int64
	if date1904 {
		days = int64(day.Sub(epoch1904).Hours()) / 24
	} else {
		days = int64(day.Sub(epoch1900).Hours()) / 24
		if days < 61 {
			days-- // before Excel's 1900-02-29
		}
		if days < 1 {
			return 0, true, false
		}
	}
	if days < 0 {
		return 0, true, false
	}
	return float64(days) + clock, true, true
}

// decodeEscapes turns the _xHHHH_ escapes that OOXML uses for characters
// XML cannot hold (_x000D_ is a CR, _x005F_ a literal underscore) into
// those characters, then normalises line ends: CRLF and a lone CR become
// LF, so that a line break is "\n" whichever program wrote it. A UTF-16
// surrogate pair written as two escapes is joined; a lone surrogate is kept
// as written.
func decodeEscapes(b []byte) []byte {
	if !hasEscapeOrCR(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c == '_' {
			if r, ok := hexEscape(b[i:]); ok {
				n := 7
				if utf16.IsSurrogate(r) {
					if r2, ok2 := hexEscape(b[i+7:]); ok2 && r < 0xDC00 {
						if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
							out = utf8.AppendRune(out, p)
							i += 14
							continue
						}
					}
					out = append(out, b[i:i+7]...)
					i += n
					continue
				}
				out = utf8.AppendRune(out, r)
				i += n
				continue
			}
		}
		out = append(out, c)
		i++
	}
	return normaliseCR(out)
}

func hasEscapeOrCR(b []byte) bool {
	if bytes.IndexByte(b, '\r') >= 0 {
		return true
	}
	for {
		i := bytes.IndexByte(b, '_')
		if i < 0 || i+1 >= len(b) {
			return false
		}
		if b[i+1] == 'x' {
			return true
		}
		b = b[i+1:]
	}
}

// hexEscape reads _xHHHH_ at the start of b.
func hexEscape(b []byte) (rune, bool) {
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// normaliseCR rewrites CRLF and lone CR as LF, in place.
func normaliseCR(b []byte) []byte {
	w := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		}
		b[w] = c
		w++
	}
	return b[:w]
}
