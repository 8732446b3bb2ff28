package export

// supplement.docx is WordprocessingML (ECMA-376 Part 1, transitional, as
// Word and LibreOffice read it) written here with archive/zip and
// encoding/xml's escaping rather than through a library. Of the Go
// libraries there are without a paid licence, github.com/gomutex/godocx
// v0.1.5 (last release 2024-09) has sections with an orientation and
// tblHeader rows, but reads pictures only from a file path, has no field
// (fldChar, fldSimple) for numbered captions, and starts every document
// from its own template (917 KB of parts, with "gomutex" as the author);
// github.com/fumiama/go-docx has no page orientation, no repeated header
// row and no section per page layout. What the supplement needs is a small
// subset of the format, listed in docxParts.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	kflate "github.com/klauspost/compress/flate"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/synth-qda/synth/synthesis"
)

// Page geometry of supplement.docx in twips (1/20 pt): A4, 2 cm margins.
const (
	docxPageShort = 11906 // 210 mm
	docxPageLong  = 16838 // 297 mm
	docxMargin    = 1134  // 2 cm
	docxFooter    = 567   // footer 1 cm from the page edge
	// docxCellPad is a cell's left plus right margin.
	docxCellPad = 2 * 85
	// docxLineTwips is the height of a line of 9 pt table text.
	docxLineTwips = 220
	// docxMaxLineTwips is the longest line a column is sized for before
	// its text wraps (11.5 cm); docxMaxWordTwips the longest word it keeps
	// whole (5 cm): a longer one, a web address, may break.
	docxMaxLineTwips = 6520
	docxMaxWordTwips = 2835
	// docxKeepLines is the most lines a row keeps on one page; a longer
	// row may run on to the next, so no page is left half empty.
	docxKeepLines = 6
	// docxMaxPortraitCols is the most columns a table prints portrait with.
	docxMaxPortraitCols = 6
	// docxMaxHeaderTwips is the tallest a header row of turned labels is
	// made (5 cm); a longer label wraps.
	docxMaxHeaderTwips = 2835
	// docxIndentTwips indents a sub-theme per level of depth (0.4 cm).
	docxIndentTwips = 227
	docxEMUPerTwip  = 635 // English Metric Units (DrawingML) per twip
)

// docxTextWidth is the width between the margins of a page, in twips.
func docxTextWidth(landscape bool) int {
	if landscape {
		return docxPageLong - 2*docxMargin
	}
	return docxPageShort - 2*docxMargin
}

// docxTextHeight is the height between the top and bottom margins.
func docxTextHeight(landscape bool) int {
	if landscape {
		return docxPageShort - 2*docxMargin
	}
	return docxPageLong - 2*docxMargin
}

// docxFigure is a figure of the supplement: its caption, a note, and the
// PNG with its pixel size.
type docxFigure struct {
	number        int
	title, note   string
	file          string // under word/media/
	data          []byte
	width, height int // pixels
}

func (f docxFigure) caption() string { return figureCaption(f.number, f.title) }

// The supplement's figures, in their order (Figure S1, S2), as docx and
// report.html number them: the theme map, then the PRISMA diagram when
// there are counts.
const (
	themeMapTitle = "Theme map"
	prismaTitle   = "PRISMA 2020 flow diagram"
)

// figureCaption is a figure's caption: "Figure S1. Theme map".
func figureCaption(n int, title string) string {
	return "Figure S" + strconv.Itoa(n) + ". " + title
}

// landscape: a figure wider than tall takes a landscape page.
func (f docxFigure) landscape() bool { return f.width > f.height }

// docxTables are the tables of supplement.docx: Tables without the
// warnings, which are for the reviewer, not the journal, and without the
// summary's count of them.
// The studies table leaves the CASP answers to the CASP table, as
// report.html does.
func docxTables(r *synthesis.Result) []Table {
	var out []Table
	tables := Tables(r)
	for _, t := range tables {
		switch t.Name {
		case "warnings":
			continue
		case "studies":
			for _, c := range tables {
				if c.Name == "casp" {
					t = besideCASP(t, c, r.CASP)
				}
			}
		case "summary":
			var rows [][]string
			for _, row := range t.Rows {
				if row[0] != warningsItem && row[0] != noteItem {
					rows = append(rows, row)
				}
			}
			t.Rows = rows
		}
		if t.Group {
			t = ungroup(t)
		}
		out = append(out, t)
	}
	return out
}

// ungroup is a Group table without its column 0, whose value heads each
// run of rows instead: a page of extracts then gives their words the width
// a theme's name took on every row.
func ungroup(t Table) Table {
	out := t
	out.Group = false
	out.Header = t.Header[1:]
	drop := func(b []bool) []bool {
		if len(b) > 1 {
			return b[1:]
		}
		return nil
	}
	out.Numeric, out.Heat, out.Prose = drop(t.Numeric), drop(t.Heat), drop(t.Prose)
	out.Rows, out.heads = make([][]string, len(t.Rows)), make([]string, len(t.Rows))
	for i, row := range t.Rows {
		if len(row) == 0 {
			continue
		}
		if i == 0 || len(t.Rows[i-1]) == 0 || t.Rows[i-1][0] != row[0] {
			out.heads[i] = row[0]
		}
		out.Rows[i] = row[1:]
	}
	return out
}

// docxFigures renders the figures: the theme map, and the PRISMA 2020 flow
// diagram when the project gives PRISMA counts.
func docxFigures(r *synthesis.Result) ([]docxFigure, error) {
	var figs []docxFigure
	add := func(title, note, file string, data []byte) error {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", title, err)
		}
		figs = append(figs, docxFigure{number: len(figs) + 1, title: title, note: note, file: file,
			data: data, width: cfg.Width, height: cfg.Height})
		return nil
	}
	theme, prisma, err, perr := drawBoth(
		func() ([]byte, error) { return ThemeMapPNG(r, MapOptions{}) },
		func() ([]byte, error) { return PRISMAPNG(r) })
	if err != nil {
		return nil, fmt.Errorf("theme map: %w", err)
	}
	if err := add(themeMapTitle, "Analytical themes and the descriptive themes they interpret, in codebook order; "+
		"each box gives the theme's support (studies and extracts over its codes and its sub-themes' codes).", "theme-map.png", theme); err != nil {
		return nil, err
	}
	if err := perr; err != nil {
		return nil, fmt.Errorf("PRISMA flow diagram: %w", err)
	}
	if prisma != nil {
		if err := add(prismaTitle, prismaNote(r.PRISMA), "prisma.png", prisma); err != nil {
			return nil, err
		}
	}
	return figs, nil
}

// DOCX writes supplement.docx, the journal supplement as a Word document
// (ECMA-376 WordprocessingML, transitional), A4:
//
//   - a title page: the review's title, "Supplementary material" and the
//     list of the tables and figures;
//   - each table of Tables but the warnings, as md, csv and xlsx show it,
//     under a caption in Word's Caption style whose number is a SEQ field
//     with its result filled in ("Table S1. Study characteristics"), with
//     the table's note under it. Header rows repeat on each page a table
//     runs over; rows of up to docxKeepLines lines are kept on one page,
//     longer ones may run on; a Group table (quotes, evidence) prints its
//     column 0 once, as a heading row above its run; counts are right-aligned; analytical themes bold and sub-themes
//     indented; the matrix shaded by count;
//   - the theme map (Figure S1) and, with PRISMA counts, the PRISMA 2020
//     flow diagram (Figure S2), as PNG pictures fitted to the page.
//
// No column is narrower than its longest word (up to 5 cm, in 9 pt text),
// so no word breaks in the middle. A table prints on landscape pages when
// it has more than six columns, or when those least widths are wider than
// a portrait page's 17 cm of text; the widest free-text columns wrap to
// fit. A figure prints landscape when it is wider than tall. Each table and figure starts a
// page. The page number is in the footer.
//
// User text is escaped for XML; line breaks become Word line breaks and
// tabs Word tabs. Characters XML 1.0 cannot hold (C0 controls other than
// tab and line breaks, U+FFFE, U+FFFF, unpaired surrogates) and invalid
// UTF-8 become U+FFFD, so that nothing disappears unseen; vertical tab and
// form feed, which Word writes for manual line and page breaks, become
// line breaks.
//
// The bytes depend only on r and DocTime: parts in a fixed order, each zip
// entry and the document properties dated DocTime.
func DOCX(w io.Writer, r *synthesis.Result) error {
	// The figures are drawn (or awaited, when the png format draws them)
	// while the tables are made.
	var figs []docxFigure
	var err error
	drawn := make(chan struct{})
	go func() {
		defer close(drawn)
		figs, err = docxFigures(r)
	}()
	tables := docxTables(r)
	if <-drawn; err != nil {
		return err
	}
	// document.xml is written into its zip entry as it is made: held
	// whole, it was some 400 MB at 100,000 extracts.
	return docxPackage(w, r, func(out io.Writer) error {
		d := &docxWriter{b: bufio.NewWriterSize(out, 64<<10)}
		d.document(r, tables, figs)
		return d.b.Flush()
	}, figs)
}

// docxWriter writes word/document.xml to b.
type docxWriter struct {
	b *bufio.Writer
}

// docxPart is one run of pages of the document: the title page, a table,
// a figure.
type docxPart struct {
	landscape bool
	// write writes the part; newPage: it starts a section, so needs no
	// page break; sect: a section's properties for the last paragraph,
	// when the section ends with the part.
	write func(newPage bool, sect string)
}

func (d *docxWriter) document(r *synthesis.Result, tables []Table, figs []docxFigure) {
	var contents []string
	parts := []docxPart{{}}
	for _, t := range tables {
		layout := docxLayout(t)
		contents = append(contents, t.Caption())
		parts = append(parts, docxPart{landscape: layout.landscape,
			write: func(newPage bool, sect string) { d.table(t, layout, newPage, sect) }})
	}
	for _, f := range figs {
		contents = append(contents, f.caption())
		parts = append(parts, docxPart{landscape: f.landscape(),
			write: func(newPage bool, sect string) { d.figure(f, newPage, sect) }})
	}
	parts[0].write = func(_ bool, sect string) { d.titlePage(r.Title, r.Note(), contents, sect) }

	d.b.WriteString(xml.Header)
	d.b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `" xmlns:wp="` + nsWP + `" xmlns:a="` + nsA + `" xmlns:pic="` + nsPic + `"><w:body>`)
	for i, p := range parts {
		newPage := i == 0 || parts[i-1].landscape != p.landscape
		sect := ""
		if i+1 < len(parts) && parts[i+1].landscape != p.landscape {
			sect = docxSectPr(p.landscape)
		}
		p.write(newPage, sect)
	}
	d.b.WriteString(docxSectPr(parts[len(parts)-1].landscape))
	d.b.WriteString(`</w:body></w:document>`)
}

// docxSectPr is a section's properties: the footer, A4 in the orientation,
// the margins. A section starts on a new page.
func docxSectPr(landscape bool) string {
	w, h, orient := docxPageShort, docxPageLong, ""
	if landscape {
		w, h, orient = docxPageLong, docxPageShort, ` w:orient="landscape"`
	}
	m := strconv.Itoa(docxMargin)
	return `<w:sectPr><w:footerReference w:type="default" r:id="` + docxFooterRel + `"/>` +
		`<w:pgSz w:w="` + strconv.Itoa(w) + `" w:h="` + strconv.Itoa(h) + `"` + orient + `/>` +
		`<w:pgMar w:top="` + m + `" w:right="` + m + `" w:bottom="` + m + `" w:left="` + m +
		`" w:header="` + strconv.Itoa(docxFooter) + `" w:footer="` + strconv.Itoa(docxFooter) + `" w:gutter="0"/></w:sectPr>`
}

// para writes a paragraph of one run of text in a style; sect is the
// section properties it ends, if any.
func (d *docxWriter) para(style, text, sect string) {
	d.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + sect + `</w:pPr>`)
	if text != "" {
		d.run("", text)
	}
	d.b.WriteString(`</w:p>`)
}

func (d *docxWriter) titlePage(title, note string, contents []string, sect string) {
	d.para("Title", title, "")
	if note != "" {
		d.para("TitleNote", note, "")
	}
	d.para("Subtitle", "Supplementary material", "")
	d.para("Heading1", "Contents", "")
	for _, c := range contents {
		d.para("Contents", c, "")
	}
	if sect != "" {
		d.para("Normal", "", sect)
	}
}

// caption writes a caption: "Table S" or "Figure S", the number as a SEQ
// field of the sequence, ". " and the title; props are more paragraph
// properties in schema order after the style (keepNext, pageBreakBefore).
// number 0 is a caption without a number.
func (d *docxWriter) caption(seq string, number int, title, props string) {
	d.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Caption"/>` + props + `</w:pPr>`)
	if number > 0 {
		n := strconv.Itoa(number)
		d.b.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">` + seq + ` S</w:t></w:r>` +
			`<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
			`<w:r><w:rPr><w:b/></w:rPr><w:instrText xml:space="preserve"> SEQ ` + seq + ` \* ARABIC </w:instrText></w:r>` +
			`<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>` +
			`<w:r><w:rPr><w:b/></w:rPr><w:t>` + n + `</w:t></w:r>` +
			`<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>` +
			`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">. </w:t></w:r>`)
	}
	d.run("", title)
	d.b.WriteString(`</w:p>`)
}

// pageBreak is the paragraph property that starts a part on a new page,
// unless a new section already does.
func pageBreak(newPage bool) string {
	if newPage {
		return `<w:keepNext/>`
	}
	return `<w:keepNext/><w:pageBreakBefore/>`
}

// run writes user text as runs with properties rPr: escaped, line breaks
// as <w:br/>, tabs as <w:tab/>.
func (d *docxWriter) run(rPr, s string) {
	d.b.WriteString(`<w:r>`)
	if rPr != "" {
		d.b.WriteString(`<w:rPr>` + rPr + `</w:rPr>`)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	start := 0
	flush := func(end int) {
		if end > start {
			d.b.WriteString(`<w:t xml:space="preserve">`)
			// EscapeText writes U+FFFD for characters outside XML 1.0's range.
			_ = xml.EscapeText(d.b, []byte(s[start:end]))
			d.b.WriteString(`</w:t>`)
		}
	}
	for i, c := range s {
		switch c {
		case '\n', '\r', '\v', '\f':
			flush(i)
			d.b.WriteString(`<w:br/>`)
		case '\t':
			flush(i)
			d.b.WriteString(`<w:tab/>`)
		default:
			continue
		}
		start = i + utf8.RuneLen(c)
	}
	flush(len(s))
	d.b.WriteString(`</w:r>`)
}

// docxTableLayout is how a table is laid out on the page.
type docxTableLayout struct {
	landscape bool
	widths    []int  // column widths in twips, filling the text width
	rotate    []bool // header cells written bottom to top
	headerH   int    // the header row's least height when rotated, twips
}

// docxLayout chooses a table's orientation and column widths, in 9 pt
// text measured by textTwips. Each column has a natural width (its longest
// line, up to docxMaxLineTwips; a header's half, as it may take two lines)
// and a least width (its longest word, header in bold, up to
// docxMaxWordTwips, with the indent of a sub-theme), below which a word
// would break in the middle. A table prints landscape when it has more than
// docxMaxPortraitCols columns, when its least widths do not fit a portrait
// page, or when its Prose column could not have half of one beside them. Natural widths that fit get the rest of the width in their
// proportion; else the widest columns are cut to one width, the free text
// first, but never below a column's least width (fitWidths). When even the
// least widths do not fit, the headers of the matrix's study columns are
// turned to run upwards in a row as tall as the longest label, each column
// as wide as its widest count in bold (two digits at least), and then the
// widths are shrunk in proportion.
func docxLayout(t Table) docxTableLayout {
	n := len(t.Header)
	nat, lst := make([]int, n), make([]int, n)
	for j, h := range t.Header {
		line, word := textMeasure(h, true)
		nat[j], lst[j] = max(word, (line+1)/2), word
	}
	for i, row := range t.Rows {
		bold := t.Indent != nil && i < len(t.Indent) && t.Indent[i] == 0
		for j := 0; j < n && j < len(row); j++ {
			line, word := textMeasure(row[j], bold)
			if t.Indent != nil && j == t.IndentCol && i < len(t.Indent) {
				line += t.Indent[i] * docxIndentTwips
				word += t.Indent[i] * docxIndentTwips
			}
			nat[j], lst[j] = max(nat[j], line), max(lst[j], word)
		}
	}
	for j := range n {
		nat[j] += docxCellPad
		lst[j] += docxCellPad
	}
	l := docxTableLayout{rotate: make([]bool, n)}
	l.landscape = n > docxMaxPortraitCols || sum(lst) > docxTextWidth(false) || !proseFits(t, nat, lst, docxTextWidth(false))
	width := docxTextWidth(l.landscape)
	if sum(lst) > width && t.Heat != nil {
		// Turn the study headers; their columns need only hold the counts,
		// two digits or more, in bold (an analytical theme's row).
		longest := 0
		for j := range n {
			if j < len(t.Heat) && t.Heat[j] {
				l.rotate[j] = true
				longest = max(longest, textTwips(t.Header[j], true))
				cells := textTwips("00", true)
				for _, row := range t.Rows {
					if j < len(row) {
						cells = max(cells, textTwips(row[j], true))
					}
				}
				// Half a digit to spare, as Word and LibreOffice round widths.
				lst[j] = max(cells+textTwips("0", true)/2, docxLineTwips) + docxCellPad
				nat[j] = lst[j]
			}
		}
		// The header row holds the longest study label on one line.
		l.headerH = min(longest, docxMaxHeaderTwips) + docxCellPad
	}
	// The words of participants and authors take half the width or more,
	// as far as the other columns' least widths leave room.
	for j := range n {
		if j < len(t.Prose) && t.Prose[j] {
			lst[j] = max(lst[j], min(proseWidth(nat[j], width), width-(sum(lst)-lst[j])))
		}
	}
	l.widths = fitWidths(nat, lst, width)
	return l
}

// proseWidth is the least width of a prose column: half of width, or its
// natural width when that is less and no line of it is cut to
// docxMaxLineTwips.
func proseWidth(nat, width int) int {
	if nat < docxMaxLineTwips+docxCellPad {
		return min(nat, width/2)
	}
	return width / 2
}

// proseFits reports whether a table's prose column can have its least
// width (proseWidth) beside the other columns' least widths.
func proseFits(t Table, nat, lst []int, width int) bool {
	for j := range nat {
		if j < len(t.Prose) && t.Prose[j] && sum(lst)-lst[j]+proseWidth(nat[j], width) > width {
			return false
		}
	}
	return true
}

// fitWidths sizes columns to fill width twips. Natural widths that fit get
// the rest in their proportion. Else the widest columns are cut to a common
// width, each no further than its least width, so short columns keep their
// lines whole and the long text columns wrap; the twips left over go to the
// widest. When even the least widths do not fit, they are shrunk in
// proportion.
func fitWidths(nat, lst []int, width int) []int {
	n := len(nat)
	if sum(nat) <= width {
		return shareWidth(nat, nat, width)
	}
	if sum(lst) > width {
		return shareWidth(make([]int, n), lst, width)
	}
	capped := func(c int) []int {
		out := make([]int, n)
		for j := range n {
			out[j] = max(lst[j], min(nat[j], c))
		}
		return out
	}
	// The widest cap whose widths fit: sum(capped(c)) grows with c.
	lo, hi := 0, slices.Max(nat)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if sum(capped(mid)) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	out := capped(lo)
	widest := 0
	for j := range n {
		if nat[j] > nat[widest] {
			widest = j
		}
	}
	out[widest] += width - sum(out)
	return out
}

// shareWidth adds to base the width left of total, in proportion to weight;
// the widths returned add up to total exactly.
func shareWidth(base, weight []int, total int) []int {
	out := append([]int(nil), base...)
	left, w := total-sum(base), sum(weight)
	if left <= 0 || len(out) == 0 {
		return out
	}
	given := 0
	for j := range out {
		var add int
		if w > 0 {
			add = int(float64(left) * float64(weight[j]) / float64(w))
		} else {
			add = left / len(out)
		}
		out[j] += add
		given += add
	}
	out[len(out)-1] += left - given
	return out
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// textMeasure is the width of the longest line of s and of its longest
// word in 9 pt text, bold or not, in twips, capped at docxMaxLineTwips and
// docxMaxWordTwips.
func textMeasure(s string, bold bool) (line, word int) {
	for l := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\v' || r == '\f' }) {
		line = max(line, textTwips(l, bold))
		for w := range strings.FieldsSeq(l) {
			word = max(word, textTwips(w, bold))
		}
	}
	// A twentieth to spare for a word: a column exactly as wide breaks it
	// in LibreOffice, which rounds widths to its own units.
	return min(line, docxMaxLineTwips), min(word+word/20, docxMaxWordTwips)
}

// textLinesIn is about how many lines s takes in a column width twips
// wide: its lines' widths over the column's, with a tenth more for the
// room wrapping at spaces leaves.
func textLinesIn(s string, width int) int {
	per := max(width-docxCellPad, 1)
	n := 0
	for l := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\v' || r == '\f' }) {
		n += max(1, (textTwips(l, false)*11/10+per-1)/per)
	}
	return max(n, 1)
}

// Borders and shading of the supplement's tables, written on each table
// and cell (not through a table style) so that LibreOffice keeps them.
const (
	docxRule      = `w:val="single" w:sz="8" w:space="0" w:color="404040"`
	docxHairline  = `w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"`
	docxHeadShade = `<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>`
	// docxGroupShade shades a heading row inside a table.
	docxGroupShade = `<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>`
	// docxCellMar: 0.05 cm above and below the text, 0.15 cm (docxCellPad) on each side.
	docxCellMar = `<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>` +
		`<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`
)

func (d *docxWriter) table(t Table, l docxTableLayout, newPage bool, sect string) {
	d.caption("Table", t.Number, t.Title, pageBreak(newPage))
	d.b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="SupplementTable"/><w:tblW w:w="` + strconv.Itoa(sum(l.widths)) + `" w:type="dxa"/>` +
		`<w:tblBorders><w:top ` + docxRule + `/><w:left ` + docxHairline + `/><w:bottom ` + docxRule + `/><w:right ` + docxHairline + `/>` +
		`<w:insideH ` + docxHairline + `/><w:insideV ` + docxHairline + `/></w:tblBorders>` +
		`<w:tblLayout w:type="fixed"/>` + docxCellMar + `</w:tblPr><w:tblGrid>`)
	for _, w := range l.widths {
		d.b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	d.b.WriteString(`</w:tblGrid>`)

	// The header row: repeated on every page, never split.
	trPr := `<w:cantSplit/><w:tblHeader/>`
	if l.headerH > 0 {
		trPr = `<w:cantSplit/><w:trHeight w:val="` + strconv.Itoa(l.headerH) + `" w:hRule="atLeast"/><w:tblHeader/>`
	}
	d.b.WriteString(`<w:tr><w:trPr>` + trPr + `</w:trPr>`)
	for j, h := range t.Header {
		tcPr := docxHeadShade
		valign := "bottom"
		if l.rotate[j] {
			tcPr += `<w:textDirection w:val="btLr"/>`
			valign = "center"
		}
		jc := ""
		if j < len(t.Numeric) && t.Numeric[j] && !l.rotate[j] {
			jc = `<w:jc w:val="right"/>`
		}
		d.cell(l.widths[j], `<w:tcBorders><w:bottom `+docxRule+`/></w:tcBorders>`+tcPr+`<w:vAlign w:val="`+valign+`"/>`,
			`<w:keepNext/>`+jc, `<w:b/>`, h)
	}
	d.b.WriteString(`</w:tr>`)

	for i, row := range t.Rows {
		if i < len(t.heads) && t.heads[i] != "" {
			d.headingRow(t.heads[i], l.widths)
		}
		bold, indent := false, 0
		if t.Indent != nil && i < len(t.Indent) {
			bold, indent = t.Indent[i] == 0, t.Indent[i]
		}
		lines := 1
		for j := 0; j < len(t.Header) && lines <= docxKeepLines; j++ {
			if j < len(row) {
				lines = max(lines, textLinesIn(row[j], l.widths[j]-indentOf(t, j, indent)))
			}
		}
		d.b.WriteString(`<w:tr>`)
		if lines <= docxKeepLines {
			d.b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for j := range t.Header {
			v := ""
			if j < len(row) {
				v = row[j]
			}
			tcPr, pPr, rPr := "", "", ""
			if t.IsNumber(i, j) {
				pPr = `<w:jc w:val="right"/>`
				if j < len(t.Heat) && t.Heat[j] {
					if n, ok := number(v); ok {
						if b := heatBucket(n); b > 0 {
							tcPr = `<w:shd w:val="clear" w:color="auto" w:fill="` + heatFills[b-1] + `"/>`
						}
						if heatBucket(n) == len(heatFills) {
							rPr = `<w:color w:val="FFFFFF"/>` // on the darkest fill, as in synthesis.xlsx
						}
					}
				}
			}
			if bold {
				pPr = `<w:keepNext/>` + pPr // an analytical theme stays with its first sub-theme
			}
			if ind := indentOf(t, j, indent); ind > 0 {
				pPr = `<w:ind w:left="` + strconv.Itoa(ind) + `"/>` + pPr
			}
			if bold {
				rPr = `<w:b/>` + rPr
			}
			d.cell(l.widths[j], tcPr, pPr, rPr, v)
		}
		d.b.WriteString(`</w:tr>`)
	}
	d.b.WriteString(`</w:tbl>`)
	d.para("TableNote", t.Note, sect)
}

// headingRow writes a row of one cell across the table, in bold on a
// light shade, kept with the row under it: a theme above its extracts.
func (d *docxWriter) headingRow(text string, widths []int) {
	d.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	d.cell(sum(widths), `<w:gridSpan w:val="`+strconv.Itoa(len(widths))+`"/>`+docxGroupShade, `<w:keepNext/>`, `<w:b/>`, text)
	d.b.WriteString(`</w:tr>`)
}

// indentOf is the indent of column j of a row at depth, in twips.
func indentOf(t Table, j, depth int) int {
	if t.Indent == nil || j != t.IndentCol {
		return 0
	}
	return depth * docxIndentTwips
}

// cell writes a table cell of one paragraph in the TableText style;
// tcPr, pPr and rPr are properties in schema order after the width, the
// style and the fonts.
func (d *docxWriter) cell(width int, tcPr, pPr, rPr, text string) {
	// Piece by piece: a concatenation would allocate a string per cell.
	d.b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="`)
	d.b.WriteString(strconv.Itoa(width))
	d.b.WriteString(`" w:type="dxa"/>`)
	d.b.WriteString(tcPr)
	d.b.WriteString(`</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>`)
	d.b.WriteString(pPr)
	d.b.WriteString(`</w:pPr>`)
	if text != "" {
		d.run(rPr, text)
	}
	d.b.WriteString(`</w:p></w:tc>`)
}

// figure writes a figure: the picture fitted to the text width (and to the
// page's height less room for the caption and note), keeping its aspect
// ratio, then its caption and note.
func (d *docxWriter) figure(f docxFigure, newPage bool, sect string) {
	maxW := docxTextWidth(f.landscape())
	maxH := docxTextHeight(f.landscape()) - 2*1440 // 2 inches for caption and note
	w := maxW
	h := int(math.Round(float64(w) * float64(f.height) / float64(max(f.width, 1))))
	if h > maxH {
		h = maxH
		w = int(math.Round(float64(h) * float64(f.width) / float64(max(f.height, 1))))
	}
	cx, cy := strconv.Itoa(w*docxEMUPerTwip), strconv.Itoa(h*docxEMUPerTwip)
	id := strconv.Itoa(f.number)
	d.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Figure"/>` + pageBreak(newPage) + `</w:pPr><w:r><w:drawing>` +
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="` + cx + `" cy="` + cy + `"/>` +
		`<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="` + id + `" name="Figure S` + id + `" descr="`)
	_ = xml.EscapeText(d.b, []byte(f.caption()))
	d.b.WriteString(`"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
		`<a:graphic><a:graphicData uri="` + nsPic + `"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="` + f.file + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + docxImageRel(f) + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="` + cx + `" cy="` + cy + `"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
	d.caption("Figure", f.number, f.title, `<w:keepNext/>`)
	d.para("TableNote", f.note, sect)
}

// Namespaces and relationship types of ECMA-376 (transitional).
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsWP  = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsA   = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsPic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	relOD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

	docxFooterRel = "rIdFooter"
)

func docxImageRel(f docxFigure) string { return "rIdFigure" + strconv.Itoa(f.number) }

// docxPackage zips the document's parts, in this order, each dated
// DocTime; document writes word/document.xml into its entry.
func docxPackage(w io.Writer, r *synthesis.Result, document func(io.Writer) error, figs []docxFigure) error {
	type part struct {
		name string
		data []byte
	}
	types := `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`
	if len(figs) > 0 {
		types += `<Default Extension="png" ContentType="image/png"/>`
	}
	for _, o := range []struct{ part, kind string }{
		{"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
		{"/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"},
		{"/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"},
		{"/word/fontTable.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"},
		{"/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"},
		{"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
		{"/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"},
	} {
		types += `<Override PartName="` + o.part + `" ContentType="` + o.kind + `"/>`
	}
	docRels := `<Relationship Id="rIdStyles" Type="` + relOD + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="` + relOD + `settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdFontTable" Type="` + relOD + `fontTable" Target="fontTable.xml"/>` +
		`<Relationship Id="` + docxFooterRel + `" Type="` + relOD + `footer" Target="footer1.xml"/>`
	for _, f := range figs {
		docRels += `<Relationship Id="` + docxImageRel(f) + `" Type="` + relOD + `image" Target="media/` + f.file + `"/>`
	}
	var title bytes.Buffer
	_ = xml.EscapeText(&title, []byte(r.Title))
	when := DocTime().Format(time.RFC3339)
	parts := []part{
		{"[Content_Types].xml", []byte(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` + types + `</Types>`)},
		{"_rels/.rels", []byte(xml.Header + `<Relationships xmlns="` + nsRel + `">` +
			`<Relationship Id="rId1" Type="` + relOD + `officeDocument" Target="word/document.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
			`<Relationship Id="rId3" Type="` + relOD + `extended-properties" Target="docProps/app.xml"/></Relationships>`)},
		{"docProps/core.xml", []byte(xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
			`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
			`<dc:title>` + title.String() + `</dc:title><dc:subject>Supplementary material</dc:subject><dc:creator>synth</dc:creator>` +
			`<cp:lastModifiedBy>synth</cp:lastModifiedBy>` +
			`<dcterms:created xsi:type="dcterms:W3CDTF">` + when + `</dcterms:created>` +
			`<dcterms:modified xsi:type="dcterms:W3CDTF">` + when + `</dcterms:modified></cp:coreProperties>`)},
		{"docProps/app.xml", []byte(xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
			`<Application>synth</Application></Properties>`)},
		{"word/_rels/document.xml.rels", []byte(xml.Header + `<Relationships xmlns="` + nsRel + `">` + docRels + `</Relationships>`)},
		{"word/document.xml", nil}, // written by document
		{"word/styles.xml", []byte(docxStyles)},
		{"word/settings.xml", []byte(docxSettings)},
		{"word/fontTable.xml", []byte(docxFontTable)},
		{"word/footer1.xml", []byte(docxFooterXML)},
	}
	for _, f := range figs {
		parts = append(parts, part{"word/media/" + f.file, f.data})
	}
	date, clock := zipTime(DocTime())
	zw := zip.NewWriter(w)
	// klauspost/compress's deflate: a stream any zip reader inflates, made
	// in about half the time of compress/flate's at the same level.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return kflate.NewWriter(out, kflate.DefaultCompression)
	})
	for _, p := range parts {
		method := zip.Deflate
		if strings.HasSuffix(p.name, ".png") {
			method = zip.Store // compressed already
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method, ModifiedDate: date, ModifiedTime: clock})
		if err != nil {
			return err
		}
		if p.name == "word/document.xml" {
			err = document(fw)
		} else {
			_, err = fw.Write(p.data)
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// docxFont is the font of the whole document; fontTable.xml names
// Carlito, metric-compatible, as its alternative, and LibreOffice
// substitutes it where Calibri is missing.
const docxFont = "Calibri"

// docxStyles: Normal 10 pt Calibri; Title, Title Note (the project's
// note, italic), Subtitle, Heading 1 and Contents for the title page; Caption (bold label, kept with the table);
// TableText 9 pt without spacing; TableNote 9 pt under a table; Figure;
// Footer; and the SupplementTable table style, whose borders and cell
// margins the tables also carry themselves.
const docxStyles = xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + docxFont + `" w:hAnsi="` + docxFont + `" w:eastAsia="` + docxFont + `" w:cs="` + docxFont + `"/>` +
	`<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Subtitle"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="2400" w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="720"/></w:pPr><w:rPr><w:color w:val="404040"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TitleNote"><w:name w:val="Title Note"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Contents"><w:name w:val="Contents"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="60"/><w:ind w:left="284"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableNote"><w:name w:val="Table Note"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="80" w:after="240"/></w:pPr><w:rPr><w:i/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:keepNext/><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
	`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="SupplementTable"><w:name w:val="Supplement Table"/><w:basedOn w:val="TableNormal"/>` +
	`<w:tblPr><w:tblBorders><w:top ` + docxRule + `/><w:left ` + docxHairline + `/><w:bottom ` + docxRule + `/><w:right ` + docxHairline + `/>` +
	`<w:insideH ` + docxHairline + `/><w:insideV ` + docxHairline + `/></w:tblBorders>` +
	docxCellMar + `</w:tblPr></w:style>` +
	`</w:styles>`

// docxSettings: no field updates on opening (the cached results are
// right), British English, Word 2013+ layout.
const docxSettings = xml.Header + `<w:settings xmlns:w="` + nsW + `"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/><w:compat>` +
	`<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-GB"/></w:settings>`

const docxFontTable = xml.Header + `<w:fonts xmlns:w="` + nsW + `"><w:font w:name="` + docxFont + `"><w:altName w:val="Carlito"/>` +
	`<w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>`

// docxFooterXML is the footer of every page: the page number as a PAGE field.
const docxFooterXML = xml.Header + `<w:ftr xmlns:w="` + nsW + `"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>` +
	`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
	`<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>`
