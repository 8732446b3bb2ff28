package sheet

// Placeholder: a workbook read through excelize, to be replaced by the
// streaming reader.

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

type excelWorkbook struct {
	path   string
	f      *excelize.File
	sheets []Info
}

// OpenXLSX opens a workbook.
func OpenXLSX(path string, opts Options) (Workbook, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, &FileError{File: path, Msg: "cannot be read as an xlsx workbook: " + err.Error()}
	}
	wb := &excelWorkbook{path: path, f: f}
	for _, name := range f.GetSheetList() {
		vis, _ := f.GetSheetVisible(name)
		wb.sheets = append(wb.sheets, Info{Name: name, Hidden: !vis})
	}
	if len(wb.sheets) == 0 {
		return nil, &FileError{File: path, Msg: "the workbook lists no sheets"}
	}
	return wb, nil
}

func (wb *excelWorkbook) Sheets() []Info { return wb.sheets }

func (wb *excelWorkbook) Rows(sheet string, fn func(Row) error) error {
	found := false
	for _, s := range wb.sheets {
		if s.Name == sheet {
			found = true
		}
	}
	if !found {
		return SheetNotFound(wb.path, sheet, wb.sheets)
	}
	rows, err := wb.f.Rows(sheet)
	if err != nil {
		return &FileError{File: wb.path, Sheet: sheet, Msg: err.Error()}
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cols, err := rows.Columns()
		if err != nil {
			return &FileError{File: wb.path, Sheet: sheet, Msg: err.Error()}
		}
		var r Row
		r.Num = n
		for i, v := range cols {
			if v != "" {
				r.Cells = append(r.Cells, Cell{Col: i + 1, Value: strings.ReplaceAll(v, "\r\n", "\n")})
			}
		}
		if len(r.Cells) > 0 {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return rows.Error()
}

func (wb *excelWorkbook) Merged(sheet string) []Range {
	mc, err := wb.f.GetMergeCells(sheet)
	if err != nil {
		return nil
	}
	var out []Range
	for _, m := range mc {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil {
			out = append(out, Range{c1, r1, c2, r2})
		}
	}
	return out
}

func (wb *excelWorkbook) Warnings() []Warning { return nil }
func (wb *excelWorkbook) Close() error        { return wb.f.Close() }

var _ = errors.New
var _ = fmt.Sprint
var _ = filepath.Base
