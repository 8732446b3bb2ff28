// Package benchdata writes the synthetic workbooks that synth's performance
// is measured on: a sheet of coded extracts in the layout reviewers keep
// (Study, Extract, Codes, ID, Type, Page, Coder), at any number of rows,
// byte-for-byte the same for the same seed.
//
// It writes the package with archive/zip directly rather than through
// excelize, so that a million-row workbook takes seconds and little memory:
// every row is derived from (seed, row number) alone, so the sheet and the
// shared-string table can each be written in one pass over the rows
// without holding either.
package benchdata

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SheetPart is the zip entry of the extracts sheet.
const SheetPart = "xl/worksheets/sheet1.xml"

// SheetName is the name of the extracts sheet.
const SheetName = "Extracts"

// Header is the header row.
var Header = []string{"Study", "Extract", "Codes", "ID", "Type", "Page", "Coder"}

// studies are labels, not real papers: the generated text is attributed to
// no one.
var studies = func() []string {
	s := make([]string, 19)
	for i := range s {
		s[i] = fmt.Sprintf("Study %02d", i+1)
	}
	return s
}()

var types = []string{"participant", "author"}

var coders = []string{"AH", "MW", "ST"}

var codes = []string{
	"Loneliness", "Bereavement", "Low mood", "Anxiety", "Feeling heard", "Trust in link worker",
	"Waiting times", "Continuity", "Peer support", "Confidence", "Routine", "Physical activity",
	"Sense of purpose", "Stigma", "Transport", "Cost", "Digital exclusion", "GP referral",
	"Self-referral", "Motivation", "Dependency", "Ending support", "Volunteering", "Friendship",
	"Hope", "Coping", "Empowerment", "Mismatch of activity", "Health literacy", "Carer role",
	"Long-term condition", "Pain", "Sleep", "Weight", "Housing", "Debt", "Employment",
	"Cultural fit", "Language", "Safety",
}

var words = strings.Fields(`I felt so alone after my husband died and the link worker just listened
to me for the first time in months it was like somebody finally cared about what happened to me
we went to the gardening group every Tuesday and I started to look forward to getting up again
the doctor never had time but here they let you talk and they helped with the forms for the
council and the benefits so that was a weight off my mind participants described a gradual
change from dependency on the service towards confidence and independence although some
felt abandoned when the sessions ended abruptly without any plan for what would come next
the waiting list was long and by the time they rang me I had almost given up on it`)

// Row is one generated extract row.
type Row struct {
	Study, Extract, Codes, ID, Type string
	Page                            int
	Coder                           string
}

// MakeRow returns row i (0-based) of the workbook for seed.
func MakeRow(seed int64, i int) Row {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)))
	var b strings.Builder
	target := 170 + r.IntN(60)
	for b.Len() < target {
		w := words[r.IntN(len(words))]
		if b.Len() == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	switch r.IntN(20) {
	case 0:
		b.WriteString(" – “it changed everything” & more")
	case 1:
		b.WriteString("\nand then <nothing> at all")
	}
	b.WriteByte('.')
	n := 1 + r.IntN(3)
	picked := make([]string, 0, n)
	for len(picked) < n {
		picked = append(picked, codes[r.IntN(len(codes))])
	}
	return Row{
		Study:   studies[r.IntN(len(studies))],
		Extract: b.String(),
		Codes:   strings.Join(picked, "; "),
		ID:      fmt.Sprintf("E%06d", i+1),
		Type:    types[r.IntN(len(types))],
		Page:    1 + r.IntN(30),
		Coder:   coders[r.IntN(len(coders))],
	}
}

// The shared-string table: the fixed strings first, then three strings per
// row (extract, codes, ID), so that every index is known from the row
// number alone.
var fixedStrings = func() []string {
	var s []string
	s = append(s, Header...)
	s = append(s, studies...)
	s = append(s, types...)
	s = append(s, coders...)
	return s
}()

// fixedIndexes maps each fixed string to its index; every string looked up
// comes from the tables above.
var fixedIndexes = func() map[string]int {
	m := make(map[string]int, len(fixedStrings))
	for i, f := range fixedStrings {
		if _, dup := m[f]; !dup {
			m[f] = i
		}
	}
	return m
}()

func fixedIndex(s string) int { return fixedIndexes[s] }

// WriteExtractsWorkbook writes an xlsx workbook whose sheet "Extracts" has a
// header row and rows rows of coded extracts, all text in the shared-string
// table as Excel stores it, to w. The same seed gives the same bytes.
func WriteExtractsWorkbook(w io.Writer, rows int, seed int64) error {
	return writePackage(w,
		func(bw *bufio.Writer) error { return writeSheet(bw, rows, seed, false) },
		func(bw *bufio.Writer) error { return writeStrings(bw, rows, seed, false) })
}

// WriteInlineExtractsWorkbook writes the same rows with each row's own text
// (extract, codes, ID) as inline strings in the sheet XML, as excelize's
// stream writer and other libraries store it; the shared-string table then
// holds only the header, studies, types and coders, and the sheet XML, the
// floor, is about twice as large.
func WriteInlineExtractsWorkbook(w io.Writer, rows int, seed int64) error {
	return writePackage(w,
		func(bw *bufio.Writer) error { return writeSheet(bw, rows, seed, true) },
		func(bw *bufio.Writer) error { return writeStrings(bw, rows, seed, true) })
}

// writePackage writes a one-sheet workbook whose sheet and shared-string
// parts are streamed by the given functions.
func writePackage(w io.Writer, sheet, sst func(*bufio.Writer) error) error {
	zw := zip.NewWriter(w)
	modified := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	part := func(name string, write func(*bufio.Writer) error) error {
		pw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(pw, 64<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	static := func(text string) func(*bufio.Writer) error {
		return func(bw *bufio.Writer) error {
			_, err := bw.WriteString(text)
			return err
		}
	}
	steps := []struct {
		name  string
		write func(*bufio.Writer) error
	}{
		{"[Content_Types].xml", static(contentTypes)},
		{"_rels/.rels", static(packageRels)},
		{"xl/workbook.xml", static(workbook)},
		{"xl/_rels/workbook.xml.rels", static(workbookRels)},
		{"xl/styles.xml", static(styles)},
		{SheetPart, sheet},
		{"xl/sharedStrings.xml", sst},
	}
	for _, s := range steps {
		if err := part(s.name, s.write); err != nil {
			return fmt.Errorf("benchdata: writing %s: %w", s.name, err)
		}
	}
	return zw.Close()
}

func writeSheet(bw *bufio.Writer, rows int, seed int64, inline bool) error {
	bw.WriteString(xmlDecl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	bw.WriteString(`<dimension ref="A1:G` + strconv.Itoa(rows+1) + `"/>`)
	bw.WriteString(`<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	bw.WriteString(`<sheetFormatPr defaultRowHeight="15"/><cols><col min="2" max="2" width="80" style="1" customWidth="1"/></cols><sheetData>`)
	var buf []byte
	cell := func(col byte, row int, attrs string, v int) {
		buf = append(buf, `<c r="`...)
		buf = append(buf, col)
		buf = strconv.AppendInt(buf, int64(row), 10)
		buf = append(buf, '"')
		buf = append(buf, attrs...)
		buf = append(buf, `><v>`...)
		buf = strconv.AppendInt(buf, int64(v), 10)
		buf = append(buf, `</v></c>`...)
	}
	text := func(col byte, row int, attrs string, s string) {
		buf = append(buf, `<c r="`...)
		buf = append(buf, col)
		buf = strconv.AppendInt(buf, int64(row), 10)
		buf = append(buf, '"')
		buf = append(buf, attrs...)
		buf = append(buf, ` t="inlineStr"><is><t xml:space="preserve">`...)
		buf = appendEscaped(buf, s)
		buf = append(buf, `</t></is></c>`...)
	}
	buf = append(buf, `<row r="1" spans="1:7">`...)
	for i := range Header {
		cell(byte('A'+i), 1, ` t="s"`, i)
	}
	buf = append(buf, `</row>`...)
	base := len(fixedStrings)
	for i := 0; i < rows; i++ {
		r := MakeRow(seed, i)
		n := i + 2
		buf = append(buf, `<row r="`...)
		buf = strconv.AppendInt(buf, int64(n), 10)
		buf = append(buf, `" spans="1:7">`...)
		cell('A', n, ` t="s"`, fixedIndex(r.Study))
		if inline {
			text('B', n, ` s="1"`, r.Extract)
			text('C', n, ``, r.Codes)
			text('D', n, ``, r.ID)
		} else {
			cell('B', n, ` s="1" t="s"`, base+3*i)
			cell('C', n, ` t="s"`, base+3*i+1)
			cell('D', n, ` t="s"`, base+3*i+2)
		}
		cell('E', n, ` t="s"`, fixedIndex(r.Type))
		cell('F', n, ``, r.Page)
		cell('G', n, ` t="s"`, fixedIndex(r.Coder))
		buf = append(buf, `</row>`...)
		if len(buf) > 32<<10 {
			if _, err := bw.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`...)
	_, err := bw.Write(buf)
	return err
}

func writeStrings(bw *bufio.Writer, rows int, seed int64, inline bool) error {
	if inline {
		rows = 0 // the rows' own text is in the sheet
	}
	n := len(fixedStrings) + 3*rows
	bw.WriteString(xmlDecl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="` +
		strconv.Itoa(n) + `" uniqueCount="` + strconv.Itoa(n) + `">`)
	si := func(s string) {
		bw.WriteString(`<si><t xml:space="preserve">`)
		escape(bw, s)
		bw.WriteString(`</t></si>`)
	}
	for _, s := range fixedStrings {
		si(s)
	}
	for i := 0; i < rows; i++ {
		r := MakeRow(seed, i)
		si(r.Extract)
		si(r.Codes)
		si(r.ID)
	}
	_, err := bw.WriteString(`</sst>`)
	return err
}

func appendEscaped(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			buf = append(buf, "&amp;"...)
		case '<':
			buf = append(buf, "&lt;"...)
		case '>':
			buf = append(buf, "&gt;"...)
		default:
			buf = append(buf, s[i])
		}
	}
	return buf
}

func escape(bw *bufio.Writer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		bw.WriteString(s[last:i])
		bw.WriteString(esc)
		last = i + 1
	}
	bw.WriteString(s[last:])
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypes = xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
	`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
	`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
	`</Types>`

const packageRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
	`</Relationships>`

const workbook = xmlDecl + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
	`<sheets><sheet name="` + SheetName + `" sheetId="1" r:id="rId1"/></sheets></workbook>`

const workbookRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
	`</Relationships>`

const styles = xmlDecl + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

// WriteProject writes a synth project of rows extracts to dir (made if
// missing): extracts.xlsx (the rows' text in the shared strings, or inline
// in the sheet XML), a codebook of every code the rows use in two analytical
// themes of descriptive themes of four codes, and synth.yaml.
func WriteProject(dir string, rows int, seed int64, inline bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "extracts.xlsx"))
	if err != nil {
		return err
	}
	write := WriteExtractsWorkbook
	if inline {
		write = WriteInlineExtractsWorkbook
	}
	if err := write(f, rows, seed); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	seen := map[string]bool{}
	var codes []string
	for i := range 5000 {
		for _, c := range strings.Split(MakeRow(seed, i).Codes, ";") {
			c = strings.TrimSpace(c)
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	slices.Sort(codes)
	half := len(codes) / 2
	var cb strings.Builder
	cb.WriteString("version: 1\nthemes:\n")
	for i, part := range [][]string{codes[:half], codes[half:]} {
		fmt.Fprintf(&cb, "  - name: Analytical theme %d\n    themes:\n", i+1)
		for j := 0; j < len(part); j += 4 {
			fmt.Fprintf(&cb, "      - name: Descriptive theme %d.%d\n        codes: [%s]\n", i+1, j/4+1, strings.Join(part[j:min(j+4, len(part))], ", "))
		}
	}
	project := "version: 1\ntitle: Benchmark\nextracts:\n  - file: extracts.xlsx\n    columns: {location: Page}\n"
	if err := os.WriteFile(filepath.Join(dir, "codebook.yaml"), []byte(cb.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "synth.yaml"), []byte(project), 0o644)
}
