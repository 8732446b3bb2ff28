package synthesis

import (
	"slices"
	"strings"
	"testing"
)

// A codebook for the small segment projects below.
const segCodebook = `version: 1
codes:
  - name: Meeting neighbours
  - name: Sense of belonging
  - name: "Cost, money"
  - name: Weather
    aliases: [rain]
themes:
  - name: Benefits
    codes: [Meeting neighbours, Sense of belonging]
  - name: Barriers
    codes: ["Cost, money", Weather]
`

func segProject(t *testing.T, yaml, csv string) (*Result, error) {
	t.Helper()
	return Build(project(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts:\n  - file: e.csv\n" + yaml,
		"codebook.yaml": segCodebook,
		"e.csv":         csv,
	}), Options{})
}

func mustSeg(t *testing.T, yaml, csv string) *Result {
	t.Helper()
	r, err := segProject(t, yaml, csv)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func codeCount(r *Result, name string) int {
	for _, c := range r.Codes {
		if c.Name == name {
			return c.Extracts
		}
	}
	return -1
}

func TestCodePaths(t *testing.T) {
	// MAXQDA 2020 writes Parent\Child, MAXQDA 24 Parent > Child; the preset
	// reads both. Rows 2–3 are one segment (doc A, 4–4), row 4 another.
	csv := "Document group,Document name,Code,Beginning,End,Segment\n" +
		"S1,A,Benefits\\Meeting neighbours,4,4,I met them\n" +
		"S1,A,Benefits > Sense of belonging,4,4,I met them\n" +
		",B,Barriers > Outdoors > rain,9,9,It rained\n"
	r := mustSeg(t, "    preset: maxqda\n", csv)
	if r.Extracts.Len() != 2 {
		t.Fatalf("%d extracts, want 2", r.Extracts.Len())
	}
	if got := r.Extracts.At(0).Codes; len(got) != 2 || got[0] != "Meeting neighbours" || got[1] != "Sense of belonging" {
		t.Errorf("codes = %v", got)
	}
	// A blank Document group falls back to the Document name; the alias
	// at the end of a three-part path matches.
	if e := r.Extracts.At(1); e.Study.ID != "B" || len(e.Codes) != 1 || e.Codes[0] != "Weather" {
		t.Errorf("second extract: study %s, codes %v", e.Study.ID, e.Codes)
	}
	// An unknown path suggests from its last part.
	r = mustSeg(t, "    code_path: '/'\n", "Study,Extract,Codes\nS1,x,Benefits/Meeting neighbors\n")
	if w := r.Warnings[0]; w.Kind != WarnUnknownCode || !strings.Contains(w.Message, `did you mean "Meeting neighbours"?`) {
		t.Errorf("warning = %+v", w)
	}
}

func TestSeparatorInsideCodeName(t *testing.T) {
	// "Cost, money" split by "," is one code; "Weather, rain" are two
	// known codes (rain is Weather's alias, so one code); an unknown piece
	// beside a known one stays unknown.
	r := mustSeg(t, "    separator: \",\"\n", "ID,Study,Extract,Codes\n"+
		"E1,S1,a,\"Cost, money\"\n"+
		"E2,S1,b,\"Weather, Cost, money, Meeting neighbours\"\n"+
		"E3,S1,c,\"Cost, mony\"\n")
	if got := r.Extracts.At(1).Codes; len(got) != 3 || got[0] != "Weather" || got[1] != "Cost, money" || got[2] != "Meeting neighbours" {
		t.Errorf("E2 codes = %v", got)
	}
	if n := codeCount(r, "Cost, money"); n != 2 {
		t.Errorf("Cost, money on %d extracts, want 2 (E1, E2)", n)
	}
	if got := r.Extracts.At(2).Codes; len(got) != 2 || got[0] != "Cost" || got[1] != "mony" {
		t.Errorf("E3 codes = %v", got)
	}
}

func TestSeparatorSuspect(t *testing.T) {
	r := mustSeg(t, "", "Study,Extract,Codes\nS1,a,\"Weather, Meeting neighbours\"\nS1,b,\"Weather,Sense of belonging\"\nS1,c,Weather\n")
	var got *Warning
	for i, w := range r.Warnings {
		if w.Kind == WarnSeparatorSuspect {
			got = &r.Warnings[i]
		}
	}
	if got == nil || got.Where != "e.csv:e!C2" || !strings.Contains(got.Message, `looks separated by ","`) || !strings.Contains(got.Message, "(2 cells)") {
		t.Errorf("separator-suspect = %+v", got)
	}
}

func TestCodeColumns(t *testing.T) {
	csv := "Case,Text,Code: Weather Applied,Code: Weather Range,\"Code: Cost, money Applied\",Note\n" +
		"S1,a,TRUE,0-3,False,\n" +
		"S1,b,1,,✓,\n" +
		"S2,c,0,,no,\n"
	r := mustSeg(t, "    columns: {study: Case, text: Text}\n    code_columns: {prefix: \"code: \", suffix: \" APPLIED\"}\n", csv)
	if codeCount(r, "Weather") != 2 || codeCount(r, "Cost, money") != 1 || r.Extracts.Len() != 3 {
		t.Errorf("Weather %d, Cost %d, extracts %d", codeCount(r, "Weather"), codeCount(r, "Cost, money"), r.Extracts.Len())
	}
	if !hasWarning(r.Warnings, WarnUncodedExtract, "") {
		t.Errorf("the row with no mark is not an uncoded extract: %v", r.Warnings)
	}
	// A value that is neither a mark nor its absence is an error at its cell.
	_, err := segProject(t, "    columns: {study: Case, text: Text}\n    code_columns: {first: $C, last: $C}\n", "Case,Text,Weather\nS1,a,maybe\nS1,b,-1\n")
	for _, want := range []string{`e.csv:e!C2: code column "Weather" holds "maybe"`, `e.csv:e!C3: code column "Weather" holds "-1"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	_, err = segProject(t, "    columns: {study: Case, text: Text}\n    code_columns: {prefix: \"Code: \"}\n", "Case,Text,Weather\nS1,a,1\n")
	if err == nil || !strings.Contains(err.Error(), `code_columns matches no column`) {
		t.Errorf("error %v", err)
	}
}

func TestColumnLettersAndRoles(t *testing.T) {
	// Two headers "Category"; the ID column also the location.
	csv := "ID,Doc,????,Category,Category\nQ1,S1,Some text,Weather,x\nQ2,S2,Other text,Weather,y\n"
	r := mustSeg(t, "    columns: {id: ID, location: ID, study: $B, text: $C, codes: $D}\n", csv)
	if e := r.Extracts.At(1); e.ID != "Q2" || e.Location != "Q2" || e.Text != "Other text" {
		t.Errorf("extract = %+v", e)
	}
	_, err := segProject(t, "    columns: {study: Doc, text: $C, codes: Category}\n", csv)
	if err == nil || !strings.Contains(err.Error(), `e.csv:e!1: the header "Category" heads two columns, D and E; name the one you mean by its letter, e.g. $D`) {
		t.Errorf("error %v", err)
	}
}

func TestSegmentIdentity(t *testing.T) {
	// Without an ID the study and text identify a segment, across sources
	// too: two coders' rows of one quotation are one extract.
	r, err := Build(project(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts: [{file: a.csv}, {file: b.csv}]\n",
		"codebook.yaml": segCodebook,
		"a.csv":         "Study,Extract,Codes,Coder\nS1,It  rained,Weather,AK\nS1,Met them,Meeting neighbours,AK\n",
		"b.csv":         "Study,Extract,Codes,Coder\nS1,It rained,Weather,JB\ns1,Met them ,Sense of belonging,JB\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Extracts.Len() != 2 || len(r.Extracts.At(0).Codings) != 2 || len(r.Extracts.At(1).Codes) != 2 {
		t.Fatalf("extracts %d: %+v", r.Extracts.Len(), r.Extracts)
	}
	if c := r.Extracts.At(0).Codings; c[0].Coder != "AK" || c[1].Coder != "JB" || c[1].Where() != "b.csv:b!C2" {
		t.Errorf("codings = %+v", c)
	}
	// segment: names the identity with the text: rows sharing the columns
	// but not the text are two segments (two in one MAXQDA paragraph).
	r, err = segProject(t, "    segment: [Doc, Begin]\n", "Doc,Begin,Study,Extract,Codes,Coder\nA,1,S1,one,Weather,AK\nA,1,S1,two,Weather,AK\nA,1,S1,one,Other,JB\nB,1,S1,one,Weather,AK\n")
	if err != nil {
		t.Fatal(err)
	}
	if r.Extracts.Len() != 3 || len(r.Extracts.At(0).Codings) != 2 {
		t.Errorf("%d extracts (want 3), first with codings %+v (want 2)", r.Extracts.Len(), r.Extracts.At(0).Codings)
	}
}

func TestHeadingsAndIgnoredRows(t *testing.T) {
	r := mustSeg(t, "    fill_down: [study]\n", "Study,Extract,Codes,Coder\nS1,,,\n,a,Weather,\n,,,AK\n,b,Weather,\n")
	if r.Extracts.Len() != 2 || r.Extracts.At(1).Study.ID != "S1" {
		t.Fatalf("extracts = %+v", r.Extracts)
	}
	var ignored []string
	for _, w := range r.Warnings {
		if w.Kind == WarnIgnoredRow {
			ignored = append(ignored, w.Where)
		}
	}
	// The study row feeds fill_down; the coder-only row is reported.
	if len(ignored) != 1 || ignored[0] != "e.csv:e!D4" {
		t.Errorf("ignored-row warnings at %v, want [e.csv:e!D4]", ignored)
	}
}

func TestEveryErrorAtOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("Study,Extract,Codes,Type\n")
	for i := range 60 {
		if i%2 == 0 {
			b.WriteString("S1,ok,Weather,\n")
		}
		b.WriteString("S1,bad,Weather,opinion\n")
	}
	_, err := segProject(t, "", b.String())
	many, ok := err.(*Errors)
	if !ok {
		t.Fatalf("error %T: %v", err, err)
	}
	if len(many.Errs) != MaxErrors || many.More != 10 {
		t.Errorf("%d errors and %d more, want %d and 10", len(many.Errs), many.More, MaxErrors)
	}
	if !strings.Contains(many.Errs[0].Error(), "e.csv:e!D3:") || !strings.Contains(many.Errs[1].Error(), "e.csv:e!D4:") {
		t.Errorf("errors not in file order: %v, %v", many.Errs[0], many.Errs[1])
	}
}

func TestTrialFindings(t *testing.T) {
	cb := "version: 1\ncodes: [{name: Practical › Other}, {name: Social › Other}, {name: Other}, {name: Weather}]\n" +
		"themes:\n  - {name: Practical, codes: [Practical › Other]}\n  - {name: Social, codes: [Social › Other]}\n  - {name: Misc, codes: [Other, Weather]}\n"
	seg := func(yaml, csv string) (*Result, error) {
		return Build(project(t, map[string]string{"synth.yaml": "version: 1\nextracts:\n  - file: e.csv\n" + yaml, "codebook.yaml": cb, "e.csv": csv}), Options{})
	}
	// The longest tail of a path that names a code wins over its last part.
	r, err := seg("    preset: maxqda\n", "Document name,Code,Beginning,End,Segment,Created by,Modified by\n"+
		"A,Barriers > Practical > Other,7,7,one,,RV\n"+
		"A,Benefits\\Social\\Other,7,7,two,AK,\n"+
		"A,Other,8,8,three,AK,\n")
	if err != nil {
		t.Fatal(err)
	}
	// Two segments of paragraph 7 stay two: their texts differ.
	if r.Extracts.Len() != 3 {
		t.Fatalf("%d extracts, want 3", r.Extracts.Len())
	}
	for i, want := range []string{"Practical › Other", "Social › Other", "Other"} {
		if got := r.Extracts.At(i).Codes; len(got) != 1 || got[0] != want {
			t.Errorf("extract %d codes %v, want %s", i, got, want)
		}
	}
	// A blank Created by falls back to Modified by, row by row.
	if c := r.Extracts.At(0).Codings[0].Coder; c != "RV" {
		t.Errorf("coder %q, want RV", c)
	}
	// A path in a source without code_path: the warning says which to set.
	r, err = seg("", "Study,Extract,Codes\nS1,x,Outdoors\\Weather\n")
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Warnings[0]; !strings.Contains(w.Message, `if it is the path of "Weather", set code_path: '\' for this source`) {
		t.Errorf("warning %q", w.Message)
	}
	// code_columns read the codes instead of the preset's codes column.
	r, err = seg("    preset: dedoose\n    code_columns: {prefix: \"Code: \", suffix: \" Applied\"}\n",
		"Media Title,Excerpt Range,Excerpt Copy,Codes Applied Combined,Code: Weather Applied\nM,1-2,x,Other,True\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Extracts.At(0).Codes; len(got) != 1 || got[0] != "Weather" {
		t.Errorf("codes %v, want [Weather] from the code column only", got)
	}
	// One cell with "," among cells that use ";": retype it, not the separator.
	r, err = seg("", "Study,Extract,Codes\nS1,a,Weather; Other\nS1,b,\"Weather, Other\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(r.Warnings, func(w Warning) bool {
		return w.Kind == WarnSeparatorSuspect && strings.Contains(w.Message, `other cells of this source use ";", so retype it with ";"`)
	}) {
		t.Errorf("separator-suspect hint: %v", r.Warnings)
	}
}

func TestUndefinedThemeCodeNotAlsoUnused(t *testing.T) {
	r := build(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts: [{file: e.csv}]\n",
		"codebook.yaml": "version: 1\ncodes: [{name: Exhaustion}]\nthemes:\n  - {name: Tired, codes: [Exhuastion, Exhaustion]}\n",
		"e.csv":         "Study,Extract,Codes\nS1,x,Exhaustion\nS2,y,Exhaustion\n",
	})
	if !hasWarning(r.Warnings, WarnThemeCodeUndefined, "") || hasWarning(r.Warnings, WarnUnusedCode, "") {
		t.Errorf("warnings %v: want theme-code-undefined and no unused-code for the same name", r.Warnings)
	}
}

func TestUnmergedHeadingInIDColumn(t *testing.T) {
	_, err := segProject(t, "", "ID,Study,Extract,Codes\nInterview studies,,,\nE1,S1,It rained,Weather\n")
	want := `e.csv:e!C2: row 2 has "Interview studies" under "ID" but no text or codes; if it is a heading, merge it across the columns`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestRawLineBreaks(t *testing.T) {
	// Lines 3–5 are one record whose Extract holds two raw line breaks;
	// line 6 has a field too many; line 7 is short and nothing completes it.
	csv := "Study,Extract,Codes,Coder\n" +
		"S1,One line,Weather,AK\n" +
		"S1,First paragraph\n" +
		"second paragraph\n" +
		"third,Weather,AK\n" +
		"S2,Extra,Weather,AK,oops\n" +
		"S2,Short\n"
	r := mustSeg(t, "", csv)
	e := findExtract(t, r, "First")
	if e.Text != "First paragraph\nsecond paragraph\nthird" || len(e.Codes) != 1 || e.Codings[0].Coder != "AK" {
		t.Errorf("joined extract = %q %v %v", e.Text, e.Codes, e.Codings)
	}
	var where []string
	for _, w := range r.Warnings {
		if w.Kind == WarnRaggedRow {
			where = append(where, w.Where+" "+w.Message[:strings.Index(w.Message, " where")])
		}
	}
	want := []string{"e.csv:3 lines 3, 4 and 5 have 2, 1 and 3 fields", "e.csv:6 line 6 has 5 fields", "e.csv:7 line 7 has 2 fields"}
	if !slices.Equal(where, want) {
		t.Errorf("ragged-row warnings %q, want %q", where, want)
	}
	if r.Extracts.Len() != 4 {
		t.Errorf("%d extracts, want 4 (nothing dropped)", r.Extracts.Len())
	}
}

func TestQuotesSpreadAndPinned(t *testing.T) {
	// The parent theme Barriers and its child Cold share both extracts of
	// S1; the child is chosen for after the parent, so it gets the other one.
	cb := "version: 1\nthemes:\n  - name: Barriers\n    themes:\n      - {name: Cold, codes: [Weather]}\n"
	r := build(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts: [{file: e.csv}]\n",
		"codebook.yaml": cb,
		"e.csv":         "ID,Study,Extract,Codes\nE1,S1,It rained all week and nobody came,Weather\nE2,S1,Too cold to go,Weather\n",
	})
	parent, child := r.Themes[0].Quotes, r.Themes[1].Quotes
	if len(parent) != 1 || len(child) != 1 || parent[0] == child[0] {
		t.Errorf("quotes: parent %v, child %v; want one each, different", parent, child)
	}
	// A pinned quote must carry one of the theme's codes.
	_, err := Build(project(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts: [{file: e.csv}]\n",
		"codebook.yaml": "version: 1\nthemes:\n  - {name: Cold, codes: [Weather], quotes: [E2]}\n  - {name: Cost, codes: [Money]}\n",
		"e.csv":         "ID,Study,Extract,Codes\nE1,S1,It rained,Weather\nE2,S1,Too dear,Money\n",
	}), Options{})
	if err == nil || !strings.Contains(err.Error(), `codebook.yaml:3:5: theme "cold" pins quote "E2", which does not support it: its codes (Money) are none of the theme's`) {
		t.Errorf("error %v", err)
	}
}

func TestHeldOutFindings(t *testing.T) {
	cb := "version: 1\ncodes: [{name: \"Rules; forms\"}, {name: Waiting}]\nthemes:\n  - name: Barriers\n    codes: [\"Rules; forms\", Waiting]\n"
	// A code holding the separator, written as a path, is rejoined.
	r := build(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts:\n  - file: e.csv\n    code_path: '\\'\n",
		"codebook.yaml": cb,
		"e.csv":         "Study,Extract,Codes\nS1,a,Barriers\\Rules; forms; Barriers\\Waiting\nS1,b,Typo;Barriers\\Waiting\n",
	})
	if got := r.Extracts.At(0).Codes; len(got) != 2 || got[0] != "Rules; forms" || got[1] != "Waiting" {
		t.Errorf("codes %v", got)
	}
	if got := r.Extracts.At(1).Codes; len(got) != 2 || got[0] != "Typo" {
		t.Errorf("codes %v: the unknown Typo must stay", got)
	}
	// fill_down of the text does not make a study heading an extract.
	r = build(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts:\n  - file: e.csv\n    fill_down: [study, text]\n",
		"codebook.yaml": cb,
		"e.csv":         "Study,Extract,Codes\nS1,,\n,a,Waiting\n,,Rules; forms\nS2,,\n,b,Waiting\n",
	})
	if r.Extracts.Len() != 2 || len(r.Extracts.At(0).Codes) != 2 {
		t.Errorf("%d extracts, first codes %v; want 2 extracts, the first with both codes", r.Extracts.Len(), r.Extracts.At(0).Codes)
	}
}

// An ATLAS.ti quotation export that heads its text "Text Content" (and adds
// Start and End) is recognised as ATLAS.ti without columns: like one headed
// "Quotation Content". Counted by hand: quotations 1:1 and 1:2 are two
// extracts of study A; 1:1 holds two codes; "rain" is Weather's alias.
func TestAtlasTextContentHeader(t *testing.T) {
	r := mustSeg(t, "", "ID,Document,Text Content,Codes,Start,End\n"+
		"1:1,A,\"We met the neighbours, it was nice\",\"Meeting neighbours\nSense of belonging\",1,30\n"+
		"1:2,A,It rained every week,rain,31,50\n")
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0].Message, "ATLAS.ti") {
		t.Fatalf("notes %+v, want the ATLAS.ti preset chosen from the header", r.Notes)
	}
	if r.Extracts.Len() != 2 || codeCount(r, "Meeting neighbours") != 1 || codeCount(r, "Sense of belonging") != 1 || codeCount(r, "Weather") != 1 {
		t.Fatalf("extracts %d, codes %v", r.Extracts.Len(), r.Codes)
	}
}

// TestQualCoderNonTextCodings: QualCoder's coding report writes a coding of
// an image as Coded "image", Id "imid:N", and of audio or video as "a/v",
// "avid:N" (report_codes.py). They are not extracts: read as text, all of a
// file's image codings would be one extract whose text is "image".
func TestQualCoderNonTextCodings(t *testing.T) {
	csv := "File,Coder,Coded,Id,Codename,Coded_Memo\n" +
		"a.txt,ann,I met them at the cafe,ctid:1,Meeting neighbours,\n" +
		"a.txt,bob,I met them at the cafe,ctid:2,Meeting neighbours,\n" +
		"photo.png,ann,image,imid:3,Weather,\n" +
		"photo.png,ann,image,imid:4,Sense of belonging,\n" +
		"a.txt,ann,It rained all week,ctid:5,Weather,\n" +
		"talk.mp3,bob,a/v,avid:6,\"Cost, money\",\n"
	r := mustSeg(t, "    preset: qualcoder\n", csv)
	if r.Extracts.Len() != 2 {
		t.Fatalf("%d extracts, want 2 (the text segments)", r.Extracts.Len())
	}
	if n := codeCount(r, "Weather"); n != 1 {
		t.Errorf("Weather on %d extracts, want 1: the image coding is not one", n)
	}
	if n := codeCount(r, "Cost, money"); n != 0 {
		t.Errorf("Cost, money on %d extracts, want 0", n)
	}
	var got []Warning
	for _, w := range r.Warnings {
		if w.Kind == WarnNonTextCoding {
			got = append(got, w)
		}
	}
	if len(got) != 1 || got[0].Where != "e.csv:e!D4" || !strings.HasPrefix(got[0].Message, "3 rows code an image, audio or video") {
		t.Errorf("non-text-coding warnings %+v, want one at e.csv:e!D4 counting 3 rows", got)
	}
	for _, w := range r.Warnings {
		if w.Kind == WarnUnknownCode || w.Kind == WarnIgnoredRow {
			t.Errorf("unexpected warning %+v", w)
		}
	}
}
