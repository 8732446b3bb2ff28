package sheet

// Benchmarks of the xlsx reader against the floor, inflating the sheet XML
// and nothing else. All set bytes to the uncompressed sheet XML size, so
// their MB/s can be divided to read off the ratio the design asks to keep
// within 1.5×:
//
//	go test -run='^$' -bench='ReadXLSX|UnzipFloor' ./synthesis/sheet/
//
// SYNTH_BENCH_ROWS=1000000 changes the row count (default 100,000, the
// design's reference load).

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/synth-qda/synth/internal/benchdata"
)

func benchRows(b *testing.B) int {
	if s := os.Getenv("SYNTH_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("SYNTH_BENCH_ROWS=%q is not a row count", s)
		}
		return n
	}
	return 100_000
}

// benchWorkbook writes the extracts workbook of n rows and returns its path
// and the size of its sheet XML.
func benchWorkbook(b *testing.B, n int) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("extracts-%d.xlsx", n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := benchdata.WriteExtractsWorkbook(f, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == benchdata.SheetPart {
			return path, int64(zf.UncompressedSize64)
		}
	}
	b.Fatal("no sheet part")
	return "", 0
}

func BenchmarkReadXLSX(b *testing.B) {
	n := benchRows(b)
	path, size := benchWorkbook(b, n)
	b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			wb, err := OpenXLSX(path, Options{})
			if err != nil {
				b.Fatal(err)
			}
			got := 0
			err = wb.Rows(benchdata.SheetName, func(r Row) error {
				got++
				return nil
			})
			wb.Close()
			if err != nil {
				b.Fatal(err)
			}
			if got != n+1 {
				b.Fatalf("%d rows, want %d", got, n+1)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkUnzipFloor inflates, to io.Discard, the sheet XML alone (the
// design's floor: unzip -p file.xlsx xl/worksheets/sheet1.xml) and the
// sheet plus the shared strings, which the reader has to inflate as well
// and which in a workbook of extracts hold more XML than the sheet.
func BenchmarkUnzipFloor(b *testing.B) {
	n := benchRows(b)
	path, size := benchWorkbook(b, n)
	for _, parts := range [][]string{{benchdata.SheetPart}, {benchdata.SheetPart, "xl/sharedStrings.xml"}} {
		name := "sheet"
		if len(parts) > 1 {
			name = "sheet+strings"
		}
		b.Run(fmt.Sprintf("rows=%d/%s", n, name), func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				inflateParts(b, path, parts)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func inflateParts(b *testing.B, path string, parts []string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	for _, want := range parts {
		for _, zf := range zr.File {
			if zf.Name != want {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		}
	}
}
