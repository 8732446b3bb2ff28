package synthesis

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fieldCasesDir holds small projects that model what reviewers bring: other
// tools' exports and newcomers' mistakes (../shared/field-cases, its README
// says what is right for each).
func fieldCasesDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "field-cases")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the shared field cases are not here (%s); skipping", dir)
	}
	return dir
}

// copyCase copies a field case into a temporary folder (the originals are
// read-only) and applies edits to its synth.yaml: old → new, in order.
func copyCase(t *testing.T, name string, edits ...string) string {
	t.Helper()
	src := filepath.Join(fieldCasesDir(t), name)
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "synth.yaml" {
			s := string(data)
			for i := 0; i+1 < len(edits); i += 2 {
				if !strings.Contains(s, edits[i]) {
					t.Fatalf("%s/synth.yaml has no %q to edit", name, edits[i])
				}
				s = strings.Replace(s, edits[i], edits[i+1], 1)
			}
			data = []byte(s)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dst, "synth.yaml")
}

// support is what a theme or code must have: its extracts and, for a
// theme, its studies in study order.
type support struct {
	extracts int
	studies  []string
}

// fieldCase is one field case with its expected values, worked out by hand
// from the files (the comments say how).
type fieldCase struct {
	name, dir string
	edits     []string
	extracts  int
	perStudy  map[string]int     // study → extracts
	themes    map[string]support // theme id → support
	codes     map[string]int     // code → extracts
	warn      []string           // "kind" or "kind@where" that must be among the warnings
	noWarn    []WarningKind      // kinds that must not be
	note      string             // a note must say this
	check     func(t *testing.T, r *Result)
}

func TestFieldCases(t *testing.T) {
	qualcoder := map[string]support{
		"benefits": {1, []string{"site_north.txt"}}, "social-contact": {1, []string{"site_north.txt"}},
		"barriers": {2, []string{"site_north.txt", "site_south.txt"}}, "access": {2, []string{"site_north.txt", "site_south.txt"}},
	}
	atlas := map[string]support{
		"what-the-place-is-worth": {3, []string{"D1 Harbour report", "D2 Fort survey"}},
		"before":                  {2, []string{"D1 Harbour report"}},
		"after":                   {2, []string{"D1 Harbour report", "D2 Fort survey"}},
	}
	atlasCodes := map[string]int{"Value: Economic - Before": 1, "Value: Historic - After": 1, "Value: Social - Before": 1, "Value: Aesthetic - After": 1}
	maxqda := map[string]support{
		"benefits": {1, []string{"Smith 2019"}}, "connection": {1, []string{"Smith 2019"}},
		"barriers": {2, []string{"Smith 2019", "Osei 2021"}}, "being-left-out": {2, []string{"Smith 2019", "Osei 2021"}},
	}
	dedoose := map[string]int{"Curiosity": 1, "Advice from GP": 1, "Cost, money": 1, "Weather": 1}
	tests := []fieldCase{
		// Taguette: one row per (highlight, tag); highlight 11 has two tags,
		// 18 none. Highlights 11, 12 (A), 17, 18 (B), 19 (C).
		{name: "taguette", dir: "01-taguette-highlights-csv", extracts: 5,
			perStudy: map[string]int{"Allotment interview A": 2, "Allotment interview B": 2, "Allotment interview C": 1},
			themes: map[string]support{
				"a-place-to-be":         {3, []string{"Allotment interview A", "Allotment interview B", "Allotment interview C"}},
				"feeling-included":      {2, []string{"Allotment interview A", "Allotment interview B"}},
				"structure-to-the-week": {2, []string{"Allotment interview A", "Allotment interview C"}},
				"money":                 {1, []string{"Allotment interview A"}},
			},
			codes: map[string]int{"belonging": 2, "routine": 2, "cost": 1},
			warn:  []string{"uncoded-extract@all_tags.csv:all_tags!C6"}},
		// QualCoder coding report: rows 2–3 are one segment with two codes,
		// rows 4–5 one segment coded Transport by two coders, row 6 the
		// third segment. Id is per coding, so the segment is (File, Coded).
		{name: "qualcoder report, segment", dir: "02-qualcoder-report-xlsx",
			edits:    []string{"id: Id, ", "", "coder: Coder}", "coder: Coder}\n    segment: [File, Coded]"},
			extracts: 3, perStudy: map[string]int{"site_north.txt": 2, "site_south.txt": 1}, themes: qualcoder,
			codes:  map[string]int{"Walking together": 1, "Shared purpose": 1, "Transport": 1, "Information": 1},
			noWarn: []WarningKind{WarnDuplicateExtract},
			check: func(t *testing.T, r *Result) {
				bus := findExtract(t, r, "If the bus")
				var got []string
				for _, c := range bus.Codings {
					got = append(got, c.Code+"/"+c.Coder+"@"+c.Where())
				}
				want := []string{"Transport/coder_a@report.xlsx:Sheet!E4", "Transport/coder_b@report.xlsx:Sheet!E5"}
				if !slices.Equal(got, want) {
					t.Errorf("codings = %v, want %v", got, want)
				}
			}},
		// Without segment: or a preset, the per-coding Id keeps each row its
		// own extract, as the reviewer mapped it; the note says how to fix it.
		{name: "qualcoder report, id mapped", dir: "02-qualcoder-report-xlsx", extracts: 5,
			warn: []string{string(WarnDuplicateExtract)}, note: `"preset: qualcoder" reads it as one extract per coded segment`},
		// The CSV: rows 2–3 one segment (a quoted line break in the text), row 4 another.
		{name: "qualcoder report csv", dir: "02c-qualcoder-report-csv-bom",
			edits:    []string{"id: Id, ", "", "coder: Coder}", "coder: Coder}\n    segment: [File, Coded]"},
			extracts: 2, perStudy: map[string]int{"site_north.txt": 1, "site_south.txt": 1},
			codes: map[string]int{"Walking together": 1, "Shared purpose": 1, "Transport": 0, "Information": 1}},
		// The 0/1 matrix: H = Walking together (row 2), I = Transport (row 3),
		// J = Information (rows 3, 4).
		{name: "qualcoder codes by segments", dir: "03-qualcoder-codes-by-segments-01",
			edits:    []string{"codes: Transport}", "}\n    code_columns: {first: $H}"},
			extracts: 3, perStudy: map[string]int{"site_north.txt": 2, "site_south.txt": 1},
			themes: map[string]support{"benefits": {1, []string{"site_north.txt"}}, "barriers": {2, []string{"site_north.txt", "site_south.txt"}},
				"access": {2, []string{"site_north.txt", "site_south.txt"}}},
			codes: map[string]int{"Walking together": 1, "Shared purpose": 0, "Transport": 1, "Information": 2}},
		// Lines 3–4 are one record split by a raw line break in "Coded".
		{name: "csv with an unquoted line break", dir: "04-qualcoder-csv-unescaped-newline", extracts: 3,
			perStudy: map[string]int{"site_north.txt": 2, "site_south.txt": 1},
			themes:   map[string]support{"habits": {2, []string{"site_north.txt", "site_south.txt"}}, "endings": {1, []string{"site_north.txt"}}},
			codes:    map[string]int{"Routine": 1, "Loss of venue": 1, "Social contact": 1},
			warn:     []string{string(WarnRaggedRow) + "@code_relations.csv:3"},
			check: func(t *testing.T, r *Result) {
				if e := findExtract(t, r, "Then the hall"); e.Text != "Then the hall closed\nand we stopped going" {
					t.Errorf("text %q", e.Text)
				}
			}},
		// Dedoose: "Cost, money" is one code; rows 3 and 4 are one excerpt
		// by two coders (same media and text).
		{name: "dedoose combined", dir: "05-dedoose-excerpts-xlsx", extracts: 3,
			perStudy: map[string]int{"Focus group 1": 2, "Interview 4": 1}, codes: dedoose,
			noWarn: []WarningKind{WarnUnknownCode, WarnDuplicateExtract},
			check: func(t *testing.T, r *Result) {
				if e := findExtract(t, r, "Twelve pounds"); len(e.Codings) != 2 || e.Codings[0].Coder != "coder_a" || e.Codings[1].Coder != "coder_b" {
					t.Errorf("codings = %v", e.Codings)
				}
			}},
		{name: "dedoose code columns", dir: "05-dedoose-excerpts-xlsx",
			edits:    []string{"codes: Codes Applied Combined, ", "", "    separator: \",\"", "    code_columns: {prefix: \"Code: \", suffix: \" Applied\"}\n    code_path: '\\'"},
			extracts: 3, perStudy: map[string]int{"Focus group 1": 2, "Interview 4": 1}, codes: dedoose,
			noWarn: []WarningKind{WarnUnknownCode}},
		{name: "atlas.ti csv", dir: "06-atlasti-quotations-csv-semicolon-cp1252", extracts: 3,
			perStudy: map[string]int{"D1 Harbour report": 2, "D2 Fort survey": 1}, themes: atlas, codes: atlasCodes,
			warn: []string{string(WarnEncodingFallback) + "@quotations.csv"}},
		{name: "atlas.ti unreadable header by letter", dir: "07-atlasti-quotations-csv-unreadable-header",
			edits:    []string{"study: Document, text: Quotation Content, codes: Codes", "study: $C, text: $E, codes: $G"},
			extracts: 3, themes: atlas, codes: atlasCodes},
		// MAXQDA: rows 2–3 are one segment (transcript 3, 4–4) with two codes.
		{name: "maxqda", dir: "08-maxqda-coded-segments-xlsx",
			edits:    []string{"location: Beginning}", "location: Beginning}\n    code_path: '\\'\n    segment: [Document name, Beginning, End]"},
			extracts: 3, perStudy: map[string]int{"Smith 2019": 2, "Osei 2021": 1}, themes: maxqda,
			codes:  map[string]int{"Meeting neighbours": 1, "Sense of belonging": 1, "Digital exclusion": 2},
			noWarn: []WarningKind{WarnUnknownCode, WarnDuplicateExtract}},
		// The presets, named or recognised from the header, give the same
		// numbers as the hand-written keys above.
		{name: "taguette preset recognised", dir: "01-taguette-highlights-csv", edits: []string{"    columns: {id: id, study: document, text: content, codes: tag}\n", ""},
			extracts: 5, codes: map[string]int{"belonging": 2, "routine": 2, "cost": 1}, note: "preset taguette"},
		{name: "qualcoder preset over a mapped Id", dir: "02-qualcoder-report-xlsx", edits: []string{"    columns:", "    preset: qualcoder\n    columns:"},
			extracts: 3, themes: qualcoder, noWarn: []WarningKind{WarnDuplicateExtract}},
		{name: "qualcoder preset recognised", dir: "02-qualcoder-report-xlsx", edits: []string{"    columns: {study: File, text: Coded, codes: Codename, id: Id, coder: Coder}\n", ""},
			extracts: 3, themes: qualcoder, note: "preset qualcoder"},
		{name: "qualcoder matrix with preset", dir: "03-qualcoder-codes-by-segments-01",
			edits:    []string{"    columns: {study: file name, text: text, codes: Transport}", "    preset: qualcoder\n    code_columns: {first: $H}"},
			extracts: 3, codes: map[string]int{"Walking together": 1, "Transport": 1, "Information": 2}},
		{name: "dedoose preset recognised", dir: "05-dedoose-excerpts-xlsx", edits: []string{"    columns: {study: Media Title, text: Excerpt Copy, codes: Codes Applied Combined, coder: Excerpt Creator, location: Excerpt Range}\n    separator: \",\"\n", ""},
			extracts: 3, codes: dedoose, noWarn: []WarningKind{WarnUnknownCode}, note: "preset dedoose"},
		{name: "atlas.ti preset", dir: "06-atlasti-quotations-csv-semicolon-cp1252", edits: []string{"    columns: {id: ID, study: Document, text: Quotation Content, codes: Codes}", "    preset: atlasti"},
			extracts: 3, themes: atlas, codes: atlasCodes},
		{name: "maxqda preset recognised", dir: "08-maxqda-coded-segments-xlsx", edits: []string{"    columns: {study: Document group, text: Segment, codes: Code, location: Beginning}\n", ""},
			extracts: 3, perStudy: map[string]int{"Smith 2019": 2, "Osei 2021": 1}, themes: maxqda, note: "preset maxqda",
			codes: map[string]int{"Meeting neighbours": 1, "Sense of belonging": 1, "Digital exclusion": 2}, noWarn: []WarningKind{WarnUnknownCode}},
		{name: "atlas.ti preset, id as location", dir: "14-atlasti-id-also-location", edits: []string{"    columns: {id: ID, location: ID, study: Document, text: Quotation Content, codes: Codes}", "    preset: atlasti"},
			extracts: 3},
		// A2:D2 and A6:D6 are headings; A3:A5 (study) and C3:C4 (codes) fill.
		{name: "merged headings", dir: "13-merged-cells-heading-row", extracts: 4,
			perStudy: map[string]int{"Lee 2020": 3, "Park 2022": 1},
			themes: map[string]support{"understanding": {3, []string{"Lee 2020"}}, "others-like-me": {1, []string{"Park 2022"}},
				"getting-ready-for-care": {4, []string{"Lee 2020", "Park 2022"}}},
			codes: map[string]int{"Clear information": 2, "Preparation": 1, "Peer support": 1},
			check: func(t *testing.T, r *Result) {
				if e := findExtract(t, r, "Participants valued"); e.Type != Author {
					t.Errorf("type = %s", e.Type)
				}
			}},
		{name: "id also location", dir: "14-atlasti-id-also-location", extracts: 3,
			check: func(t *testing.T, r *Result) {
				e := findExtract(t, r, "Residents")
				if e.ID != "1:2" || e.Location != "1:2" {
					t.Errorf("id %q, location %q", e.ID, e.Location)
				}
				if q := r.Themes[0].Quotes; len(q) == 0 || q[0].ID != e.ID {
					t.Errorf("pinned quote = %v", q)
				}
			}},
		// E2 and E3 are dates formatted d-mmm (14 December, 5 March).
		{name: "page range turned into a date", dir: "12-excel-page-range-as-date", extracts: 3,
			warn: []string{string(WarnDateCell) + "@extracts.xlsx:Extracts!E2"},
			check: func(t *testing.T, r *Result) {
				// One warning per column names every such cell.
				for _, w := range r.Warnings {
					if w.Kind == WarnDateCell && !strings.Contains(w.Message, "(2 cells in this column: also E3)") {
						t.Errorf("date-cell warning %q does not name E3", w.Message)
					}
				}
				if e := r.Extracts.At(0); e.Location != "14-Dec" {
					t.Errorf("location %q, want what Excel shows, 14-Dec", e.Location)
				}
				if e := r.Extracts.At(2); e.Location != "7" {
					t.Errorf("location %q", e.Location)
				}
			}},
		// Studies!T3 is 0.3300000000000001 formatted 0%, S3 a date DD/MM/YYYY.
		{name: "numbers as Excel shows them", dir: "newcomer-m_numeric", extracts: 40, noWarn: []WarningKind{WarnDateCell},
			check: func(t *testing.T, r *Result) {
				st := r.Studies[1]
				for col, want := range map[string]string{"Response rate": "33%", "Published": "15/03/2022", "Year": "2020", "ID": "2"} {
					i := slices.Index(r.StudyColumns, col)
					if i < 0 || st.Fields[i] != want {
						t.Errorf("study 2 %s = %q, want %q", col, st.Fields[max(i, 0)], want)
					}
				}
			}},
		{name: "theme names an undefined code", dir: "newcomer-cb7", extracts: 40,
			warn: []string{string(WarnThemeCodeUndefined) + "@codebook.yaml:41:17"}},
		{name: "separator suspect", dir: "newcomer-m_commas", extracts: 40,
			warn: []string{string(WarnSeparatorSuspect) + "@extracts.xlsx:Extracts!D3"}},
		// B11:B12 is one quotation merged over two rows.
		{name: "merged quotation without id", dir: "newcomer-m_merged_noid", extracts: 40, noWarn: []WarningKind{WarnDuplicateExtract}},
		{name: "study id header", dir: "newcomer-hd", extracts: 40},
		{name: "title row", dir: "newcomer-m_titlerow", edits: []string{"sheet: Extracts", "sheet: Extracts\n    header_row: 2"}, extracts: 40},
		{name: "sensitivity matches nothing", dir: "newcomer-m_sens", extracts: 40,
			warn: []string{string(WarnSensitivityUnmatched) + "@synth.yaml:12:3"}},
		// 41 assessed − 35 excluded = 6 ≠ 7 included; the table lists 6.
		{name: "prisma arithmetic", dir: "newcomer-pr", extracts: 40, warn: []string{string(WarnPRISMAArithmetic) + "@synth.yaml:13:9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Build(copyCase(t, tt.dir, tt.edits...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkFieldCase(t, tt, r)
		})
	}
}

func checkFieldCase(t *testing.T, tt fieldCase, r *Result) {
	t.Helper()
	if r.Extracts.Len() != tt.extracts {
		t.Errorf("%d extracts, want %d", r.Extracts.Len(), tt.extracts)
	}
	for _, s := range r.Studies {
		if want, ok := tt.perStudy[s.ID]; ok && s.Extracts != want {
			t.Errorf("study %s: %d extracts, want %d", s.ID, s.Extracts, want)
		}
	}
	for id, want := range tt.themes {
		var ts *ThemeStat
		for _, x := range r.Themes {
			if x.ID == id {
				ts = x
			}
		}
		if ts == nil {
			t.Errorf("no theme %s", id)
			continue
		}
		var studies []string
		for _, s := range ts.Studies {
			studies = append(studies, s.ID)
		}
		if ts.Extracts.Len() != want.extracts || !slices.Equal(studies, want.studies) {
			t.Errorf("theme %s: %d extracts from %v, want %d from %v", id, ts.Extracts.Len(), studies, want.extracts, want.studies)
		}
	}
	for name, want := range tt.codes {
		found := false
		for _, c := range r.Codes {
			if c.Name == name {
				found = true
				if c.Extracts != want {
					t.Errorf("code %q: %d extracts, want %d", name, c.Extracts, want)
				}
			}
		}
		if !found {
			t.Errorf("no code %q", name)
		}
	}
	for _, w := range tt.warn {
		kind, where, _ := strings.Cut(w, "@")
		if !hasWarning(r.Warnings, WarningKind(kind), where) {
			t.Errorf("no %s warning at %q in %v", kind, where, r.Warnings)
		}
	}
	for _, k := range tt.noWarn {
		if hasWarning(r.Warnings, k, "") {
			t.Errorf("unexpected %s warning in %v", k, r.Warnings)
		}
	}
	if tt.note != "" && !slices.ContainsFunc(r.Notes, func(n Note) bool { return strings.Contains(n.Message, tt.note) }) {
		t.Errorf("no note saying %q in %v", tt.note, r.Notes)
	}
	if tt.check != nil {
		tt.check(t, r)
	}
}

func hasWarning(ws []Warning, kind WarningKind, where string) bool {
	for _, w := range ws {
		if w.Kind == kind && (where == "" || w.Where == where) {
			return true
		}
	}
	return false
}

func findExtract(t *testing.T, r *Result, prefix string) *Extract {
	t.Helper()
	for _, e := range r.Extracts.All() {
		if strings.HasPrefix(e.Text, prefix) {
			return e
		}
	}
	t.Fatalf("no extract starting %q", prefix)
	return nil
}

// TestFieldCaseErrors: the mistakes that must stop a build say what and
// where, all at once.
func TestFieldCaseErrors(t *testing.T) {
	tests := []struct {
		dir   string
		edits []string
		want  []string      // each must be in one of the errors
		warns []WarningKind // kinds among the warnings that come with them
		errs  int           // how many errors, when more than one
	}{
		{dir: "07-atlasti-quotations-csv-unreadable-header", want: []string{`quotations.csv:quotations!1: no study column "Document"`}},
		// Three unknown studies (B30, B35, B42), with the unknown codes.
		{dir: "newcomer-m_two_errors", want: []string{
			`extracts.xlsx:Extracts!B30: study "S8" is not in the studies table`,
			`extracts.xlsx:Extracts!B35: study "Smith 2020" is not in the studies table`,
			`extracts.xlsx:Extracts!B42: study "S7" is not in the studies table`},
			warns: []WarningKind{WarnUnknownCode, WarnSeparatorSuspect}, errs: 3},
		{dir: "newcomer-m_missing_header", want: []string{`extracts.xlsx:Extracts!1: no codes column "Codes"`, "column D is blank", "codes: $D"}},
		{dir: "newcomer-m_titlerow", want: []string{`add "header_row: 2"`}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := Build(copyCase(t, tt.dir, tt.edits...), Options{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no error containing %q in\n%v", w, err)
				}
			}
			var many *Errors
			if errors.As(err, &many) {
				for _, k := range tt.warns {
					if !hasWarning(many.Warnings, k, "") {
						t.Errorf("no %s warning with the errors: %v", k, many.Warnings)
					}
				}
				if tt.errs > 0 && len(many.Errs) != tt.errs {
					t.Errorf("%d errors, want %d: %v", len(many.Errs), tt.errs, err)
				}
			} else if len(tt.warns) > 0 {
				t.Errorf("error %T carries no warnings", err)
			}
		})
	}
}
