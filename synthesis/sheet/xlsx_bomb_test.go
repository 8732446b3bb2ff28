package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/synth-qda/synth/internal/benchdata"
)

// Every shape of zip bomb is refused by the part's size limit with the
// usual message, and without the reader holding what it inflates: each
// part here inflates past a 64 MiB limit (--max-xml-size 64MiB, so the
// ratio check is off and the size limit has to stop it, as the default
// 2 GiB one does on a bomb packed just under 1000:1), while the whole read
// allocates less than 48 MiB. Before the tokenizer handed out long text in
// pieces and bounded its window, a run of blanks, a text node or an
// attribute of that size was held whole, and the window doubled to hold it.
// scripts/bench.sh times the same shapes at the default limit.
func TestZipBombShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 64 MiB per shape")
	}
	// These bombs declare their true size, which alone refuses them (see
	// TestDeclaredSizeRefusesBombs); here the reader inflates them, as it
	// would a bomb whose zip directory understated its size.
	defer func(old bool) { trustDeclared = old }(trustDeclared)
	trustDeclared = false
	const limit = 64 << 20
	for _, shape := range benchdata.BombShapes {
		t.Run(shape, func(t *testing.T) {
			var buf bytes.Buffer
			if err := benchdata.WriteBomb(&buf, shape, limit+limit/4); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "bomb.xlsx")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			allocated, err := allocatedBy(func() error { return readWholeBook(path, Options{MaxPartSize: limit}) })
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FileError", err)
			}
			part := benchdata.SheetPart
			if shape == "shared-string" {
				part = "xl/sharedStrings.xml"
			}
			for _, want := range []string{part, "is larger than 64 MiB uncompressed", "--max-xml-size"} {
				if !strings.Contains(fe.Msg, want) {
					t.Errorf("error %q does not say %q", fe.Msg, want)
				}
			}
			t.Logf("%d KB compressed; read allocated %d MB", buf.Len()>>10, allocated>>20)
			bound := uint64(48 << 20)
			if shape == "merges" {
				// A sheet may hold up to maxMerges ranges; growing to
				// them allocates twice their size.
				bound += 2 * maxMerges * uint64(unsafe.Sizeof(Range{}))
			}
			if allocated > bound {
				t.Errorf("reading allocated %d MB; the bomb was held, not streamed", allocated>>20)
			}
		})
	}
}

// TestDeclaredSizeRefusesBombs: a part whose zip directory declares more
// than the limit, or more than 1000:1 past 10 MiB, is refused from the
// declaration before its data is inflated. The parts here declare sizes
// their data does not have, so a reader that inflated them would fail
// otherwise (archive/zip: unexpected EOF), not with the limit's message.
func TestDeclaredSizeRefusesBombs(t *testing.T) {
	small := zipBytes(t, oneSheet(`<row r="1"><c r="A1"><v>1</v></c></row>`).build())
	for _, c := range []struct {
		name     string
		declared uint64
		opts     Options
		wants    string
	}{
		{"past the default 2 GiB", 3 << 30, Options{}, "is larger than 2 GiB uncompressed"},
		{"past --max-xml-size", 80 << 20, Options{MaxPartSize: 64 << 20}, "is larger than 64 MiB uncompressed"},
		{"past 1000:1", 64 << 20, Options{}, "inflates to more than 1000 times"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := redeclare(t, small, "xl/worksheets/sheet1.xml", c.declared)
			wb, err := OpenXLSX(writeTemp(t, "bomb.xlsx", data), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			err = wb.Rows(wb.Sheets()[0].Name, func(Row) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.wants) || !strings.Contains(err.Error(), "xl/worksheets/sheet1.xml") {
				t.Fatalf("error %v, want %q naming the sheet part", err, c.wants)
			}
		})
	}
}

// redeclare copies a zip, its entries' compressed data as they are, with
// the uncompressed size of one entry declared as size.
func redeclare(t *testing.T, data []byte, name string, size uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == name {
			h.UncompressedSize64 = size
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readWholeBook opens a workbook and reads its first sheet to the end.
func readWholeBook(path string, opts Options) error {
	wb, err := OpenXLSX(path, opts)
	if err != nil {
		return err
	}
	defer wb.Close()
	return wb.Rows(wb.Sheets()[0].Name, func(Row) error { return nil })
}

// allocatedBy reports the bytes fn allocated on the heap.
func allocatedBy(fn func() error) (uint64, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, err
}

// A tag, comment or cell text that is too long but ends before the part's
// limit is refused by the limits of its own, naming what it is.
func TestOverlongTokens(t *testing.T) {
	if testing.Short() {
		t.Skip("writes parts of some tens of MB")
	}
	long := strings.Repeat("a", maxCellText+1)
	longTag := strings.Repeat("a", maxToken+1)
	cases := []struct {
		name, sheet, sst, want string
	}{
		{"inline string", `<row r="1"><c r="B1" t="inlineStr"><is><t>` + long + `</t></is></c></row>`, "",
			"the cell holds more than 8 MiB of text"},
		{"value", `<row r="1"><c r="B1"><v>` + long + `</v></c></row>`, "",
			"the cell holds more than 8 MiB of text"},
		{"shared string", `<row r="1"><c r="A1" t="s"><v>1</v></c></row>`,
			`<sst ` + nsMain + `><si><t>a</t></si><si><t>` + long + `</t></si></sst>`,
			"shared string 1 (counting from 0) holds more than 8 MiB of text"},
		{"attribute", `<row r="1"><c r="A1" x="` + longTag + `"><v>1</v></c></row>`, "",
			"a tag, comment or CDATA section longer than 8 MiB"},
		{"comment", `<!--` + longTag + `--><row r="1"><c r="A1"><v>1</v></c></row>`, "",
			"a tag, comment or CDATA section longer than 8 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := oneSheet(c.sheet)
			p.sstXML = c.sst
			wb, _, err := openParts(t, p.build(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = tryReadSheet(wb, "S")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one saying %q", err, c.want)
			}
		})
	}
}

// Text longer than the window comes out of the tokenizer in pieces; cut
// next to an entity or a CRLF, they must still decode to the whole.
func TestLongTextInPieces(t *testing.T) {
	for _, at := range []int{textPiece - 13, textPiece - 5, textPiece - 1, textPiece, textPiece + 3} {
		for _, mark := range []string{"&amp;", "&#x41;", "\r\n", "\r"} {
			raw := strings.Repeat("x", at) + mark + strings.Repeat("y", 2*textPiece) + mark + "z"
			want := strings.NewReplacer("&amp;", "&", "&#x41;", "A", "\r\n", "\n", "\r", "\n").Replace(raw)
			p := oneSheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>` + raw + `</t></is></c><c r="B1"><v>` + raw[:0] + `7</v></c></row>`)
			wb, _, err := openParts(t, p.build(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := readSheet(t, wb, "S")
			if got["A1"] != want || got["B1"] != "7" {
				t.Errorf("mark %q at %d: got %d bytes (B1 %q), want %d", mark, at, len(got["A1"]), got["B1"], len(want))
				if i := firstDiff(got["A1"], want); i >= 0 {
					t.Errorf("first difference at byte %d", i)
				}
			}
		}
	}
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// A row written as the same cells again and again keeps one of each.
func TestRepeatedCellsStayBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<row r="1">`)
	for i := range 3 * maxCols {
		fmt.Fprintf(&b, `<c r="B1"><v>%d</v></c><c r="A1"><v>%d</v></c>`, i, i)
	}
	b.WriteString(`</row>`)
	wb, _, err := openParts(t, oneSheet(b.String()).build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var cells []Cell
	err = wb.Rows("S", func(r Row) error { cells = r.Cells; return nil })
	last := fmt.Sprint(3*maxCols - 1)
	if err != nil || len(cells) != 2 || cells[0].Value != last || cells[1].Value != last {
		t.Errorf("cells %v, err %v; want A1 and B1 both %s", cells, err, last)
	}
}
