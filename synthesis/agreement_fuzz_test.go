package synthesis

import (
	"errors"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/synth-qda/synth/internal/fold"
)

// The fuzz input of FuzzAgreement encodes who coded what: byte 0 the number
// of coders (2–4), byte 1 the number of studies (1–4), byte 2 the number of
// codes (1–16), then one extract per 1+codes bytes:
//
//	head: bits 0–3 the coders with a row for the extract, bit 4 a row with a
//	      blank coder cell, bits 5–6 the study, bit 7 the other spelling of
//	      the coders' names in the rows (the codings use the one not taken)
//	code: bits 0–3 the coders applying the code (of those with a row), bit 4
//	      the blank-coder row applying it
const (
	agMaxCoders   = 4
	agMaxCodes    = 16
	agMaxStudies  = 4
	agMaxExtracts = 200
)

// agCoderNames are two spellings of each coder that fold.Key makes one.
var agCoderNames = [agMaxCoders][2]string{
	{"AK", "ak"},
	{"JB", "  jb "},
	{"Émile", "E\u0301MILE"},
	{"li  wei", "Li Wei"},
}

type agExtract struct {
	rows    uint8 // coders with a row
	blank   bool  // a row with a blank coder cell
	study   int
	variant bool
	codes   []uint8 // per code: coders applying it (bits 0–3), the blank row (bit 4)
}

type agModel struct {
	coders, studies int
	codes           []string
	extracts        []agExtract
}

func decodeAgModel(data []byte) agModel {
	at := 0
	next := func() byte {
		if at >= len(data) {
			return 0
		}
		at++
		return data[at-1]
	}
	m := agModel{coders: 2 + int(next())%3, studies: 1 + int(next())%agMaxStudies}
	nK := 1 + int(next())%agMaxCodes
	for k := range nK {
		m.codes = append(m.codes, []string{"Loneliness", "hope", "Cost of travel", "=SUM(1)", "Café", "weather"}[k%6]+string(rune('A'+k)))
	}
	all := uint8(1)<<m.coders - 1
	for at+1+nK <= len(data) && len(m.extracts) < agMaxExtracts {
		h := next()
		e := agExtract{rows: h & all, blank: h&0x10 != 0, study: int(h>>5&3) % m.studies, variant: h&0x80 != 0}
		for range nK {
			b := next()
			mask := b & e.rows
			if e.blank {
				mask |= b & 0x10
			}
			e.codes = append(e.codes, mask)
		}
		m.extracts = append(m.extracts, e)
	}
	return m
}

// encode is the inverse of decodeAgModel, for seeds.
func (m agModel) encode() []byte {
	out := []byte{byte(m.coders - 2), byte(m.studies - 1), byte(len(m.codes) - 1)}
	for _, e := range m.extracts {
		h := e.rows | byte(e.study)<<5
		if e.blank {
			h |= 0x10
		}
		if e.variant {
			h |= 0x80
		}
		out = append(out, h)
		out = append(out, e.codes...)
	}
	return out
}

// agModelOf encodes a built project's codings (its first four coders, first
// sixteen codes and four studies), for seeds taken from real projects.
func agModelOf(r *Result) agModel {
	coder := map[string]int{}
	for _, e := range r.Extracts.All() {
		for _, c := range e.Coders {
			if _, ok := coder[fold.Key(c)]; !ok && len(coder) < agMaxCoders {
				coder[fold.Key(c)] = len(coder)
			}
		}
	}
	m := agModel{coders: max(2, len(coder)), studies: max(1, min(agMaxStudies, len(r.Studies)))}
	code := map[string]int{}
	for i, c := range r.Codes {
		if i < agMaxCodes {
			code[c.Name] = i
			m.codes = append(m.codes, c.Name)
		}
	}
	if len(m.codes) == 0 {
		m.codes = []string{"x"}
	}
	study := map[*Study]int{}
	for i, s := range r.Studies {
		study[s] = i % agMaxStudies
	}
	for _, e := range r.Extracts.All() {
		x := agExtract{study: study[e.Study], codes: make([]uint8, len(m.codes))}
		for _, c := range e.Coders {
			if i, ok := coder[fold.Key(c)]; ok {
				x.rows |= 1 << i
			}
		}
		for _, g := range e.Codings {
			k, ok := code[g.Code]
			if !ok {
				continue
			}
			if g.Coder == "" {
				x.blank = true
				x.codes[k] |= 0x10
			} else if i, ok := coder[fold.Key(g.Coder)]; ok {
				x.codes[k] |= 1 << i
			}
		}
		m.extracts = append(m.extracts, x)
		if len(m.extracts) == agMaxExtracts {
			break
		}
	}
	return m
}

// result builds the Result that Build would give for the model, with coder
// c's rows and codings given to coder perm[c]; when identical, every coder
// with a row applies what the extract's first coder applies.
func (m agModel) result(perm []int, identical bool) *Result {
	r := &Result{}
	var list []*Extract
	for s := range m.studies {
		id := string(rune('1' + s))
		r.Studies = append(r.Studies, &Study{ID: "S" + id, Label: "Study " + id})
	}
	for k, name := range m.codes {
		r.Codes = append(r.Codes, &CodeStat{Name: name, InCodebook: k%3 != 2})
	}
	permute := func(mask uint8) uint8 {
		out := mask & 0x10
		for c := range m.coders {
			if mask&(1<<c) != 0 {
				out |= 1 << perm[c]
			}
		}
		return out
	}
	for i, x := range m.extracts {
		rows := permute(x.rows)
		spell, other := 0, 1
		if x.variant {
			spell, other = 1, 0
		}
		e := &Extract{ID: string(rune('a'+i%26)) + string(rune('0'+i/26)), Study: r.Studies[x.study]}
		for c := range m.coders {
			if rows&(1<<c) != 0 {
				e.Coders = append(e.Coders, agCoderNames[c][spell])
			}
		}
		for k, mask := range x.codes {
			mask = permute(mask)
			if identical {
				first := uint8(rows & -rows) // the lowest coder with a row
				if mask&first != 0 {
					mask |= rows
				} else {
					mask &^= rows
				}
			}
			applied := false
			for c := range m.coders {
				if mask&(1<<c) != 0 {
					e.Codings = append(e.Codings, Coding{Code: m.codes[k], Coder: agCoderNames[c][other]})
					applied = true
				}
			}
			if mask&0x10 != 0 {
				e.Codings = append(e.Codings, Coding{Code: m.codes[k], Coder: []string{"", " "}[spell]})
				applied = true
			}
			if applied {
				e.Codes = append(e.Codes, m.codes[k])
			}
		}
		list = append(list, e)
	}
	r.Extracts = ExtractList(list...)
	return r
}

// FuzzAgreement checks Agreement over random codings by coders × extracts ×
// codes against what its definition promises, whatever the codings:
// coefficients in range or undefined for the documented reason, 2×2 tables
// that add up to the units, κ and α of 1 for coders who agree on everything,
// and nothing but the A/B labels changed when the coders' codings are
// swapped.
func FuzzAgreement(f *testing.F) {
	// Seeds: the projects of the repository that name coders.
	for _, path := range []string{
		filepath.Join("..", "testdata", "social-prescribing", "synth.yaml"),
		agreementScript(f),
	} {
		r, err := Build(path, Options{})
		if err != nil {
			f.Fatalf("%s: %v", path, err)
		}
		f.Add(agModelOf(r).encode())
	}
	// Two coders who agree on everything, the worked example's shape, a code
	// no one applies, three coders with a missing one, a blank-coder row.
	f.Add([]byte{0, 0, 1, 3, 1, 2, 3, 0, 2})
	f.Add([]byte{0, 1, 4, 0x03, 3, 1, 0, 0, 0, 0x83, 0, 1, 0, 0, 0, 0x23, 0, 0, 3, 0, 2, 0x21, 1, 1, 1, 1, 1})
	f.Add([]byte{1, 0, 0, 0x07, 7, 0x03, 1, 0x06, 0})
	f.Add([]byte{0, 0, 1, 0x13, 0x10, 0x11, 0x01, 0x10, 0})
	f.Add([]byte{2, 3, 2, 0x0f, 0x0f, 0x03, 0x1c, 0x05, 0x00, 0x8c, 0x0c, 0x04, 0x08})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := decodeAgModel(data)
		ident := make([]int, m.coders)
		rev := make([]int, m.coders)
		for c := range m.coders {
			ident[c], rev[c] = c, m.coders-1-c
		}
		a, err := m.result(ident, false).Agreement()
		checkAgreement(t, m, a, err)
		if err != nil {
			return
		}

		// The same codings with the coders' roles reversed.
		b, err := m.result(rev, false).Agreement()
		if err != nil {
			t.Fatalf("coders reversed: %v", err)
		}
		checkAgreement(t, m, b, err)
		sameUpToCoders(t, "overall", a.Overall, b.Overall, m.coders)
		for k := range a.Codes {
			sameUpToCoders(t, "code "+a.Codes[k].Code, a.Codes[k].Reliability, b.Codes[k].Reliability, m.coders)
		}
		if len(a.Studies) != len(b.Studies) {
			t.Fatalf("studies %d, reversed %d", len(a.Studies), len(b.Studies))
		}
		for i := range a.Studies {
			sameUpToCoders(t, "study "+a.Studies[i].Study.ID, a.Studies[i].Reliability, b.Studies[i].Reliability, m.coders)
		}

		// Coders who apply the same codes to every extract they share.
		c, err := m.result(ident, true).Agreement()
		checkAgreement(t, m, c, err)
		if err != nil {
			t.Fatalf("identical coders: %v", err)
		}
		perfect(t, "overall", c.Overall)
		for _, ca := range c.Codes {
			perfect(t, "code "+ca.Code, ca.Reliability)
		}
		for _, s := range c.Studies {
			perfect(t, "study "+s.Study.ID, s.Reliability)
		}
	})
}

// agreementScript writes the double-coded project of the agreement script
// test to a temporary folder and returns its synth.yaml.
func agreementScript(f *testing.F) string {
	ar, err := txtar.ParseFile(filepath.Join("..", "cmd", "synth", "testdata", "script", "agreement.txtar"))
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	for _, file := range ar.Files {
		p := filepath.Join(dir, file.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, file.Data, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	return filepath.Join(dir, "synth.yaml")
}

// checkAgreement checks what Agreement promises of any codings.
func checkAgreement(t *testing.T, m agModel, a *Agreement, err error) {
	t.Helper()
	counted, one, none, unattributed := 0, 0, 0, 0
	perStudy := make([]int, m.studies)
	for _, x := range m.extracts {
		switch bits.OnesCount8(x.rows) {
		case 0:
			none++
		case 1:
			one++
		default:
			counted++
			perStudy[x.study]++
			for _, c := range x.codes {
				if c&0x10 != 0 {
					unattributed++
				}
			}
		}
	}
	if err != nil {
		var e *Error
		if counted > 0 || !errors.As(err, &e) {
			t.Fatalf("%d extracts coded by two or more coders: error %T %v", counted, err, err)
		}
		return
	}
	if counted == 0 {
		t.Fatalf("no extract is coded by two coders, yet no error: %+v", a.Overall)
	}
	if a.Overall.Extracts != counted || a.OneCoder != one || a.NoCoder != none || a.Unattributed != unattributed {
		t.Fatalf("counted %d, one coder %d, no coder %d, unattributed %d; want %d, %d, %d, %d",
			a.Overall.Extracts, a.OneCoder, a.NoCoder, a.Unattributed, counted, one, none, unattributed)
	}
	if len(a.Coders) < 2 || len(a.Coders) > m.coders {
		t.Fatalf("coders %q of %d", a.Coders, m.coders)
	}
	nK := len(m.codes)
	checkReliability(t, "overall", a.Coders, a.Overall, counted*nK)
	if len(a.Codes) != nK {
		t.Fatalf("%d codes compared, want %d", len(a.Codes), nK)
	}
	for k, c := range a.Codes {
		if c.Code != m.codes[k] {
			t.Fatalf("code %d is %q, want %q", k, c.Code, m.codes[k])
		}
		if c.Extracts != counted {
			t.Errorf("code %q over %d extracts, want %d", c.Code, c.Extracts, counted)
		}
		checkReliability(t, "code "+c.Code, a.Coders, c.Reliability, counted)
	}
	last, sum := -1, 0
	for _, s := range a.Studies {
		i := int(s.Study.ID[1] - '1')
		if i <= last {
			t.Fatalf("study %s out of order", s.Study.ID)
		}
		last = i
		if s.Extracts != perStudy[i] || s.Extracts == 0 {
			t.Errorf("study %s: %d extracts, want %d", s.Study.ID, s.Extracts, perStudy[i])
		}
		sum += s.Extracts
		checkReliability(t, "study "+s.Study.ID, a.Coders, s.Reliability, s.Extracts*nK)
	}
	if sum != counted {
		t.Errorf("studies hold %d extracts, want %d", sum, counted)
	}
}

// checkReliability checks one Reliability over units units.
func checkReliability(t *testing.T, what string, coders []string, r Reliability, units int) {
	t.Helper()
	if r.Units != units {
		t.Errorf("%s: %d units, want %d", what, r.Units, units)
	}
	if len(r.Pairs) == 0 {
		t.Fatalf("%s: no pair of coders", what)
	}
	var both, onlyA, onlyB, neither int
	var kappas []float64
	for _, p := range r.Pairs {
		pw := what + ", " + p.A + "–" + p.B
		if ia, ib := slices.Index(coders, p.A), slices.Index(coders, p.B); ia < 0 || ib <= ia {
			t.Errorf("%s: coders not in the order of %q", pw, coders)
		}
		if p.Both < 0 || p.OnlyA < 0 || p.OnlyB < 0 || p.Neither < 0 || p.Units <= 0 || p.Units > units {
			t.Fatalf("%s: table %d/%d/%d/%d of %d units (of %d)", pw, p.Both, p.OnlyA, p.OnlyB, p.Neither, p.Units, units)
		}
		if p.Both+p.OnlyA+p.OnlyB+p.Neither != p.Units {
			t.Errorf("%s: table %d/%d/%d/%d sums to %d units, not %d", pw, p.Both, p.OnlyA, p.OnlyB, p.Neither,
				p.Both+p.OnlyA+p.OnlyB+p.Neither, p.Units)
		}
		if !inRange(p.Agreement, 0, 1) || math.Abs(p.Agreement*float64(p.Units)-float64(p.Both+p.Neither)) > 1e-9*float64(p.Units) {
			t.Errorf("%s: agreement %v of table %d/%d/%d/%d", pw, p.Agreement, p.Both, p.OnlyA, p.OnlyB, p.Neither)
		}
		// κ is 0/0 exactly when both coders gave every unit one and the
		// same value.
		constant := p.OnlyA+p.OnlyB == 0 && (p.Both == 0 || p.Neither == 0)
		checkCoefficient(t, pw+" κ", p.Kappa, !constant, p.Agreement)
		if p.Kappa.Defined() {
			kappas = append(kappas, p.Kappa.Value)
		}
		both, onlyA, onlyB, neither = both+p.Both, onlyA+p.OnlyA, onlyB+p.OnlyB, neither+p.Neither
	}
	if r.Both != both || r.OnlyA != onlyA || r.OnlyB != onlyB || r.Neither != neither {
		t.Errorf("%s: table %d/%d/%d/%d is not its pairs' %d/%d/%d/%d", what, r.Both, r.OnlyA, r.OnlyB, r.Neither, both, onlyA, onlyB, neither)
	}
	if len(r.Pairs) == 1 && both+onlyA+onlyB+neither != units {
		t.Errorf("%s: one pair's table sums to %d, not %d units", what, both+onlyA+onlyB+neither, units)
	}
	total := both + onlyA + onlyB + neither
	if !inRange(r.Agreement, 0, 1) || math.Abs(r.Agreement*float64(total)-float64(both+neither)) > 1e-9*float64(total) {
		t.Errorf("%s: agreement %v of table %d/%d/%d/%d", what, r.Agreement, both, onlyA, onlyB, neither)
	}
	checkCoefficient(t, what+" κ", r.Kappa, len(kappas) > 0, r.Agreement)
	if r.Kappa.Defined() && len(kappas) > 0 {
		lo, hi := slices.Min(kappas), slices.Max(kappas)
		if r.Kappa.Value < lo-1e-12 || r.Kappa.Value > hi+1e-12 {
			t.Errorf("%s: κ %v is not between its pairs' %v and %v", what, r.Kappa.Value, lo, hi)
		}
	}
	// α is 0/0 exactly when every value is one category: the code present
	// in no comparison, or in every one.
	varied := both+onlyA+onlyB > 0 && onlyA+onlyB+neither > 0
	checkCoefficient(t, what+" α", r.Alpha, varied, r.Agreement)
}

// checkCoefficient checks a κ or α: defined when it should be, then a number
// from −1 to 1, 1 under perfect agreement; else 0 with a reason.
func checkCoefficient(t *testing.T, what string, c Coefficient, defined bool, agreement float64) {
	t.Helper()
	if c.Defined() != defined {
		t.Errorf("%s: %+v, want defined %v", what, c, defined)
	}
	if !c.Defined() {
		if c.Value != 0 {
			t.Errorf("%s: undefined (%s) with value %v", what, c.Undefined, c.Value)
		}
		return
	}
	if !inRange(c.Value, -1, 1) {
		t.Errorf("%s: %v is outside [−1, 1]", what, c.Value)
	}
	if agreement == 1 && c.Value != 1 {
		t.Errorf("%s: %v under perfect agreement", what, c.Value)
	}
}

func inRange(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }

// sameUpToCoders checks that r, with the coders' roles permuted, is a: the
// same units and agreements, the same coefficients, and with two coders the
// same 2×2 table read the other way.
func sameUpToCoders(t *testing.T, what string, a, b Reliability, coders int) {
	t.Helper()
	if a.Extracts != b.Extracts || a.Units != b.Units || a.Both != b.Both || a.Neither != b.Neither ||
		a.OnlyA+a.OnlyB != b.OnlyA+b.OnlyB || len(a.Pairs) != len(b.Pairs) {
		t.Errorf("%s: coders reversed, %d extracts, %d units, table %d/%d/%d/%d, %d pairs; was %d, %d, %d/%d/%d/%d, %d",
			what, b.Extracts, b.Units, b.Both, b.OnlyA, b.OnlyB, b.Neither, len(b.Pairs),
			a.Extracts, a.Units, a.Both, a.OnlyA, a.OnlyB, a.Neither, len(a.Pairs))
	}
	if coders == 2 && (a.OnlyA != b.OnlyA && a.OnlyA != b.OnlyB) {
		t.Errorf("%s: coders reversed, only A %d, only B %d; was %d, %d", what, b.OnlyA, b.OnlyB, a.OnlyA, a.OnlyB)
	}
	same := func(name string, x, y Coefficient) {
		if x.Defined() != y.Defined() || math.Abs(x.Value-y.Value) > 1e-9 {
			t.Errorf("%s: coders reversed, %s %+v; was %+v", what, name, y, x)
		}
	}
	if math.Abs(a.Agreement-b.Agreement) > 1e-12 {
		t.Errorf("%s: coders reversed, agreement %v; was %v", what, b.Agreement, a.Agreement)
	}
	same("κ", a.Kappa, b.Kappa)
	same("α", a.Alpha, b.Alpha)
}

// perfect checks a Reliability of coders who never disagree.
func perfect(t *testing.T, what string, r Reliability) {
	t.Helper()
	if r.OnlyA != 0 || r.OnlyB != 0 || r.Agreement != 1 {
		t.Errorf("%s: identical coders disagree: table %d/%d/%d/%d, agreement %v", what, r.Both, r.OnlyA, r.OnlyB, r.Neither, r.Agreement)
	}
	for _, c := range []Coefficient{r.Kappa, r.Alpha} {
		if c.Defined() && c.Value != 1 {
			t.Errorf("%s: identical coders have a coefficient of %v", what, c.Value)
		}
	}
	// Without variation κ and α are undefined; with it, 1.
	if varied := r.Both > 0 && r.Neither > 0; varied != r.Alpha.Defined() {
		t.Errorf("%s: identical coders, table %d/%d/%d/%d, α %+v", what, r.Both, r.OnlyA, r.OnlyB, r.Neither, r.Alpha)
	}
}
