package sheet

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// csvCorpus is the shared corpus of real-world CSV files, described in its
// README. It lives outside the repository, so the test skips without it.
const csvCorpus = "../../../shared/corpus/csv"

// csvCorpusWant is what each corpus file must read as. The counts were
// checked against Python's csv module (after converting lone CRs for the
// CR-only files, and with the encoding given by the README); the cells by
// hand against the bytes.
type csvCorpusWant struct {
	delim    byte
	rows     int // rows yielded (with a non-empty cell)
	last     int // Num of the last row
	cols     int // the largest column with a value
	cells    int // non-empty cells in all
	warnings []string
	values   map[string]string // A1 reference → value
}

var csvCorpusWants = map[string]csvCorpusWant{
	"csvkit__bad.csv": {',', 4, 4, 4, 10, nil, map[string]string{
		"C1": "column_c", "D2": "I'm too long!", "B3": "I'm too short!", "A3": "", "C4": "17"}},
	"csvkit__dummy.tsv":        {'\t', 2, 2, 3, 6, nil, map[string]string{"A1": "a", "C2": "3"}},
	"csvkit__empty.csv":        {',', 0, 0, 0, 0, nil, nil},
	"csvkit__mac_newlines.csv": {',', 3, 3, 3, 9, nil, map[string]string{"C1": "c", "A3": "Once upon\na time", "C3": "6"}},
	"csvkit__null_byte.csv":    {',', 2, 2, 3, 5, []string{"nul-bytes"}, map[string]string{"A2": "", "B2": "2"}},
	"csvkit__test_header_newline.csv": {',', 2, 2, 3, 6, nil, map[string]string{
		"A1": "\t\n\v\f\n start \t\n\v\f\n end \t\n\v\f\n", "B1": "b", "A2": "d"}},
	"csvkit__test_latin1.csv":       {',', 3, 3, 3, 9, []string{"encoding-fallback"}, map[string]string{"C3": "©"}},
	"csvkit__test_locale.csv":       {',', 2, 2, 3, 5, nil, map[string]string{"A2": "1,7", "B2": "200.000.000", "C2": ""}},
	"csvkit__test_utf16_big.csv":    {',', 3, 3, 3, 9, nil, map[string]string{"A1": "a", "C3": "ʤ"}},
	"csvkit__test_utf16_little.csv": {',', 3, 3, 3, 9, nil, map[string]string{"A1": "a", "C3": "ʤ"}},
	"csvkit__test_utf8_bom.csv":     {',', 3, 3, 3, 9, nil, map[string]string{"A1": "foo", "C3": "ʤ"}},
	"messytables__begrotingsanalyse-2011.csv": {',', 42, 43, 20, 435, nil, map[string]string{
		"C1": "Kengetallen clusters provincies", "G1": "2011", "T2": "inwoners", "A7": "NR."}},
	"messytables__characters.csv": {',', 383, 383, 18, 4873, []string{"encoding-fallback"}, map[string]string{
		"A1": "id", "J1": "Changetime", "A2": "v_1", "B2": "C1_395000000A_000001"}},
	"messytables__excel_pasting.csv": {',', 19, 21, 9, 139, nil, map[string]string{
		"A1": "CO2 emissions by different sub-groups in manufacturing sector, 2000 to 2007",
		"A4": "Year", "B5": "2,666", "A14": "Machinery and \nequipment", "A15": "Pulp, paper, publishing\nand printing"}},
	"messytables__mixedGLB.csv": {',', 136, 137, 19, 2548, nil, map[string]string{
		"A4": "Year", "S4": "SON", "A5": "1880", "O5": "****"}},
	"messytables__simple.psv": {'|', 29, 29, 6, 174, nil, map[string]string{
		"A1": "Year", "F1": "Former owner occupiers", "A29": "2013", "F29": "292000"}},
	"messytables__simple.ssv": {';', 7, 7, 3, 21, nil, map[string]string{"B1": "temperature", "B3": "-1", "C7": "Berkeley"}},
	"messytables__spanish_chars.csv": {',', 116, 117, 8, 465, []string{"encoding-fallback"}, map[string]string{
		"A1": "GF_ID", "H1": "Descripción", "G2": "229,932.50", "F26": "Prisiones"}},
	"messytables__utf-16le_encoded.csv": {',', 328, 328, 19, 6232, nil, map[string]string{
		"A1": "Organisation_code", "B2": "Enfield PCT", "A328": "NYA04"}},
	"messytables__utf8bom.csv": {',', 1, 1, 2, 2, nil, map[string]string{"A1": "kitten", "B1": "win"}},
	"messytables__weird_head_padding.csv": {';', 84, 94, 10, 582, nil, map[string]string{
		"A7": "Region:", "B7": "Deutschland", "B12": "1985"}},
	"roo__iso_8859_1.csv": {';', 2, 2, 8, 16, nil, map[string]string{
		"A1": "sic_reference", "E2": "Miramar; cuir blanc", "F2": "Miramar; Leder Weiss"}},
	"test_files__2016_roo_Pfand_from_windows_phone.xlsx.0.csv": {',', 7, 7, 5, 14, []string{"encoding-fallback"}, map[string]string{
		"B1": "Summe", "A2": "2011-09-14", "B2": "3.81 €", "E2": "0.30 €"}},
	"test_files__ErrorTypes.csv": {',', 14, 14, 10, 140, nil, map[string]string{"A1": "Error", "A2": "#NULL!", "B3": "#DIV/0!"}},
	"test_files__ErrorTypes.txt": {'\t', 14, 14, 10, 140, nil, map[string]string{"A1": "Error", "A2": "#NULL!", "B3": "#DIV/0!"}},
	"test_files__LO7322.csv": {',', 33, 33, 11, 222, nil, map[string]string{
		"A1": "1.2345", "I2": "Wednesday, October 18, 1933", "A7": "1.23 "}},
	"test_files__crlf_crlf.csv": {',', 3, 3, 2, 5, nil, map[string]string{"A1": "Normal", "B1": "abc\ndef", "B2": "abc\ndef", "A3": "Test"}},
	"test_files__number_format_russian.2.csv": {';', 64, 74, 11, 651, []string{"encoding-fallback"}, map[string]string{
		"A1": "General", "C1": "-1,2", "J16": "$12 345,68", "B17": "£1,00"}},
	"test_files__text_and_numbers.txt": {'\t', 3, 4, 3, 9, nil, map[string]string{
		"A2": "Hebrew", "B2": "שלום", "C4": " $1,337.00 ", "A3": ""}},
}

func TestCSVCorpus(t *testing.T) {
	entries, err := os.ReadDir(csvCorpus)
	if err != nil {
		t.Skipf("no CSV corpus at %s: %v", csvCorpus, err)
	}
	seen := 0
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			want, ok := csvCorpusWants[e.Name()]
			if !ok {
				t.Fatalf("no expectations for %s: add them to csvCorpusWants", e.Name())
			}
			seen++
			wb, rows, err := readCSV(t, filepath.Join(csvCorpus, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if wb.delim != want.delim {
				t.Errorf("delimiter %q, want %q", wb.delim, want.delim)
			}
			var kinds []string
			for _, w := range wb.Warnings() {
				kinds = append(kinds, w.Kind)
			}
			if !slices.Equal(kinds, want.warnings) {
				t.Errorf("warnings %q, want %q", kinds, want.warnings)
			}
			last, cols, cells := 0, 0, 0
			byRef := map[string]string{}
			for _, r := range rows {
				if r.Num <= last {
					t.Errorf("row %d after row %d", r.Num, last)
				}
				last = r.Num
				cells += len(r.Cells)
				for _, c := range r.Cells {
					cols = max(cols, c.Col)
					byRef[Ref(c.Col, r.Num)] = c.Value
				}
			}
			if len(rows) != want.rows || last != want.last || cols != want.cols || cells != want.cells {
				t.Errorf("%d rows (last %d), %d columns, %d cells; want %d rows (last %d), %d columns, %d cells",
					len(rows), last, cols, cells, want.rows, want.last, want.cols, want.cells)
			}
			for ref, v := range want.values {
				if byRef[ref] != v {
					t.Errorf("%s = %q, want %q", ref, byRef[ref], v)
				}
			}
		})
	}
	if seen != len(csvCorpusWants) {
		t.Errorf("%d of the %d expected corpus files are there", seen, len(csvCorpusWants))
	}
}
