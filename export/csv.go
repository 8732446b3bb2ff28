package export

import (
	"bytes"
	"encoding/csv"

	"github.com/synth-qda/synth/synthesis"
)

// CSV renders every supplement table as csv/<name>.csv (see Tables for the
// names), including summary.csv.
//
// Format: RFC 4180 fields (comma separated, quoted with " when a field holds
// a comma, quote, line break or leading space; quotes doubled), UTF-8
// without a byte-order mark, records ended by \n (line breaks inside a
// quoted field are kept as written). The first record is the header.
//
// Formula neutralisation: a field that begins with =, +, -, @, tab or
// carriage return gets a leading single quote ' so that Excel, LibreOffice
// and Google Sheets show it as text instead of running it as a formula
// (CSV injection). This is the only change to the text; synthesis.json and
// synthesis.xlsx keep it exact.
func CSV(r *synthesis.Result) ([]File, error) { return CSVWithBOM(r, false) }

// CSVWithBOM is CSV, with a UTF-8 byte-order mark (EF BB BF) at the start of
// each file when bom is true: Excel on Windows reads a CSV without one in
// the system's legacy code page, so that "é" shows as "Ã©".
func CSVWithBOM(r *synthesis.Result, bom bool) ([]File, error) {
	var files []File
	for _, t := range Tables(r) {
		data, err := csvTable(t)
		if err != nil {
			return nil, err
		}
		if bom {
			data = append([]byte("\xef\xbb\xbf"), data...)
		}
		files = append(files, File{Name: "csv/" + t.Name + ".csv", Data: data})
	}
	return files, nil
}

func csvTable(t Table) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	record := make([]string, 0, len(t.Header))
	write := func(cells []string) error {
		record = record[:0]
		for _, c := range cells {
			record = append(record, neutralise(c))
		}
		return w.Write(record)
	}
	if err := write(t.Header); err != nil {
		return nil, err
	}
	for _, row := range t.Rows {
		if err := write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// neutralise prefixes a field that a spreadsheet would read as a formula
// with a single quote: see CSV.
func neutralise(s string) string {
	if s != "" && isFormulaStart(s[0]) {
		return "'" + s
	}
	return s
}

func isFormulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
