package sheet

import (
	"math"
	"strings"
	"testing"
)

// A number and a format code, and the text Excel shows for them, worked
// out by hand from the format-code rules (ECMA-376 Part 1 §18.8.31) and
// Excel's General (11 characters, Microsoft KB 65903). Serial 45640 is
// 2024-12-14, a Saturday.
var formatCases = []struct {
	code string
	v    float64
	want string
	date bool
	// lo is what LibreOffice shows where it differs from Excel (its
	// General is not limited to 11 characters, it hides the minus of a
	// number rounded to zero, drops the point of #.## and applies
	// conditions its own way); "-" skips the LibreOffice check.
	lo string
}{
	// General: at most 11 characters, the point counting, a minus not.
	{code: "General", v: 0, want: "0"},
	{code: "General", v: -1, want: "-1"},
	{code: "General", v: 0.1 + 0.2, want: "0.3"},
	{code: "General", v: 1.0 / 3, want: "0.333333333", lo: "0.333333333333333"},
	{code: "General", v: 2.0 / 3, want: "0.666666667", lo: "0.666666666666666"},
	{code: "General", v: -123.456789012, want: "-123.456789", lo: "-123.456789012"},
	{code: "General", v: 12345678901, want: "12345678901"},
	// Whole numbers of up to 15 digits are written in full (IDs), where
	// Excel shows 1.23457E+11; see appendGeneralDecimal.
	{code: "General", v: 123456789012, want: "123456789012", lo: "123456789012"},
	{code: "General", v: 8595602512225, want: "8595602512225", lo: "8595602512225"},
	{code: "General", v: 1234567890123456, want: "1.23457E+15", lo: "1234567890123450"},
	{code: "General", v: 99999999999.5, want: "1E+11", lo: "99999999999.5"},
	{code: "General", v: 100000000000, want: "100000000000", lo: "100000000000"},
	{code: "General", v: 1e100, want: "1E+100"},
	{code: "General", v: 0.0001234567, want: "0.000123457", lo: "0.0001234567"},
	{code: "General", v: 0.000012345, want: "0.000012345"},
	{code: "General", v: 0.0000012345, want: "1.2345E-06", lo: "0.0000012345"},
	{code: "General", v: 1e-9, want: "0.000000001"},
	{code: "General", v: 1.2e-9, want: "1.2E-09", lo: "0.0000000012"},
	{code: "General", v: 1e-10, want: "1E-10"},
	{code: "@", v: 0.5, want: "0.5"},

	// Fixed decimals and thousands; Excel rounds 15 significant digits
	// half away from zero.
	{code: "0", v: 2.5, want: "3"},
	{code: "0", v: -2.5, want: "-3"},
	{code: "0.00", v: 1.005, want: "1.01"},
	{code: "0.00", v: 3.14159, want: "3.14"},
	{code: "0.00", v: -0.001, want: "-0.00", lo: "0.00"},
	{code: "#,##0", v: 1234567.891, want: "1,234,568"},
	{code: "#,##0", v: 999.5, want: "1,000"},
	{code: "#,##0", v: 0, want: "0"},
	{code: "#,##0.00", v: 1234.5, want: "1,234.50"},
	{code: "#,##0.00", v: -1234.5, want: "-1,234.50"},
	{code: "00000", v: 42, want: "00042"},
	{code: "000-00-0000", v: 123456789, want: "123-45-6789"},
	{code: "#,##0,\"K\"", v: 1234567, want: "1,235K"},
	{code: "0.0,,\"M\"", v: 12345678, want: "12.3M"},
	{code: "0.0,", v: 12345, want: "12.3"},
	{code: "#.##", v: 1, want: "1.", lo: "1"},
	{code: "#.##", v: 1.5, want: "1.5"},
	{code: "0.0#", v: 1, want: "1.0"},
	{code: "0.0#", v: 1.234, want: "1.23"},
	{code: "0.??", v: 1.5, want: "1.5"},
	{code: ".00", v: 0.5, want: ".50"},
	{code: ".00", v: 12.5, want: "12.50"},
	{code: "#", v: 0, want: "0", lo: "-"}, // Excel shows nothing: we show General rather than lose the value

	// Percent.
	{code: "0%", v: 0.3300000000000001, want: "33%"},
	{code: "0%", v: 0.23, want: "23%"},
	{code: "0%", v: 0.005, want: "1%"},
	{code: "0%", v: 1.5, want: "150%"},
	{code: "0.0%", v: 0.12345, want: "12.3%"},
	{code: "0.00%", v: 0.5, want: "50.00%"},
	{code: `0.00\%`, v: 12.5, want: "12.50%"},

	// Sections, text, currency, padding.
	{code: "0.00;(0.00)", v: -1.5, want: "(1.50)"},
	{code: "0.00;(0.00)", v: 0, want: "0.00"},
	{code: `0;-0;"zero"`, v: 0, want: "zero"},
	{code: `0;-0;;@`, v: 0, want: "0", lo: "-"}, // Excel shows nothing: see "#"
	{code: `#,##0 "days"`, v: 1234, want: "1,234 days"},
	{code: `"$"#,##0.00`, v: 1234.5, want: "$1,234.50"},
	{code: `"$"#,##0.00`, v: -5, want: "-$5.00"},
	{code: `[$€-407] #,##0.00`, v: 12.5, want: "€ 12.50"},
	{code: `\£#,##0`, v: 1000, want: "£1,000"},
	{code: `0 \d\a\y\s`, v: 3, want: "3 days"},
	{code: `#,##0.00_);\(#,##0.00\)`, v: 1234.5, want: "1,234.50"},
	{code: `#,##0.00_);\(#,##0.00\)`, v: -1234.5, want: "(1,234.50)"},
	{code: builtinFormats[44], v: 1337, want: "$1,337.00"},
	{code: builtinFormats[44], v: -1337, want: "$(1,337.00)"},
	{code: builtinFormats[44], v: 0, want: "$-"},
	{code: "[Red]0.00", v: -1.5, want: "-1.50"},
	{code: "[Red]General", v: 0.5, want: "0.5"},
	{code: `"ID "General`, v: 12, want: "ID 12"},
	{code: "[>=100]0;0.0", v: 150, want: "150"},
	{code: "[>=100]0;0.0", v: 5, want: "5.0"},
	// Conditions as Excel applies them: the minus is left out where the
	// condition says the number is negative.
	{code: `[>=100]"A"0;[<=-100]"B"0;"C"0`, v: 6.3, want: "C6"},
	{code: `[>=100]"A"0;[<=-100]"B"0;"C"0`, v: -6.3, want: "-C6", lo: "C6"},
	{code: `[<=-100]"B"0;"C"0`, v: -6.3, want: "C6"},
	{code: `[<=0]"B"0`, v: 6.3, want: "6.3"},
	{code: `[<=0]"B"0`, v: -6.3, want: "-B6", lo: "B6"},
	{code: `[>6]"A"0;[<-6]"B"0`, v: -6.3, want: "B6"},
	{code: `"A-"0;[<0.5]"B-"0;"C-"0`, v: -10, want: "-B-10", lo: "-10"},
	{code: `"A-"0;[<0.5]"B-"0;"C-"0`, v: 0, want: "B-0", lo: "0"},
	{code: `[>=100]"A"0;[<=-100]"B"0`, v: 6.3, want: "6.3", lo: "-"}, // Excel shows #####

	// Scientific.
	{code: "0.00E+00", v: 12345, want: "1.23E+04"},
	{code: "0.00E+00", v: 0.00012345, want: "1.23E-04"},
	{code: "0.00E+00", v: -12345, want: "-1.23E+04"},
	{code: "0.00E+00", v: 0, want: "0.00E+00"},
	{code: "0.0E-0", v: 12345, want: "1.2E4"},
	{code: "##0.0E+0", v: 12345, want: "12.3E+3"},
	{code: "##0.0E+0", v: 1234.567, want: "1.2E+3"},
	{code: "##0.0E+0", v: 0.5, want: "500.0E-3"},

	// Fractions: the nearest with as many denominator digits as ?s.
	{code: "# ?/?", v: 1.5, want: "1 1/2"},
	{code: "# ?/?", v: 0.5, want: "1/2"},
	{code: "# ?/?", v: 12.3, want: "12 2/7"},
	{code: "# ??/??", v: math.Pi, want: "3 14/99"},
	{code: "?/?", v: 1.5, want: "3/2"},
	{code: "# ?/8", v: 0.3, want: "2/8"},
	{code: "# ?/4", v: 1, want: "1"},

	// Dates and times.
	{code: "d-mmm", v: 45640, want: "14-Dec", date: true},
	{code: "dd/mm/yyyy", v: 45640, want: "14/12/2024", date: true},
	{code: "DD/MM/YYYY", v: 44242, want: "15/02/2021", date: true},
	{code: "mmm-yy", v: 45640, want: "Dec-24", date: true},
	{code: "dd.mm.yyyy hh:mm", v: 45640.5, want: "14.12.2024 12:00", date: true},
	{code: builtinFormats[14], v: 45640, want: "12/14/2024", date: true},
	{code: builtinFormats[15], v: 45640, want: "14-Dec-24", date: true},
	{code: builtinFormats[22], v: 45640.75, want: "12/14/2024 18:00", date: true},
	{code: "mmmm d, yyyy", v: 45640, want: "December 14, 2024", date: true},
	{code: "dddd", v: 45640, want: "Saturday", date: true},
	{code: "ddd d mmm", v: 45640, want: "Sat 14 Dec", date: true},
	{code: "mmmmm", v: 45640, want: "D", date: true},
	{code: "yy", v: 45640, want: "24", date: true},
	{code: "yyyy-mm-dd", v: 45640, want: "2024-12-14", date: true},
	{code: "yyyy-mm-dd h:mm:ss", v: 45640.5, want: "2024-12-14 12:00:00", date: true},
	{code: "[$-409]mmmm d, yyyy;@", v: 45640, want: "December 14, 2024", date: true},
	{code: "[$-F800]dddd, mmmm dd, yyyy", v: 45640, want: "Saturday, December 14, 2024", date: true, lo: "-"},
	{code: "h:mm AM/PM", v: 0.75, want: "6:00 PM", date: true},
	{code: "h:mm:ss AM/PM", v: 0.5, want: "12:00:00 PM", date: true},
	{code: "h AM/PM", v: 0, want: "12 AM", date: true},
	{code: "h:mm A/P", v: 0.25, want: "6:00 A", date: true, lo: "6:00 a"},
	{code: "h:mm", v: 32480.0 / 86400, want: "9:01", date: true},
	{code: "h:mm:ss", v: 32480.0 / 86400, want: "9:01:20", date: true},
	{code: "h:mm", v: 37799.0 / 86400, want: "10:29", date: true}, // 10:29:59 is not rounded up to 10:30
	{code: "hh:mm", v: 1.0 / 24, want: "01:00", date: true},
	{code: "[h]:mm:ss", v: 1.5, want: "36:00:00", date: true},
	{code: "[mm]:ss", v: 1.0 / 24, want: "60:00", date: true},
	{code: builtinFormats[45], v: 60.0 / 86400, want: "01:00", date: true},
	{code: builtinFormats[47], v: 1234.567, want: "36:28.8", date: true},
	{code: "hh:mm:ss.000", v: 0.5 + 0.1234/86400, want: "12:00:00.123", date: true},
	{code: "m/d/yyyy", v: 0, want: "1/0/1900", date: true, lo: "-"},
	{code: "m/d/yyyy", v: 60, want: "2/29/1900", date: true, lo: "-"},
	{code: "m/d/yyyy", v: 61, want: "3/1/1900", date: true},
	{code: "ddd m/d/yyyy", v: 1, want: "Sun 1/1/1900", date: true, lo: "-"}, // Excel's weekdays before March 1900 are one off
	{code: "m/d/yyyy", v: 2958465, want: "12/31/9999", date: true},
	{code: "m/d/yyyy", v: 2958466, want: "2958466", lo: "-"}, // Excel shows #####
	{code: "m/d/yyyy", v: -1, want: "-1", lo: "-"},           // Excel shows #####
}

func TestNumberFormats(t *testing.T) {
	for _, tc := range formatCases {
		got, date := compileFormat(tc.code).format(tc.v, false)
		if got != tc.want || date != tc.date {
			t.Errorf("%q with %v = %q (date %v), want %q (date %v)", tc.code, tc.v, got, date, tc.want, tc.date)
		}
	}
}

func TestNumberFormats1904(t *testing.T) {
	for _, tc := range []struct {
		code string
		v    float64
		want string
	}{
		{"m/d/yyyy", 0, "1/1/1904"},
		{"ddd m/d/yyyy", 0, "Fri 1/1/1904"},
		{"m/d/yyyy", 1461, "1/1/1908"},
		{"m/d/yyyy", 2957003, "12/31/9999"},
		{"m/d/yyyy", 2957004, "2957004"},
		{"[h]:mm", 1.5, "36:00"},
	} {
		if got, _ := compileFormat(tc.code).format(tc.v, true); got != tc.want {
			t.Errorf("%q with %v in 1904 = %q, want %q", tc.code, tc.v, got, tc.want)
		}
	}
}

// The General fast path (isShortPlain) gives what the full rule gives.
func TestGeneralFastPath(t *testing.T) {
	for _, raw := range []string{
		"0", "7", "-7", "12345678901", "-12345678901", "123456789012", "0.5", "-0.5", "12.25",
		"0.000012345", "0.0000012345", "1.5E-5", "007", "-0", "1.0", "1.50", "0.30000000000000004",
		"3.14159265358", ".5", "5.", "1e5", "+5", "1..2", "--1",
	} {
		want := raw
		if f, ok := parseNumber([]byte(raw)); ok {
			want = string(appendGeneral(nil, f))
		}
		if got := formatNumber([]byte(raw)); got != want {
			t.Errorf("formatNumber(%q) = %q, want %q", raw, got, want)
		}
	}
}

// Built-in ids map to Excel en-US's codes, the East Asian ones included.
func TestBuiltinFormats(t *testing.T) {
	for id, want := range map[int]string{
		0: "45640", 1: "45640", 2: "45640.00", 3: "45,640", 9: "4564000%", 11: "4.56E+04",
		14: "12/14/2024", 16: "14-Dec", 17: "Dec-24", 20: "0:00", 22: "12/14/2024 0:00",
		27: "12/14/2024", 32: "0:00:00", 49: "45640", 58: "12/14/2024", 100: "45640",
	} {
		got, _ := compileFormat(builtinFormat(id)).format(45640, false)
		if got != want {
			t.Errorf("built-in %d (%q) = %q, want %q", id, builtinFormat(id), got, want)
		}
	}
}

// Codes that are not Excel's still give text: unknown brackets, stray
// quotes, nothing but literals, and codes longer than Excel allows.
func TestOddFormats(t *testing.T) {
	for _, tc := range []struct {
		code string
		v    float64
		want string
	}{
		{`[Color10]0.0`, 1, "1.0"},
		{`"unclosed`, 1, "unclosed"},
		{`"yes"`, 1, "yes"},
		{`;;;`, 1, "1"},
		{`[DBNUM1]0`, 12, "12"},
		{strings.Repeat("0", maxFormatCode+1), 12, "12"},
		{"0.00E+00E+00", 12345, "1.23E+04E+00"},
	} {
		if got, _ := compileFormat(tc.code).format(tc.v, false); got != tc.want {
			t.Errorf("%q with %v = %q, want %q", tc.code, tc.v, got, tc.want)
		}
	}
}

// What a number cell costs: General on the fast path and off it, and the
// formats that need the decimal rounding or the date arithmetic.
func BenchmarkNumberFormats(b *testing.B) {
	for _, bc := range []struct {
		name, code, raw string
	}{
		{"General/int", "General", "42"},
		{"General/float", "General", "0.30000000000000004"},
		{"percent", "0%", "0.3300000000000001"},
		{"thousands", "#,##0.00", "1234567.891"},
		{"date", "d-mmm", "45640"},
		{"datetime", "dd.mm.yyyy hh:mm", "45640.5"},
	} {
		nf := compileFormat(bc.code)
		raw := []byte(bc.raw)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if nf == nil {
					_ = formatNumber(raw)
					continue
				}
				f, _ := parseNumber(raw)
				_, _ = nf.format(f, false)
			}
		})
	}
}
