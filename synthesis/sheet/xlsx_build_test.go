package sheet

// Helpers that build small xlsx packages in tests, with archive/zip, so
// that each feature is tested on the few bytes that show it.

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// part is one zip entry.
type part struct {
	name string
	data string
	// stored writes it uncompressed (zip.Store) instead of deflated.
	stored bool
}

// zipBytes builds a zip of the parts, in order.
func zipBytes(t testing.TB, parts []part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		method := zip.Deflate
		if p.stored {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeTemp writes data to a file in a temporary folder.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// pkg describes a workbook to build.
type pkg struct {
	sheets   []pkgSheet
	strings  []string // shared strings; nil: no part
	sstXML   string   // raw sharedStrings.xml, instead of strings
	styles   string   // raw styles.xml; "": no part
	date1904 bool
}

type pkgSheet struct {
	name  string
	state string // "", hidden, veryHidden
	chart bool
	// xml is the whole part; data, if xml is "", is put inside <sheetData>.
	xml, data string
	// after goes after </sheetData> (mergeCells).
	after string
}

// build makes the parts of a standard package: xl/workbook.xml and its
// relationships, one worksheet part per sheet, and the optional parts.
func (p pkg) build() []part {
	var sheets, rels strings.Builder
	var parts []part
	for i, s := range p.sheets {
		n := strconv.Itoa(i + 1)
		state := ""
		if s.state != "" {
			state = ` state="` + s.state + `"`
		}
		sheets.WriteString(`<sheet name="` + xmlEsc(s.name) + `" sheetId="` + n + `"` + state + ` r:id="rId` + n + `"/>`)
		kind, target := "worksheet", "worksheets/sheet"+n+".xml"
		body := s.xml
		if s.chart {
			kind, target = "chartsheet", "chartsheets/sheet"+n+".xml"
			if body == "" {
				body = `<chartsheet ` + nsMain + ` ` + nsRel + `><drawing r:id="rId1"/></chartsheet>`
			}
		}
		if body == "" {
			body = `<worksheet ` + nsMain + `><sheetData>` + s.data + `</sheetData>` + s.after + `</worksheet>`
		}
		rels.WriteString(`<Relationship Id="rId` + n + `" Type="` + relNS + kind + `" Target="` + target + `"/>`)
		parts = append(parts, part{name: "xl/" + target, data: body})
	}
	pr := ""
	if p.date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	sst := p.sstXML
	if sst == "" && p.strings != nil {
		var b strings.Builder
		b.WriteString(`<sst ` + nsMain + `>`)
		for _, s := range p.strings {
			b.WriteString(`<si><t xml:space="preserve">` + xmlEsc(s) + `</t></si>`)
		}
		b.WriteString(`</sst>`)
		sst = b.String()
	}
	if sst != "" {
		rels.WriteString(`<Relationship Id="rIdS" Type="` + relNS + `sharedStrings" Target="sharedStrings.xml"/>`)
		parts = append(parts, part{name: "xl/sharedStrings.xml", data: sst})
	}
	if p.styles != "" {
		rels.WriteString(`<Relationship Id="rIdY" Type="` + relNS + `styles" Target="styles.xml"/>`)
		parts = append(parts, part{name: "xl/styles.xml", data: p.styles})
	}
	head := []part{
		{name: "[Content_Types].xml", data: `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{name: "_rels/.rels", data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<workbook ` + nsMain + ` ` + nsRel + `>` + pr + `<sheets>` + sheets.String() + `</sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
	}
	return append(head, parts...)
}

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// oneSheet is a package of one sheet "S" with the given sheetData content.
func oneSheet(data string) pkg {
	return pkg{sheets: []pkgSheet{{name: "S", data: data}}}
}

// openParts writes the parts as a workbook and opens it.
func openParts(t testing.TB, parts []part, opts Options) (Workbook, string, error) {
	t.Helper()
	path := writeTemp(t, "book.xlsx", zipBytes(t, parts))
	wb, err := OpenXLSX(path, opts)
	if err == nil {
		t.Cleanup(func() { wb.Close() })
	}
	return wb, path, err
}

// readSheet reads one sheet into ref → value, failing the test on errors.
func readSheet(t testing.TB, wb Workbook, sheet string) map[string]string {
	t.Helper()
	got, err := tryReadSheet(wb, sheet)
	if err != nil {
		t.Fatalf("Rows(%q): %v", sheet, err)
	}
	return got
}

func tryReadSheet(wb Workbook, sheet string) (map[string]string, error) {
	got := map[string]string{}
	err := wb.Rows(sheet, func(r Row) error {
		for _, c := range r.Cells {
			got[Ref(c.Col, r.Num)] = c.Value
		}
		return nil
	})
	return got, err
}

// sheetFileError builds p, reads its sheet "S" and returns the *FileError
// the read must fail with, and the workbook's path.
func sheetFileError(t *testing.T, p pkg) (*FileError, string) {
	t.Helper()
	wb, path, err := openParts(t, p.build(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tryReadSheet(wb, "S")
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want a *FileError", err)
	}
	return fe, path
}

// utf16LE encodes s as UTF-16 little-endian with a BOM.
func utf16LE(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2+2*len(u))
	b[0], b[1] = 0xFF, 0xFE
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2+2*i:], c)
	}
	return string(b)
}

// cfbFile builds a minimal OLE compound file (512-byte sectors: the header,
// one FAT sector, one directory sector) whose directory lists the named
// streams, to stand in for encrypted workbooks and .xls files.
func cfbFile(names ...string) []byte {
	const free, endOfChain, fatSect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
	le16 := binary.LittleEndian.PutUint16
	le32 := binary.LittleEndian.PutUint32
	b := make([]byte, 512*3)
	copy(b, cfbMagic)
	le16(b[0x18:], 0x3E)
	le16(b[0x1A:], 3)
	le16(b[0x1C:], 0xFFFE)
	le16(b[0x1E:], 9)
	le16(b[0x20:], 6)
	le32(b[0x2C:], 1)          // FAT sectors
	le32(b[0x30:], 1)          // first directory sector
	le32(b[0x38:], 4096)       // mini stream cutoff
	le32(b[0x3C:], endOfChain) // no mini FAT
	le32(b[0x44:], endOfChain) // no DIFAT sectors
	for i := 0; i < 109; i++ {
		le32(b[0x4C+4*i:], free)
	}
	le32(b[0x4C:], 0) // the FAT is sector 0
	fat := b[512:1024]
	for i := 0; i < 128; i++ {
		le32(fat[4*i:], free)
	}
	le32(fat[0:], fatSect)
	le32(fat[4:], endOfChain) // the directory: sector 1, one sector long
	dir := b[1024:]
	entry := func(i int, name string, kind byte) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le16(e[2*j:], c)
		}
		le16(e[0x40:], uint16(2*len(u)+2))
		e[0x42] = kind
	}
	entry(0, "Root Entry", 5)
	for i, n := range names {
		if i < 3 {
			entry(i+1, n, 2)
		}
	}
	return b
}
