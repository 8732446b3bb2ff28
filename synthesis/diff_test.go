package synthesis

import (
	"fmt"
	"testing"
)

// TestCompareResultsSupport: two themes merged into one, one theme removed
// and one added; the merged theme's support before is its sources' taken
// together. Worked by hand:
//
//	OLD: d1 {a} ← E1 (S1), E2 (S2); d2 {b} ← E3 (S2); gone {c} ← E4 (S3)
//	NEW: d {a, b} ← E1, E2, E3, E5 (S3); fresh {z} ← E6 (S1)
//
// d continues d1 and d2: before E1–E3 in S1, S2; after E1–E3 and E5 in
// S1–S3, so it gains S3 (cited "Chen") and one extract. gone goes on as no
// theme: before E4 in S3, after nothing. fresh continues none.
func TestCompareResultsSupport(t *testing.T) {
	studies := "ID,Label\nS1,Okafor\nS2,Brown\nS3,Chen\n"
	proj := "version: 1\nstudies: {file: studies.csv}\nextracts:\n  - file: extracts.csv\n"
	old := build(t, map[string]string{"synth.yaml": proj, "studies.csv": studies,
		"codebook.yaml": "version: 1\nthemes:\n  - {name: D1, codes: [a]}\n  - {name: D2, codes: [b]}\n  - {name: Gone, codes: [c]}\n",
		"extracts.csv":  "ID,Study,Extract,Codes\nE1,S1,one,a\nE2,S2,two,a\nE3,S2,three,b\nE4,S3,four,c\n"})
	new := build(t, map[string]string{"synth.yaml": proj, "studies.csv": studies,
		"codebook.yaml": "version: 1\nthemes:\n  - {name: D, codes: [a, b]}\n  - {name: Fresh, codes: [z]}\n",
		"extracts.csv":  "ID,Study,Extract,Codes\nE1,S1,one,a\nE2,S2,two,a\nE3,S2,three,b\nE4,S3,four,\nE5,S3,five,b\nE6,S1,six,z\n"})
	d := CompareResults(old, new)
	var got []string
	for _, s := range d.Support {
		got = append(got, fmt.Sprintf("%v>%s %q studies %d>%d +%v -%v extracts %d>%d +%d -%d", s.OldIDs, s.NewID, s.Name,
			s.StudiesBefore, s.StudiesAfter, s.StudiesGained, s.StudiesLost, s.ExtractsBefore, s.ExtractsAfter, s.ExtractsGained, s.ExtractsLost))
	}
	want := []string{
		`[d1 d2]>d "D" studies 2>3 +[Chen] -[] extracts 3>4 +1 -0`,
		`[]>fresh "Fresh" studies 0>1 +[Okafor] -[] extracts 0>1 +1 -0`,
		`[gone]> "Gone" studies 1>0 +[] -[Chen] extracts 1>0 +0 -1`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("support\n got %q\nwant %q", got, want)
	}
	if len(d.Codebook.Themes) != 3 || d.Codebook.Themes[0].Kind != "merged" {
		t.Errorf("theme changes %+v", d.Codebook.Themes)
	}
}
