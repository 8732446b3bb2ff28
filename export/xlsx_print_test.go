package export

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// openpyxlPython is a python3 that imports openpyxl, or "".
func openpyxlPython() string {
	// Debian's python3-openpyxl is for /usr/bin/python3, which may not be
	// the python3 first on PATH.
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import openpyxl").Run() == nil {
			return path
		}
	}
	return ""
}

// TestXLSXPrintReady reads the workbook back with excelize and openpyxl: each
// sheet opens with its caption and note above the header row, every styled
// cell names a font of at least 8 pt, analytical themes are bold and
// sub-themes indented, rows are tall enough for their wrapped text, and
// each sheet prints on A4 with the header row repeated.
func TestXLSXPrintReady(t *testing.T) {
	data := renderXLSX(t)
	f := openXLSX(t, data)
	r := sampleResult()
	sheets := xlsxSheets(r)
	for i, name := range f.GetSheetList() {
		tb := sheets[i].table
		if a1, _ := f.GetCellValue(name, "A1"); a1 != tb.Caption() {
			t.Errorf("%s!A1 = %q, want the caption %q", name, a1, tb.Caption())
		}
		if a2, _ := f.GetCellValue(name, "A2"); a2 != tb.Note {
			t.Errorf("%s!A2 = %q, want the note %q", name, a2, tb.Note)
		}
		if a3, _ := f.GetCellValue(name, "A3"); a3 != tb.Header[0] {
			t.Errorf("%s!A3 = %q, want the header %q", name, a3, tb.Header[0])
		}
		if got := definedName(f, "_xlnm.Print_Titles", name); !strings.HasSuffix(got, "'"+name+"'!$3:$3") {
			t.Errorf("%s: print titles %q, want the header row, $3:$3", name, got)
		}
	}
	// The captions in S-number order.
	if a1, _ := f.GetCellValue("CASP", "A1"); a1 != "Table S2. CASP appraisal" {
		t.Errorf("CASP!A1 = %q", a1)
	}
	if a1, _ := f.GetCellValue("Matrix", "A1"); a1 != "Table S4. Theme × study matrix" {
		t.Errorf("Matrix!A1 = %q", a1)
	}

	python := openpyxlPython()
	if python == "" {
		t.Skip("python3 with openpyxl not installed; .ci/run installs it")
	}
	path := filepath.Join(t.TempDir(), "synthesis.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb:
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.has_style or c.value is not None:
                cells.append([c.coordinate, c.font.name, c.font.sz or 0, bool(c.font.b), int(c.alignment.indent or 0), str(c.value if c.value is not None else "")])
    heights = {str(k): v.height for k, v in ws.row_dimensions.items() if v.height is not None}
    ps = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else False
    out[ws.title] = {"cells": cells, "heights": heights, "rows": ws.max_row,
        "orientation": ps.orientation, "paper": int(ps.paperSize or 0), "scale": int(ps.scale or 100),
        "fit": bool(fit), "fitWidth": int(ps.fitToWidth if ps.fitToWidth is not None else 1),
        "fitHeight": int(ps.fitToHeight if ps.fitToHeight is not None else 1),
        "titles": ws.print_title_rows, "left": ws.page_margins.left}
print(json.dumps(out))`
	out, err := exec.Command(python, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var got map[string]struct {
		Cells       [][]any
		Heights     map[string]float64
		Rows        int
		Orientation string
		Paper       int
		Scale       int
		Fit         bool
		FitWidth    int
		FitHeight   int
		Titles      string
		Left        float64
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != len(sheets) {
		t.Fatalf("openpyxl read %d sheets, want %d", len(got), len(sheets))
	}
	for _, s := range sheets {
		g := got[s.name]
		for _, c := range g.Cells {
			if font, size := c[1], c[2].(float64); font != xlsxFont || size < 8 {
				t.Errorf("%s!%s: font %v %v pt, want %s of 8 pt or more", s.name, c[0], font, size, xlsxFont)
			}
		}
		if g.Paper != 9 {
			t.Errorf("%s: paper size %d, want 9 (A4)", s.name, g.Paper)
		}
		if g.Titles != "$3:$3" {
			t.Errorf("%s: print title rows %q, want $3:$3", s.name, g.Titles)
		}
		if g.Left < 0.4 || g.Left > 1 {
			t.Errorf("%s: left margin %v in", s.name, g.Left)
		}
		// Shrunk to the page width only with FitToHeight 0 (as many pages
		// down as it takes); never scaled below 80%.
		if g.Fit && (g.FitWidth != 1 || g.FitHeight != 0) || !g.Fit && g.Scale < minPrintScalePct {
			t.Errorf("%s: fit %v %dx%d scale %d", s.name, g.Fit, g.FitWidth, g.FitHeight, g.Scale)
		}
		for row := 1; row <= g.Rows; row++ {
			h, ok := g.Heights[itoa(row)]
			if !ok || h < 12 || h > xlsxMaxRowPt {
				t.Errorf("%s: row %d height %v (set: %v), want 12..409 pt", s.name, row, h, ok)
			}
		}
	}
	// The wide Studies table prints landscape; the narrow CASP table portrait.
	if o := got["Studies"].Orientation; o != "landscape" {
		t.Errorf("Studies: %s, want landscape", o)
	}
	if o := got["CASP"].Orientation; o != "portrait" {
		t.Errorf("CASP: %s, want portrait", o)
	}
	// Analytical themes bold, sub-themes indented, in the theme column.
	cell := func(sheet, ref string) []any {
		for _, c := range got[sheet].Cells {
			if c[0] == ref {
				return c
			}
		}
		t.Fatalf("%s!%s not read", sheet, ref)
		return nil
	}
	for i, th := range r.Themes {
		ref := "B" + itoa(i+4)
		c := cell("Themes", ref)
		if c[5] != th.Name || c[3] != (th.Depth == 0) || int(c[4].(float64)) != th.Depth {
			t.Errorf("Themes!%s = %v, want %q bold %v indent %d", ref, c, th.Name, th.Depth == 0, th.Depth)
		}
		ref = "A" + itoa(i+4)
		if c := cell("Matrix", ref); c[3] != (th.Depth == 0) || int(c[4].(float64)) != th.Depth {
			t.Errorf("Matrix!%s = %v, want bold %v indent %d", ref, c, th.Depth == 0, th.Depth)
		}
	}
	// A quotation over several lines gets a row tall enough for them.
	multiline := 0
	for i, row := range sheets[6].table.Rows {
		if strings.Contains(row[4], "\n") {
			multiline++
			if h := got["Quotes"].Heights[itoa(i+4)]; h < 2*xlsxLinePt {
				t.Errorf("Quotes row %d: height %v, want room for two lines or more", i+4, h)
			}
		}
	}
	if sheets[6].name != "Quotes" || multiline == 0 {
		t.Errorf("no quotation over several lines on %s", sheets[6].name)
	}
}

func TestRowHeight(t *testing.T) {
	for _, c := range []struct {
		cells []string
		want  float64
	}{
		{[]string{"short", "1"}, xlsxLinePt + 3},
		{[]string{"", strings.Repeat("x", 25)}, 3*xlsxLinePt + 3}, // 25 characters in a 10-wide column: 3 lines
		{[]string{"a\nb\nc\nd", ""}, 4*xlsxLinePt + 3},            // line breaks
		{[]string{strings.Repeat("word ", 2000), ""}, xlsxMaxRowPt},
		// A 10-wide column prints (10 × 7 + 5) × 0.75 = 56.25 pt, 51.25 pt
		// of text. "xxxx" in 10 pt DejaVu Sans is 4 × 0.591 em = 23.67 pt, a
		// space 3.22 pt: two words fit a line (50.56 pt), three take two.
		{[]string{"", "xxxx xxxx"}, xlsxLinePt + 3},
		{[]string{"", "xxxx xxxx xxxx"}, 2*xlsxLinePt + 3},
	} {
		if got := rowHeight(c.cells, []float64{20, 10}, []bool{true, true}, []int{0, 0}, false); got != c.want {
			t.Errorf("rowHeight(%.20q) = %v, want %v", c.cells, got, c.want)
		}
	}
	// In bold, "xxxx" is 4 × 0.645 em = 25.83 pt and a space 3.5 pt: two
	// words (55.17 pt) no longer fit.
	if got := rowHeight([]string{"", "xxxx xxxx"}, []float64{20, 10}, []bool{true, true}, []int{0, 0}, true); got != 2*xlsxLinePt+3 {
		t.Errorf("bold rowHeight = %v, want two lines", got)
	}
}

// TestXLSXPrintsEveryCaption converts the workbook to PDF with LibreOffice
// and reads its text back with pdftotext: every table's caption is printed.
func TestXLSXPrintsEveryCaption(t *testing.T) {
	text := pdfText(t, "synthesis.xlsx", renderXLSX(t))
	for _, s := range xlsxSheets(sampleResult()) {
		if !strings.Contains(text, s.table.Caption()) {
			t.Errorf("the PDF does not hold %q", s.table.Caption())
		}
	}
}

// toPDF converts a document (named name, for its extension) to PDF with
// LibreOffice and returns the PDF's path and pdftotext's; the test skips
// when either program is missing.
func toPDF(t *testing.T, name string, data []byte) (pdf, pdftotext string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed; .ci/run installs it")
	}
	pdftotext, err = exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed; .ci/run installs it")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".pdf", pdftotext
}

// pdfText converts a document (named name, for its extension) to PDF with
// LibreOffice and returns the PDF's text as pdftotext -layout reads it;
// the test skips when either program is missing.
func pdfText(t *testing.T, name string, data []byte) string {
	t.Helper()
	pdf, pdftotext := toPDF(t, name, data)
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (did LibreOffice convert it?)", filepath.Base(pdf), err)
	}
	return string(out)
}

// TestXLSXRowsShowTheirText prints the worked example's Matrix with
// LibreOffice: no line of a theme's name runs below its row into the next
// (LibreOffice prints a cut line's text, over the next row's, so two lines
// of the Theme column overlapping by more than their leading is a row too
// short); and the Evidence sheet's Text column is its widest, the sheet
// fitted to the page's width.
func TestXLSXRowsShowTheirText(t *testing.T) {
	r := build(workedExample)
	data := render(t, "xlsx", r)["synthesis.xlsx"]
	f := openXLSX(t, data)
	for _, s := range f.GetSheetList() {
		if s != "Matrix" {
			if err := f.DeleteSheet(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	for page, words := range pdfWords(t, "matrix.xlsx", b.Bytes()) {
		right := math.Inf(1) // the Theme column ends where the first study's header starts
		for _, w := range words {
			if w.text == "Study" {
				right = min(right, w.x)
			}
		}
		var tops, bottoms []float64 // each printed line of the Theme column
		for _, w := range words {
			if w.x < right && (len(tops) == 0 || w.top > tops[len(tops)-1]+1) {
				tops, bottoms = append(tops, w.top), append(bottoms, w.bottom)
			}
		}
		for i := 1; i < len(tops); i++ {
			if bottoms[i-1]-tops[i] > 3 {
				t.Errorf("Matrix page %d: a line of the Theme column at %.0f pt runs %.0f pt into the line below (a row too short for its text)",
					page+1, tops[i-1], bottoms[i-1]-tops[i])
			}
		}
	}
	f = openXLSX(t, data)
	text, _ := f.GetColWidth("Evidence", "G")
	for _, col := range []string{"A", "B", "C", "D", "E", "F"} {
		if w, _ := f.GetColWidth("Evidence", col); w >= text {
			t.Errorf("Evidence column %s is %.0f wide, the Text column G %.0f", col, w, text)
		}
	}
	// It fits a landscape page at full size, and is fitted to the width, so
	// that where a wider font prints it the Text column stays on the page.
	if props, err := f.GetSheetProps("Evidence"); err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("the Evidence sheet is not fitted to the page width")
	}
}

type pdfWord struct {
	text           string
	x, top, bottom float64
}

// pdfWords converts a document to PDF with LibreOffice and returns each
// page's words with their places (pdftotext -bbox), in reading order.
func pdfWords(t *testing.T, name string, data []byte) [][]pdfWord {
	t.Helper()
	pdf, pdftotext := toPDF(t, name, data)
	out, err := exec.Command(pdftotext, "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var pages [][]pdfWord
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)
	for _, page := range strings.Split(string(out), "<page ")[1:] {
		var words []pdfWord
		for _, m := range re.FindAllStringSubmatch(page, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			top, _ := strconv.ParseFloat(m[2], 64)
			bottom, _ := strconv.ParseFloat(m[3], 64)
			words = append(words, pdfWord{text: m[4], x: x, top: top, bottom: bottom})
		}
		sort.SliceStable(words, func(i, j int) bool { return words[i].top < words[j].top })
		pages = append(pages, words)
	}
	return pages
}
