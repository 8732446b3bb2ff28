package sheet

// Delimited text files (CSV, TSV, semicolon and pipe separated) as workbooks
// of one sheet. Reviewers export these from Excel, LibreOffice, Numbers,
// Google Sheets and R, so the reader takes what those programs write rather
// than strict RFC 4180:
//
//   - Encoding: a UTF-8 BOM is stripped; a UTF-16 LE/BE BOM selects UTF-16
//     (Excel's "Unicode Text"); otherwise the whole file is checked for valid
//     UTF-8 before the first row, streaming, and if it is not valid it is
//     read as Windows-1252 with an "encoding-fallback" warning. Deciding for
//     the whole file up front means a cp1252 byte on row 90,000 cannot leave
//     the rows before it decoded differently from the rows after.
//   - Delimiter: one of , ; tab | chosen from the first 64 KB (see sniffDelim),
//     unless the first line is Excel's "sep=;" hint, which Excel obeys and
//     hides: then that delimiter is used and the line is not a row.
//   - Records: ended by LF, CRLF or a lone CR (classic Mac Excel), mixed
//     freely. A field that starts with a double quote is quoted: "" inside it
//     is one quote, and CR, LF and CRLF inside it stay in the value as LF.
//     Text after the closing quote is kept literally ("ab"c → abc), as is a
//     quote in the middle of an unquoted field (5" tall), like Excel.
//   - Row numbers count every record, blank ones too, so Row.Num is the row
//     a spreadsheet program shows for the same file. Row.Line is the line of
//     the file the record starts on (line breaks inside quotes count, and
//     Excel's "sep=" line is line 1), for messages a text editor can follow;
//     Row.Fields is the record's number of fields, empty ones included, so
//     that a record with more or fewer fields than the header can be told.
//   - Values are kept exactly as the file has them: no trimming, and an
//     unquoted field ends at the delimiter or the line end and nowhere else,
//     so that a caller can join two records that a raw line break split.
//   - NUL bytes are left out of values (no spreadsheet cell or XML export can
//     hold one) and reported once as a "nul-bytes" warning with the first
//     place, so that nothing is dropped silently. UTF-16 without a BOM is
//     recognised by its NULs: when most of the first characters have a NUL
//     in the same half (ASCII text in UTF-16), that half says the byte order.
//   - Text after a closing quote ("ab"c) is what a stray quote in a
//     hand-edited file leaves behind, after it has run rows together into
//     one cell; Excel never writes it. It is read as above and reported once
//     as a "stray-quote" warning naming the cell.
//   - A quoted field that is never closed is an error naming the cell where
//     it opens: reading on would swallow the rest of the file into one cell.
//     A record of more than csvMaxRecordBytes is an error too, so that a stray
//     quote in a large file cannot take all memory before EOF says so.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvSniffBytes is how much of the start of a file the encoding and delimiter
// are guessed from: enough for 50 records of long qualitative extracts.
const csvSniffBytes = 64 << 10

// csvMaxRecordBytes bounds one record (its values plus one byte per
// field). Far above anything a spreadsheet can hold (Excel: 32,767
// characters a cell), it is there so that a quote that is never closed
// fails early in a big file instead of taking all memory.
const csvMaxRecordBytes = 64 << 20

type csvEncoding int

const (
	csvUTF8 csvEncoding = iota
	csvUTF16LE
	csvUTF16BE
	csvWindows1252
)

type csvWorkbook struct {
	path    string
	name    string
	src     io.ReaderAt // the file; read with ReadAt so that reads can overlap
	skip    int64       // bytes of BOM before the text
	enc     csvEncoding
	delim   byte
	sepLine bool // the first line is Excel's "sep=;", not a row
	bufSz   int  // the parser's buffer: no bigger than the file

	mu       sync.Mutex
	warnings []Warning
	warned   map[string]bool // kinds given: each warning once per file
}

// OpenCSV opens a delimited text file as a workbook of one sheet named after
// the file without its extension. It reads the file once to settle the
// encoding and sniffs the delimiter; rows are read by Rows. Errors are
// *FileError values.
func OpenCSV(path string) (Workbook, error) {
	f, err := openCSVFile(path)
	if err != nil {
		return nil, err
	}
	wb, err := newCSVWorkbook(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return wb, nil
}

// newCSVWorkbook reads the delimited text in src, which path names. Close
// closes src if it is an io.Closer.
func newCSVWorkbook(path string, src io.ReaderAt) (*csvWorkbook, error) {
	wb := &csvWorkbook{path: path, name: csvSheetName(path), src: src}
	if err := wb.sniff(); err != nil {
		return nil, err
	}
	return wb, nil
}

// csvSheetName is the file name without its extension, or the whole name when
// that would leave nothing (".csv").
func csvSheetName(path string) string {
	base := filepath.Base(path)
	if name := strings.TrimSuffix(base, filepath.Ext(base)); name != "" {
		return name
	}
	return base
}

// openCSVFile opens path for reading, turning the usual failures into one
// sentence each.
func openCSVFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{File: path, Msg: csvOpenProblem(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &FileError{File: path, Msg: "cannot be read: " + csvPathErr(err).Error()}
	}
	if st.IsDir() {
		f.Close()
		return nil, &FileError{File: path, Msg: "is a folder, not a file"}
	}
	return f, nil
}

func csvOpenProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "cannot be opened: permission denied"
	default:
		return "cannot be opened: " + csvPathErr(err).Error()
	}
}

// csvPathErr drops the "open <path>:" that *fs.PathError adds, since
// FileError already names the file.
func csvPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sniff settles the encoding and the delimiter, and records the
// encoding-fallback warning.
func (c *csvWorkbook) sniff() error {
	// ReadAll grows the buffer as it goes, so a small file costs little.
	prefix, err := io.ReadAll(io.NewSectionReader(c.src, 0, csvSniffBytes))
	if err != nil {
		return c.readError(err)
	}
	truncated := len(prefix) == csvSniffBytes
	c.bufSz = max(len(prefix), 512)

	switch {
	case bytes.HasPrefix(prefix, []byte{0xEF, 0xBB, 0xBF}):
		c.skip = 3
	case bytes.HasPrefix(prefix, []byte{0xFF, 0xFE}):
		c.skip, c.enc = 2, csvUTF16LE
	case bytes.HasPrefix(prefix, []byte{0xFE, 0xFF}):
		c.skip, c.enc = 2, csvUTF16BE
	default:
		c.enc = csvGuessUTF16(prefix)
	}
	if c.enc == csvUTF8 {
		// A file that fits in the prefix is checked there; a longer one to
		// its end, since the prefix may end inside a character.
		ok := utf8.Valid(prefix[c.skip:])
		if truncated {
			ok, err = csvValidUTF8(io.NewSectionReader(c.src, c.skip, csvToEOF))
			if err != nil {
				return c.readError(err)
			}
		}
		if !ok {
			c.enc = csvWindows1252
			c.warnings = append(c.warnings, Warning{
				Kind:    WarnEncodingFallback,
				Message: c.path + ` is not UTF-8; read it as Windows-1252 — save it as "CSV UTF-8" if characters look wrong`,
				Where:   c.path,
			})
		}
	}

	text := prefix[c.skip:]
	if dec := c.decoder(); dec != nil {
		if c.enc != csvWindows1252 && len(text)%2 == 1 {
			text = text[:len(text)-1]
		}
		// A cut at the end of the prefix at worst spoils the last record,
		// which the sniffer drops when the prefix is truncated.
		text, _ = dec.Bytes(text)
	}
	if d, ok := excelSepLine(text); ok {
		c.delim, c.sepLine = d, true
		return nil
	}
	c.delim = sniffDelim(text, delimHint(c.path), truncated)
	return nil
}

// excelSepLine reports the delimiter named by a first line "sep=X", which
// Excel reads as the delimiter to use and does not show as a row.
func excelSepLine(text []byte) (byte, bool) {
	if len(text) < 5 || !bytes.EqualFold(text[:4], []byte("sep=")) || bytes.IndexByte([]byte(",;\t|"), text[4]) < 0 {
		return 0, false
	}
	if len(text) > 5 && text[5] != '\r' && text[5] != '\n' {
		return 0, false
	}
	return text[4], true
}

// csvToEOF is the length given to section readers that read to the end of the
// file (io.NewSectionReader caps it at the largest offset).
const csvToEOF = 1<<63 - 1

func (c *csvWorkbook) decoder() *encoding.Decoder {
	switch c.enc {
	case csvUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case csvUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	case csvWindows1252:
		return charmap.Windows1252.NewDecoder()
	}
	return nil
}

// text returns the file's text from its start, as UTF-8. Each call reads
// through its own section reader, so Rows may run more than once, even at
// the same time.
func (c *csvWorkbook) text() io.Reader {
	src := io.NewSectionReader(c.src, c.skip, csvToEOF)
	if dec := c.decoder(); dec != nil {
		return transform.NewReader(src, dec)
	}
	return src
}

// csvValidUTF8 reports whether everything r yields is UTF-8, holding no more
// than one chunk at a time.
func csvValidUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, csvSniffBytes+utf8.UTFMax)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:carry+csvSniffBytes])
		data := buf[:carry+n]
		end := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !end {
			return false, err
		}
		cut := len(data)
		if !end {
			cut = csvCompleteRunes(data)
		}
		if !utf8.Valid(data[:cut]) {
			return false, nil
		}
		if end {
			return true, nil
		}
		carry = copy(buf, data[cut:])
	}
}

// csvCompleteRunes returns the length of b without a multi-byte sequence that
// is cut off at its end, so that a chunk boundary cannot split a rune.
func csvCompleteRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

func (c *csvWorkbook) readError(err error) error {
	return &FileError{File: c.path, Msg: "cannot be read: " + csvPathErr(err).Error()}
}

func (c *csvWorkbook) Sheets() []Info { return []Info{{Name: c.name}} }

// Rows reads the file from its start and calls fn for each record that has
// a non-empty field.
func (c *csvWorkbook) Rows(sheet string, fn func(Row) error) error {
	if sheet != c.name {
		return SheetNotFound(c.path, sheet, c.Sheets())
	}
	p := newCSVParser(c.text(), c.delim, c.bufSz)
	if c.sepLine {
		if _, err := p.readRecord(); err != nil {
			return c.readError(err)
		}
	}
	for num := 1; ; num++ {
		more, err := p.readRecord()
		if p.nulCol > 0 {
			c.warnOnce(WarnNULBytes, num, p.nulCol, "%s contains NUL bytes (the first in cell %s); they were left out of the values")
			p.nulCol = -1 // reported: stop looking
		}
		if p.strayCol > 0 {
			c.warnOnce(WarnStrayQuote, num, p.strayCol, "%s has text after the closing quote of the field in cell %s; a stray quote there may have run rows together, so check that row and the ones after it")
			p.strayCol = -1
		}
		if err != nil {
			return c.recordError(err, num, len(p.ends)+1)
		}
		if !more {
			return nil
		}
		row, ok := p.row(num)
		if !ok {
			continue
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

func (c *csvWorkbook) recordError(err error, row, col int) error {
	switch err {
	case errUnclosedQuote:
		return &FileError{File: c.path, Sheet: c.name, Ref: Ref(col, row),
			Msg: "a quoted field opens here and never closes; add the closing quote or remove the opening one"}
	case errLongQuote:
		return &FileError{File: c.path, Sheet: c.name, Ref: Ref(col, row),
			Msg: fmt.Sprintf("a quoted field opens here and runs on for more than %d MB; is its closing quote missing?", csvMaxRecordBytes>>20)}
	case errLongRecord:
		return &FileError{File: c.path, Msg: fmt.Sprintf("row %d is longer than %d MB; this does not look like a delimited text file", row, csvMaxRecordBytes>>20)}
	}
	return c.readError(err)
}

// warnOnce records a warning of kind at a cell unless the file has one of
// that kind already (Rows may run more than once). format takes the file
// and the cell reference.
func (c *csvWorkbook) warnOnce(kind string, row, col int, format string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.warned[kind] {
		return
	}
	if c.warned == nil {
		c.warned = map[string]bool{}
	}
	c.warned[kind] = true
	c.warnings = append(c.warnings, Warning{
		Kind:    kind,
		Message: fmt.Sprintf(format, c.path, Ref(col, row)),
		Where:   Where(c.path, c.name, col, row),
	})
}

func (c *csvWorkbook) Merged(string) []Range { return nil }

func (c *csvWorkbook) Warnings() []Warning {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Warning(nil), c.warnings...)
}

func (c *csvWorkbook) Close() error {
	if cl, ok := c.src.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

// csvGuessUTF16 recognises UTF-16 text without a BOM: in the first 1,024
// bytes, at least 3 in 4 characters have a NUL in one half and almost none
// in the other, as ASCII-range text in UTF-16 does. Otherwise it is UTF-8.
func csvGuessUTF16(prefix []byte) csvEncoding {
	n := min(len(prefix), 1024) &^ 1
	if n < 8 {
		return csvUTF8
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if prefix[i] == 0 {
			even++
		}
		if prefix[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*4 >= pairs*3 && even*20 <= pairs:
		return csvUTF16LE
	case even*4 >= pairs*3 && odd*20 <= pairs:
		return csvUTF16BE
	}
	return csvUTF8
}
