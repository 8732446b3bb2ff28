package sheet

import (
	"maps"
	"testing"
)

// TestReuseCells reads a sheet with rows of several widths, cells out of
// order and a repeated cell, with and without Options.ReuseCells: the
// values are the same, and with it every row's cells are in one slice,
// reused (the first cell of each row at the same address).
func TestReuseCells(t *testing.T) {
	data := `<row r="1"><c r="A1" t="inlineStr"><is><t>Study</t></is></c><c r="B1" t="inlineStr"><is><t>Extract</t></is></c><c r="C1" t="inlineStr"><is><t>Codes</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>S1</t></is></c><c r="B2" t="inlineStr"><is><t>one</t></is></c><c r="C2"><v>3</v></c></row>` +
		`<row r="3"><c r="C3" t="inlineStr"><is><t>late</t></is></c><c r="A3" t="inlineStr"><is><t>S2</t></is></c><c r="A3" t="inlineStr"><is><t>S3</t></is></c></row>` +
		`<row r="5"><c r="B5" t="inlineStr"><is><t>alone</t></is></c></row>`
	parts := oneSheet(data).build()
	plain, _, err := openParts(t, parts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := readSheet(t, plain, "S")
	reusing, _, err := openParts(t, parts, Options{ReuseCells: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var first []*Cell
	err = reusing.Rows("S", func(r Row) error {
		for _, c := range r.Cells {
			got[Ref(c.Col, r.Num)] = c.Value
		}
		first = append(first, &r.Cells[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("with ReuseCells read %v, want %v", got, want)
	}
	if want["A3"] != "S3" || want["C3"] != "late" {
		t.Errorf("row 3 read %q and %q, want the later A3 (S3) and C3 (late)", want["A3"], want["C3"])
	}
	for i, p := range first {
		if p != first[0] {
			t.Errorf("row %d's cells are in a slice of their own, not the reused one", i+1)
		}
	}
}
