package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/refi"
	"github.com/synth-qda/synth/synthesis/sheet"
	"github.com/xuri/excelize/v2"
)

// zipEntry is one file of a hand-made .qdpx.
type zipEntry struct{ name, data string }

// writeQDPX writes a .qdpx holding the entries, in order, to dir/name.
func writeQDPX(t *testing.T, dir, name string, entries ...zipEntry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// synthIn runs synth with args in dir and returns the exit code and stderr.
func synthIn(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code := run(args, IOStreams{Out: &out, Err: &errb})
	return code, errb.String()
}

// mustImport imports file into dir/out and checks that the project
// validates and builds; it returns the import's stderr.
func mustImport(t *testing.T, dir, file string, flags ...string) string {
	t.Helper()
	code, stderr := synthIn(t, dir, append([]string{"import", "qdpx", file, "--out", "out"}, flags...)...)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if code, e := synthIn(t, dir, "validate", "out"); code != 0 {
		t.Fatalf("validate: exit %d: %s", code, e)
	}
	if code, e := synthIn(t, dir, "build", "out"); code != 0 {
		t.Fatalf("build: exit %d: %s", code, e)
	}
	if _, err := codebook.Load(filepath.Join(dir, "out", "codebook.yaml")); err != nil {
		t.Fatalf("codebook.yaml: %v", err)
	}
	return stderr
}

// sheetRows reads a sheet of the imported workbook with excelize.
func sheetRows(t *testing.T, dir, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(dir, "out", "extracts.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < 7 && sheet == "Extracts" {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

// synthesisJSON reads out/out/synthesis.json after a build.
type importedJSON struct {
	Counts struct {
		Studies, Extracts, Codes, Themes int
	} `json:"counts"`
	Studies []struct {
		ID       string `json:"id"`
		Extracts int    `json:"extracts"`
	} `json:"studies"`
	Codes []struct {
		Name     string `json:"name"`
		Extracts int    `json:"extracts"`
	} `json:"codes"`
	Extracts []struct {
		ID      string `json:"id"`
		Codings []struct {
			Code, Coder string
		} `json:"codings"`
	} `json:"extracts"`
	Warnings []struct {
		Kind string `json:"kind"`
	} `json:"warnings"`
}

func readSynthesis(t *testing.T, dir string) importedJSON {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "out", "out", "synthesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	var j importedJSON
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	return j
}

var extractsHeader = []string{"ID", "Study", "Extract", "Codes", "Type", "Location", "Coder"}

func checkRows(t *testing.T, got [][]string, want ...[]string) {
	t.Helper()
	want = append([][]string{extractsHeader}, want...)
	if len(got) != len(want) {
		t.Fatalf("got %d rows:\n%q\nwant %d:\n%q", len(got), got, len(want), want)
	}
	for i := range want {
		if strings.Join(got[i], "\x00") != strings.Join(want[i], "\x00") {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}

const qdeHead = `<?xml version="1.0" encoding="utf-8"?>` + "\n"

// NVivo counts UTF-16 code units with CR LF as two, after the BOM. The
// text and its positions, counted by hand:
//
//	"First line" 0–9, CR LF 10–11, "Second " 12–18, 😀 19–20, " line" 21–25,
//	CR LF 26–27, "Third" 28–32; 33 units in all (30 code points).
//
// Counted as code points, [28,33) would run past the end and [12,26) would
// take in the line break.
func TestImportNVivoPositions(t *testing.T) {
	dir := t.TempDir()
	text := "\ufeffFirst line\r\nSecond 😀 line\r\nThird"
	qde := qdeHead + `<Project name="Interviews" origin="NVivo for Windows 12.6" xmlns="urn:QDA-XML:project:1.0">
<Users><User guid="u1" name="Ann"/></Users>
<CodeBook><Codes><Code guid="c1" name="Joy" isCodable="true"/><Code guid="c2" name="Time" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="s1" name="Interview 1" plainTextPath="internal://s1.txt">
<PlainTextSelection guid="a" startPosition="12" endPosition="26"><Coding guid="k1" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
<PlainTextSelection guid="b" startPosition="0" endPosition="33"><Coding guid="k2" creatingUser="u1"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>
<PlainTextSelection guid="c" startPosition="28" endPosition="33"><Coding guid="k3" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
<PlainTextSelection guid="d" startPosition="12" endPosition="26"><Coding guid="k4" creatingUser="u1"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>`
	file := writeQDPX(t, dir, "nvivo.qdpx", zipEntry{"project.qde", qde}, zipEntry{"Sources/s1.txt", text})
	mustImport(t, dir, file)
	// d repeats a's text and place: NVivo writes one selection per code, so
	// they are one extract with both codes.
	checkRows(t, sheetRows(t, dir, "Extracts"),
		[]string{"a", "Interview 1", "Second 😀 line", "Joy; Time", "", "chars 12–26", "Ann"},
		[]string{"b", "Interview 1", "First line\nSecond 😀 line\nThird", "Time", "", "chars 0–33", "Ann"},
		[]string{"c", "Interview 1", "Third", "Joy", "", "chars 28–33", "Ann"},
	)
	j := readSynthesis(t, dir)
	if j.Counts.Extracts != 3 {
		t.Errorf("%d extracts, want 3", j.Counts.Extracts)
	}
}

// Other programs count code points: an emoji or a character outside the
// BMP is one. "a😀b 𝄞 clef": a 0, 😀 1, b 2, space 3, 𝄞 4, space 5, "clef"
// 6–9.
func TestImportCodePointPositions(t *testing.T) {
	dir := t.TempDir()
	qde := qdeHead + `<Project name="p" origin="ATLAS.ti 23" xmlns="urn:QDA-XML:project:1.0">
<CodeBook><Codes><Code guid="c1" name="Music" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="s1" name="Notes" plainTextPath="internal://s1.txt">
<PlainTextSelection guid="x" startPosition="1" endPosition="5"><Coding guid="k1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
<PlainTextSelection guid="y" startPosition="4" endPosition="10"><Coding guid="k2"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>`
	file := writeQDPX(t, dir, "atlas.qdpx", zipEntry{"project.qde", qde}, zipEntry{"sources/s1.txt", "a😀b 𝄞 clef"})
	mustImport(t, dir, file)
	checkRows(t, sheetRows(t, dir, "Extracts"),
		[]string{"x", "Notes", "😀b 𝄞", "Music", "", "chars 1–5", ""},
		[]string{"y", "Notes", "𝄞 clef", "Music", "", "chars 4–10", ""},
	)
}

// The same project written in the ways real exports differ imports the
// same: Sources/ or sources/, a BOM before the XML and the text, no
// namespace, a prefixed namespace.
func TestImportVariants(t *testing.T) {
	body := func(p string) string {
		return `<` + p + `CodeBook><` + p + `Codes><` + p + `Code guid="c1" name="Hope" isCodable="true"/></` + p + `Codes></` + p + `CodeBook>
<` + p + `Sources><` + p + `TextSource guid="s1" name="Study A" plainTextPath="internal://s1.txt">
<` + p + `PlainTextSelection guid="x" startPosition="6" endPosition="11"><` + p + `Coding guid="k"><` + p + `CodeRef targetGUID="c1"/></` + p + `Coding></` + p + `PlainTextSelection>
</` + p + `TextSource></` + p + `Sources>`
	}
	ns := `<Project name="p" xmlns="urn:QDA-XML:project:1.0">` + body("") + `</Project>`
	variants := map[string][]zipEntry{
		"Sources":    {{"project.qde", qdeHead + ns}, {"Sources/s1.txt", "Hello world"}},
		"sources":    {{"project.qde", qdeHead + ns}, {"sources/s1.txt", "Hello world"}},
		"BOM":        {{"project.qde", "\ufeff" + qdeHead + ns}, {"sources/s1.txt", "\ufeffHello world"}},
		"no ns":      {{"project.qde", `<Project name="p">` + body("") + `</Project>`}, {"sources/s1.txt", "Hello world"}},
		"prefixed":   {{"project.qde", qdeHead + `<qda:Project name="p" xmlns:qda="urn:QDA-XML:project:1.0">` + body("qda:") + `</qda:Project>`}, {"sources/s1.txt", "Hello world"}},
		"upper case": {{"project.qde", qdeHead + ns}, {"SOURCES/S1.TXT", "Hello world"}},
	}
	for name, entries := range variants {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			mustImport(t, dir, writeQDPX(t, dir, "p.qdpx", entries...))
			checkRows(t, sheetRows(t, dir, "Extracts"), []string{"x", "Study A", "world", "Hope", "", "chars 6–11", ""})
		})
	}
}

// Codes that share a name under different parents stay apart, named by
// their parents; every code is a code, a code with sub-codes is also a
// theme; colours are kept as color:, and guids only when they are GUIDs.
func TestImportCodeTree(t *testing.T) {
	dir := t.TempDir()
	qde := qdeHead + `<Project name="Tree" xmlns="urn:QDA-XML:project:1.0">
<CodeBook><Codes>
 <Code guid="b" name="Barriers" isCodable="true" color="#ff0000"><Description>What gets in the way</Description>
  <Code guid="bc" name="Cost" isCodable="true"/>
  <Code guid="ba" name="Access" isCodable="true"><Code guid="bat" name="Transport" isCodable="true"/></Code>
 </Code>
 <Code guid="f" name="Facilitators" isCodable="false">
  <Code guid="fc" name="cost " isCodable="true"/>
  <Code guid="fa" name="Access" isCodable="true"><Code guid="fat" name="Transport" isCodable="true"/></Code>
 </Code>
 <Code guid="c" name="Cost" isCodable="true" color="#00f"/>
</Codes></CodeBook>
<Sources><TextSource guid="s1" name="S1"><PlainTextContent>Bus fares are high.</PlainTextContent>
<PlainTextSelection guid="x" startPosition="0" endPosition="9"><Coding guid="1"><CodeRef targetGUID="bat"/></Coding><Coding guid="2"><CodeRef targetGUID="fc"/></Coding><Coding guid="3"><CodeRef targetGUID="b"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>`
	mustImport(t, dir, writeQDPX(t, dir, "tree.qdpx", zipEntry{"project.qde", qde}))
	checkRows(t, sheetRows(t, dir, "Extracts"),
		[]string{"x", "S1", "Bus fares", "Barriers › Access › Transport; Facilitators › cost; Barriers", "", "chars 0–9", ""})

	data, _ := os.ReadFile(filepath.Join(dir, "out", "codebook.yaml"))
	cb, err := codebook.Parse("codebook.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range cb.Codes {
		codes = append(codes, c.Name)
	}
	want := []string{"Barriers", "Barriers › Cost", "Barriers › Access", "Barriers › Access › Transport",
		"Facilitators", "Facilitators › cost", "Facilitators › Access", "Facilitators › Access › Transport", "Cost"}
	if strings.Join(codes, "|") != strings.Join(want, "|") {
		t.Errorf("codes:\n got %q\nwant %q", codes, want)
	}
	if cb.Codes[0].Definition != "What gets in the way" {
		t.Errorf("definition %q", cb.Codes[0].Definition)
	}
	type theme struct {
		id, level, codes, children string
	}
	var themes []theme
	for _, th := range cb.Themes {
		var kids []string
		for _, k := range th.Children {
			kids = append(kids, k.Name)
		}
		themes = append(themes, theme{th.ID, th.Level, strings.Join(th.Codes, "|"), strings.Join(kids, "|")})
	}
	wantThemes := []theme{
		{"barriers", "analytical", "Barriers|Barriers › Cost", "Barriers › Access"},
		{"barriers-access", "descriptive", "Barriers › Access|Barriers › Access › Transport", ""},
		{"facilitators", "analytical", "Facilitators|Facilitators › cost", "Facilitators › Access"},
		{"facilitators-access", "descriptive", "Facilitators › Access|Facilitators › Access › Transport", ""},
	}
	if len(themes) != len(wantThemes) {
		t.Fatalf("themes: got %+v", themes)
	}
	for i := range wantThemes {
		if themes[i] != wantThemes[i] {
			t.Errorf("theme %d: got %+v, want %+v", i, themes[i], wantThemes[i])
		}
	}
	if cb.Codes[0].Color != "#ff0000" || cb.Themes[0].Color != "#ff0000" || cb.Codes[8].Color != "#00f" || cb.Codes[1].Color != "" {
		t.Errorf("colours: codes %q, %q, %q; theme %q", cb.Codes[0].Color, cb.Codes[8].Color, cb.Codes[1].Color, cb.Themes[0].Color)
	}
	if bytes.Contains(data, []byte("guid:")) {
		t.Errorf("guids like \"b\" are not GUIDs and must be left out:\n%s", data)
	}
}

// Themes whose names share a slug get ids of their own; a name with no
// letter to slug gets theme-N.
func TestImportThemeIDs(t *testing.T) {
	dir := t.TempDir()
	qde := `<Project name="p"><CodeBook><Codes>
<Code guid="1" name="A b" isCodable="true"><Code guid="2" name="x" isCodable="true"/></Code>
<Code guid="3" name="a-b" isCodable="true"><Code guid="4" name="y" isCodable="true"/></Code>
<Code guid="5" name="A-B-2" isCodable="true"><Code guid="6" name="z" isCodable="true"/></Code>
<Code guid="7" name="日本" isCodable="true"><Code guid="8" name="w" isCodable="true"/></Code>
</Codes></CodeBook></Project>`
	mustImport(t, dir, writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde}))
	cb, err := codebook.Load(filepath.Join(dir, "out", "codebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, th := range cb.Themes {
		ids = append(ids, th.ID)
	}
	// "A b" and "a-b" both slug to a-b; a-b-2 is the third theme's own
	// slug, so the second takes a-b-3.
	if got, want := strings.Join(ids, " "), "a-b a-b-3 a-b-2 theme-1"; got != want {
		t.Errorf("ids %q, want %q", got, want)
	}
	if cb.Levels[0] != "descriptive" || len(cb.Levels) != 1 {
		t.Errorf("levels %q, want [descriptive] for one level of themes", cb.Levels)
	}
}

// A selection coded by two coders is one row per coder sharing the ID;
// synth merges them into one extract with each coder's codings.
func TestImportTwoCoders(t *testing.T) {
	dir := t.TempDir()
	qde := `<Project name="p"><Users><User guid="U1" name="Ann"/><User guid="U2" name="Bob"/><User guid="U3" id="CD"/></Users>
<CodeBook><Codes><Code guid="A" name="Alpha" isCodable="true"/><Code guid="B" name="Beta" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="S" name="S1"><PlainTextContent>We waited for weeks.</PlainTextContent>
<PlainTextSelection guid="X" startPosition="0" endPosition="20" creatingUser="U3">
<Coding guid="1" creatingUser="u1"><CodeRef targetGUID="A"/></Coding>
<Coding guid="2" creatingUser="U2"><CodeRef targetGUID="A"/></Coding>
<Coding guid="3" creatingUser="U2"><CodeRef targetGUID="B"/></Coding>
<Coding guid="4"><CodeRef targetGUID="B"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>`
	mustImport(t, dir, writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde}))
	// The last coding has no creatingUser: the selection's (U3, known by
	// its id only) made it.
	checkRows(t, sheetRows(t, dir, "Extracts"),
		[]string{"X", "S1", "We waited for weeks.", "Alpha", "", "chars 0–20", "Ann"},
		[]string{"X", "S1", "We waited for weeks.", "Alpha; Beta", "", "chars 0–20", "Bob"},
		[]string{"X", "S1", "We waited for weeks.", "Beta", "", "chars 0–20", "CD"},
	)
	j := readSynthesis(t, dir)
	if j.Counts.Extracts != 1 || len(j.Extracts) != 1 || len(j.Extracts[0].Codings) != 4 {
		t.Fatalf("got %+v", j.Extracts)
	}
	for _, c := range j.Codes {
		if c.Extracts != 1 {
			t.Errorf("code %s supports %d extracts, want 1", c.Name, c.Extracts)
		}
	}
}

// What cannot be imported is counted and named in one warning line.
func TestImportWarnsWhatItSkips(t *testing.T) {
	dir := t.TempDir()
	qde := `<Project name="p"><CodeBook><Codes><Code guid="C" name="Food" isCodable="true"/></Codes></CodeBook><Sources>
<TextSource guid="T" name="Interview"><PlainTextContent>Porridge. </PlainTextContent>
 <PlainTextSelection guid="ok" startPosition="0" endPosition="8"><Coding guid="1"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
 <PlainTextSelection guid="far" name="" startPosition="5" endPosition="50"><Coding guid="2"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
 <PlainTextSelection guid="blank" startPosition="9" endPosition="10"><Coding guid="3"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
 <PlainTextSelection guid="uncoded" startPosition="0" endPosition="3"/>
</TextSource>
<PDFSource guid="P" name="Paper.pdf" path="internal://P.pdf">
 <PDFSelection guid="r1" name="Figure 2" page="0" firstX="1" firstY="1" secondX="2" secondY="2"><Coding guid="4"><CodeRef targetGUID="C"/></Coding></PDFSelection>
 <PDFSelection guid="r2" name="Table 1" page="3" firstX="1" firstY="1" secondX="2" secondY="2"><Representation guid="rr"><PlainTextContent>Oats 40 g</PlainTextContent></Representation><Coding guid="5"><CodeRef targetGUID="C"/></Coding></PDFSelection>
</PDFSource>
<PictureSource guid="I" name="photo.jpg"><PictureSelection guid="i1" name="Photo 1" firstX="1" firstY="1" secondX="2" secondY="2"><Coding guid="6"><CodeRef targetGUID="C"/></Coding></PictureSelection></PictureSource>
<AudioSource guid="A" name="talk.m4a"><AudioSelection guid="a1" name="00:01" begin="1000" end="2000"><Coding guid="7"><CodeRef targetGUID="C"/></Coding></AudioSelection></AudioSource>
<VideoSource guid="V" name="ad.mp4"><Coding guid="8"><CodeRef targetGUID="C"/></Coding></VideoSource>
</Sources></Project>`
	writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde})
	stderr := mustImport(t, dir, "p.qdpx")
	want := `synth: p.qdpx: warning: 6 coded selections were not imported: 1 outside its source text ("Interview"), 1 empty selection ("Interview"), 1 PDF region ("Figure 2"), 1 picture ("Photo 1"), 1 audio clip ("00:01"), 1 whole-document coding ("ad.mp4") [not-imported]` + "\n"
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr:\n%s\nwant it to start with\n%s", stderr, want)
	}
	if strings.Count(stderr, "warning:") != 1 {
		t.Errorf("want one warning line, got:\n%s", stderr)
	}
	// The PDF selection with a text representation is an extract; its page
	// counts from 0 in REFI-QDA.
	checkRows(t, sheetRows(t, dir, "Extracts"),
		[]string{"ok", "Interview", "Porridge", "Food", "", "chars 0–8", ""},
		[]string{"r2", "Paper.pdf", "Oats 40 g", "Food", "", "p. 4", ""},
	)
	if !strings.Contains(stderr, "; 1 uncoded selection left out;") {
		t.Errorf("the summary does not count the uncoded selection:\n%s", stderr)
	}
}

// An empty REFI-QDA project (ATLAS.ti writes users and nothing else)
// imports into a project that validates and builds.
func TestImportEmptyProject(t *testing.T) {
	dir := t.TempDir()
	file := writeQDPX(t, dir, "empty.qdpx", zipEntry{"project.qde", qdeHead + `<Project name="blank" origin="ATLAS.ti for Windows 23.2.3" xmlns="urn:QDA-XML:project:1.0"><Users><User guid="U" name="ATLAS.ti"/></Users></Project>`})
	mustImport(t, dir, file)
	j := readSynthesis(t, dir)
	if j.Counts.Extracts != 0 || j.Counts.Studies != 0 || j.Counts.Codes != 0 {
		t.Errorf("counts %+v", j.Counts)
	}
	checkRows(t, sheetRows(t, dir, "Extracts"))
	proj, _ := os.ReadFile(filepath.Join(dir, "out", "synth.yaml"))
	if !bytes.Contains(proj, []byte("title: blank")) || bytes.Contains(proj, []byte("studies:")) {
		t.Errorf("synth.yaml:\n%s", proj)
	}
}

// --study case and --study VARIABLE; the studies table carries the
// variables.
func TestImportStudies(t *testing.T) {
	qde := `<Project name="p">
<Variables><Variable guid="V1" name="Country" typeOfVariable="Text"/><Variable guid="V2" name="Year" typeOfVariable="Integer"/><Variable guid="V3" name="ID" typeOfVariable="Text"/></Variables>
<Cases>
 <Case guid="K1" name="Site A"><VariableValue><VariableRef targetGUID="V1"/><TextValue>UK</TextValue></VariableValue><SourceRef targetGUID="D1"/><SourceRef targetGUID="D2"/></Case>
 <Case guid="K2" name="Site B"><VariableValue><VariableRef targetGUID="V1"/><TextValue>Ireland</TextValue></VariableValue><SourceRef targetGUID="D2"/></Case>
</Cases>
<CodeBook><Codes><Code guid="C" name="Care" isCodable="true"/></Codes></CodeBook>
<Sources>
 <TextSource guid="D1" name="Doc 1"><PlainTextContent>one</PlainTextContent><PlainTextSelection guid="x1" startPosition="0" endPosition="3"><Coding guid="1"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
  <VariableValue><VariableRef targetGUID="V2"/><IntegerValue>2019</IntegerValue></VariableValue><VariableValue><VariableRef targetGUID="V3"/><TextValue>d-1</TextValue></VariableValue></TextSource>
 <TextSource guid="D2" name="Doc 2"><PlainTextContent>two</PlainTextContent><PlainTextSelection guid="x2" startPosition="0" endPosition="3"><Coding guid="2"><CodeRef targetGUID="C"/></Coding></PlainTextSelection>
  <VariableValue><VariableRef targetGUID="V2"/><IntegerValue>2020</IntegerValue></VariableValue></TextSource>
 <TextSource guid="D3" name="Doc 3"><PlainTextContent>three</PlainTextContent><PlainTextSelection guid="x3" startPosition="0" endPosition="5"><Coding guid="3"><CodeRef targetGUID="C"/></Coding></PlainTextSelection></TextSource>
</Sources></Project>`
	cases := []struct {
		study   string
		studies [][]string // the Studies sheet
		ofRows  []string   // the Study of x1, x2, x3
		warning string
	}{
		{"document",
			[][]string{{"ID", "Country", "Year", "ID (2)"}, {"Doc 1", "UK", "2019", "d-1"}, {"Doc 2", "UK", "2020"}, {"Doc 3"}},
			[]string{"Doc 1", "Doc 2", "Doc 3"}, ""},
		// Doc 2 is in both cases: it goes to the first, with a warning.
		{"case",
			[][]string{{"ID", "Country", "Year", "ID (2)"}, {"Site A", "UK", "2019; 2020", "d-1"}, {"Site B", "Ireland", "2020"}, {"Doc 3"}},
			[]string{"Site A", "Site A", "Doc 3"}, `1 document with extracts belongs to no case; its extracts have the document's name as their study: "Doc 3"`},
		{"year",
			[][]string{{"ID", "Country", "ID (2)"}, {"2019", "UK", "d-1"}, {"2020", "UK"}, {"Doc 3"}},
			[]string{"2019", "2020", "Doc 3"}, `1 document with extracts has no value of the --study variable`},
	}
	for _, c := range cases {
		t.Run(c.study, func(t *testing.T) {
			dir := t.TempDir()
			file := writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde})
			stderr := mustImport(t, dir, file, "--study", c.study)
			got := sheetRows(t, dir, "Studies")
			if len(got) != len(c.studies) {
				t.Fatalf("studies %q, want %q", got, c.studies)
			}
			for i := range got {
				if strings.Join(got[i], "|") != strings.Join(c.studies[i], "|") {
					t.Errorf("studies row %d: got %q, want %q", i+1, got[i], c.studies[i])
				}
			}
			rows := sheetRows(t, dir, "Extracts")
			for i, want := range c.ofRows {
				if rows[i+1][1] != want {
					t.Errorf("x%d: study %q, want %q", i+1, rows[i+1][1], want)
				}
			}
			if c.warning != "" && !strings.Contains(stderr, c.warning) {
				t.Errorf("stderr lacks %q:\n%s", c.warning, stderr)
			}
			if c.study == "case" && !strings.Contains(stderr, `1 document belongs to more than one case; its extracts go to the first: "Doc 2"`) {
				t.Errorf("no warning about Doc 2 in two cases:\n%s", stderr)
			}
		})
	}
	dir := t.TempDir()
	file := writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde})
	code, stderr := synthIn(t, dir, "import", "qdpx", file, "--out", "out", "--study", "Region")
	if code != 2 || !strings.Contains(stderr, `--study "Region": the project has no variable of that name; use document, case or one of "Country", "Year", "ID"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// A code name that holds ";" makes the codes cells use another separator.
func TestImportSeparator(t *testing.T) {
	dir := t.TempDir()
	qde := `<Project name="p"><CodeBook><Codes><Code guid="A" name="Cost; money" isCodable="true"/><Code guid="B" name="Time" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="S" name="S1"><PlainTextContent>Too dear.</PlainTextContent><PlainTextSelection guid="X" startPosition="0" endPosition="9"><Coding guid="1"><CodeRef targetGUID="A"/></Coding><Coding guid="2"><CodeRef targetGUID="B"/></Coding></PlainTextSelection></TextSource></Sources></Project>`
	mustImport(t, dir, writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde}))
	checkRows(t, sheetRows(t, dir, "Extracts"), []string{"X", "S1", "Too dear.", "Cost; money | Time", "", "chars 0–9", ""})
	for _, c := range readSynthesis(t, dir).Codes {
		if c.Extracts != 1 {
			t.Errorf("code %q: %d extracts, want 1", c.Name, c.Extracts)
		}
	}
}

// Text that looks like an OOXML escape (_x0041_) stays as written: the
// workbook escapes it, and both excelize and synth read it back unchanged.
func TestImportEscapeLookalikes(t *testing.T) {
	dir := t.TempDir()
	text := "_x0041_ and _x005F_x0041_ end"
	qde := `<Project name="p"><CodeBook><Codes><Code guid="C" name="_x0042_" isCodable="true"/></Codes></CodeBook><Sources><TextSource guid="S" name="s"><PlainTextContent>` +
		text + `</PlainTextContent><PlainTextSelection guid="x" startPosition="0" endPosition="29"><Coding guid="k"><CodeRef targetGUID="C"/></Coding></PlainTextSelection></TextSource></Sources></Project>`
	mustImport(t, dir, writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", qde}))
	checkRows(t, sheetRows(t, dir, "Extracts"), []string{"x", "s", text, "_x0042_", "", "chars 0–29", ""})
	data, _ := os.ReadFile(filepath.Join(dir, "out", "out", "synthesis.json"))
	if !bytes.Contains(data, []byte(`"text":"`+text+`"`)) || bytes.Contains(data, []byte(`"name": "B"`)) {
		t.Errorf("synth read the text or the code differently:\n%s", data)
	}
}

// The command refuses to overwrite without --force, never writes over its
// input, needs --out, and fails on what is not a project.
func TestImportCommandLine(t *testing.T) {
	dir := t.TempDir()
	file := writeQDPX(t, dir, "p.qdpx", zipEntry{"project.qde", `<Project name="p"/>`})
	before, _ := os.ReadFile(file)
	if code, stderr := synthIn(t, dir, "import", "qdpx", "p.qdpx", "--out", "out"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, stderr := synthIn(t, dir, "import", "qdpx", "p.qdpx", "--out", "out")
	if code != 1 || !strings.Contains(stderr, "already exists; use --force") {
		t.Errorf("second import: exit %d: %s", code, stderr)
	}
	if code, stderr := synthIn(t, dir, "import", "qdpx", "p.qdpx", "--out", "out", "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("the input changed")
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "qdpx", "p.qdpx"}, 2, "--out DIR is required"},
		{[]string{"import", "qdpx", "--out", "x"}, 2, "give one REFI-QDA project file"},
		{[]string{"import", "qdpx", "a.qdpx", "b.qdpx", "--out", "x"}, 2, "give one REFI-QDA project file"},
		{[]string{"import", "qdpx", "p.qdpx", "--out", "x", "--bogus"}, 2, "unknown flag"},
		{[]string{"import", "qdpx", "missing.qdpx", "--out", "x"}, 1, "missing.qdpx: no such file"},
		{[]string{"import", "qdpx", "codes.qdc", "--out", "x"}, 1, `codes.qdc: this is a REFI-QDA codebook (a .qdc file), not a project; it holds codes but no coded text; bring its codes in with "synth import qdc"`},
		{[]string{"import", "qdpx", "p.qdpx", "--out", "y", "--study", "case"}, 2, "--study case: the project has no cases"},
		{[]string{"import"}, 2, "import: say what to import"},
		{[]string{"import", "qdc"}, 2, "give one REFI-QDA codebook file"},
		{[]string{"import", "qdc", "codes.qdc"}, 2, "--out DIR is required"},
		{[]string{"import", "qdc", "codes.qdc", "--out", "z", "--merge", "--force"}, 2, "--merge and --force do not go together"},
		{[]string{"import", "qdc", "p.qdpx", "--out", "z"}, 1, "p.qdpx: this is a zip file (a REFI-QDA project, .qdpx?), not a REFI-QDA codebook"},
		{[]string{"export", "qdc", "a", "b"}, 2, "export qdc: give at most one project"},
		{[]string{"export", "qdc", "nowhere"}, 1, "nowhere: no such file or folder"},
	} {
		os.WriteFile(filepath.Join(dir, "codes.qdc"), []byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`), 0o644)
		code, stderr := synthIn(t, dir, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d saying %q", c.args, code, stderr, c.code, c.want)
		}
	}
	// The input in the output folder under an output's name is refused,
	// even with --force.
	os.MkdirAll(filepath.Join(dir, "same"), 0o755)
	os.WriteFile(filepath.Join(dir, "same", "synth.yaml"), before, 0o644)
	code, stderr = synthIn(t, dir, "import", "qdpx", filepath.Join("same", "synth.yaml"), "--out", "same", "--force")
	if code != 1 || !strings.Contains(stderr, "is the REFI-QDA project being imported") {
		t.Errorf("input as output: exit %d: %s", code, stderr)
	}
}

// Field case 11: a .qdpx named as the extracts file says what it is and
// names synth import qdpx; importing it instead gives a project that
// builds.
func TestImportFieldCase11(t *testing.T) {
	dir := t.TempDir()
	fieldCase(t, "11-refi-qdpx-as-extracts", dir)
	code, stderr := synthIn(t, dir, "validate", ".")
	want := `synth: project.qdpx: this is a REFI-QDA project, not a spreadsheet; bring it in with "synth import qdpx project.qdpx --out DIR"` + "\n"
	if code != 1 || stderr != want {
		t.Errorf("validate: exit %d, stderr %q; want exit 1, %q", code, stderr, want)
	}
	mustImport(t, dir, "project.qdpx")
	// Hand count: one selection [0,20) of a 20-character text, coded Stigma.
	j := readSynthesis(t, dir)
	if j.Counts.Extracts != 1 || len(j.Codes) != 1 || j.Codes[0].Name != "Stigma" || j.Codes[0].Extracts != 1 {
		t.Errorf("got %+v %+v", j.Counts, j.Codes)
	}
}

// FuzzImportQDE: whatever project.qde the reader accepts, the import makes
// files without failing, and its codebook reads back with codebook.Parse.
// Seeds: the refi package's (hand-made files with each sample's quirks).
func FuzzImportQDE(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "refi", "testdata", "fuzz", "FuzzReadQDE", "seed-*"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		// The corpus format is: go test fuzz v1, then []byte("…").
		lines := strings.SplitN(string(data), "\n", 2)
		if len(lines) == 2 {
			if v, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(lines[1]), "[]byte("), ")")); err == nil {
				f.Add([]byte(v), "document")
			}
		}
	}
	f.Add([]byte(`<Project name="p"><Cases><Case guid="K" name="k"><SourceRef targetGUID="S"/></Case></Cases><Sources><TextSource guid="S" name="s"><PlainTextContent>ab</PlainTextContent><PlainTextSelection guid="x" startPosition="0" endPosition="2"><Coding guid="c"><CodeRef targetGUID="C"/></Coding></PlainTextSelection></TextSource></Sources></Project>`), "case")
	f.Fuzz(func(t *testing.T, data []byte, study string) {
		p, err := refi.ReadQDE(data, "p.qde")
		if err != nil {
			return
		}
		pl, err := planImport(p, "p.qde", study)
		if err != nil {
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("planImport: %v", err)
			}
			return
		}
		files, err := pl.files()
		if err != nil {
			t.Fatalf("files: %v", err)
		}
		if _, err := codebook.Parse("codebook.yaml", files["codebook.yaml"]); err != nil {
			t.Fatalf("codebook.yaml does not read back: %v\n%s", err, files["codebook.yaml"])
		}
	})
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"proj":            "proj",
		"round 1/x.xlsx":  "'round 1/x.xlsx'",
		"it's":            `'it'\''s'`,
		"":                "''",
		"a/b-c_d.e":       "a/b-c_d.e",
		"$HOME":           "'$HOME'",
		"revue-été/synth": "revue-été/synth",
	} {
		if got := sheet.ShellWord(in); got != want {
			t.Errorf("sheet.ShellWord(%q) = %s, want %s", in, got, want)
		}
	}
}
