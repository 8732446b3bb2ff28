package synthesis

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// labelExtracts: E1 (S1, p. 4) and E3 (S3, no location) are lonely; E2
// (S2, p. 7) is listened to.
const labelExtracts = "ID,Study,Extract,Codes,Location\n" +
	"E1,S1,I was alone,Loneliness,p. 4\n" +
	"E2,S2,She listened,Being listened to,p. 7\n" +
	"E3,S3,Nobody came,Loneliness,\n"

func labels(studies []*Study) []string {
	out := []string{}
	for _, s := range studies {
		out = append(out, s.Label)
	}
	return out
}

func TestStudyLabels(t *testing.T) {
	for _, tc := range []struct {
		name, studies, columns string
		want                   []string // labels of S1..S4
	}{
		{"no label column: the IDs", testStudies, "", []string{"S1", "S2", "S3", "S4"}},
		{"Label, trimmed; blank cell: the ID",
			"ID,Label,Quality\nS1,  Okafor 2019 ,high\nS2,Ng  2020,low\nS3,,high\nS4,Ali 2021,moderate\n", "",
			[]string{"Okafor 2019", "Ng  2020", "S3", "Ali 2021"}},
		{"Citation when there is no Label",
			"ID,Citation,Quality\nS1,Okafor 2019,high\nS2,Ng 2020,low\nS3,Lee 2018,high\nS4,,moderate\n", "",
			[]string{"Okafor 2019", "Ng 2020", "Lee 2018", "S4"}},
		{"Author (year), matched folded",
			"ID,  author  (YEAR) ,Quality\nS1,Okafor (2019),high\nS2,Ng (2020),low\nS3,Lee (2018),high\nS4,Ali (2021),moderate\n", "",
			[]string{"Okafor (2019)", "Ng (2020)", "Lee (2018)", "Ali (2021)"}},
		{"Label before Citation",
			"ID,Citation,Label,Quality\nS1,c1,l1,high\nS2,c2,l2,low\nS3,c3,l3,high\nS4,c4,l4,moderate\n", "",
			[]string{"l1", "l2", "l3", "l4"}},
		{"columns.label names another",
			"ID,Label,Short cite,Quality\nS1,l1,Okafor 2019,high\nS2,l2,Ng 2020,low\nS3,l3,Lee 2018,high\nS4,l4,,moderate\n", "short  CITE",
			[]string{"Okafor 2019", "Ng 2020", "Lee 2018", "S4"}},
		{"columns.label by letter",
			"ID,Label,Short cite,Quality\nS1,l1,Okafor 2019,high\nS2,l2,Ng 2020,low\nS3,l3,Lee 2018,high\nS4,l4,,moderate\n", "$C",
			[]string{"Okafor 2019", "Ng 2020", "Lee 2018", "S4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proj := testProject
			if tc.columns != "" {
				proj = strings.Replace(proj, "studies: {file: studies.csv}", "studies: {file: studies.csv, columns: {label: "+tc.columns+"}}", 1)
			}
			r := build(t, map[string]string{"synth.yaml": proj, "codebook.yaml": unpinned, "studies.csv": tc.studies, "extracts.csv": labelExtracts})
			if got := labels(r.Studies); !slices.Equal(got, tc.want) {
				t.Errorf("labels = %q, want %q", got, tc.want)
			}
			if got := ids(r.Studies); !slices.Equal(got, []string{"S1", "S2", "S3", "S4"}) {
				t.Errorf("ids = %q", got)
			}
		})
	}
}

func TestStudyLabelsWithoutTable(t *testing.T) {
	proj := strings.Replace(testProject, "studies: {file: studies.csv}\n", "", 1)
	proj = strings.Replace(proj, "sensitivity:\n  exclude: {column: Quality, values: [low]}\n", "", 1)
	r := build(t, map[string]string{"synth.yaml": proj, "codebook.yaml": unpinned, "extracts.csv": labelExtracts})
	if got := labels(r.Studies); !slices.Equal(got, []string{"S1", "S2", "S3"}) {
		t.Errorf("labels = %q", got)
	}
}

func TestStudyLabelErrors(t *testing.T) {
	for _, tc := range []struct{ name, studies, columns, want string }{
		{"unknown header in synth.yaml",
			"ID,Label,Short cite\nS1,a,b\n", "Short cit",
			`synth.yaml:4:40: studies.columns.label names "Short cit", which is not a header of studies.csv:studies; did you mean "Short cite"?`},
		{"two studies cited alike",
			"ID,Label\nS1,Okafor 2019\nS2,okafor  2019\nS3,\nS4,\n", "",
			`studies.csv:studies!B3: study S2 is cited as "okafor  2019", as study S1 is (studies.csv:studies!A2); make the labels distinct (e.g. Okafor 2019a, Okafor 2019b)`},
		{"a label that is another study's ID",
			"ID,Label\nS1,S2\nS2,\nS3,\nS4,\n", "",
			`studies.csv:studies!B3: study S2 is cited as "S2", as study S1 is (studies.csv:studies!A2); make the labels distinct (e.g. Okafor 2019a, Okafor 2019b)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proj := strings.Replace(testProject, "sensitivity:\n  exclude: {column: Quality, values: [low]}\n", "", 1)
			if tc.columns != "" {
				proj = strings.Replace(proj, "studies: {file: studies.csv}", "studies: {file: studies.csv, columns: {label: "+tc.columns+"}}", 1)
			}
			_, err := Build(project(t, map[string]string{"synth.yaml": proj, "codebook.yaml": unpinned, "studies.csv": tc.studies, "extracts.csv": labelExtracts}), Options{})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error:\n got %v\nwant %s", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not a *Error", err)
			}
		})
	}
}

func TestSupplementValuesAreComputed(t *testing.T) {
	r := build(t, map[string]string{"synth.yaml": testProject, "codebook.yaml": unpinned,
		"studies.csv":  "ID,Label,Quality,CASP 1,CASP 2\nS1,Okafor 2019,high,y,Can’t  tell\nS2,Ng 2020,low,No,yes\nS3,,high,partly,\nS4,Ali 2021,moderate,,\n",
		"extracts.csv": labelExtracts + "E4,S3,An author's reading,Being listened to,p. 9\n"})
	// Quotation sources: label, then location when there is one.
	var sources []string
	for _, e := range r.Extracts.All() {
		sources = append(sources, e.Source())
	}
	if want := []string{"Okafor 2019, p. 4", "Ng 2020, p. 7", "S3", "S3, p. 9"}; !slices.Equal(sources, want) {
		t.Errorf("sources = %q, want %q", sources, want)
	}
	// CASP answers normalised, aligned with r.CASP.
	for i, want := range [][]string{{"Yes", "Can't tell"}, {"No", "Yes"}, {"partly", ""}, {"", ""}} {
		if got := r.Studies[i].CASP; !slices.Equal(got, want) {
			t.Errorf("%s CASP = %q, want %q", r.Studies[i].ID, got, want)
		}
	}
	if got := []int{r.Studies[0].CASPYes, r.Studies[1].CASPYes, r.Studies[2].CASPYes}; !slices.Equal(got, []int{1, 1, 0}) {
		t.Errorf("CASP yes = %v", got)
	}
	// Every extract is a participant one (no Type column); S4 has none.
	if want := (Totals{Contributing: 3, Participant: 4, Author: 0, CodebookCodes: 5}); r.Totals != want {
		t.Errorf("totals = %+v, want %+v", r.Totals, want)
	}
	// In theme order (pre-order of definition: hope, low-point, supported,
	// heard, misalignment): E1, E3 support low-point and hope; E2, E4 heard,
	// and through it hope and supported.
	for i, want := range [][]string{{"hope", "low-point"}, {"hope", "supported", "heard"}, {"hope", "low-point"}, {"hope", "supported", "heard"}} {
		if got := r.Extracts.At(i).Themes; !slices.Equal(got, want) {
			t.Errorf("%s themes = %q, want %q", r.Extracts.At(i).ID, got, want)
		}
	}
	heard := theme(t, r, "heard")
	if want := []string{"Searching for hope", "Feeling supported"}; !slices.Equal(heard.ParentNames, want) {
		t.Errorf("heard parent names = %q", heard.ParentNames)
	}
	if got := labels(heard.Studies); !slices.Equal(got, []string{"Ng 2020", "S3"}) {
		t.Errorf("heard studies = %q", got)
	}
	for _, c := range r.Codes {
		if c.Name == "Loneliness" && !slices.Equal(c.ThemeNames, []string{"Reaching out at a low point"}) {
			t.Errorf("Loneliness theme names = %q", c.ThemeNames)
		}
	}
	hope := theme(t, r, "hope")
	if got := hope.CodesOf(r.Extracts.At(1)); !slices.Equal(got, []string{"Being listened to"}) {
		t.Errorf("codes of E2 in hope = %q", got)
	}
	if got := theme(t, r, "misalignment").CodesOf(r.Extracts.At(1)); got != nil {
		t.Errorf("codes of E2 in misalignment = %q", got)
	}
}

// cerqualCodebook is the test codebook with a finding and an assessment on
// each theme as the case needs: FINDING and CERQUAL are replaced.
const cerqualCodebook = `version: 1
codes:
  - name: Loneliness
  - name: Being listened to
themes:
  - name: Searching for hope
    id: hope
FINDING
CERQUAL
    themes:
      - name: Reaching out
        id: low-point
        codes: [Loneliness]
  - name: Feeling supported
    id: supported
    codes: [Being listened to]
`

func TestCERQualMissing(t *testing.T) {
	const full = `    cerqual:
      methodological_limitations: {concern: minor, explanation: Two studies did not report recruitment}
      coherence: {concern: none}
      adequacy: {concern: moderate, explanation: Thin data}
      relevance: {concern: none}
      confidence: moderate
      explanation: Minor and moderate concerns`
	const finding = "    finding: People turned to social prescribing at a low point."
	const prefix = `codebook.yaml:6:5: the finding of theme "Searching for hope" `
	for _, tc := range []struct {
		name, finding, cerqual string
		want                   string // the cerqual-missing warning, "" for none
	}{
		{"complete", finding, full, ""},
		{"no finding and no assessment: not a finding", "", "", ""},
		{"finding without an assessment", finding, "",
			prefix + "has no GRADE-CERQual assessment; add cerqual: with the concerns about methodological limitations, coherence, adequacy and relevance, each with an explanation, and the overall confidence with its explanation"},
		{"no explanation of the overall confidence", finding, strings.Replace(full, "\n      explanation: Minor and moderate concerns", "", 1),
			prefix + "has no explanation of its overall confidence, which the Summary of Qualitative Findings gives for every finding"},
		{"a concern without explanation", finding, strings.Replace(full, "{concern: moderate, explanation: Thin data}", "{concern: moderate}", 1),
			prefix + "has moderate concerns about adequacy without an explanation"},
		{"none needs no explanation, minor does", finding, strings.Replace(full, "{concern: minor, explanation: Two studies did not report recruitment}", "{concern: minor, explanation: \"  \"}", 1),
			prefix + "has minor concerns about methodological limitations without an explanation"},
		{"components not assessed", finding, strings.Replace(strings.Replace(full, "      coherence: {concern: none}\n", "", 1), "      relevance: {concern: none}\n", "", 1),
			prefix + "does not assess coherence, relevance"},
		{"an assessment without a finding is still checked", "", strings.Replace(full, "adequacy: {concern: moderate, explanation: Thin data}", "adequacy: {concern: serious}", 1),
			prefix + "has serious concerns about adequacy without an explanation"},
		{"nothing but an explanation", finding, "    cerqual: {explanation: We did not assess it}",
			prefix + "does not assess methodological limitations, coherence, adequacy, relevance; has no overall confidence"},
		{"several gaps in one warning", finding, "    cerqual: {adequacy: {concern: serious}, confidence: low}",
			prefix + "does not assess methodological limitations, coherence, relevance; has serious concerns about adequacy without an explanation; has no explanation of its overall confidence, which the Summary of Qualitative Findings gives for every finding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cb := strings.Replace(strings.Replace(cerqualCodebook, "FINDING\n", cond(tc.finding), 1), "CERQUAL\n", cond(tc.cerqual), 1)
			r := build(t, map[string]string{"synth.yaml": testProject, "codebook.yaml": cb, "studies.csv": testStudies, "extracts.csv": labelExtracts})
			var got []string
			for _, w := range r.Warnings {
				if w.Kind == WarnCERQualMissing {
					got = append(got, w.Where+": "+w.Message)
				}
			}
			var want []string
			if tc.want != "" {
				want = []string{tc.want}
			}
			if !slices.Equal(got, want) {
				t.Errorf("cerqual-missing:\n got %q\nwant %q", got, want)
			}
			hope := theme(t, r, "hope")
			if (hope.CERQual != nil) != (tc.cerqual != "") {
				t.Errorf("CERQual = %+v", hope.CERQual)
			}
		})
	}
}

func cond(s string) string {
	if s == "" {
		return ""
	}
	return s + "\n"
}

func TestCERQualCopiedIntoResult(t *testing.T) {
	cb := strings.Replace(strings.Replace(cerqualCodebook, "FINDING\n", "    finding: >\n      People turned to social\n      prescribing.\n", 1),
		"CERQUAL\n", "    cerqual: {coherence: {concern: No or very minor concerns, explanation: \" Consistent \"}, confidence: Very Low, explanation: Thin}\n", 1)
	r := build(t, map[string]string{"synth.yaml": testProject, "codebook.yaml": cb, "studies.csv": testStudies, "extracts.csv": labelExtracts})
	hope := theme(t, r, "hope")
	if hope.Finding != "People turned to social prescribing." {
		t.Errorf("finding = %q", hope.Finding)
	}
	want := CERQual{Coherence: CERQualComponent{Concern: "none", Explanation: "Consistent"}, Confidence: "very-low", Explanation: "Thin"}
	if hope.CERQual == nil || *hope.CERQual != want {
		t.Errorf("CERQual = %+v, want %+v", hope.CERQual, want)
	}
	// Studies contributing: over the code closure (low-point's Loneliness: S1, S3).
	if got := ids(hope.Studies); !slices.Equal(got, []string{"S1", "S3"}) {
		t.Errorf("contributing = %q", got)
	}
	if theme(t, r, "supported").CERQual != nil {
		t.Error("supported has no assessment")
	}
}
