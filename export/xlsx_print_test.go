package export

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
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
	} {
		if got := rowHeight(c.cells, []float64{20, 10}, []bool{true, true}, []int{0, 0}); got != c.want {
			t.Errorf("rowHeight(%.20q) = %v, want %v", c.cells, got, c.want)
		}
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

// pdfText converts a document (named name, for its extension) to PDF with
// LibreOffice and returns the PDF's text as pdftotext -layout reads it;
// the test skips when either program is missing.
func pdfText(t *testing.T, name string, data []byte) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed; .ci/run installs it")
	}
	pdftotext, err := exec.LookPath("pdftotext")
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
	pdf := strings.TrimSuffix(path, filepath.Ext(path)) + ".pdf"
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v (did LibreOffice convert it?)", filepath.Base(pdf), err)
	}
	return string(out)
}
