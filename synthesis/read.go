package synthesis

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// Error is a data problem at a place: file:Sheet!D14 for a cell,
// file:line:col for YAML, or just a file.
type Error struct {
	Where string
	Msg   string
}

func (e *Error) Error() string { return e.Where + ": " + e.Msg }

func errorAt(where, format string, args ...any) error {
	return &Error{Where: where, Msg: fmt.Sprintf(format, args...)}
}

// table is a sheet read into memory as rows of the columns asked for.
type table struct {
	file, sheet string // project-relative file, sheet name
	headerRow   int
	headers     []string // every header found, as written, in column order
	headerCols  []int    // their columns
	rows        []tableRow
	warnings    []sheet.Warning
}

type tableRow struct {
	num  int
	vals []string // aligned with the wanted columns
}

func (t *table) where(col, row int) string { return sheet.Where(t.file, t.sheet, col, row) }

// column finds a header by folded name; 0 when absent.
func (t *table) column(name string) int {
	k := fold.Key(name)
	for i, h := range t.headers {
		if fold.Key(h) == k {
			return t.headerCols[i]
		}
	}
	return 0
}

// missingColumn is the error for a required header that is not there.
func (t *table) missingColumn(name, what string) error {
	var found []string
	for _, h := range t.headers {
		found = append(found, fmt.Sprintf("%q", h))
	}
	msg := fmt.Sprintf("no %s column %q in the header row %d", what, name, t.headerRow)
	if s := fold.Suggest(name, t.headers); s != "" {
		msg += fmt.Sprintf(`; did you mean %q?`, s)
	}
	if len(found) == 0 {
		msg += "; the header row is empty"
	} else {
		msg += "; found " + strings.Join(found, ", ")
	}
	return errorAt(t.file+":"+t.sheet+"!"+fmt.Sprint(t.headerRow), "%s", msg)
}

// workbook opens a spreadsheet of the project, naming it project-relative in
// errors.
type source struct {
	rel string
	wb  sheet.Workbook
}

func openSource(p *Project, rel string, opts sheet.Options) (*source, error) {
	wb, err := sheet.Open(p.Path(rel), opts)
	if err != nil {
		return nil, relabel(err, p.Path(rel), rel)
	}
	return &source{rel: filepath.ToSlash(rel), wb: wb}, nil
}

// relabel rewrites a sheet error to name the file as the project does.
func relabel(err error, path, rel string) error {
	var fe *sheet.FileError
	if errors.As(err, &fe) {
		c := *fe
		c.File = filepath.ToSlash(rel)
		c.Msg = strings.ReplaceAll(c.Msg, path, c.File)
		return &c
	}
	return err
}

// pickSheet chooses the sheet to read: the one named (matched exactly, then by
// folded name), else the result of fallback.
func (s *source) pickSheet(name string, fallback func([]sheet.Info) (string, bool)) (string, error) {
	infos := s.wb.Sheets()
	if name != "" {
		for _, in := range infos {
			if in.Name == name {
				return in.Name, nil
			}
		}
		for _, in := range infos {
			if fold.Key(in.Name) == fold.Key(name) {
				return in.Name, nil
			}
		}
		return "", relabel(sheet.SheetNotFound(s.rel, name, infos), s.rel, s.rel)
	}
	if n, ok := fallback(infos); ok {
		return n, nil
	}
	return "", &sheet.FileError{File: s.rel, Msg: "has no visible worksheet to read; name one with \"sheet:\" in synth.yaml"}
}

func firstVisible(infos []sheet.Info) (string, bool) {
	for _, in := range infos {
		if !in.Hidden && !in.Chart {
			return in.Name, true
		}
	}
	return "", false
}

// read reads a sheet: the first non-empty row is the header; want(headers)
// returns the columns to keep. Merged ranges fill the cells they cover.
func (s *source) read(sheetName string, want func(t *table) ([]int, error)) (*table, error) {
	t := &table{file: s.rel, sheet: sheetName}
	var cols []int
	var colIndex map[int]int
	err := s.wb.Rows(sheetName, func(r sheet.Row) error {
		if t.headerRow == 0 {
			t.headerRow = r.Num
			for _, c := range r.Cells {
				t.headers = append(t.headers, fold.Clean(c.Value))
				t.headerCols = append(t.headerCols, c.Col)
			}
			var err error
			if cols, err = want(t); err != nil {
				return err
			}
			colIndex = map[int]int{}
			for i, c := range cols {
				if c > 0 {
					colIndex[c] = i
				}
			}
			return nil
		}
		row := tableRow{num: r.Num, vals: make([]string, len(cols))}
		any := false
		for _, c := range r.Cells {
			if i, ok := colIndex[c.Col]; ok {
				row.vals[i] = c.Value
				any = true
			}
		}
		if any {
			t.rows = append(t.rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, relabel(err, s.rel, s.rel)
	}
	if t.headerRow == 0 {
		return nil, &sheet.FileError{File: s.rel, Sheet: sheetName, Msg: "the sheet is empty; it needs a header row and one row per extract"}
	}
	fillMerged(t, s.wb.Merged(sheetName), cols)
	t.warnings = s.wb.Warnings()
	return t, nil
}

// fillMerged gives every cell of a merged range the value of its top-left
// cell, as a reviewer sees it in Excel.
func fillMerged(t *table, merged []sheet.Range, cols []int) {
	if len(merged) == 0 {
		return
	}
	byNum := make(map[int]int, len(t.rows))
	for i, r := range t.rows {
		byNum[r.num] = i
	}
	for _, m := range merged {
		top, ok := byNum[m.FromRow]
		if !ok {
			continue // the top-left cell holds nothing we read
		}
		for i, c := range cols {
			if c < m.FromCol || c > m.ToCol {
				continue
			}
			// The value sits in the top-left cell; for a range spanning
			// several wanted columns only the first column holds it.
			src := -1
			for j, cj := range cols {
				if cj == m.FromCol {
					src = j
				}
			}
			if src < 0 {
				continue
			}
			v := t.rows[top].vals[src]
			for rn := m.FromRow; rn <= m.ToRow; rn++ {
				ri, ok := byNum[rn]
				if !ok || (rn == m.FromRow && c == m.FromCol) {
					continue
				}
				if t.rows[ri].vals[i] == "" {
					t.rows[ri].vals[i] = v
				}
			}
		}
	}
}
