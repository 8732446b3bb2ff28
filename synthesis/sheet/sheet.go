// Package sheet reads the rows of spreadsheets that reviewers keep their
// coded extracts in: xlsx/xlsm workbooks and CSV/TSV text files. Every
// non-empty cell comes with its place (file, sheet, A1 reference) so that a
// problem can be reported where the reviewer can find it.
package sheet

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
)

// Cell is one non-empty cell: its 1-based column and its value as text.
// Numbers are written as the shortest decimal that round-trips, booleans as
// TRUE/FALSE, dates as ISO 8601, errors as their literal (#N/A).
type Cell struct {
	Col   int
	Value string
	// Date is true when the cell holds a date or time (a number with a
	// date format, or t="d"); Value is then the date as Excel shows it.
	Date bool
}

// Row is one row of a sheet: its 1-based number and its non-empty cells in
// column order.
type Row struct {
	Num   int
	Cells []Cell
	// Line is, for CSV/TSV, the 1-based line of the file where the record
	// starts (it differs from Num once quoted fields hold line breaks);
	// Fields is the number of fields the record has, empty ones included,
	// so that a caller can find a record with more or fewer fields than the
	// header. Both are 0 for workbooks.
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
	Kind    string // a stable id, e.g. "encoding-fallback"
	Message string
	Where   string
}

// Options bound what a read may cost.
type Options struct {
	// MaxPartSize is the most uncompressed bytes one workbook part may hold.
	// Zero means DefaultMaxPartSize.
	MaxPartSize int64
	// Progress, when not nil, counts the bytes a workbook read inflates,
	// for a progress bar. CSV files are read too fast to need one.
	Progress *Progress
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
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

// Ref returns the A1 reference of a cell.
func Ref(col, row int) string {
	return ColName(col) + strconv.Itoa(row)
}

// Where formats a place for messages: file:Sheet!D14.
func Where(file, sheet string, col, row int) string {
	return file + ":" + sheet + "!" + Ref(col, row)
}
