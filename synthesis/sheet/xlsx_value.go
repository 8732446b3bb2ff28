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

// formatNumber writes the number in the <v> of a numeric cell as the
// shortest decimal that reads back as the same float64, in plain notation
// between 1e-6 and 1e21 (as JavaScript does, so that a 13-digit ID stays
// 8595602512225 and never becomes 8.595602512225e+12) and in exponent
// notation outside it. Text that is not a finite number is kept as written:
// the reviewer sees what the file holds rather than nothing.
func formatNumber(raw []byte) string {
	v := trimXMLSpace(raw)
	if isPlainInt(v) {
		return string(v)
	}
	f, ok := parseNumber(v)
	if !ok {
		return string(v)
	}
	return formatFloat(f)
}

func formatFloat(f float64) string {
	a := math.Abs(f)
	switch {
	case a == 0:
		return "0" // and not "-0"
	case a >= 1e-6 && a < 1e21:
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// isPlainInt reports whether b is an integer that formatNumber would write
// unchanged: up to 15 digits, no leading zero, optional minus. It spares
// ParseFloat on the common case.
func isPlainInt(b []byte) bool {
	d := b
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 15 || (d[0] == '0' && len(d) > 1) || (len(b) > 1 && b[0] == '-' && string(d) == "0") {
		return false
	}
	for _, c := range d {
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

// dateKind says how a number format shows a serial date.
type dateKind uint8

const (
	notDate     dateKind = iota
	dateFormat           // has a date part (and maybe a time)
	timeFormat           // time of day only
	elapsedTime          // [h]:mm:ss and the like: a duration
)

// maxSerial is 9999-12-31, the last day Excel can show.
const maxSerial = 2958465

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// formatSerial writes a date serial of a date-formatted cell as ISO 8601:
// 2006-01-02, 2006-01-02T15:04:05 when there is a time of day, and 15:04:05
// for a time alone (a time format, or a serial below 1 in the 1900 system,
// where day 0 is the non-date 1900-01-00). Serial 60 in the 1900 system is
// 1900-02-29, the day Lotus 1-2-3 invented and Excel kept: written as Excel
// shows it rather than shifting every earlier date by one. Elapsed-time
// formats give hours:minutes:seconds with the hours not wrapped at 24.
// Times are rounded to the second, as Excel shows them. A serial out of
// Excel's range is written as a number.
func formatSerial(f float64, kind dateKind, date1904 bool) string {
	if f < 0 || f >= maxSerial+1 || math.IsNaN(f) {
		return formatFloat(f)
	}
	days := math.Floor(f)
	// Decided before rounding, so that 0.9999999 is 00:00:00 and not
	// a day later.
	timeOnly := days == 0 && (kind == timeFormat || !date1904)
	secs := int64(math.Round((f - days) * 86400))
	if secs >= 86400 {
		days++
		secs -= 86400
	}
	d := int64(days)
	clock := func() string {
		return string(two(secs/3600)) + ":" + string(two(secs/60%60)) + ":" + string(two(secs%60))
	}
	if kind == elapsedTime {
		h := d*24 + secs/3600
		m, s := secs/60%60, secs%60
		return strconv.FormatInt(h, 10) + ":" + string(two(m)) + ":" + string(two(s))
	}
	if timeOnly {
		return clock()
	}
	var day string
	switch {
	case date1904:
		day = epoch1904.AddDate(0, 0, int(d)).Format("2006-01-02")
	case d == 60:
		day = "1900-02-29"
	case d < 60:
		day = epoch1900.AddDate(0, 0, int(d)+1).Format("2006-01-02")
	default:
		day = epoch1900.AddDate(0, 0, int(d)).Format("2006-01-02")
	}
	if secs == 0 {
		return day
	}
	return day + "T" + clock()
}

func two(n int64) []byte {
	return []byte{byte('0' + n/10%10), byte('0' + n%10)}
}

// formatISODate rewrites the text of a t="d" cell (ISO 8601, as openpyxl and
// streaming writers put it) in the same shape as dates from serials:
// 2006-01-02, 2006-01-02T15:04:05 or 15:04:05. A zone suffix is dropped
// (spreadsheet dates have no zone) and seconds are rounded. Text that does
// not parse is kept as written.
func formatISODate(raw []byte) string {
	s := string(trimXMLSpace(raw))
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02")
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Round(time.Second).Format("15:04:05")
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
				return t.Format("2006-01-02")
			}
			return t.Format("2006-01-02T15:04:05")
		}
	}
	return s
}

// builtinDateFormat classifies the built-in number formats by id: 14–17
// dates, 18–21 times, 22 date and time, 45–47 minutes and seconds (46 is
// [h]:mm:ss), and the East Asian date formats 27–36 and 50–58.
func builtinDateFormat(id int) dateKind {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
		return dateFormat
	case id >= 18 && id <= 21, id == 45, id == 47, id == 32, id == 33:
		return timeFormat
	case id == 46:
		return elapsedTime
	}
	return notDate
}

// classifyFormat tells whether a custom number format code shows a date or
// time: it has d, y, m, h or s outside quoted text, backslash escapes, _x and
// *x padding, [bracketed] colours, conditions and locales, and AM/PM. An m
// is minutes right after an h or right before an s (h:mm, mm:ss) and a
// month otherwise. [h], [m] and [s] are elapsed times. Era codes (g, e, b)
// are not looked at: "General" has an e, and no era format lacks a d or m.
func classifyFormat(code string) dateKind {
	tokens, elapsed := formatTokens(code)
	if elapsed {
		return elapsedTime
	}
	var date, clock bool
	for i := 0; i < len(tokens); i++ {
		switch tokens[i] {
		case 'd', 'y':
			date = true
		case 'h', 's':
			clock = true
		case 'm':
			j := i
			for j < len(tokens) && tokens[j] == 'm' {
				j++
			}
			if lastLetter(tokens[:i]) == 'h' || firstLetter(tokens[j:]) == 's' {
				clock = true
			} else {
				date = true
			}
			i = j - 1
		}
	}
	switch {
	case date:
		return dateFormat
	case clock:
		return timeFormat
	}
	return notDate
}

// formatTokens lower-cases a format code and removes what is not a token:
// quoted text, escaped characters, _x and *x padding, [brackets] and AM/PM
// (A/P). elapsed is set when a bracket holds only h, m or s.
func formatTokens(code string) (tokens string, elapsed bool) {
	s := strings.ToLower(code)
	s = strings.NewReplacer("am/pm", " ", "a/p", " ").Replace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(s[i+1:], ']')
			if j < 0 {
				i = len(s)
				break
			}
			if inner := s[i+1 : i+1+j]; inner != "" && strings.Trim(inner, "hms") == "" {
				elapsed = true
			}
			i += j + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), elapsed
}

func lastLetter(s string) byte {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] >= 'a' && s[i] <= 'z' {
			return s[i]
		}
	}
	return 0
}

func firstLetter(s string) byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return s[i]
		}
	}
	return 0
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
