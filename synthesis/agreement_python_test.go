package synthesis

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/fold"
)

// python3WithModules returns the Python that has the modules, or skips.
func python3WithModules(t *testing.T, modules ...string) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import "+strings.Join(modules, ", ")).Run() == nil {
			return path
		}
	}
	t.Skipf("skipped: no python3 with %s (Debian: apt-get install python3-nltk python3-sklearn)", strings.Join(modules, ", "))
	return ""
}

// agreementCase is a generated double-coded project.
type agreementCase struct {
	seed   uint64
	coders int
	dir    string
	codes  []string // codebook codes
}

// generateAgreementCase writes a random double- or triple-coded project:
// 4 studies, 30–60 extracts, 6 codebook codes and 2 unknown ones, coders
// written with varying case and spacing, rows shuffled. Each coder misses
// an extract with probability 1/5 (no row), codes none with a row of its
// own with probability 1/8, and follows a shared "true" coding with
// probability 3/4 per code; one row in 25 has a blank coder.
func generateAgreementCase(t *testing.T, seed uint64, coders int) agreementCase {
	rng := rand.New(rand.NewPCG(seed, 9))
	c := agreementCase{seed: seed, coders: coders, dir: t.TempDir()}
	for i := range 6 {
		c.codes = append(c.codes, fmt.Sprintf("Theme code %d", i+1))
	}
	all := append(append([]string{}, c.codes...), "mystery one", "Mystery two")
	spell := func(s string) string {
		switch rng.IntN(4) {
		case 0:
			return strings.ToUpper(s)
		case 1:
			return "  " + strings.ToLower(s) + " "
		case 2:
			return strings.ReplaceAll(s, " ", "  ")
		}
		return s
	}
	names := []string{"AK", "Jo Bell", "rv"}[:coders]
	var rows [][]string
	n := 30 + rng.IntN(31)
	for x := range n {
		id := fmt.Sprintf("E%03d", x+1)
		study := fmt.Sprintf("S%d", 1+rng.IntN(4))
		text := fmt.Sprintf("Extract %d of %s", x+1, study)
		var truth []int
		for k := range all {
			// Rarer unknown codes, and one codebook code often absent
			// altogether, so that some κ are undefined.
			p := 0.35
			if k >= 6 {
				p = 0.08
			}
			if k == 5 {
				p = 0.02
			}
			if rng.Float64() < p {
				truth = append(truth, k)
			}
		}
		for _, coder := range names {
			if rng.IntN(5) == 0 {
				continue // missing: no row for this coder
			}
			var applied []string
			if rng.IntN(8) != 0 {
				for k := range all {
					has := false
					for _, tk := range truth {
						has = has || tk == k
					}
					if rng.Float64() >= 0.75 {
						has = !has && rng.IntN(3) == 0 || has && rng.IntN(2) == 0
					}
					if has {
						applied = append(applied, spell(all[k]))
					}
				}
			}
			cell := strings.Join(applied, "; ")
			if len(applied) > 0 && rng.IntN(5) == 0 {
				cell += ";"
			}
			who := spell(coder)
			if rng.IntN(25) == 0 {
				who = ""
			}
			rows = append(rows, []string{id, study, text, cell, who})
		}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"ID", "Study", "Extract", "Codes", "Coder"})
	w.WriteAll(rows)
	var cb strings.Builder
	cb.WriteString("version: 1\ncodes:\n")
	for _, code := range c.codes {
		cb.WriteString("  - name: " + code + "\n")
	}
	cb.WriteString("themes:\n  - name: All\n    codes: [" + strings.Join(c.codes, ", ") + "]\n")
	files := map[string]string{
		"synth.yaml":    "version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: extracts.csv\n",
		"codebook.yaml": cb.String(),
		"extracts.csv":  b.String(),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// pythonReliability is one set of figures from check.py.
type pythonReliability struct {
	Units int `json:"units"`
	Pairs []struct {
		A, B      string
		Units     int      `json:"units"`
		Cells     [4]int   `json:"cells"`
		Agreement float64  `json:"agreement"`
		Kappa     *float64 `json:"kappa"`
		KappaNLTK *float64 `json:"kappa_nltk"`
	} `json:"pairs"`
	Cells     [4]int   `json:"cells"`
	Agreement float64  `json:"agreement"`
	Kappa     *float64 `json:"kappa"`
	Alpha     *float64 `json:"alpha"`
}

type pythonAgreement struct {
	Coders   []string                     `json:"coders"`
	Extracts int                          `json:"extracts"`
	OneCoder int                          `json:"one_coder"`
	NoCoder  int                          `json:"no_coder"`
	Overall  pythonReliability            `json:"overall"`
	Codes    map[string]pythonReliability `json:"codes"`
	Studies  map[string]pythonReliability `json:"studies"`
}

// TestAgreementAgainstPython compares synth's agreement on generated
// projects (2 and 3 coders, several seeds) with scikit-learn's
// cohen_kappa_score and nltk's AnnotationTask, driven by
// testdata/agreement/check.py, which reads the same extracts CSV and builds
// the units from the documented rules on its own.
func TestAgreementAgainstPython(t *testing.T) {
	py := python3WithModules(t, "nltk", "sklearn")
	var cases []agreementCase
	var input []map[string]any
	for _, coders := range []int{2, 3} {
		for seed := range uint64(6) {
			c := generateAgreementCase(t, seed+100*uint64(coders), coders)
			cases = append(cases, c)
			input = append(input, map[string]any{"csv": filepath.Join(c.dir, "extracts.csv"), "codes": c.codes})
		}
	}
	in, _ := json.Marshal(input)
	casesFile := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(casesFile, in, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "agreement", "check.py"), casesFile)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check.py: %v", err)
	}
	var want []pythonAgreement
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	undefined := 0
	for i, c := range cases {
		r, err := Build(filepath.Join(c.dir, "synth.yaml"), Options{})
		if err != nil {
			t.Fatalf("seed %d: %v", c.seed, err)
		}
		a, err := r.Agreement()
		if err != nil {
			t.Fatalf("seed %d: %v", c.seed, err)
		}
		w := want[i]
		name := fmt.Sprintf("seed %d, %d coders", c.seed, c.coders)
		var coders []string
		for _, k := range a.Coders {
			coders = append(coders, fold.Key(k))
		}
		if strings.Join(coders, "|") != strings.Join(w.Coders, "|") || a.Overall.Extracts != w.Extracts || a.OneCoder != w.OneCoder || a.NoCoder != w.NoCoder {
			t.Errorf("%s: coders %q, %d extracts, left out %d+%d; python: %q, %d, %d+%d", name,
				coders, a.Overall.Extracts, a.OneCoder, a.NoCoder, w.Coders, w.Extracts, w.OneCoder, w.NoCoder)
		}
		undefined += compareReliability(t, name+", overall", a.Overall, w.Overall)
		if len(a.Codes) != len(w.Codes) {
			t.Errorf("%s: %d codes, python %d", name, len(a.Codes), len(w.Codes))
		}
		for _, ca := range a.Codes {
			pw, ok := w.Codes[fold.Key(ca.Code)]
			if !ok {
				t.Errorf("%s: code %q not in python's", name, ca.Code)
				continue
			}
			undefined += compareReliability(t, name+", code "+ca.Code, ca.Reliability, pw)
		}
		if len(a.Studies) != len(w.Studies) {
			t.Errorf("%s: %d studies, python %d", name, len(a.Studies), len(w.Studies))
		}
		for _, s := range a.Studies {
			undefined += compareReliability(t, name+", study "+s.Study.ID, s.Reliability, w.Studies[fold.Key(s.Study.ID)])
		}
	}
	if undefined == 0 {
		t.Errorf("no undefined coefficient in any case: the generator no longer reaches that branch")
	}
}

// compareReliability checks one set of figures to 1e-9 and returns how many
// undefined coefficients it compared.
func compareReliability(t *testing.T, name string, got Reliability, want pythonReliability) int {
	t.Helper()
	const tol = 1e-9
	undefined := 0
	coef := func(what string, c Coefficient, w *float64) {
		t.Helper()
		switch {
		case w == nil && c.Defined():
			t.Errorf("%s: %s = %v, python: undefined", name, what, c.Value)
		case w != nil && !c.Defined():
			t.Errorf("%s: %s undefined (%s), python: %v", name, what, c.Undefined, *w)
		case w != nil && math.Abs(c.Value-*w) > tol:
			t.Errorf("%s: %s = %.15g, python %.15g", name, what, c.Value, *w)
		case w == nil:
			undefined++
		}
	}
	if got.Units != want.Units || [4]int{got.Both, got.OnlyA, got.OnlyB, got.Neither} != want.Cells || math.Abs(got.Agreement-want.Agreement) > tol {
		t.Errorf("%s: %d units, cells %d/%d/%d/%d, agreement %v; python %d, %v, %v", name,
			got.Units, got.Both, got.OnlyA, got.OnlyB, got.Neither, got.Agreement, want.Units, want.Cells, want.Agreement)
	}
	coef("κ", got.Kappa, want.Kappa)
	coef("α", got.Alpha, want.Alpha)
	if len(got.Pairs) != len(want.Pairs) {
		t.Errorf("%s: %d pairs, python %d", name, len(got.Pairs), len(want.Pairs))
		return undefined
	}
	for i, p := range got.Pairs {
		w := want.Pairs[i]
		pn := fmt.Sprintf("pair %s–%s", p.A, p.B)
		if fold.Key(p.A) != w.A || fold.Key(p.B) != w.B || p.Units != w.Units || [4]int{p.Both, p.OnlyA, p.OnlyB, p.Neither} != w.Cells || math.Abs(p.Agreement-w.Agreement) > tol {
			t.Errorf("%s: %s: %d units, cells %d/%d/%d/%d, agreement %v; python %s–%s %d %v %v", name, pn,
				p.Units, p.Both, p.OnlyA, p.OnlyB, p.Neither, p.Agreement, w.A, w.B, w.Units, w.Cells, w.Agreement)
		}
		coef(pn+" κ (sklearn)", p.Kappa, w.Kappa)
		coef(pn+" κ (nltk)", p.Kappa, w.KappaNLTK)
	}
	return undefined
}
