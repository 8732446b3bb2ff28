package strictyaml

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// scanner walks the source line by line, keeping the block structure, and
// notes suspects as it goes. It knows enough YAML to tell keys, list items,
// values, quotes, flow collections, block scalars and comments apart;
// anything it does not understand it leaves to the parser. Its findings are
// only suspects: diagnose keeps the one whose repair makes the file parse.
type scanner struct {
	lines [][]rune
	found []finding

	levels []level
	open   *level // the line above ended with "key:" or "-": a nested block may follow
	opener string // that key
	// emptied is the line that followed a "key:" at the key's indentation,
	// leaving the key empty: a line indented under the key where emptied
	// is expected may mean emptied should have been.
	emptied     int
	emptiedFrom level
	emptiedKey  string
	prev        int // the last line read as structure
	// dedented is a line that closed deeper collections (popped), for a
	// line after it indented like them: maybe dedented went too far.
	dedented int
	popped   []level
	plain    bool             // the line above ended with an unquoted value, which may go on below
	steps    map[stepKind]int // how often each step was used to indent a nested block

	block      bool // inside a block scalar (| or >)
	blockOf    int  // its lines are indented more than this
	blockInd   int  // its content indentation, -1 until known
	blockFirst int  // its first line with text

	flow        []bracket
	flowInd     int    // indentation of the line where the outermost bracket opened
	flowLast    int    // the last line with flow content
	flowLastAt  int    // where that content ends
	flowLastTok string // the last value read in the flow

	quote      *bracket // a quoted scalar ('"' or '\'') running over lines
	quoteInd   int      // indentation of the line where it opened
	quoteFlow  bool     // it is inside a flow collection
	quoteFirst int      // where the text of its first line ends
}

// stepKind is an indentation step and whether it indents a list: files
// often write lists at their key's indentation ("key:\n- a", a step of 0)
// and nest mappings by 2.
type stepKind struct {
	step int
	seq  bool
}

// level is an open block collection.
type level struct {
	ind     int  // indentation of its keys or dashes
	seq     bool // a list
	line    int  // 0-based line where it began
	entries int  // lines that began an entry of it
	step    int  // ind less that of the block it is nested in, or -1
	seqStep bool // step is that of a list (a mapping in a list item moves with its dash)
}

// bracket is an open [ or { (or quote) and the entry being read in it.
type bracket struct {
	ch        rune
	line, col int // 0-based
	colon     bool
	key       string // the entry's key, when read
	value     int    // where the entry's value begins, after its ": "
	start     bool   // at the start of a token
}

func scan(src []string) []finding {
	// Two spaces is the usual step: one block indented otherwise does not
	// outweigh it.
	s := &scanner{lines: make([][]rune, len(src)), steps: map[stepKind]int{{2, false}: 1, {2, true}: 1}, emptied: -1, prev: -1, dedented: -1}
	for i, l := range src {
		s.lines[i] = []rune(l)
	}
	for i := range s.lines {
		switch {
		case s.block && s.blockLine(i):
		case s.quote != nil:
			s.quoteLine(i)
		case len(s.flow) > 0:
			s.flowLine(i)
		default:
			s.line(i)
		}
	}
	if s.quote != nil {
		s.unclosedQuote()
	}
	if len(s.flow) > 0 {
		s.unclosedFlow(-1, -1)
	}
	// Where a mis-indented line could be fixed in two places, the repair
	// that indents the block by the step the file uses elsewhere is likelier.
	for i := range s.found {
		for j := range s.found[i].alts {
			a := &s.found[i].alts[j]
			typical := s.typicalStep(a.seqStep)
			switch {
			case a.step == typical && a.before >= 0 && a.before != typical:
				a.rank = -1 // it mends an odd step
			case a.step == typical:
				a.rank = 0
			case a.step == -1:
				a.rank = 1
			default:
				a.rank = 2
			}
		}
	}
	return s.found
}

// typicalStep is the step by which the file most often indents a nested
// list (seq) or mapping; between steps used as often, 2, else the smaller.
func (s *scanner) typicalStep(seq bool) int {
	best, n := 2, 0
	for k, c := range s.steps {
		if k.seq != seq {
			continue
		}
		if c > n || c == n && best != 2 && (k.step == 2 || k.step < best) {
			best, n = k.step, c
		}
	}
	return best
}

func (s *scanner) add(f finding) {
	if len(f.alts) > 0 {
		f.line = f.alts[0].line
		s.found = append(s.found, f)
	}
}

func (s *scanner) push(l level) { s.levels = append(s.levels, l) }

func isBlank(r rune) bool { return r == ' ' || r == '\t' }

// isDash reports whether a block list item "- " starts at p.
func isDash(l []rune, p int) bool {
	return p < len(l) && l[p] == '-' && (p+1 == len(l) || isBlank(l[p+1]))
}

// commentAt reports whether a comment starts at p.
func commentAt(l []rune, p int) bool {
	return l[p] == '#' && (p == 0 || isBlank(l[p-1]))
}

func skipBlanks(l []rune, p int) int {
	for p < len(l) && isBlank(l[p]) {
		p++
	}
	return p
}

// quoteEnd returns the index of the quote that closes the quoted scalar
// opened at p, or -1 when it does not close on this line.
func quoteEnd(l []rune, p int) int {
	q := l[p]
	for i := p + 1; i < len(l); i++ {
		switch {
		case q == '"' && l[i] == '\\':
			i++
		case l[i] == q && q == '\'' && i+1 < len(l) && l[i+1] == '\'':
			i++
		case l[i] == q:
			return i
		}
	}
	return -1
}

// keyColon returns the index of the ":" that ends a key starting at p, or
// -1 when no key starts there.
func keyColon(l []rune, p int) int {
	if p >= len(l) {
		return -1
	}
	switch l[p] {
	case '"', '\'':
		e := quoteEnd(l, p)
		if e < 0 {
			return -1
		}
		q := skipBlanks(l, e+1)
		if q < len(l) && l[q] == ':' {
			return q
		}
		return -1
	case '[', '{', '|', '>', '#', '&', '!', '*', '?', '%', '@', '`':
		return -1
	}
	if isDash(l, p) {
		return -1
	}
	for i := p; i < len(l); i++ {
		switch {
		case l[i] == ':' && (i+1 == len(l) || isBlank(l[i+1])):
			return i
		case l[i] == '#' && isBlank(l[i-1]):
			return -1
		}
	}
	return -1
}

// hasColon reports whether a ": " (or a ":" at the end) follows p on the
// line, outside quotes and comments.
func hasColon(l []rune, p int) bool {
	for i := p; i < len(l); i++ {
		switch {
		case l[i] == ':' && (i+1 == len(l) || isBlank(l[i+1])):
			return true
		case l[i] == '#' && (i == 0 || isBlank(l[i-1])):
			return false
		case (l[i] == '"' || l[i] == '\'') && (i == p || isBlank(l[i-1])):
			e := quoteEnd(l, i)
			if e < 0 {
				return false
			}
			i = e
		}
	}
	return false
}

// shortKey reports whether a key of one word starts at p, as keys of
// configuration files are; a line of prose with ": " in it is not one.
func shortKey(l []rune, p int) bool {
	c := keyColon(l, p)
	return c >= 0 && (l[p] == '"' || l[p] == '\'' || !slices.ContainsFunc(l[p:c], isBlank))
}

// plainEnd returns where an unquoted value starting at p ends: at a comment
// or the end of the line, without trailing blanks.
func plainEnd(l []rune, p int) int {
	e := len(l)
	for i := p; i < len(l); i++ {
		if l[i] == '#' && i > 0 && isBlank(l[i-1]) {
			e = i
			break
		}
	}
	for e > p && isBlank(l[e-1]) {
		e--
	}
	return e
}

// line reads a line in block context.
func (s *scanner) line(i int) {
	l := s.lines[i]
	p := skipBlanks(l, 0)
	if tab := slices.Index(l[:p], '\t'); tab >= 0 {
		s.tab(i, tab, p)
		s.open, s.plain = nil, false
		return
	}
	if p == len(l) || commentAt(l, p) {
		return
	}
	if p == 0 && len(l) >= 3 && (string(l[:3]) == "---" || string(l[:3]) == "...") && (len(l) == 3 || isBlank(l[3])) {
		s.levels, s.open, s.plain = nil, nil, false
		return
	}
	if p == 0 && l[0] == '%' {
		return
	}
	if !s.indent(i, p, isDash(l, p), hasColon(l, p)) {
		return
	}
	s.node(i, p, p)
}

// indent checks the indentation ind of line i against the open block
// collections, and reports whether the line's content is structure to read
// (false for the continuation of an unquoted value, which colon, a ": " on
// the line, rules out).
func (s *scanner) indent(i, ind int, dash, colon bool) bool {
	defer func() { s.prev = i }()
	if o := s.open; o != nil {
		s.open = nil
		if ind == o.ind && !dash && !o.seq {
			s.emptied, s.emptiedFrom, s.emptiedKey = i, *o, s.opener
		}
		if ind > o.ind || dash && ind == o.ind && !o.seq {
			s.plain = false
			step := ind - o.ind
			s.steps[stepKind{step, dash}]++
			s.push(level{ind: ind, seq: dash, line: i, entries: 1, step: step, seqStep: dash})
			return true
		}
	}
	if len(s.levels) == 0 {
		s.plain = false
		s.push(level{ind: ind, seq: dash, line: i, entries: 1, step: -1})
		return true
	}
	// Popping only shortens s.levels, so before keeps the levels as they
	// were until something is pushed.
	before := s.levels
	top := s.levels[len(s.levels)-1]
	if s.plain && ind > top.ind && !colon {
		return false // more of the value above
	}
	s.plain = false
	if ind > top.ind {
		s.misindented(i, ind, dash, before)
		return true
	}
	s.dedented, s.popped = i, s.popped[:0]
	for len(s.levels) > 0 && s.levels[len(s.levels)-1].ind > ind {
		s.popped = append(s.popped, s.levels[len(s.levels)-1])
		s.levels = s.levels[:len(s.levels)-1]
	}
	if n := len(s.levels); n > 0 && s.levels[n-1].ind == ind {
		top := &s.levels[n-1]
		if top.seq == dash {
			top.entries++
			return true
		}
		if top.seq && n >= 2 && s.levels[n-2].ind == ind {
			// The list was written at its key's indentation ("key:\n- a"),
			// and this is the next key.
			s.levels = s.levels[:n-1]
			s.levels[n-2].entries++
			return true
		}
	}
	s.misindented(i, ind, dash, before)
	return true
}

// misindented notes line i, indented ind, which fits none of the open
// collections (before, outermost first). Each collection it could belong to
// is a reading; so is the line where that collection began, when that line
// is its only entry so far and may be the one out of place.
func (s *scanner) misindented(i, ind int, dash bool, before []level) {
	// The collections near ind are near the top of the stack, whose
	// indentation grows upwards; a few suffice.
	var cands []int
	for j := len(before) - 1; j >= 0 && len(cands) < 4; j-- {
		if lv := before[j]; lv.seq == dash && lv.ind != ind {
			cands = append(cands, j)
		}
	}
	// Nearest first; between two as near, the deeper.
	slices.SortStableFunc(cands, func(a, b int) int {
		da, db := abs(before[a].ind-ind), abs(before[b].ind-ind)
		if da != db {
			return cmp.Compare(da, db)
		}
		return cmp.Compare(before[b].ind, before[a].ind)
	})
	if len(cands) == 0 {
		s.levels = before
		s.push(level{ind: ind, seq: dash, line: i, entries: 1, step: -1})
		return
	}
	l := s.lines[i]
	f := finding{kind: misindented}
	for _, j := range cands {
		want := before[j]
		f.alts = append(f.alts, alt{line: i + 1, col: ind + 1, msg: misindentMsg(ind, want),
			edit: i, text: spaces(want.ind) + string(l[ind:]), step: want.step, before: -1, seqStep: want.seqStep})
		if want.entries != 1 || want.line == i {
			continue
		}
		// The collection has one entry so far: its first line may be the one
		// indented wrongly, and this line right.
		first := s.lines[want.line]
		at := skipBlanks(first, 0)
		delta := ind - want.ind
		if at+delta < 0 {
			continue
		}
		kind, of := "key", "mapping"
		if want.seq {
			kind, of = "item", "list"
		}
		msg := fmt.Sprintf("this line is indented %s; the next %s of this %s, on line %d, is indented %d",
			plural(at, "space", "spaces"), kind, of, i+1, ind)
		if at != want.ind {
			msg = fmt.Sprintf("this line is indented %s; line %d below it is indented %d, which fits this line indented %d",
				plural(at, "space", "spaces"), i+1, ind, at+delta)
		}
		step := -1
		if want.step >= 0 {
			step = want.step + delta
		}
		f.alts = append(f.alts, alt{line: want.line + 1, col: at + 1, msg: msg,
			edit: want.line, text: spaces(at+delta) + string(first[at:]), step: step, before: want.step, seqStep: want.seqStep})
		// Or the first line is off and this one too: the block's usual step
		// puts the first line right.
		if typical := s.typicalStep(want.seqStep); want.step >= 0 && want.step != typical && at+typical-want.step >= 0 {
			to := at + typical - want.step
			f.alts = append(f.alts, alt{line: want.line + 1, col: at + 1,
				msg:  fmt.Sprintf("this line is indented %s; the lines after it fit it indented %d", plural(at, "space", "spaces"), to),
				edit: want.line, text: spaces(to) + string(first[at:]), step: typical, before: want.step, seqStep: want.seqStep})
		}
	}
	if o := s.emptiedFrom; s.emptied >= 0 && s.emptied == s.prev && ind > o.ind && !dash {
		p := s.lines[s.emptied]
		at := skipBlanks(p, 0)
		f.alts = append(f.alts, alt{line: s.emptied + 1, col: at + 1,
			msg: fmt.Sprintf("this line is indented %s, like %q on line %d, which leaves %s empty; indent it %d to put it under %s",
				plural(at, "space", "spaces"), s.emptiedKey+":", o.line+1, s.emptiedKey, ind, s.emptiedKey),
			edit: s.emptied, text: spaces(ind) + string(p[at:]), step: ind - o.ind, before: 0})
	}
	if s.dedented >= 0 && s.dedented == s.prev && ind > before[len(before)-1].ind {
		if j := slices.IndexFunc(s.popped, func(lv level) bool { return lv.ind == ind && lv.seq == dash }); j >= 0 {
			p := s.lines[s.dedented]
			at := skipBlanks(p, 0)
			f.alts = append(f.alts, alt{line: s.dedented + 1, col: at + 1,
				msg:  fmt.Sprintf("this line is indented %s; the lines around it are indented %d, as on line %d", plural(at, "space", "spaces"), ind, s.popped[j].line+1),
				edit: s.dedented, text: spaces(ind) + string(p[at:]), step: -1})
		}
	}
	s.add(f)
	// Go on as if the line were where the likeliest reading puts it.
	j := cands[0]
	s.levels = before[:j+1]
	s.levels[j].entries++
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func misindentMsg(ind int, want level) string {
	what := "keys of this mapping are"
	if want.seq {
		what = "items of this list are"
	}
	how := fmt.Sprintf("indented %d", want.ind)
	if want.ind == 0 {
		how = "not indented"
	}
	return fmt.Sprintf("this line is indented %s; %s %s, as on line %d", plural(ind, "space", "spaces"), what, how, want.line+1)
}

// tab notes a tab at l[tab] in the indentation of line i, whose content
// starts at p.
// indentHint says how far to indent a line: " (indent this line by 4)",
// or " (start this line at column 1)".
func indentHint(n int) string {
	if n == 0 {
		return " (start this line at column 1)"
	}
	return fmt.Sprintf(" (indent this line by %d)", n)
}

func (s *scanner) tab(i, tab, p int) {
	l := s.lines[i]
	rest := string(l[p:])
	f := finding{kind: tabIndent}
	msg := fmt.Sprintf("YAML indents with spaces, not tabs; replace the tab at column %d with spaces", tab+1)
	switch {
	case p == len(l):
		f.alts = []alt{{msg: fmt.Sprintf("YAML indents with spaces, not tabs; remove the tab at column %d from this blank line", tab+1), text: ""}}
	case commentAt(l, p):
		f.alts = []alt{{msg: msg, text: rest}}
	default:
		for _, n := range s.indents() {
			f.alts = append(f.alts, alt{msg: msg, text: spaces(n) + rest, hint: indentHint(n)})
		}
		f.alts = append(f.alts, alt{msg: msg, text: strings.ReplaceAll(string(l[:p]), "\t", " ") + rest})
	}
	for j := range f.alts {
		f.alts[j].line, f.alts[j].col, f.alts[j].edit, f.alts[j].step = i+1, tab+1, i, -1
	}
	s.add(f)
}

// indents lists the indentations a line could have here, likeliest first:
// deeper than an opening "key:", else those of the open collections.
func (s *scanner) indents() []int {
	var out []int
	if s.open != nil {
		out = append(out, s.open.ind+s.typicalStep(false))
	}
	for j := len(s.levels) - 1; j >= 0 && len(out) < 6; j-- {
		if !slices.Contains(out, s.levels[j].ind) {
			out = append(out, s.levels[j].ind)
		}
	}
	return out
}

// node reads the content of line i from p, in block context; ind is the
// line's indentation.
func (s *scanner) node(i, p, ind int) {
	l := s.lines[i]
	for isDash(l, p) {
		if p > ind {
			s.push(level{ind: p, seq: true, line: i, entries: 1, step: -1})
		}
		d := p
		p++
		for p < len(l) && isBlank(l[p]) {
			if l[p] == '\t' {
				s.add(finding{kind: tabIndent, alts: []alt{{line: i + 1, col: p + 1,
					msg:  `YAML indents with spaces, not tabs; put a space, not a tab, after "-"`,
					edit: i, text: string(l[:p]) + " " + string(l[p+1:]), step: -1}}})
			}
			p++
		}
		if p == len(l) || commentAt(l, p) {
			s.open = &level{ind: d, seq: true, line: i}
			return
		}
	}
	if c := keyColon(l, p); c >= 0 {
		if p > ind {
			// The mapping of a list item: it moves with its dash.
			step, seq := -1, false
			if n := len(s.levels); n > 0 {
				step, seq = s.levels[n-1].step, s.levels[n-1].seqStep
			}
			s.push(level{ind: p, line: i, entries: 1, step: step, seqStep: seq})
		}
		s.value(i, c+1, p, string(l[p:c]))
		return
	}
	s.value(i, p, ind, "")
}

// value reads a value at p on line i; at is the indentation of the key or
// dash it belongs to, key the key ("" for a list item).
func (s *scanner) value(i, p, at int, key string) {
	l := s.lines[i]
	p = skipBlanks(l, p)
	for p < len(l) && (l[p] == '&' || l[p] == '!') {
		for p < len(l) && !isBlank(l[p]) {
			p++
		}
		p = skipBlanks(l, p)
	}
	if p == len(l) || commentAt(l, p) {
		if key != "" {
			s.open, s.opener = &level{ind: at, line: i}, key
		}
		return
	}
	switch l[p] {
	case '"', '\'':
		e := quoteEnd(l, p)
		if e < 0 {
			s.quote = &bracket{ch: l[p], line: i, col: p}
			s.quoteInd, s.quoteFlow, s.quoteFirst = indentOf(string(l)), false, plainEnd(l, p)
			return
		}
		if q := skipBlanks(l, e+1); q < len(l) && !commentAt(l, q) && l[q] != ':' {
			s.earlyQuote(i, p, e, plainEnd(l, p))
		}
	case '[', '{':
		s.flow, s.flowLastTok = s.flow[:0], ""
		s.flowInd = indentOf(string(l))
		s.flowScan(i, p)
	case '|', '>':
		s.block, s.blockOf, s.blockInd, s.blockFirst = true, at, -1, -1
	case '*', '?':
	case '@', '`':
		e := plainEnd(l, p)
		v := string(l[p:e])
		shown := quoted(v)
		if key != "" {
			shown = key + ": " + shown
		}
		s.add(finding{kind: reserved, alts: []alt{{line: i + 1, col: p + 1,
			msg:  fmt.Sprintf("a value cannot start with %q in YAML; put it in quotes: %s", l[p], shown),
			edit: i, text: string(l[:p]) + quoted(v) + string(l[e:]), step: -1}}})
	default:
		e := plainEnd(l, p)
		for c := p; c < e; c++ {
			if l[c] == ':' && (c+1 == e || isBlank(l[c+1])) {
				s.colon(i, c, p, e, key)
				break
			}
		}
		s.plain = true
	}
}

// colon notes the ": " at l[c] inside the unquoted value l[p:e] of key.
func (s *scanner) colon(i, c, p, e int, key string) {
	l := s.lines[i]
	v := string(l[p:e])
	what := "a name"
	if key != "name" {
		what = "text"
	}
	sep := `": "`
	if c+1 == e {
		sep = `":"`
	}
	shown := quoted(v)
	if key != "" {
		shown = key + ": " + shown
	}
	s.add(finding{kind: unquotedColon, alts: []alt{{line: i + 1, col: c + 1,
		msg:  fmt.Sprintf("%s containing %s must be quoted: %s", what, sep, shown),
		edit: i, text: string(l[:p]) + quoted(v) + string(l[e:]), step: -1}}})
}

// earlyQuote notes a quote at l[e] that ends the quoted text opened at l[p]
// before the text l[p:end] does: "'Carers' view'".
func (s *scanner) earlyQuote(i, p, e, end int) {
	l := s.lines[i]
	q := l[p]
	inner := l[p+1 : end]
	if len(inner) > 0 && inner[len(inner)-1] == q {
		inner = inner[:len(inner)-1]
	}
	msg := fmt.Sprintf("the quote here ends the quoted text early; write %s", quoted(string(inner)))
	if q == '\'' {
		msg += ` (inside '…' an apostrophe is written twice: '')`
	}
	s.add(finding{kind: badQuote, alts: []alt{{line: i + 1, col: e + 1, msg: msg,
		edit: i, text: string(l[:p]) + quoted(string(inner)) + string(l[end:]), step: -1}}})
}

// quoteLine reads line i inside a quoted scalar that began on a line above.
func (s *scanner) quoteLine(i int) {
	l := s.lines[i]
	p := skipBlanks(l, 0)
	if p < len(l) && (p <= s.quoteInd && (isDash(l, p) || keyColon(l, p) >= 0) ||
		shortKey(l, p) || isDash(l, p) && shortKey(l, skipBlanks(l, p+1))) {
		// A new entry where the text should go on: the quote was not closed.
		s.unclosedQuote()
		if len(s.flow) > 0 {
			s.flowLine(i)
		} else {
			s.line(i)
		}
		return
	}
	q := s.quote
	for j := 0; j < len(l); j++ {
		switch {
		case q.ch == '"' && l[j] == '\\':
			j++
		case l[j] == q.ch && q.ch == '\'' && j+1 < len(l) && l[j+1] == '\'':
			j++
		case l[j] == q.ch:
			s.quote = nil
			if s.quoteFlow {
				s.flowLast, s.flowLastAt = i, j+1
				s.flowScan(i, j+1)
			}
			return
		}
	}
}

// unclosedQuote notes the open quote as never closed.
func (s *scanner) unclosedQuote() {
	q := s.quote
	s.quote = nil
	l := s.lines[q.line]
	name := "quotes"
	if q.ch == '\'' {
		name = "single quotes"
	}
	s.add(finding{kind: badQuote, alts: []alt{{line: q.line + 1, col: q.col + 1,
		msg:  fmt.Sprintf("the text in %s that starts here has no closing %c", name, q.ch),
		edit: q.line, text: string(l[:s.quoteFirst]) + string(q.ch) + string(l[s.quoteFirst:]),
		hint: "; add it where the text ends", step: -1}}})
}

// flowLine reads line i inside a flow collection opened on a line above.
func (s *scanner) flowLine(i int) {
	l := s.lines[i]
	p := skipBlanks(l, 0)
	if p == len(l) || commentAt(l, p) {
		return
	}
	if p <= s.flowInd && (isDash(l, p) || keyColon(l, p) >= 0) {
		// A new entry of the block around: the bracket was not closed.
		s.unclosedFlow(-1, -1)
		s.line(i)
		return
	}
	s.flowScan(i, p)
}

// unclosedFlow notes the innermost open bracket as never closed: before
// l[col] of line at, a closing bracket meant for an outer one, or (at < 0)
// at the end of the flow.
func (s *scanner) unclosedFlow(at, col int) {
	b := s.flow[len(s.flow)-1]
	name, closer := "list", "]"
	if b.ch == '{' {
		name, closer = "mapping", "}"
	}
	msg := fmt.Sprintf("the %s opened here is not closed with %s", name, closer)
	f := finding{kind: unclosedFlow}
	add := func(edit int, text, hint string) {
		f.alts = append(f.alts, alt{line: b.line + 1, col: b.col + 1, msg: msg, edit: edit, text: text, hint: hint, step: -1})
	}
	if at >= 0 {
		l := s.lines[at]
		add(at, string(l[:col])+closer+string(l[col:]),
			fmt.Sprintf("; add %s before the %c at line %d, column %d", closer, l[col], at+1, col+1))
	} else {
		var all strings.Builder
		for j := len(s.flow) - 1; j >= 0; j-- {
			if s.flow[j].ch == '{' {
				all.WriteString("}")
			} else {
				all.WriteString("]")
			}
		}
		l := s.lines[s.flowLast]
		hint := fmt.Sprintf("; add %s at the end of line %d", all.String(), s.flowLast+1)
		if s.flowLastTok != "" {
			hint = fmt.Sprintf("; add %s after %q", all.String(), s.flowLastTok)
		}
		add(s.flowLast, string(l[:s.flowLastAt])+all.String()+string(l[s.flowLastAt:]), hint)
		if s.flowLast != b.line {
			l := s.lines[b.line]
			e := plainEnd(l, b.col)
			add(b.line, string(l[:e])+all.String()+string(l[e:]), "; add "+all.String()+" at the end of this line")
		}
		s.flow = nil
	}
	s.add(f)
}

// flowScan reads line i from p inside a flow collection (or at its [ or {).
func (s *scanner) flowScan(i, p int) {
	l := s.lines[i]
	for p < len(l) {
		c := l[p]
		var top *bracket
		if len(s.flow) > 0 {
			top = &s.flow[len(s.flow)-1]
		}
		switch {
		case isBlank(c):
			p++
		case commentAt(l, p):
			return
		case c == '[' || c == '{':
			s.flow = append(s.flow, bracket{ch: c, line: i, col: p, value: -1, start: true})
			p++
			s.flowLast, s.flowLastAt = i, p
		case top == nil:
			// Text after the collection closed: leave it to the parser.
			s.plain = false
			return
		case c == ']' || c == '}':
			want := '['
			if c == '}' {
				want = '{'
			}
			closed := *top
			if top.ch != want {
				s.unclosedFlow(i, p)
				s.flow = s.flow[:len(s.flow)-1]
				closed.line = -1
				if n := len(s.flow); n > 0 && s.flow[n-1].ch == want {
					s.flow = s.flow[:n-1]
				}
			} else {
				s.flow = s.flow[:len(s.flow)-1]
			}
			p++
			s.flowLast, s.flowLastAt, s.flowLastTok = i, p, ""
			if closed.line == i && p-closed.col <= 40 {
				s.flowLastTok = string(l[closed.col:p]) // the collection just closed
			}
			if len(s.flow) == 0 {
				s.plain = false
				return
			}
		case c == ',':
			top.colon, top.key, top.value, top.start = false, "", -1, true
			p++
			s.flowLast, s.flowLastAt = i, p
		case c == ':' && (p+1 == len(l) || isBlank(l[p+1]) || strings.ContainsRune(",[]{}", l[p+1])):
			s.flowValue(i, p, top)
			p++
		case (c == '"' || c == '\'') && top.start:
			e := quoteEnd(l, p)
			if e < 0 {
				s.quote = &bracket{ch: c, line: i, col: p}
				s.quoteInd, s.quoteFlow, s.quoteFirst = indentOf(string(l)), true, plainEnd(l, p)
				return
			}
			if !top.colon {
				top.key = string(l[p+1 : e])
			}
			s.flowLast, s.flowLastAt, s.flowLastTok = i, e+1, string(l[p:e+1])
			top.start = false
			p = e + 1
			if p < len(l) && l[p] == ':' {
				// JSON style "key":value needs no blank after the colon.
				s.flowValue(i, p, top)
				p++
			}
		default:
			e := p + 1
			for e < len(l) && !strings.ContainsRune(",[]{}", l[e]) &&
				!(l[e] == ':' && (e+1 == len(l) || isBlank(l[e+1]) || strings.ContainsRune(",[]{}", l[e+1]))) &&
				!(l[e] == '#' && isBlank(l[e-1])) {
				e++
			}
			t := e
			for t > p && isBlank(l[t-1]) {
				t--
			}
			if !top.colon {
				top.key = string(l[p:t])
			}
			s.flowLast, s.flowLastAt, s.flowLastTok = i, t, string(l[p:t])
			top.start = false
			p = e
		}
	}
}

// flowValue reads the ": " at l[c] in an entry of the flow collection top.
// A second one in the same entry means the value has ": " in it and needs
// quotes.
func (s *scanner) flowValue(i, c int, top *bracket) {
	l := s.lines[i]
	if !top.colon {
		top.colon, top.value, top.start = true, skipBlanks(l, c+1), true
		return
	}
	if top.value < 0 || top.value > c || top.value >= len(l) || l[top.value] == '"' || l[top.value] == '\'' {
		return
	}
	e := c + 1
	for e < len(l) && !strings.ContainsRune(",]}", l[e]) && !(l[e] == '#' && isBlank(l[e-1])) {
		e++
	}
	for e > c+1 && isBlank(l[e-1]) {
		e--
	}
	v := string(l[top.value:e])
	what, shown := "text", quoted(v)
	if top.key == "name" {
		what = "a name"
	}
	if top.key != "" {
		shown = top.key + ": " + shown
	}
	s.add(finding{kind: unquotedColon, alts: []alt{{line: i + 1, col: c + 1,
		msg:  fmt.Sprintf("%s containing \": \" must be quoted: %s", what, shown),
		edit: i, text: string(l[:top.value]) + quoted(v) + string(l[e:]), step: -1}}})
}

// blockLine reads line i as part of a block scalar, and reports false when
// the line ends the scalar instead.
func (s *scanner) blockLine(i int) bool {
	l := s.lines[i]
	sp := 0
	for sp < len(l) && l[sp] == ' ' {
		sp++
	}
	switch {
	case sp == len(l):
		return true // blank: part of the text
	case l[sp] == '\t' && (s.blockInd < 0 || sp < s.blockInd):
		rest := skipBlanks(l, sp)
		if rest == len(l) {
			return true
		}
		want := s.blockInd
		if want < 0 {
			want = s.blockOf + s.typicalStep(false)
		}
		s.add(finding{kind: tabIndent, alts: []alt{{line: i + 1, col: sp + 1,
			msg:  fmt.Sprintf("YAML indents with spaces, not tabs; replace the tab at column %d with spaces", sp+1),
			edit: i, text: spaces(want) + string(l[rest:]), hint: indentHint(want), step: -1}}})
		return true
	case isDash(l, sp) || shortKey(l, sp) || commentAt(l, sp):
		if sp <= s.blockOf || s.blockInd >= 0 && sp < s.blockInd {
			s.block = false // the text has ended
			return false
		}
	case sp <= s.blockOf && s.blockInd < 0:
		s.block = false // no text at all
		return false
	case s.blockInd >= 0 && sp < s.blockInd:
		s.textIndent(i, sp)
		return true
	}
	if s.blockInd < 0 {
		s.blockInd, s.blockFirst = sp, i
	}
	return true
}

// textIndent notes line i of a block scalar, indented sp, less than the
// text above it: YAML ends the text there.
func (s *scanner) textIndent(i, sp int) {
	l := s.lines[i]
	f := finding{kind: misindented}
	f.alts = append(f.alts, alt{line: i + 1, col: sp + 1,
		msg: fmt.Sprintf("this line of the text is indented %s; the text above it is indented %d, as on line %d",
			plural(sp, "space", "spaces"), s.blockInd, s.blockFirst+1),
		edit: i, text: spaces(s.blockInd) + string(l[sp:]), step: -1})
	if sp > s.blockOf && s.blockFirst != i {
		first := s.lines[s.blockFirst]
		f.alts = append(f.alts, alt{line: s.blockFirst + 1, col: s.blockInd + 1,
			msg: fmt.Sprintf("the first line of this text is indented %s and line %d %d; YAML takes the first line's indentation for the whole text, so indent them alike",
				plural(s.blockInd, "space", "spaces"), i+1, sp),
			edit: s.blockFirst, text: spaces(sp) + string(first[s.blockInd:]), step: -1})
	}
	s.add(f)
}
