package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/workbook/workbooktest"
	"github.com/xuri/excelize/v2"
)

// templateProject writes a project whose codebook has the codes given
// (quoted for YAML) and returns its folder.
func templateProject(t *testing.T, codes []string, synthYAML string) string {
	t.Helper()
	dir := t.TempDir()
	var cb strings.Builder
	cb.WriteString("version: 1\ncodes:\n")
	for _, c := range codes {
		q, _ := json.Marshal(c)
		fmt.Fprintf(&cb, "  - name: %s\n", q)
	}
	cb.WriteString("themes:\n  - name: All\n    codes: [")
	for i, c := range codes {
		q, _ := json.Marshal(c)
		if i > 0 {
			cb.WriteString(", ")
		}
		cb.Write(q)
	}
	cb.WriteString("]\n")
	for name, data := range map[string]string{"synth.yaml": synthYAML, "codebook.yaml": cb.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// manyCodes are n code names, some of them text a workbook must keep as
// written: a formula's look, markup, an OOXML escape, non-ASCII.
func manyCodes(n int) []string {
	special := []string{"=SUM(A1)", "Tom & Jerry", "<b>bold</b>", "_x000D_ kept", "Ümlaut café", "Can't tell"}
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("Code %03d", i+1)
		if i < len(special) {
			codes[i] = special[i]
		}
	}
	return codes
}

const plainProject = "version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: extracts.xlsx\n"

// pythonWithOpenpyxl is a python3 that imports openpyxl, or "".
func pythonWithOpenpyxl() string {
	// Debian's python3-openpyxl is for /usr/bin/python3, which may not be
	// the python3 first on PATH.
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import openpyxl").Run() == nil {
			return path
		}
	}
	return ""
}

// readWithOpenpyxl describes a workbook as openpyxl reads it: each sheet's
// state and cell values, each data validation, and the values of the
// range each list validation's formula (or the defined name it gives)
// refers to.
const readWithOpenpyxl = `
import json, re, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": [], "names": {}}
dn = wb.defined_names
for d in (dn.values() if hasattr(dn, "values") else dn.definedName):  # openpyxl 3.1, 3.0
    out["names"][d.name] = d.attr_text
def resolve(ref):
    ref = out["names"].get(ref, ref)
    m = re.fullmatch(r"'?(.*?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", ref.replace("''", "'"))
    if not m:
        return None
    ws = wb[m.group(1)]
    return [ws[m.group(2) + str(r)].value for r in range(int(m.group(3)), int(m.group(5)) + 1)]
for ws in wb.worksheets:
    dvs = []
    for dv in ws.data_validations.dataValidation:
        dvs.append({"sqref": str(dv.sqref), "type": dv.type, "formula1": dv.formula1,
                    "error_style": dv.errorStyle, "show_error": bool(dv.showErrorMessage),
                    "values": resolve(dv.formula1) if dv.formula1 and not dv.formula1.startswith('"') else None})
    rows = [[c if c is not None else "" for c in r] for r in ws.iter_rows(values_only=True)]
    out["sheets"].append({"title": ws.title, "state": ws.sheet_state, "rows": rows, "validations": dvs})
json.dump(out, sys.stdout)
`

type pySheet struct {
	Title       string
	State       string
	Rows        [][]any
	Validations []struct {
		Sqref      string
		Type       string
		Formula1   string
		ErrorStyle string `json:"error_style"`
		ShowError  bool   `json:"show_error"`
		Values     []string
	}
}

func openpyxlRead(t *testing.T, python, path string) (sheets []pySheet, names map[string]string) {
	t.Helper()
	out, err := exec.Command(python, "-c", readWithOpenpyxl, path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var book struct {
		Sheets []pySheet
		Names  map[string]string
	}
	if err := json.Unmarshal(out, &book); err != nil {
		t.Fatal(err)
	}
	return book.Sheets, book.Names
}

// TestTemplate500Codes: openpyxl reads every sheet of a template for a
// codebook of 500 codes; the Codes drop-down reads the hidden sheet's
// range through the defined name and finds all 500 codes as written; it
// lets a cell of several codes stand (Information style); CASP and Type
// have their lists.
func TestTemplate500Codes(t *testing.T) {
	codes := manyCodes(500)
	dir := templateProject(t, codes, plainProject)
	if code, stderr := synthIn(t, dir, "template"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	path := filepath.Join(dir, TemplateFile)

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dvs, _ := f.GetDataValidations("Extracts")
	f.Close()
	if len(dvs) != 2 || dvs[0].Sqref != "D2:D1048576" || dvs[0].Formula1 != "SynthCodes" || *dvs[0].ErrorStyle != "information" {
		t.Errorf("excelize reads the validations as %+v", dvs)
	}

	python := pythonWithOpenpyxl()
	if python == "" {
		t.Skip("python3 with openpyxl not installed; .ci/run installs it")
	}
	sheets, names := openpyxlRead(t, python, path)
	var titles []string
	for _, s := range sheets {
		titles = append(titles, s.Title+":"+s.State)
	}
	if got := strings.Join(titles, ","); got != "Extracts:visible,Studies:visible,Instructions:visible,Code list:hidden" {
		t.Fatalf("sheets %s", got)
	}
	if names["SynthCodes"] != "'Code list'!$A$2:$A$501" {
		t.Errorf("SynthCodes refers to %q", names["SynthCodes"])
	}
	ex := sheets[0]
	if fmt.Sprint(ex.Rows) != "[[ID Study Extract Codes Type Location Coder]]" {
		t.Errorf("Extracts rows %v", ex.Rows)
	}
	if len(ex.Validations) != 2 {
		t.Fatalf("Extracts validations %+v", ex.Validations)
	}
	codesDV := ex.Validations[0]
	if codesDV.Sqref != "D2:D1048576" || codesDV.Type != "list" || codesDV.Formula1 != "SynthCodes" ||
		codesDV.ErrorStyle != "information" || !codesDV.ShowError {
		t.Errorf("Codes validation %+v", codesDV)
	}
	if !slices.Equal(codesDV.Values, codes) {
		t.Errorf("the drop-down's %d values differ from the codebook's 500 codes; first %q", len(codesDV.Values), codesDV.Values[:min(8, len(codesDV.Values))])
	}
	if v := ex.Validations[1]; v.Sqref != "E2:E1048576" || v.Formula1 != `"participant,author"` || v.ErrorStyle != "warning" {
		t.Errorf("Type validation %+v", v)
	}
	st := sheets[1]
	if len(st.Rows) != 1 || len(st.Rows[0]) != 19 || st.Rows[0][1] != "Label" || st.Rows[0][18] != "CASP 10" {
		t.Errorf("Studies header %v", st.Rows)
	}
	if len(st.Validations) != 1 || st.Validations[0].Sqref != "J2:S1048576" || st.Validations[0].Formula1 != `"Yes,No,Can't tell"` {
		t.Errorf("CASP validation %+v", st.Validations)
	}
	if len(sheets[2].Rows) < 5 || !strings.Contains(fmt.Sprint(sheets[2].Rows), "separated by ;") {
		t.Errorf("Instructions %v", sheets[2].Rows)
	}
}

// TestTemplateFollowsSynthYAML: headers and sheet names come from the
// project's columns; a column given by letter takes the default name; a
// column serving two roles appears once.
func TestTemplateFollowsSynthYAML(t *testing.T) {
	dir := templateProject(t, []string{"A"}, `version: 1
codebook: codebook.yaml
studies: {file: extracts.xlsx, sheet: Included, columns: {id: Study ID, label: Short cite}}
extracts:
  - file: extracts.xlsx
    sheet: Coded
    columns: {study: Study ID, text: Quotation, codes: Code(s), id: Ref, location: Ref, coder: $H}
sensitivity:
  exclude: {column: Risk of bias, values: [high]}
`)
	if code, stderr := synthIn(t, dir, "template", "--out", "t.xlsx"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "t.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Coded,Included,Instructions,Code list" {
		t.Errorf("sheets %s", got)
	}
	head := func(sheet string) string {
		rows, _ := f.GetRows(sheet)
		return strings.Join(rows[0], "|")
	}
	if got := head("Coded"); got != "Ref|Study ID|Quotation|Code(s)|Type|Coder" {
		t.Errorf("Coded header %s", got)
	}
	if got := head("Included"); !strings.HasPrefix(got, "Study ID|Short cite|Author|Year|Country|Setting|Design|Participants|Quality|Risk of bias|CASP 1|") {
		t.Errorf("Included header %s", got)
	}
	dvs, _ := f.GetDataValidations("Coded")
	if len(dvs) != 2 || dvs[0].Sqref != "D2:D1048576" || dvs[1].Sqref != "E2:E1048576" {
		t.Errorf("validations %+v", dvs)
	}
}

// TestTemplateOpensInLibreOffice converts a 500-code template to PDF and
// its first sheet to CSV with LibreOffice, when it is installed.
func TestTemplateOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed; .ci/run installs it")
	}
	dir := templateProject(t, manyCodes(500), plainProject)
	if code, stderr := synthIn(t, dir, "template"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, format := range []string{"csv", "pdf"} {
		convert(t, soffice, dir, format, filepath.Join(dir, TemplateFile))
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "out", "extracts-template.csv"))
	if string(csv) != "ID,Study,Extract,Codes,Type,Location,Coder\n" {
		t.Errorf("LibreOffice read the Extracts sheet as %q", csv)
	}
	if st, err := os.Stat(filepath.Join(dir, "out", "extracts-template.pdf")); err != nil || st.Size() == 0 {
		t.Errorf("no PDF: %v", err)
	}
}

// convert runs LibreOffice's converter on path into dir/out.
func convert(t *testing.T, soffice, dir, format, path string) string {
	t.Helper()
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", format, "--outdir", filepath.Join(dir, "out"), path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, out)
	}
	return filepath.Join(dir, "out", strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+"."+strings.SplitN(format, ":", 2)[0])
}

// TestTemplateUpdateKeepsReviewerCells: a reviewer fills a template in and
// saves it with LibreOffice (every part rewritten by another program);
// after the codebook changes, --update writes a copy whose every part
// but the workbook part and the hidden list is byte for byte the
// reviewer's, whose cells openpyxl reads value for value as before, and
// whose drop-down offers the new codes.
func TestTemplateUpdateKeepsReviewerCells(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed; .ci/run installs it")
	}
	python := pythonWithOpenpyxl()
	if python == "" {
		t.Skip("python3 with openpyxl not installed; .ci/run installs it")
	}
	dir := templateProject(t, []string{"Loneliness", "Hope"}, plainProject)
	if code, stderr := synthIn(t, dir, "template"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, TemplateFile))
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]string{"A2": "E1", "B2": "S01", "C2": "I felt so alone", "D2": "Loneliness; Hope", "A3": "E2", "B3": "S02", "C3": "=1+1 is not a formula", "D3": "Hope"} {
		f.SetCellStr("Extracts", cell, v)
	}
	f.SetCellStr("Studies", "A2", "S01")
	f.SetCellStr("Studies", "J2", "Can't tell")
	if err := f.SaveAs(filepath.Join(dir, "filled.xlsx")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	saved := convert(t, soffice, dir, "xlsx:Calc MS Excel 2007 XML", filepath.Join(dir, "filled.xlsx"))

	codes := manyCodes(300)
	// The list sheet holds inline strings, whose _xHHHH_ escapes excelize
	// and Excel decode and openpyxl 3.0 does not; the escape lookalike is
	// checked through excelize in internal/workbook instead.
	codes[3] = "Code _x 004"
	// The codebook changes, then the reviewer's workbook is updated.
	dir2 := templateProject(t, codes, plainProject)
	updated := filepath.Join(dir, "updated.xlsx")
	if code, stderr := synthIn(t, dir2, "template", "--update", saved, "--out", updated); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}

	savedData, _ := os.ReadFile(saved)
	updatedData, _ := os.ReadFile(updated)
	changed := workbooktest.ChangedParts(t, savedData, updatedData)
	if len(changed) != 2 || !slices.Contains(changed, "xl/workbook.xml") {
		t.Errorf("changed parts %v; want the workbook part and the list sheet only", changed)
	}

	sb, _ := openpyxlRead(t, python, saved)
	sa, names := openpyxlRead(t, python, updated)
	for i := range sb {
		if sb[i].Title == "Code list" {
			continue
		}
		if fmt.Sprint(sb[i].Rows) != fmt.Sprint(sa[i].Rows) || sb[i].State != sa[i].State {
			t.Errorf("sheet %s changed:\n%v\n%v", sb[i].Title, sb[i].Rows, sa[i].Rows)
		}
	}
	var got []string
	for _, r := range sa[0].Rows[1:] {
		got = append(got, fmt.Sprint(r[:4]))
	}
	if strings.Join(got, " ") != "[E1 S01 I felt so alone Loneliness; Hope] [E2 S02 =1+1 is not a formula Hope]" {
		t.Errorf("the reviewer's rows read %s", got)
	}
	if names["SynthCodes"] != "'Code list'!$A$2:$A$301" {
		t.Errorf("SynthCodes refers to %q", names["SynthCodes"])
	}
	if v := sa[0].Validations; len(v) == 0 || !slices.Equal(v[0].Values, codes) {
		t.Errorf("after --update the drop-down does not offer the 300 new codes: %+v", v)
	}
	if sa[3].State != "hidden" {
		t.Errorf("the code list is %s", sa[3].State)
	}
}
