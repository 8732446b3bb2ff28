// Package sheet reads the rows of spreadsheets that reviewers keep their
// coded extracts in: xlsx/xlsm workbooks and CSV/TSV text files. Every
// non-empty cell comes with its place (file, sheet, A1 reference) so that a
// problem can be reported where the reviewer can find it.
package sheet

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Cell is one non-empty cell: its 1-based column and its value as text, as
// Excel shows it. In a workbook a number is shown with the cell's number
// format (ECMA-376 Part 1 §18.8.30): 0.33 in 0% is "33%", 45640 in d-mmm is
// "14-Dec", and in General "0.3" for 0.30000000000000004 and "1.23457E+11"
// for 123456789012 (Excel's General: at most 11 characters). Booleans are
// TRUE/FALSE, errors their literal (#N/A), text as stored. xlsx_numfmt.go
// says what is rendered and where we chose (en-US names and built-in
// codes, padding dropped at the ends). A CSV field is kept exactly as the
// file has it.
type Cell struct {
	Col   int
	Value string
	// Date is true when the cell holds a date or time: a number that its
	// format shows as a date, a time or an elapsed time ([h]:mm), or a
	// t="d" cell (then shown with a date format the cell has, else in ISO
	// 8601). Value is then the date as Excel shows it. Always false for
	// CSV, where a date is only text.
	Date bool
	// Shared is, for a cell of type "s", 1 + the place of Value in the
	// workbook's shared-string table (ECMA-376 Part 1, §18.4); else 0. A
	// caller keeping many such values can keep their places instead: the
	// table holds them anyway (Strings).
	Shared int32
}

// Row is one row of a sheet: its 1-based number and its non-empty cells in
// column order. Num is the row a spreadsheet program shows: in a workbook
// the row's r=, in a CSV file the record's number counting blank records.
type Row struct {
	Num   int
	Cells []Cell
	// Line is, for CSV/TSV, the 1-based line of the file where the record
	// starts: line breaks inside quoted fields count (so it differs from
	// Num once a quoted field holds one), and so does Excel's "sep=" line.
	// Fields is the number of fields the record has as parsed, empty ones
	// included (a,,c has 3), so that a caller can find a ragged record,
	// with more or fewer fields than the header: a raw line break in an
	// unquoted field splits one record into two short ones whose cells
	// keep their exact values, to be reported by line and joined again.
	// Both are 0 for workbooks.
	Line, Fields int
}

// Get returns the value at the 1-based column col, or "".
func (r Row) Get(col int) string {
	for _, c := range r.Cells {
		if c.Col == col {
			return c.Value
		}
		if c.Col > col {
			break
		}
	}
	return ""
}

// Range is a merged range of cells, inclusive, 1-based.
type Range struct {
	FromCol, FromRow, ToCol, ToRow int
}

// Info describes one sheet of a workbook.
type Info struct {
	Name   string
	Hidden bool // hidden or veryHidden
	// Chart is true for a chartsheet, which has no cells.
	Chart bool
}

// Warning is something a reader noticed that the reviewer should know but
// that does not stop the read, such as a CSV decoded as Windows-1252.
type Warning struct {
	Kind    string // a stable id: one of the kinds below
	Message string
	Where   string
}

// Kinds of reader warnings (synthesis declares each as a WarningKind).
const (
	WarnEncodingFallback = "encoding-fallback" // a CSV file read as Windows-1252
	WarnSheetUnreadable  = "sheet-unreadable"  // a worksheet that could not be read
	WarnNULBytes         = "nul-bytes"         // NUL bytes left out of a CSV file's values
	WarnStrayQuote       = "stray-quote"       // text after a CSV field's closing quote
)

// Options bound what a read may cost.
type Options struct {
	// MaxPartSize is the most uncompressed bytes one workbook part may hold.
	// Zero means DefaultMaxPartSize.
	MaxPartSize int64
	// Progress, when not nil, counts the bytes a workbook read inflates,
	// for a progress bar. CSV files are read too fast to need one.
	Progress *Progress
	// StringsInMemory is how many bytes of a workbook's shared-string
	// table are held in memory before the rest are written to a temporary
	// file (but for strings of up to 128 bytes); zero means 64 MiB, a
	// negative number none.
	StringsInMemory int64
	// ReuseCells lets a workbook's reader hand each row's cells to Rows'
	// callback in one slice that it reuses for the next row: Row.Cells is
	// then valid only until the callback returns (its values stay valid).
	// It spares an allocation a row, which a caller that copies the
	// values it keeps does not need (a million rows: 0.12-0.15 s of CPU). CSV
	// ignores it.
	ReuseCells bool
	// ValueBlocks has a workbook's reader copy the values it makes (all
	// but shared strings and numbers) into 16 KB blocks shared by the
	// values of many cells, not each into a string of its own: a million
	// rows of seven cells were six million allocations, 0.48 s of CPU in
	// the profile of the bench's openpyxl workbook. A value keeps its
	// whole block alive, so a caller that keeps a few values among many
	// should keep copies (strings.Clone). CSV ignores it.
	ValueBlocks bool
}

// Progress counts work done and work expected, safely across goroutines.
type Progress struct {
	done, total atomic.Int64
}

// Counts returns the bytes read so far and the bytes expected.
func (p *Progress) Counts() (done, total int64) {
	return p.done.Load(), p.total.Load()
}

func (p *Progress) add(n int64) {
	if p != nil {
		p.done.Add(n)
	}
}

func (p *Progress) expect(n int64) {
	if p != nil {
		p.total.Add(n)
	}
}

// DefaultMaxPartSize is the default limit on one workbook part: 2 GiB.
const DefaultMaxPartSize = 2 << 30

// Workbook is an open spreadsheet file. A CSV file is a workbook of one sheet
// named after the file.
type Workbook interface {
	// Sheets lists the sheets in tab order.
	Sheets() []Info
	// Rows calls fn for each row of the named sheet that has a non-empty
	// cell, in order, streaming. It returns fn's first error.
	Rows(sheet string, fn func(Row) error) error
	// Merged returns the merged ranges of the named sheet. For a workbook it
	// is known only once Rows has finished reading that sheet.
	Merged(sheet string) []Range
	// Warnings returns what the reader noticed so far.
	Warnings() []Warning
	Close() error
}

// Open opens the spreadsheet at path: .xlsx, .xlsm as a workbook; .csv, .tsv,
// .txt, .psv, .ssv and .tab as delimited text. Errors are *FileError values
// with one sentence a reviewer can act on.
func Open(path string, opts Options) (Workbook, error) {
	if err := foreignFile(path); err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt", ".psv", ".ssv", ".tab":
		return OpenCSV(path)
	default:
		return OpenXLSX(path, opts)
	}
}

// FileError is a problem with a file as a whole, or at a place in it.
type FileError struct {
	File  string // as given to Open
	Sheet string // optional
	Ref   string // optional A1 reference
	Msg   string
}

func (e *FileError) Error() string {
	where := e.File
	if e.Sheet != "" {
		where += ":" + e.Sheet
		if e.Ref != "" {
			where += "!" + e.Ref
		}
	}
	return where + ": " + e.Msg
}

// SheetNotFound is the error for a sheet name that the file does not have; it
// lists the sheets there are.
func SheetNotFound(file, name string, sheets []Info) error {
	var names []string
	for _, s := range sheets {
		names = append(names, strconv.Quote(s.Name))
	}
	return &FileError{File: file, Msg: fmt.Sprintf("no sheet named %q; the sheets are %s", name, strings.Join(names, ", "))}
}

// ColName returns the letters of the 1-based column col: 1 → A, 28 → AB.
func ColName(col int) string {
	var b [8]byte
	return string(appendColName(b[:0], col))
}

func appendColName(b []byte, col int) []byte {
	n := len(b)
	for col > 0 {
		col--
		b = append(b, byte('A'+col%26))
		col /= 26
	}
	slices.Reverse(b[n:])
	return b
}

// AppendRef appends the A1 reference of a cell (Ref) to b.
func AppendRef(b []byte, col, row int) []byte {
	return strconv.AppendInt(appendColName(b, col), int64(row), 10)
}

// Ref returns the A1 reference of a cell.
func Ref(col, row int) string {
	var b [24]byte
	return string(AppendRef(b[:0], col, row))
}

// Where formats a place for messages: file:Sheet!D14.
func Where(file, sheet string, col, row int) string {
	var ref [24]byte
	r := AppendRef(ref[:0], col, row)
	var b strings.Builder // one allocation: a million extracts' places are made
	b.Grow(len(file) + len(sheet) + 2 + len(r))
	b.WriteString(file)
	b.WriteByte(':')
	b.WriteString(sheet)
	b.WriteByte('!')
	b.Write(r)
	return b.String()
}
