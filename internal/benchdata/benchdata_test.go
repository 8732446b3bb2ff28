package benchdata

import (
	"bytes"
	"io"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSameSeedSameBytes(t *testing.T) {
	var a, b, c bytes.Buffer
	if err := WriteExtractsWorkbook(&a, 200, 7); err != nil {
		t.Fatal(err)
	}
	if err := WriteExtractsWorkbook(&b, 200, 7); err != nil {
		t.Fatal(err)
	}
	if err := WriteExtractsWorkbook(&c, 200, 8); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two workbooks from the same seed differ")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("workbooks from different seeds are the same")
	}
}

// Excel's own reading of the package is stood in for by excelize: every
// row must read back as MakeRow made it.
func TestExcelizeReadsItBack(t *testing.T) {
	t.Run("shared strings", func(t *testing.T) { testReadsBack(t, WriteExtractsWorkbook) })
	t.Run("inline strings", func(t *testing.T) { testReadsBack(t, WriteInlineExtractsWorkbook) })
}

func testReadsBack(t *testing.T, write func(io.Writer, int, int64) error) {
	const rows = 300
	var buf bytes.Buffer
	if err := write(&buf, rows, 1); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != SheetName {
		t.Fatalf("sheets = %q", got)
	}
	all, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != rows+1 {
		t.Fatalf("%d rows, want %d", len(all), rows+1)
	}
	for i, h := range Header {
		if all[0][i] != h {
			t.Errorf("header %d = %q, want %q", i, all[0][i], h)
		}
	}
	for i := 0; i < rows; i++ {
		r := MakeRow(1, i)
		want := []string{r.Study, r.Extract, r.Codes, r.ID, r.Type, strconv.Itoa(r.Page), r.Coder}
		got := all[i+1]
		for j := range want {
			if j >= len(got) || got[j] != want[j] {
				t.Fatalf("row %d = %q, want %q", i+2, got, want)
			}
		}
		if l := len(r.Extract); l < 150 || l > 300 {
			t.Errorf("row %d: extract of %d bytes", i+2, l)
		}
	}
}
