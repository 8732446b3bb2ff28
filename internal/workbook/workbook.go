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
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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
	Sheets []Sheet // in order; the first is active (so it must not be Hidden)
	// Names are workbook-wide defined names, e.g. the range a drop-down
	// list reads.
	Names []Name
}

// Name is a defined name: Name stands for RefersTo, a range such as
// 'Code list'!$A$2:$A$501 (ECMA-376 Part 1 §18.2.5).
type Name struct {
	Name, RefersTo string
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
	// Hidden hides the sheet (state "hidden": Excel's Unhide shows it again).
	Hidden bool
}

// List is a drop-down list of the values a range of cells takes: a data
// validation of type list (ECMA-376 Part 1 §18.3.1.32).
type List struct {
	Range string // e.g. E2:E1000
	// Values are the list itself, written into the validation. Excel
	// limits such an inline list to 255 characters in all; longer lists
	// take Source.
	Values []string
	// Source, when not "", is where the list's values are instead: a
	// defined name (see Book.Names) or a range such as 'Code list'!$A$2:$A$9,
	// which may hold any number of values.
	Source string
	// Style is what Excel does with a value not in the list: Stop (the
	// default: refuse it), Warning (ask) or Information (tell, and keep
	// it).
	Style ErrorStyle
	// Prompt is shown when a cell of Range is selected; Error when a value
	// not in the list is typed ("" for Excel's own message).
	Prompt, Error string
}

// ErrorStyle is how a drop-down list treats a value not in it.
type ErrorStyle int

const (
	Stop ErrorStyle = iota
	Warning
	Information
)

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
	for _, s := range b.Sheets {
		if s.Hidden {
			if err := f.SetSheetVisible(s.Name, false); err != nil {
				return nil, err
			}
		}
	}
	for _, n := range b.Names {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: n.Name, RefersTo: n.RefersTo}); err != nil {
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
			text := EscapeOOXML(v)
			if err := fitsCell(text); err != nil {
				return fmt.Errorf("sheet %s, cell %s: %w", s.Name, cell, err)
			}
			if err := f.SetCellStr(s.Name, cell, text); err != nil {
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
		dv, err := dataValidation(l)
		if err != nil {
			return fmt.Errorf("sheet %s, list at %s: %w", s.Name, l.Range, err)
		}
		if err := f.AddDataValidation(s.Name, dv); err != nil {
			return err
		}
	}
	return nil
}

// dataValidation is l as excelize writes it; an inline list longer than
// Excel allows is an error (give Source instead).
func dataValidation(l List) (*excelize.DataValidation, error) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = l.Range
	if l.Source != "" {
		dv.SetSqrefDropList(l.Source)
	} else if err := dv.SetDropList(l.Values); err != nil {
		return nil, err
	}
	style := map[ErrorStyle]excelize.DataValidationErrorStyle{
		Stop: excelize.DataValidationErrorStyleStop, Warning: excelize.DataValidationErrorStyleWarning,
		Information: excelize.DataValidationErrorStyleInformation,
	}[l.Style]
	if l.Style != Stop || l.Error != "" {
		dv.SetError(style, "", l.Error)
	}
	if l.Prompt != "" {
		dv.SetInput("", l.Prompt)
	}
	return dv, nil
}

// EscapeOOXML keeps text that looks like an OOXML character escape
// (_x000D_, ECMA-376 Part 1 §22.9.2.19) from being read as one: the "_"
// that starts it is itself escaped as _x005F_. It writes the characters
// that XML 1.0 cannot hold (control characters other than tab, line feed
// and carriage return; U+FFFE and U+FFFF) as such escapes, _x0007_, where
// excelize and encoding/xml would write U+FFFD in their place. excelize
// writes strings as given, and every reader, synth's included, decodes the
// escapes.
func EscapeOOXML(s string) string {
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	if !strings.Contains(s, "_x") && !strings.ContainsFunc(s, notXMLChar) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		// An escape's look: _xHHHH then "_", or a character that is
		// written as an escape, which starts with one.
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]) && isHex(s[i+4]) && isHex(s[i+5]) &&
			(s[i+6] == '_' || notXMLChar(firstRune(s[i+6:]))) {
			b.WriteString("_x005F_")
			continue
		}
		if r, n := utf8.DecodeRuneInString(s[i:]); notXMLChar(r) {
			fmt.Fprintf(&b, "_x%04X_", r)
			i += n - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// fitsCell refuses text (as written, escapes and all) longer than a cell
// holds: 32,767 characters, counted as Excel does in UTF-16 units.
// excelize would cut it short without a word.
func fitsCell(text string) error {
	if len(text) <= excelize.TotalCellChars {
		return nil // a character's UTF-16 units never outnumber its UTF-8 bytes
	}
	n := 0
	for _, r := range text {
		n += utf16.RuneLen(r)
	}
	if n > excelize.TotalCellChars {
		return fmt.Errorf("%d characters; a cell holds at most %d", n, excelize.TotalCellChars)
	}
	return nil
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// notXMLChar reports whether XML 1.0 has no place for r in text (§2.2,
// Char); invalid UTF-8 is left to the XML writer.
func notXMLChar(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}
