package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	kflate "github.com/klauspost/compress/flate"
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

// xlsxSheetNames names each table's sheet.
var xlsxSheetNames = map[string]string{
	"summary": "Summary", "studies": "Studies", "casp": "CASP", "themes": "Themes", "matrix": "Matrix",
	"codes": "Codes", "quotes": "Quotes", "evidence": "Evidence", "cerqual": "CERQual", "soqf": "SoQF",
	"sensitivity": "Sensitivity", "warnings": "Warnings",
}

// xlsxSheets are the workbook's sheets in the order of Tables: Summary,
// then Table S1, S2, … as the supplement numbers them. CERQual is always
// there, unnumbered and with its header only when no theme is assessed.
func xlsxSheets(r *synthesis.Result) []xlsxSheet {
	var out []xlsxSheet
	hasCERQual := false
	for _, t := range Tables(r) {
		if t.Name == "cerqual" {
			hasCERQual = true
		}
		if t.Name == "soqf" && !hasCERQual {
			out = append(out, xlsxSheet{xlsxSheetNames["cerqual"], cerqualTable(r)})
		}
		if name, ok := xlsxSheetNames[t.Name]; ok {
			out = append(out, xlsxSheet{name, t})
		}
	}
	return out
}

// XLSX writes synthesis.xlsx, a print-ready copy of the supplement's
// tables: one sheet per table in S-number order, each with its caption
// and note above the header row of every workbook synth writes
// (internal/workbook: bold, shaded, frozen), an autofilter, column widths
// from content, wrapped long text and row heights that fit it; analytical
// themes bold and sub-themes indented; the matrix shaded by count. Printed,
// each sheet is A4 with its header row repeated. Every user value is a
// string cell (never a formula); counts are numbers. The bytes depend only
// on r and DocTime: the zip is written in a fixed entry order with fixed
// timestamps (sortedZip).
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
	f.SetZipWriter(func(zw io.Writer) excelize.ZipWriter { return &sortedZip{w: zw, mod: t} })
	_, err := f.WriteTo(w)
	return err
}

// The fonts of synthesis.xlsx: Calibri (Carlito and Liberation Sans stand
// in for it where it is missing), 10 pt body, 12 pt caption, 9 pt note.
const (
	xlsxFont      = "Calibri"
	xlsxBodyPt    = 10
	xlsxCaptionPt = 12
	xlsxNotePt    = 9
	// xlsxLinePt is the height of one line of 10 pt text, with its leading.
	xlsxLinePt = 13
	// xlsxCellPadPt is a cell's room beside its text, left and right.
	xlsxCellPadPt = 5
	// xlsxMaxRowPt is the tallest row Excel allows.
	xlsxMaxRowPt = 409
)

// The rows above each table: its caption, its note, then the header.
const (
	captionRow = 1
	noteRow    = 2
	headerRow  = 3
)

// cellStyle is what a cell's look depends on; each distinct one becomes
// one excelize style, created on first use.
type cellStyle struct {
	header  bool
	caption bool
	note    bool
	bold    bool // an analytical theme's row
	wrap    bool
	indent  int
	heat    int // 0: none; 1..len(heatFills)
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
	font := &excelize.Font{Family: xlsxFont, Size: xlsxBodyPt, Bold: s.bold}
	st := &excelize.Style{Font: font, Alignment: &excelize.Alignment{Vertical: "top", WrapText: s.wrap, Indent: s.indent}}
	if s.indent > 0 {
		st.Alignment.Horizontal = "left" // Excel and LibreOffice indent only left-aligned text
	}
	switch {
	case s.header:
		st = workbook.Header() // the header of every workbook synth writes
		font.Bold = true
		st.Font = font
	case s.caption:
		font.Bold, font.Size = true, xlsxCaptionPt
		st.Alignment = &excelize.Alignment{Vertical: "bottom"}
	case s.note:
		font.Italic, font.Size = true, xlsxNotePt
		st.Alignment = &excelize.Alignment{Vertical: "top", WrapText: true}
	}
	if s.heat > 0 {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{heatFills[s.heat-1]}}
		if s.heat == len(heatFills) {
			font.Color, font.Bold = "FFFFFF", true
		}
	}
	id, err := x.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	x.styles[s] = id
	return id, nil
}

// Page geometry, in points: A4 with half-inch side margins.
const (
	a4ShortPt        = 595
	a4LongPt         = 842
	sideMarginInch   = 0.5
	minPrintScalePct = 80 // 80% of 10 pt is the 8 pt floor
)

// printablePt is the width a table may take on a page side long: the
// page less its margins, with a tenth to spare, since where Calibri is
// missing its stand-in prints wider.
func printablePt(side float64) float64 { return 0.9 * (side - 2*sideMarginInch*72) }

// colPoints is how wide a column of w characters prints: Excel's column
// unit is the width of a digit of the default font (7 px), plus 5 px of
// padding, at 0.75 pt a pixel.
func colPoints(w float64) float64 { return (w*7 + 5) * 0.75 }

// pageSetup prints a sheet on A4: portrait when it fits the width,
// landscape otherwise, fitted to the page width when it fits at full size
// or shrinking keeps the text at 8 pt or more, else across pages with the
// header row (and, with keepFirstCol, the first column) repeated.
func (x *xlsxWriter) pageSetup(name string, widths []float64, keepFirstCol bool) error {
	total := 0.0
	for _, w := range widths {
		total += colPoints(w)
	}
	orientation, scale := "portrait", 100
	fit := false
	if total > printablePt(a4ShortPt) {
		orientation = "landscape"
		// Fitted to the width when that keeps 8 pt text; a table that fits
		// at full size is fitted too, which changes nothing where Calibri
		// prints and keeps the last columns on the page where a wider
		// stand-in (DejaVu Sans) prints, instead of on pages of their own.
		avail := printablePt(a4LongPt)
		fit = total <= avail || int(100*avail/total) >= minPrintScalePct
	}
	paper, one, zero := 9, 1, 0 // 9: A4
	opts := &excelize.PageLayoutOptions{Size: &paper, Orientation: &orientation, AdjustTo: ptr(uint(scale))}
	if fit {
		opts = &excelize.PageLayoutOptions{Size: &paper, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}
	}
	if err := x.f.SetPageLayout(name, opts); err != nil {
		return err
	}
	if err := x.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	side, top, hf := sideMarginInch, 0.6, 0.3
	if err := x.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf}); err != nil {
		return err
	}
	if err := x.f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: "&L&8&A&R&8Page &P of &N"}); err != nil {
		return err
	}
	titles := fmt.Sprintf("'%s'!$%d:$%d", name, headerRow, headerRow)
	if keepFirstCol {
		titles = fmt.Sprintf("'%s'!$A:$A,", name) + titles
	}
	return x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: name})
}

// minPrintColWidth is the narrowest printWidths makes a column.
const minPrintColWidth = 20

// printWidths narrows the widest columns, down to minPrintColWidth and
// wrapping their text, until the table fits across a landscape A4 page at
// full size: long text then takes more lines instead of the table running
// across pages. The prose columns (the quoted words) are narrowed last, so
// that they keep what width the others can give up. It reports whether the
// table fits.
func printWidths(widths []float64, wrap, prose []bool) bool {
	avail := printablePt(a4LongPt)
	total := 0.0
	for _, w := range widths {
		total += colPoints(w)
	}
	for total > avail {
		widest := -1
		for _, last := range []bool{false, true} {
			for j, w := range widths {
				isProse := j < len(prose) && prose[j]
				if isProse == last && w > minPrintColWidth && (widest < 0 || w > widths[widest]) {
					widest = j
				}
			}
			if widest >= 0 {
				break
			}
		}
		if widest < 0 {
			return false
		}
		widths[widest]--
		wrap[widest] = true
		total -= 7 * 0.75
	}
	return true
}

func ptr[T any](v T) *T { return &v }

// rowHeight is the height of a row whose cells wrap to the most lines, in
// 10 pt text, bold or not (an analytical theme), extra being each cell's
// indent in characters.
func rowHeight(cells []string, widths []float64, wrap []bool, extra []int, bold bool) float64 {
	lines := 1
	for j, v := range cells {
		if j >= len(widths) || v == "" {
			continue
		}
		n := strings.Count(strings.ReplaceAll(v, "\r", "\n"), "\n") + 1
		if wrap[j] {
			n = textLines(v, colPoints(widths[j]-float64(extra[j])), xlsxBodyPt, bold)
		}
		lines = max(lines, n)
	}
	return min(float64(lines*xlsxLinePt+3), xlsxMaxRowPt)
}

// textLines is how many lines s wraps to in a cell widthPt points wide, in
// text of sizePt points: each of its lines broken at spaces where the next
// word would not fit, a word wider than the cell over as many lines as it
// takes. Words are measured in DejaVu Sans (textTwips), which LibreOffice
// prints where Calibri and Carlito are missing and which is wider than
// both, so no row is too short for its text in either.
func textLines(s string, widthPt, sizePt float64, bold bool) int {
	avail := max(widthPt-xlsxCellPadPt, 1)
	pt := func(w string) float64 { return float64(textTwips(w, bold)) / 20 * sizePt / 9 }
	space := pt(" ")
	n := 0
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\r", "\n"), "\n") {
		lines, cur := 1, 0.0
		for w := range strings.FieldsSeq(line) {
			ww := pt(w)
			switch {
			case cur == 0:
			case cur+space+ww <= avail:
				cur += space + ww
				continue
			default:
				lines++
			}
			// w starts a line; a word wider than the cell breaks over lines.
			extra := int(math.Ceil(ww/avail)) - 1
			lines += max(extra, 0)
			cur = ww - float64(max(extra, 0))*avail
		}
		n += lines
	}
	return max(n, 1)
}

// sheet writes one table with the stream writer: its caption, its note,
// then the header and the rows. Autofilter, page setup and panes are set
// before streaming because the stream writer copies them from the sheet as
// it starts.
func (x *xlsxWriter) sheet(name string, t Table) error {
	ncol := len(t.Header)
	if ncol == 0 {
		return nil
	}
	// A table longer than a sheet keeps its first rows and says where the
	// rest is, rather than failing the whole workbook.
	rows, dropped := t.Rows, 0
	if len(rows) > xlsxMaxRows-headerRow {
		rows = rows[:xlsxMaxRows-headerRow-1]
		dropped = len(t.Rows) - len(rows)
	}
	first, _ := excelize.CoordinatesToCellName(1, headerRow)
	last, err := excelize.CoordinatesToCellName(ncol, len(rows)+headerRow)
	if err != nil {
		return err
	}
	if err := x.f.AutoFilter(name, first+":"+last, nil); err != nil {
		return err
	}
	widths, wrap := columnWidths(t)
	fits := printWidths(widths, wrap, t.Prose)
	// Across pages, each page repeats the first column too (the study,
	// the theme), so that every row can be read.
	if err := x.pageSetup(name, widths, !fits); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	below, _ := excelize.CoordinatesToCellName(1, headerRow+1)
	panes := &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: below, ActivePane: "bottomLeft"}
	if t.Heat != nil {
		// The matrix keeps its theme column in view too.
		below, _ = excelize.CoordinatesToCellName(2, headerRow+1)
		panes = &excelize.Panes{Freeze: true, XSplit: 1, YSplit: headerRow, TopLeftCell: below, ActivePane: "bottomRight"}
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	for j, wd := range widths {
		if err := sw.SetColWidth(j+1, j+1, wd); err != nil {
			return err
		}
	}

	// The caption and the note are each merged across the first columns,
	// up to about a page's width; the note wraps there.
	noteCols, noteWidth := 0, 0.0
	for noteCols < ncol && (noteCols == 0 || noteWidth+widths[noteCols] <= 110) {
		noteWidth += widths[noteCols]
		noteCols++
	}
	cs, err := x.style(cellStyle{caption: true})
	if err != nil {
		return err
	}
	ns, err := x.style(cellStyle{note: true})
	if err != nil {
		return err
	}
	noteHeight := float64(xlsxLinePt + 3)
	if t.Note != "" {
		noteHeight = min(float64(textLines(t.Note, colPoints(noteWidth), xlsxNotePt, false)*(xlsxLinePt-1)+3), xlsxMaxRowPt)
	}
	for _, r := range []struct {
		row    int
		style  int
		text   string
		height float64
	}{{captionRow, cs, t.Caption(), 2 * xlsxLinePt}, {noteRow, ns, t.Note, noteHeight}} {
		cells := make([]any, noteCols)
		for j := range cells {
			cells[j] = excelize.Cell{StyleID: r.style}
		}
		cells[0] = excelize.Cell{StyleID: r.style, Value: r.text}
		start := "A" + strconv.Itoa(r.row)
		if err := sw.SetRow(start, cells, excelize.RowOpts{Height: r.height}); err != nil {
			return err
		}
		if noteCols > 1 {
			end, _ := excelize.CoordinatesToCellName(noteCols, r.row)
			if err := sw.MergeCell(start, end); err != nil {
				return err
			}
		}
	}

	hs, err := x.style(cellStyle{header: true})
	if err != nil {
		return err
	}
	row := make([]any, ncol)
	noExtra := make([]int, ncol)
	for j, h := range t.Header {
		row[j] = excelize.Cell{StyleID: hs, Value: h}
	}
	if err := sw.SetRow(first, row, excelize.RowOpts{StyleID: hs, Height: rowHeight(t.Header, widths, wrap, noExtra, true)}); err != nil {
		return err
	}
	extra := make([]int, ncol)
	for i, cells := range rows {
		clear(extra)
		bold := false
		if t.Indent != nil && i < len(t.Indent) {
			extra[t.IndentCol] = 2 * t.Indent[i]
			bold = t.Indent[i] == 0 // an analytical theme
		}
		for j := range row {
			v := ""
			if j < len(cells) {
				v = cells[j]
			}
			cs := cellStyle{wrap: wrap[j], bold: bold}
			if j == t.IndentCol && t.Indent != nil && i < len(t.Indent) {
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
		cell, _ := excelize.CoordinatesToCellName(1, i+headerRow+1)
		if err := sw.SetRow(cell, row, excelize.RowOpts{Height: rowHeight(cells, widths, wrap, extra, bold)}); err != nil {
			return err
		}
	}
	if dropped > 0 {
		cell, _ := excelize.CoordinatesToCellName(1, len(rows)+headerRow+1)
		msg := fmt.Sprintf("… %d more rows do not fit in a worksheet (Excel holds %d rows); all rows are in csv/%s.csv and synthesis.json.", dropped, xlsxMaxRows, t.Name)
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: ns, Value: msg}}); err != nil {
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
		w += runeWidth(r)
	}
	return w
}

// runeWidth is a character's width in terminal columns: 2 for wide CJK
// and emoji, 0 for a combining mark, else 1.
func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) ||
		unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		r >= 0xFF00 && r <= 0xFF60 || r >= 0x1F300 && r <= 0x1FAFF):
		return 2
	case unicode.Is(unicode.Mn, r):
		return 0
	}
	return 1
}

// sortedZip is the zip writer excelize saves synthesis.xlsx through
// (File.SetZipWriter). It deflates each part as excelize writes it, with
// klauspost/compress as supplement.docx's parts are (compress/flate, which
// excelize's default zip writer uses, took about twice as long), and at
// Close writes the parts in a fixed order, [Content_Types].xml first and
// then by name, with every timestamp mod: excelize writes streamed sheets
// in map order, and the same workbook content must give the same bytes.
// A part's deflated bytes are held until Close, as excelize holds the
// whole zip anyway.
type sortedZip struct {
	w     io.Writer
	mod   time.Time
	parts []*zipPart
	fw    *kflate.Writer // one compressor for every part, reset for each
}

// zipPart is one part being deflated: its bytes deflated so far, their
// CRC-32 and size before deflating.
type zipPart struct {
	name string
	data bytes.Buffer
	fw   *kflate.Writer
	crc  uint32
	size uint64
}

func (p *zipPart) Write(b []byte) (int, error) {
	if p.fw == nil {
		// As archive/zip's writer: the next part has begun.
		return 0, fmt.Errorf("synthesis.xlsx: %s written to after the next part began", p.name)
	}
	n, err := p.fw.Write(b)
	p.crc = crc32.Update(p.crc, crc32.IEEETable, b[:n])
	p.size += uint64(n)
	return n, err
}

// Create begins part name, ending the one before.
func (z *sortedZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &zipPart{name: name}
	if z.fw == nil {
		fw, err := kflate.NewWriter(&p.data, kflate.DefaultCompression)
		if err != nil {
			return nil, err
		}
		z.fw = fw
	} else {
		z.fw.Reset(&p.data)
	}
	p.fw = z.fw
	z.parts = append(z.parts, p)
	return p, nil
}

// finish ends the last part begun, if any.
func (z *sortedZip) finish() error {
	if n := len(z.parts); n > 0 && z.parts[n-1].fw != nil {
		p := z.parts[n-1]
		err := p.fw.Close()
		p.fw = nil
		return err
	}
	return nil
}

// AddFS is part of excelize.ZipWriter; excelize does not call it when it
// saves a workbook.
func (z *sortedZip) AddFS(fs.FS) error {
	return errors.New("synthesis.xlsx: adding a file system to the workbook is not supported")
}

// Close writes the zip.
func (z *sortedZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	sort.SliceStable(z.parts, func(i, j int) bool {
		a, b := z.parts[i].name, z.parts[j].name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	dosDate, dosTime := zipTime(z.mod)
	zw := zip.NewWriter(z.w)
	for _, p := range z.parts {
		fw, err := zw.CreateRaw(&zip.FileHeader{
			Name:               p.name,
			Method:             zip.Deflate,
			ModifiedDate:       dosDate,
			ModifiedTime:       dosTime,
			CRC32:              p.crc,
			CompressedSize64:   uint64(p.data.Len()),
			UncompressedSize64: p.size,
		})
		if err != nil {
			return err
		}
		if _, err := p.data.WriteTo(fw); err != nil {
			return err
		}
		p.data = bytes.Buffer{} // written: its memory can go
	}
	return zw.Close()
}

// zipTime is mod as the MS-DOS date and time fields of a zip entry, which
// zip.Writer's CreateRaw and CreateHeader (with Modified unset) write as
// given, without the extended timestamp the Modified field adds; mod is
// clamped to the range those fields hold, 1980 to 2107.
func zipTime(mod time.Time) (date, clock uint16) {
	if floor := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC); mod.Before(floor) {
		mod = floor
	}
	if ceil := time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC); mod.After(ceil) {
		mod = ceil
	}
	date = uint16(mod.Year()-1980)<<9 | uint16(mod.Month())<<5 | uint16(mod.Day())
	clock = uint16(mod.Hour())<<11 | uint16(mod.Minute())<<5 | uint16(mod.Second()/2)
	return date, clock
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
