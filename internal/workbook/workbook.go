// Package workbook is the one xlsx writer behind every workbook synth
// writes: the extracts template of synth init, the extracts workbook of
// synth import, and the look of synthesis.xlsx (export), which streams its
// sheets and takes its header style and frozen header from here.
//
// Every workbook has a bold, shaded header row that stays in view, text
// wrapped and aligned to the top, and user text in string cells only: a
// value that starts with = is text, never a formula, and text that looks
// like an OOXML escape (_x000D_) stays as written.
package workbook

import (
	"bytes"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Header is the style of a header row.
func Header() *excelize.Style {
	return &excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	}
}

// Body is the style of the cells below the header.
func Body() *excelize.Style {
	return &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}
}

// FrozenHeader keeps the header row in view while the rows scroll.
func FrozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
}

// Created is the document time of the workbooks Write makes: fixed, so that
// the same rows give the same bytes.
const Created = "2000-01-01T00:00:00Z"

// Book is a workbook to write.
type Book struct {
	Title  string
	Sheets []Sheet // in order; the first is active
}

// Sheet is one worksheet: a header row and rows of user text.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]string // "" is a blank cell
	// Widths are column widths in characters, by column; later columns
	// are DefaultWidth wide.
	Widths       []float64
	DefaultWidth float64
	Lists        []List
}

// List is a drop-down list of the values a range of cells takes.
type List struct {
	Range  string // e.g. E2:E1000
	Values []string
}

// Write writes b as an xlsx file.
func Write(b Book) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(Header())
	if err != nil {
		return nil, err
	}
	body, err := f.NewStyle(Body())
	if err != nil {
		return nil, err
	}
	for i, s := range b.Sheets {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), s.Name)
		} else {
			_, err = f.NewSheet(s.Name)
		}
		if err != nil {
			return nil, err
		}
		if err := writeSheet(f, s, header, body); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "synth", Title: b.Title, Created: Created, Modified: Created}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeSheet(f *excelize.File, s Sheet, header, body int) error {
	ncol := len(s.Header)
	if ncol == 0 {
		return nil
	}
	for r, row := range append([][]string{s.Header}, s.Rows...) {
		for c, v := range row {
			if v == "" {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(s.Name, cell, EscapeOOXML(v)); err != nil {
				return err
			}
		}
	}
	for i := range ncol {
		col, _ := excelize.ColumnNumberToName(i + 1)
		w := s.DefaultWidth
		if i < len(s.Widths) {
			w = s.Widths[i]
		}
		if err := f.SetColWidth(s.Name, col, col, w); err != nil {
			return err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(ncol)
	if err := f.SetColStyle(s.Name, "A:"+lastCol, body); err != nil {
		return err
	}
	if err := f.SetCellStyle(s.Name, "A1", lastCol+"1", header); err != nil {
		return err
	}
	if err := f.SetPanes(s.Name, FrozenHeader()); err != nil {
		return err
	}
	for _, l := range s.Lists {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = l.Range
		if err := dv.SetDropList(l.Values); err != nil {
			return err
		}
		if err := f.AddDataValidation(s.Name, dv); err != nil {
			return err
		}
	}
	return nil
}

// EscapeOOXML keeps text that looks like an OOXML character escape
// (_x000D_, ECMA-376 Part 1 §22.9.2.19) from being read as one: the "_"
// that starts it is itself escaped as _x005F_. excelize writes strings as
// given, and every reader, synth's included, decodes the escapes.
func EscapeOOXML(s string) string {
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]) && isHex(s[i+4]) && isHex(s[i+5]) && s[i+6] == '_' {
			b.WriteString("_x005F_")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
