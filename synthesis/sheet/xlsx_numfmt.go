package sheet

// Number formats: the text Excel shows for a number cell, from the cell's
// number format (ECMA-376 Part 1 §18.8.30 numFmt, whose remarks give the
// format-code language, and §18.8.31 numFmts).
//
// Format codes are tokenised by github.com/xuri/nfp, the parser excelize
// uses; rendering is ours, because no Go library renders formats outside a
// whole excelize File (excelize's own renderer is unexported and leaves
// General numbers raw). What is rendered, and where we chose:
//
//   - General (and "@", and a format with no number section): Excel's
//     General, at most 11 characters with the decimal point counting (Microsoft
//     KB 65903): 0.1+0.2 → 0.3, 1/3 → 0.333333333, 123456789012 → 1.23457E+11,
//     0.0000012345 → 1.2345E-06. This is what Excel shows in a column wide
//     enough for 11 characters, whatever the column's real width.
//   - Numbers: 0 # ? placeholders, literal digits and text between them
//     (000-00-0000), thousands separators and scaling commas (#,##0 and
//     0.0,,), %, scientific (0.00E+00, ##0.0E+0 in steps of three),
//     fractions (# ?/?, ?/8), "text", \x, [$€-407] currency, sections for
//     positive;negative;zero, and [>=100] conditions. [Red] colours, _x
//     padding and *x fills only lay a cell out: padding is a space inside the
//     text, and spaces at either end are dropped, as is a fill.
//   - Rounding is Excel's: the double is taken to 15 significant digits and
//     rounded half away from zero, so 1.005 with 0.00 is 1.01 and 2.5 with 0
//     is 3.
//   - Dates and times: d dd ddd dddd, m mm mmm mmmm mmmmm, yy yyyy, h hh, m
//     mm as minutes after h or before s, s ss and .0 to .000, AM/PM and A/P,
//     [h] [m] [s] elapsed, e and b years, in English (en-US) names whatever
//     the [$-…] locale says. Serial 0 in the 1900 system is 1/0/1900 and 60
//     is 2/29/1900 as in Excel; the 1904 system is honoured. A serial Excel
//     cannot show as a date (negative, after 9999-12-31) is shown as General.
//   - Locale-dependent built-in formats are Excel en-US's: 14 is m/d/yyyy,
//     22 m/d/yyyy h:mm, 5–8 dollars; the East Asian date ids show as 14 and
//     the time ids as 21, as en-US Excel does.
//   - Text cells are left as stored: a format's text section (the fourth, or
//     one with @) decorates text only in the cell's display, and the stored
//     text is what the reviewer typed.
//   - A format that shows nothing for a number (;;; or # for zero) gives the
//     General text instead, so that a value never vanishes without a trace.

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/nfp"
)

// maxFormatCode is the longest format code compiled: Excel allows 255
// characters, and nfp's cost grows faster than the length.
const maxFormatCode = 255

// builtinFormats are the format codes of the built-in ids (ECMA-376 Part 1
// §18.8.30), with Excel en-US's codes for the locale-dependent ones.
var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	5: `"$"#,##0_);\("$"#,##0\)`, 6: `"$"#,##0_);[Red]\("$"#,##0\)`,
	7: `"$"#,##0.00_);\("$"#,##0.00\)`, 8: `"$"#,##0.00_);[Red]\("$"#,##0.00\)`,
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yyyy h:mm",
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	41: `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`,
	42: `_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)`,
	43: `_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`,
	44: `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`,
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0", 49: "@",
}

// builtinFormat returns the code of a built-in format id, or "" for General.
func builtinFormat(id int) string {
	switch {
	case id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return builtinFormats[14] // East Asian dates
	case id >= 32 && id <= 35:
		return builtinFormats[21] // East Asian times
	}
	return builtinFormats[id]
}

// numFmt is a compiled number format. A nil *numFmt is General.
type numFmt struct {
	sections    []fmtSection // the number sections in order; a text section is left out
	conditional bool         // the first or second section has a [condition]
}

type itemKind uint8

const (
	itLit      itemKind = iota // text
	itPad                      // _x: a space
	itInt                      // an integer-part placeholder (ph)
	itPoint                    // the decimal point
	itDec                      // a decimal placeholder (ph)
	itPercent                  // %
	itExp                      // E+ or E-: text is "E" or "e"
	itExpDigit                 // an exponent placeholder (ph)
	itNum                      // a numerator placeholder (ph)
	itSlash                    // the fraction bar
	itDen                      // a denominator placeholder (ph)
	itDenFixed                 // a fixed denominator: text
	itGeneral                  // General inside a section
	itComma                    // a thousands separator, until compile settles its role
	itDate                     // a date or time code, lower case: text; minute: n == 1
	itAMPM                     // AM/PM or A/P as written: text
	itSubSec                   // "." and n digits of fractional seconds
)

type fmtItem struct {
	kind itemKind
	ph   byte // '0', '#' or '?'
	n    int
	text string
}

type fmtSection struct {
	items []fmtItem

	hasCond bool
	condOp  string
	condVal float64

	date    bool // a date or time section
	ampm    bool // hours run 1–12
	subSec  int  // digits of fractional seconds shown
	general bool // has General: nothing else of a number layout applies

	percent int  // % signs: ×100 each
	scale   int  // commas after the last integer placeholder: ÷1000 each
	group   bool // a comma between integer placeholders
	intPH   int  // integer (or mantissa, or whole-part) placeholders
	decPH   int  // decimal placeholders
	exp     bool
	expPlus bool // E+: the sign is shown for positive exponents too
	expPH   int
	frac    bool
	numPH   int
	denPH   int
	denFix  int // a fixed denominator, or 0
}

// compileFormat compiles a format code. It returns nil for General, for a
// code that is only a text section ("@"), and for one too long to be
// Excel's.
func compileFormat(code string) *numFmt {
	if len(code) > maxFormatCode {
		return nil
	}
	p := nfp.NumberFormatParser()
	nf := &numFmt{}
	for _, s := range p.Parse(code) {
		if s.Type == nfp.TokenSectionText {
			continue
		}
		nf.sections = append(nf.sections, compileSection(s.Items))
		if len(nf.sections) == 4 {
			break
		}
	}
	if len(nf.sections) == 0 {
		return nil
	}
	for _, s := range nf.sections[:min(2, len(nf.sections))] {
		nf.conditional = nf.conditional || s.hasCond
	}
	if len(nf.sections) == 1 && !nf.conditional {
		if s := nf.sections[0]; s.general && len(s.items) == 1 {
			return nil // just General
		}
	}
	return nf
}

// isDate reports whether the format shows numbers as dates or times: its
// first section does.
func (nf *numFmt) isDate() bool {
	return nf != nil && nf.sections[0].date
}

func compileSection(tokens []nfp.Token) fmtSection {
	var s fmtSection
	const (
		inInt = iota
		inDec
		inExp
		inDen
		inRest // after a second exponent or bar: placeholders are text
	)
	region := inInt
	lastComma := false // the previous token was a thousands separator
	skip := 0
	for i, t := range tokens {
		if skip > 0 {
			skip--
			continue
		}
		comma := false
		// nfp knows E+ but reads the E of E- as a date code.
		if t.TType == nfp.TokenTypeDateTimes && strings.EqualFold(t.TValue, "e") && i+2 < len(tokens) &&
			tokens[i+1].TType == nfp.TokenTypeLiteral && tokens[i+1].TValue == "-" &&
			isPlaceholder(tokens[i+2].TType) && (region == inInt || region == inDec) && s.count(itInt)+s.count(itDec) > 0 {
			t = nfp.Token{TType: nfp.TokenTypeExponential, TValue: t.TValue + "-"}
			skip = 1
		}
		switch t.TType {
		case nfp.TokenTypeLiteral:
			if t.TValue == "," && lastComma && (region == inInt || region == inDec) {
				// nfp reads the second comma of #,##0,, as a literal.
				s.items = append(s.items, fmtItem{kind: itComma})
				comma = true
				break
			}
			s.items = append(s.items, fmtItem{kind: itLit, text: t.TValue})
		case nfp.TokenTypeAlignment:
			s.items = append(s.items, fmtItem{kind: itPad})
		case nfp.TokenTypeCondition:
			if len(t.Parts) == 2 {
				if v, err := strconv.ParseFloat(t.Parts[1].Token.TValue, 64); err == nil {
					s.hasCond, s.condOp, s.condVal = true, t.Parts[0].Token.TValue, v
				}
			}
		case nfp.TokenTypeCurrencyLanguage:
			for _, p := range t.Parts {
				if p.Token.TType == nfp.TokenSubTypeCurrencyString {
					s.items = append(s.items, fmtItem{kind: itLit, text: p.Token.TValue})
				}
			}
		case nfp.TokenTypeGeneral:
			s.general = true
			s.items = append(s.items, fmtItem{kind: itGeneral})
		case nfp.TokenTypeZeroPlaceHolder, nfp.TokenTypeHashPlaceHolder, nfp.TokenTypeDigitalPlaceHolder:
			if s.date {
				if n := len(s.items); n > 0 && s.items[n-1].kind == itSubSec && s.items[n-1].n == 0 {
					s.items[n-1].n = min(len(t.TValue), 3)
					s.subSec = max(s.subSec, s.items[n-1].n)
					break
				}
			}
			for j := 0; j < len(t.TValue); j++ {
				ph := t.TValue[j]
				switch region {
				case inInt:
					s.items = append(s.items, fmtItem{kind: itInt, ph: ph})
				case inDec:
					s.items = append(s.items, fmtItem{kind: itDec, ph: ph})
				case inExp:
					s.items = append(s.items, fmtItem{kind: itExpDigit, ph: ph})
				case inDen:
					s.items = append(s.items, fmtItem{kind: itDen, ph: ph})
				default:
					s.items = append(s.items, fmtItem{kind: itLit, text: string(ph)})
				}
			}
		case nfp.TokenTypeDecimalPoint:
			switch {
			case s.date && i > 0 && lastIsSeconds(s.items):
				s.items = append(s.items, fmtItem{kind: itSubSec})
			case region == inInt:
				s.items = append(s.items, fmtItem{kind: itPoint})
				region = inDec
			default:
				s.items = append(s.items, fmtItem{kind: itLit, text: t.TValue})
			}
		case nfp.TokenTypeThousandsSeparator:
			s.items = append(s.items, fmtItem{kind: itComma})
			comma = true
		case nfp.TokenTypePercent:
			for range strings.Count(t.TValue, "%") {
				s.items = append(s.items, fmtItem{kind: itPercent})
				s.percent++
			}
		case nfp.TokenTypeExponential:
			if region != inInt && region != inDec {
				s.items = append(s.items, fmtItem{kind: itLit, text: t.TValue})
				region = inRest
				break
			}
			s.exp, s.expPlus = true, strings.HasSuffix(t.TValue, "+")
			s.items = append(s.items, fmtItem{kind: itExp, text: t.TValue[:1]})
			region = inExp
		case nfp.TokenTypeFraction:
			if s.frac || region != inInt {
				s.items = append(s.items, fmtItem{kind: itLit, text: t.TValue})
				region = inRest
				break
			}
			// The placeholders just before the bar are the numerator.
			for j := len(s.items) - 1; j >= 0 && s.items[j].kind == itInt; j-- {
				s.items[j].kind = itNum
			}
			s.frac = true
			s.items = append(s.items, fmtItem{kind: itSlash})
			region = inDen
		case nfp.TokenTypeDenominator:
			if n, err := strconv.Atoi(t.TValue); err == nil && n > 0 && s.frac && region == inDen {
				s.denFix = n
				s.items = append(s.items, fmtItem{kind: itDenFixed, text: t.TValue})
			} else {
				s.items = append(s.items, fmtItem{kind: itLit, text: t.TValue})
			}
		case nfp.TokenTypeDateTimes:
			v := t.TValue
			if v == "" {
				break
			}
			if strings.EqualFold(v, "AM/PM") || strings.EqualFold(v, "A/P") || v == "上午/下午" {
				s.items = append(s.items, fmtItem{kind: itAMPM, text: v})
				s.ampm, s.date = true, true
				break
			}
			v = strings.ToLower(v)
			if n := len(s.items); n > 0 && s.items[n-1].kind == itDate && s.items[n-1].text[0] == v[0] && s.items[n-1].text[0] != '[' {
				s.items[n-1].text += v // nfp splits Mm into M and m
				break
			}
			s.items = append(s.items, fmtItem{kind: itDate, text: v})
			s.date = true
		case nfp.TokenTypeElapsedDateTimes:
			s.items = append(s.items, fmtItem{kind: itDate, text: "[" + strings.ToLower(t.TValue) + "]"})
			s.date = true
		}
		// Colours, [DBNUM1] and the like, fills (*x), @ in a number
		// section and unknown [brackets] show nothing.
		lastComma = comma
	}
	s.settle()
	return s
}

func isPlaceholder(typ string) bool {
	return typ == nfp.TokenTypeZeroPlaceHolder || typ == nfp.TokenTypeHashPlaceHolder || typ == nfp.TokenTypeDigitalPlaceHolder
}

// count counts the items of a kind compiled so far.
func (s *fmtSection) count(k itemKind) int {
	n := 0
	for _, it := range s.items {
		if it.kind == k {
			n++
		}
	}
	return n
}

func lastIsSeconds(items []fmtItem) bool {
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].kind == itDate {
			c := strings.Trim(items[i].text, "[]")
			return c != "" && c[0] == 's'
		}
		if items[i].kind != itLit {
			return false
		}
	}
	return false
}

// settle counts the placeholders, decides what each comma does (between
// integer placeholders: thousands; after the last: ÷1000) and which m is a
// minute.
func (s *fmtSection) settle() {
	out := s.items[:0]
	for i, it := range s.items {
		if it.kind == itComma {
			grouping := false
			for _, next := range s.items[i+1:] {
				if next.kind == itInt {
					grouping = true
					break
				}
				if next.kind != itComma && next.kind != itLit && next.kind != itPad {
					break
				}
			}
			if grouping && !s.exp && !s.frac {
				s.group = true
			} else if !grouping && !s.date {
				s.scale++
			}
			continue
		}
		switch it.kind {
		case itInt:
			s.intPH++
		case itDec:
			s.decPH++
		case itExpDigit:
			s.expPH++
		case itNum:
			s.numPH++
		case itDen:
			s.denPH++
		}
		out = append(out, it)
	}
	s.items = out
	if !s.date {
		return
	}
	// m and mm are minutes right after an hour or right before a second
	// (ECMA-376 Part 1 §18.8.30: m is minutes when it follows h or hh, or
	// precedes ss), whatever text stands between.
	for i, it := range s.items {
		if it.kind != itDate || (it.text != "m" && it.text != "mm") {
			continue
		}
		if prev := s.dateCode(i, -1); prev == 'h' {
			s.items[i].n = 1
		} else if next := s.dateCode(i, 1); next == 's' {
			s.items[i].n = 1
		}
	}
}

// dateCode returns the letter of the nearest date code before (dir -1) or
// after (dir 1) item i, ignoring brackets, or 0.
func (s *fmtSection) dateCode(i, dir int) byte {
	for j := i + dir; j >= 0 && j < len(s.items); j += dir {
		if s.items[j].kind == itDate {
			return strings.Trim(s.items[j].text, "[")[0]
		}
	}
	return 0
}

// format renders f. date reports whether it was shown as a date or time.
func (nf *numFmt) format(f float64, date1904 bool) (text string, date bool) {
	if nf == nil {
		return string(appendGeneral(nil, f)), false
	}
	s, v, minus, ok := nf.pick(f)
	if !ok {
		return string(appendGeneral(nil, f)), false
	}
	if s.date && f < 0 {
		// Excel shows ##### for a negative date or time.
		return string(appendGeneral(nil, f)), false
	}
	var b []byte
	switch {
	case s.date:
		b, ok = s.appendDate(nil, v, date1904)
		date = ok
	case s.frac:
		b = s.appendFraction(nil, v)
	default:
		b = s.appendNumber(nil, v)
	}
	b = trimPadding(b)
	if !ok || len(b) == 0 {
		return string(appendGeneral(nil, f)), false
	}
	if minus && !date {
		return "-" + string(b), false
	}
	return string(b), date
}

// pick chooses the section for f (ECMA-376 Part 1 §18.8.30: positive;
// negative; zero) and the value it shows: the negative section shows the
// magnitude, and a single section a minus before it. ok is false when no
// section takes f (conditions that all fail), which Excel shows as #####.
func (nf *numFmt) pick(f float64) (s *fmtSection, v float64, minus, ok bool) {
	secs := nf.sections
	if nf.conditional {
		return nf.pickConditional(f)
	}
	switch {
	case len(secs) == 1:
		return &secs[0], math.Abs(f), f < 0, true
	case f < 0:
		return &secs[1], -f, false, true
	case f == 0 && len(secs) >= 3:
		return &secs[2], 0, false, true
	}
	return &secs[0], f, false, true
}

// pickConditional chooses by [conditions] as Excel does: the first section
// whose condition holds (a first section without one takes numbers > 0, or
// ≥ 0 when there are two sections; a second without one takes the
// negative numbers, or all the rest when there are two), else the third.
// A minus is shown for a negative number unless the section's condition
// already says it is negative ([<0], [<=-1], [=-5]) or it is a second
// section without a condition, as with plain sections.
func (nf *numFmt) pickConditional(f float64) (s *fmtSection, v float64, minus, ok bool) {
	secs := nf.sections[:min(len(nf.sections), 3)]
	n := len(secs)
	i := -1
	switch {
	case secs[0].hasCond && secs[0].holds(f), !secs[0].hasCond && (f > 0 || f == 0 && n < 3):
		i = 0
	case n >= 2 && (secs[1].hasCond && secs[1].holds(f) || !secs[1].hasCond && (f < 0 || n == 2)):
		i = 1
	case n == 3:
		i = 2
	}
	if i < 0 {
		return nil, 0, false, false
	}
	s = &secs[i]
	minus = f < 0 && !s.negativeCond() && !(i == 1 && !s.hasCond)
	return s, math.Abs(f), minus, true
}

// negativeCond reports whether the section's condition holds only for
// negative numbers.
func (s *fmtSection) negativeCond() bool {
	if !s.hasCond {
		return false
	}
	switch s.condOp {
	case "<":
		return s.condVal <= 0
	case "<=", "=":
		return s.condVal < 0
	}
	return false
}

func (s *fmtSection) holds(f float64) bool {
	if !s.hasCond {
		return false
	}
	switch s.condOp {
	case "<":
		return f < s.condVal
	case "<=":
		return f <= s.condVal
	case ">":
		return f > s.condVal
	case ">=":
		return f >= s.condVal
	case "=":
		return f == s.condVal
	case "<>":
		return f != s.condVal
	}
	return false
}

// trimPadding drops the spaces at either end: padding that lays the number
// out in its cell, not part of it.
func trimPadding(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// appendNumber renders v ≥ 0 with a section of 0 # ? placeholders.
func (s *fmtSection) appendNumber(b []byte, v float64) []byte {
	x := newDecimal(v)
	x.point += 2*s.percent - 3*s.scale
	if s.exp {
		return s.appendScientific(b, x)
	}
	if s.general {
		return s.appendWithGeneral(b, x)
	}
	x.round(s.decPH)
	return s.appendDigits(b, x, s.group, "")
}

// appendWithGeneral renders a section that holds General among literals
// ("ID "General, [Red]General).
func (s *fmtSection) appendWithGeneral(b []byte, x decimal) []byte {
	for _, it := range s.items {
		switch it.kind {
		case itGeneral:
			b = appendGeneralDecimal(b, x)
		case itLit:
			b = append(b, it.text...)
		case itPad:
			b = append(b, ' ')
		case itPercent:
			b = append(b, '%')
		}
	}
	return b
}

// appendDigits renders x, already rounded to the decimal placeholders, into
// the items; exp is the exponent text (E+05) for scientific sections.
func (s *fmtSection) appendDigits(b []byte, x decimal, group bool, exp string) []byte {
	intLen := 0
	if x.nd > 0 && x.point > 0 {
		intLen = x.point
	}
	// The last decimal placeholder that shows its digit: trailing zeros
	// under # and ? are left out (? as a space).
	lastDec := s.decPH - 1
	for j := s.decPH - 1; j >= 0; j-- {
		if x.digit(-(j+1)) != '0' || s.decPlaceholder(j) == '0' {
			break
		}
		lastDec = j - 1
	}
	intIdx, decIdx := 0, 0
	emitInt := func(k int) {
		b = append(b, x.digit(k))
		if group && k > 0 && k%3 == 0 {
			b = append(b, ',')
		}
	}
	for _, it := range s.items {
		switch it.kind {
		case itInt:
			k := s.intPH - 1 - intIdx
			if intIdx == 0 {
				for j := intLen - 1; j > k; j-- {
					emitInt(j)
				}
			}
			switch {
			case k < intLen:
				emitInt(k)
			case it.ph == '0':
				emitInt(k)
			case it.ph == '?':
				b = append(b, ' ')
			}
			intIdx++
		case itPoint:
			if s.intPH == 0 {
				for j := intLen - 1; j >= 0; j-- {
					emitInt(j)
				}
			}
			b = append(b, '.')
		case itDec:
			switch {
			case decIdx <= lastDec:
				b = append(b, x.digit(-(decIdx + 1)))
			case it.ph == '?':
				b = append(b, ' ')
			}
			decIdx++
		case itPercent:
			b = append(b, '%')
		case itExp:
			b = append(b, exp...)
		case itExpDigit: // the exponent is written whole at itExp
		case itLit:
			b = append(b, it.text...)
		case itPad:
			b = append(b, ' ')
		case itGeneral:
			b = appendGeneralDecimal(b, x)
		}
	}
	return b
}

func (s *fmtSection) decPlaceholder(j int) byte {
	for _, it := range s.items {
		if it.kind == itDec {
			if j == 0 {
				return it.ph
			}
			j--
		}
	}
	return '0'
}

// appendScientific renders x in a 0.00E+00 section. With more than one
// integer placeholder the exponent is a multiple of their number
// (##0.0E+0: engineering notation).
func (s *fmtSection) appendScientific(b []byte, x decimal) []byte {
	step := max(s.intPH, 1)
	e := 0
	m := x
	if x.nd > 0 {
		e = floorDiv(x.point-1, step) * step
		m.point -= e
		m.round(s.decPH)
		if m.point > step {
			e += step
			m = x
			m.point -= e
			m.round(s.decPH)
		}
	}
	var exp []byte
	for _, it := range s.items {
		if it.kind == itExp {
			exp = append(exp, it.text...)
			break
		}
	}
	switch {
	case e < 0:
		exp = append(exp, '-')
	case s.expPlus:
		exp = append(exp, '+')
	}
	digits := strconv.Itoa(abs(e))
	zeros := 0
	for _, it := range s.items {
		if it.kind == itExpDigit && it.ph == '0' {
			zeros++
		}
	}
	for i := len(digits); i < zeros; i++ {
		exp = append(exp, '0')
	}
	exp = append(exp, digits...)
	return s.appendDigits(b, m, false, string(exp))
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// appendFraction renders v in a # ?/? section: a whole part when the
// section has placeholders for one, then the closest fraction whose
// denominator has at most as many digits as its placeholders (or the fixed
// denominator).
func (s *fmtSection) appendFraction(b []byte, v float64) []byte {
	v *= math.Pow(100, float64(s.percent)) / math.Pow(1000, float64(s.scale))
	whole, rest := 0.0, v
	if s.intPH > 0 {
		whole = math.Floor(v)
		rest = v - whole
	}
	num, den := closestFraction(rest, s.denFix, s.denPH)
	if s.intPH > 0 && den > 0 && num >= float64(den) {
		whole++
		num = 0
	}
	noFraction := s.intPH > 0 && num == 0
	wholeDigits := ""
	if whole > 0 || noFraction {
		wholeDigits = strconv.FormatFloat(whole, 'f', 0, 64)
	}
	numDigits := strconv.FormatFloat(num, 'f', 0, 64)
	denDigits := strconv.Itoa(den)
	intIdx, numIdx, denIdx := 0, 0, 0
	afterWhole := false // between the whole part and the numerator
	for _, it := range s.items {
		switch it.kind {
		case itInt:
			b = fillRight(b, wholeDigits, s.intPH, intIdx, it.ph)
			intIdx++
			afterWhole = true
		case itNum:
			afterWhole = false
			if !noFraction {
				b = fillRight(b, numDigits, s.numPH, numIdx, it.ph)
			}
			numIdx++
		case itSlash:
			if !noFraction {
				b = append(b, '/')
			}
		case itDen:
			if !noFraction {
				switch {
				case denIdx < len(denDigits):
					b = append(b, denDigits[denIdx])
				case it.ph == '?':
					b = append(b, ' ')
				}
				if denIdx == s.denPH-1 && len(denDigits) > s.denPH {
					b = append(b, denDigits[s.denPH:]...)
				}
			}
			denIdx++
		case itDenFixed:
			if !noFraction {
				b = append(b, it.text...)
			}
		case itLit:
			if !(noFraction && afterWhole) {
				b = append(b, it.text...)
			}
		case itPad:
			b = append(b, ' ')
		case itPercent:
			b = append(b, '%')
		}
	}
	return b
}

// fillRight writes the placeholder at index i of n (from the left) for the
// digits, right-aligned: the first placeholder also takes the digits that
// do not fit.
func fillRight(b []byte, digits string, n, i int, ph byte) []byte {
	k := n - 1 - i // position from the right
	if i == 0 && len(digits) > n {
		b = append(b, digits[:len(digits)-n]...)
	}
	switch {
	case k < len(digits):
		b = append(b, digits[len(digits)-1-k])
	case ph == '0':
		b = append(b, '0')
	case ph == '?':
		b = append(b, ' ')
	}
	return b
}

// closestFraction returns the fraction nearest to v ≥ 0 with the fixed
// denominator, or else with a denominator of at most digits digits (the
// smallest such denominator when two are as near).
func closestFraction(v float64, fixed, digits int) (num float64, den int) {
	if fixed > 0 {
		return roundHalfUp(v * float64(fixed)), fixed
	}
	maxDen := 1
	for range min(max(digits, 1), 4) {
		maxDen *= 10
	}
	maxDen--
	bestErr := math.Inf(1)
	num, den = roundHalfUp(v), 1
	for d := 1; d <= maxDen; d++ {
		n := roundHalfUp(v * float64(d))
		if e := math.Abs(v - n/float64(d)); e < bestErr-1e-12 {
			bestErr, num, den = e, n, d
			if e == 0 {
				break
			}
		}
	}
	return num, den
}

func roundHalfUp(v float64) float64 {
	return math.Floor(v + 0.5)
}

// English month and day names: en-US Excel's, whatever [$-…] locale a
// format names.
var (
	monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dayNames   = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// Serial-date limits: 9999-12-31 is the last day Excel shows, in each
// system.
const (
	maxSerial1900 = 2958465
	maxSerial1904 = 2957003
)

// appendDate renders the serial v in a date or time section. ok is false
// for a serial Excel shows as ##### (negative, or past 9999-12-31).
func (s *fmtSection) appendDate(b []byte, v float64, date1904 bool) ([]byte, bool) {
	maxDay := int64(maxSerial1900)
	if date1904 {
		maxDay = maxSerial1904
	}
	if !(v >= 0 && v < float64(maxDay+1)) {
		return nil, false
	}
	// Round to what the format shows (the second, or its fraction), then
	// read the fields off: 10:29:45 in h:mm is 10:29, as in Excel.
	unit := int64(86400)
	sub := int64(1)
	for range s.subSec {
		unit *= 10
		sub *= 10
	}
	t := int64(math.Floor(v*float64(unit) + 0.5))
	days, rem := t/unit, t%unit
	if days > maxDay {
		return nil, false
	}
	secs, frac := rem/sub, rem%sub
	hour, minute, second := secs/3600, secs/60%60, secs%60
	y, mo, d, wd := serialDay(days, date1904)
	for _, it := range s.items {
		switch it.kind {
		case itLit:
			b = append(b, it.text...)
		case itPad:
			b = append(b, ' ')
		case itSubSec:
			b = append(b, '.')
			if it.n > 0 {
				f := strconv.FormatInt(frac, 10)
				for i := len(f); i < s.subSec; i++ {
					b = append(b, '0')
				}
				b = append(b, f[:min(len(f), it.n)]...)
			}
		case itAMPM:
			pm := hour >= 12
			switch {
			case it.text == "上午/下午":
				b = append(b, map[bool]string{false: "上午", true: "下午"}[pm]...)
			case len(it.text) == 3: // A/P as written
				if pm {
					b = append(b, it.text[2])
				} else {
					b = append(b, it.text[0])
				}
			case pm:
				b = append(b, "PM"...)
			default:
				b = append(b, "AM"...)
			}
		case itDate:
			b = s.appendDateCode(b, it, y, mo, d, wd, days, hour, minute, second)
		case itInt, itDec, itNum, itDen:
			b = append(b, it.ph) // a placeholder in a date section is shown as written
		}
	}
	return b, true
}

func (s *fmtSection) appendDateCode(b []byte, it fmtItem, y, mo, d, wd int, days, hour, minute, second int64) []byte {
	code := it.text
	n := len(code)
	switch code[0] {
	case 'y':
		if n <= 2 {
			return appendPad(b, int64(y%100), 2)
		}
		return appendPad(b, int64(y), 4)
	case 'e':
		return appendPad(b, int64(y), 1)
	case 'b':
		if n <= 2 {
			return appendPad(b, int64((y+543)%100), 2)
		}
		return appendPad(b, int64(y+543), 4)
	case 'm':
		if it.n == 1 {
			return appendPad(b, minute, min(n, 2))
		}
		switch {
		case n <= 2:
			return appendPad(b, int64(mo), n)
		case n == 3:
			return append(b, monthNames[mo-1][:3]...)
		case n == 5:
			return append(b, monthNames[mo-1][0])
		}
		return append(b, monthNames[mo-1]...)
	case 'd':
		switch {
		case n <= 2:
			return appendPad(b, int64(d), n)
		case n == 3:
			return append(b, dayNames[wd][:3]...)
		}
		return append(b, dayNames[wd]...)
	case 'h':
		h := hour
		if s.ampm {
			if h %= 12; h == 0 {
				h = 12
			}
		}
		return appendPad(b, h, min(n, 2))
	case 's':
		return appendPad(b, second, min(n, 2))
	case '[':
		inner := strings.Trim(code, "[]")
		if inner == "" {
			return b
		}
		var total int64
		switch inner[0] {
		case 'h':
			total = days*24 + hour
		case 'm':
			total = (days*24+hour)*60 + minute
		case 's':
			total = ((days*24+hour)*60+minute)*60 + second
		default:
			return b
		}
		return appendPad(b, total, len(inner))
	}
	return b // g, r, a and other era or calendar codes: nothing
}

// appendPad writes n with at least width digits.
func appendPad(b []byte, n int64, width int) []byte {
	s := strconv.FormatInt(n, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// serialDay returns the date of a day serial as Excel counts: in the 1900
// system day 1 is 1900-01-01, day 0 the non-date 1900-01-00, and day 60 the
// 1900-02-29 that Lotus 1-2-3 invented and Excel kept; in the 1904 system
// day 0 is 1904-01-01. wd is the weekday, 0 Sunday, as Excel's WEEKDAY
// gives it (Excel makes 1900-01-01 a Sunday).
func serialDay(days int64, date1904 bool) (y, m, d, wd int) {
	if date1904 {
		y, m, d = civil(days - 24107) // 1904-01-01 is 24,107 days before 1970-01-01
		return y, m, d, int((days + 5) % 7)
	}
	wd = int((days + 6) % 7)
	switch {
	case days == 0:
		return 1900, 1, 0, wd
	case days == 60:
		return 1900, 2, 29, wd
	case days < 60:
		days++
	}
	y, m, d = civil(days - 25569) // 1899-12-30 is 25,569 days before 1970-01-01
	return y, m, d, wd
}

// civil turns days since 1970-01-01 (not before year 0) into a Gregorian
// date: Howard Hinnant's civil_from_days.
func civil(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

// decimal is a number ≥ 0 as Excel sees it: its 15 significant digits
// (Excel keeps no more), value 0.d[0:nd] × 10^point. nd is 0 for zero.
type decimal struct {
	d     [20]byte
	nd    int
	point int
}

// newDecimal takes a finite a ≥ 0 to 15 significant digits.
func newDecimal(a float64) decimal {
	var x decimal
	if a == 0 {
		return x
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], a, 'e', 14, 64) // d.dddddddddddddde±dd
	e := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'e' {
			e, _ = strconv.Atoi(string(s[i+1:]))
			break
		}
		if c != '.' {
			x.d[x.nd] = c
			x.nd++
		}
	}
	x.point = e + 1
	x.trim()
	return x
}

func (x *decimal) trim() {
	for x.nd > 0 && x.d[x.nd-1] == '0' {
		x.nd--
	}
	if x.nd == 0 {
		x.point = 0
	}
}

// digit returns the digit at the power of ten k (0 units, -1 tenths).
func (x *decimal) digit(k int) byte {
	i := x.point - 1 - k
	if i < 0 || i >= x.nd {
		return '0'
	}
	return x.d[i]
}

// round rounds to the given number of decimals, half away from zero.
func (x *decimal) round(decimals int) {
	keep := x.point + decimals // digits kept
	if keep >= x.nd {
		return
	}
	if keep < 0 {
		x.nd, x.point = 0, 0
		return
	}
	up := x.d[keep] >= '5'
	x.nd = keep
	if up {
		i := keep - 1
		for ; i >= 0 && x.d[i] == '9'; i-- {
		}
		if i < 0 {
			x.d[0] = '1'
			x.nd = 1
			x.point++
			return
		}
		x.d[i]++
		x.nd = i + 1
	}
	x.trim()
}

// fixedLen is the length of x written without an exponent.
func (x *decimal) fixedLen() int {
	switch {
	case x.nd == 0:
		return 1
	case x.point <= 0:
		return 2 - x.point + x.nd
	case x.nd > x.point:
		return x.nd + 1
	}
	return x.point
}

func (x *decimal) appendFixed(b []byte) []byte {
	if x.nd == 0 {
		return append(b, '0')
	}
	if x.point <= 0 {
		b = append(b, '0', '.')
		for i := x.point; i < 0; i++ {
			b = append(b, '0')
		}
		return append(b, x.d[:x.nd]...)
	}
	for i := 0; i < x.point; i++ {
		b = append(b, x.digit(x.point-1-i))
	}
	if x.nd > x.point {
		b = append(b, '.')
		b = append(b, x.d[x.point:x.nd]...)
	}
	return b
}

// appendGeneral writes f as Excel's General format shows it.
func appendGeneral(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.AppendFloat(b, f, 'g', -1, 64)
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	return appendGeneralDecimal(b, newDecimal(f))
}

// appendGeneralDecimal writes x ≥ 0 in General: up to 11 characters, the
// decimal point counting and a minus sign not (Microsoft KB 65903); fixed
// notation while it fits, else scientific with up to 6 significant digits
// and a two-digit exponent. The cases follow SheetJS SSF's general_fmt_num,
// checked against Excel: 1e-9 is 0.000000001 (11 characters) but 1.2e-9 is
// 1.2E-09.
//
// One departure from Excel: a whole number of 12 to 15 digits is written in
// full (Excel shows 8595602512225 as 8.5956E+12 in a General column of
// standard width). Such numbers are mostly IDs, and two IDs that differ in
// their last digits would read as the same text.
func appendGeneralDecimal(b []byte, x decimal) []byte {
	if x.nd == 0 {
		return append(b, '0')
	}
	if x.nd <= x.point && x.point <= 15 {
		return x.appendFixed(b)
	}
	e := x.point - 1 // x = d.ddd × 10^e
	switch {
	case e >= 11 || e <= -10:
		return appendGeneralSci(b, x)
	case e <= -5:
		y := x
		y.round(12)
		if y.fixedLen() <= 11 {
			return y.appendFixed(b)
		}
		return appendGeneralSci(b, x)
	case e < 0:
		x.round(9)
		return x.appendFixed(b)
	}
	x.round(max(9-e, 0))
	if x.point > 11 {
		return appendGeneralSci(b, x)
	}
	return x.appendFixed(b)
}

func appendGeneralSci(b []byte, x decimal) []byte {
	x.round(6 - x.point)
	e := x.point - 1
	b = append(b, x.d[0])
	if x.nd > 1 {
		b = append(b, '.')
		b = append(b, x.d[1:x.nd]...)
	}
	b = append(b, 'E')
	if e < 0 {
		b = append(b, '-')
		e = -e
	} else {
		b = append(b, '+')
	}
	if e < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(e), 10)
}
