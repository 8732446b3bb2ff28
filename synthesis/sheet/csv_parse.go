package sheet

import (
	"errors"
	"io"
)

// Errors of csvParser.readRecord that Rows turns into a FileError with the
// place.
var (
	errUnclosedQuote = errors.New("unclosed quote")
	errLongQuote     = errors.New("quoted field too long")
	errLongRecord    = errors.New("record too long")
)

// csvParser splits UTF-8 text into records. It is a hand-written state
// machine over its own buffer rather than encoding/csv because the rules
// differ: a lone CR ends a record, bare quotes are literal, NULs are dropped
// and an unclosed quote must be reported where it opens. Runs of plain text
// are found with a 256-entry table and copied with one append; that parses
// at about 1 GB/s, so making the Rows (one string and one []Cell a record)
// costs more than the parsing. An 8-bytes-at-a-time (SWAR) scan was tried
// and was slower on extract-sized fields.
type csvParser struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error // a read error, errLongRecord or errLongQuote
	inQuote  bool  // for the error when a record grows too long

	// maxRecord is csvMaxRecordBytes; tests lower it.
	maxRecord int

	// stop[b] is true for the bytes that end a run of plain text outside
	// quotes (delimiter, CR, LF, NUL); quoteStop inside quotes (", CR, LF, NUL).
	stop, quoteStop [256]bool
	delim           byte

	line []byte // the values of the current record, one after the other
	ends []int  // where each value ends in line

	// breaks counts the line breaks read so far (CRLF, CR or LF, inside
	// quotes too); recLine is the 1-based line the current record starts on.
	breaks, recLine int

	// nulCol is the column of the first NUL, set while reading the record
	// that holds it; Rows reports it and sets it to -1. strayCol is the same
	// for the first quoted field with text after its closing quote.
	nulCol, strayCol int
}

// newCSVParser reads r through a buffer of bufSize bytes.
func newCSVParser(r io.Reader, delim byte, bufSize int) *csvParser {
	p := &csvParser{r: r, buf: make([]byte, bufSize), delim: delim, maxRecord: csvMaxRecordBytes}
	for _, b := range []byte{delim, '\r', '\n', 0} {
		p.stop[b] = true
	}
	// LF stops a quoted run too, only so that the line count sees it.
	for _, b := range []byte{'"', '\r', '\n', 0} {
		p.quoteStop[b] = true
	}
	return p
}

// fill refills the buffer once it is used up. It reports false at EOF or
// on an error, which it leaves in p.err.
func (p *csvParser) fill() bool {
	if p.eof || p.err != nil {
		return false
	}
	if len(p.line)+len(p.ends) > p.maxRecord {
		p.err = errLongRecord
		if p.inQuote {
			p.err = errLongQuote
		}
		return false
	}
	// Like bufio, give up on a reader that keeps returning nothing.
	for range 100 {
		n, err := p.r.Read(p.buf)
		p.pos, p.end = 0, n
		if err != nil {
			p.eof = true
			if err != io.EOF {
				p.err = err
				return false
			}
		}
		if n > 0 {
			return true
		}
		if p.eof {
			return false
		}
	}
	p.err = io.ErrNoProgress
	return false
}

// more reports whether there is a byte to read, filling the buffer if need be.
func (p *csvParser) more() bool {
	return p.pos < p.end || p.fill()
}

func (p *csvParser) sawNUL() {
	if p.nulCol == 0 {
		p.nulCol = len(p.ends) + 1
	}
}

// readRecord reads the next record into p.line and p.ends. It reports false
// at the end of the text.
func (p *csvParser) readRecord() (bool, error) {
	p.line, p.ends = p.line[:0], p.ends[:0]
	p.recLine = p.breaks + 1
	if !p.more() {
		return false, p.err
	}
	for {
		quoted := p.more() && p.buf[p.pos] == '"'
		if quoted {
			p.pos++
			if err := p.quoted(); err != nil {
				return false, err
			}
		}
		n := len(p.line)
		atEnd := p.plain()
		if quoted && len(p.line) > n && p.strayCol == 0 {
			p.strayCol = len(p.ends) + 1 // text after the closing quote
		}
		p.ends = append(p.ends, len(p.line))
		if p.err != nil {
			return false, p.err
		}
		if atEnd {
			return true, nil
		}
	}
}

// plain reads unquoted text up to the end of the field. It reports true
// when the record ends there too (CR, LF, CRLF or EOF), false after a
// delimiter.
func (p *csvParser) plain() bool {
	for {
		if !p.more() {
			return true
		}
		c, ok := p.run(&p.stop)
		if !ok {
			continue
		}
		switch c {
		case p.delim:
			return false
		case '\n':
			p.breaks++
			return true
		case '\r':
			if p.more() && p.buf[p.pos] == '\n' {
				p.pos++
			}
			p.breaks++
			return true
		default: // NUL
			p.sawNUL()
		}
	}
}

// quoted reads a quoted field after its opening quote, up to and including
// the closing quote.
func (p *csvParser) quoted() error {
	p.inQuote = true
	defer func() { p.inQuote = false }()
	for {
		if !p.more() {
			if p.err != nil {
				return p.err
			}
			return errUnclosedQuote
		}
		c, ok := p.run(&p.quoteStop)
		if !ok {
			continue
		}
		switch c {
		case '"':
			if p.more() && p.buf[p.pos] == '"' {
				p.line = append(p.line, '"')
				p.pos++
				continue
			}
			return p.err
		case '\r':
			p.line = append(p.line, '\n')
			if p.more() && p.buf[p.pos] == '\n' {
				p.pos++
			}
			p.breaks++
		case '\n':
			p.line = append(p.line, '\n')
			p.breaks++
		default: // NUL
			p.sawNUL()
		}
	}
}

// run appends the text before the next byte marked in stop, as far as the
// buffer goes, to p.line. If it finds such a byte it consumes and returns it.
// It leaves refilling to its callers so that it stays small enough to be
// inlined: a version that refilled too made parsing 30% slower.
func (p *csvParser) run(stop *[256]bool) (byte, bool) {
	chunk := p.buf[p.pos:p.end]
	i := 0
	for i < len(chunk) && !stop[chunk[i]] {
		i++
	}
	p.line = append(p.line, chunk[:i]...)
	p.pos += i
	if i == len(chunk) {
		return 0, false
	}
	p.pos++
	return chunk[i], true
}

// row makes the Row numbered num from the current record, with the line it
// starts on and its number of fields. It reports false when every value is
// empty.
func (p *csvParser) row(num int) (Row, bool) {
	n, start := 0, 0
	for _, e := range p.ends {
		if e > start {
			n++
		}
		start = e
	}
	if n == 0 {
		return Row{}, false
	}
	// One string for the record; the values share it.
	s := string(p.line)
	cells := make([]Cell, 0, n)
	start = 0
	for i, e := range p.ends {
		if e > start {
			cells = append(cells, Cell{Col: i + 1, Value: s[start:e]})
		}
		start = e
	}
	return Row{Num: num, Cells: cells, Line: p.recLine, Fields: len(p.ends)}, true
}
