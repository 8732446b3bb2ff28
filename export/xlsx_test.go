package export

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

func renderXLSX(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := XLSX(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// findCell returns the reference of the first cell on sheet whose value is v.
func findCell(t *testing.T, f *excelize.File, sheet, v string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, c := range row {
			if c == v {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				return ref
			}
		}
	}
	t.Fatalf("%s: no cell holds %q", sheet, v)
	return ""
}

func TestXLSXSheetsAndHeaders(t *testing.T) {
	f := openXLSX(t, renderXLSX(t))
	want := []string{"Summary", "Studies", "CASP", "Themes", "Matrix", "Codes", "Quotes", "Evidence", "CERQual", "SoQF", "Sensitivity", "Warnings"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"Summary", "A3", "Item"},
		{"Summary", "B4", "Experiences of social prescribing | a <synthesis> & review"},
		{"Themes", "B3", "Theme"},
		{"Themes", "B5", "Reaching out at a low point"},
		{"Matrix", "B3", "=Okafor 2019"}, // studies cited by label, a string
		{"Matrix", "E3", "S04"},          // a study without a label: its ID
		{"Matrix", "F3", "Studies"},
		{"Evidence", "G3", "Text"},
		{"Studies", "J3", ""},
		{"Studies", "I3", "Extracts"},
		{"CERQual", "A3", "#"},
		{"CERQual", "B3", "Theme"},
		{"CERQual", "A4", "1"},
		{"CERQual", "B4", "Searching for hope in times of adversity"},
		{"CERQual", "C4", "People turned to social prescribing at a low point,\nhoping for <change>."},
		{"CERQual", "J4", "=Okafor 2019; Müller & Ōta | 2020; O'Brien <2021>"},
		{"SoQF", "A5", "2"},
		{"SoQF", "B5", "Feeling supported & empowered"},
		{"SoQF", "F5", "=Okafor 2019; Müller & Ōta | 2020; O'Brien <2021>"},
		{"Quotes", "B4", "=Okafor 2019, p. 4"},
		{"Warnings", "A4", "unknown-code"},
	} {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
}

func TestXLSXNumbersAreNumbersAndTextIsText(t *testing.T) {
	f := openXLSX(t, renderXLSX(t))
	for _, c := range []struct {
		sheet, cell string
		want        excelize.CellType
	}{
		{"Summary", "B4", excelize.CellTypeInlineString}, // the title
		{"Summary", "B5", excelize.CellTypeNumber},       // studies included
		{"Matrix", "B4", excelize.CellTypeNumber},
		{"Themes", "E4", excelize.CellTypeNumber}, // share of studies (%)
		{"Studies", "C4", excelize.CellTypeInlineString},
		{"Studies", "H4", excelize.CellTypeInlineString}, // the label
		{"Studies", "I4", excelize.CellTypeNumber},
	} {
		got, err := f.GetCellType(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got == excelize.CellTypeUnset {
			got = excelize.CellTypeNumber // a cell without a type attribute is a number
		}
		if got != c.want {
			t.Errorf("%s!%s type = %v, want %v", c.sheet, c.cell, got, c.want)
		}
	}
	// The year is user text: a string even though it looks like a number.
	if v, _ := f.GetCellValue("Studies", "C4"); v != "2019" {
		t.Errorf("Studies!C4 = %q, want 2019", v)
	}
}

func TestXLSXFormulaLikeTextIsAString(t *testing.T) {
	f := openXLSX(t, renderXLSX(t))
	for _, c := range []struct{ sheet, text string }{
		{"Evidence", "=SUM(A1)"},
		{"Evidence", "+1 visit to the GP felt like enough"},
		{"Evidence", "-x marks where I was"},
		{"Evidence", "@cmd|' /C calc'!A0"},
		{"Studies", `=HYPERLINK("http://x")`},
		{"Studies", "+44 Group"},
	} {
		ref := findCell(t, f, c.sheet, c.text)
		if fo, err := f.GetCellFormula(c.sheet, ref); err != nil || fo != "" {
			t.Errorf("%s!%s (%q): formula %q, %v; want none", c.sheet, ref, c.text, fo, err)
		}
		typ, err := f.GetCellType(c.sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("%s!%s (%q): type %v, want a string", c.sheet, ref, c.text, typ)
		}
	}
	// Exact text survives, including HTML and line breaks.
	findCell(t, f, "Evidence", "yes | no <script>alert(1)</script>")
	findCell(t, f, "Quotes", "She said \"it helped\".\nThen: café, naïve, 日本語 — “curly”")
	findCell(t, f, "Studies", "England ]]> &amp;")
	findCell(t, f, "Codes", "Offer did not fit the need: &amp; and ]]> are text")
}

func TestXLSXLayout(t *testing.T) {
	f := openXLSX(t, renderXLSX(t))
	for _, sheet := range f.GetSheetList() {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != headerRow {
			t.Errorf("%s: panes %+v, want the header row (row 3) frozen", sheet, p)
		}
		st, err := f.GetCellStyle(sheet, "A3")
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(st)
		if err != nil {
			t.Fatal(err)
		}
		if s.Font == nil || !s.Font.Bold {
			t.Errorf("%s!A3: header not bold", sheet)
		}
		w, err := f.GetColWidth(sheet, "A")
		if err != nil {
			t.Fatal(err)
		}
		if w < minColWidth || w > maxColWidth {
			t.Errorf("%s: column A width %v outside %d..%d", sheet, w, minColWidth, maxColWidth)
		}
	}
	// The autofilter covers each table: a hidden _FilterDatabase name per sheet.
	filters := 0
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" {
			filters++
		}
	}
	if filters != len(f.GetSheetList()) {
		t.Errorf("%d autofilters, want one per sheet (%d)", filters, len(f.GetSheetList()))
	}
	if got := definedName(f, "_xlnm._FilterDatabase", "Matrix"); got != "'Matrix'!$A$3:$F$9" {
		t.Errorf("Matrix autofilter %q, want 'Matrix'!$A$3:$F$9", got)
	}
	// Printed, every sheet repeats its header row.
	if got := definedName(f, "_xlnm.Print_Titles", "Evidence"); !strings.HasSuffix(got, "'Evidence'!$3:$3") {
		t.Errorf("Evidence print titles %q", got)
	}
	// Sub-themes are indented; the matrix is shaded by count.
	st, _ := f.GetCellStyle("Themes", "B5")
	if s, _ := f.GetStyle(st); s.Alignment == nil || s.Alignment.Indent != 1 {
		t.Errorf("Themes!B5: want indent 1, got %+v", s.Alignment)
	}
	st, _ = f.GetCellStyle("Matrix", "B4") // 2 extracts
	if s, _ := f.GetStyle(st); len(s.Fill.Color) == 0 {
		t.Errorf("Matrix!B4: want a fill, got %+v", s.Fill)
	}
	st, _ = f.GetCellStyle("Matrix", "E4") // 0 extracts
	if s, _ := f.GetStyle(st); len(s.Fill.Color) != 0 {
		t.Errorf("Matrix!E4: want no fill, got %+v", s.Fill)
	}
	// Long text wraps.
	st, _ = f.GetCellStyle("Quotes", "E4")
	if s, _ := f.GetStyle(st); s.Alignment == nil || !s.Alignment.WrapText {
		t.Errorf("Quotes!E4: want wrapped text")
	}
}

func TestXLSXDocProps(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	f := openXLSX(t, renderXLSX(t))
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != sampleResult().Title || p.Creator != "synth" || p.Created != "2000-01-01T00:00:00Z" || p.Modified != "2000-01-01T00:00:00Z" {
		t.Errorf("doc props = %+v", p)
	}
}

func TestXLSXSourceDateEpoch(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	data := renderXLSX(t)
	if !bytes.Equal(data, renderXLSX(t)) {
		t.Error("two renderings with SOURCE_DATE_EPOCH differ")
	}
	p, err := openXLSX(t, data).GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if p.Created != "2023-11-14T22:13:20Z" {
		t.Errorf("Created = %q, want 2023-11-14T22:13:20Z", p.Created)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first zip entry %s, want [Content_Types].xml", zr.File[0].Name)
	}
	for _, zf := range zr.File {
		if got := zf.Modified.UTC().Format("2006-01-02"); got != "2023-11-14" {
			t.Errorf("%s modified %s", zf.Name, got)
		}
	}
}

// TestXLSXHasNoFormulas looks inside every worksheet part: no cell carries
// a formula element.
func TestXLSXHasNoFormulas(t *testing.T) {
	sheets := 0
	for name, x := range unzip(t, renderXLSX(t)) {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		if bytes.Contains(x, []byte("<f>")) || bytes.Contains(x, []byte("<f ")) {
			t.Errorf("%s holds a formula", name)
		}
		if !bytes.Contains(x, []byte(`t="inlineStr"`)) {
			t.Errorf("%s holds no string cell", name)
		}
	}
	if sheets != 12 {
		t.Errorf("%d worksheets, want 12", sheets)
	}
}

func TestXLSXTableLongerThanASheet(t *testing.T) {
	defer func(n int) { xlsxMaxRows = n }(xlsxMaxRows)
	xlsxMaxRows = 7
	f := openXLSX(t, renderXLSX(t))
	rows, err := f.GetRows("Evidence")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("Evidence has %d rows, want 7", len(rows))
	}
	if got := rows[6][0]; !strings.HasPrefix(got, "… 14 more rows") || !strings.Contains(got, "csv/evidence.csv") {
		t.Errorf("last row = %q", got)
	}
	if got := definedName(f, "_xlnm._FilterDatabase", "Evidence"); got != "'Evidence'!$A$3:$G$6" {
		t.Errorf("Evidence autofilter %q, want A3:G6", got)
	}
}

// TestXLSXOpensInOpenpyxl reads the workbook with the client DESIGN.md §7
// names, when it is installed.
func TestXLSXOpensInOpenpyxl(t *testing.T) {
	// Debian's python3-openpyxl is for /usr/bin/python3, which may not be
	// the python3 first on PATH.
	python := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import openpyxl").Run() == nil {
			python = path
			break
		}
	}
	if python == "" {
		t.Skip("python3 with openpyxl not installed; .ci/run installs it")
	}
	path := filepath.Join(t.TempDir(), "synthesis.xlsx")
	if err := os.WriteFile(path, renderXLSX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(",".join(wb.sheetnames))
ev = wb["Evidence"]
print(ev.freeze_panes, ev.auto_filter.ref.replace("$", ""))
print(repr(ev["G4"].value), ev["G4"].data_type)
print(repr(wb["Matrix"]["B4"].value))
print(wb.properties.title)`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	want := "Summary,Studies,CASP,Themes,Matrix,Codes,Quotes,Evidence,CERQual,SoQF,Sensitivity,Warnings\n" +
		"A4 A3:G20\n'=SUM(A1)' s\n2\n" + sampleResult().Title + "\n"
	if string(out) != want {
		t.Errorf("openpyxl read:\n%s\nwant:\n%s", out, want)
	}
}

// TestXLSXOpensInLibreOffice converts the workbook with LibreOffice, when
// it is installed: the file must open and its first sheet convert.
func TestXLSXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed; .ci/run installs it")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "synthesis.xlsx")
	if err := os.WriteFile(path, renderXLSX(t), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "csv", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "synthesis.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(csv), "Summary,\n,\nItem,Value\n") {
		t.Errorf("LibreOffice read the Summary sheet as:\n%s", csv)
	}
}

func TestFitCell(t *testing.T) {
	long := strings.Repeat("é", 40000)
	got := fitCell(long)
	if n := utf8.RuneCountInString(got); n != xlsxMaxCellChars || !strings.HasSuffix(got, cutNote) {
		t.Errorf("fitCell: %d characters, suffix %q", n, got[len(got)-20:])
	}
	if fitCell("short") != "short" {
		t.Error("short text changed")
	}
}

// definedName returns what the defined name of a sheet refers to.
func definedName(f *excelize.File, name, sheet string) string {
	for _, dn := range f.GetDefinedName() {
		if dn.Name == name && dn.Scope == sheet {
			return dn.RefersTo
		}
	}
	return ""
}
