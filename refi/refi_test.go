package refi

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// entry is one file of a hand-made .qdpx.
type entry struct {
	name string
	data string
}

// makeQDPX zips the entries, in order, as a .qdpx.
func makeQDPX(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readZip(t *testing.T, data []byte) (*Project, error) {
	t.Helper()
	return ReadQDPX(bytes.NewReader(data), int64(len(data)), "project.qdpx", Options{})
}

func mustZip(t *testing.T, data []byte) *Project {
	t.Helper()
	p, err := readZip(t, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// oneSource is a project with one text source, guid S, whose text is the
// file txt, and one selection per pair of positions, each coded with code C.
func oneSource(origin, txt string, pos ...[2]int) string {
	var sels strings.Builder
	for i, p := range pos {
		sels.WriteString(`<PlainTextSelection guid="00000000-0000-0000-0000-00000000000` + string(rune('1'+i)) + `" startPosition="` +
			itoa(p[0]) + `" endPosition="` + itoa(p[1]) + `"><Coding guid="c"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>`)
	}
	return `<?xml version="1.0" encoding="utf-8"?>
<Project name="p" origin="` + origin + `" xmlns="urn:QDA-XML:project:1.0">
<CodeBook><Codes><Code guid="C" name="Code" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="S" name="Doc" plainTextPath="` + txt + `">` + sels.String() + `</TextSource></Sources></Project>`
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func texts(p *Project) []string {
	var out []string
	for _, s := range p.Sources {
		for _, sel := range s.Selections {
			out = append(out, sel.Text)
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The text "a😀b\r\nc" counted by hand:
//
//	char:        a   😀      b   \r  \n  c
//	UTF-16 unit: 0   1,2     3   4   5   6   (length 7)
//	code point:  0   1       2   3   4   5   (length 6)
const sampleText = "a😀b\r\nc"

func TestPositionUnits(t *testing.T) {
	cases := []struct {
		unit       PositionUnit
		start, end int64
		want       string
		ok         bool
	}{
		{UTF16Units, 3, 7, "b\r\nc", true},
		{UTF16Units, 1, 3, "😀", true},
		{UTF16Units, 0, 7, sampleText, true},
		// A position between the two units of the emoji keeps it whole.
		{UTF16Units, 2, 3, "😀", true},
		{UTF16Units, 1, 2, "😀", true},
		{UTF16Units, 0, 8, "", false},
		{UTF16Units, -1, 2, "", false},
		{UTF16Units, 3, 2, "", false},
		{CodePoints, 2, 6, "b\r\nc", true},
		{CodePoints, 1, 2, "😀", true},
		{CodePoints, 0, 6, sampleText, true},
		{CodePoints, 0, 7, "", false},
		{CodePoints, 6, 6, "", true},
	}
	for _, c := range cases {
		got, ok := newPositions(sampleText, c.unit).slice(c.start, c.end)
		if got != c.want || ok != c.ok {
			t.Errorf("%v [%d,%d): got %q %v, want %q %v", c.unit, c.start, c.end, got, ok, c.want, c.ok)
		}
	}
}

// Positions far into a long text go through the checkpoints.
func TestPositionsLongText(t *testing.T) {
	var b strings.Builder
	for range 5000 {
		b.WriteString("x😀")
	}
	b.WriteString("END")
	text := b.String()
	// Each "x😀" is 3 UTF-16 units and 2 code points.
	if got, _ := newPositions(text, UTF16Units).slice(15000, 15003); got != "END" {
		t.Errorf("UTF-16: got %q", got)
	}
	if got, _ := newPositions(text, CodePoints).slice(10000, 10003); got != "END" {
		t.Errorf("code points: got %q", got)
	}
	if got, _ := newPositions(text, UTF16Units).slice(7500, 7503); got != "x😀" {
		t.Errorf("UTF-16 middle: got %q", got)
	}
}

func TestUnitFor(t *testing.T) {
	for origin, want := range map[string]PositionUnit{
		"NVivo for Windows 12.6":            UTF16Units,
		"NVivo for Mac 15.0.0":              UTF16Units,
		"ATLAS.ti for Windows 23.2.3.27778": CodePoints,
		"MAXQDA 24 (Release 24.7.0)":        CodePoints,
		"qc 1.3.2":                          CodePoints,
		"":                                  CodePoints,
	} {
		if got := UnitFor(origin); got != want {
			t.Errorf("UnitFor(%q) = %v, want %v", origin, got, want)
		}
	}
}

// NVivo counts UTF-16 units, CRLF as two, after the BOM; other programs
// count code points.
func TestNVivoAndOtherPositions(t *testing.T) {
	txt := "\ufeff" + sampleText
	nv := mustZip(t, makeQDPX(t,
		entry{"project.qde", oneSource("NVivo for Windows 12.6", "internal://S.txt", [2]int{3, 7}, [2]int{1, 3})},
		entry{"Sources/S.txt", txt}))
	if got, want := texts(nv), []string{"b\r\nc", "😀"}; !equal(got, want) {
		t.Errorf("NVivo: got %q, want %q", got, want)
	}
	at := mustZip(t, makeQDPX(t,
		entry{"project.qde", oneSource("ATLAS.ti 23", "internal://S.txt", [2]int{2, 6}, [2]int{1, 2})},
		entry{"sources/S.txt", txt}))
	if got, want := texts(at), []string{"b\r\nc", "😀"}; !equal(got, want) {
		t.Errorf("ATLAS.ti: got %q, want %q", got, want)
	}
}

// The sources folder and the file are found whatever their case, and qc's
// bare file names are found in it.
func TestSourceFolderCase(t *testing.T) {
	for _, c := range []struct{ path, entry string }{
		{"internal://S.txt", "Sources/S.txt"},
		{"internal://S.txt", "sources/S.txt"},
		{"internal://S.txt", "SOURCES/s.TXT"},
		{"internal://s.txt", "Sources/S.txt"},
		{"board_2017.txt", "sources/board_2017.txt"},
		{"relative:///sub/S.txt", "sources/S.txt"},
		{"internal://S.txt", "S.txt"},
	} {
		p := mustZip(t, makeQDPX(t,
			entry{"project.qde", oneSource("x", c.path, [2]int{0, 5})},
			entry{c.entry, "Hello world"}))
		sel := p.Sources[0].Selections[0]
		if sel.Text != "Hello" || sel.From != FromSource {
			t.Errorf("%s in %s: got %q from %v (%s)", c.path, c.entry, sel.Text, sel.From, sel.Problem)
		}
	}
}

// A project inside a folder of the zip finds its sources beside it.
func TestProjectInFolder(t *testing.T) {
	p := mustZip(t, makeQDPX(t,
		entry{"My project/sources/S.txt", "Hello world"},
		entry{"My project/project.qde", oneSource("x", "internal://S.txt", [2]int{6, 11})}))
	if got := texts(p); !equal(got, []string{"world"}) {
		t.Errorf("got %q", got)
	}
}

func TestNamespaceVariants(t *testing.T) {
	body := `<%sUsers><%sUser guid="U" name="Ann"/></%sUsers>
<%sCodeBook><%sCodes><%sCode guid="P" name="Parent" isCodable="false" color="#ff0000"><%sDescription> Why </%sDescription><%sCode guid="K" name="Kid" isCodable="true"/></%sCode></%sCodes></%sCodeBook>
<%sSources><%sTextSource guid="S" name="Doc"><%sPlainTextContent>Hello world</%sPlainTextContent>
<%sPlainTextSelection guid="X" startPosition="0" endPosition="5" creatingUser="U"><%sCoding guid="c" creatingUser="U"><%sCodeRef targetGUID="K"/></%sCoding></%sPlainTextSelection></%sTextSource></%sSources>`
	fill := func(prefix string) string {
		n := strings.Count(body, "%s")
		args := make([]any, n)
		for i := range args {
			args[i] = prefix
		}
		return fmt.Sprintf(body, args...)
	}
	docs := map[string]string{
		"default namespace": `<Project name="p" xmlns="urn:QDA-XML:project:1.0">` + fill("") + `</Project>`,
		"no namespace":      `<Project name="p">` + fill("") + `</Project>`,
		"prefixed":          `<qda:Project name="p" xmlns:qda="urn:QDA-XML:project:1.0">` + fill("qda:") + `</qda:Project>`,
		"BOM and decl":      "\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\" ?>\r\n<Project name=\"p\" xmlns=\"urn:QDA-XML:project:1.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:QDA-XML:project:1.0 Project.xsd\">" + fill("") + `</Project>`,
		"latin-1 decl":      `<?xml version="1.0" encoding="ISO-8859-1"?><Project name="p">` + fill("") + `</Project>`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			p, err := ReadQDE([]byte(doc), "project.qde")
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Codebook.Codes) != 1 || p.Codebook.Codes[0].Name != "Parent" || len(p.Codebook.Codes[0].Children) != 1 {
				t.Fatalf("codes: %+v", p.Codebook.Codes)
			}
			par := p.Codebook.Codes[0]
			if par.Color != "#ff0000" || par.Description != "Why" || par.IsCodable {
				t.Errorf("parent: %+v", par)
			}
			kid := p.Code("k")
			if kid == nil || kid.Parent != par || strings.Join(kid.Path(), "/") != "Parent/Kid" {
				t.Errorf("kid: %+v", kid)
			}
			if u := p.User("u"); u == nil || u.Name != "Ann" {
				t.Errorf("user: %+v", u)
			}
			sel := p.Sources[0].Selections[0]
			if sel.Text != "Hello" || sel.From != FromSource || len(sel.Codings) != 1 || sel.Codings[0].Code != "K" || sel.Codings[0].CreatingUser != "U" {
				t.Errorf("selection: %+v", sel)
			}
		})
	}
}

// A UTF-16 project.qde and a UTF-16 source text are read.
func TestUTF16Files(t *testing.T) {
	enc := func(s string) string {
		u := utf16.Encode([]rune(s))
		b := []byte{0xFF, 0xFE}
		for _, c := range u {
			b = append(b, byte(c), byte(c>>8))
		}
		return string(b)
	}
	qde := strings.Replace(oneSource("x", "internal://S.txt", [2]int{2, 6}), `encoding="utf-8"`, `encoding="utf-16"`, 1)
	p := mustZip(t, makeQDPX(t, entry{"project.qde", enc(qde)}, entry{"sources/S.txt", enc(sampleText)}))
	if got := texts(p); !equal(got, []string{"b\r\nc"}) {
		t.Errorf("got %q", got)
	}
}

// Without the source text, a selection takes its name; a PDF selection its
// own text representation; a region with neither is left without text.
func TestTextFallbacks(t *testing.T) {
	doc := `<Project name="p" origin="ATLAS.ti 8.4.0"><CodeBook><Codes><Code guid="C" name="c" isCodable="true"/></Codes></CodeBook><Sources>
<TextSource guid="T" name="Simon.docx" plainTextPath="internal://T.txt">
  <PlainTextSelection guid="A" name="I did try the gluten free bread" startPosition="215" endPosition="275"><Coding guid="1"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
  <PlainTextSelection guid="B" name="" startPosition="1" endPosition="2"><Coding guid="2"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
  <PlainTextSelection guid="N" name="x" startPosition="one" endPosition="2"><Coding guid="3"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
</TextSource>
<PDFSource guid="P" name="Paper.pdf" path="internal://P.pdf">
  <PDFSelection guid="R1" name="Quotation 12:3" page="0" firstX="1" firstY="1" secondX="2" secondY="2"><Coding guid="4"><CodeRef targetGUID="C"/></Coding></PDFSelection>
  <PDFSelection guid="R2" name="granola" page="1" firstX="1" firstY="1" secondX="2" secondY="2"><Representation guid="RR"><PlainTextContent>granola bars</PlainTextContent></Representation><Coding guid="5"><CodeRef targetGUID="C"/></Coding></PDFSelection>
  <Representation guid="RP" plainTextPath="internal://RP.txt"><PlainTextContent>Lemon pie with granola</PlainTextContent>
    <PlainTextSelection guid="R2" name="granola" startPosition="15" endPosition="22"><Coding guid="6"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
  </Representation>
</PDFSource>
<PictureSource guid="I" name="pic.jpg"><PictureSelection guid="IS" name="Quotation 6:1" firstX="1" firstY="1" secondX="2" secondY="2"><Coding guid="7"><CodeRef targetGUID="C"/></Coding></PictureSelection></PictureSource>
<VideoSource guid="V" name="ad.mp4">
  <Transcript guid="TR"><PlainTextContent>Hello there, general.</PlainTextContent><SyncPoint guid="s0" position="0"/><SyncPoint guid="s1" position="11"/></Transcript>
  <VideoSelection guid="VS" name="00:14" begin="14706" end="17706"><Coding guid="8"><CodeRef targetGUID="C"/></Coding></VideoSelection>
</VideoSource>
</Sources></Project>`
	p, err := ReadQDE([]byte(doc), "project.qde")
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		kind    SelectionKind
		text    string
		from    TextFrom
		problem string
	}
	want := []got{
		{TextSelection, "I did try the gluten free bread", FromName, "no source text"},
		{TextSelection, "", NoText, "no source text"},
		{TextSelection, "x", FromName, "unreadable positions"},
		{TextSelection, "granola", FromSource, ""},
		{PDFSelection, "", NoText, "no text"},
		{PDFSelection, "granola bars", FromContent, ""},
		{PictureSelection, "", NoText, "no text"},
		{VideoSelection, "", NoText, "no text"},
	}
	var all []got
	for _, s := range p.Sources {
		for _, sel := range s.Selections {
			all = append(all, got{sel.Kind, sel.Text, sel.From, sel.Problem})
		}
	}
	if len(all) != len(want) {
		t.Fatalf("got %d selections %+v, want %d", len(all), all, len(want))
	}
	for i := range want {
		if all[i] != want[i] {
			t.Errorf("selection %d: got %+v, want %+v", i, all[i], want[i])
		}
	}
	pdf := p.Sources[1].Selections
	if pdf[1].Page != 0 || pdf[2].Page != 1 || pdf[0].TextGUID != "RP" {
		t.Errorf("PDF pages/text: %+v %+v %+v", pdf[0], pdf[1], pdf[2])
	}
	if v := p.Sources[3].Selections[0]; v.Start != 14706 || v.End != 17706 {
		t.Errorf("video clip: %+v", v)
	}
}

func TestTranscriptSelection(t *testing.T) {
	doc := `<Project name="p"><Sources><AudioSource guid="A" name="talk.m4a">
<Transcript guid="TR"><PlainTextContent>Hello there, general.</PlainTextContent><SyncPoint guid="s0" position="0"/><SyncPoint guid="s1" position="11"/>
<TranscriptSelection guid="TS" fromSyncPoint="s0" toSyncPoint="s1"><Coding guid="1"><CodeRef targetGUID="C"/></Coding></TranscriptSelection>
<TranscriptSelection guid="TX" fromSyncPoint="s0" toSyncPoint="nope"><Coding guid="2"><CodeRef targetGUID="C"/></Coding></TranscriptSelection>
</Transcript></AudioSource></Sources></Project>`
	p, err := ReadQDE([]byte(doc), "project.qde")
	if err != nil {
		t.Fatal(err)
	}
	sels := p.Sources[0].Selections
	if len(sels) != 2 || sels[0].Text != "Hello there" || sels[0].Kind != TranscriptSelection || sels[1].Problem != "unreadable positions" {
		t.Errorf("got %+v", sels)
	}
}

func TestEmptyProjects(t *testing.T) {
	for name, data := range map[string][]byte{
		"qde":  []byte(`<?xml version="1.0"?><Project name="Empty" xmlns="urn:QDA-XML:project:1.0"/>`),
		"qdpx": makeQDPX(t, entry{"project.qde", `<Project name="Empty" xmlns="urn:QDA-XML:project:1.0"><Users><User guid="U" name="A"/></Users></Project>`}),
	} {
		t.Run(name, func(t *testing.T) {
			var p *Project
			var err error
			if name == "qde" {
				p, err = ReadQDE(data, "project.qde")
			} else {
				p, err = readZip(t, data)
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != "Empty" || len(p.Sources) != 0 || len(p.Codebook.Codes) != 0 {
				t.Errorf("got %+v", p)
			}
		})
	}
}

// GUIDs match without regard to case and braces, as the schema's GUIDType
// allows both forms and programs write upper or lower case.
func TestGUIDForms(t *testing.T) {
	doc := `<Project name="p"><Users><User guid="{AD68FBE7-E1EE-4A82-A279-23CC698C89EB}" name="Ann"/></Users>
<CodeBook><Codes><Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false"/></Codes></CodeBook></Project>`
	p, err := ReadQDE([]byte(doc), "project.qde")
	if err != nil {
		t.Fatal(err)
	}
	if p.User("ad68fbe7-e1ee-4a82-a279-23cc698c89eb") == nil || p.Code("5215CC69-B628-4E02-AFB9-9BEEAEE55808") == nil {
		t.Error("GUIDs did not match across case and braces")
	}
}

func TestVariablesAndCases(t *testing.T) {
	doc := `<Project name="p"><Variables><Variable guid="V1" name="Country" typeOfVariable="Text"/><Variable guid="V2" name="Year" typeOfVariable="Integer"/></Variables>
<Cases><Case guid="K1" name="Site A"><VariableValue><VariableRef targetGUID="V1"/><TextValue> UK </TextValue></VariableValue><SourceRef targetGUID="S1"/><SelectionRef targetGUID="X9"/></Case></Cases>
<Sources><TextSource guid="S1" name="Doc"><VariableValue><VariableRef targetGUID="V2"/><IntegerValue>2019</IntegerValue></VariableValue></TextSource></Sources></Project>`
	p, err := ReadQDE([]byte(doc), "project.qde")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Variables) != 2 || p.Variables[1].Type != "Integer" {
		t.Errorf("variables: %+v", p.Variables)
	}
	c := p.Cases[0]
	if c.Name != "Site A" || len(c.Sources) != 1 || c.Sources[0] != "S1" || c.Selections[0] != "X9" || c.Values[0] != (Value{"V1", "UK"}) {
		t.Errorf("case: %+v", c)
	}
	if v := p.Sources[0].Values; len(v) != 1 || v[0] != (Value{"V2", "2019"}) {
		t.Errorf("source values: %+v", v)
	}
}

// Every failure is an *Error with one sentence, and none is a panic.
func TestErrors(t *testing.T) {
	deep := strings.Repeat(`<Code guid="g" name="n" isCodable="true">`, MaxCodeDepth+1) + strings.Repeat(`</Code>`, MaxCodeDepth+1)
	bomb := strings.Repeat("a", 12<<20)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"not XML", []byte("hello"), "no XML element"},
		{"binary", []byte("\x00\x01<Project"), "XML syntax error"},
		{"cut short", []byte(`<Project name="p"><CodeBook><Codes>`), "XML syntax error"},
		{"codebook", []byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`), "REFI-QDA codebook"},
		{"other XML", []byte(`<html><body/></html>`), "root element is <html>"},
		{"deep codes", []byte(`<Project name="p"><CodeBook><Codes>` + deep + `</Codes></CodeBook></Project>`), "nested more than"},
		{"encoding", []byte(`<?xml version="1.0" encoding="EBCDIC"?><Project/>`), "encoding"},
		{"zip without qde", makeQDPX(t, entry{"readme.txt", "hi"}), "no project.qde"},
		{"xlsx", makeQDPX(t, entry{"[Content_Types].xml", "<Types/>"}, entry{"xl/workbook.xml", "<workbook/>"}), "Office document"},
		{"zip bomb", makeQDPX(t, entry{"project.qde", oneSource("x", "internal://S.txt", [2]int{0, 1})}, entry{"sources/S.txt", bomb}), "zip bomb"},
		{"cut zip", makeQDPX(t, entry{"project.qde", oneSource("x", "", [2]int{0, 1})})[:40], "not a readable zip"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if bytes.HasPrefix(c.data, []byte("PK")) {
				_, err = readZip(t, c.data)
			} else {
				_, err = ReadQDE(c.data, "project.qde")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want *Error", err, err)
			}
			if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %q, want one line saying %q", err, c.want)
			}
		})
	}
}

func TestSizeLimits(t *testing.T) {
	data := makeQDPX(t, entry{"project.qde", oneSource("x", "internal://S.txt", [2]int{0, 1})}, entry{"sources/S.txt", strings.Repeat("abc ", 1000)})
	_, err := ReadQDPX(bytes.NewReader(data), int64(len(data)), "p.qdpx", Options{MaxTextSize: 1000})
	if err == nil || !strings.Contains(err.Error(), "p.qdpx:sources/S.txt: ") || !strings.Contains(err.Error(), "1000 bytes") {
		t.Errorf("text limit: %v", err)
	}
	_, err = ReadQDPX(bytes.NewReader(data), int64(len(data)), "p.qdpx", Options{MaxXMLSize: 100})
	if err == nil || !strings.Contains(err.Error(), "p.qdpx:project.qde: ") {
		t.Errorf("XML limit: %v", err)
	}
	_, err = ReadQDPX(bytes.NewReader(data), int64(len(data)), "p.qdpx", Options{MaxTotalSize: 1500})
	if err == nil || !strings.Contains(err.Error(), "in all") {
		t.Errorf("total limit: %v", err)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.qde")
	os.WriteFile(big, []byte(oneSource("x", "", [2]int{0, 1})), 0o644)
	if _, err := Open(big, Options{MaxXMLSize: 50}); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("bare qde limit: %v", err)
	}
}

func TestOpenTellsZipFromXML(t *testing.T) {
	dir := t.TempDir()
	zipped := filepath.Join(dir, "project.qde") // a .qdpx under the wrong name
	os.WriteFile(zipped, makeQDPX(t, entry{"project.qde", oneSource("x", "internal://S.txt", [2]int{0, 2})}, entry{"sources/S.txt", "Hi there"}), 0o644)
	p, err := Open(zipped, Options{})
	if err != nil || !equal(texts(p), []string{"Hi"}) {
		t.Errorf("zip named .qde: %v %v", err, p)
	}
	bare := filepath.Join(dir, "project.qdpx") // a bare .qde under the wrong name
	os.WriteFile(bare, []byte(`<Project name="x"/>`), 0o644)
	if p, err := Open(bare, Options{}); err != nil || p.Name != "x" {
		t.Errorf("XML named .qdpx: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.qdpx"), Options{}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing: %v", err)
	}
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("folder: %v", err)
	}
	for name, tool := range map[string]string{"a.nvp": "NVivo", "a.NVPX": "NVivo", "a.mx24": "MAXQDA", "a.mex22": "MAXQDA", "a.atlproj": "ATLAS.ti", "a.hpr7": "ATLAS.ti", "a.qda": "QualCoder"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o644)
		if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "this is "+tool+"'s own project file") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
