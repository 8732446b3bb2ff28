package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

var csvFuzzExts = []string{".csv", ".tsv", ".txt", ".psv", ".ssv", ".tab"}

// FuzzReadCSV reads arbitrary bytes as a delimited file (the extension
// picked by ext) and checks what must hold for any input: no panic or hang;
// the only error readable bytes can give is an unclosed quote; rows numbered
// upwards from 1 with non-empty cells in increasing columns, UTF-8 and free
// of NULs; the same rows when the text arrives one byte at a time or is read
// a second time; and, for text without quotes, exactly the split on line
// ends and the delimiter.
//
// The bytes are read from memory through the same code OpenCSV uses after
// it has opened the file: a temporary file for each input made fuzzing ten
// times slower (and far slower still on a busy disk), and opening files is
// covered by the unit tests.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"", "\n", "a,b\nc,d\n", "a;b\r\n1,5;2\r\n", "a\tb\rc\td\r", "a|b\n",
		`"a ""q"" b",c` + "\n", "\"a\r\nb\"\r\n\"c\rd\"\n", "\"ab\"cd,5\" tall\n",
		"\"never closes\n", `"a""`, "a\x00,b\n", "\xEF\xBB\xBFh1,h2\n1,2",
		"\xFF\xFEa\x00,\x00b\x00\n\x00", "\xFE\xFF\x00a\x00,\x00b", "caf\xE9,\x80\n",
		"\xE2\x82", ",,,\n\n\r\n,x", "\"\"", "\"\"\"\"",
		"sep=;\r\na,b;c\n", "SEP=|", "sep=;x\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	f.Add([]byte("a\tb,c\n1\t2\n"), uint8(1))
	f.Add([]byte("a|b\n1|2\n"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, ext uint8) {
		wb, err := newCSVWorkbook("fuzz"+csvFuzzExts[int(ext)%len(csvFuzzExts)], bytes.NewReader(data))
		if err != nil {
			t.Fatalf("readable bytes did not open: %v", err)
		}
		if !strings.ContainsRune(",;\t|", rune(wb.delim)) {
			t.Fatalf("delimiter %q", wb.delim)
		}

		var rows []Row
		readErr := wb.Rows("fuzz", func(r Row) error {
			rows = append(rows, r)
			return nil
		})
		if readErr != nil {
			var fe *FileError
			if !errors.As(readErr, &fe) || !strings.Contains(fe.Msg, "a quoted field opens here") {
				t.Fatalf("unexpected error %v", readErr)
			}
		}
		// A record starts on the line after the one before it ends, and a
		// record's line breaks are all in its values (an unquoted line break
		// ends the record), each one "\n" there; skipped records are blank,
		// one line each. So Line is Num, plus the sep= line, plus the line
		// breaks in the values of the rows before.
		last, inValues := 0, 0
		sepLines := 0
		if wb.sepLine {
			sepLines = 1
		}
		for _, r := range rows {
			if r.Num <= last {
				t.Fatalf("row %d after row %d", r.Num, last)
			}
			last = r.Num
			if len(r.Cells) == 0 {
				t.Fatalf("row %d has no cells", r.Num)
			}
			if want := r.Num + sepLines + inValues; r.Line != want {
				t.Fatalf("row %d: line %d, want %d", r.Num, r.Line, want)
			}
			col := 0
			for _, c := range r.Cells {
				if c.Col <= col {
					t.Fatalf("row %d: column %d after %d", r.Num, c.Col, col)
				}
				col = c.Col
				if c.Value == "" || !utf8.ValidString(c.Value) || strings.ContainsRune(c.Value, 0) {
					t.Fatalf("row %d column %d: bad value %q", r.Num, c.Col, c.Value)
				}
				inValues += strings.Count(c.Value, "\n")
			}
			if r.Fields < col {
				t.Fatalf("row %d: %d fields, but a value in column %d", r.Num, r.Fields, col)
			}
		}

		text, err := io.ReadAll(wb.text())
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(text) {
			t.Fatalf("decoded text is not UTF-8: %q", text)
		}
		// The warnings say what happened: the fallback when the bytes after
		// a UTF-8 BOM are not UTF-8, NULs when the text has any, a stray
		// quote only when there are quotes.
		var fallback, nul bool
		for _, w := range wb.Warnings() {
			switch w.Kind {
			case "encoding-fallback":
				fallback = true
			case "nul-bytes":
				nul = true
			case "stray-quote":
				if bytes.Count(text, []byte{'"'}) < 2 {
					t.Fatalf("stray-quote warning without two quotes")
				}
			default:
				t.Fatalf("unexpected warning %+v", w)
			}
		}
		utf16 := bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) ||
			!bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) && csvGuessUTF16(data) != csvUTF8
		if want := !utf16 && !utf8.Valid(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))); fallback != want {
			t.Fatalf("encoding-fallback warning %v, want %v", fallback, want)
		}
		if want := bytes.IndexByte(text, 0) >= 0; nul != want {
			t.Fatalf("nul-bytes warning %v, want %v", nul, want)
		}

		body := text
		if wb.sepLine { // Excel's "sep=X" line is not a row
			body = body[len("sep=X"):]
			body = bytes.TrimPrefix(body, []byte("\n"))
			if bytes.HasPrefix(body, []byte("\r")) {
				body = bytes.TrimPrefix(body[1:], []byte("\n"))
			}
		}
		again, err := parseCSV(iotest.OneByteReader(bytes.NewReader(body)), wb.delim)
		for i := range again {
			again[i].Line += sepLines // body starts after the sep= line
		}
		if (err != nil) != (readErr != nil) || showCSVRowsFull(again) != showCSVRowsFull(rows) {
			t.Fatalf("one byte at a time: %v\n%s\nwhole: %v\n%s", err, showCSVRowsFull(again), readErr, showCSVRowsFull(rows))
		}
		var second []Row
		if err := wb.Rows("fuzz", func(r Row) error { second = append(second, r); return nil }); (err != nil) != (readErr != nil) || showCSVRowsFull(second) != showCSVRowsFull(rows) {
			t.Fatalf("second read differs")
		}

		if bytes.IndexByte(body, '"') < 0 {
			if want := csvSplitUnquoted(string(body), wb.delim, sepLines); showCSVRowsFull(rows) != want {
				t.Fatalf("unquoted text %q:\n got:\n%s want:\n%s", body, showCSVRowsFull(rows), want)
			}
		}
	})
}

// showCSVRowsFull prints rows as showCSVRows does, each with its line and
// number of fields.
func showCSVRowsFull(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "line %d, %d fields: %s", r.Line, r.Fields, showCSVRows([]Row{r}))
	}
	return b.String()
}

// csvSplitUnquoted reads text that has no quotes the simple way, as
// showCSVRowsFull prints it: records end at CRLF, CR or LF, fields at delim;
// a record's line is its number plus the lines before the text.
func csvSplitUnquoted(text string, delim byte, linesBefore int) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return ""
	}
	var rows []Row
	for i, rec := range strings.Split(text, "\n") {
		fields := strings.Split(rec, string(delim))
		r := Row{Num: i + 1, Line: i + 1 + linesBefore, Fields: len(fields)}
		for j, v := range fields {
			if v = strings.ReplaceAll(v, "\x00", ""); v != "" {
				r.Cells = append(r.Cells, Cell{Col: j + 1, Value: v})
			}
		}
		if len(r.Cells) > 0 {
			rows = append(rows, r)
		}
	}
	return showCSVRowsFull(rows)
}
