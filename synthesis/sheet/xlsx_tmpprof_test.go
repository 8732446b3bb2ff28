package sheet

import (
	"archive/zip"
	"io"
	"testing"
	"time"
)

func best(n int, f func()) time.Duration {
	b := time.Hour
	for i := 0; i < n; i++ {
		t := time.Now()
		f()
		b = min(b, time.Since(t))
	}
	return b
}

func TestTmpBreakdown(t *testing.T) {
	path := "/tmp/gen/ext100k.xlsx"
	inflate := func(name string) func() {
		return func() {
			zr, _ := zip.OpenReader(path)
			for _, f := range zr.File {
				if f.Name == name {
					rc, _ := f.Open()
					io.Copy(io.Discard, rc)
					rc.Close()
				}
			}
			zr.Close()
		}
	}
	t.Logf("inflate sheet %v", best(5, inflate("xl/worksheets/sheet1.xml")))
	t.Logf("inflate sst %v", best(5, inflate("xl/sharedStrings.xml")))
	t.Logf("load sst %v", best(5, func() {
		wb, _ := OpenXLSX(path, Options{})
		wb.(*xlsxWorkbook).sharedStrings().wait()
		wb.Close()
	}))
	t.Logf("sheet after sst %v", best(5, func() {
		wb, _ := OpenXLSX(path, Options{})
		wb.(*xlsxWorkbook).sharedStrings().wait()
		t0 := time.Now()
		wb.Rows("Extracts", func(Row) error { return nil })
		_ = t0
		wb.Close()
	}))
	t.Logf("full read %v", best(5, func() {
		wb, _ := OpenXLSX(path, Options{})
		wb.Rows("Extracts", func(Row) error { return nil })
		wb.Close()
	}))
}

func BenchmarkTmpSheetOnly(b *testing.B) {
	path := "/tmp/gen/ext100k.xlsx"
	wb, _ := OpenXLSX(path, Options{})
	defer wb.Close()
	wb.(*xlsxWorkbook).sharedStrings().wait()
	for b.Loop() {
		wb.Rows("Extracts", func(Row) error { return nil })
	}
}

func TestTmpLarge(t *testing.T) {
	path := "../../../shared/corpus/xlsx/test_files__large_strings.xlsx"
	t.Logf("inflate sheet1 %v", best(5, func() {
		zr, _ := zip.OpenReader(path)
		for _, f := range zr.File {
			if f.Name == "xl/worksheets/sheet1.xml" {
				rc, _ := f.Open()
				io.Copy(io.Discard, rc)
				rc.Close()
			}
		}
		zr.Close()
	}))
	t.Logf("read sheet1 %v", best(5, func() {
		wb, _ := OpenXLSX(path, Options{})
		wb.Rows("Large Strings", func(Row) error { return nil })
		wb.Close()
	}))
}

func BenchmarkTmpSST(b *testing.B) {
	path := "/tmp/gen/ext100k.xlsx"
	for b.Loop() {
		wb, _ := OpenXLSX(path, Options{})
		wb.(*xlsxWorkbook).sharedStrings().wait()
		wb.Close()
	}
}
