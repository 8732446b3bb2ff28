package synthesis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
)

// MaxQuotes is how many illustrative quotes a theme gets at most, pinned ones
// included: enough for a supplement table, few enough to read.
const MaxQuotes = 5

// Build reads the project at projectFile and computes its synthesis.
func Build(projectFile string, opts Options) (*Result, error) {
	in, err := Load(projectFile, opts)
	if err != nil {
		return nil, err
	}
	return in.compute()
}

func (in *input) compute() (*Result, error) {
	p, cb := in.p, in.cb
	r := &Result{
		Title:        cmp.Or(strings.TrimSpace(p.Title), "Thematic synthesis"),
		Project:      p,
		Codebook:     cb,
		StudyColumns: in.columns,
		Studies:      in.studies,
		Extracts:     in.extracts,
		CASP:         in.caspCols,
		Inputs:       in.inputs,
	}
	if p.PRISMA != nil {
		r.PRISMA = p.PRISMA
	}
	for _, s := range r.Studies {
		s.Where = in.where[s]
	}
	studyIdx := make(map[*Study]int, len(r.Studies))
	for i, s := range r.Studies {
		studyIdx[s] = i
	}
	if err := in.sensitivity(r); err != nil {
		return nil, err
	}

	// Codes: the codebook's, then those seen only in extracts.
	codeIdx := map[string]int{}
	for _, c := range cb.Codes {
		codeIdx[c.Name] = len(r.Codes)
		r.Codes = append(r.Codes, &CodeStat{Name: c.Name, Definition: c.Definition, InCodebook: true, Aliases: c.Aliases})
	}
	for _, k := range in.unknownOrder {
		u := in.unknown[k]
		codeIdx[u.name] = len(r.Codes)
		r.Codes = append(r.Codes, &CodeStat{Name: u.name})
	}
	codeExtracts := make([][]int32, len(r.Codes)) // extract indexes per code
	for ei, e := range r.Extracts {
		for _, c := range e.Codes {
			ci := codeIdx[c]
			codeExtracts[ci] = append(codeExtracts[ci], int32(ei))
		}
	}
	for ci, cs := range r.Codes {
		cs.Extracts = len(codeExtracts[ci])
		cs.Studies = studiesOf(r, codeExtracts[ci], studyIdx)
	}

	// Themes over their code closures.
	stamp := make([]int32, len(r.Extracts))
	for i := range stamp {
		stamp[i] = -1
	}
	byID := map[string]*ThemeStat{}
	for ti, t := range cb.Themes {
		ts := &ThemeStat{Theme: t, ID: t.ID, Name: t.Name, Level: t.Level, Depth: t.Depth,
			Parents: []string{}, Children: []string{}, Codes: slices.Clone(t.Codes), Closure: cb.Closure(t)}
		if ts.Codes == nil {
			ts.Codes = []string{}
		}
		for _, pt := range t.Parents {
			ts.Parents = append(ts.Parents, pt.ID)
		}
		for _, c := range t.Children {
			ts.Children = append(ts.Children, c.ID)
		}
		var idx []int32
		for _, c := range ts.Closure {
			for _, ei := range codeExtracts[codeIdx[c]] {
				if stamp[ei] != int32(ti) {
					stamp[ei] = int32(ti)
					idx = append(idx, ei)
				}
			}
		}
		slices.Sort(idx)
		ts.PerStudy = make([]int, len(r.Studies))
		for _, ei := range idx {
			e := r.Extracts[ei]
			ts.Extracts = append(ts.Extracts, e)
			ts.PerStudy[studyIdx[e.Study]]++
			if e.Type == Author {
				ts.Author++
			} else {
				ts.Participant++
			}
		}
		for si, n := range ts.PerStudy {
			if n > 0 {
				ts.Studies = append(ts.Studies, r.Studies[si])
			}
		}
		if len(r.Studies) > 0 {
			ts.Share = float64(len(ts.Studies)) / float64(len(r.Studies))
		}
		for _, c := range t.Codes {
			cs := r.Codes[codeIdx[c]]
			cs.Themes = append(cs.Themes, t.ID)
		}
		if r.Sensitivity != nil {
			ts.Sensitive = sensitiveSupport(ts)
		}
		byID[t.ID] = ts
		r.Themes = append(r.Themes, ts)
	}
	for _, ts := range r.Themes {
		q, err := in.quotes(ts, r)
		if err != nil {
			return nil, err
		}
		ts.Quotes = q
	}
	in.warn(r, codeIdx)
	return r, nil
}

func studiesOf(r *Result, extracts []int32, studyIdx map[*Study]int) []*Study {
	has := make([]bool, len(r.Studies))
	for _, ei := range extracts {
		has[studyIdx[r.Extracts[ei].Study]] = true
	}
	out := []*Study{}
	for i, ok := range has {
		if ok {
			out = append(out, r.Studies[i])
		}
	}
	return out
}

// sensitivity marks the studies the project's sensitivity rule drops.
func (in *input) sensitivity(r *Result) error {
	rule := in.p.Sensitivity
	if rule == nil {
		return nil
	}
	col := -1
	for i, c := range r.StudyColumns {
		if fold.Key(c) == fold.Key(rule.Exclude.Column) {
			col = i
		}
	}
	where := fmt.Sprintf("%s:%d:%d", in.p.File, rule.At.Line, rule.At.Col)
	if !in.table {
		return errorAt(where, "sensitivity.exclude needs a studies table with a %q column; add \"studies:\" to synth.yaml", rule.Exclude.Column)
	}
	if col < 0 {
		msg := fmt.Sprintf("sensitivity.exclude names column %q, which the studies table does not have", rule.Exclude.Column)
		if s := fold.Suggest(rule.Exclude.Column, r.StudyColumns); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; its columns are " + strings.Join(r.StudyColumns, ", ")
		}
		return errorAt(where, "%s", msg)
	}
	drop := map[string]bool{}
	for _, v := range rule.Exclude.Values {
		drop[fold.Key(v)] = true
	}
	s := &Sensitivity{Column: r.StudyColumns[col], Values: rule.Exclude.Values, Excluded: []*Study{}}
	for _, st := range r.Studies {
		if drop[fold.Key(st.Fields[col])] {
			st.Excluded = true
			s.Excluded = append(s.Excluded, st)
		}
	}
	r.Sensitivity = s
	return nil
}

func sensitiveSupport(ts *ThemeStat) *ThemeSensitivity {
	s := &ThemeSensitivity{}
	for _, st := range ts.Studies {
		if !st.Excluded {
			s.Studies++
		}
	}
	for _, e := range ts.Extracts {
		if !e.Study.Excluded {
			s.Extracts++
		}
	}
	if s.Studies < len(ts.Studies) {
		switch s.Studies {
		case 0:
			s.Flag = "unsupported"
		case 1:
			s.Flag = "single-study"
		}
	}
	return s
}

// quotes chooses a theme's illustrative quotes: the pinned extracts first,
// then participant quotations, one per study, from the studies that support
// the theme most (ties in study order), each the quotation that carries most
// of the theme's codes (ties: the one nearest 200 characters, then the
// first). The choice depends only on the data, so it is the same every build.
func (in *input) quotes(ts *ThemeStat, r *Result) ([]*Extract, error) {
	out := []*Extract{}
	used := map[*Study]bool{}
	for _, id := range ts.Theme.Quotes {
		var found *Extract
		for _, e := range r.Extracts {
			if fold.Key(e.ID) == fold.Key(id) {
				found = e
				break
			}
		}
		if found == nil {
			return nil, errorAt(fmt.Sprintf("%s:%d:%d", in.cb.File, ts.Theme.Line, ts.Theme.Col),
				"theme %q pins quote %q, which is the ID of no extract", ts.ID, id)
		}
		out = append(out, found)
		used[found.Study] = true
	}
	type cand struct {
		study *Study
		n     int
		best  *Extract
		score [2]int
	}
	closure := map[string]bool{}
	for _, c := range ts.Closure {
		closure[c] = true
	}
	var cands []*cand
	byStudy := map[*Study]*cand{}
	for _, e := range ts.Extracts {
		c := byStudy[e.Study]
		if c == nil {
			c = &cand{study: e.Study}
			byStudy[e.Study] = c
			cands = append(cands, c)
		}
		c.n++
		if e.Type != Participant || slices.Contains(out, e) {
			continue
		}
		hits := 0
		for _, code := range e.Codes {
			if closure[code] {
				hits++
			}
		}
		score := [2]int{hits, -int(math.Abs(float64(utf8.RuneCountInString(e.Text) - 200)))}
		if c.best == nil || score[0] > c.score[0] || score[0] == c.score[0] && score[1] > c.score[1] {
			c.best, c.score = e, score
		}
	}
	slices.SortStableFunc(cands, func(a, b *cand) int { return b.n - a.n })
	for _, c := range cands {
		if len(out) >= MaxQuotes {
			break
		}
		if c.best != nil && !used[c.study] {
			out = append(out, c.best)
			used[c.study] = true
		}
	}
	return out, nil
}

// warn collects the warnings of §2 in a fixed order: reading problems, codes,
// codebook, studies, themes.
func (in *input) warn(r *Result, codeIdx map[string]int) {
	w := in.warnings
	for _, k := range in.unknownOrder {
		u := in.unknown[k]
		msg := fmt.Sprintf("code %q is not in the codebook", u.name)
		if s := in.cb.Suggest(u.name); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		if u.cells > 1 {
			msg += fmt.Sprintf(" (%d cells)", u.cells)
		}
		w = append(w, Warning{Kind: WarnUnknownCode, Message: msg, Where: u.where})
	}
	for i, e := range r.Extracts {
		if len(e.Codes) == 0 {
			w = append(w, Warning{Kind: WarnUncodedExtract, Where: in.codesAt[i].String(),
				Message: fmt.Sprintf("extract %s has no codes", e.ID)})
		}
	}
	for _, cw := range in.cb.Warnings {
		w = append(w, Warning{Kind: cw.Kind, Message: cw.Message, Where: cw.Where})
	}
	for _, c := range in.cb.Codes {
		cs := r.Codes[codeIdx[c.Name]]
		where := in.codeWhere(c)
		if cs.Extracts == 0 {
			w = append(w, Warning{Kind: WarnUnusedCode, Where: where,
				Message: fmt.Sprintf("code %q is in the codebook but no extract carries it", c.Name)})
		}
		if len(cs.Themes) == 0 {
			w = append(w, Warning{Kind: WarnUnthemedCode, Where: where,
				Message: fmt.Sprintf("code %q belongs to no theme, so its extracts support none", c.Name)})
		}
	}
	contributes := map[*Study]bool{}
	for _, ts := range r.Themes {
		for _, s := range ts.Studies {
			contributes[s] = true
		}
	}
	for _, s := range r.Studies {
		if contributes[s] {
			continue
		}
		msg := fmt.Sprintf("study %s has no extracts", s.ID)
		if s.Extracts > 0 {
			msg = fmt.Sprintf("study %s has %d extracts but none supports a theme", s.ID, s.Extracts)
		}
		w = append(w, Warning{Kind: WarnNonContributingStudy, Where: s.Where, Message: msg})
	}
	for _, ts := range r.Themes {
		where := fmt.Sprintf("%s:%d:%d", in.cb.File, ts.Theme.Line, ts.Theme.Col)
		switch len(ts.Studies) {
		case 0:
			w = append(w, Warning{Kind: WarnEmptyTheme, Where: where,
				Message: fmt.Sprintf("theme %q has no supporting extracts", ts.Name)})
		case 1:
			w = append(w, Warning{Kind: WarnSingleStudyTheme, Where: where,
				Message: fmt.Sprintf("theme %q is supported by one study only (%s)", ts.Name, ts.Studies[0].ID)})
		}
	}
	if w == nil {
		w = []Warning{}
	}
	r.Warnings = w
}

func (in *input) codeWhere(c *codebook.Code) string {
	if c.Line > 0 {
		return fmt.Sprintf("%s:%d:%d", in.cb.File, c.Line, c.Col)
	}
	return in.cb.File
}
