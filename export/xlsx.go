package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/synth-qda/synth/internal/workbook"
	"github.com/synth-qda/synth/synthesis"
)

// Column widths in characters: from content, within these bounds; wider
// content wraps.
const (
	minColWidth = 10
	maxColWidth = 80
)

// xlsxMaxRows is the most rows a worksheet holds (Excel's limit); a var so
// tests can lower it.
var xlsxMaxRows = excelize.TotalRows

// xlsxSheet pairs a sheet name with the table it shows.
type xlsxSheet struct {
	name  string
	table Table
}

// xlsxSheets are the workbook's sheets in order: Summary, Themes, Matrix,
// Evidence, Quotes, Studies, Codes, CERQual, SoQF, Sensitivity (only with a
// sensitivity analysis), Warnings. CERQual is always there, with its header
// only when no theme is assessed. The Studies sheet holds every study
// column, CASP answers included.
func xlsxSheets(r *synthesis.Result) []xlsxSheet {
	byName := map[string]Table{}
	for _, t := range Tables(r) {
		byName[t.Name] = t
	}
	if _, ok := byName["cerqual"]; !ok {
		byName["cerqual"] = cerqualTable(r)
	}
	var out []xlsxSheet
	for _, s := range []struct{ sheet, table string }{
		{"Summary", "summary"}, {"Themes", "themes"}, {"Matrix", "matrix"}, {"Evidence", "evidence"},
		{"Quotes", "quotes"}, {"Studies", "studies"}, {"Codes", "codes"}, {"CERQual", "cerqual"},
		{"SoQF", "soqf"}, {"Sensitivity", "sensitivity"}, {"Warnings", "warnings"},
	} {
		if t, ok := byName[s.table]; ok {
			out = append(out, xlsxSheet{s.sheet, t})
		}
	}
	return out
}

// XLSX writes synthesis.xlsx: one sheet per table with the header row of
// every workbook synth writes (internal/workbook: bold, shaded, frozen), an
// autofilter, column widths from content and wrapped long text; theme
// names indented by depth; the matrix shaded by count. Every
// user value is a string cell (never a formula); counts are numbers. The
// bytes depend only on r and DocTime: the zip is rewritten in a fixed entry
// order with fixed timestamps.
func XLSX(w io.Writer, r *synthesis.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	sheets := xlsxSheets(r)
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), s.name); err != nil {
				return err
			}
			continue
		}
		if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
	}
	x := &xlsxWriter{f: f, styles: map[cellStyle]int{}}
	for _, s := range sheets {
		if err := x.sheet(s.name, s.table); err != nil {
			return fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	f.SetActiveSheet(0)
	t := DocTime()
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          r.Title,
		Subject:        "Thematic synthesis",
		Creator:        "synth",
		LastModifiedBy: "synth",
		Created:        t.Format(time.RFC3339),
		Modified:       t.Format(time.RFC3339),
	}); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	return rezip(w, buf.Bytes(), t)
}

// cellStyle is what a cell's look depends on; each distinct one becomes
// one excelize style, created on first use.
type cellStyle struct {
	header bool
	wrap   bool
	indent int
	heat   int // 0: none; 1..len(heatFills)
}

// heatFills shade matrix cells: 1, 2, 3–4, 5–9, 10+ extracts.
var heatFills = []string{"DEEBF7", "C6DBEF", "9ECAE1", "6BAED6", "4292C6"}

func heatBucket(n float64) int {
	switch {
	case n <= 0:
		return 0
	case n < 2:
		return 1
	case n < 3:
		return 2
	case n < 5:
		return 3
	case n < 10:
		return 4
	}
	return 5
}

type xlsxWriter struct {
	f      *excelize.File
	styles map[cellStyle]int
}

func (x *xlsxWriter) style(s cellStyle) (int, error) {
	if id, ok := x.styles[s]; ok {
		return id, nil
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: s.wrap, Indent: s.indent}}
	if s.header {
		st = workbook.Header() // the header of every workbook synth writes
	}
	if s.heat > 0 {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{heatFills[s.heat-1]}}
		if s.heat == len(heatFills) {
			st.Font = &excelize.Font{Color: "FFFFFF", Bold: true}
		}
	}
	id, err := x.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	x.styles[s] = id
	return id, nil
}

// sheet writes one table with the stream writer. Autofilter and panes are
// set before streaming because the stream writer copies them from the
// sheet as it starts.
func (x *xlsxWriter) sheet(name string, t Table) error {
	ncol := len(t.Header)
	if ncol == 0 {
		return nil
	}
	// A table longer than a sheet keeps its first rows and says where the
	// rest is, rather than failing the whole workbook.
	rows, dropped := t.Rows, 0
	if len(rows) > xlsxMaxRows-1 {
		rows = rows[:xlsxMaxRows-2]
		dropped = len(t.Rows) - len(rows)
	}
	last, err := excelize.CoordinatesToCellName(ncol, len(rows)+1)
	if err != nil {
		return err
	}
	if err := x.f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	// Printed, a table is landscape, as wide as the page, the header
	// repeated on every page.
	landscape, one, zero := "landscape", 1, 0
	if err := x.f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	if err := x.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", name), Scope: name}); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	panes := workbook.FrozenHeader()
	if t.Heat != nil {
		// The matrix keeps its theme column in view too.
		panes = &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	widths, wrap := columnWidths(t)
	for j, wd := range widths {
		if err := sw.SetColWidth(j+1, j+1, wd); err != nil {
			return err
		}
	}
	hs, err := x.style(cellStyle{header: true})
	if err != nil {
		return err
	}
	row := make([]any, ncol)
	for j, h := range t.Header {
		row[j] = excelize.Cell{StyleID: hs, Value: h}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{StyleID: hs}); err != nil {
		return err
	}
	for i, cells := range rows {
		for j := range row {
			v := ""
			if j < len(cells) {
				v = cells[j]
			}
			cs := cellStyle{wrap: wrap[j]}
			if t.Indent != nil && j == t.IndentCol && i < len(t.Indent) {
				cs.indent = t.Indent[i]
			}
			var value any = fitCell(v) // user text: always a string cell, never a formula
			if v == "" {
				value = nil // no value, only the style
			}
			if t.IsNumber(i, j) {
				if n, ok := number(v); ok {
					value = n
					if j < len(t.Heat) && t.Heat[j] {
						cs.heat = heatBucket(n)
					}
				}
			}
			id, err := x.style(cs)
			if err != nil {
				return err
			}
			row[j] = excelize.Cell{StyleID: id, Value: value}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if dropped > 0 {
		cell, _ := excelize.CoordinatesToCellName(1, len(rows)+2)
		msg := fmt.Sprintf("… %d more rows do not fit in a worksheet (Excel holds %d rows); all rows are in csv/%s.csv and synthesis.json.", dropped, xlsxMaxRows, t.Name)
		if err := sw.SetRow(cell, []any{msg}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// number parses a count or share synth formatted.
func number(s string) (float64, bool) {
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

// columnWidths sizes each column to its longest line (header included),
// within minColWidth..maxColWidth; a column whose text is longer than the
// maximum or holds line breaks wraps.
func columnWidths(t Table) ([]float64, []bool) {
	n := len(t.Header)
	chars := make([]int, n)
	wrap := make([]bool, n)
	measure := func(j int, s string, extra int) {
		if chars[j] > maxColWidth {
			return // already as wide as a column gets, and wrapped
		}
		if !strings.ContainsAny(s, "\r\n") {
			chars[j] = max(chars[j], textWidth(s)+extra)
			return
		}
		wrap[j] = true
		for line := range strings.SplitSeq(strings.ReplaceAll(s, "\r", "\n"), "\n") {
			chars[j] = max(chars[j], textWidth(line)+extra)
		}
	}
	for j, h := range t.Header {
		measure(j, h, 0)
	}
	for i, row := range t.Rows {
		for j := 0; j < n && j < len(row); j++ {
			extra := 0
			if t.Indent != nil && j == t.IndentCol && i < len(t.Indent) {
				extra = 2 * t.Indent[i]
			}
			measure(j, row[j], extra)
		}
	}
	widths := make([]float64, n)
	for j, c := range chars {
		c += 2
		if c > maxColWidth {
			c, wrap[j] = maxColWidth, true
		}
		widths[j] = float64(max(c, minColWidth))
	}
	return widths, wrap
}

// textWidth approximates how many character cells s takes: East Asian
// wide characters count two.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) ||
			unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
			r >= 0xFF00 && r <= 0xFF60 || r >= 0x1F300 && r <= 0x1FAFF):
			w += 2
		case unicode.Is(unicode.Mn, r):
		default:
			w++
		}
	}
	return w
}

// rezip rewrites a zip with its entries in a fixed order ([Content_Types].xml
// first, then by name) and every timestamp set to mod, so the same workbook
// content always gives the same bytes: excelize orders streamed sheets by
// map iteration. Entries are copied compressed, as they are.
func rezip(w io.Writer, data []byte, mod time.Time) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	if floor := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC); mod.Before(floor) {
		mod = floor // the earliest time a zip entry can hold
	}
	if ceil := time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC); mod.After(ceil) {
		mod = ceil // the latest
	}
	// CreateRaw writes the MS-DOS time fields as given.
	dosDate := uint16(mod.Year()-1980)<<9 | uint16(mod.Month())<<5 | uint16(mod.Day())
	dosTime := uint16(mod.Hour())<<11 | uint16(mod.Minute())<<5 | uint16(mod.Second()/2)
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	zw := zip.NewWriter(w)
	for _, zf := range files {
		fw, err := zw.CreateRaw(&zip.FileHeader{
			Name:               zf.Name,
			Method:             zf.Method,
			ModifiedDate:       dosDate,
			ModifiedTime:       dosTime,
			CRC32:              zf.CRC32,
			CompressedSize64:   zf.CompressedSize64,
			UncompressedSize64: zf.UncompressedSize64,
		})
		if err != nil {
			return err
		}
		rc, err := zf.OpenRaw()
		if err != nil {
			return err
		}
		if _, err := io.Copy(fw, rc); err != nil {
			return err
		}
	}
	return zw.Close()
}

// xlsxMaxCellChars is the most characters an xlsx cell holds (Excel's limit;
// excelize cuts longer text silently).
const xlsxMaxCellChars = 32767

const cutNote = " … [cut at Excel's cell limit; the full text is in synthesis.json and csv/]"

// fitCell cuts text longer than a cell can hold and says so in the cell, so
// that nothing is lost without a word.
func fitCell(v string) string {
	if utf8.RuneCountInString(v) <= xlsxMaxCellChars {
		return v
	}
	keep := xlsxMaxCellChars - utf8.RuneCountInString(cutNote)
	n := 0
	for i := range v {
		if n == keep {
			return v[:i] + cutNote
		}
		n++
	}
	return v
}
