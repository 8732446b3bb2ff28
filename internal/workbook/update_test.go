package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/workbook/workbooktest"
	"github.com/xuri/excelize/v2"
)

var testList = ListSheet{Sheet: "Code list", Name: "SynthCodes", Header: "Code"}

// listBook is a workbook with an Extracts sheet whose Codes column reads
// the hidden list of codes.
func listBook(t *testing.T, codes []string) []byte {
	t.Helper()
	data, err := Write(Book{Title: "T",
		Sheets: []Sheet{
			{Name: "Extracts", Header: []string{"ID", "Codes"},
				Lists: []List{{Range: "B2:B1048576", Source: testList.Name, Style: Information, Prompt: "Pick", Error: "Not in the list"}}},
			testList.SheetOf(codes),
		},
		Names: []Name{{Name: testList.Name, RefersTo: testList.Range(len(codes))}}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestListFromHiddenRange(t *testing.T) {
	codes := make([]string, 300) // far past the 255 characters of an inline list
	for i := range codes {
		codes[i] = fmt.Sprintf("Code number %03d", i+1)
	}
	f, err := excelize.OpenReader(bytes.NewReader(listBook(t, codes)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetSheetVisible("Code list"); v {
		t.Error("the list sheet is visible")
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "SynthCodes" || names[0].RefersTo != "'Code list'!$A$2:$A$301" {
		t.Errorf("defined names %+v", names)
	}
	dvs, _ := f.GetDataValidations("Extracts")
	if len(dvs) != 1 || dvs[0].Formula1 != "SynthCodes" || dvs[0].Sqref != "B2:B1048576" ||
		dvs[0].ErrorStyle == nil || *dvs[0].ErrorStyle != "information" || dvs[0].Prompt == nil || *dvs[0].Prompt != "Pick" {
		t.Errorf("validation %+v", dvs)
	}
	for _, c := range []struct{ cell, want string }{{"A1", "Code"}, {"A2", "Code number 001"}, {"A301", "Code number 300"}, {"A302", ""}} {
		if got, _ := f.GetCellValue("Code list", c.cell); got != c.want {
			t.Errorf("Code list!%s = %q, want %q", c.cell, got, c.want)
		}
	}
	if _, err := Write(Book{Sheets: []Sheet{{Name: "S", Header: []string{"A"}, Lists: []List{{Range: "A2:A9", Values: codes}}}}}); err == nil {
		t.Error("an inline list of 300 codes was written; Excel refuses more than 255 characters")
	}
}

func TestUpdateListKeepsEveryOtherPart(t *testing.T) {
	// A reviewer fills the workbook in (excelize saves it as a program
	// would: every part rewritten, text in shared strings).
	f, err := excelize.OpenReader(bytes.NewReader(listBook(t, []string{"Old one", "Old two"})))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{"A2": "E1", "B2": "Old one; Old two", "A3": "E2", "B3": "=not a formula", "C9": "note"}
	for cell, v := range rows {
		if err := f.SetCellStr("Extracts", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var filled bytes.Buffer
	if err := f.Write(&filled); err != nil {
		t.Fatal(err)
	}
	f.Close()

	codes := []string{"New & one", "<two>", "_x000D_ three", " four "}
	out, err := UpdateList(filled.Bytes(), testList, codes)
	if err != nil {
		t.Fatal(err)
	}
	changed := workbooktest.ChangedParts(t, filled.Bytes(), out)
	if got := strings.Join(changed, ","); got != "xl/worksheets/sheet2.xml,xl/workbook.xml" {
		t.Errorf("changed parts: %s; want only the workbook part and the list sheet", got)
	}
	wbBefore, wbAfter := partText(t, filled.Bytes(), "xl/workbook.xml"), partText(t, out, "xl/workbook.xml")
	if want := strings.Replace(wbBefore, "$A$2:$A$3<", "$A$2:$A$5<", 1); wbAfter != want || wbAfter == wbBefore {
		t.Errorf("workbook part:\n%s\nwant\n%s", wbAfter, want)
	}

	g, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for cell, want := range rows {
		if got, _ := g.GetCellValue("Extracts", cell); got != want {
			t.Errorf("Extracts!%s = %q, want %q", cell, got, want)
		}
	}
	list, _ := g.GetRows("Code list")
	var got []string
	for _, r := range list[1:] {
		got = append(got, r[0])
	}
	if strings.Join(got, "|") != strings.Join(codes, "|") {
		t.Errorf("list %q, want %q", got, codes)
	}
	if names := g.GetDefinedName(); len(names) != 1 || names[0].RefersTo != "'Code list'!$A$2:$A$5" {
		t.Errorf("defined names %+v", names)
	}
	if v, _ := g.GetSheetVisible("Code list"); v {
		t.Error("the list sheet became visible")
	}
}

func TestUpdateListRefuses(t *testing.T) {
	plain, err := Write(Book{Sheets: []Sheet{{Name: "Extracts", Header: []string{"ID"}}}})
	if err != nil {
		t.Fatal(err)
	}
	noName, err := Write(Book{Sheets: []Sheet{{Name: "Extracts", Header: []string{"ID"}}, testList.SheetOf(nil)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("ID,Codes\n"), "not an xlsx workbook (not a zip file)"},
		{"no list sheet", plain, `it has no sheet "Code list" (its sheets: Extracts), so it was not made by synth template`},
		{"no defined name", noName, "it has no defined name SynthCodes, which its drop-down lists read, so it was not made by synth template"},
	} {
		if _, err := UpdateList(c.data, testList, []string{"a"}); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func partText(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}
