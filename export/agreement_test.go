package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synth-qda/synth/synthesis"
)

// threeCoderAgreement builds a project coded by three coders, one code and
// one coder named with text meant to break the outputs.
func threeCoderAgreement(t *testing.T) *synthesis.Agreement {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"synth.yaml":    "version: 1\nextracts:\n  - file: e.csv\n",
		"codebook.yaml": "version: 1\ncodes:\n  - name: Hope\n  - name: Cost\nthemes:\n  - name: All\n    codes: [Hope, Cost]\n",
		"e.csv": "ID,Study,Extract,Codes,Coder\n" +
			"E1,S1,one,Hope,A\nE1,S1,,Hope,B\nE1,S1,,Hope,\"=cmd|'/c calc'!A1\"\n" +
			"E2,S1,two,Hope;<b>x|y</b>,A\nE2,S1,,,B\n" +
			"E3,S2,three,,B\nE3,S2,,Cost,\"=cmd|'/c calc'!A1\"\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := synthesis.Build(filepath.Join(dir, "synth.yaml"), synthesis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := r.Agreement()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAgreementOutputsThreeCoders(t *testing.T) {
	a := threeCoderAgreement(t)
	hostileCoder := "=cmd|'/c calc'!A1"

	var j bytes.Buffer
	if err := AgreementJSON(&j, a); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Unit   string   `json:"unit"`
		Coders []string `json:"coders"`
		Codes  []struct {
			Name           string   `json:"name"`
			Kappa          *float64 `json:"kappa"`
			KappaUndefined string   `json:"kappa_undefined"`
			Pairs          []struct {
				A string `json:"coder_a"`
				B string `json:"coder_b"`
			} `json:"pairs"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, j.Bytes())
	}
	if doc.Unit != synthesis.AgreementUnit || strings.Join(doc.Coders, ",") != "A,B,"+hostileCoder {
		t.Errorf("unit %q, coders %q", doc.Unit, doc.Coders)
	}
	// Hope: A–B on E1, E2 (κ 0), A–C on E1 (undefined), B–C on E1, E3
	// (κ 1): three pairs; the mean of the defined κ is 0.5.
	hope := doc.Codes[0]
	if hope.Name != "Hope" || len(hope.Pairs) != 3 || hope.Kappa == nil || *hope.Kappa != 0.5 || hope.Pairs[2].B != hostileCoder {
		t.Errorf("Hope: %+v", hope)
	}
	// Cost: only C applied it, on E3; B did not: κ of B–C is 0, the other pairs never saw it.
	if c := doc.Codes[1]; c.Name != "Cost" || c.Kappa == nil {
		t.Errorf("Cost: %+v", c)
	}

	var c bytes.Buffer
	if err := AgreementCSV(&c, a); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Scopes all, Hope, Cost, <b>x|y</b>, S1, S2: each one all-coders
	// record and one per pair that shares an extract in it: 3 pairs over
	// all and for each code, 3 in S1 (E1, E2), 1 in S2 (E3: B and C).
	pairRows, neutral := 0, false
	for _, rec := range records[1:] {
		if rec[4] != "" {
			pairRows++
			if rec[14] != "" {
				t.Errorf("a pair's record has α %q", rec[14])
			}
		}
		neutral = neutral || rec[5] == "'"+hostileCoder
		if rec[5] == hostileCoder {
			t.Errorf("coder written as a formula: %q", rec)
		}
	}
	if len(records) != 1+6+pairRows || pairRows != 3+3*3+3+1 || !neutral {
		t.Errorf("%d records, %d for pairs, neutralised coder %v", len(records), pairRows, neutral)
	}

	var m bytes.Buffer
	if err := AgreementMarkdown(&m, a); err != nil {
		t.Fatal(err)
	}
	md := m.String()
	for _, want := range []string{"## Agreement by code and pair of coders", `&lt;b&gt;x\|y&lt;/b&gt;`, "| Hope | A | B | 2 | 1 | 1 | 0 | 0 | 50% | 0.000 |", "mean of the pairwise Cohen's κ"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<b>") {
		t.Errorf("markdown lets markup through")
	}
}
