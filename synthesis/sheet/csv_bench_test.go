package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// csvBenchRows is the size of the generated extracts file: a large review.
const csvBenchRows = 100_000

// csvBenchText returns an extracts table of n rows the way reviewers keep
// them: an ID, a study, a type, a quotation (quoted, with commas, doubled
// quotes and now and then a line break) and codes. word is put into every
// quotation, so that a non-ASCII word can make the file non-UTF-8.
func csvBenchText(n int, word string) []byte {
	var b bytes.Buffer
	b.WriteString("id,study,type,extract,codes\r\n")
	for i := 1; i <= n; i++ {
		nl := ""
		if i%10 == 0 {
			nl = "\r\n"
		}
		fmt.Fprintf(&b, "E%d,Study %d (20%02d),participant,\"I went to the %s group, and \"\"it helped\"\" a lot;%s it got me out of the house every week\",social prescribing;loneliness\r\n",
			i, i%40, i%25, word, nl)
	}
	return b.Bytes()
}

func BenchmarkReadCSV(b *testing.B) {
	dir := b.TempDir()
	utf8Text := csvBenchText(csvBenchRows, "café")
	files := []struct{ name, file string }{
		{"utf8", "utf8.csv"},
		{"windows-1252", "cp1252.csv"},
		{"utf16le", "utf16.csv"},
	}
	contents := [][]byte{
		utf8Text,
		csvBenchText(csvBenchRows, "caf\xE9"),
		utf16CSV(false, string(utf8Text)),
	}
	for i, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.file), contents[i], 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i, f := range files {
		b.Run(f.name, func(b *testing.B) {
			path := filepath.Join(dir, f.file)
			b.SetBytes(int64(len(contents[i])))
			for b.Loop() {
				wb, err := OpenCSV(path)
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				if err := wb.Rows(f.file[:len(f.file)-4], func(Row) error { rows++; return nil }); err != nil {
					b.Fatal(err)
				}
				wb.Close()
				if rows != csvBenchRows+1 {
					b.Fatalf("%d rows", rows)
				}
			}
			b.ReportMetric(float64(csvBenchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
	// The standard library on the same UTF-8 file, for comparison: it
	// neither sniffs nor checks the encoding, nor makes Rows.
	b.Run("encoding-csv", func(b *testing.B) {
		path := filepath.Join(dir, "utf8.csv")
		b.SetBytes(int64(len(utf8Text)))
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			r := csv.NewReader(f)
			r.FieldsPerRecord = -1
			rows := 0
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
			}
			f.Close()
			if rows != csvBenchRows+1 {
				b.Fatalf("%d rows", rows)
			}
		}
		b.ReportMetric(float64(csvBenchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
