package sheet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

// writeCSVFile writes content to name in a fresh temporary folder and returns
// its path.
func writeCSVFile(t testing.TB, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readCSV opens path and reads all rows of its one sheet.
func readCSV(t testing.TB, path string) (*csvWorkbook, []Row, error) {
	t.Helper()
	wb, err := OpenCSV(path)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { wb.Close() })
	var rows []Row
	err = wb.Rows(wb.Sheets()[0].Name, func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	return wb.(*csvWorkbook), rows, err
}

// showCSVRows prints rows one a line as `2 A"x" C"y"`, for compact expectations.
func showCSVRows(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d", r.Num)
		for _, c := range r.Cells {
			fmt.Fprintf(&b, " %s%q", ColName(c.Col), c.Value)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// parseCSV runs the parser alone over text, with the delimiter given.
func parseCSV(r io.Reader, delim byte) ([]Row, error) {
	p := newCSVParser(r, delim, 64)
	var rows []Row
	for num := 1; ; num++ {
		more, err := p.readRecord()
		if err != nil || !more {
			return rows, err
		}
		if row, ok := p.row(num); ok {
			rows = append(rows, row)
		}
	}
}

func TestCSVRecords(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"LF", "a,b\nc,d\n", "1 A\"a\" B\"b\"\n2 A\"c\" B\"d\"\n"},
		{"CRLF", "a,b\r\nc,d\r\n", "1 A\"a\" B\"b\"\n2 A\"c\" B\"d\"\n"},
		{"CR only, as classic Mac Excel writes", "a,b\rc,d\r", "1 A\"a\" B\"b\"\n2 A\"c\" B\"d\"\n"},
		{"mixed line ends", "a\r\nb\nc\rd", "1 A\"a\"\n2 A\"b\"\n3 A\"c\"\n4 A\"d\"\n"},
		{"no newline at the end", "a,b", "1 A\"a\" B\"b\"\n"},
		{"blank records keep their numbers", "a\n\n\r\n\rb\n", "1 A\"a\"\n5 A\"b\"\n"},
		{"records of empty fields are skipped but counted", "a\n,,,\n\"\",\"\"\nb", "1 A\"a\"\n4 A\"b\"\n"},
		{"empty fields keep the columns", ",,c\nd,,\n", "1 C\"c\"\n2 A\"d\"\n"},
		{"ragged rows", "a,b,c\n1,2,3,4\n5\n", "1 A\"a\" B\"b\" C\"c\"\n2 A\"1\" B\"2\" C\"3\" D\"4\"\n3 A\"5\"\n"},
		{"values are not trimmed", "  a  , b\t,\" c \"\n", "1 A\"  a  \" B\" b\\t\" C\" c \"\n"},
		{"whitespace alone is a value", " \n", "1 A\" \"\n"},
		{"quoted delimiter", "\"a,b\",c\n", "1 A\"a,b\" B\"c\"\n"},
		{"doubled quote", "\"say \"\"hi\"\"\",x\n", "1 A\"say \\\"hi\\\"\" B\"x\"\n"},
		{"only a doubled quote", "\"\"\"\"\n", "1 A\"\\\"\"\n"},
		{"quoted LF", "\"a\nb\",c\nd\n", "1 A\"a\\nb\" B\"c\"\n2 A\"d\"\n"},
		{"quoted CRLF becomes LF", "\"a\r\nb\"\r\nd\r\n", "1 A\"a\\nb\"\n2 A\"d\"\n"},
		{"quoted CR becomes LF", "\"a\rb\"\rd\r", "1 A\"a\\nb\"\n2 A\"d\"\n"},
		{"quoted CR CR LF", "\"a\r\r\nb\"", "1 A\"a\\n\\nb\"\n"},
		{"a quoted newline is one record", "h\n\"1\n2\n3\"\nnext\n", "1 A\"h\"\n2 A\"1\\n2\\n3\"\n3 A\"next\"\n"},
		{"quoted field at EOF", "a,\"b\"", "1 A\"a\" B\"b\"\n"},
		{"empty quoted field", "\"\",x\n", "1 B\"x\"\n"},
		{"text after the closing quote is kept", "\"ab\"cd,e\n", "1 A\"abcd\" B\"e\"\n"},
		{"quote after the closing quote is kept", "\"ab\"c\"d,e\n", "1 A\"abc\\\"d\" B\"e\"\n"},
		{"bare quote inside an unquoted field", "5\" tall,x\"y\"\n", "1 A\"5\\\" tall\" B\"x\\\"y\\\"\"\n"},
		{"space before a quote makes it literal", " \"a,b\"\n", "1 A\" \\\"a\" B\"b\\\"\"\n"},
		{"trailing delimiter", "a,\n", "1 A\"a\"\n"},
		{"NUL bytes are left out", "a\x00b,\x00\n\"c\x00\"\n", "1 A\"ab\"\n2 A\"c\"\n"},
		{"control characters stay", "\"\t\v\f\",\x1b\n", "1 A\"\\t\\v\\f\" B\"\\x1b\"\n"},
		{"non-ASCII", "ü,\"日本\"\n", "1 A\"ü\" B\"日本\"\n"},
		{"empty", "", ""},
		{"one newline", "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rows, err := readCSV(t, writeCSVFile(t, "t.csv", []byte(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if got := showCSVRows(rows); got != tt.want {
				t.Errorf("read %q:\n got:\n%s want:\n%s", tt.in, got, tt.want)
			}
			// A record or a quote split across reads must not change anything.
			rows, err = parseCSV(iotest.OneByteReader(strings.NewReader(tt.in)), ',')
			if err != nil {
				t.Fatal(err)
			}
			if got := showCSVRows(rows); got != tt.want {
				t.Errorf("one byte at a time %q:\n got:\n%s want:\n%s", tt.in, got, tt.want)
			}
		})
	}
}

// showCSVLines prints rows one a line as `num line fields`, the record's
// row number, the line it starts on and its number of fields.
func showCSVLines(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d %d %d\n", r.Num, r.Line, r.Fields)
	}
	return b.String()
}

// Row.Line is the line of the file where the record starts, counting line
// breaks inside quotes; Row.Fields counts the record's fields, empty ones
// included. Expected values worked out by counting lines in the input.
func TestCSVLinesAndFields(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"one line a record", "a,b\nc,d\n", "1 1 2\n2 2 2\n"},
		{"CRLF and lone CR are one break each", "a\r\nb\rc\nd", "1 1 1\n2 2 1\n3 3 1\n4 4 1\n"},
		{"quoted LF moves the next record down", "h,x\n\"1\n2\n3\",y\nnext\n", "1 1 2\n2 2 2\n3 5 1\n"},
		{"quoted CRLF and CR count once each", "\"a\r\nb\rc\"\r\nd\r\n", "1 1 1\n2 4 1\n"},
		{"quoted CR CR LF is two breaks", "\"a\r\r\nb\"\nc", "1 1 1\n2 4 1\n"},
		{"blank records count their lines", "a\n\n,,\n\"\"\nb\n", "1 1 1\n5 5 1\n"},
		{"empty trailing fields count", "a,b,c\n1,,\n,2\n", "1 1 3\n2 2 3\n3 3 2\n"},
		{"ragged: more and fewer fields than the header", "a,b\n1,2,3\n4\n", "1 1 2\n2 2 3\n3 3 1\n"},
		{"a quoted delimiter is not a field", "\"a,b\",c\n", "1 1 2\n"},
		{"no line end at the end", "a,b", "1 1 2\n"},
		{"a line break after a stray quote's text", "\"a\"b\nc", "1 1 1\n2 2 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rows, err := readCSV(t, writeCSVFile(t, "t.csv", []byte(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if got := showCSVLines(rows); got != tt.want {
				t.Errorf("read %q:\n got:\n%s want:\n%s", tt.in, got, tt.want)
			}
			rows, err = parseCSV(iotest.OneByteReader(strings.NewReader(tt.in)), ',')
			if err != nil {
				t.Fatal(err)
			}
			if got := showCSVLines(rows); got != tt.want {
				t.Errorf("one byte at a time %q:\n got:\n%s want:\n%s", tt.in, got, tt.want)
			}
		})
	}
}

// Excel's "sep=" line is line 1 of the file though it is not a row; so are
// the BOM and UTF-16 no lines of their own.
func TestCSVLinesAfterSepLine(t *testing.T) {
	for _, in := range [][]byte{
		[]byte("sep=;\r\na;b\r\n\"x\r\ny\";z\r\nlast\r\n"),
		append([]byte("\xEF\xBB\xBF"), "sep=;\na;b\n\"x\ny\";z\nlast"...),
		utf16CSV(false, "sep=;\na;b\n\"x\ny\";z\nlast"),
	} {
		_, rows, err := readCSV(t, writeCSVFile(t, "t.csv", in))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := showCSVLines(rows), "1 2 2\n2 3 2\n3 5 1\n"; got != want {
			t.Errorf("read %q:\n got:\n%s want:\n%s", in, got, want)
		}
	}
}

// The field case of a QualCoder export with a raw line break in an unquoted
// field: the record splits into a short record and a shorter one, whose
// values are kept exactly, so that a caller can report the lines and join
// them back (3 + 2 - 1 fields make the header's 4).
func TestCSVUnquotedLineBreakFieldCase(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "field-cases", "04-qualcoder-csv-unescaped-newline", "code_relations.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("field case absent: %v", err)
	}
	_, rows, err := readCSV(t, path)
	if err != nil {
		t.Fatal(err)
	}
	want := `1 A"File" B"Coder" C"Coded" D"Codename"
2 A"site_north.txt" B"coder_a" C"We went every week at first" D"Routine"
3 A"site_north.txt" B"coder_a" C"Then the hall closed"
4 A"and we stopped going" B"Loss of venue"
5 A"site_south.txt" B"coder_b" C"The tea was the best part" D"Social contact"
`
	if got := showCSVRows(rows); got != want {
		t.Errorf("got:\n%s want:\n%s", got, want)
	}
	if got, want := showCSVLines(rows), "1 1 4\n2 2 4\n3 3 3\n4 4 2\n5 5 4\n"; got != want {
		t.Errorf("lines and fields:\n got:\n%s want:\n%s", got, want)
	}
}

func TestCSVOtherDelimiters(t *testing.T) {
	tests := []struct {
		file, in, want string
	}{
		{"t.tsv", "a\tb,c\n1\t\"2\t3\"\n", "1 A\"a\" B\"b,c\"\n2 A\"1\" B\"2\\t3\"\n"},
		{"t.csv", "a;b;c\n1,5;2,5;\"x;y\"\n", "1 A\"a\" B\"b\" C\"c\"\n2 A\"1,5\" B\"2,5\" C\"x;y\"\n"},
		{"t.txt", "a|b\n1|2\n", "1 A\"a\" B\"b\"\n2 A\"1\" B\"2\"\n"},
		// Excel's first-line hint overrides the sniffing and is not a row.
		{"t.csv", "sep=;\na,b;c\n1,2;3\n", "1 A\"a,b\" B\"c\"\n2 A\"1,2\" B\"3\"\n"},
		{"t.tsv", "\xEF\xBB\xBFSEP=|\r\na|b\r\n", "1 A\"a\" B\"b\"\n"},
		{"t.csv", "sep=,", ""},
		{"t.csv", "sep=;x\na;b\n", "1 A\"sep=\" B\"x\"\n2 A\"a\" B\"b\"\n"},
		{"t.csv", "sep=:\na:b\n", "1 A\"sep=:\"\n2 A\"a:b\"\n"},
	}
	for _, tt := range tests {
		_, rows, err := readCSV(t, writeCSVFile(t, tt.file, []byte(tt.in)))
		if err != nil {
			t.Fatal(err)
		}
		if got := showCSVRows(rows); got != tt.want {
			t.Errorf("%s %q:\n got:\n%s want:\n%s", tt.file, tt.in, got, tt.want)
		}
	}
}

func TestCSVLongRecordsAcrossReads(t *testing.T) {
	// Values, quotes and CRLFs at every offset around the 64 KB buffer.
	for pad := csvSniffBytes - 4; pad <= csvSniffBytes+1; pad++ {
		in := strings.Repeat("x", pad) + ",\"a\"\"b\r\nc\"\r\nz\r\n"
		_, rows, err := readCSV(t, writeCSVFile(t, "t.csv", []byte(in)))
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("1 A%q B\"a\\\"b\\nc\"\n2 A\"z\"\n", strings.Repeat("x", pad))
		if got := showCSVRows(rows); got != want {
			t.Errorf("pad %d: got %.80q…", pad, got)
		}
	}
}

func TestCSVStrayQuoteWarning(t *testing.T) {
	// The quote opening B2 is stray: it runs rows 2 and 3 together until
	// the quote that opens B3 closes it.
	path := writeCSVFile(t, "s.csv", []byte("id,text\n1,\"stray\n2,\"quoted\",x\n3,\"fine\"\n"))
	wb, rows, err := readCSV(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := showCSVRows(rows), "1 A\"id\" B\"text\"\n2 A\"1\" B\"stray\\n2,quoted\\\"\" C\"x\"\n3 A\"3\" B\"fine\"\n"; got != want {
		t.Errorf("got:\n%s want:\n%s", got, want)
	}
	want := Warning{
		Kind:    "stray-quote",
		Message: path + " has text after the closing quote of the field in cell B2; a stray quote there may have run rows together, so check that row and the ones after it",
		Where:   path + ":s!B2",
	}
	if ws := wb.Warnings(); len(ws) != 1 || ws[0] != want {
		t.Errorf("warnings %+v, want %+v", ws, want)
	}
	// Quotes as Excel writes them give no warning.
	wb, _, err = readCSV(t, writeCSVFile(t, "ok.csv", []byte("\"a\",\"b \"\"c\"\"\"\r\n\"d\"\n\"\"\"\"")))
	if err != nil || len(wb.Warnings()) != 0 {
		t.Errorf("well-formed quotes: %v, warnings %+v", err, wb.Warnings())
	}
}

func TestCSVUnclosedQuote(t *testing.T) {
	path := writeCSVFile(t, "data.csv", []byte("id,text\n1,fine\n2,\"never\ncloses,3\n4,x\n"))
	_, rows, err := readCSV(t, path)
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a *FileError", err)
	}
	if fe.Sheet != "data" || fe.Ref != "B3" {
		t.Errorf("error at %s!%s, want data!B3 where the quote opens", fe.Sheet, fe.Ref)
	}
	if !strings.Contains(err.Error(), "data.csv:data!B3: a quoted field opens here and never closes") {
		t.Errorf("message %q", err)
	}
	if got, want := showCSVRows(rows), "1 A\"id\" B\"text\"\n2 A\"1\" B\"fine\"\n"; got != want {
		t.Errorf("rows before the quote:\n%s want:\n%s", got, want)
	}
	// A doubled quote at EOF does not close the field either.
	if _, _, err := readCSV(t, writeCSVFile(t, "t.csv", []byte(`"a""`))); err == nil {
		t.Error(`"a"" read without error`)
	}
}

func TestCSVRecordLimit(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"a,b\n\"" + strings.Repeat("x", 300), errLongQuote},
		{"a,b\n" + strings.Repeat("x", 300), errLongRecord},
		{strings.Repeat(",", 300), errLongRecord},
	}
	for _, tt := range tests {
		p := newCSVParser(iotest.HalfReader(strings.NewReader(tt.in)), ',', 16)
		p.maxRecord = 100
		var err error
		for more := true; more && err == nil; {
			more, err = p.readRecord()
		}
		if err != tt.want {
			t.Errorf("%.10q…: got %v, want %v", tt.in, err, tt.want)
		}
	}
	c := &csvWorkbook{path: "big.csv", name: "big"}
	if got := c.recordError(errLongQuote, 2, 1).Error(); !strings.HasPrefix(got, "big.csv:big!A2: a quoted field opens here and runs on for more than 64 MB") {
		t.Errorf("got %q", got)
	}
	if got := c.recordError(errLongRecord, 7, 1).Error(); got != "big.csv: row 7 is longer than 64 MB; this does not look like a delimited text file" {
		t.Errorf("got %q", got)
	}
}

func TestCSVReadError(t *testing.T) {
	broken := errors.New("disk on fire")
	rows, err := parseCSV(io.MultiReader(strings.NewReader("a,b\nc"), iotest.ErrReader(broken)), ',')
	if err != broken {
		t.Errorf("got %v, want the read error", err)
	}
	if got, want := showCSVRows(rows), "1 A\"a\" B\"b\"\n"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	c := &csvWorkbook{path: "d.csv"}
	if got := c.recordError(broken, 2, 1).Error(); got != "d.csv: cannot be read: disk on fire" {
		t.Errorf("got %q", got)
	}
}

func TestCSVNULWarning(t *testing.T) {
	path := writeCSVFile(t, "n.csv", []byte("a,b,c\n1,2,\x00\n\x00,5,6\n"))
	wb, rows, err := readCSV(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := showCSVRows(rows), "1 A\"a\" B\"b\" C\"c\"\n2 A\"1\" B\"2\"\n3 B\"5\" C\"6\"\n"; got != want {
		t.Errorf("got:\n%s want:\n%s", got, want)
	}
	// A second read must not repeat the warning.
	if err := wb.Rows("n", func(Row) error { return nil }); err != nil {
		t.Fatal(err)
	}
	ws := wb.Warnings()
	if len(ws) != 1 || ws[0].Kind != "nul-bytes" || ws[0].Where != path+":n!C2" {
		t.Fatalf("warnings %+v, want one nul-bytes at C2", ws)
	}
	if want := path + " contains NUL bytes (the first in cell C2); they were left out of the values"; ws[0].Message != want {
		t.Errorf("message %q", ws[0].Message)
	}
}

func utf16CSV(big bool, s string) []byte {
	var out []byte
	put := func(u uint16) {
		if big {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	put(0xFEFF)
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return out
}

func TestCSVEncodings(t *testing.T) {
	const text = "name\tnote\r\nZoë\t\"two\r\nlines 🍣\"\r\n"
	const want = "1 A\"name\" B\"note\"\n2 A\"Zoë\" B\"two\\nlines 🍣\"\n"
	tests := []struct {
		name    string
		in      []byte
		want    string
		warning bool
	}{
		{"UTF-8", []byte(text), want, false},
		{"UTF-8 BOM is not part of the first header", append([]byte("\xEF\xBB\xBF"), text...), want, false},
		{"UTF-16LE with BOM", utf16CSV(false, text), want, false},
		{"UTF-16BE with BOM", utf16CSV(true, text), want, false},
		{"Windows-1252", []byte("a\t\x80\t\xA9\t\x93q\x94\t\xE9\n"), "1 A\"a\" B\"€\" C\"©\" D\"“q”\" E\"é\"\n", true},
		{"BOM then not UTF-8", []byte("\xEF\xBB\xBFa\t\xE9\n"), "1 A\"a\" B\"é\"\n", true},
		{"UTF-8 cut inside a rune at EOF", []byte("a\t\xE2\x82"), "1 A\"a\" B\"â‚\"\n", true},
		{"only a BOM", []byte("\xEF\xBB\xBF"), "", false},
		{"only a UTF-16 BOM", []byte("\xFF\xFE"), "", false},
		{"UTF-16 with an odd byte at the end", append(utf16CSV(false, "a\tb"), 'x'), "1 A\"a\" B\"b\uFFFD\"\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeCSVFile(t, "e.tsv", tt.in)
			wb, rows, err := readCSV(t, path)
			if err != nil {
				t.Fatal(err)
			}
			if got := showCSVRows(rows); got != tt.want {
				t.Errorf("got:\n%s want:\n%s", got, tt.want)
			}
			ws := wb.Warnings()
			if !tt.warning {
				if len(ws) != 0 {
					t.Errorf("unexpected warnings %+v", ws)
				}
				return
			}
			want := Warning{
				Kind:    "encoding-fallback",
				Message: path + ` is not UTF-8; read it as Windows-1252 — save it as "CSV UTF-8" if characters look wrong`,
				Where:   path,
			}
			if len(ws) != 1 || ws[0] != want {
				t.Errorf("warnings %+v, want exactly %+v", ws, want)
			}
		})
	}
}

func TestCSVFallbackDecidedForTheWholeFile(t *testing.T) {
	// The only non-UTF-8 byte is far past the sniffed prefix, yet the rows
	// before it are read the same way as the row that holds it.
	var b strings.Builder
	b.WriteString("name,note\n")
	for b.Len() < 3*csvSniffBytes {
		b.WriteString("Zo\xEB,plain ascii\n")
	}
	b.WriteString("last,caf\xE9\n")
	wb, rows, err := readCSV(t, writeCSVFile(t, "late.csv", []byte(b.String())))
	if err != nil {
		t.Fatal(err)
	}
	if len(wb.Warnings()) != 1 {
		t.Errorf("warnings %+v, want the encoding fallback", wb.Warnings())
	}
	if got := rows[1].Get(1); got != "Zoë" {
		t.Errorf("row 2 = %q, want Zoë", got)
	}
	if got := rows[len(rows)-1].Get(2); got != "café" {
		t.Errorf("last row = %q, want café", got)
	}
}

func TestCSVPrefixEndsInsideACharacter(t *testing.T) {
	// The 64 KB sniffed prefix ends inside "€" (3 bytes) at each offset;
	// the file is UTF-8 all the same.
	for pad := csvSniffBytes - 3; pad <= csvSniffBytes; pad++ {
		in := strings.Repeat("x", pad-2) + ",€,y\n"
		wb, rows, err := readCSV(t, writeCSVFile(t, "t.csv", []byte(in)))
		if err != nil {
			t.Fatal(err)
		}
		if len(wb.Warnings()) != 0 || len(rows) != 1 || rows[0].Get(2) != "€" {
			t.Errorf("pad %d: warnings %+v, B1 %q", pad, wb.Warnings(), rows[0].Get(2))
		}
	}
}

func TestCSVValidUTF8(t *testing.T) {
	// Runes straddling the validator's 64 KB chunks.
	for pad := csvSniffBytes - 4; pad <= csvSniffBytes+1; pad++ {
		for _, tail := range []string{"é", "€", "🍣", "é🍣€x"} {
			ok, err := csvValidUTF8(strings.NewReader(strings.Repeat("a", pad) + tail))
			if !ok || err != nil {
				t.Errorf("pad %d + %q: got %v %v, want valid", pad, tail, ok, err)
			}
		}
		for _, tail := range []string{"\xE2\x82", "\xE9", "\xF0\x9F\x8D", "\xE9abc", "\xC0\x80"} {
			if ok, _ := csvValidUTF8(strings.NewReader(strings.Repeat("a", pad) + tail)); ok {
				t.Errorf("pad %d + %q: got valid", pad, tail)
			}
		}
	}
	if _, err := csvValidUTF8(iotest.ErrReader(io.ErrClosedPipe)); err != io.ErrClosedPipe {
		t.Errorf("read error lost: %v", err)
	}
}

func TestCSVSniffDelim(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		hint      byte
		truncated bool
		want      byte
	}{
		{"comma", "a,b,c\n1,2,3\n", 0, false, ','},
		{"semicolon with decimal commas", "Name;Wert;X\nA;1,5;2,5\nB;2,25;3\n", 0, false, ';'},
		{"semicolon, one decimal column", "Name;Wert\nA;1,5\nB;2,25\n", 0, false, ';'},
		{"tab", "a\tb\tc\n1\t2,5\t3\n", 0, false, '\t'},
		{"pipe", "a|b\n1|2\n", 0, false, '|'},
		{"delimiters inside quotes do not count", "\"a;b;c\",d\n\"1;2\",3\n\"x\",y\n", 0, false, ','},
		{"quoted newlines do not split records", "a;b\n\"x,\ny,\nz\";1\n", 0, false, ';'},
		{"title lines before the table", "Temperatures 1880, by month\nsource: NASA, GISS\nYear;Jan;Feb\n1880;-43;-27\n1881;-20;-24\n1882;-13;-2\n", 0, false, ';'},
		{"unquoted prose with commas in a semicolon file", "id;text;code\n1;well, yes, no;a\n2;no;b\n3;so, then;c\n", 0, false, ';'},
		{"equal evidence prefers more columns", "a,b;c;d\n1,2;3;4\n", 0, false, ';'},
		{"equal evidence and columns prefers comma", "a,b;c\n1,2;3\n", 0, false, ','},
		{"no delimiter at all", "one column\nonly\n", 0, false, ','},
		{"nothing", "", 0, false, ','},
		{"no delimiter, hint kept", "one column\n", '\t', false, '\t'},
		{".tsv that holds commas", "a,b,c\n1,2,3\n", '\t', false, ','},
		{".tsv with commas in its text", "a\tb, c\n1\t2, 3, 4\n5\tx\n", '\t', false, '\t'},
		{".ssv checked against content", "a|b\n1|2\n", ';', false, '|'},
		{".psv hint wins with half the records", "a|b,c,d\n1|2\n3,4,5\n6,7,8\n", '|', false, '|'},
		{"cut last record ignored", "a;b\n1;2\n3,4,5,6,7,8,9", 0, true, ';'},
		{"cut inside a quote ignored", "a;b\n1;2\n\"3,4,5,6,7,8,9", 0, true, ';'},
		{"last record counted when not cut", "a;b\n1,2,3\n4,5,6", 0, false, ','},
		{"CR-only records", "a;b\r1;2\r3;4\r", 0, false, ';'},
		{"only the first 50 records", strings.Repeat("a;b\n", 50) + strings.Repeat("a,b,c\n", 60), 0, false, ';'},
	}
	for _, tt := range tests {
		if got := sniffDelim([]byte(tt.text), tt.hint, tt.truncated); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCSVDelimHint(t *testing.T) {
	for path, want := range map[string]byte{
		"a.tsv": '\t', "b.TAB": '\t', "c.psv": '|', "d.ssv": ';',
		"e.csv": 0, "f.txt": 0, "g": 0, "dir.tsv/h.csv": 0,
	} {
		if got := delimHint(path); got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}

func TestCSVSheet(t *testing.T) {
	dir := t.TempDir()
	for file, want := range map[string]string{
		"extracts.csv": "extracts", "a.b.tsv": "a.b", "notes.TXT": "notes", ".csv": ".csv",
	} {
		path := filepath.Join(dir, file)
		if err := os.WriteFile(path, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		wb, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s := wb.Sheets(); len(s) != 1 || s[0] != (Info{Name: want}) {
			t.Errorf("%s: sheets %+v, want one named %q", file, s, want)
		}
		if m := wb.Merged(want); m != nil {
			t.Errorf("%s: merged %v", file, m)
		}
		wb.Close()
	}

	wb, err := OpenCSV(filepath.Join(dir, "extracts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	err = wb.Rows("Sheet1", func(Row) error { return nil })
	if err == nil || err.Error() != filepath.Join(dir, "extracts.csv")+`: no sheet named "Sheet1"; the sheets are "extracts"` {
		t.Errorf("got %v", err)
	}
	stop := errors.New("stop")
	if err := wb.Rows("extracts", func(Row) error { return stop }); err != stop {
		t.Errorf("fn's error: got %v", err)
	}
}

func TestCSVRowsTwice(t *testing.T) {
	path := writeCSVFile(t, "t.csv", []byte("a,b\n\"c\nd\",e\n"))
	wb, first, err := readCSV(t, path)
	if err != nil {
		t.Fatal(err)
	}
	var again []Row
	if err := wb.Rows("t", func(r Row) error { again = append(again, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if showCSVRows(first) != showCSVRows(again) {
		t.Errorf("second read differs:\n%s\n%s", showCSVRows(first), showCSVRows(again))
	}
}

func TestCSVRowsAtTheSameTime(t *testing.T) {
	path := writeCSVFile(t, "t.csv", []byte(strings.Repeat("a,\x00b\n\"c\nd\",e\n", 500)))
	wb, want, err := readCSV(t, path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var rows []Row
			err := wb.Rows("t", func(r Row) error { rows = append(rows, r); return nil })
			if err != nil || showCSVRows(rows) != showCSVRows(want) {
				t.Errorf("a read beside others differs: %v", err)
			}
			wb.Warnings()
		})
	}
	wg.Wait()
	if n := len(wb.Warnings()); n != 1 {
		t.Errorf("%d warnings, want the one nul-bytes", n)
	}
}

func TestCSVOpenErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		path, want string
	}{
		{filepath.Join(dir, "missing.csv"), filepath.Join(dir, "missing.csv") + ": no such file"},
		{dir, dir + ": is a folder, not a file"},
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests = append(tests, struct{ path, want string }{filepath.Join(dir, "folder.csv"), filepath.Join(dir, "folder.csv") + ": is a folder, not a file"})
	if os.Getuid() != 0 { // root reads anything
		locked := writeCSVFile(t, "locked.csv", []byte("a\n"))
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct{ path, want string }{locked, locked + ": cannot be opened: permission denied"})
	}
	for _, tt := range tests {
		_, err := OpenCSV(tt.path)
		var fe *FileError
		if !errors.As(err, &fe) || err.Error() != tt.want {
			t.Errorf("got %v, want *FileError %q", err, tt.want)
		}
	}
}

func TestCSVRowsAfterClose(t *testing.T) {
	wb, err := OpenCSV(writeCSVFile(t, "t.csv", []byte("a\n")))
	if err != nil {
		t.Fatal(err)
	}
	wb.Close()
	err = wb.Rows("t", func(Row) error { return nil })
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("got %v, want a *FileError", err)
	}
}

// UTF-16 without a BOM, as some exports write it, is recognised by its NULs.
func TestCSVUTF16WithoutBOM(t *testing.T) {
	text := "Study,Extract,Codes\r\nS1,Café,A\r\n"
	for _, order := range []string{"le", "be"} {
		var b []byte
		for _, r := range text {
			u := uint16(r)
			if order == "le" {
				b = append(b, byte(u), byte(u>>8))
			} else {
				b = append(b, byte(u>>8), byte(u))
			}
		}
		path := filepath.Join(t.TempDir(), "x.csv")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		wb, err := OpenCSV(path)
		if err != nil {
			t.Fatal(err)
		}
		var rows []Row
		if err := wb.Rows("x", func(r Row) error { rows = append(rows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[1].Get(2) != "Café" || len(wb.Warnings()) != 0 {
			t.Errorf("%s: rows %+v, warnings %v", order, rows, wb.Warnings())
		}
	}
	// Plain ASCII is not mistaken for UTF-16.
	if enc := csvGuessUTF16([]byte("Study,Extract,Codes\nS1,x,A\n")); enc != csvUTF8 {
		t.Errorf("ASCII guessed as %v", enc)
	}
}
