package refi

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// PositionUnit is what the startPosition and endPosition of a text
// selection count.
//
// REFI-QDA 1.5 counts characters from 0, end exclusive, in the plain text of
// the source after any byte-order mark, with a CR LF line break counting as
// two; it does not say what a character is. Programs differ:
//
//   - NVivo (Windows and Mac) counts UTF-16 code units, so a character
//     outside the Basic Multilingual Plane (most emoji) counts as two. In the
//     NVivo 12.6 sample, whose text holds more than 800 emoji, all 97
//     selections line up under this model and only 60 as code points.
//   - Everything else is read as counting Unicode code points: ATLAS.ti,
//     MAXQDA, QualCoder and qc (which writes its positions from Python
//     strings). The samples hold no ATLAS.ti or MAXQDA coding together with
//     its text, so for those two this is the standard's reading, not a
//     measurement.
//
// The unit is chosen by the project's origin attribute (UnitFor), not
// guessed from the text: a guess could pass on one selection and cut the
// next one wrong.
type PositionUnit uint8

const (
	CodePoints PositionUnit = iota // Unicode code points
	UTF16Units                     // UTF-16 code units (NVivo)
)

func (u PositionUnit) String() string {
	if u == UTF16Units {
		return "UTF-16 code units"
	}
	return "Unicode code points"
}

// UnitFor returns the position unit of a project written by the program
// named in origin: UTF16Units for NVivo, else CodePoints.
func UnitFor(origin string) PositionUnit {
	if strings.Contains(strings.ToLower(origin), "nvivo") {
		return UTF16Units
	}
	return CodePoints
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

// decodeText turns the bytes of a source's plain text into a string: a
// UTF-8 byte-order mark is dropped, UTF-16 with a byte-order mark is
// decoded. REFI-QDA asks for UTF-8; bytes that are not UTF-8 are kept and
// count as one character each (U+FFFD) when positions are counted.
func decodeText(b []byte) string {
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		return string(b[3:])
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return decodeUTF16(b[2:], false)
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return decodeUTF16(b[2:], true)
	}
	return string(b)
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// positions finds the byte offset of a position in a text, counting in a
// unit. It keeps a checkpoint every checkpointEvery characters, so a lookup
// scans at most that many and the index is small beside the text.
type positions struct {
	text  string
	unit  PositionUnit
	units []int64 // position at each checkpoint
	bytes []int   // byte offset at each checkpoint
	total int64   // the text's length in the unit
}

const checkpointEvery = 512

func newPositions(text string, unit PositionUnit) *positions {
	p := &positions{text: text, unit: unit}
	var pos int64
	n := 0
	for i := 0; i < len(text); {
		if n%checkpointEvery == 0 {
			p.units = append(p.units, pos)
			p.bytes = append(p.bytes, i)
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		pos += p.width(r, size)
		i += size
		n++
	}
	p.total = pos
	return p
}

// width is how many units the character r (size bytes) counts. A byte that
// is not UTF-8 counts as one, as U+FFFD would.
func (p *positions) width(r rune, size int) int64 {
	if p.unit == UTF16Units && size == 4 && r > 0xFFFF {
		return 2
	}
	return 1
}

// byteAt returns the byte offset of position pos. A position inside a
// character (between the two UTF-16 units of an emoji) moves to the start of
// that character, or to its end when roundUp is set, so that a selection
// never cuts a character in half.
func (p *positions) byteAt(pos int64, roundUp bool) int {
	i := sort.Search(len(p.units), func(i int) bool { return p.units[i] > pos }) - 1
	if i < 0 {
		return 0
	}
	u, b := p.units[i], p.bytes[i]
	for b < len(p.text) && u < pos {
		r, size := utf8.DecodeRuneInString(p.text[b:])
		w := p.width(r, size)
		if u+w > pos && !roundUp {
			return b
		}
		u += w
		b += size
	}
	return b
}

// slice returns the text from start to end (exclusive); ok is false when
// the positions are not 0 <= start <= end <= the text's length.
func (p *positions) slice(start, end int64) (s string, ok bool) {
	if start < 0 || end < start || end > p.total {
		return "", false
	}
	return p.text[p.byteAt(start, false):p.byteAt(end, true)], true
}
