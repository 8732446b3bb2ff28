package codebook

import (
	"cmp"
	"slices"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
)

// ChangeKind names one kind of change between two codebooks.
type ChangeKind string

// The kinds of change Compare reports, in the order it lists them.
const (
	Renamed      ChangeKind = "renamed"       // the same code or theme under another name
	Merged       ChangeKind = "merged"        // several OLD codes or themes became one NEW one
	Split        ChangeKind = "split"         // one OLD code or theme became several NEW ones
	Moved        ChangeKind = "moved"         // under other parent themes
	Redefined    ChangeKind = "redefined"     // a code's definition changed
	CodesChanged ChangeKind = "codes-changed" // a theme names other codes of its own
	Added        ChangeKind = "added"
	Removed      ChangeKind = "removed"
)

var kindOrder = []ChangeKind{Renamed, Merged, Split, Moved, Redefined, CodesChanged, Added, Removed}

// What showed a rename, merge or split (CodeChange.By).
const (
	ByAlias    = "alias"    // a name of one codebook is an alias in the other
	ByExtracts = "extracts" // the codes' extracts in the two projects
	ByCodes    = "codes"    // themes: the codes under them
)

// Evidence gives the extracts that carry each code in a project: code name
// as the project's codebook spells it → extract ids (any order; duplicates
// are ignored). Codes that no extract carries may be left out.
type Evidence map[string][]string

// Diff is what changed from an OLD codebook to a NEW one: every code and
// theme change, each listed once, in the order of kindOrder and, within a
// kind, of the OLD codebook (changes with no OLD side after, in the NEW
// codebook's order).
type Diff struct {
	Codes  []CodeChange
	Themes []ThemeChange
	// ByExtracts is true when the comparison also read the extracts of two
	// projects (Evidence for both sides).
	ByExtracts bool

	themeTo map[string]string // OLD theme id → the NEW theme id it continues as
}

// CodeChange is one change of codes. Names are as each codebook spells them.
type CodeChange struct {
	Kind ChangeKind `json:"kind"`
	Old  []string   `json:"old,omitempty"` // the OLD codes (several for a merge)
	New  []string   `json:"new,omitempty"` // the NEW codes (several for a split)
	By   string     `json:"by,omitempty"`  // renamed, merged, split: ByAlias or ByExtracts
	// Moved: the ids of the themes that name the code as their own, in
	// each codebook's theme order.
	OldThemes []string `json:"old_themes,omitempty"`
	NewThemes []string `json:"new_themes,omitempty"`
	// Redefined: the definitions.
	OldDefinition string `json:"old_definition,omitempty"`
	NewDefinition string `json:"new_definition,omitempty"`
}

// ThemeRef names a theme of one codebook.
type ThemeRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ThemeChange is one change of themes.
type ThemeChange struct {
	Kind ChangeKind `json:"kind"`
	Old  []ThemeRef `json:"old,omitempty"`
	New  []ThemeRef `json:"new,omitempty"`
	By   string     `json:"by,omitempty"` // renamed with another id, merged, split: ByCodes
	// Moved: the parents' ids in each codebook ([] for a top-level theme)
	// and the levels.
	OldParents []string `json:"old_parents,omitempty"`
	NewParents []string `json:"new_parents,omitempty"`
	OldLevel   string   `json:"old_level,omitempty"`
	NewLevel   string   `json:"new_level,omitempty"`
	// CodesChanged: the theme's own codes gained (NEW spelling) and lost
	// (OLD spelling).
	CodesAdded   []string `json:"codes_added,omitempty"`
	CodesRemoved []string `json:"codes_removed,omitempty"`
}

// ContinuesAs returns the id of the NEW theme that the OLD theme oldID
// continues as: itself when NEW has that id, the theme it was renamed to
// under another id, or the theme it was merged into; "" when it was removed
// or split.
func (d *Diff) ContinuesAs(oldID string) string { return d.themeTo[oldID] }

// Compare tells what changed from codebook old to codebook new. oldEv and
// newEv, when both are given, are the extracts of each code in the two
// projects, and let Compare find renames, merges and splits that the
// codebooks alone do not show.
//
// Codes are the same code when their names match after fold.Key (NFC, case
// folding, collapsed white space). Of the others, an OLD code that NEW lacks
// is gone and a NEW code that OLD lacks is fresh; the rules, applied in this
// order, each to the codes no earlier rule placed:
//
//  1. By alias, merge and rename: a gone code whose name is an alias of a NEW
//     code goes to that code. A NEW code that gains one gone code and did
//     not exist in OLD is that code renamed; one that gains two or more, or
//     gains one and existed in OLD, is their merge (the codes that went in,
//     itself included when it existed in OLD).
//  2. By alias, split: fresh codes whose names are aliases of one OLD code
//     come from it. One fresh code from a gone code is a rename; two or
//     more, or one from a code NEW keeps, is a split (the NEW codes, the
//     kept code included).
//  3. By extracts (projects only), merge and rename: a gone code X carried
//     by at least one extract goes to the NEW code Y when every extract of
//     X in OLD carries Y in NEW and Y is the only code with the fewest
//     extracts that does; Y must be fresh, or kept with other extracts
//     than before. Y's NEW extracts must then be exactly the union of the
//     OLD extracts of the codes that went to it (and its own OLD ones when
//     kept), else nothing goes to Y. Then as rule 1.
//  4. By extracts, split: a fresh code F carried by at least one extract
//     comes from the OLD code X when all of F's NEW extracts carried X in
//     OLD and X is the only code with the fewest extracts that qualifies;
//     X must be gone, or kept with other extracts than before. X's OLD
//     extracts must be exactly the union of the NEW extracts of the codes
//     from it (and its own NEW ones when kept). Then as rule 2.
//  5. Fresh codes left are added, gone codes left removed. A code in both
//     codebooks (kept, or renamed) has moved when the set of themes naming
//     it as their own differs (OLD theme ids read as the themes they
//     continue as), and is redefined when its definition differs.
//
// Extract ids are compared as written, so rules 3 and 4 need extracts
// identified alike in both projects (an ID column).
//
// Themes are the same theme when their ids match. Each theme is compared by
// its code closure, OLD codes read as the NEW codes they became (a removed
// code drops out; a split code stands for all its parts) and NEW codes
// less the added ones, which drop out as removed codes do. Of the others:
//
//  6. Renamed under another id (common when the id is the slug of a name
//     that changed): a gone theme and a fresh theme with the same closure,
//     not empty, when no other gone or fresh theme has that closure (or
//     as many gone as fresh do, paired in codebook order).
//  7. Merged: a gone theme S goes to the NEW theme T whose closure holds
//     S's and is the only smallest such; T fresh, or kept with another
//     closure than before. T's closure must be exactly the union of the
//     closures of the themes that went to it (its own OLD one when kept);
//     a theme whose ancestor went to T too is not listed. Two or more
//     themes (T itself when kept) make a merge; one gone into a fresh T is
//     a rename.
//  8. Split: as 7 the other way: fresh themes whose closures fall in one
//     OLD theme's (the only smallest such) and together make it up; a fresh
//     theme whose ancestor is a part too is not listed.
//  9. A theme in both (same id, or renamed) is renamed when its name
//     differs, moved when the set of its parents' ids differs (OLD parents
//     read as the themes they continue as), and has its codes changed when
//     its own codes differ and it took part in no merge or split. Fresh
//     themes left are added, gone ones removed.
func Compare(old, new *Codebook, oldEv, newEv Evidence) *Diff {
	c := newComparison(old, new, oldEv != nil && newEv != nil)
	if c.byExtracts {
		c.oldEv, c.newEv = c.evidence(old, oldEv), c.evidence(new, newEv)
	}
	c.codes()
	c.themes()
	c.codeChanges()
	return c.diff
}

// keyed is a code of one side with its place in that codebook.
type keyed struct {
	code *Code
	pos  int
}

type comparison struct {
	old, new     *Codebook
	oldCodes     map[string]keyed // fold.Key(name) → code
	newCodes     map[string]keyed
	byExtracts   bool
	oldEv, newEv map[string]set      // fold.Key(code) → extract ids
	dest         map[string]string   // gone OLD code → the NEW code it went to
	parts        map[string][]string // OLD code → the fresh NEW codes split from it
	origin       map[string][]string // NEW code → the gone OLD codes that went to it
	by           map[string]string   // NEW code (merge, rename) or OLD code (split) → ByAlias or ByExtracts
	fromSplit    map[string]bool     // fresh NEW code split from an OLD one
	diff         *Diff
	oldTheme     map[string]int // theme id → place in Themes
	newTheme     map[string]int
	splitTheme   map[string][]string
	themeOrigins map[string][]string
	renamedTheme map[string]string // gone OLD theme id → fresh NEW theme id
	themeRelated map[string]bool   // OLD or NEW theme id (prefixed) in a merge or split
}

type set map[string]bool

func newComparison(old, new *Codebook, byExtracts bool) *comparison {
	c := &comparison{
		old: old, new: new,
		oldCodes: keyCodes(old), newCodes: keyCodes(new),
		byExtracts: byExtracts,
		dest:       map[string]string{}, parts: map[string][]string{}, origin: map[string][]string{},
		by: map[string]string{}, fromSplit: map[string]bool{},
		diff:     &Diff{ByExtracts: byExtracts, themeTo: map[string]string{}},
		oldTheme: themeIndex(old), newTheme: themeIndex(new),
		splitTheme:   map[string][]string{},
		themeOrigins: map[string][]string{}, renamedTheme: map[string]string{},
		themeRelated: map[string]bool{},
	}
	return c
}

func keyCodes(cb *Codebook) map[string]keyed {
	m := make(map[string]keyed, len(cb.Codes))
	for i, c := range cb.Codes {
		k := fold.Key(c.Name)
		if _, ok := m[k]; !ok {
			m[k] = keyed{c, i}
		}
	}
	return m
}

func themeIndex(cb *Codebook) map[string]int {
	m := make(map[string]int, len(cb.Themes))
	for i, t := range cb.Themes {
		m[t.ID] = i
	}
	return m
}

// evidence keys ev by fold.Key of the codebook's code each name stands for.
func (c *comparison) evidence(cb *Codebook, ev Evidence) map[string]set {
	out := map[string]set{}
	for name, ids := range ev {
		k := fold.Key(name)
		if canon, ok := cb.Lookup(name); ok {
			k = fold.Key(canon)
		}
		s := out[k]
		if s == nil {
			s = set{}
			out[k] = s
		}
		for _, id := range ids {
			s[id] = true
		}
	}
	return out
}

// gone and fresh list the codes of one side the other lacks, in order.
func (c *comparison) gone() []string  { return missing(c.old, c.newCodes) }
func (c *comparison) fresh() []string { return missing(c.new, c.oldCodes) }

func missing(cb *Codebook, other map[string]keyed) []string {
	var out []string
	for _, code := range cb.Codes {
		if k := fold.Key(code.Name); other[k].code == nil && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// placed reports whether an OLD code is already explained; taken whether a
// NEW code is.
func (c *comparison) placed(oldKey string) bool {
	_, d := c.dest[oldKey]
	return d || len(c.parts[oldKey]) > 0
}
func (c *comparison) taken(newKey string) bool {
	return len(c.origin[newKey]) > 0 || c.fromSplit[newKey]
}

func (c *comparison) codes() {
	gone, fresh := c.gone(), c.fresh()
	// 1. A gone code named as an alias in NEW.
	for _, g := range gone {
		if y := c.new.index().lookupKey(c.oldCodes[g].code.Name); y != nil {
			c.goTo(g, fold.Key(y.Name), ByAlias)
		}
	}
	// 2. Fresh codes named as aliases of one OLD code.
	for _, f := range fresh {
		if c.taken(f) {
			continue
		}
		if x := c.old.index().lookupKey(c.newCodes[f].code.Name); x != nil {
			if xk := fold.Key(x.Name); c.dest[xk] == "" && len(c.origin[xk]) == 0 {
				c.splitOff(xk, f, ByAlias)
			}
		}
	}
	if !c.byExtracts {
		return
	}
	// 3. Merges and renames by extracts.
	claims := map[string][]string{} // NEW code → gone codes claiming it
	for _, g := range gone {
		if c.placed(g) || len(c.oldEv[g]) == 0 {
			continue
		}
		if y := c.smallestHolder(c.oldEv[g], c.newCodes, c.newEv, func(k string) bool {
			if c.fromSplit[k] {
				return false
			}
			_, kept := c.oldCodes[k]
			return !kept && len(c.origin[k]) == 0 || kept && !sameSet(c.oldEv[k], c.newEv[k])
		}); y != "" {
			claims[y] = append(claims[y], g)
		}
	}
	for _, y := range sortedKeys(claims, c.newCodes) {
		union := set{}
		if _, kept := c.oldCodes[y]; kept {
			addAll(union, c.oldEv[y])
		}
		for _, g := range claims[y] {
			addAll(union, c.oldEv[g])
		}
		for _, g := range c.origin[y] {
			addAll(union, c.oldEv[g])
		}
		if sameSet(union, c.newEv[y]) {
			for _, g := range claims[y] {
				c.goTo(g, y, ByExtracts)
			}
		}
	}
	// 4. Splits by extracts.
	from := map[string][]string{} // OLD code → fresh codes claiming it
	for _, f := range fresh {
		if c.taken(f) || len(c.newEv[f]) == 0 {
			continue
		}
		if x := c.smallestHolder(c.newEv[f], c.oldCodes, c.oldEv, func(k string) bool {
			if _, d := c.dest[k]; d || len(c.origin[k]) > 0 {
				return false
			}
			_, kept := c.newCodes[k]
			return !kept || !sameSet(c.oldEv[k], c.newEv[k])
		}); x != "" {
			from[x] = append(from[x], f)
		}
	}
	for _, x := range sortedKeys(from, c.oldCodes) {
		union := set{}
		_, kept := c.newCodes[x]
		if kept {
			addAll(union, c.newEv[x])
		}
		for _, f := range append(slices.Clone(c.parts[x]), from[x]...) {
			addAll(union, c.newEv[f])
		}
		if sameSet(union, c.oldEv[x]) {
			for _, f := range from[x] {
				c.splitOff(x, f, ByExtracts)
			}
		}
	}
}

// goTo records that gone OLD code g went to NEW code y.
func (c *comparison) goTo(g, y, by string) {
	c.dest[g] = y
	c.origin[y] = append(c.origin[y], g)
	if c.by[y] == "" {
		c.by[y] = by
	}
}

// splitOff records that fresh NEW code f came from OLD code x.
func (c *comparison) splitOff(x, f, by string) {
	c.parts[x] = append(c.parts[x], f)
	c.fromSplit[f] = true
	if c.by["old:"+x] == "" {
		c.by["old:"+x] = by
	}
}

// smallestHolder returns the code of codes, allowed by ok, whose extracts
// (in ev) hold all of want and are fewest; "" when none is, or two tie.
func (c *comparison) smallestHolder(want set, codes map[string]keyed, ev map[string]set, ok func(string) bool) string {
	best, n, tie := "", 0, false
	for _, k := range sortedKeys(ev, codes) {
		have := ev[k]
		if _, isCode := codes[k]; !isCode || !ok(k) || !subset(want, have) {
			continue
		}
		switch {
		case best == "" || len(have) < n:
			best, n, tie = k, len(have), false
		case len(have) == n:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// sortedKeys returns m's keys in the order of codes' codebook (keys not in
// it last, sorted), so that every walk is deterministic.
func sortedKeys[V any](m map[string]V, codes map[string]keyed) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ca, oka := codes[a]
		cb, okb := codes[b]
		switch {
		case oka && okb:
			return cmp.Compare(ca.pos, cb.pos)
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}

func subset(a, b set) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func sameSet(a, b set) bool { return len(a) == len(b) && subset(a, b) }

func addAll(dst, src set) {
	for k := range src {
		dst[k] = true
	}
}

// mapCode gives the NEW codes an OLD code became: itself when kept, where
// it went, or its parts; none when removed.
func (c *comparison) mapCode(oldKey string) []string {
	var out []string
	if _, kept := c.newCodes[oldKey]; kept {
		out = append(out, oldKey)
	}
	if d, ok := c.dest[oldKey]; ok {
		out = append(out, d)
	}
	return append(out, c.parts[oldKey]...)
}

// oldClosure is an OLD theme's code closure read as NEW codes; newClosure a
// NEW theme's. A removed code drops out of the one and an added code out
// of the other, so that comparing NEW with OLD tells the story of comparing
// OLD with NEW backwards.
func (c *comparison) oldClosure(t *Theme) set {
	s := set{}
	for _, name := range c.old.Closure(t) {
		for _, k := range c.mapCode(fold.Key(name)) {
			s[k] = true
		}
	}
	return s
}

func (c *comparison) newClosure(t *Theme) set {
	s := set{}
	for _, name := range c.new.Closure(t) {
		k := fold.Key(name)
		if _, kept := c.oldCodes[k]; !kept && !c.taken(k) {
			continue // added: it drops out, as a removed code does from oldClosure
		}
		s[k] = true
	}
	return s
}

func signature(s set) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, "\x00")
}

func (c *comparison) themes() {
	oldC := make([]set, len(c.old.Themes))
	for i, t := range c.old.Themes {
		oldC[i] = c.oldClosure(t)
	}
	newC := make([]set, len(c.new.Themes))
	for i, t := range c.new.Themes {
		newC[i] = c.newClosure(t)
	}
	var gone, fresh []int
	for i, t := range c.old.Themes {
		if _, ok := c.newTheme[t.ID]; ok {
			c.diff.themeTo[t.ID] = t.ID
		} else {
			gone = append(gone, i)
		}
	}
	for i, t := range c.new.Themes {
		if _, ok := c.oldTheme[t.ID]; !ok {
			fresh = append(fresh, i)
		}
	}
	// 6. Renamed under another id: the same closure, paired in order.
	bySig := map[string][2][]int{}
	var sigs []string
	for _, i := range gone {
		if len(oldC[i]) == 0 {
			continue
		}
		s := signature(oldC[i])
		if _, ok := bySig[s]; !ok {
			sigs = append(sigs, s)
		}
		p := bySig[s]
		p[0] = append(p[0], i)
		bySig[s] = p
	}
	for _, j := range fresh {
		if s := signature(newC[j]); len(newC[j]) > 0 {
			if p, ok := bySig[s]; ok {
				p[1] = append(p[1], j)
				bySig[s] = p
			}
		}
	}
	freshTaken := map[int]bool{}
	goneTaken := map[int]bool{}
	for _, s := range sigs {
		p := bySig[s]
		if len(p[0]) != len(p[1]) {
			continue
		}
		for k, i := range p[0] {
			j := p[1][k]
			c.renameTheme(i, j)
			goneTaken[i], freshTaken[j] = true, true
		}
	}
	// 7. Merges: each gone theme to the smallest NEW theme holding it.
	mergeable := func(j int) bool {
		t := c.new.Themes[j]
		if oi, kept := c.oldTheme[t.ID]; kept {
			return !sameSet(oldC[oi], newC[j])
		}
		return !freshTaken[j]
	}
	into := gather(gone, oldC, newC, func(i int) bool { return goneTaken[i] }, mergeable,
		func(j int) set {
			if oi, kept := c.oldTheme[c.new.Themes[j].ID]; kept {
				return oldC[oi]
			}
			return nil
		})
	for j := range c.new.Themes {
		srcs := into[j]
		if len(srcs) == 0 {
			continue
		}
		t := c.new.Themes[j]
		_, kept := c.oldTheme[t.ID]
		srcs = outermost(c.old, srcs)
		if !kept && len(srcs) == 1 {
			c.renameTheme(srcs[0], j)
			goneTaken[srcs[0]], freshTaken[j] = true, true
			continue
		}
		var ids []string
		if kept {
			ids = append(ids, t.ID)
		}
		for _, i := range into[j] {
			goneTaken[i] = true
			c.diff.themeTo[c.old.Themes[i].ID] = t.ID
		}
		for _, i := range srcs {
			ids = append(ids, c.old.Themes[i].ID)
		}
		slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(c.oldTheme[a], c.oldTheme[b]) })
		freshTaken[j] = true
		c.themeOrigins[t.ID] = ids
		c.themeRelated["new:"+t.ID] = true
		for _, id := range ids {
			c.themeRelated["old:"+id] = true
		}
	}
	// 8. Splits: each fresh theme to the smallest OLD theme holding it.
	splittable := func(i int) bool {
		t := c.old.Themes[i]
		if c.themeRelated["old:"+t.ID] {
			return false
		}
		if nj, kept := c.newTheme[t.ID]; kept {
			return !sameSet(oldC[i], newC[nj])
		}
		return !goneTaken[i]
	}
	from := gather(fresh, newC, oldC, func(j int) bool { return freshTaken[j] }, splittable,
		func(i int) set {
			if nj, kept := c.newTheme[c.old.Themes[i].ID]; kept {
				return newC[nj]
			}
			return nil
		})
	for i := range c.old.Themes {
		pts := from[i]
		if len(pts) == 0 {
			continue
		}
		t := c.old.Themes[i]
		_, kept := c.newTheme[t.ID]
		pts = outermost(c.new, pts)
		if !kept && len(pts) == 1 {
			c.renameTheme(i, pts[0])
			continue
		}
		var ids []string
		if kept {
			ids = append(ids, t.ID)
		}
		for _, j := range pts {
			ids = append(ids, c.new.Themes[j].ID)
		}
		slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(c.newTheme[a], c.newTheme[b]) })
		c.splitTheme[t.ID] = ids
		c.themeRelated["old:"+t.ID] = true
		for _, id := range ids {
			c.themeRelated["new:"+id] = true
		}
		for _, j := range from[i] {
			freshTaken[j] = true
		}
		goneTaken[i] = true
	}
	c.themeChanges(oldC, newC, goneTaken, freshTaken)
}

// gather gives each theme of from (indexes into fromC, less those taken
// and those with no codes) to the theme of toC, allowed by ok, with the
// smallest closure holding its own, and keeps the groups whose closures,
// with base(target) (the target's closure on the other side, nil when it
// has none there), make up exactly the target's: target → members.
func gather(from []int, fromC, toC []set, taken, ok func(int) bool, base func(int) set) map[int][]int {
	groups := map[int][]int{}
	for _, i := range from {
		if taken(i) || len(fromC[i]) == 0 {
			continue
		}
		if j := smallest(fromC[i], toC, ok); j >= 0 {
			groups[j] = append(groups[j], i)
		}
	}
	for j, members := range groups {
		union := set{}
		addAll(union, base(j))
		for _, i := range members {
			addAll(union, fromC[i])
		}
		if !sameSet(union, toC[j]) {
			delete(groups, j)
		}
	}
	return groups
}

// renameTheme records that OLD theme i goes on as NEW theme j under
// another id.
func (c *comparison) renameTheme(i, j int) {
	o, n := c.old.Themes[i], c.new.Themes[j]
	c.renamedTheme[o.ID] = n.ID
	c.diff.themeTo[o.ID] = n.ID
}

// smallest returns the index of the closure in cs, allowed by ok, that
// holds want and has the fewest codes; -1 when none does, or two tie.
func smallest(want set, cs []set, ok func(int) bool) int {
	best, tie := -1, false
	for i, s := range cs {
		if !ok(i) || !subset(want, s) {
			continue
		}
		switch {
		case best < 0 || len(s) < len(cs[best]):
			best, tie = i, false
		case len(s) == len(cs[best]):
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}

// outermost drops the themes (indexes into cb.Themes) that have an
// ancestor among them.
func outermost(cb *Codebook, idx []int) []int {
	in := map[*Theme]bool{}
	for _, i := range idx {
		in[cb.Themes[i]] = true
	}
	var out []int
	for _, i := range idx {
		if !hasAncestorIn(cb.Themes[i], in) {
			out = append(out, i)
		}
	}
	return out
}

func hasAncestorIn(t *Theme, in map[*Theme]bool) bool {
	seen := map[*Theme]bool{}
	stack := slices.Clone(t.Parents)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		if in[p] {
			return true
		}
		stack = append(stack, p.Parents...)
	}
	return false
}

func ref(t *Theme) ThemeRef { return ThemeRef{ID: t.ID, Name: t.Name} }

func (c *comparison) themeChanges(oldC, newC []set, goneTaken, freshTaken map[int]bool) {
	var out []ThemeChange
	oldRef := func(id string) ThemeRef { return ref(c.old.Themes[c.oldTheme[id]]) }
	newRef := func(id string) ThemeRef { return ref(c.new.Themes[c.newTheme[id]]) }
	for _, o := range c.old.Themes {
		nid, ok := c.diff.themeTo[o.ID]
		if !ok {
			continue
		}
		if c.themeOrigins[nid] != nil && nid != o.ID {
			continue // merged into nid
		}
		n := c.new.Themes[c.newTheme[nid]]
		if nid != o.ID || o.Name != n.Name {
			ch := ThemeChange{Kind: Renamed, Old: []ThemeRef{ref(o)}, New: []ThemeRef{ref(n)}}
			if nid != o.ID {
				ch.By = ByCodes
			}
			out = append(out, ch)
		}
		oldParents := make([]string, 0, len(o.Parents))
		for _, p := range o.Parents {
			oldParents = append(oldParents, cmp.Or(c.diff.themeTo[p.ID], "old:"+p.ID))
		}
		newParents := make([]string, 0, len(n.Parents))
		for _, p := range n.Parents {
			newParents = append(newParents, p.ID)
		}
		if !sameSet(toSet(oldParents), toSet(newParents)) {
			ch := ThemeChange{Kind: Moved, Old: []ThemeRef{ref(o)}, New: []ThemeRef{ref(n)},
				OldParents: themeIDs(o.Parents), NewParents: themeIDs(n.Parents)}
			if o.Level != n.Level {
				ch.OldLevel, ch.NewLevel = o.Level, n.Level
			}
			out = append(out, ch)
		}
		if c.themeRelated["old:"+o.ID] || c.themeRelated["new:"+n.ID] {
			continue
		}
		if added, removed := c.ownCodes(o, n); len(added)+len(removed) > 0 {
			out = append(out, ThemeChange{Kind: CodesChanged, Old: []ThemeRef{ref(o)}, New: []ThemeRef{ref(n)},
				CodesAdded: added, CodesRemoved: removed})
		}
	}
	for _, n := range c.new.Themes {
		if ids := c.themeOrigins[n.ID]; ids != nil {
			ch := ThemeChange{Kind: Merged, New: []ThemeRef{ref(n)}, By: ByCodes}
			for _, id := range ids {
				ch.Old = append(ch.Old, oldRef(id))
			}
			out = append(out, ch)
		}
	}
	for _, o := range c.old.Themes {
		if ids := c.splitTheme[o.ID]; ids != nil {
			ch := ThemeChange{Kind: Split, Old: []ThemeRef{ref(o)}, By: ByCodes}
			for _, id := range ids {
				ch.New = append(ch.New, newRef(id))
			}
			out = append(out, ch)
		}
	}
	for i, o := range c.old.Themes {
		if _, ok := c.newTheme[o.ID]; !ok && !goneTaken[i] && c.renamedTheme[o.ID] == "" {
			out = append(out, ThemeChange{Kind: Removed, Old: []ThemeRef{ref(o)}})
		}
	}
	renamedTo := map[string]bool{}
	for _, n := range c.renamedTheme {
		renamedTo[n] = true
	}
	for j, n := range c.new.Themes {
		if _, ok := c.oldTheme[n.ID]; !ok && !freshTaken[j] && !renamedTo[n.ID] {
			out = append(out, ThemeChange{Kind: Added, New: []ThemeRef{ref(n)}})
		}
	}
	pos := func(ch ThemeChange) (int, int) {
		if len(ch.Old) > 0 {
			return 0, c.oldTheme[ch.Old[0].ID]
		}
		return 1, c.newTheme[ch.New[0].ID]
	}
	sortChanges(out, func(ch ThemeChange) ChangeKind { return ch.Kind }, pos)
	c.diff.Themes = out
}

// sortChanges orders changes by kind (kindOrder), then those with an OLD
// side before those without, each by its place in its codebook (pos).
func sortChanges[T any](out []T, kind func(T) ChangeKind, pos func(T) (side, place int)) {
	slices.SortStableFunc(out, func(a, b T) int {
		if d := cmp.Compare(slices.Index(kindOrder, kind(a)), slices.Index(kindOrder, kind(b))); d != 0 {
			return d
		}
		sa, pa := pos(a)
		sb, pb := pos(b)
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(pa, pb))
	})
}

func themeIDs(ts []*Theme) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func toSet(xs []string) set {
	s := set{}
	for _, x := range xs {
		s[x] = true
	}
	return s
}

// ownCodes compares a theme's own codes, OLD codes read as the NEW codes
// they became: the NEW codes it gained and the OLD codes it lost.
func (c *comparison) ownCodes(o, n *Theme) (added, removed []string) {
	had := set{}
	for _, name := range o.Codes {
		mapped := c.mapCode(fold.Key(name))
		lost := true
		for _, k := range mapped {
			had[k] = true
			if slices.ContainsFunc(n.Codes, func(s string) bool { return fold.Key(s) == k }) {
				lost = false
			}
		}
		if lost {
			removed = append(removed, name)
		}
	}
	for _, name := range n.Codes {
		if !had[fold.Key(name)] {
			added = append(added, name)
		}
	}
	return added, removed
}

// splitOrMerge reports whether every theme of oldIDs and newIDs took part
// in a theme merge or split, which then explains a code's other themes.
func (c *comparison) splitOrMerge(oldIDs, newIDs []string) bool {
	for _, id := range oldIDs {
		if !c.themeRelated["old:"+id] {
			return false
		}
	}
	for _, id := range newIDs {
		if !c.themeRelated["new:"+id] {
			return false
		}
	}
	return true
}

// themesNaming maps the key (fold.Key) of each code that cb's themes name as
// their own to those themes' ids, in theme order.
func themesNaming(cb *Codebook) map[string][]string {
	out := map[string][]string{}
	for _, t := range cb.Themes {
		for _, s := range t.Codes {
			k := fold.Key(s)
			if ids := out[k]; len(ids) == 0 || ids[len(ids)-1] != t.ID {
				out[k] = append(ids, t.ID)
			}
		}
	}
	return out
}

func (c *comparison) codeChanges() {
	var out []CodeChange
	oldName := func(k string) string { return c.oldCodes[k].code.Name }
	newName := func(k string) string { return c.newCodes[k].code.Name }
	// Pairs that are the same code on both sides: kept, or renamed.
	type pair struct{ o, n string }
	var pairs []pair
	for _, code := range c.old.Codes {
		k := fold.Key(code.Name)
		if c.oldCodes[k].code != code {
			continue
		}
		if _, kept := c.newCodes[k]; kept {
			if len(c.origin[k]) == 0 && len(c.parts[k]) == 0 {
				pairs = append(pairs, pair{k, k})
			}
			continue
		}
		if d, ok := c.dest[k]; ok && len(c.origin[d]) == 1 {
			if _, kept := c.oldCodes[d]; !kept {
				pairs = append(pairs, pair{k, d})
				out = append(out, CodeChange{Kind: Renamed, Old: []string{oldName(k)}, New: []string{newName(d)}, By: c.by[d]})
			}
		}
		if ps := c.parts[k]; len(ps) == 1 {
			pairs = append(pairs, pair{k, ps[0]})
			out = append(out, CodeChange{Kind: Renamed, Old: []string{oldName(k)}, New: []string{newName(ps[0])}, By: c.by["old:"+k]})
		}
	}
	oldNaming, newNaming := themesNaming(c.old), themesNaming(c.new)
	for _, p := range pairs {
		var oldThemes []string
		for _, id := range oldNaming[p.o] {
			oldThemes = append(oldThemes, cmp.Or(c.diff.themeTo[id], "old:"+id))
		}
		newThemes := newNaming[p.n]
		if !sameSet(toSet(oldThemes), toSet(newThemes)) && !c.splitOrMerge(oldNaming[p.o], newThemes) {
			out = append(out, CodeChange{Kind: Moved, Old: []string{oldName(p.o)}, New: []string{newName(p.n)},
				OldThemes: slices.Clone(oldNaming[p.o]), NewThemes: slices.Clone(newThemes)})
		}
		if od, nd := c.oldCodes[p.o].code.Definition, c.newCodes[p.n].code.Definition; od != nd {
			out = append(out, CodeChange{Kind: Redefined, Old: []string{oldName(p.o)}, New: []string{newName(p.n)},
				OldDefinition: od, NewDefinition: nd})
		}
	}
	for _, code := range c.new.Codes {
		k := fold.Key(code.Name)
		if c.newCodes[k].code != code {
			continue
		}
		origins := slices.Clone(c.origin[k])
		if _, kept := c.oldCodes[k]; kept && len(origins) > 0 {
			origins = append(origins, k)
		}
		if len(origins) < 2 {
			continue
		}
		slices.SortFunc(origins, func(a, b string) int { return cmp.Compare(c.oldCodes[a].pos, c.oldCodes[b].pos) })
		ch := CodeChange{Kind: Merged, New: []string{code.Name}, By: c.by[k]}
		for _, o := range origins {
			ch.Old = append(ch.Old, oldName(o))
		}
		out = append(out, ch)
	}
	for _, code := range c.old.Codes {
		k := fold.Key(code.Name)
		if c.oldCodes[k].code != code {
			continue
		}
		parts := slices.Clone(c.parts[k])
		if _, kept := c.newCodes[k]; kept && len(parts) > 0 {
			parts = append(parts, k)
		}
		if len(parts) < 2 {
			continue
		}
		slices.SortFunc(parts, func(a, b string) int { return cmp.Compare(c.newCodes[a].pos, c.newCodes[b].pos) })
		ch := CodeChange{Kind: Split, Old: []string{code.Name}, By: c.by["old:"+k]}
		for _, p := range parts {
			ch.New = append(ch.New, newName(p))
		}
		out = append(out, ch)
	}
	for _, k := range c.fresh() {
		if !c.taken(k) {
			out = append(out, CodeChange{Kind: Added, New: []string{newName(k)}})
		}
	}
	for _, k := range c.gone() {
		if !c.placed(k) {
			out = append(out, CodeChange{Kind: Removed, Old: []string{oldName(k)}})
		}
	}
	pos := func(ch CodeChange) (int, int) {
		if len(ch.Old) > 0 {
			return 0, c.oldCodes[fold.Key(ch.Old[0])].pos
		}
		return 1, c.newCodes[fold.Key(ch.New[0])].pos
	}
	sortChanges(out, func(ch CodeChange) ChangeKind { return ch.Kind }, pos)
	c.diff.Codes = out
}
