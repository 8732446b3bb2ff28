package workbook

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteReadsBack(t *testing.T) {
	book := Book{Title: "T", Sheets: []Sheet{
		{Name: "Extracts", Header: []string{"ID", "Extract", "Type"},
			Rows:   [][]string{{"E1", "=SUM(A1)", "participant"}, {"", "line _x000D_ kept", ""}},
			Widths: []float64{8, 70}, DefaultWidth: 14,
			Lists: []List{{Range: "C2:C100", Values: []string{"participant", "author"}}}},
		{Name: "Studies", Header: []string{"ID"}, Rows: [][]string{{"S1"}}, DefaultWidth: 16},
	}}
	data, err := Write(book)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Write(book); !bytes.Equal(data, again) {
		t.Error("two writes of the same book differ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Extracts" || got[1] != "Studies" {
		t.Fatalf("sheets %q", got)
	}
	if fo, _ := f.GetCellFormula("Extracts", "B2"); fo != "" {
		t.Errorf("B2 is a formula %q", fo)
	}
	for cell, want := range map[string]string{"A1": "ID", "B2": "=SUM(A1)", "B3": "line _x000D_ kept", "A3": ""} {
		if got, _ := f.GetCellValue("Extracts", cell); got != want {
			t.Errorf("Extracts!%s = %q, want %q", cell, got, want)
		}
	}
	id, _ := f.GetCellStyle("Extracts", "B1")
	st, _ := f.GetStyle(id)
	if st == nil || st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "E7E6E6" {
		t.Errorf("header style %+v", st)
	}
	id, _ = f.GetCellStyle("Extracts", "B2")
	if st, _ := f.GetStyle(id); st == nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("body style %+v", st)
	}
	for _, c := range []struct {
		sheet, col string
		want       float64
	}{{"Extracts", "A", 8}, {"Extracts", "B", 70}, {"Extracts", "C", 14}, {"Studies", "A", 16}} {
		if got, _ := f.GetColWidth(c.sheet, c.col); got != c.want {
			t.Errorf("%s!%s width %v, want %v", c.sheet, c.col, got, c.want)
		}
	}
	for _, s := range f.GetSheetList() {
		if p, _ := f.GetPanes(s); !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v", s, p)
		}
	}
	if dv, _ := f.GetDataValidations("Extracts"); len(dv) != 1 || dv[0].Sqref != "C2:C100" {
		t.Errorf("lists %+v", dv)
	}
	if p, _ := f.GetDocProps(); p.Title != "T" || p.Created != Created {
		t.Errorf("properties %+v", p)
	}
}
