package synthesis

import (
	"fmt"
	"hash/maphash"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/hugepage"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// extract fields, in the order of the wanted columns.
const (
	fStudy = iota
	fText
	fCodes
	fID
	fType
	fLocation
	fCoder
	nFields
)

var fieldNames = [nFields]string{"study", "text", "codes", "id", "type", "location", "coder"}

// fieldDefaults are the headers read when synth.yaml names no column for a
// field: the first one the sheet has. The study column accepts the studies
// table's own "Study ID" too.
var fieldDefaults = [nFields][]string{{"Study", "Study ID"}, {"Extract"}, {"Codes"}, {"ID"}, {"Type"}, {"Location"}, {"Coder"}}

// layout is how one source's columns map to an extract: the wanted columns
// are the fields', then the segment's, then the code columns'.
type layout struct {
	cols      []int // 1-based columns, 0 when a field is absent
	segment   []int // indexes into the wanted columns
	codeCols  []codeColumn
	preset    *Preset
	codePaths []string
	separator string
	// studyAlt and coderAlt are the indexes of a second column that stands
	// in where the study or coder cell is blank (a preset's next
	// candidate), -1 for none.
	studyAlt, coderAlt int
	// nonText is the index of the column that marks non-text codings
	// (Preset.NonText), -1 for none.
	nonText int
}

type codeColumn struct {
	name string // the code, as the header names it
	idx  int    // index into the wanted columns
}

// FindPreset returns the preset of a tool by name (folded), or nil.
func FindPreset(name string) *Preset {
	for i := range Presets {
		if fold.Key(Presets[i].Name) == fold.Key(name) {
			return &Presets[i]
		}
	}
	return nil
}

// detectPreset finds the preset whose signature headers the sheet has.
func detectPreset(t *table) *Preset {
	for i := range Presets {
		p := &Presets[i]
		if len(p.Signature) == 0 {
			continue
		}
		if !slices.ContainsFunc(p.Signature, func(alts string) bool {
			return !slices.ContainsFunc(strings.Split(alts, "|"), func(h string) bool {
				c, _ := t.column(h)
				return c != 0
			})
		}) {
			return p
		}
	}
	return nil
}

// mapsID reports whether a source's ID column, named or by default, is there.
func mapsID(t *table, name string) bool {
	if name == "" {
		name = fieldDefaults[fID][0]
	}
	c, _ := t.column(name)
	return c != 0
}

// firstColumn returns the first of the candidate headers that the sheet has.
func firstColumn(t *table, candidates []string) (int, error) {
	for _, h := range candidates {
		c, err := t.column(h)
		if err != nil || c != 0 {
			return c, err
		}
	}
	return 0, nil
}

func (p *Preset) field(f int) []string {
	return [nFields][]string{p.Study, p.Text, p.Codes, p.ID, p.Type, p.Location, p.Coder}[f]
}

// layout resolves a source's columns against its header: synth.yaml's
// names first, then the preset's (named, or recognised from the header when
// synth.yaml names no columns), then the defaults.
func (in *input) layout(src *ExtractsSource, t *table) (*layout, error) {
	lo := &layout{cols: make([]int, nFields), preset: FindPreset(src.Preset), studyAlt: -1, coderAlt: -1, nonText: -1}
	c := src.Columns
	names := [nFields]string{c.Study, c.Text, c.Codes, c.ID, c.Type, c.Location, c.Coder}
	if lo.preset == nil && c == (ExtractColumns{}) && src.CodeColumns == nil && len(src.Segment) == 0 {
		if lo.preset = detectPreset(t); lo.preset != nil {
			in.notes = append(in.notes, Note{Where: t.file + ":" + t.sheet,
				Message: fmt.Sprintf("the header is that of a %s export; read it with preset %s (set \"preset:\" or \"columns:\" in synth.yaml to choose otherwise)", lo.preset.Tool, lo.preset.Name)})
		}
	} else if lo.preset == nil && len(src.Segment) == 0 {
		// Mapped by hand: when the ID would make each coding its own
		// extract, say which preset counts segments.
		if p := detectPreset(t); p != nil && len(p.Segment) > 0 && mapsID(t, c.ID) {
			in.notes = append(in.notes, Note{Where: t.file + ":" + t.sheet,
				Message: fmt.Sprintf("the header looks like a %s export, which has one row per coding; \"preset: %s\" reads it as one extract per coded segment", p.Tool, p.Name)})
		}
	}
	// others are the headers the fields but f are read from, as synth.yaml
	// names them or by default: never suggested for a missing f.
	others := func(f int) []string {
		var out []string
		for g := range nFields {
			if g == f {
				continue
			}
			if n := strings.TrimSpace(names[g]); n != "" {
				out = append(out, n)
			} else {
				out = append(out, fieldDefaults[g]...)
			}
		}
		return out
	}
	for f := range nFields {
		var err error
		required := f == fStudy || f == fText || f == fCodes && src.CodeColumns == nil
		switch {
		case f == fCodes && src.CodeColumns != nil && strings.TrimSpace(names[f]) == "":
			// code_columns read the codes instead of a codes column, unless
			// synth.yaml names one too.
		case strings.TrimSpace(names[f]) != "":
			if lo.cols[f], err = t.column(names[f]); err != nil {
				return nil, err
			}
			if lo.cols[f] == 0 {
				err := t.missingColumn(names[f], fieldNames[f], others(f)...)
				if e, ok := err.(*Error); ok && in.p != nil {
					// The name may be what is wrong: say where it is set.
					pos := src.Key("columns")
					e.Msg += fmt.Sprintf("; %s:%d:%d names it (%s: %s)", filepath.Base(in.p.File), pos.Line, pos.Col, fieldNames[f], names[f])
				}
				return nil, err
			}
		case lo.preset != nil:
			cands := lo.preset.field(f)
			if lo.cols[f], err = firstColumn(t, cands); err != nil {
				return nil, err
			}
			if lo.cols[f] == 0 && required {
				if len(cands) == 0 {
					return nil, errorAt(t.headerWhere(), "preset %s names no %s column; name it in columns: in synth.yaml", lo.preset.Name, fieldNames[f])
				}
				err := t.missingColumn(cands[0], fieldNames[f])
				if e, ok := err.(*Error); ok {
					e.Msg += fmt.Sprintf("; preset %s reads the %s from it (name another column with columns: in synth.yaml)", lo.preset.Name, fieldNames[f])
				}
				return nil, err
			}
		default:
			if lo.cols[f], err = firstColumn(t, fieldDefaults[f]); err != nil {
				return nil, err
			}
			if lo.cols[f] == 0 && required {
				return nil, t.missingColumn(fieldDefaults[f][0], fieldNames[f], others(f)...)
			}
		}
	}
	wanted := slices.Clone(lo.cols)
	alt := func(f int, cands []string) int {
		if lo.preset == nil || strings.TrimSpace(names[f]) != "" {
			return -1
		}
		for _, h := range cands {
			if c, _ := t.column(h); c != 0 && c != lo.cols[f] {
				wanted = append(wanted, c)
				return len(wanted) - 1
			}
		}
		return -1
	}
	if lo.preset != nil {
		lo.studyAlt = alt(fStudy, lo.preset.Study)
		lo.coderAlt = alt(fCoder, lo.preset.Coder)
		if nt := lo.preset.NonText; len(nt.Column) > 0 {
			col, err := firstColumn(t, nt.Column)
			if err != nil {
				return nil, err
			}
			if col != 0 {
				lo.nonText = len(wanted)
				wanted = append(wanted, col)
			}
		}
	}

	segment := make([][]string, 0, len(src.Segment))
	for _, n := range src.Segment {
		segment = append(segment, []string{n})
	}
	if len(segment) == 0 && lo.preset != nil {
		segment = lo.preset.Segment
	}
	for _, cands := range segment {
		col, err := firstColumn(t, cands)
		if err != nil {
			return nil, err
		}
		if col == 0 {
			return nil, t.missingColumn(cands[0], "segment")
		}
		lo.segment = append(lo.segment, len(wanted))
		wanted = append(wanted, col)
	}

	if src.CodePath != "" {
		lo.codePaths = []string{src.CodePath}
	} else if lo.preset != nil {
		lo.codePaths = lo.preset.CodePaths
	}
	lo.separator = src.Separator
	if !src.separatorSet && lo.preset != nil && lo.preset.Separator != "" {
		lo.separator = lo.preset.Separator
	}
	if lo.separator == "" {
		lo.separator = ";"
	}

	if cc := src.CodeColumns; cc != nil {
		first, last := 1, slices.Max(append([]int{1}, t.headerCols...))
		var err error
		if cc.First != "" {
			if first, err = t.column(cc.First); err != nil {
				return nil, err
			}
			if first == 0 {
				return nil, t.missingColumn(cc.First, "first code")
			}
		}
		if cc.Last != "" {
			if last, err = t.column(cc.Last); err != nil {
				return nil, err
			}
			if last == 0 {
				return nil, t.missingColumn(cc.Last, "last code")
			}
		}
		if last < first {
			return nil, errorAt(t.headerWhere(), "code_columns: the last column %s is left of the first, %s", sheet.ColName(last), sheet.ColName(first))
		}
		pk, sk := fold.Key(cc.Prefix), fold.Key(cc.Suffix)
		for i, col := range t.headerCols {
			if col < first || col > last || slices.Contains(wanted, col) {
				continue
			}
			h := t.headers[i]
			k := fold.Key(h)
			if !strings.HasPrefix(k, pk) || !strings.HasSuffix(k, sk) || len(k) <= len(pk)+len(sk) {
				continue
			}
			// Cut the prefix and suffix by their length in runes of the
			// folded header, which folding keeps for the letters of names.
			name := cutAffixes(h, cc.Prefix, cc.Suffix)
			if name == "" {
				continue
			}
			lo.codeCols = append(lo.codeCols, codeColumn{name: name, idx: len(wanted)})
			wanted = append(wanted, col)
		}
		if len(lo.codeCols) == 0 {
			return nil, errorAt(t.headerWhere(), "code_columns matches no column between %s and %s whose header starts with %q and ends with %q; the headers are %s",
				sheet.ColName(first), sheet.ColName(last), cc.Prefix, cc.Suffix, quoteAll(t.headers))
		}
	}
	lo.cols = wanted
	return lo, nil
}

// cutAffixes removes a prefix and a suffix from a header, matched without
// regard to case or surrounding space.
func cutAffixes(h, prefix, suffix string) string {
	h = fold.Clean(h)
	p, s := fold.Clean(prefix), fold.Clean(suffix)
	if p != "" && len(h) >= len(p) && strings.EqualFold(h[:len(p)], p) {
		h = h[len(p):]
	}
	if s != "" && len(h) >= len(s) && strings.EqualFold(h[len(h)-len(s):], s) {
		h = h[:len(h)-len(s)]
	}
	return fold.Clean(h)
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

// loadExtracts reads one extracts source. Data errors are recorded with
// in.fail and the read goes on; the error returned stops this source (a
// file, sheet or header problem). The warnings returned are the table's own
// (ragged records).
func (in *input) loadExtracts(src *ExtractsSource, open func(string) (*source, error)) ([]Warning, error) {
	s, err := open(src.File)
	if err != nil {
		return nil, err
	}
	name, err := s.pickSheet(src.Sheet, firstVisible)
	if err != nil {
		return nil, err
	}
	var lo *layout
	want := func(t *table) ([]int, error) {
		var err error
		lo, err = in.layout(src, t)
		if err != nil {
			return nil, err
		}
		return lo.cols, nil
	}
	if streamFirstSource && in.store.len() == 0 && in.segments.len() == 0 {
		// The first source of extracts is read while its rows are
		// turned into extracts, on two goroutines; nothing read before
		// it is touched, so all it did can be undone when merged cells
		// turn out to need filling first.
		mark := in.mark()
		ws, merged, err := in.streamExtracts(s, name, src, want, &lo)
		if err != nil {
			// A file, sheet or header problem stops the source before
			// any of its rows counts, as without streaming.
			in.undo(mark)
			return nil, err
		}
		if !merged {
			return ws, nil
		}
		in.undo(mark)
	}
	t, err := s.read(name, src.HeaderRow, want)
	if err != nil {
		return nil, err
	}
	r := in.newReader(src, t, lo, len(t.rows))
	for i := range t.rows {
		if err := r.row(&t.rows[i]); err != nil {
			in.fail(err)
		}
		// The extracts' cells keep t for their places (cellRef), so its
		// rows are let go as they are read: a million of them are some
		// 170 MB that the result does not need.
		t.rows[i] = tableRow{}
	}
	t.rows = nil
	r.finish()
	return t.warnings, nil
}

// streamFirstSource lets tests read the first source as the others are
// read, to compare.
var streamFirstSource = true

// newReader starts reading the rows of a source into extracts; rows, when
// known, sizes the maps.
func (in *input) newReader(src *ExtractsSource, t *table, lo *layout, rows int) *reader {
	r := &reader{in: in, src: src, t: t, lo: lo, rows: rows}
	// A row is at most one new extract: room for them all at once.
	in.segments.grow(rows)
	for _, f := range src.FillDown {
		if i := slices.Index(fieldNames[:], f); i >= 0 {
			r.fill[i], r.filling = true, true
		}
	}
	r.prev = make([]string, len(lo.cols))
	return r
}

// streamExtracts reads a source's rows into extracts while the sheet is
// still being read: the reading goroutine hands batches of rows to this
// one, so that on two cores a build takes about the longer of the two, not
// their sum. merged reports that the sheet has merged cells over the mapped
// columns of its data rows; those are known only at the end of the sheet
// and must be filled in before any row is read (fillMerged), so the caller
// undoes what was read and reads the source again. The error is the
// read's (file, sheet, header), after which the caller undoes the rows read.
func (in *input) streamExtracts(s *source, name string, src *ExtractsSource, want func(*table) ([]int, error), lo **layout) (ws []Warning, merged bool, err error) {
	var r *reader
	batches := make(chan []tableRow, 8)
	done := make(chan struct{})
	emit := func(t *table, rows []tableRow) {
		if r == nil {
			r = in.newReader(src, t, *lo, 0)
			go func() {
				defer close(done)
				for rows := range batches {
					for i := range rows {
						if err := r.row(&rows[i]); err != nil {
							in.fail(err)
						}
					}
				}
			}()
		}
		batches <- rows
	}
	t, err := s.readRows(name, src.HeaderRow, want, emit)
	if r != nil {
		close(batches)
		<-done
	}
	if err != nil {
		return nil, false, err
	}
	if mergedOver(s.wb.Merged(name), (*lo).cols, t.headerRow) {
		return nil, true, nil
	}
	if r != nil {
		r.finish()
	}
	return t.warnings, false, nil
}

// mergedOver reports whether a merged range covers a mapped column of a
// row below the header: fillMerged would change what the rows hold.
func mergedOver(merged []sheet.Range, cols []int, header int) bool {
	for _, m := range merged {
		if m.ToRow <= header {
			continue
		}
		for _, c := range cols {
			if c >= m.FromCol && c <= m.ToCol {
				return true
			}
		}
	}
	return false
}

// inputMark is what in.undo needs to put the input back as it was before
// a source was read: the lengths of what a source appends to, and the
// counts it adds to.
type inputMark struct {
	studies, warnings, notes, errs, moreErrs, unknown int
	studyExtracts                                     []int
	unknownCells                                      []int
}

func (in *input) mark() inputMark {
	m := inputMark{studies: len(in.studies), warnings: len(in.warnings), notes: len(in.notes), errs: len(in.errs), moreErrs: in.moreErrs, unknown: len(in.unknownOrder)}
	for _, st := range in.studies {
		m.studyExtracts = append(m.studyExtracts, st.Extracts)
	}
	for _, k := range in.unknownOrder {
		m.unknownCells = append(m.unknownCells, in.unknown[k].cells)
	}
	return m
}

// undo puts the input back at m, a mark taken when it had no extract.
func (in *input) undo(m inputMark) {
	for _, st := range in.studies[m.studies:] {
		delete(in.byKey, fold.Key(st.ID))
		delete(in.where, st)
	}
	in.studies = in.studies[:m.studies]
	for i, st := range in.studies {
		st.Extracts = m.studyExtracts[i]
	}
	for _, k := range in.unknownOrder[m.unknown:] {
		delete(in.unknown, k)
	}
	in.unknownOrder = in.unknownOrder[:m.unknown]
	for i, k := range in.unknownOrder {
		in.unknown[k].cells = m.unknownCells[i]
	}
	in.warnings, in.notes, in.errs, in.moreErrs = in.warnings[:m.warnings], in.notes[:m.notes], in.errs[:m.errs], m.moreErrs
	old := in.store
	in.store, in.segments = newStore(0), segSet{}
	in.store.log.limit = old.log.limit
	old.log.close()
}

// probeSet maps 64-bit hashes to extracts (places in the store), any
// number of extracts to one hash: open addressing over a power-of-two
// slice of entries, each the hash's high 32 bits and the extract's place
// plus one (0 is an empty slot), at most three quarters full. A million
// extracts take 16 MB and, most often, one cache line a lookup; the
// caller checks each extract found against its key, so that two keys of
// one hash are both kept.
type probeSet struct {
	slots []uint64
	n     int
}

// find calls is with each extract added under h until it reports true, and
// returns that extract; -1 when none.
func (p *probeSet) find(h uint64, is func(e int32) bool) int32 {
	if p.n == 0 {
		return -1
	}
	tag, mask := h>>32, uint64(len(p.slots)-1)
	for i := tag & mask; ; i = (i + 1) & mask {
		x := p.slots[i]
		if x == 0 {
			return -1
		}
		if x>>32 == tag && is(int32(uint32(x))-1) {
			return int32(uint32(x)) - 1
		}
	}
}

// add adds e under h; rows, when known, sizes the set at its first add.
func (p *probeSet) add(h uint64, e int32, rows int) {
	if 4*(p.n+1) > 3*len(p.slots) {
		p.grow(max(4*(p.n+1)/3, rows))
	}
	p.put(h>>32, uint64(uint32(e+1)))
	p.n++
}

func (p *probeSet) put(tag, v uint64) {
	mask := uint64(len(p.slots) - 1)
	for i := tag & mask; ; i = (i + 1) & mask {
		if p.slots[i] == 0 {
			p.slots[i] = tag<<32 | v
			return
		}
	}
}

// grow makes room for n entries, three quarters full at most.
func (p *probeSet) grow(n int) {
	size := 1024
	for 3*size < 4*n {
		size *= 2
	}
	if size <= len(p.slots) {
		size = 2 * len(p.slots)
	}
	old := p.slots
	p.slots = make([]uint64, size)
	hugepage.AdviseSlice(p.slots) // written at random: a million extracts fault in 16 MB a page at a time
	for _, x := range old {
		if x != 0 {
			p.put(x>>32, x&0xffffffff)
		}
	}
}

// segSet maps a segment's identity to its extract (a place in the store) by
// a 64-bit hash of the key (hash/maphash), checked against the key. A key
// of an ID or of study and text is checked against the extract's ID or
// text; the keys of segment columns are kept, in an arena of the set's own.
type segSet struct {
	seed maphash.Seed
	set  probeSet
	rows int      // the rows the first source has, when known
	keys strArena // the keys of segment columns
	skey []strRef // the key of segment columns of each extract that has one
}

func (s *segSet) len() int { return s.set.n }

// grow sets the set up, with room for n segments, unless it is already:
// only the first source's reader knows how many rows are coming.
func (s *segSet) grow(n int) {
	if s.seed == (maphash.Seed{}) {
		s.seed = maphash.MakeSeed()
		s.rows = n
	}
}

func (s *segSet) hash(k segKey) uint64 {
	h := maphash.String(s.seed, k.s)*31 + uint64(k.kind)
	if k.study != nil {
		h = h*31 + maphash.String(s.seed, k.study.ID)
	}
	return h
}

// is reports whether extract e, found where k hashes, is k's.
func (s *segSet) is(e int32, k segKey, x *store) bool {
	var sk strRef
	if int(e) < len(s.skey) {
		sk = s.skey[e]
	}
	switch k.kind {
	case 's':
		return sk != 0 && s.keys.get(sk) == k.s
	case 'i':
		return sk == 0 && x.rec(e).id != 0 && fold.Key(x.id(e)) == k.s
	}
	r := x.rec(e)
	return sk == 0 && r.id == 0 && r.study == k.study.idx && fold.Clean(x.text(e)) == k.s
}

// get finds k's extract, or -1.
func (s *segSet) get(k segKey, x *store) int32 {
	s.grow(0)
	return s.set.find(s.hash(k), func(e int32) bool { return s.is(e, k, x) })
}

// put records e as the extract of k, which get found none for.
func (s *segSet) put(k segKey, e int32) {
	s.grow(0)
	if k.kind == 's' {
		for len(s.skey) <= int(e) {
			s.skey = append(s.skey, 0)
		}
		s.skey[e] = s.keys.add(k.s)
	}
	s.set.add(s.hash(k), e, s.rows)
}

// textSet finds the extract that first had a text in a study, by a 64-bit
// hash of the two (hash/maphash) checked against the extract found: growing
// it to a million entries never hashes a text again (a map keyed by the
// texts spent a second of a million-row build rehashing them), and an exact
// comparison costs no folding.
type textSet struct {
	seed maphash.Seed
	set  probeSet
}

// key is the hash of a study and a text; the first call sets the set up.
func (s *textSet) key(st *Study, text string) uint64 {
	if s.seed == (maphash.Seed{}) {
		s.seed = maphash.MakeSeed()
	}
	return maphash.String(s.seed, text)*31 + maphash.String(s.seed, st.ID)
}

// add returns the extract that had text in study st before, or records e
// as having it and returns -1; rows, when known, sizes the set.
func (s *textSet) add(st *Study, text string, e int32, x *store, rows int) int32 {
	h := s.key(st, text)
	d := s.set.find(h, func(d int32) bool { return x.rec(d).study == st.idx && x.text(d) == text })
	if d < 0 {
		s.set.add(h, e, rows)
	}
	return d
}

// reader reads the rows of one source into extracts.
type reader struct {
	in  *input
	src *ExtractsSource
	t   *table
	lo  *layout
	// fill are the fields filled down (ExtractsSource.FillDown), filling
	// whether there is one, and prev the last row's values, kept for them.
	fill    [nFields]bool
	filling bool
	prev    []string
	// fillFrom is the row each filled-down field's value was written in;
	// badFill the row of a filled-down study already reported as not in
	// the studies table, whose rows below are not reported again.
	fillFrom [nFields]int
	badFill  int

	seenText textSet
	rows     int // the source's rows, when known (0 when streamed)
	// suspect counts codes cells that look split by another separator.
	suspect      int
	suspectWhere string
	suspectCell  string
	suspectSep   string

	// nonText counts the rows that code an image, audio or video
	// (Preset.NonText); nonTextWhere is the first one's marking cell.
	nonText      int
	nonTextWhere string

	// studyOf is the study of each study cell as written (trimmed), for
	// up to maxStudySpellings of them: in.study folds the value first.
	studyOf map[string]*Study
	// sepUsed counts codes cells that the source's separator splits into
	// known codes.
	sepUsed    int
	knownCells map[string]knownCell
	// pieces is what each piece of a codes cell, as written, names: its
	// code, or "" for an empty piece (codesByPiece); pieceCodes is the
	// list codesByPiece returns, kept for the next cell.
	pieces     map[string]string
	pieceCodes []string
	// maxRun is the most pieces the separator cuts a codebook name or
	// alias into: no longer run of a cell is tried as one code.
	maxRun int
	// dateCells are the date cells of each field, for one warning per column.
	dateCells [nFields]struct {
		n            int
		where, value string
		more         []string // the next cells' references, up to 9
	}
}

func (r *reader) at(row *tableRow, f int) string {
	col := r.lo.cols[f]
	if col == 0 {
		col = r.lo.cols[fText]
	}
	return r.t.where(col, row.num)
}

// row reads one row: an extract, another coding of one, or nothing.
func (r *reader) row(row *tableRow) error {
	in, t, lo := r.in, r.t, r.lo
	if row.heading {
		return nil // a section heading: never an extract, a study or a fill-down value
	}
	v := row.vals
	if lo.nonText >= 0 && r.isNonText(v[lo.nonText]) {
		if r.nonText == 0 {
			r.nonTextWhere = t.where(lo.cols[lo.nonText], row.num)
		}
		r.nonText++
		return nil
	}
	// A row with no text, ID or codes of its own is no extract, whatever
	// fill_down would copy into it (a study written above its extracts).
	own := strings.TrimSpace(v[fText]) != "" || strings.TrimSpace(v[fID]) != "" || strings.TrimSpace(v[fCodes]) != ""
	studyFilled := false
	if r.filling {
		for f := range nFields {
			if !r.fill[f] {
				continue
			}
			if strings.TrimSpace(v[f]) != "" {
				r.fillFrom[f] = row.num
				continue
			}
			v[f] = r.prev[f]
			studyFilled = studyFilled || f == fStudy && v[f] != ""
			if f == fText {
				row.textSST = 0 // the text is not the cell's
			}
		}
		copy(r.prev, v)
	}
	text := strings.TrimSpace(v[fText])
	id := fold.Clean(v[fID])
	codesCell := v[fCodes]
	applied, err := r.codeColumns(row)
	if err != nil {
		return err
	}
	if !own && len(applied) == 0 || text == "" && id == "" && strings.TrimSpace(codesCell) == "" && len(applied) == 0 {
		// Not an extract. A row whose only values are fill_down ones (a
		// study written once above its extracts) is used; any other value
		// in a mapped column is reported, never dropped silently.
		for i, val := range v {
			if strings.TrimSpace(val) == "" || i < nFields && r.fill[i] {
				continue
			}
			in.warnings = append(in.warnings, Warning{Kind: WarnIgnoredRow, Where: t.where(lo.cols[i], row.num),
				Message: fmt.Sprintf("row %d has a value under %q but no extract text, ID or codes, so it is not read as an extract", row.num, t.header(lo.cols[i]))})
			break
		}
		return nil
	}
	r.dates(row)

	key, keyed := r.identity(row, id)
	x := in.store
	e := int32(-1)
	if keyed {
		e = in.segments.get(key, x)
	}
	if keyed && e < 0 && text == "" {
		return r.noText(row, id, codesCell, applied) // before the study: a heading has none
	}
	studyVal := strings.TrimSpace(v[fStudy])
	if studyVal == "" && lo.studyAlt >= 0 {
		studyVal = strings.TrimSpace(v[lo.studyAlt])
	}
	var st *Study
	switch {
	case studyVal == "" && e >= 0:
		st = in.studies[x.rec(e).study] // a continuation row of a long layout may leave the study blank
	case studyVal == "":
		hint := ""
		if !r.fill[fStudy] {
			hint = ` (or add "fill_down: [study]" to the source in synth.yaml if the study is written once above its extracts)`
		}
		return r.withTypeError(row, errorAt(r.at(row, fStudy), "extract has no study; fill in the %s column%s", t.header(lo.cols[fStudy]), hint))
	default:
		if st = r.studyOf[studyVal]; st != nil {
			break
		}
		at := func() string { return r.at(row, fStudy) }
		if studyFilled {
			// Filled down: the study is wrong where it was written.
			at = func() string { return t.where(lo.cols[fStudy], r.fillFrom[fStudy]) }
		}
		if st, err = in.study(studyVal, at); err != nil {
			if studyFilled && r.badFill == r.fillFrom[fStudy] {
				// Said once, where it was written (the run fails); the
				// row's own cells are still checked.
				return r.typeError(row)
			}
			if r.fill[fStudy] {
				r.badFill = r.fillFrom[fStudy] // this row's, when it wrote the study
			}
			return r.withTypeError(row, err)
		}
		if len(r.studyOf) < maxStudySpellings {
			if r.studyOf == nil {
				r.studyOf = map[string]*Study{}
			}
			r.studyOf[strings.Clone(studyVal)] = st
		}
	}
	if !keyed {
		if text == "" {
			return r.noText(row, id, codesCell, applied)
		}
		key = segKey{kind: 't', study: st, s: fold.Clean(text)}
		e = in.segments.get(key, x)
	}
	typ, ok := parseType(v[fType])
	if !ok {
		return r.typeError(row)
	}
	coder := strings.TrimSpace(v[fCoder])
	if coder == "" && lo.coderAlt >= 0 {
		coder = strings.TrimSpace(v[lo.coderAlt])
	}
	if e >= 0 {
		// Another row of the same segment adds its codings.
		if etext := x.text(e); text != "" && etext != "" && fold.Key(text) != fold.Key(etext) {
			return errorAt(r.at(row, fText), "extract %s has different text from %s; rows of one %s must quote the same text (or give this row its own ID)", x.id(e), x.where(e), r.identityName())
		}
		if est := in.studies[x.rec(e).study]; est != st {
			return errorAt(r.at(row, fStudy), "extract %s belongs to study %s at %s but to study %s here", x.id(e), est.ID, x.where(e), st.ID)
		}
	} else {
		if text == "" {
			return r.noText(row, id, codesCell, applied)
		}
		sst := row.textSST
		if len(text) != len(v[fText]) {
			sst = 0 // trimmed: not the shared string as it is
		}
		e = x.newExtract(id, text, sst, strings.TrimSpace(v[fLocation]), st, typ, coder, t, lo.cols[fText], lo.cols[fCodes], row.num)
		in.segments.put(key, e)
		st.Extracts++
		if d := r.seenText.add(st, text, e, x, r.rows); d >= 0 {
			in.warnings = append(in.warnings, Warning{Kind: WarnDuplicateExtract, Where: x.where(e),
				Message: fmt.Sprintf("extract %s repeats the text of extract %s (%s) in study %s", x.id(e), x.id(d), x.where(d), st.ID)})
		}
	}
	x.addCoder(e, coder)
	r.codes(e, codesCell, coder, newCellRef(t, lo.cols[fCodes], row.num))
	for _, a := range applied {
		x.addCoding(e, r.code(a.name, a.where), coder, a.where)
	}
	x.flush()
	return nil
}

// typeError is the error for a row whose type cell is neither participant
// nor author, or nil.
func (r *reader) typeError(row *tableRow) error {
	if _, ok := parseType(row.vals[fType]); ok {
		return nil
	}
	return errorAt(r.at(row, fType), "extract type %q is neither participant (quote, 1st order) nor author (interpretation, 2nd order)", strings.TrimSpace(row.vals[fType]))
}

// withTypeError returns err, the error of a row's study, and records it
// first when the row's type is wrong too, returning that: one run names
// every error of a row, in the order of its cells.
func (r *reader) withTypeError(row *tableRow, err error) error {
	terr := r.typeError(row)
	if terr == nil {
		return err
	}
	r.in.fail(err)
	return terr
}

// noText is the error for a row that would start an extract but has no text.
func (r *reader) noText(row *tableRow, id, codesCell string, applied []appliedCode) error {
	if strings.TrimSpace(codesCell) == "" && len(applied) == 0 {
		// Only an ID: most often a heading typed in the first column.
		return errorAt(r.at(row, fText), "row %d has %q under %q but no text or codes; if it is a heading, merge it across the columns (synth skips merged headings) or delete it, else fill in the text",
			row.num, id, r.t.header(r.lo.cols[fID]))
	}
	return errorAt(r.at(row, fText), "extract has codes but no text; fill in the text or give the row the ID of the extract it belongs to")
}

// identity returns the key of the segment a row belongs to: its segment
// columns and its text when the source names segment columns, else its ID.
// keyed is false when the row has neither, and its study and text identify
// it. The text is part of a segment's key because tools' positions are not
// always unique: MAXQDA's Beginning and End are paragraph numbers, which two
// segments of one paragraph share, while the codings of one segment share
// its text.
func (r *reader) identity(row *tableRow, id string) (key segKey, keyed bool) {
	if len(r.lo.segment) > 0 {
		var b strings.Builder
		b.WriteString("s")
		blank := true
		for _, i := range r.lo.segment {
			val := fold.Clean(row.vals[i])
			blank = blank && val == ""
			b.WriteByte(0)
			b.WriteString(val)
		}
		if !blank {
			b.WriteByte(0)
			b.WriteString(fold.Clean(row.vals[fText]))
			return segKey{kind: 's', s: b.String()}, true
		}
	}
	if id != "" {
		return segKey{kind: 'i', s: fold.Key(id)}, true
	}
	return segKey{}, false
}

// segKey is a segment's identity: kind 's' for segment columns and text,
// 'i' for an ID, 't' for a study and text; a struct, so that a million rows
// build no key strings for the common ID case.
type segKey struct {
	kind  byte
	study *Study
	s     string
}

func (r *reader) identityName() string {
	switch {
	case len(r.lo.segment) > 0:
		return "segment"
	case r.lo.cols[fID] != 0:
		return "ID"
	}
	return "study and text"
}

// dates notes a date in an ID, location or codes cell: Excel turns a page
// range typed as 12-14 into the 14th of December, and an ID typed 1:3 into a
// time. finish warns once per column, at its first such cell.
func (r *reader) dates(row *tableRow) {
	if row.dates == nil {
		return
	}
	for _, f := range []int{fID, fLocation, fCodes} {
		if !row.dates[f] || r.lo.cols[f] == 0 {
			continue
		}
		d := &r.dateCells[f]
		if d.n == 0 {
			d.where, d.value = r.t.where(r.lo.cols[f], row.num), strings.Clone(row.vals[f])
		} else if d.n < 10 {
			d.more = append(d.more, sheet.Ref(r.lo.cols[f], row.num))
		}
		d.n++
	}
}

type appliedCode struct {
	name  string
	where cellRef
}

// codeColumns reads a row's code matrix cells: 1 (any number above 0), x,
// ✓, yes or true apply the column's code; 0, no, false or blank do not;
// anything else is an error at the cell.
func (r *reader) codeColumns(row *tableRow) ([]appliedCode, error) {
	var out []appliedCode
	for _, cc := range r.lo.codeCols {
		val := strings.TrimSpace(row.vals[cc.idx])
		on, ok := indicator(val)
		where := newCellRef(r.t, r.lo.cols[cc.idx], row.num)
		if !ok {
			return nil, errorAt(where.String(), "code column %q holds %q; a code column marks a code with 1, x, ✓, yes or true, and its absence with 0, no, false or a blank", cc.name, val)
		}
		if on {
			out = append(out, appliedCode{cc.name, where})
		}
	}
	return out, nil
}

// indicator reads a code matrix cell; ok is false for a value that is
// neither a mark nor its absence. A number is a plain decimal (1, 0.5, 2e3):
// above 0 it applies the code, 0 does not, and a negative, infinite or
// otherwise written number (0x1p-2, 1_000) is an error.
func indicator(val string) (on, ok bool) {
	switch strings.ToLower(val) {
	case "", "0", "no", "n", "false", "-0":
		return false, true
	case "1", "x", "✓", "✔", "☑", "yes", "y", "true":
		return true, true
	}
	if strings.TrimLeft(val, "+-0123456789.eE") != "" {
		return false, false
	}
	f, err := strconv.ParseFloat(val, 64)
	switch {
	case err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0:
		return false, false
	case f > 0:
		return true, true
	}
	return false, true
}

// codes splits a codes cell and adds its codes to the extract as codings.
// Line breaks separate codes as well as the separator does. A run of pieces,
// one of them unknown alone, that names a code when joined by the
// separator ("Cost, money" split by ",") is that code.
func (r *reader) codes(e int32, cell, coder string, where cellRef) {
	if strings.TrimSpace(cell) == "" {
		return
	}
	x := r.in.store
	if m, ok := r.knownCells[cell]; ok {
		r.sepUsed += m.sepUsed
		fresh := x.fresh(e, coder, where)
		if fresh && m.set > 0 {
			x.rec(e).codes = m.set // what the codings below would come to
			return
		}
		for _, code := range m.codes {
			x.addCoding(e, code, coder, where)
		}
		if fresh {
			x.flush()
			m.set = x.rec(e).codes
			r.knownCells[cell] = m
		}
		return
	}
	var memo knownCell // what the cell gives, if all its pieces are codes
	key := cell        // the cell as written: it is rewritten below
	defer func() {
		if memo.codes != nil && len(r.knownCells) < r.knownCellsBound() {
			if r.knownCells == nil {
				r.knownCells = map[string]knownCell{}
			}
			r.knownCells[strings.Clone(key)] = memo
		}
	}()
	sep := r.lo.separator
	if r.maxRun == 0 {
		r.maxRun = 1
		for _, c := range r.in.cb.Codes {
			for _, name := range append([]string{c.Name}, c.Aliases...) {
				r.maxRun = max(r.maxRun, strings.Count(name, sep)+1)
			}
		}
	}
	if codes, ok := r.codesByPiece(cell); ok {
		if len(codes) >= 2 {
			r.sepUsed++
			memo.sepUsed++
		}
		for _, code := range codes {
			x.addCoding(e, code, coder, where)
		}
		if len(codes) > 0 && len(r.knownCells) < r.knownCellsBound() {
			memo.codes = slices.Clone(codes)
		}
		return
	}
	cell = strings.ReplaceAll(cell, "\r", "\n")
	unknownPiece := false
	for _, line := range strings.Split(cell, "\n") {
		pieces := strings.Split(line, sep)
		names := make([]string, len(pieces))
		canon := make([]string, len(pieces))
		known := make([]bool, len(pieces))
		allKnown, n := true, 0
		for i, p := range pieces {
			names[i] = fold.Clean(p)
			known[i] = true // an empty piece is nothing unknown
			if names[i] != "" {
				n++
				canon[i], known[i] = r.lookup(names[i])
				allKnown = allKnown && known[i]
			}
		}
		if allKnown && n >= 2 {
			r.sepUsed++
			memo.sepUsed++
		}
		for i := 0; i < len(pieces); i++ {
			if names[i] == "" {
				continue
			}
			code, ok := canon[i], known[i]
			if !allKnown && r.maxRun > 1 {
				// The longest run from i, no longer than the codebook's
				// longest name in pieces, that names a code by its whole
				// name or alias (never by a path's tail) and holds a piece
				// that is unknown alone.
				for j := min(len(pieces)-1, i+r.maxRun-1); j > i; j-- {
					if !slices.ContainsFunc(known[i:j+1], func(k bool) bool { return !k }) {
						continue
					}
					if c, found := r.runCode(fold.Clean(strings.Join(pieces[i:j+1], sep))); found {
						code, ok, i = c, true, j
						break
					}
				}
			}
			if !ok {
				unknownPiece = true
				code = r.unknownCode(names[i], where)
			}
			r.in.store.addCoding(e, code, coder, where)
			memo.codes = append(memo.codes, code)
		}
	}
	if unknownPiece {
		memo.codes = nil // an unknown code is counted and warned of each time
		r.checkSeparator(cell, where)
	}
}

// codesByPiece reads a codes cell of one line whose pieces each name a
// code, with r.pieces remembering what each piece, as written, names: a
// review's cells are combinations of some tens of codes, hundreds of
// thousands of them in a large one, and their pieces a few dozen. It gives
// the cell's codes in order, empty pieces left out, in a list valid until
// the next call. It reports false, having added nothing, for a cell that
// the whole reading in codes must take: one with a line break, one with a
// piece that names no code, or any cell when a codebook name holds the
// separator (r.maxRun > 1, set before), where a run of pieces may name one
// code.
func (r *reader) codesByPiece(cell string) ([]string, bool) {
	sep := r.lo.separator
	if r.maxRun != 1 || sep == "" || strings.ContainsAny(cell, "\r\n") {
		return nil, false
	}
	codes := r.pieceCodes[:0]
	for rest := cell; ; {
		piece, after, more := strings.Cut(rest, sep)
		code, seen := r.pieces[piece]
		if !seen {
			if name := fold.Clean(piece); name != "" {
				c, known := r.lookup(name)
				if !known {
					return nil, false
				}
				code = c
			}
			if len(r.pieces) < maxKnownPieces {
				if r.pieces == nil {
					r.pieces = map[string]string{}
				}
				r.pieces[strings.Clone(piece)] = code
			}
		}
		if code != "" { // "" is an empty piece
			codes = append(codes, code)
		}
		if !more {
			break
		}
		rest = after
	}
	r.pieceCodes = codes
	return codes, true
}

// knownCellsBound is how many whole codes cells r keeps (knownCells).
func (r *reader) knownCellsBound() int {
	if r.maxRun > 1 {
		return maxKnownCellsWhole
	}
	return maxKnownCells
}

// maxStudySpellings bounds reader.studyOf: a review has some tens of
// studies.
const maxStudySpellings = 1 << 12

// maxKnownPieces bounds r.pieces: a codebook has some tens or hundreds of
// codes, written in a few ways each.
const maxKnownPieces = 1 << 12

// knownCell is what a codes cell whose pieces are all codebook codes gives:
// its codes in order, and how many of its lines the separator split into
// two or more. The reader keeps up to maxKnownCells of them by the cell's
// text: a review writes a few hundred different codes cells, and a million
// rows then split and fold them once each.
type knownCell struct {
	codes   []string
	sepUsed int
	// set is the store's code set that the cell gives an extract with no
	// codings yet, by the extract's own coder in its own codes cell; 0
	// until one such extract has been read.
	set int32
}

// maxKnownCells bounds reader.knownCells. A review writes some hundreds of
// different codes cells; past the bound a cell is read through its pieces
// (codesByPiece), which costs little more, while a larger map of whole
// cells cost more to miss: at 16,384 cells a million-extract build spent
// 0.36 s looking cells up, at 1,024 0.10 s. When a codebook name holds the
// separator, codesByPiece reads no cell, and the reader keeps up to
// maxKnownCellsWhole cells, as it did before it read pieces.
const (
	maxKnownCells      = 1 << 10
	maxKnownCellsWhole = 1 << 14
)

// runCode matches a rejoined run of pieces: by its whole name or alias, or,
// written as a path, by the path whose last part holds the separator
// ("Barriers\Rules; forms" for the code "Rules; forms"). A path whose last
// part is whole without the separator is never matched from a run, or a
// run "Typo;Barriers\Waiting" would swallow the unknown "Typo".
func (r *reader) runCode(run string) (string, bool) {
	if c, ok := r.in.cb.Lookup(run); ok {
		return c, true
	}
	if parts := r.pathParts(run); parts != nil && strings.Contains(parts[len(parts)-1], r.lo.separator) {
		return r.lookup(run)
	}
	return "", false
}

// known reports whether a name from a codes cell is a codebook code.
func (r *reader) known(name string) bool {
	_, ok := r.lookup(name)
	return ok
}

// lookup matches a code name: the whole name, then for a code path the
// path written with " › " (as synth import writes same-named codes), then
// its last part.
func (r *reader) lookup(name string) (string, bool) {
	if c, ok := r.in.cb.Lookup(name); ok {
		return c, true
	}
	if parts := r.pathParts(name); parts != nil {
		// The longest tail of the path that names a code: A > B > C is
		// "A › B › C", else "B › C" (as synth import names a C that has
		// namesakes), else "C".
		for i := range parts {
			if c, ok := r.in.cb.Lookup(strings.Join(parts[i:], " › ")); ok {
				return c, true
			}
		}
	}
	return "", false
}

// pathParts splits a code written as a path by the first of the source's
// path separators that it holds; nil when it is no path.
func (r *reader) pathParts(name string) []string {
	for _, p := range r.lo.codePaths {
		if strings.Contains(name, p) {
			return splitPath(name, p)
		}
	}
	return nil
}

func splitPath(name, sep string) []string {
	var parts []string
	for _, p := range strings.Split(name, sep) {
		if p = fold.Clean(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return []string{name}
	}
	return parts
}

// code returns the canonical name of a code read from a cell, recording an
// unknown one (with its first cell) for the unknown-code warning.
func (r *reader) code(name string, where cellRef) string {
	if c, ok := r.lookup(name); ok {
		return c
	}
	return r.unknownCode(name, where)
}

// unknownCode records a code that is not in the codebook and returns its
// name as first written.
func (r *reader) unknownCode(name string, where cellRef) string {
	in := r.in
	k := fold.Key(name)
	u := in.unknown[k]
	if u == nil {
		name, k = strings.Clone(name), strings.Clone(k) // kept past the row
		u = &unknownCode{name: name, where: where.String()}
		if parts := r.pathParts(name); parts != nil {
			u.suggestFor = parts[len(parts)-1]
		} else if len(r.lo.codePaths) == 0 {
			// A path in a source without code_path: say which to set when
			// its last part is a code.
			for _, sep := range CodePathSeparators {
				if !strings.Contains(name, sep) {
					continue
				}
				parts := splitPath(name, sep)
				if c, ok := r.in.cb.Lookup(parts[len(parts)-1]); ok {
					u.hint = fmt.Sprintf("; if it is the path of %q, set code_path: '%s' for this source in synth.yaml", c, sep)
					break
				}
			}
		}
		in.unknown[k] = u
		in.unknownOrder = append(in.unknownOrder, k)
	}
	u.cells++
	return u.name
}

// suspectSeparators are the separators a codes cell may have been written
// with instead of the source's.
var suspectSeparators = []string{",", ";", "|", "/", "\t"}

// checkSeparator notes a codes cell with unknown codes that another
// separator would split into known ones.
func (r *reader) checkSeparator(cell string, where cellRef) {
	for _, alt := range suspectSeparators {
		if alt == r.lo.separator || slices.Contains(r.lo.codePaths, alt) || !strings.Contains(cell, alt) {
			continue
		}
		n, all := 0, true
		for _, line := range strings.Split(cell, "\n") {
			for _, p := range strings.Split(line, alt) {
				if p = fold.Clean(p); p != "" {
					n++
					all = all && r.known(p)
				}
			}
		}
		if n >= 2 && all {
			if r.suspect == 0 {
				r.suspectWhere, r.suspectCell, r.suspectSep = where.String(), strings.Clone(strings.TrimSpace(cell)), alt
			}
			r.suspect++
			return
		}
	}
}

// isNonText reports whether a value of the preset's NonText column marks a
// coding of an image, audio or video.
func (r *reader) isNonText(val string) bool {
	val = strings.TrimSpace(val)
	for _, p := range r.lo.preset.NonText.Prefixes {
		if strings.HasPrefix(val, p) {
			return true
		}
	}
	return false
}

// finish adds the source's summary warnings.
func (r *reader) finish() {
	r.t.sealStrings()
	if r.nonText > 0 {
		nt := r.lo.preset.NonText
		rows := "1 row codes"
		if r.nonText > 1 {
			rows = fmt.Sprintf("%d rows code", r.nonText)
		}
		r.in.warnings = append(r.in.warnings, Warning{Kind: WarnNonTextCoding, Where: r.nonTextWhere,
			Message: fmt.Sprintf("%s an image, audio or video, not text (%s %s…): %s writes no text for them, so they are not extracts and support no code",
				rows, r.t.header(r.lo.cols[r.lo.nonText]), strings.Join(nt.Prefixes, "… or "), r.lo.preset.Tool)})
	}
	for _, f := range []int{fID, fLocation, fCodes} {
		d := r.dateCells[f]
		if d.n == 0 {
			continue
		}
		cells := ""
		if d.n > 1 {
			cells = fmt.Sprintf(" (%d cells in this column: also %s", d.n, strings.Join(d.more, ", "))
			if d.n > len(d.more)+1 {
				cells += ", …"
			}
			cells += ")"
		}
		r.in.warnings = append(r.in.warnings, Warning{Kind: WarnDateCell, Where: d.where,
			Message: fmt.Sprintf("the %s cell holds a date or time (shown as %q)%s; Excel turns text such as a page range 12-14 or a quotation ID 1:3 into one, so retype it as text (format the column as Text first)", fieldNames[f], d.value, cells)})
	}
	if r.suspect == 0 {
		return
	}
	cells := ""
	if r.suspect > 1 {
		cells = fmt.Sprintf(" (%d cells)", r.suspect)
	}
	fix := fmt.Sprintf("set separator: %q for it in synth.yaml, or retype the cells", r.suspectSep)
	if r.sepUsed > 0 {
		// Other cells use the source's separator: changing it would break them.
		fix = fmt.Sprintf("other cells of this source use %q, so retype it with %q", r.lo.separator, r.lo.separator)
	}
	r.in.warnings = append(r.in.warnings, Warning{Kind: WarnSeparatorSuspect, Where: r.suspectWhere,
		Message: fmt.Sprintf("the codes cell %q looks separated by %q, but this source's separator is %q%s; %s",
			r.suspectCell, r.suspectSep, r.lo.separator, cells, fix)})
}
