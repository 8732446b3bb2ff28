package synthesis

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/strictyaml"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// project writes files into a temporary project folder and returns the path
// of its synth.yaml.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "synth.yaml")
}

const testCodebook = `version: 1
levels: [analytical, descriptive]
codes:
  - name: Loneliness
    aliases: [isolation]
  - name: Low mood
  - name: Being listened to
  - name: Waiting
  - name: Unused code
themes:
  - name: Searching for hope
    id: hope
    quotes: [E5]
    themes:
      - name: Reaching out at a low point
        id: low-point
        codes: [Loneliness, Low mood]
      - ref: heard
  - name: Feeling supported
    id: supported
    themes:
      - name: Feeling heard
        id: heard
        codes: [Being listened to]
  - name: Misalignment
    id: misalignment
    codes: [Waiting]
`

var unpinned = strings.Replace(testCodebook, "    quotes: [E5]\n", "", 1)

const testProject = `version: 1
title: Test review
codebook: codebook.yaml
studies: {file: studies.csv}
extracts:
  - file: extracts.csv
    fill_down: [study]
sensitivity:
  exclude: {column: Quality, values: [low]}
`

const testStudies = "ID,Region,Quality\nS1,North,high\nS2,South,low\nS3,East,high\nS4,West,moderate\n"

func build(t *testing.T, files map[string]string) *Result {
	t.Helper()
	r, err := Build(project(t, files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func theme(t *testing.T, r *Result, id string) *ThemeStat {
	t.Helper()
	for _, ts := range r.Themes {
		if ts.ID == id {
			return ts
		}
	}
	t.Fatalf("no theme %s", id)
	return nil
}

func ids(studies []*Study) []string {
	out := []string{}
	for _, s := range studies {
		out = append(out, s.ID)
	}
	return out
}

func kinds(ws []Warning) []WarningKind {
	var out []WarningKind
	for _, w := range ws {
		out = append(out, w.Kind)
	}
	return out
}

func TestBuildWideLayout(t *testing.T) {
	r := build(t, map[string]string{
		"synth.yaml":    testProject,
		"codebook.yaml": testCodebook,
		"studies.csv":   testStudies,
		"extracts.csv": "ID,Study,Extract,Codes,Type\n" +
			"E1,S1,I was alone,loneliness; LOW  MOOD,participant\n" +
			"E2,,Nobody called,Isolation,quote\n" + // fill_down study, alias
			"E3,s2,She listened,being listened to;,interpretation\n" + // case-folded study, trailing separator
			"E4,S3,The wait was long,Waiting\n" +
			"E5,S3,Hope came back,\"Loneliness\nlow mood\",participant\n" + // a line break separates codes too
			"",
	})
	if got := ids(r.Studies); !slices.Equal(got, []string{"S1", "S2", "S3", "S4"}) {
		t.Fatalf("studies = %v", got)
	}
	hope := theme(t, r, "hope")
	if got := ids(hope.Studies); !slices.Equal(got, []string{"S1", "S2", "S3"}) {
		t.Errorf("hope studies = %v", got)
	}
	if hope.Extracts.Len() != 4 { // E1, E2, E3 (via reused heard), E5
		t.Errorf("hope extracts = %d", hope.Extracts.Len())
	}
	if hope.Author != 1 || hope.Participant != 3 {
		t.Errorf("hope participant/author = %d/%d", hope.Participant, hope.Author)
	}
	heard := theme(t, r, "heard")
	if !slices.Equal(heard.Parents, []string{"hope", "supported"}) || heard.Level != "descriptive" {
		t.Errorf("heard parents %v level %s", heard.Parents, heard.Level)
	}
	n := 0
	for _, ts := range r.Themes {
		if ts.ID == "heard" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("reused theme listed %d times", n)
	}
	if hope.Quotes[0].ID != "E5" {
		t.Errorf("pinned quote not first: %v", hope.Quotes[0].ID)
	}
	var s4 *Study
	for _, s := range r.Studies {
		if s.ID == "S4" {
			s4 = s
		}
	}
	if s4.Extracts != 0 {
		t.Errorf("S4 extracts = %d", s4.Extracts)
	}
	ks := kinds(r.Warnings)
	for _, want := range []WarningKind{WarnUnusedCode, WarnUnthemedCode, WarnNonContributingStudy, WarnSingleStudyTheme} {
		if !slices.Contains(ks, want) {
			t.Errorf("no %s warning in %v", want, ks)
		}
	}
	// Sensitivity: S2 is low quality; "heard" rests on S2 alone.
	if heard.Sensitive == nil || heard.Sensitive.Flag != "unsupported" {
		t.Errorf("heard sensitivity = %+v", heard.Sensitive)
	}
	if hope.Sensitive.Studies != 2 || hope.Sensitive.Flag != "" {
		t.Errorf("hope sensitivity = %+v", hope.Sensitive)
	}
	var loneliness *CodeStat
	for _, c := range r.Codes {
		if c.Name == "Loneliness" {
			loneliness = c
		}
		if c.Name == "isolation" || c.Name == "Isolation" {
			t.Errorf("alias spelling became a code of its own")
		}
	}
	if loneliness.Extracts != 3 || !slices.Equal(ids(loneliness.Studies), []string{"S1", "S3"}) {
		t.Errorf("Loneliness = %d extracts, studies %v", loneliness.Extracts, ids(loneliness.Studies))
	}
}

func TestBuildLongLayout(t *testing.T) {
	r := build(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts: [{file: long.csv, columns: {codes: Code}}]\n",
		"codebook.yaml": unpinned,
		"long.csv": "ID;Study;Extract;Code\n" +
			"E1;S1;I was alone;Loneliness\n" +
			"E1;S1;I was alone;Low mood\n" +
			"E1;;;Waiting\n" + // continuation row without the study or the text
			"E2;S2;Someone listened;Being listened to\n",
	})
	if r.Extracts.Len() != 2 {
		t.Fatalf("extracts = %d", r.Extracts.Len())
	}
	if got := r.Extracts.At(0).Codes; !slices.Equal(got, []string{"Loneliness", "Low mood", "Waiting"}) {
		t.Errorf("merged codes = %v", got)
	}
	if r.Studies[0].Extracts != 1 {
		t.Errorf("S1 counts %d extracts, want 1", r.Studies[0].Extracts)
	}
	if got := r.StudyColumns; !slices.Equal(got, []string{"ID"}) {
		t.Errorf("study columns without a table = %v", got)
	}
}

func TestBuildWarnings(t *testing.T) {
	r := build(t, map[string]string{
		"synth.yaml":    "version: 1\nextracts: [{file: e.csv}]\n",
		"codebook.yaml": unpinned,
		"e.csv": "ID,Study,Extract,Codes\n" +
			"E1,S1,I was alone,lonliness\n" +
			"E2,S1,I was alone,Loneliness\n" +
			",S2,No codes here,\n",
	})
	var unknown *Warning
	for i, w := range r.Warnings {
		if w.Kind == WarnUnknownCode {
			unknown = &r.Warnings[i]
		}
	}
	if unknown == nil || unknown.Where != "e.csv:e!D2" || !strings.Contains(unknown.Message, `did you mean "Loneliness"?`) {
		t.Fatalf("unknown-code warning = %+v", unknown)
	}
	ks := kinds(r.Warnings)
	for _, want := range []WarningKind{WarnDuplicateExtract, WarnUncodedExtract, WarnEmptyTheme} {
		if !slices.Contains(ks, want) {
			t.Errorf("no %s warning in %v", want, ks)
		}
	}
	// The unknown code is counted once in codes, as written.
	last := r.Codes[len(r.Codes)-1]
	if last.Name != "lonliness" || last.InCodebook || last.Extracts != 1 {
		t.Errorf("unknown code stat = %+v", last)
	}
	// Extracts without an ID are named by their row.
	if r.Extracts.At(2).ID != "e.csv:e!4" {
		t.Errorf("id = %q", r.Extracts.At(2).ID)
	}
}

func TestBuildErrors(t *testing.T) {
	base := map[string]string{
		"synth.yaml":    testProject,
		"codebook.yaml": testCodebook,
		"studies.csv":   testStudies,
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"study not in table", map[string]string{"extracts.csv": "Study,Extract,Codes\nS9,x,Waiting\nS01,y,Waiting\n"},
			`extracts.csv:extracts!A2: study "S9" is not in the studies table`},
		{"did you mean study", map[string]string{"extracts.csv": "Study,Extract,Codes\nS 1,x,Waiting\n"},
			`did you mean "S1"?`},
		{"missing column", map[string]string{"extracts.csv": "Study,Extrakt,Codes\nS1,x,Waiting\n"},
			`extracts.csv:extracts!1: no text column "Extract" in the header row 1; did you mean "Extrakt"?; found "Study", "Extrakt", "Codes"`},
		{"same id different text", map[string]string{"extracts.csv": "ID,Study,Extract,Codes\nE1,S1,one,Waiting\nE1,S1,two,Waiting\n"},
			`extracts.csv:extracts!C3: extract E1 has different text from extracts.csv:extracts!C2`},
		{"bad type", map[string]string{"extracts.csv": "Study,Extract,Codes,Type\nS1,x,Waiting,opinion\n"},
			`extracts.csv:extracts!D2: extract type "opinion"`},
		{"codes without text", map[string]string{"extracts.csv": "Study,Extract,Codes\nS1,,Waiting\n"},
			`extracts.csv:extracts!B2: extract has codes but no text`},
		{"no study", map[string]string{"extracts.csv": "Study,Extract,Codes\n,x,Waiting\n"},
			`extracts.csv:extracts!A2: extract has no study`},
		{"pinned quote missing", map[string]string{"extracts.csv": "ID,Study,Extract,Codes\nE1,S1,x,Waiting\n"},
			`theme "hope" pins quote "E5", which is the ID of no extract`},
		{"duplicate study", map[string]string{"studies.csv": "ID,Quality\nS1,high\ns1,low\n", "extracts.csv": "Study,Extract,Codes\nS1,x,Waiting\n"},
			`studies.csv:studies!A3: study "s1" is listed twice; the first is at studies.csv:studies!A2`},
		{"missing file", map[string]string{}, "extracts.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tt.files {
				files[k] = v
			}
			_, err := Build(project(t, files), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant containing %q", err, tt.want)
			}
			errs := []error{err}
			if many, ok := err.(*Errors); ok {
				errs = many.Errs
			}
			for _, err := range errs {
				if strings.Count(err.Error(), "\n") > 2 {
					t.Errorf("error is more than three lines: %q", err)
				}
			}
			// Every data error says where it is, as one of the typed errors.
			var e *Error
			var ye *strictyaml.Error
			var fe *sheet.FileError
			if !errors.As(err, &e) && !errors.As(err, &ye) && !errors.As(err, &fe) {
				t.Errorf("error %T (%v) is not a positioned error", err, err)
			}
		})
	}
}

func TestParseType(t *testing.T) {
	for _, s := range []string{"", "Participant", "quote", "1st order", "First-order", "QUOTATION"} {
		if typ, ok := parseType(s); !ok || typ != Participant {
			t.Errorf("parseType(%q) = %v %v", s, typ, ok)
		}
	}
	for _, s := range []string{"author", "Interpretation", "2nd order", "second-order", "Author interpretation"} {
		if typ, ok := parseType(s); !ok || typ != Author {
			t.Errorf("parseType(%q) = %v %v", s, typ, ok)
		}
	}
	if _, ok := parseType("opinion"); ok {
		t.Error("opinion accepted")
	}
}

func TestCASPQuestions(t *testing.T) {
	cols := []string{"ID", "CASP 1", "casp q2", "Was the research design appropriate to address the aims of the research?", "Quality", "CASP 10"}
	qs := caspQuestions(cols)
	var got []int
	for _, q := range qs {
		got = append(got, q.Number)
	}
	if !slices.Equal(got, []int{1, 2, 3, 10}) {
		t.Errorf("CASP numbers = %v", got)
	}
}

// Study ids keep the spelling of the studies table, while matching folds
// case and white space.
func TestStudySpellingAsWritten(t *testing.T) {
	r := build(t, map[string]string{
		"synth.yaml":    "version: 1\nstudies: {file: s.csv}\nextracts: [{file: e.csv}]\n",
		"codebook.yaml": unpinned,
		"s.csv":         "ID\nSmith  2019\n",
		"e.csv":         "Study,Extract,Codes\nsmith 2019,x,Waiting\n",
	})
	if r.Studies[0].ID != "Smith  2019" || r.Extracts.At(0).Study != r.Studies[0] {
		t.Errorf("study %q, extract's study %q", r.Studies[0].ID, r.Extracts.At(0).Study.ID)
	}
}
