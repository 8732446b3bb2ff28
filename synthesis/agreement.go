package synthesis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
)

// AgreementUnit states the unit of analysis of inter-coder agreement, as
// every output of synth agreement says it.
const AgreementUnit = "one unit is an (extract, code) pair, for extracts coded by two or more coders: the code is present or absent for each coder who coded the extract"

// Agreement is the inter-coder agreement of a project's double-coded
// extracts (synth agreement; DESIGN §4).
//
// The unit of analysis is an (extract, code) pair. Which extracts count: an
// extract with rows of two or more coders. A coder coded an extract when a
// row of the extract names the coder, whether or not that row applies a
// code: a row with the coder and an empty codes cell (or a code matrix row
// of zeros) says the coder read the extract and applied nothing, so every
// code is absent for that coder. A coder with no row for an extract is
// missing there, not absent: the extract is no unit for that coder. An
// extract with one coder is no unit at all (OneCoder counts them), nor is
// one whose rows name no coder (NoCoder). Codings on a counted extract
// from a row with a blank coder cell belong to no coder and are left out
// (Unattributed counts them).
//
// The codes compared are Result.Codes: every codebook code, then every
// code seen only in the extracts, so a codebook code that no coder applied
// counts as agreed absence on every unit.
//
// Coder names match as study and code names do (Unicode NFC, case folding,
// trimmed, inner white space collapsed); a coder is named as first read.
type Agreement struct {
	// Coders in the order first read.
	Coders []string
	// Overall is over every unit: Units = Extracts × len(Codes).
	Overall Reliability
	// Codes are in Result.Codes order, one per code compared.
	Codes []CodeAgreement
	// Studies are those with at least one counted extract, in study order.
	Studies []StudyAgreement

	OneCoder     int // extracts coded by one coder only, left out
	NoCoder      int // extracts whose rows name no coder, left out
	Unattributed int // codings of counted extracts from rows with no coder, left out
}

// CodeAgreement is the agreement on one code over every counted extract.
type CodeAgreement struct {
	Code       string
	InCodebook bool
	Reliability
}

// StudyAgreement is the agreement over one study's counted extracts and
// every code.
type StudyAgreement struct {
	Study *Study
	Reliability
}

// Reliability is the agreement of the coders over a set of units.
//
// With two coders, Pairs has one element and the pooled counts, Agreement
// and Kappa are that pair's: Cohen's κ of the 2×2 table of units (Cohen
// 1960). With three or more coders, each pair of coders who coded a common
// extract is compared on the extracts both coded; the counts and Agreement
// pool those pairwise comparisons (a unit counts once per pair, A being the
// pair's earlier coder), and Kappa is the mean of the pairs' defined κ
// (Light 1971; the "kappa" of nltk's AnnotationTask). Alpha is
// Krippendorff's α for nominal data over the units with every coder at
// once, coders missing on an extract left out (Krippendorff 2011,
// "Computing Krippendorff's Alpha-Reliability"; 2019, Content Analysis, 4th
// ed., ch. 12).
type Reliability struct {
	Extracts int // counted extracts: coded by two or more coders
	Units    int // (extract, code) units

	Pairs []PairAgreement

	Both, OnlyA, OnlyB, Neither int
	// Agreement is the share of comparisons in which the coders agree,
	// (Both+Neither) / (Both+OnlyA+OnlyB+Neither), from 0 to 1.
	Agreement float64
	Kappa     Coefficient
	Alpha     Coefficient
}

// PairAgreement compares two coders on the units of the extracts both coded.
type PairAgreement struct {
	A, B  string // coders, A before B in Agreement.Coders
	Units int    // units of the extracts both coded
	// The 2×2 table: code present for both, for A only, for B only, for
	// neither; they sum to Units.
	Both, OnlyA, OnlyB, Neither int
	Agreement                   float64 // (Both+Neither) / Units
	// Kappa is Cohen's κ = (p_o − p_e) / (1 − p_e), where p_o is Agreement
	// and p_e = p_A·p_B + (1−p_A)(1−p_B) from each coder's share of units
	// with the code present.
	Kappa Coefficient
}

// Coefficient is an agreement coefficient, or why it has no value: κ and α
// are 0/0 when the coders' values cannot disagree by chance (a code applied
// to every unit, or to none).
type Coefficient struct {
	Value     float64 // at most 1 (perfect agreement); 0 is chance agreement; 0 when Undefined
	Undefined string  // "" when Value is defined, else why it is not
}

// Defined reports whether the coefficient has a value.
func (c Coefficient) Defined() bool { return c.Undefined == "" }

// Agreement computes the inter-coder agreement of the result's extracts:
// see Agreement for the rules. Its error is a *Error naming the extracts
// sources when no extract names a coder, when only one coder is named, or
// when no extract is coded by two coders.
func (r *Result) Agreement() (*Agreement, error) {
	a := &Agreement{}
	coderIdx := map[string]int{}
	coderOf := func(name string) (int, bool) {
		i, ok := coderIdx[fold.Key(name)]
		return i, ok
	}
	perCoder := []int{} // extracts each coder coded
	for _, e := range r.Extracts.All() {
		for _, c := range e.Coders {
			k := fold.Key(c)
			i, ok := coderIdx[k]
			if !ok {
				i = len(a.Coders)
				coderIdx[k] = i
				a.Coders = append(a.Coders, c)
				perCoder = append(perCoder, 0)
			}
			perCoder[i]++
		}
	}
	where := r.extractFiles()
	switch len(a.Coders) {
	case 0:
		return nil, errorAt(where, "no extract names a coder; agreement compares the codes that two or more coders applied to the same extracts, so the extracts need a Coder column (or columns: {coder: …} in synth.yaml naming the column that says who applied each code)")
	case 1:
		return nil, errorAt(where, "every extract is coded by one coder, %q; agreement needs extracts coded by two or more coders, each row naming its coder", a.Coders[0])
	}

	codeIdx := make(map[string]int, len(r.Codes))
	for i, c := range r.Codes {
		codeIdx[c.Name] = i
		a.Codes = append(a.Codes, CodeAgreement{Code: c.Name, InCodebook: c.InCodebook})
	}
	nC, nK := len(a.Coders), len(r.Codes)
	overall := newTally(nC, 2)
	codes := make([]*tally, nK)
	for i := range codes {
		codes[i] = newTally(nC, 2)
	}
	// Each study's tally, at its place in r.Studies (a study missing from
	// them, as in a Result made by hand, after them).
	pos := make(map[*Study]int, len(r.Studies))
	studyOf := slices.Clone(r.Studies)
	for i, s := range r.Studies {
		pos[s] = i
	}
	studies := make([]*tally, len(studyOf))

	var cs []int               // the extract's coders, ascending
	applied := map[int][]int{} // code → coders applying it, ascending
	var present []int
	for _, e := range r.Extracts.All() {
		cs = cs[:0]
		for _, c := range e.Coders {
			i, _ := coderOf(c)
			cs = append(cs, i)
		}
		switch len(cs) {
		case 0:
			a.NoCoder++
			continue
		case 1:
			a.OneCoder++
			continue
		}
		slices.Sort(cs)
		clear(applied)
		present = present[:0]
		for _, g := range e.Codings {
			if strings.TrimSpace(g.Coder) == "" {
				a.Unattributed++
				continue
			}
			ci, ok := coderOf(g.Coder)
			k, known := codeIdx[g.Code]
			if !ok || !known || !slices.Contains(cs, ci) {
				continue // every coding's row names its coder, and Codes holds every code
			}
			if _, ok := applied[k]; !ok {
				present = append(present, k)
			}
			if !slices.Contains(applied[k], ci) {
				applied[k] = append(applied[k], ci)
			}
		}
		slices.Sort(present)

		si, ok := pos[e.Study]
		if !ok {
			si = len(studyOf)
			pos[e.Study] = si
			studyOf = append(studyOf, e.Study)
			studies = append(studies, nil)
		}
		if studies[si] == nil {
			studies[si] = newTally(nC, 2)
		}
		st := studies[si]
		m := len(cs)
		overall.extract(cs)
		st.extract(cs)
		for _, k := range present {
			ks := applied[k]
			slices.Sort(ks)
			codes[k].unit(cs, ks)
			overall.unit(cs, ks)
			st.unit(cs, ks)
		}
		// Units where no coder applied the code: every value is absent.
		overall.values.addAgreeing(0, m*(nK-len(present)))
		st.values.addAgreeing(0, m*(nK-len(present)))
	}
	if overall.extracts == 0 {
		var parts []string
		for i, c := range a.Coders {
			parts = append(parts, fmt.Sprintf("%d by %s", perCoder[i], c))
		}
		return nil, errorAt(where, "no extract is coded by two or more coders (%s); rows of one extract must share its ID (or its segment columns, or its study and text) for their codings to be compared", strings.Join(parts, ", "))
	}

	a.Overall = overall.reliability(a.Coders, overall, nK)
	for k := range codes {
		// A code's units are every counted extract: those where no coder
		// applied it agree on its absence.
		codes[k].values.addAgreeing(0, overall.extractValues-codes[k].values.total())
		a.Codes[k].Reliability = codes[k].reliability(a.Coders, overall, 1)
	}
	for i, st := range studies {
		if st != nil {
			a.Studies = append(a.Studies, StudyAgreement{Study: studyOf[i], Reliability: st.reliability(a.Coders, st, nK)})
		}
	}
	return a, nil
}

// extractFiles names the project's extracts sources, for an error about
// them all.
func (r *Result) extractFiles() string {
	var files []string
	if r.Project != nil {
		for _, s := range r.Project.Extracts {
			if !slices.Contains(files, s.File) {
				files = append(files, s.File)
			}
		}
	}
	if len(files) == 0 {
		return "extracts"
	}
	return strings.Join(files, ", ")
}

// tally accumulates the comparisons of a set of units. The per-extract
// facts (extracts, extracts each pair shares) are kept by the tallies of
// extract sets; a code's tally takes them from the overall one.
type tally struct {
	nC            int
	extracts      int
	extractValues int   // Σ coders of each extract: a code's pairable values
	pairExtracts  []int // [a*nC+b], a < b: extracts both coded
	both, onlyA   []int // [a*nC+b]: units with the code present for both, for a only
	onlyB         []int
	values        coincidences
}

func newTally(nC, categories int) *tally {
	return &tally{nC: nC, pairExtracts: make([]int, nC*nC), both: make([]int, nC*nC),
		onlyA: make([]int, nC*nC), onlyB: make([]int, nC*nC), values: newCoincidences(categories)}
}

// extract counts a counted extract with coders cs (ascending).
func (t *tally) extract(cs []int) {
	t.extracts++
	t.extractValues += len(cs)
	for i, a := range cs {
		for _, b := range cs[i+1:] {
			t.pairExtracts[a*t.nC+b]++
		}
	}
}

// unit adds a unit whose code the coders ks (ascending, a subset of cs)
// applied and the rest of cs did not.
func (t *tally) unit(cs, ks []int) {
	for i, a := range cs {
		inA := slices.Contains(ks, a)
		for _, b := range cs[i+1:] {
			inB := slices.Contains(ks, b)
			switch {
			case inA && inB:
				t.both[a*t.nC+b]++
			case inA:
				t.onlyA[a*t.nC+b]++
			case inB:
				t.onlyB[a*t.nC+b]++
			}
		}
	}
	t.values.add([]int{len(cs) - len(ks), len(ks)})
}

// reliability turns the tally into coefficients; ext holds the extract
// facts (t itself, or the overall tally for a code), each extract giving
// codes units.
func (t *tally) reliability(coders []string, ext *tally, codes int) Reliability {
	r := Reliability{Extracts: ext.extracts, Units: ext.extracts * codes}
	var kappas []float64
	firstUndefined := ""
	nC := len(coders)
	for a := range nC {
		for b := a + 1; b < nC; b++ {
			i := a*nC + b
			n := ext.pairExtracts[i] * codes
			if n == 0 {
				continue
			}
			p := PairAgreement{A: coders[a], B: coders[b], Units: n, Both: t.both[i], OnlyA: t.onlyA[i], OnlyB: t.onlyB[i]}
			p.Neither = n - p.Both - p.OnlyA - p.OnlyB
			p.Agreement = float64(p.Both+p.Neither) / float64(n)
			p.Kappa = cohenKappa(p.Both, p.OnlyA, p.OnlyB, p.Neither)
			r.Pairs = append(r.Pairs, p)
			r.Both += p.Both
			r.OnlyA += p.OnlyA
			r.OnlyB += p.OnlyB
			r.Neither += p.Neither
			if p.Kappa.Defined() {
				kappas = append(kappas, p.Kappa.Value)
			} else if firstUndefined == "" {
				firstUndefined = p.Kappa.Undefined
			}
		}
	}
	if total := r.Both + r.OnlyA + r.OnlyB + r.Neither; total > 0 {
		r.Agreement = float64(r.Both+r.Neither) / float64(total)
	}
	switch {
	case len(r.Pairs) == 1:
		r.Kappa = r.Pairs[0].Kappa
	case len(kappas) == 0:
		r.Kappa = Coefficient{Undefined: "no pair of coders has a defined κ: " + firstUndefined}
	default:
		sum := 0.0
		for _, k := range kappas {
			sum += k
		}
		r.Kappa = Coefficient{Value: sum / float64(len(kappas))}
	}
	r.Alpha = t.values.alpha()
	return r
}

// cohenKappa is Cohen's (1960) κ of a 2×2 table with cells a (both
// present), b (first only), c (second only), d (neither), written
// 2(ad − bc) / ((a+b)(b+d) + (a+c)(c+d)), which equals (p_o − p_e)/(1 − p_e)
// and is exact in integers until the one division. It is undefined when
// p_e = 1: both coders gave one and the same value to every unit.
func cohenKappa(a, b, c, d int) Coefficient {
	switch {
	case a+b+c+d == 0:
		return Coefficient{Undefined: "the coders share no extract"}
	case b+c+d == 0:
		return Coefficient{Undefined: "both coders applied the code to every unit (expected agreement is 1)"}
	case a+b+c == 0:
		return Coefficient{Undefined: "neither coder applied the code to any unit (expected agreement is 1)"}
	}
	A, B, C, D := int64(a), int64(b), int64(c), int64(d)
	num := 2 * (A*D - B*C)
	den := (A+B)*(B+D) + (A+C)*(C+D)
	return Coefficient{Value: float64(num) / float64(den)}
}

// coincidences accumulates what Krippendorff's α for nominal data needs
// (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", §C):
// the number of pairable values in each category, n_c, and the
// off-diagonal coincidences Σ_{c≠k} o_ck, where a unit with m_u values
// adds n_uc·n_uk/(m_u − 1) to o_ck. The sums are kept in integers for each
// m_u, so that the result does not depend on the order of the units.
type coincidences struct {
	n   []int64 // n_c
	off []int64 // off[m]: Σ over units with m values of Σ_{c≠k} n_uc·n_uk
}

func newCoincidences(categories int) coincidences {
	return coincidences{n: make([]int64, categories)}
}

// add adds one unit given as the number of its values in each category.
// A unit with fewer than two values is not pairable and adds nothing.
func (co *coincidences) add(counts []int) {
	m := 0
	for _, c := range counts {
		m += c
	}
	if m < 2 {
		return
	}
	var s int64
	for c, nc := range counts {
		co.n[c] += int64(nc)
		s += int64(nc) * int64(m-nc) // Σ_{k≠c} n_uc·n_uk
	}
	if s == 0 {
		return
	}
	for len(co.off) <= m {
		co.off = append(co.off, 0)
	}
	co.off[m] += s
}

// addAgreeing adds pairable values of units on which every value is the
// category cat: they add to n_c and to no disagreement.
func (co *coincidences) addAgreeing(cat, values int) { co.n[cat] += int64(values) }

// total is the number of pairable values, n.
func (co *coincidences) total() int {
	var n int64
	for _, nc := range co.n {
		n += nc
	}
	return int(n)
}

// alpha is α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, undefined when
// every pairable value is in one category (no expected disagreement) or
// there is no pairable value.
func (co *coincidences) alpha() Coefficient {
	n := int64(co.total())
	var expected int64
	for _, nc := range co.n {
		expected += nc * (n - nc)
	}
	if n == 0 {
		return Coefficient{Undefined: "no unit has values of two coders"}
	}
	if expected == 0 {
		return Coefficient{Undefined: "every coder gave the same value to every unit (the code applied to all units or to none), so there is no disagreement to expect"}
	}
	observed := 0.0
	for m, s := range co.off {
		if s != 0 {
			observed += float64(s) / float64(m-1)
		}
	}
	return Coefficient{Value: 1 - float64(n-1)*observed/float64(expected)}
}
