package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/benchdata"
)

// bombSheet is a worksheet of 20 MB of white space between two rows: it
// deflates about 1028:1, past the 1000:1 limit once beyond 10 MB.
func bombSheet() string {
	return `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1"><v>1</v></c></row>` +
		strings.Repeat(" ", 20<<20) + `<row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>`
}

func TestZipBombRatio(t *testing.T) {
	p := pkg{sheets: []pkgSheet{{name: "S", xml: bombSheet()}}}
	fe, path := sheetFileError(t, p)
	for _, want := range []string{"xl/worksheets/sheet1.xml", "1000 times its compressed size", "zip bomb", "--max-xml-size"} {
		if !strings.Contains(fe.Msg, want) {
			t.Errorf("error %q does not say %q", fe.Msg, want)
		}
	}
	if fe.File != path || fe.Sheet != "S" {
		t.Errorf("error place = %q %q", fe.File, fe.Sheet)
	}

	// An explicit limit (--max-xml-size) replaces the ratio check.
	wb2, _, err := openParts(t, p.build(), Options{MaxPartSize: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if got := readSheet(t, wb2, "S"); got["A2"] != "2" {
		t.Errorf("with an explicit limit: %v", got)
	}
}

// TestPartSizeLimit: a part past --max-xml-size is refused from the size
// the zip declares, before a row is read; without trusting the declared
// size, reading stops where the limit is passed.
func TestPartSizeLimit(t *testing.T) {
	for _, trust := range []bool{true, false} {
		t.Run(fmt.Sprintf("trust declared size %v", trust), func(t *testing.T) {
			defer func(old bool) { trustDeclared = old }(trustDeclared)
			trustDeclared = trust
			testPartSizeLimit(t, trust)
		})
	}
}

func testPartSizeLimit(t *testing.T, trust bool) {
	var data strings.Builder
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>extract number %d</t></is></c></row>`, i, i, i)
	}
	parts := oneSheet(data.String()).build()
	wb, _, err := openParts(t, parts, Options{MaxPartSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = wb.Rows("S", func(Row) error { n++; return nil })
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v after %d rows, want a *FileError", err, n)
	}
	for _, want := range []string{"xl/worksheets/sheet1.xml", "larger than 64 KiB", "--max-xml-size"} {
		if !strings.Contains(fe.Msg, want) {
			t.Errorf("error %q does not say %q", fe.Msg, want)
		}
	}
	if trust && n != 0 || !trust && (n == 0 || n >= 2000) {
		t.Errorf("%d rows before the limit", n)
	}

	// The same limit on a part read at open time.
	_, _, err = openParts(t, parts, Options{MaxPartSize: 100})
	if err == nil || !strings.Contains(err.Error(), "larger than 100 bytes") {
		t.Errorf("small limit at open: %v", err)
	}
}

// The bomb can sit in any part: the shared strings are read by their own
// goroutine, and its error must still reach Rows.
func TestZipBombInSharedStrings(t *testing.T) {
	p := oneSheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
	p.sstXML = `<sst ` + nsMain + `><si><t>a</t></si>` + strings.Repeat(" ", 20<<20) + `</sst>`
	wb, _, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tryReadSheet(wb, "S")
	if err == nil || !strings.Contains(err.Error(), "xl/sharedStrings.xml") || !strings.Contains(err.Error(), "zip bomb") {
		t.Errorf("error = %v", err)
	}
}

// A zip entry that declares a small size but inflates to more is refused:
// the limits count what comes out, not what the header says.
func TestDeclaredSizeNotTrusted(t *testing.T) {
	sheet := []byte(bombSheet())
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.DefaultCompression)
	fw.Write(sheet)
	fw.Close()

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range oneSheet("").build() {
		if p.name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: p.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(sheet),
				CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1000,
			})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(comp.Bytes())
			continue
		}
		w, _ := zw.Create(p.name)
		w.Write([]byte(p.data))
	}
	zw.Close()
	path := writeTemp(t, "lying.xlsx", buf.Bytes())
	err := readWholeWorkbook(path)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "xl/worksheets/sheet1.xml") {
		t.Errorf("error = %v, want a *FileError about the sheet part", err)
	}
}

func TestCountingReader(t *testing.T) {
	src := strings.NewReader(strings.Repeat("x", 1000))
	c := &countingReader{r: src, name: "p", compressed: 1000, lim: partLimits{max: 300}}
	n, err := io.Copy(io.Discard, c)
	var tb *partTooBig
	if !errors.As(err, &tb) || n > 301 {
		t.Errorf("read %d, err %v", n, err)
	}
	// Reads after the limit keep failing and never panic.
	if _, err := c.Read(make([]byte, 10)); !errors.As(err, &tb) {
		t.Errorf("second read: %v", err)
	}
}

// Memory must not grow with the sheet: reading a sheet of about 60 MB of
// XML (inline strings, so no string table) keeps the live heap small.
func TestMemoryDoesNotGrowWithSheet(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 60 MB sheet")
	}
	path := filepath.Join(t.TempDir(), "big.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	const rows = 200_000
	for _, p := range oneSheet("").build() {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if p.name != "xl/worksheets/sheet1.xml" {
			io.WriteString(w, p.data)
			continue
		}
		io.WriteString(w, `<worksheet `+nsMain+`><sheetData>`)
		text := strings.Repeat("participants described feeling heard ", 7)
		var b []byte
		for i := 1; i <= rows; i++ {
			b = fmt.Appendf(b[:0], `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s%d</t></is></c><c r="B%d"><v>%d</v></c></row>`, i, i, text, i, i, i)
			w.Write(b)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
	}
	zw.Close()
	f.Close()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	wb, err := OpenXLSX(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var peak uint64
	n := 0
	err = wb.Rows("S", func(r Row) error {
		n++
		if n%20000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil || n != rows {
		t.Fatalf("%d rows, err %v", n, err)
	}
	grown := int64(peak) - int64(base)
	t.Logf("heap grew by at most %d KB while reading", grown>>10)
	if grown > 32<<20 {
		t.Errorf("heap grew by %d MB reading a 60 MB sheet", grown>>20)
	}
}

func TestProgressCountsInflatedBytes(t *testing.T) {
	var buf bytes.Buffer
	if err := benchdata.WriteExtractsWorkbook(&buf, 2000, 1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := &Progress{}
	wb, err := OpenXLSX(path, Options{Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if err := wb.Rows(benchdata.SheetName, func(Row) error { return nil }); err != nil {
		t.Fatal(err)
	}
	done, total := prog.Counts()
	if done == 0 || done != total {
		t.Errorf("progress %d of %d; want all of a non-zero total", done, total)
	}
}
