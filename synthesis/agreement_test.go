package synthesis

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func near(got, want float64) bool { return math.Abs(got-want) < 1e-12 }

// Cohen's κ of textbook 2×2 tables, worked by hand.
func TestCohenKappaWorkedExamples(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, d int
		want       float64
	}{
		// Wikipedia, "Cohen's kappa", worked example: 50 grant proposals,
		// both yes 20, A yes B no 5, A no B yes 10, both no 15:
		// p_o = 35/50 = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.2/0.5 = 0.4.
		{"wikipedia", 20, 5, 10, 15, 0.4},
		// Two doctors, 20 patients: 12, 4, 2, 2 (doctor A's yes and no by
		// row): p_o = 14/20 = 0.7, p_e = 0.8·0.7 + 0.2·0.3 = 0.62,
		// κ = 0.08/0.38 = 4/19.
		{"two doctors", 12, 4, 2, 2, 4.0 / 19},
		// Perfect disagreement with balanced marginals: p_o = 0, p_e = 0.5, κ = −1.
		{"opposed", 0, 5, 5, 0, -1},
		// One coder always present, the other never: p_o = 0, p_e = 0, κ = 0.
		{"constant each", 0, 7, 0, 0, 0},
	}
	for _, tt := range tests {
		k := cohenKappa(tt.a, tt.b, tt.c, tt.d)
		if !k.Defined() || !near(k.Value, tt.want) {
			t.Errorf("%s: κ = %+v, want %v", tt.name, k, tt.want)
		}
	}
	for _, cells := range [][4]int{{0, 0, 0, 9}, {9, 0, 0, 0}, {0, 0, 0, 0}} {
		if k := cohenKappa(cells[0], cells[1], cells[2], cells[3]); k.Defined() || k.Value != 0 {
			t.Errorf("κ%v = %+v, want undefined (expected agreement 1)", cells, k)
		}
	}
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
// section C: four observers, twelve units, values 1–5 with missing data;
// α (nominal) = 0.743. By hand: n = 40 pairable values (unit 12 has one and
// is not pairable), n_c = 9, 13, 10, 5, 3; Σ_{c≠k} o_ck = 10; Σ_{c≠k} n_c·n_k
// = 40² − (81+169+100+25+9) = 1216; α = 1 − 39·10/1216 = 113/152.
func TestKrippendorffWorkedExample(t *testing.T) {
	const missing = 0
	data := [4][12]int{
		{1, 2, 3, 3, 2, 1, 4, 1, 2, missing, missing, missing},
		{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, missing, 3},
		{missing, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, missing},
		{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, missing},
	}
	co := newCoincidences(6)
	for u := range 12 {
		counts := make([]int, 6)
		for o := range 4 {
			if v := data[o][u]; v != missing {
				counts[v]++
			}
		}
		co.add(counts)
	}
	a := co.alpha()
	if !a.Defined() || !near(a.Value, 113.0/152) || math.Round(a.Value*1000) != 743 {
		t.Errorf("α = %+v, want 113/152 = 0.743", a)
	}
	if co.total() != 40 {
		t.Errorf("n = %d, want 40", co.total())
	}
}

const agreementCodebook = `version: 1
codes:
  - name: Loneliness
  - name: Hope
  - name: Cost
  - name: Stigma
themes:
  - name: Everything
    codes: [Loneliness, Hope, Cost, Stigma]
`

// agreementProject builds a small double-coded project from an extracts CSV.
func agreementProject(t *testing.T, csv string) *Result {
	t.Helper()
	return build(t, map[string]string{
		"synth.yaml":    "version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: e.csv\n",
		"codebook.yaml": agreementCodebook,
		"e.csv":         csv,
	})
}

// The rules of Agreement on a project worked by hand: E1–E3 are coded by
// AK and JB (E2's JB row, spelled "jb ", applies nothing: absent, not
// missing); E4 has one coder and E5 none, so they are left out; E1's row
// with a blank coder is no coder's. Codes: the codebook's four (Stigma
// never applied) and the unknown "weather": 3 extracts × 5 codes = 15 units.
//
//	unit (AK, JB)   Loneliness Hope  Cost  Stigma weather
//	E1 (S1)         1,1        1,0   0,0   0,0    0,0
//	E2 (S1)         0,0        1,0   0,0   0,0    0,0
//	E3 (S2)         0,0        0,0   1,1   0,0    0,1
func TestAgreementWorked(t *testing.T) {
	r := agreementProject(t, "ID,Study,Extract,Codes,Coder\n"+
		"E1,S1,text one,Loneliness;Hope,AK\n"+
		"E1,S1,,Loneliness,JB\n"+
		"E1,S1,,Cost,\n"+
		"E2,S1,text two,Hope,AK\n"+
		"E2,S1,,,jb \n"+
		"E3,S2,text three,Cost,ak\n"+
		"E3,S2,,Cost;weather,JB\n"+
		"E4,S2,text four,Loneliness,AK\n"+
		"E5,S2,text five,,\n")
	a, err := r.Agreement()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.Coders, ",") != "AK,JB" {
		t.Errorf("coders %q, want AK, JB", a.Coders)
	}
	if a.OneCoder != 1 || a.NoCoder != 1 || a.Unattributed != 1 {
		t.Errorf("left out: one coder %d, no coder %d, unattributed %d; want 1, 1, 1", a.OneCoder, a.NoCoder, a.Unattributed)
	}
	type want struct {
		extracts, units, both, onlyA, onlyB, neither int
		agreement, kappa, alpha                      float64
		kappaUndefined, alphaUndefined               bool
	}
	check := func(name string, got Reliability, w want) {
		t.Helper()
		if got.Extracts != w.extracts || got.Units != w.units || got.Both != w.both || got.OnlyA != w.onlyA || got.OnlyB != w.onlyB || got.Neither != w.neither {
			t.Errorf("%s: extracts %d units %d table %d/%d/%d/%d, want %d %d %d/%d/%d/%d", name,
				got.Extracts, got.Units, got.Both, got.OnlyA, got.OnlyB, got.Neither,
				w.extracts, w.units, w.both, w.onlyA, w.onlyB, w.neither)
		}
		if !near(got.Agreement, w.agreement) {
			t.Errorf("%s: agreement %v, want %v", name, got.Agreement, w.agreement)
		}
		if got.Kappa.Defined() == w.kappaUndefined || got.Kappa.Defined() && !near(got.Kappa.Value, w.kappa) {
			t.Errorf("%s: κ %+v, want %v (undefined %v)", name, got.Kappa, w.kappa, w.kappaUndefined)
		}
		if got.Alpha.Defined() == w.alphaUndefined || got.Alpha.Defined() && !near(got.Alpha.Value, w.alpha) {
			t.Errorf("%s: α %+v, want %v (undefined %v)", name, got.Alpha, w.alpha, w.alphaUndefined)
		}
		if len(got.Pairs) != 1 || got.Pairs[0].A != "AK" || got.Pairs[0].B != "JB" || got.Pairs[0].Units != w.units {
			t.Errorf("%s: pairs %+v, want AK–JB over %d units", name, got.Pairs, w.units)
		}
	}
	// Overall: a=2, b=2, c=1, d=10; κ = 2(20−2)/(4·12 + 3·11) = 36/81.
	// α: n = 30 values, n_1 = 7, three disagreeing units of two values,
	// Σ_{c≠k} o_ck = 6; α = 1 − 29·6/(2·7·23) = 74/161.
	check("overall", a.Overall, want{3, 15, 2, 2, 1, 10, 12.0 / 15, 36.0 / 81, 74.0 / 161, false, false})

	names := []string{}
	for _, c := range a.Codes {
		names = append(names, c.Code)
	}
	if strings.Join(names, ",") != "Loneliness,Hope,Cost,Stigma,weather" {
		t.Fatalf("codes %q", names)
	}
	// Loneliness: 1,0,0,2 → κ = 1; α = 1 (no disagreement).
	check("Loneliness", a.Codes[0].Reliability, want{3, 3, 1, 0, 0, 2, 1, 1, 1, false, false})
	// Hope: 0,2,0,1 → κ = 0/2 = 0; α = 1 − 5·4/16 = −0.25.
	check("Hope", a.Codes[1].Reliability, want{3, 3, 0, 2, 0, 1, 1.0 / 3, 0, -0.25, false, false})
	check("Cost", a.Codes[2].Reliability, want{3, 3, 1, 0, 0, 2, 1, 1, 1, false, false})
	// Stigma: nobody applied it: agreement 1, κ and α undefined.
	check("Stigma", a.Codes[3].Reliability, want{3, 3, 0, 0, 0, 3, 1, 0, 0, true, true})
	// weather: 0,0,1,2 → κ = 0/3 = 0; α = 1 − 5·2/10 = 0.
	check("weather", a.Codes[4].Reliability, want{3, 3, 0, 0, 1, 2, 2.0 / 3, 0, 0, false, false})
	if a.Codes[4].InCodebook || !a.Codes[3].InCodebook {
		t.Errorf("in codebook: Stigma %v, weather %v", a.Codes[3].InCodebook, a.Codes[4].InCodebook)
	}
	if !strings.Contains(a.Codes[3].Kappa.Undefined, "neither coder applied") {
		t.Errorf("Stigma's κ says %q", a.Codes[3].Kappa.Undefined)
	}

	if len(a.Studies) != 2 || a.Studies[0].Study.ID != "S1" || a.Studies[1].Study.ID != "S2" {
		t.Fatalf("studies %+v", a.Studies)
	}
	// S1: E1, E2: 1,2,0,7 → κ = 2·7/(3·9 + 1·7) = 7/17; α: n = 20,
	// n_1 = 4, Σ o = 4, α = 1 − 19·4/(2·4·16) = 13/32.
	check("S1", a.Studies[0].Reliability, want{2, 10, 1, 2, 0, 7, 0.8, 7.0 / 17, 13.0 / 32, false, false})
	// S2: E3: 1,0,1,3 → κ = 6/11; α = 1 − 9·2/42 = 4/7.
	check("S2", a.Studies[1].Reliability, want{1, 5, 1, 0, 1, 3, 0.8, 6.0 / 11, 4.0 / 7, false, false})
}

// Three coders: each pair is compared on the extracts both coded, and κ is
// the mean of the pairs' defined κ.
//
//	unit       A  B  C
//	E1 Hope    1  1  1
//	E2 Hope    1  0  –
//	E3 Hope    –  0  0
func TestAgreementThreeCoders(t *testing.T) {
	r := agreementProject(t, "ID,Study,Extract,Codes,Coder\n"+
		"E1,S1,one,Hope,A\nE1,S1,,Hope,B\nE1,S1,,Hope,C\n"+
		"E2,S1,two,Hope,A\nE2,S1,,,B\n"+
		"E3,S1,three,,B\nE3,S1,,,C\n")
	a, err := r.Agreement()
	if err != nil {
		t.Fatal(err)
	}
	hope := a.Codes[1]
	if hope.Code != "Hope" || len(hope.Pairs) != 3 {
		t.Fatalf("Hope: %+v", hope)
	}
	// A–B: E1, E2: 1,1,0,0 → κ = 0 (2·0 / (2·1 + 1·1)); A–C: E1: 1,0,0,0 →
	// undefined; B–C: E1, E3: 1,0,0,1 → κ = 1. Mean of the defined: 0.5.
	ab, ac, bc := hope.Pairs[0], hope.Pairs[1], hope.Pairs[2]
	if ab.A != "A" || ab.B != "B" || ab.Units != 2 || ab.Both != 1 || ab.OnlyA != 1 || !near(ab.Kappa.Value, 0) || !ab.Kappa.Defined() {
		t.Errorf("A–B %+v", ab)
	}
	if ac.Units != 1 || ac.Kappa.Defined() || bc.Units != 2 || !near(bc.Kappa.Value, 1) {
		t.Errorf("A–C %+v, B–C %+v", ac, bc)
	}
	if !near(hope.Kappa.Value, 0.5) || hope.Both != 3 || hope.OnlyA != 1 || hope.Neither != 1 || !near(hope.Agreement, 4.0/5) {
		t.Errorf("Hope pooled %+v", hope.Reliability)
	}
	// α: units E1 (1,1,1), E2 (1,0), E3 (0,0): n = 7, n_1 = 4; only E2
	// disagrees, Σ_{c≠k} o_ck = 2/1; α = 1 − 6·2/(2·4·3) = 0.5.
	if !near(hope.Alpha.Value, 0.5) {
		t.Errorf("Hope α %+v, want 0.5", hope.Alpha)
	}
}

func TestAgreementErrors(t *testing.T) {
	tests := []struct{ name, csv, want string }{
		{"no coder column", "ID,Study,Extract,Codes\nE1,S1,one,Hope\n",
			"e.csv: no extract names a coder; agreement compares"},
		{"one coder", "ID,Study,Extract,Codes,Coder\nE1,S1,one,Hope,AK\nE2,S1,two,Cost,ak\n",
			`e.csv: every extract is coded by one coder, "AK"`},
		{"no shared extract", "ID,Study,Extract,Codes,Coder\nE1,S1,one,Hope,AK\nE2,S1,two,Cost,JB\n",
			"e.csv: no extract is coded by two or more coders (1 by AK, 1 by JB); rows of one extract must share its ID"},
	}
	for _, tt := range tests {
		_, err := agreementProject(t, tt.csv).Agreement()
		var e *Error
		if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q…", tt.name, err, tt.want)
		}
	}
}
