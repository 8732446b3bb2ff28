package synthesis

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

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
	loadErrs := len(in.errs)
	r, err := in.compute()
	if err != nil && loadErrs == 0 {
		// After errors in the data, an error here (a pinned quote whose
		// row was in error) is likely their echo: not reported.
		in.fail(err)
	}
	if len(in.errs) == 0 {
		return r, nil
	}
	w := in.warnings
	if r != nil {
		// Warnings about support (unused codes, empty themes) would count
		// data that the errors kept out; the others stand.
		w = nil
		for _, x := range r.Warnings {
			switch x.Kind {
			case WarnUnusedCode, WarnNonContributingStudy, WarnSingleStudyTheme, WarnEmptyTheme:
			default:
				w = append(w, x)
			}
		}
	}
	return nil, in.failed(w)
}

func (in *input) compute() (*Result, error) {
	p, cb, x := in.p, in.cb, in.store
	x.flush()
	x.studies = in.studies
	r := &Result{
		Title:        cmp.Or(strings.TrimSpace(p.Title), "Thematic synthesis"),
		Project:      p,
		Codebook:     cb,
		StudyColumns: in.columns,
		Studies:      in.studies,
		Extracts:     Extracts{s: x},
		CASP:         in.caspCols,
		Inputs:       in.inputs,
		Notes:        in.notes,
	}
	if p.PRISMA != nil {
		r.PRISMA = newPRISMA(p.PRISMA)
	}
	for _, s := range r.Studies {
		s.Where = in.where[s]
		if s.Extracts > 0 {
			r.Totals.Contributing++
		}
		s.CASP = make([]string, len(r.CASP))
		for i, q := range r.CASP {
			if q.Column < len(s.Fields) {
				s.CASP[i] = caspAnswer(s.Fields[q.Column])
			}
			if s.CASP[i] == CASPYes {
				s.CASPYes++
			}
		}
	}
	// Each extract's study (its place in r.Studies) and kind, read from the
	// store once: the themes' counts below go through them by the million.
	studyOf := make([]int32, x.len())
	author := make([]bool, x.len())
	for i := range int32(x.len()) {
		rec := x.rec(i)
		studyOf[i], author[i] = rec.study, rec.author
		if rec.author {
			r.Totals.Author++
		} else {
			r.Totals.Participant++
		}
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
	r.Totals.CodebookCodes = len(cb.Codes)
	for _, k := range in.unknownOrder {
		u := in.unknown[k]
		codeIdx[u.name] = len(r.Codes)
		r.Codes = append(r.Codes, &CodeStat{Name: u.name})
	}
	cc := newCodeCombos(x, codeIdx)
	// The codes' extracts are listed while the themes' are (below).
	var codeExtracts [][]int32
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		codeExtracts = cc.extractsOf(len(r.Codes), func(combo int) []int32 { return cc.codes[combo] })
	}()

	// Themes over their code closures: a theme's extracts are those of
	// the code combinations that hold one of its closure's codes.
	closures := make([][]string, len(cb.Themes))
	codeThemes := make([][]int32, len(r.Codes)) // the themes whose closure holds each code
	for ti, t := range cb.Themes {
		closures[ti] = cb.Closure(t)
		for _, c := range closures[ti] {
			ci := codeIdx[c]
			codeThemes[ci] = append(codeThemes[ci], int32(ti))
		}
	}
	comboThemes := cc.themes(codeThemes, len(cb.Themes))
	themeIdx := cc.extractsOf(len(cb.Themes), func(combo int) []int32 { return comboThemes[combo] })
	<-listed
	for ci, cs := range r.Codes {
		cs.Extracts = len(codeExtracts[ci])
		cs.Studies = studiesOf(r, codeExtracts[ci], studyOf)
	}
	byID := map[string]*ThemeStat{}
	for ti, t := range cb.Themes {
		ts := &ThemeStat{Theme: t, ID: t.ID, Name: t.Name, Level: t.Level, Depth: t.Depth,
			Parents: []string{}, ParentNames: []string{}, Children: []string{}, Codes: slices.Clone(t.Codes), Closure: closures[ti],
			Finding: strings.TrimSpace(t.Finding), CERQual: copyCERQual(t.CERQual)}
		if ts.Codes == nil {
			ts.Codes = []string{}
		}
		for _, pt := range t.Parents {
			ts.Parents = append(ts.Parents, pt.ID)
			ts.ParentNames = append(ts.ParentNames, pt.Name)
		}
		for _, c := range t.Children {
			ts.Children = append(ts.Children, c.ID)
		}
		idx := themeIdx[ti]
		ts.PerStudy = make([]int, len(r.Studies))
		ts.Extracts = Extracts{s: x, idx: idx}
		for _, ei := range idx {
			ts.PerStudy[studyOf[ei]]++
			if author[ei] {
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
			cs.ThemeNames = append(cs.ThemeNames, t.Name)
		}
		if r.Sensitivity != nil {
			ts.Sensitive = sensitiveSupport(ts)
		}
		byID[t.ID] = ts
		r.Themes = append(r.Themes, ts)
	}
	x.themeSets = make([][]string, len(comboThemes))
	for k, tis := range comboThemes {
		for _, ti := range tis {
			x.themeSets[k] = append(x.themeSets[k], r.Themes[ti].ID)
		}
		x.themeSets[k] = slices.Clip(x.themeSets[k])
	}
	qi := newQuoteIndex(r, cc, studyOf, author)
	for ti, ts := range r.Themes {
		q, err := in.quotes(ts, themeIdx[ti], qi)
		if err != nil {
			return nil, err
		}
		ts.Quotes = q
	}
	in.warn(r, codeIdx)
	return r, nil
}

// codeCombos are the combinations of codes the extracts carry, each the
// codes of one or more extracts in the same order: the store's code sets. A
// review has a few hundred of them however many extracts it has, so that a
// theme's extracts and an extract's themes are worked out once per
// combination, and the extracts of a combination share one Codes and one
// Themes list.
type codeCombos struct {
	of    []int32   // each extract's combination
	codes [][]int32 // each combination's codes (places in Result.Codes), in order
}

func newCodeCombos(x *store, codeIdx map[string]int) *codeCombos {
	cc := &codeCombos{of: make([]int32, x.len()), codes: make([][]int32, len(x.codeSets))}
	for ei := range int32(x.len()) {
		cc.of[ei] = x.rec(ei).codes
	}
	for k, names := range x.codeSets {
		cc.codes[k] = make([]int32, len(names))
		for i, c := range names {
			cc.codes[k][i] = int32(codeIdx[c])
		}
	}
	return cc
}

// extractsOf lists, for each of n things (codes, themes), the extracts whose
// combination has it (per gives a combination's things, each once), in
// extract order.
func (cc *codeCombos) extractsOf(n int, per func(combo int) []int32) [][]int32 {
	count := make([]int, n)
	for _, k := range cc.of {
		for _, x := range per(int(k)) {
			count[x]++
		}
	}
	out := make([][]int32, n)
	for x, c := range count {
		out[x] = make([]int32, 0, c)
	}
	for ei, k := range cc.of {
		for _, x := range per(int(k)) {
			out[x] = append(out[x], int32(ei))
		}
	}
	return out
}

// themes gives each combination's themes (places in Result.Themes, in
// order): those whose closure holds one of its codes; codeThemes are each
// code's.
func (cc *codeCombos) themes(codeThemes [][]int32, n int) [][]int32 {
	out := make([][]int32, len(cc.codes))
	in := make([]bool, n)
	for k, codes := range cc.codes {
		for _, ci := range codes {
			for _, ti := range codeThemes[ci] {
				in[ti] = true
			}
		}
		for ti, ok := range in {
			if ok {
				out[k] = append(out[k], int32(ti))
				in[ti] = false
			}
		}
	}
	return out
}

func studiesOf(r *Result, extracts []int32, studyOf []int32) []*Study {
	has := make([]bool, len(r.Studies))
	for _, ei := range extracts {
		has[studyOf[ei]] = true
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
	where := fmt.Sprintf("%s:%d:%d", filepath.Base(in.p.File), rule.At.Line, rule.At.Col)
	if !in.table {
		return errorAt(where, "sensitivity.exclude needs a studies table with a %q column; add \"studies:\" to synth.yaml", rule.Exclude.Column)
	}
	s := &Sensitivity{Column: rule.Exclude.Column, Values: rule.Exclude.Values, Excluded: []*Study{}}
	r.Sensitivity = s
	if col < 0 {
		// A rule that matches nothing leaves the analysis empty: a warning,
		// so that the build still shows the main synthesis.
		msg := fmt.Sprintf("sensitivity.exclude names column %q, which the studies table does not have, so no study is excluded", rule.Exclude.Column)
		if s := fold.Suggest(rule.Exclude.Column, r.StudyColumns); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; its columns are " + strings.Join(r.StudyColumns, ", ")
		}
		in.warnings = append(in.warnings, Warning{Kind: WarnSensitivityUnmatched, Where: where, Message: msg})
		return nil
	}
	drop := map[string]bool{}
	for _, v := range rule.Exclude.Values {
		drop[fold.Key(v)] = true
	}
	s.Column = r.StudyColumns[col]
	for _, st := range r.Studies {
		if drop[fold.Key(st.Fields[col])] {
			st.Excluded = true
			s.Excluded = append(s.Excluded, st)
		}
	}
	if len(s.Excluded) == 0 {
		var vals []string
		for _, st := range r.Studies {
			if v := strings.TrimSpace(st.Fields[col]); v != "" && !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		msg := fmt.Sprintf("sensitivity.exclude matches no study: no %s value is %s", s.Column, quoteAll(rule.Exclude.Values))
		if len(vals) > 0 {
			msg += "; the values are " + quoteAll(vals)
		}
		in.warnings = append(in.warnings, Warning{Kind: WarnSensitivityUnmatched, Where: where, Message: msg})
	}
	return nil
}

func sensitiveSupport(ts *ThemeStat) *ThemeSensitivity {
	s := &ThemeSensitivity{}
	for _, st := range ts.Studies {
		if !st.Excluded {
			s.Studies++
		}
	}
	for i := range ts.Extracts.Len() {
		if !ts.Extracts.study(i).Excluded {
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

// quoteIndex holds what choosing quotes needs of every extract, computed
// once rather than per theme.
type quoteIndex struct {
	r       *Result
	x       *store
	cc      *codeCombos
	studyOf []int32          // each extract's place in Result.Studies
	author  []bool           // each extract's kind, true for an author's: every theme's scan reads it, 1 byte an extract against a 56-byte record
	byID    map[string]int32 // place in Result.Extracts of the first extract with each folded ID; built when a quote is pinned
	// quoted counts the themes each extract illustrates so far, so that the
	// choice spreads across themes (themes in codebook order).
	quoted []int32
}

func newQuoteIndex(r *Result, cc *codeCombos, studyOf []int32, author []bool) *quoteIndex {
	n := r.Extracts.Len()
	return &quoteIndex{r: r, x: r.Extracts.s, cc: cc, studyOf: studyOf, author: author, quoted: make([]int32, n)}
}

// distance is how far an extract's length in characters is from 200.
func (qi *quoteIndex) distance(ei int32) int32 {
	n := qi.x.textRunes(ei) - 200
	return max(n, -n)
}

// extract finds an extract by ID, as a pinned quote names it: its place in
// Result.Extracts, or -1.
func (qi *quoteIndex) extract(id string) int32 {
	if qi.byID == nil {
		qi.byID = make(map[string]int32, qi.x.len())
		for ei := range int32(qi.x.len()) {
			if k := fold.Key(qi.x.id(ei)); qi.byID[k] == 0 {
				qi.byID[k] = ei + 1
			}
		}
	}
	return qi.byID[fold.Key(id)] - 1
}

// quoteCand is a study's best quotation for a theme so far: best is its
// extract (-1 for none), hits the theme's codes on it, close minus its
// distance from 200 characters, quoted the themes it already illustrates;
// n counts the study's extracts of the theme.
type quoteCand struct {
	study       int
	n           int
	best        int32
	hits, close int32
	quoted      int32
}

// offer takes o's extract as the best if it is better: illustrating fewer
// themes, then carrying more of the theme's codes, then nearer 200
// characters. On a tie the extract offered first stays.
func (c *quoteCand) offer(o quoteCand) {
	if o.best < 0 {
		return
	}
	if c.best < 0 || o.quoted < c.quoted || o.quoted == c.quoted && (o.hits > c.hits || o.hits == c.hits && o.close > c.close) {
		c.best, c.hits, c.close, c.quoted = o.best, o.hits, o.close, o.quoted
	}
}

// quoteHalves is the size of a theme from which quotes scans its extracts
// in two halves at once (a variable so that a test can scan small themes
// so too).
var quoteHalves = 1 << 16

// quotes chooses a theme's illustrative quotes: the pinned extracts first
// (each must support the theme: an error otherwise), then participant
// quotations, one per study, from the studies that support the theme most
// (ties in study order), each the quotation that illustrates fewest of the
// themes chosen for before it (themes in codebook order), so that one
// extract does not illustrate many themes while others go unused; then the
// one carrying most of the theme's codes; then the one nearest 200
// characters; then the first. The choice depends only on the data, so it is
// the same every build.
// idx are the indexes of the theme's extracts.
func (in *input) quotes(ts *ThemeStat, idx []int32, qi *quoteIndex) ([]*Extract, error) {
	r, x := qi.r, qi.x
	out := []*Extract{}
	var pinned []int32
	used := make([]bool, len(r.Studies))
	for _, id := range ts.Theme.Quotes {
		fi := qi.extract(id)
		if fi < 0 {
			return nil, errorAt(fmt.Sprintf("%s:%d:%d", in.cb.File, ts.Theme.Line, ts.Theme.Col),
				"theme %q pins quote %q, which is the ID of no extract", ts.ID, id)
		}
		found := x.extract(fi)
		if _, ok := slices.BinarySearch(idx, fi); !ok {
			// A quote illustrates a theme only if the theme's codes are on it.
			return nil, errorAt(fmt.Sprintf("%s:%d:%d", in.cb.File, ts.Theme.Line, ts.Theme.Col),
				"theme %q pins quote %q, which does not support it: its codes (%s) are none of the theme's; pin an extract coded with one of them",
				ts.ID, id, strings.Join(found.Codes, "; "))
		}
		out = append(out, found)
		pinned = append(pinned, fi)
		used[qi.studyOf[fi]] = true
		qi.quoted[fi]++
	}
	inClosure := make([]bool, len(r.Codes))
	for i, cs := range r.Codes {
		inClosure[i] = slices.Contains(ts.Closure, cs.Name)
	}
	// Each study's best quotation, scanning idx in order; a large theme is
	// scanned in two halves at once, whose bests are merged as one scan
	// would have chosen (the first half's wins a tie).
	scan := func(part []int32) []*quoteCand {
		var cands []*quoteCand // in order of each study's first extract
		byStudy := make([]*quoteCand, len(r.Studies))
		for _, ei := range part {
			si := int(qi.studyOf[ei])
			c := byStudy[si]
			if c == nil {
				c = &quoteCand{study: si, best: -1}
				byStudy[si] = c
				cands = append(cands, c)
			}
			c.n++
			if qi.author[ei] || slices.Contains(pinned, ei) {
				continue
			}
			var hits int32
			for _, code := range qi.cc.codes[qi.cc.of[ei]] {
				if inClosure[code] {
					hits++
				}
			}
			c.offer(quoteCand{best: ei, hits: hits, close: -qi.distance(ei), quoted: qi.quoted[ei]})
		}
		return cands
	}
	var cands []*quoteCand
	if len(idx) < quoteHalves {
		cands = scan(idx)
	} else {
		var second []*quoteCand
		done := make(chan struct{})
		go func() {
			defer close(done)
			second = scan(idx[len(idx)/2:])
		}()
		cands = scan(idx[:len(idx)/2])
		<-done
		byStudy := make([]*quoteCand, len(r.Studies))
		for _, c := range cands {
			byStudy[c.study] = c
		}
		for _, c := range second {
			if first := byStudy[c.study]; first != nil {
				first.n += c.n
				first.offer(*c)
			} else {
				cands = append(cands, c)
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b *quoteCand) int { return b.n - a.n })
	for _, c := range cands {
		if len(out) >= MaxQuotes {
			break
		}
		if c.best >= 0 && !used[c.study] {
			out = append(out, x.extract(c.best))
			used[c.study] = true
			qi.quoted[c.best]++
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
		if u.hint != "" {
			msg += u.hint
		} else if s := in.cb.Suggest(cmp.Or(u.suggestFor, u.name)); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		if u.cells > 1 {
			msg += fmt.Sprintf(" (%d cells)", u.cells)
		}
		w = append(w, Warning{Kind: WarnUnknownCode, Message: msg, Where: u.where})
	}
	x := in.store
	for i := range int32(x.len()) {
		if x.rec(i).codes == 0 {
			w = append(w, Warning{Kind: WarnUncodedExtract, Where: x.codesWhere(i),
				Message: fmt.Sprintf("extract %s has no codes", x.id(i))})
		}
	}
	w = append(w, in.prismaWarnings(len(r.Studies))...)
	for _, cw := range in.cb.Warnings {
		w = append(w, codebookWarning(cw))
	}
	undefined := map[string]bool{} // places of theme-code-undefined names
	for _, cw := range in.cb.Warnings {
		if cw.Kind == codebook.WarnThemeCodeUndefined {
			undefined[cw.Where] = true
		}
	}
	for _, c := range in.cb.Codes {
		cs := r.Codes[codeIdx[c.Name]]
		where := in.codeWhere(c)
		if cs.Extracts == 0 && !undefined[where] {
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
		if gaps := cerqualGaps(ts); len(gaps) > 0 {
			w = append(w, Warning{Kind: WarnCERQualMissing, Where: where,
				Message: fmt.Sprintf("the finding of theme %q %s", ts.Name, strings.Join(gaps, "; "))})
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

// copyCERQual copies a codebook assessment into the Result's own type.
func copyCERQual(c *codebook.CERQual) *CERQual {
	if c == nil {
		return nil
	}
	comp := func(x codebook.Component) CERQualComponent {
		return CERQualComponent{Concern: x.Concern, Explanation: x.Explanation}
	}
	return &CERQual{
		MethodologicalLimitations: comp(c.MethodologicalLimitations),
		Coherence:                 comp(c.Coherence),
		Adequacy:                  comp(c.Adequacy),
		Relevance:                 comp(c.Relevance),
		Confidence:                c.Confidence,
		Explanation:               c.Explanation,
	}
}

// cerqualGaps says what a review finding's GRADE-CERQual assessment lacks
// (warning kind WarnCERQualMissing), or returns nil.
//
// A review finding is a theme that states a finding: or carries a cerqual:
// assessment, at any level: a review may assess descriptive findings as
// well as analytical ones (GRADE-CERQual assesses whatever the review
// reports as a finding), and each such theme is a row of the Summary of
// Qualitative Findings, so each needs its assessment. Following Lewin et al.
// 2018 (Implementation Science 13(Suppl 1):2), where every finding is
// assessed on all four components, the Evidence Profile explains each
// judgement that lowers confidence, and the Summary of Qualitative Findings
// gives for every finding an explanation of its overall confidence, the gaps
// are:
//   - no cerqual: assessment at all;
//   - a component (methodological limitations, coherence, adequacy,
//     relevance) with no concern;
//   - a component whose concern is minor, moderate or serious with no
//     explanation ("none", no or very minor concerns, lowers nothing, so
//     it needs none);
//   - no overall confidence, when no component is assessed either (with
//     components assessed, cerqual-inconsistent already says so);
//   - an overall confidence with no explanation.
//
// A theme with neither a finding nor an assessment is not a finding and
// has no gaps.
func cerqualGaps(ts *ThemeStat) []string {
	c := ts.CERQual
	if c == nil {
		if ts.Finding == "" {
			return nil
		}
		return []string{"has no GRADE-CERQual assessment; add cerqual: with the concerns about methodological limitations, coherence, adequacy and relevance, each with an explanation, and the overall confidence with its explanation"}
	}
	var gaps, unassessed []string
	assessed := 0
	for _, comp := range c.Components() {
		switch {
		case comp.Concern == "":
			unassessed = append(unassessed, strings.ToLower(comp.Name))
		case comp.Concern != codebook.ConcernNone && comp.Explanation == "":
			assessed++
			gaps = append(gaps, fmt.Sprintf("has %s concerns about %s without an explanation", comp.Concern, strings.ToLower(comp.Name)))
		default:
			assessed++
		}
	}
	if len(unassessed) > 0 {
		gaps = append([]string{"does not assess " + strings.Join(unassessed, ", ")}, gaps...)
	}
	if c.Confidence == "" && assessed == 0 {
		gaps = append(gaps, "has no overall confidence")
	}
	if c.Explanation == "" {
		gaps = append(gaps, "has no explanation of its overall confidence, which the Summary of Qualitative Findings gives for every finding")
	}
	return gaps
}
