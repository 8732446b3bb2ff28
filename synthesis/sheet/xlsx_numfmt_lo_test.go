package sheet

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// LibreOffice as an independent check of formatCases: a workbook with each
// number in its format, converted to CSV with "save cell contents as
// shown", must give the text Excel shows, or where LibreOffice shows
// something else of its own the text in the case's lo. Skipped when
// soffice is not installed.
func TestNumberFormatsLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not installed")
	}
	dir := t.TempDir()
	f := excelize.NewFile()
	for i, tc := range formatCases {
		code := tc.code
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			t.Fatalf("style %q: %v", code, err)
		}
		ref := "A" + strconv.Itoa(i+1)
		if err := f.SetCellFloat("Sheet1", ref, tc.v, -1, 64); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle("Sheet1", ref, ref, style); err != nil {
			t.Fatal(err)
		}
		// The case's index beside it: CSV readers skip a blank line, as
		// LibreOffice writes for a number its format hides.
		if err := f.SetCellStr("Sheet1", "B"+strconv.Itoa(i+1), strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	in := filepath.Join(dir, "formats.xlsx")
	if err := f.SaveAs(in); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=en_US.UTF-8")
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
		}
	}()
	out, err := cmd.CombinedOutput()
	close(done)
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	r, err := os.Open(filepath.Join(dir, "formats.csv"))
	if err != nil {
		t.Fatalf("soffice wrote no CSV: %v\n%s", err, out)
	}
	defer r.Close()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, row := range rows {
		if len(row) == 2 {
			shown[row[1]] = row[0]
		}
	}
	for i, tc := range formatCases {
		want := tc.want
		if tc.lo != "" {
			want = tc.lo
		}
		if want == "-" {
			continue
		}
		// Padding at the ends is layout, which we drop (xlsx_numfmt.go).
		got := strings.Trim(shown[strconv.Itoa(i)], " ")
		if got != want {
			t.Errorf("LibreOffice shows %q with %v as %q, want %q (Excel: %q)", tc.code, tc.v, got, want, tc.want)
		}
	}
}
