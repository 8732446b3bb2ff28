package synthesis

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestEveryRowErrorOnce: a row with a study not in the studies table, or
// none, and a type that is neither participant nor author reports both, in
// the order of its cells; a wrong study filled down (fill_down: [study]) is reported
// once, where it was written, not at each blank cell it fills, whether the
// row that writes it is an extract or a heading of its own.
func TestEveryRowErrorOnce(t *testing.T) {
	base := map[string]string{
		"synth.yaml":    testProject, // fill_down: [study]
		"codebook.yaml": testCodebook,
		"studies.csv":   testStudies,
	}
	for _, c := range []struct {
		name, extracts string
		want           []string
	}{
		{"study and type of one row", "Study,Extract,Codes,Type\nS1,a,Waiting,author\nS9,b,Waiting,opinion\nS1,c,Waiting,weird\n",
			[]string{`extracts.csv:extracts!A3: study "S9" is not in the studies table`, `extracts.csv:extracts!D3: extract type "opinion"`, `extracts.csv:extracts!D4: extract type "weird"`}},
		{"filled down from an extract", "Study,Extract,Codes\nS1,a,Waiting\nS9,b,Waiting\n,c,Waiting\n,d,Waiting\nS2,e,Waiting\nS8,f,Waiting\n,g,Waiting\n",
			[]string{`extracts.csv:extracts!A3: study "S9" is not in the studies table`, `extracts.csv:extracts!A7: study "S8" is not in the studies table`}},
		{"filled down from a heading", "Study,Extract,Codes\nS9,,\n,a,Waiting\n,b,Waiting\nS1,c,Waiting\n",
			[]string{`extracts.csv:extracts!A2: study "S9" is not in the studies table`}},
		{"no study and a bad type", "Study,Extract,Codes,Type\n,a,Waiting,opinion\n",
			[]string{`extracts.csv:extracts!A2: extract has no study`, `extracts.csv:extracts!D2: extract type "opinion"`}},
		{"a filled row's own type", "Study,Extract,Codes,Type\nS9,a,Waiting,author\n,b,Waiting,opinion\n",
			[]string{`extracts.csv:extracts!A2: study "S9" is not in the studies table`, `extracts.csv:extracts!D3: extract type "opinion"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"extracts.csv": c.extracts}
			for k, v := range base {
				files[k] = v
			}
			_, err := Build(project(t, files), Options{})
			var many *Errors
			var got []string
			switch {
			case errors.As(err, &many):
				for _, e := range many.Errs {
					got = append(got, e.Error())
				}
			case err != nil:
				got = []string{err.Error()}
			}
			if len(got) != len(c.want) {
				t.Fatalf("errors %q, want %d: %q", got, len(c.want), c.want)
			}
			for i, w := range c.want {
				if !slices.ContainsFunc(got[i:i+1], func(g string) bool { return len(g) >= len(w) && g[:len(w)] == w }) {
					t.Errorf("error %d = %q, want it to start %q", i+1, got[i], w)
				}
			}
		})
	}
}

// TestMissingColumnSuggestsNoOtherField: a missing Codes column is not
// "did you mean Coder?" when Coder is the coder's column; a header no
// other field reads is still suggested.
func TestMissingColumnSuggestsNoOtherField(t *testing.T) {
	base := map[string]string{
		"synth.yaml":    "version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: extracts.csv\n",
		"codebook.yaml": testCodebook,
	}
	for _, c := range []struct {
		name, header, want, not string
	}{
		{"coder is taken", "Study,Extract,Coder\n", `no codes column "Codes" in the header row 1; found`, `did you mean "Coder"`},
		{"a near miss", "Study,Extract,Code\n", `no codes column "Codes" in the header row 1; did you mean "Code"?`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"extracts.csv": c.header + "S1,a,x\n"}
			for k, v := range base {
				files[k] = v
			}
			_, err := Build(project(t, files), Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || c.not != "" && strings.Contains(err.Error(), c.not) {
				t.Errorf("error %v; want it to say %q and not %q", err, c.want, c.not)
			}
		})
	}
}

// TestMissingNamedColumnSaysWhere: a column that synth.yaml names and the
// header lacks is reported at the header row and at the line of synth.yaml
// that names it, where the mistake may be.
func TestMissingNamedColumnSaysWhere(t *testing.T) {
	files := map[string]string{
		"synth.yaml":    "version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: extracts.csv\n    columns: {codes: Codez}\n",
		"codebook.yaml": testCodebook,
		"extracts.csv":  "Study,Extract,Codes\nS1,a,Waiting\n",
	}
	_, err := Build(project(t, files), Options{})
	want := `extracts.csv:extracts!1: no codes column "Codez" in the header row 1; did you mean "Codes"?; found "Study", "Extract", "Codes"; synth.yaml:5:5 names it (codes: Codez)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}
