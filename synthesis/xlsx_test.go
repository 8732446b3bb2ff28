package synthesis

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A workbook as reviewers make them: a hidden notes sheet first, the study
// written once in a merged cell over its extracts, codes on separate lines.
func TestBuildXLSXMergedAndHidden(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Notes")
	f.SetCellStr("Notes", "A1", "Study,Extract,Codes")
	idx, _ := f.NewSheet("Coding")
	f.SetActiveSheet(idx)
	if err := f.SetSheetVisible("Notes", false); err != nil {
		t.Fatal(err)
	}
	rows := [][]string{
		{"Study", "Extract", "Codes", "Type"},
		{"S1", "I was alone", "Loneliness\nLow mood", "participant"},
		{"", "Nobody called", "isolation", "participant"},
		{"", "Authors saw withdrawal", "Low mood", "author"},
		{"S2", "She listened", "Being listened to", ""},
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellStr("Coding", cell, v)
		}
	}
	if err := f.MergeCell("Coding", "A2", "A4"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(dir, "extracts.xlsx")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "synth.yaml"), []byte("version: 1\nextracts: [{file: extracts.xlsx}]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "codebook.yaml"), []byte(unpinned), 0o644)
	r, err := Build(filepath.Join(dir, "synth.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Extracts.Len() != 4 {
		t.Fatalf("extracts = %d", r.Extracts.Len())
	}
	for i, want := range []string{"S1", "S1", "S1", "S2"} {
		if r.Extracts.At(i).Study.ID != want {
			t.Errorf("extract %d study = %s, want %s (merged cell fills its range)", i, r.Extracts.At(i).Study.ID, want)
		}
	}
	if got := r.Extracts.At(0).Codes; !slices.Equal(got, []string{"Loneliness", "Low mood"}) {
		t.Errorf("codes = %v", got)
	}
	if r.Extracts.At(2).Type != Author || r.Extracts.At(0).Where() != "extracts.xlsx:Coding!B2" {
		t.Errorf("extract 2 = %+v", r.Extracts.At(2))
	}
}
