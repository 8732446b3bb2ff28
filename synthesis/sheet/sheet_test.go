package sheet

import (
	"strconv"
	"testing"
)

// TestRef checks cell references at Excel's well-known columns (Z, AA, ZZ,
// AAA, XFD, its last) and that the reader's own parser reads every column's
// reference back.
func TestRef(t *testing.T) {
	for _, c := range []struct {
		col, row int
		want     string
	}{{1, 1, "A1"}, {26, 9, "Z9"}, {27, 10, "AA10"}, {52, 2, "AZ2"}, {53, 2, "BA2"}, {702, 7, "ZZ7"}, {703, 1, "AAA1"}, {16384, 1048576, "XFD1048576"}, {0, 14, "14"}} {
		if got := Ref(c.col, c.row); got != c.want {
			t.Errorf("Ref(%d, %d) = %q, want %q", c.col, c.row, got, c.want)
		}
	}
	for col := 1; col <= 16384; col++ {
		ref := AppendRef([]byte("x"), col, col*7)
		if got, row, ok := parseRef(ref[1:]); !ok || got != col || row != col*7 || string(ref[:1]) != "x" || ColName(col)+strconv.Itoa(col*7) != string(ref[1:]) {
			t.Fatalf("column %d: %q reads back as column %d, row %d", col, ref, got, row)
		}
	}
	if got := Where("data/a b.xlsx", "Sheet 1", 4, 14); got != "data/a b.xlsx:Sheet 1!D14" {
		t.Errorf("Where = %q", got)
	}
}
