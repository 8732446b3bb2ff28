package sheet

import (
	"maps"
	"strconv"
	"strings"
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

// TestValueBlocks reads a sheet of 2,000 rows, whose values fill several
// of Options.ValueBlocks' blocks (escapes, a value past a quarter of a
// block, a formula's string and a number among them), keeping every value:
// after the read each is still what the reader without blocks gives, so
// no block was written over once its values were handed out.
func TestValueBlocks(t *testing.T) {
	var data strings.Builder
	long := strings.Repeat("long text & more ", 300) // 5,100 bytes: a string of its own
	for i := 1; i <= 2000; i++ {
		n := strconv.Itoa(i)
		text := "extract " + n + " &lt;quoted&gt; " + strings.Repeat("x", i%40)
		if i%500 == 0 {
			text = xmlEsc(long)
		}
		data.WriteString(`<row r="` + n + `"><c r="A` + n + `" t="inlineStr"><is><t>S` + strconv.Itoa(i%7) + `</t></is></c>` +
			`<c r="B` + n + `" t="inlineStr"><is><t>` + text + `</t></is></c>` +
			`<c r="C` + n + `" t="str"><f>A1</f><v>f` + n + `</v></c><c r="D` + n + `"><v>` + n + `.5</v></c></row>`)
	}
	parts := oneSheet(data.String()).build()
	plain, _, err := openParts(t, parts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := readSheet(t, plain, "S")
	blocks, _, err := openParts(t, parts, Options{ValueBlocks: true, ReuseCells: true})
	if err != nil {
		t.Fatal(err)
	}
	got := readSheet(t, blocks, "S") // keeps every value past its row
	if len(got) != 8000 || !maps.Equal(got, want) {
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("with ValueBlocks %s read %.40q after the read, want %.40q (%d cells, want %d)", k, got[k], v, len(got), len(want))
			}
		}
		t.Fatalf("with ValueBlocks read %d cells, want %d", len(got), len(want))
	}
	if got["B500"] != long || got["B2"] != "extract 2 <quoted> xx" {
		t.Errorf("B500 %.30q…, B2 %q: the escapes were not decoded", got["B500"], got["B2"])
	}
}
