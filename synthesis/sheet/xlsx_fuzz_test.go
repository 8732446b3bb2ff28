package sheet

// Fuzz targets for the xlsx reader: whole files, and the XML of a sheet,
// its string table and its styles inside an otherwise valid package. Any
// input must come back as rows or as a *FileError: never a panic, a hang or
// another kind of error.
//
//	go test -run='^$' -fuzz=FuzzReadXLSX -fuzztime=2m ./synthesis/sheet/
//	go test -run='^$' -fuzz=FuzzSheetXML -fuzztime=2m ./synthesis/sheet/
//
// FuzzNumberFormat (below) renders numbers in arbitrary format codes.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// fuzzLimit keeps each run short: a small input can still inflate to 1000
// times its size.
const fuzzLimit = 4 << 20

// checkWorkbook reads every sheet of an open workbook and checks what the
// Workbook interface promises.
func checkWorkbook(t *testing.T, wb Workbook) {
	t.Helper()
	sheets := wb.Sheets()
	// Many sheets can share one big part; reading each is linear but
	// would make one run take minutes.
	sheets = sheets[:min(len(sheets), 8)]
	for _, s := range sheets {
		err := wb.Rows(s.Name, func(r Row) error {
			if r.Num < 1 || r.Num > maxRows {
				return fmt.Errorf("row number %d", r.Num)
			}
			if r.Line != 0 || r.Fields != 0 {
				return fmt.Errorf("row %d: line %d and %d fields in a workbook", r.Num, r.Line, r.Fields)
			}
			if len(r.Cells) == 0 {
				return fmt.Errorf("row %d without cells", r.Num)
			}
			last := 0
			for _, c := range r.Cells {
				if c.Col <= last || c.Col > maxCols {
					return fmt.Errorf("row %d: column %d after %d", r.Num, c.Col, last)
				}
				if c.Value == "" {
					return fmt.Errorf("row %d: empty value at column %d", r.Num, c.Col)
				}
				last = c.Col
			}
			return nil
		})
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Rows(%q): %v (%T), want a *FileError", s.Name, err, err)
			}
			continue
		}
		for _, m := range wb.Merged(s.Name) {
			if m.FromCol < 1 || m.FromRow < 1 || m.ToCol < m.FromCol || m.ToRow < m.FromRow {
				t.Fatalf("merged range %+v", m)
			}
		}
	}
	wb.Warnings()
}

func FuzzReadXLSX(f *testing.F) {
	for _, p := range fuzzSeedPackages() {
		f.Add(zipBytes(f, p.build()))
	}
	f.Add(cfbFile("EncryptionInfo", "EncryptedPackage"))
	f.Add(cfbFile("Workbook"))
	f.Add(zipBytes(f, []part{{name: "mimetype", data: "application/vnd.oasis.opendocument.spreadsheet", stored: true}}))
	f.Add([]byte{})
	// A few small real workbooks, when the shared corpus is there.
	for _, name := range []string{"calamine__issue_261.xlsx", "roo__Pfand_from_windows_phone.xlsx", "calamine__inlineStr_cdata.xlsx", "readxl__nonstandard-xml-ns-prefix.xlsx"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "xlsx", name)); err == nil {
			f.Add(b)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "in.xlsx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		wb, err := OpenXLSX(path, Options{MaxPartSize: fuzzLimit})
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("OpenXLSX: %v (%T), want a *FileError", err, err)
			}
			return
		}
		defer wb.Close()
		if len(wb.Sheets()) == 0 {
			t.Fatal("opened a workbook without sheets")
		}
		checkWorkbook(t, wb)
	})
}

func FuzzSheetXML(f *testing.F) {
	for _, p := range fuzzSeedPackages() {
		f.Add([]byte(p.sheets[0].xml), []byte(p.sstXML), []byte(p.styles))
	}
	f.Add([]byte(`<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`),
		[]byte(`<sst><si><t>a</t></si></sst>`), []byte(testStyles))
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a&amp;b </t></is></c><c r="B1" t="inlineStr"><f>"q"</f><is><t>q_x000D_</t></is></c><c r="C1" t="inlineStr"><is><t>x</t></is><v>1</v></c></row></sheetData></worksheet>`),
		[]byte{}, []byte(testStyles))
	f.Add([]byte(utf16LE(`<worksheet><sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData></worksheet>`)), []byte{}, []byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, sheetXML, sstXML, stylesXML []byte) {
		p := pkg{sheets: []pkgSheet{{name: "S", xml: string(sheetXML)}}, sstXML: string(sstXML), styles: string(stylesXML)}
		if len(sheetXML) == 0 {
			p.sheets[0].xml = "<worksheet/>"
		}
		// Stored, not deflated: a flate writer per run would cost more
		// than the read being fuzzed.
		parts := p.build()
		for i := range parts {
			parts[i].stored = true
		}
		path := filepath.Join(dir, "in.xlsx")
		if err := os.WriteFile(path, zipBytes(t, parts), 0o644); err != nil {
			t.Fatal(err)
		}
		wb, err := OpenXLSX(path, Options{MaxPartSize: fuzzLimit})
		if err != nil {
			t.Fatalf("OpenXLSX of a valid package: %v", err)
		}
		defer wb.Close()
		checkWorkbook(t, wb)
		// The fast paths must read what the general path reads, dates and
		// all.
		fast, fastErr := readRows(wb, "S")
		noFastPaths = true
		wb2, err := OpenXLSX(path, Options{MaxPartSize: fuzzLimit})
		if err != nil {
			t.Fatal(err)
		}
		slow, slowErr := readRows(wb2, "S")
		wb2.Close()
		noFastPaths = false
		if (fastErr == nil) != (slowErr == nil) || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("fast paths read %+v (%v), the general path %+v (%v)", fast, fastErr, slow, slowErr)
		}
	})
}

// readRows reads every row of a sheet.
func readRows(wb Workbook, sheet string) ([]Row, error) {
	var rows []Row
	err := wb.Rows(sheet, func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// FuzzNumberFormat renders numbers in arbitrary format codes: never a
// panic or a hang, never an empty text, UTF-8 out of UTF-8 in, the same
// text twice, and a date only for a serial Excel can show.
//
//	go test -run='^$' -fuzz=FuzzNumberFormat -fuzztime=2m ./synthesis/sheet/
func FuzzNumberFormat(f *testing.F) {
	for _, tc := range formatCases {
		f.Add(tc.code, tc.v, false)
	}
	f.Add(`[$-F800]dddd, mmmm dd, yyyy`, 1.5, true)
	f.Add(`# ??/??;[<0]"n"0.0E-00;"z";@`, -0.125, false)
	f.Add(`[hh]:mm:ss.000 AM/PM`, 2958465.9999999, false)
	f.Fuzz(func(t *testing.T, code string, v float64, date1904 bool) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return // parseNumber never lets them through
		}
		nf := compileFormat(code)
		got, date := nf.format(v, date1904)
		if got == "" {
			t.Fatalf("%q with %v: empty text", code, v)
		}
		if utf8.ValidString(code) && !utf8.ValidString(got) {
			t.Fatalf("%q with %v: %q is not UTF-8", code, v, got)
		}
		if date && (v < 0 || v >= maxSerial1900+1) {
			t.Fatalf("%q with %v: a date out of Excel's range: %q", code, v, got)
		}
		if again, date2 := nf.format(v, date1904); again != got || date2 != date {
			t.Fatalf("%q with %v: %q then %q", code, v, got, again)
		}
	})
}

// fuzzStyles has a cell format (s=1…) for each of a spread of number
// formats, so that the fuzzer starts from numbers in each.
const fuzzStyles = `<styleSheet ` + nsMain + `><numFmts count="8">` +
	`<numFmt numFmtId="164" formatCode="d-mmm"/><numFmt numFmtId="165" formatCode="0.0%"/>` +
	`<numFmt numFmtId="166" formatCode="#,##0.00 &quot;€&quot;;[Red]\-#,##0.00"/><numFmt numFmtId="167" formatCode="# ??/??"/>` +
	`<numFmt numFmtId="168" formatCode="##0.0E+0"/><numFmt numFmtId="169" formatCode="[h]:mm:ss.00"/>` +
	`<numFmt numFmtId="170" formatCode="[&gt;=100]0;[&lt;0]&quot;neg&quot;0;0.00"/><numFmt numFmtId="171" formatCode="dd/mm/yyyy\ h:mm AM/PM;@"/>` +
	`</numFmts><cellXfs count="12"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>` +
	`<xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="169"/><xf numFmtId="170"/><xf numFmtId="171"/>` +
	`<xf numFmtId="14"/><xf numFmtId="9"/><xf numFmtId="49"/></cellXfs></styleSheet>`

// fuzzSeedPackages are small workbooks that show the features, each with
// its sheet XML written out in full.
func fuzzSeedPackages() []pkg {
	sheet := func(data, after string) string {
		return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<worksheet ` + nsMain + ` ` + nsRel + `><dimension ref="A1:C3"/><sheetData>` + data + `</sheetData>` + after + `</worksheet>`
	}
	sst := `<sst ` + nsMain + ` count="4" uniqueCount="4"><si><t>Study</t></si><si><r><t>rich</t></r><r><rPr><b/></rPr><t xml:space="preserve"> text</t></r></si>` +
		`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si><si><t>a_x000D_&#10;b</t></si></sst>`
	return []pkg{
		{sheets: []pkgSheet{{name: "S", xml: sheet(
			`<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`+
				`<row r="2"><c r="A2" s="1"><v>44197.5</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c></row>`+
				`<row r="3"><c r="A3" t="str"><f>A1</f><v>Study</v></c><c r="B3" t="d"><v>2021-01-01T10:00:00</v></c><c r="C3" t="s"><v>3</v></c></row>`,
			`<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>`)}},
			sstXML: sst, styles: testStyles},
		{sheets: []pkgSheet{{name: "Implied", xml: sheet(
			`<row><c t="inlineStr"><is><t><![CDATA[cdata]]></t></is></c><c><v>8595602512225</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`, "")}}},
		{sheets: []pkgSheet{{name: "Formats", xml: sheet(
			`<row r="1"><c r="A1" s="1"><v>45640</v></c><c r="B1" s="2"><v>0.3300000000000001</v></c><c r="C1" s="3"><v>-1234.5</v></c>`+
				`<c r="D1" s="4"><v>3.14159</v></c><c r="E1" s="5"><v>12345</v></c><c r="F1" s="6"><v>1.5</v></c></row>`+
				`<row r="2"><c r="A2" s="7"><v>-5</v></c><c r="B2" s="8"><v>45640.75</v></c><c r="C2" s="9" t="d"><v>2024-12-14</v></c>`+
				`<c r="D2" s="10"><v>0.5</v></c><c r="E2" s="11"><v>0.30000000000000004</v></c><c r="F2"><v>123456789012</v></c></row>`, "")}},
			styles: fuzzStyles},
		{sheets: []pkgSheet{{name: "X", xml: `<x:worksheet xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:r><x:t>a</x:t></x:r></x:is></x:c></x:row></x:sheetData></x:worksheet>`},
			{name: "Chart", chart: true}, {name: "Hidden", state: "hidden"}}, date1904: true, styles: testStyles},
	}
}
