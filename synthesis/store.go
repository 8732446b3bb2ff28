package synthesis

import (
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/scratch"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// The extracts of a synthesis are held as columns (store), not as a
// million Extract structs: per extract a record of 56 bytes with no
// pointers (its study, coder, code set and coders as places in interned
// tables, its cell as integers, its ID and location in byte chunks of a
// strArena) and its text, the string the reader made. A review has a few
// hundred combinations of codes, themes and coders however many extracts
// it has, so each combination is one shared list. The collector marks the
// records without scanning them; at a million extracts the store holds
// about 90 MB besides the texts, where Extract structs with their own
// strings and lists took 350 MB. Result.Extracts and ThemeStat.Extracts
// make an Extract when one is asked for.

// strArena holds strings back to back in byte chunks of up to 1 MiB; a
// string of 64 KiB or more is held on its own. A string is never changed
// once added, so get returns a view of its bytes, not a copy.
type strArena struct {
	chunks [][]byte
	big    []string
}

// strRef is a string of a strArena: its chunk, offset and length packed as
// 23, 20 and 20 bits, or, with refBig set, its place among the big ones. 0
// is "".
type strRef uint64

const (
	arenaChunk = 1 << 20 // the most a chunk holds; offsets and lengths fit 20 bits
	arenaFirst = 4 << 10 // the first chunk: a small project holds no megabyte
	arenaBig   = 64 << 10
	refBig     = strRef(1) << 63
	ref20      = 1<<20 - 1
)

func (a *strArena) add(s string) strRef {
	n := len(s)
	switch {
	case n == 0:
		return 0
	case n >= arenaBig:
		a.big = append(a.big, strings.Clone(s))
		return refBig | strRef(len(a.big)-1)
	}
	c := len(a.chunks) - 1
	if c < 0 || len(a.chunks[c])+n > cap(a.chunks[c]) {
		size := arenaChunk
		if c < 0 {
			size = arenaFirst
		} else if next := 2 * cap(a.chunks[c]); next < arenaChunk {
			size = next
		}
		a.chunks = append(a.chunks, make([]byte, 0, size))
		c++
	}
	off := len(a.chunks[c])
	a.chunks[c] = append(a.chunks[c], s...)
	return strRef(c)<<40 | strRef(off)<<20 | strRef(n)
}

func (a *strArena) get(r strRef) string {
	switch {
	case r == 0:
		return ""
	case r&refBig != 0:
		return a.big[r&^refBig]
	}
	c, off, n := int(r>>40), int(r>>20&ref20), int(r&ref20)
	b := a.chunks[c][off : off+n]
	return unsafe.String(&b[0], n) // the bytes are never written again
}

// extractRec is one extract of a store but its text: 56 bytes, no pointers.
type extractRec struct {
	id, loc  strRef // id 0: the extract's ID is its text cell (file:Sheet!row)
	table    int32  // place in store.tables of the source's table
	col, row int32  // the text cell of the extract's first row
	codesCol int32  // the codes column of that row (0: none)
	study    int32  // place in the input's studies (Study.idx)
	coder    int32  // place in store.coders: the coder of the first row
	codes    int32  // place in store.codeSets
	coders   int32  // place in store.coderSets
	// codings is -1 while the extract's codings are one per code, by its
	// coder, in its codes cell, in the order of its codes (a row per
	// segment: the common case, held as nothing); else the first of its
	// codings in store.codings.
	codings int32
	author  bool
}

// codingRec is a coding of an extract whose codings are not all its
// coder's in its codes cell: a list linked by next (-1 ends it).
type codingRec struct {
	code, coder int32 // places in store.codeNames and store.coders
	table, col  int32
	row, next   int32
}

// store holds the extracts of a synthesis as columns.
type store struct {
	strs strArena
	recs [][]extractRec // in chunks of recChunk, so that growing copies none
	// An extract's text is in log (textLog); or, read from a workbook with
	// a shared-string table, it is a string of that table, which holds it
	// anyway; or, longer than the log keeps, a string of held. textAt,
	// aligned with recs, says which (textRef). runes, aligned too, counts
	// each text's characters, which choosing quotations compares for every
	// extract.
	log     *textLog
	held    [][]string // in chunks of recChunk, so that growing copies none
	nHeld   int
	textAt  [][]textRef
	runes   [][]int32
	n       int // extracts
	tables  []*table
	studies []*Study // the input's studies, set when the synthesis is built
	coders  interner // coders as written, trimmed; 0 is ""

	// Interned code lists: codeSets[0] is nil, the rest clipped so that an
	// append copies; setIDs are the same as places in codeNames, and
	// setByKey finds a list by those places in binary (the empty list, and
	// lists that smallSetKey cannot pack).
	codeNames interner
	codeSets  [][]string
	setIDs    [][]int32
	setByKey  map[string]int32
	// setBySmall finds a list of up to three codes by smallSetKey.
	setBySmall map[uint64]int32
	// pend are codes waiting to join extract pendE's (-1: none) once the
	// row adding them is read (flush).
	pendE int32
	pend  []int32
	// themeSets are the themes of each code set, set by compute.
	themeSets [][]string

	// Interned coder lists (Extract.Coders): coderSets[0] is nil.
	coderSets  [][]string
	coderByKey map[string]int32
	coderNext  map[coderStep]int32

	// codings are the codings of the extracts whose codings are not one
	// per code, by their coder, in their codes cell (extractRec.codings).
	codings []codingRec
}

type coderStep struct {
	set   int32
	coder string
}

// newStore makes a store holding up to textsInMemory bytes of texts in
// memory (Options.TextsInMemory: 0 for the default, negative for none).
func newStore(textsInMemory int64) *store {
	s := &store{log: &textLog{limit: scratch.Limit(textsInMemory, defaultTextsInMemory)}, codeSets: [][]string{nil}, setIDs: [][]int32{nil}, setByKey: map[string]int32{"": 0}, setBySmall: map[uint64]int32{}, pendE: -1,
		coderSets: [][]string{nil}, coderByKey: map[string]int32{"": 0}, coderNext: map[coderStep]int32{}}
	s.coders.id("")
	return s
}

// interner numbers strings in the order first given.
type interner struct {
	names []string
	ids   map[string]int32
}

func (n *interner) id(name string) int32 {
	if i, ok := n.ids[name]; ok {
		return i
	}
	if n.ids == nil {
		n.ids = map[string]int32{}
	}
	name = strings.Clone(name) // a cell's value keeps its reader's block
	n.names = append(n.names, name)
	i := int32(len(n.names) - 1)
	n.ids[name] = i
	return i
}

// recChunk is how many extracts a chunk of store.recs holds (448 KiB).
const recChunk = 1 << 13

func (s *store) len() int { return s.n }

// rec is extract i's record.
func (s *store) rec(i int32) *extractRec { return &s.recs[i/recChunk][i%recChunk] }

func (s *store) tableIdx(t *table) int32 {
	for i := len(s.tables) - 1; i >= 0; i-- {
		if s.tables[i] == t {
			return int32(i)
		}
	}
	s.tables = append(s.tables, t)
	return int32(len(s.tables) - 1)
}

// newExtract adds an extract read from row of table t with its text in
// column col and its codes in codesCol, and returns its place. sst, when
// not 0, says that text is exactly string sst-1 of t's workbook's
// shared-string table, which then holds it for the store, in memory or in
// its file; else the text is copied to the log.
func (s *store) newExtract(id, text string, sst int32, loc string, st *Study, typ ExtractType, coder string, t *table, col, codesCol, row int) int32 {
	r := extractRec{loc: s.strs.add(loc), table: s.tableIdx(t),
		col: int32(col), row: int32(row), codesCol: int32(codesCol), study: st.idx, coder: s.coders.id(coder), codings: -1, author: typ == Author}
	if id != "" {
		r.id = s.strs.add(id)
	}
	if s.n%recChunk == 0 {
		s.recs = append(s.recs, make([]extractRec, 0, recChunk))
		s.textAt = append(s.textAt, make([]textRef, 0, recChunk))
		s.runes = append(s.runes, make([]int32, 0, recChunk))
	}
	var ref textRef
	switch {
	case sst > 0 && t.hasShared(sst-1):
		ref = ^textRef(sst - 1)
	case len(text) > refLen:
		if s.nHeld%recChunk == 0 {
			s.held = append(s.held, make([]string, 0, recChunk))
		}
		ref = ^(refHeld + textRef(s.nHeld))
		s.held[len(s.held)-1] = append(s.held[len(s.held)-1], text)
		s.nHeld++
	default:
		ref = textRef(s.log.n)<<refLenBits | textRef(len(text))
		s.log.add(text)
	}
	last := len(s.recs) - 1
	s.recs[last] = append(s.recs[last], r)
	s.textAt[last] = append(s.textAt[last], ref)
	s.runes[last] = append(s.runes[last], int32(min(runeCount(text), math.MaxInt32)))
	s.n++
	return int32(s.n - 1)
}

// textRef is where an extract's text is: at ref>>refLenBits in the store's
// log, ref&refLen bytes long; or, negative, the ^ref-th string of the
// shared-string table of the extract's table, or, ^ref being refHeld or
// more, the (^ref-refHeld)-th of store.held.
type textRef int64

const (
	refLenBits = 24
	refLen     = 1<<refLenBits - 1 // a longer text is held
	refHeld    = textRef(1) << 32
)

// ref is where extract i's text is.
func (s *store) ref(i int32) textRef { return s.textAt[i/recChunk][i%recChunk] }

// textSpan is where extract i's text starts and ends in s.log, and
// whether it is there.
func (s *store) textSpan(i int32) (start, end int64, ok bool) {
	ref := s.ref(i)
	if ref < 0 {
		return 0, 0, false
	}
	start = int64(ref >> refLenBits)
	return start, start + int64(ref&refLen), true
}

// text is extract i's text.
func (s *store) text(i int32) string {
	start, end, ok := s.textSpan(i)
	if ok {
		return s.log.get(start, end)
	}
	k := ^s.ref(i)
	if k < refHeld {
		return s.sharedText(i, int(k), nil)
	}
	k -= refHeld
	return s.held[k/recChunk][k%recChunk]
}

// sharedText is extract i's text, string k of its table's shared strings,
// read through c when not nil; a failed read is the log's error (Err).
func (s *store) sharedText(i int32, k int, c *sheet.StringsCache) string {
	v, err := s.tables[s.rec(i).table].strs.Read(k, c)
	if err != nil {
		s.log.fail(err)
	}
	return v
}

// runeCount is utf8.RuneCountInString(s), eight ASCII bytes at a time.
func runeCount(s string) int {
	n := 0
	for len(s) >= 8 {
		if binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8))&0x8080808080808080 == 0 {
			n, s = n+8, s[8:]
			continue
		}
		_, size := utf8.DecodeRuneInString(s)
		n, s = n+1, s[size:]
	}
	return n + utf8.RuneCountInString(s)
}

// textRunes is the number of characters in extract i's text.
func (s *store) textRunes(i int32) int32 { return s.runes[i/recChunk][i%recChunk] }

func (s *store) id(i int32) string {
	r := s.rec(i)
	if r.id == 0 {
		t := s.tables[r.table]
		return fmt.Sprintf("%s:%s!%d", t.file, t.sheet, r.row)
	}
	return s.strs.get(r.id)
}

func (s *store) where(i int32) string {
	r := s.rec(i)
	return cellRef{s.tables[r.table], r.col, r.row}.String()
}

func (s *store) codesWhere(i int32) string {
	r := s.rec(i)
	return cellRef{s.tables[r.table], r.codesCol, r.row}.String()
}

// has reports whether extract i has code (a place in codeNames), among
// its codes or those waiting to join them.
func (s *store) has(i, code int32) bool {
	return slices.Contains(s.setIDs[s.rec(i).codes], code) || s.pendE == i && slices.Contains(s.pend, code)
}

// addCode has code join extract i's codes when the row is done (flush):
// the codes a row adds make one new set, not one set per code, so that an
// extract of ten codes leaves one set, not ten.
func (s *store) addCode(i, code int32) {
	if s.pendE != i {
		s.flush()
		s.pendE = i
	}
	if !s.has(i, code) {
		s.pend = append(s.pend, code)
	}
}

// flush gives the extract the codes waiting to join its own: its code set
// becomes the set of both, interned.
func (s *store) flush() {
	if s.pendE < 0 {
		return
	}
	r := s.rec(s.pendE)
	if len(s.pend) > 0 {
		own := s.setIDs[r.codes]
		small, isSmall := smallSetKey(own, s.pend)
		var key string
		var n int32
		var ok bool
		if isSmall {
			n, ok = s.setBySmall[small]
		} else {
			key = idsKey(own, s.pend)
			n, ok = s.setByKey[key]
		}
		if !ok {
			n = int32(len(s.codeSets))
			if isSmall {
				s.setBySmall[small] = n
			} else {
				s.setByKey[key] = n
			}
			s.setIDs = append(s.setIDs, append(slices.Clip(own), s.pend...))
			names := slices.Clip(s.codeSets[r.codes])
			for _, c := range s.pend {
				names = append(names, s.codeNames.names[c])
			}
			s.codeSets = append(s.codeSets, slices.Clip(names))
		}
		r.codes = n
	}
	s.pendE, s.pend = -1, s.pend[:0]
}

// addCoding adds a coding to extract i: its code joins the extract's
// codes; a coder who applies the same code twice is one coding.
func (s *store) addCoding(i int32, code, coder string, where cellRef) {
	r := s.rec(i)
	ci := s.codeNames.id(code)
	k := s.coders.id(coder)
	if r.codings < 0 {
		own := k == r.coder
		if own && where.row == r.row && where.col == r.codesCol && where.t == s.tables[r.table] {
			s.addCode(i, ci)
			return
		}
		if own && s.has(i, ci) {
			return // the coder applied the code already
		}
		// The codings are no longer one per code in the codes cell: list them.
		s.flush()
		last := int32(-1)
		for _, c := range s.setIDs[r.codes] {
			last = s.link(r, last, codingRec{code: c, coder: r.coder, table: r.table, col: r.codesCol, row: r.row})
		}
		s.appendCoding(i, r, last, ci, k, where)
		return
	}
	last := int32(-1)
	for c := r.codings; c >= 0; c = s.codings[c].next {
		if s.codings[c].code == ci && s.codings[c].coder == k {
			return
		}
		last = c
	}
	s.appendCoding(i, r, last, ci, k, where)
}

func (s *store) appendCoding(i int32, r *extractRec, last, code, coder int32, where cellRef) {
	s.link(r, last, codingRec{code: code, coder: coder, table: s.tableIdx(where.t), col: where.col, row: where.row})
	s.addCode(i, code)
}

// link adds g to r's list of codings after last (-1: as its first) and
// returns g's place.
func (s *store) link(r *extractRec, last int32, g codingRec) int32 {
	g.next = -1
	s.codings = append(s.codings, g)
	n := int32(len(s.codings) - 1)
	if last < 0 {
		r.codings = n
	} else {
		s.codings[last].next = n
	}
	return n
}

// idsKey is a map key of the places of a and then b, four bytes each.
func idsKey(a, b []int32) string {
	key := make([]byte, 0, 4*(len(a)+len(b)))
	for _, ids := range [2][]int32{a, b} {
		for _, c := range ids {
			key = binary.LittleEndian.AppendUint32(key, uint32(c))
		}
	}
	return string(key)
}

// smallSetKey packs the places of a and then b, when they are three at
// most and each below 1<<21-1, into one integer: place+1 in each 21 bits
// from the lowest. Most code sets are such, and an integer key spares
// idsKey's string, its hashing and the comparison through a pointer,
// which took a million-extract build of some 65,000 sets about 0.5 s.
func smallSetKey(a, b []int32) (uint64, bool) {
	if len(a)+len(b) > 3 {
		return 0, false
	}
	var key uint64
	shift := 0
	for _, ids := range [2][]int32{a, b} {
		for _, c := range ids {
			if c < 0 || c >= 1<<21-1 {
				return 0, false
			}
			key |= uint64(c+1) << shift
			shift += 21
		}
	}
	return key, true
}

// fresh reports whether extract i has no codings yet and a coding by coder
// in where would be one of its regular ones: its coder's, in its codes cell.
func (s *store) fresh(i int32, coder string, where cellRef) bool {
	r := s.rec(i)
	return r.codes == 0 && r.codings < 0 && (s.pendE != i || len(s.pend) == 0) && s.coders.names[r.coder] == coder &&
		where.row == r.row && where.col == r.codesCol && where.t == s.tables[r.table]
}

// codingsOf makes extract i's codings, appended to out (nil: a new list).
func (s *store) codingsOf(i int32, out []Coding) []Coding {
	r := s.rec(i)
	if r.codings < 0 {
		codes := s.codeSets[r.codes]
		if len(codes) == 0 {
			return out
		}
		cell := cellRef{s.tables[r.table], r.codesCol, r.row}
		for _, c := range codes {
			out = append(out, Coding{Code: c, Coder: s.coders.names[r.coder], cell: cell})
		}
		return out
	}
	for c := r.codings; c >= 0; c = s.codings[c].next {
		g := &s.codings[c]
		out = append(out, Coding{Code: s.codeNames.names[g.code], Coder: s.coders.names[g.coder], cell: cellRef{s.tables[g.table], g.col, g.row}})
	}
	return out
}

// addCoder records that a coder has a row for extract i, whether or not the
// row applies a code (agreement reads a code the row does not apply as
// absent, not missing). Coders are distinct after folding, in the spelling
// first read.
func (s *store) addCoder(i int32, coder string) {
	if coder == "" {
		return
	}
	r := s.rec(i)
	step := coderStep{r.coders, coder}
	if n, ok := s.coderNext[step]; ok {
		r.coders = n
		return
	}
	old := s.coderSets[r.coders]
	n := r.coders
	k := fold.Key(coder)
	if !slices.ContainsFunc(old, func(c string) bool { return c == coder || fold.Key(c) == k }) {
		list := append(slices.Clip(old), fold.Clean(coder))
		// Keyed by the names' places: a name may hold any character,
		// U+0000 included (an xlsx cell's _x0000_).
		ids := make([]int32, len(list))
		for j, c := range list {
			ids[j] = s.coders.id(c)
		}
		key := idsKey(ids, nil)
		var ok bool
		if n, ok = s.coderByKey[key]; !ok {
			n = int32(len(s.coderSets))
			s.coderByKey[key] = n
			s.coderSets = append(s.coderSets, list)
		}
	}
	s.coderNext[step] = n
	r.coders = n
}

// extract makes extract i.
func (s *store) extract(i int32) *Extract {
	s.flush()
	e := &Extract{}
	s.fill(e, i, s.text(i), nil)
	return e
}

// fill makes e extract i, with text its text, its codings appended to
// buf[:0] (nil when it has none), and returns the buffer for the next call.
func (s *store) fill(e *Extract, i int32, text string, buf []Coding) []Coding {
	r := s.rec(i)
	*e = Extract{ID: s.id(i), Study: s.studies[r.study], Text: text, Type: Participant,
		Location: s.strs.get(r.loc), Coder: s.coders.names[r.coder], Codes: s.codeSets[r.codes], Codings: s.codingsOf(i, buf[:0]),
		Coders: s.coderSets[r.coders], at: cellRef{s.tables[r.table], r.col, r.row}}
	if r.author {
		e.Type = Author
	}
	if s.themeSets != nil {
		e.Themes = s.themeSets[r.codes]
	}
	if len(e.Codings) == 0 {
		e.Codings = nil
		return buf
	}
	return e.Codings
}

// Extracts are extracts of a synthesis, in extract order: all of them
// (Result.Extracts) or those supporting a theme (ThemeStat.Extracts). At
// and All make each Extract when asked for, a new one every time: compare
// extracts by ID, not by pointer.
type Extracts struct {
	s    *store
	idx  []int32 // with s: the places in s of these extracts; nil for all of s
	list []*Extract
}

// ExtractList is extracts made by hand, as a test or another program
// building a Result makes them.
func ExtractList(es ...*Extract) Extracts { return Extracts{list: es} }

// Len is the number of extracts.
func (x Extracts) Len() int {
	switch {
	case x.s == nil:
		return len(x.list)
	case x.idx != nil:
		return len(x.idx)
	}
	return x.s.len()
}

// At makes the i-th extract, 0 <= i < Len().
func (x Extracts) At(i int) *Extract {
	switch {
	case x.s == nil:
		return x.list[i]
	case x.idx != nil:
		return x.s.extract(x.idx[i])
	}
	return x.s.extract(int32(i))
}

// study is the i-th extract's study, without making the extract.
func (x Extracts) study(i int) *Study {
	switch {
	case x.s == nil:
		return x.list[i].Study
	case x.idx != nil:
		return x.s.studies[x.s.rec(x.idx[i]).study]
	}
	return x.s.studies[x.s.rec(int32(i)).study]
}

// ID is the i-th extract's ID, without making the extract.
func (x Extracts) ID(i int) string {
	switch {
	case x.s == nil:
		return x.list[i].ID
	case x.idx != nil:
		return x.s.id(x.idx[i])
	}
	return x.s.id(int32(i))
}

// All yields each extract with its place, in order.
func (x Extracts) All() iter.Seq2[int, *Extract] {
	return func(yield func(int, *Extract) bool) {
		if x.s == nil {
			for i, e := range x.list {
				if !yield(i, e) {
					return
				}
			}
			return
		}
		// As At, but the texts read ahead.
		x.s.flush()
		var tr textReader
		n := x.Len()
		for i := range n {
			e := &Extract{}
			k := x.place(i)
			x.s.fill(e, k, tr.text(x.s, x.place, i, n), nil)
			if !yield(i, e) {
				return
			}
		}
	}
}

// Each calls fn with each extract in order, made into one Extract that it
// reuses, Codings included: fn must not keep e, or e.Codings, past the
// call. A writer of a million extracts then makes no Extract of each; a
// caller that keeps extracts uses All.
func (x Extracts) Each(fn func(i int, e *Extract)) { x.EachIn(0, x.Len(), fn) }

// EachIn is Each over the extracts lo to hi-1 (0 <= lo <= hi <= Len()),
// i being the extract's place in x, as in Each. Calls on one Extracts may
// run at once, each on a goroutine of its own: reading a built Result
// changes nothing in it, and each call makes its own Extract.
func (x Extracts) EachIn(lo, hi int, fn func(i int, e *Extract)) {
	if x.s == nil {
		for i, e := range x.list[lo:hi] {
			fn(lo+i, e)
		}
		return
	}
	var e Extract
	var buf []Coding
	var tr textReader
	for i := lo; i < hi; i++ {
		k := x.place(i)
		buf = x.s.fill(&e, k, tr.text(x.s, x.place, i, hi), buf)
		fn(i, &e)
	}
}

// Err is the first failure to read an extract's text back from the
// temporary file in which a large synthesis holds its texts (past the first
// 64 MiB of them): an error of the machine (a disk failing). The bytes that
// read failed to get read as NUL characters, so a writer of extracts
// returns Err once it has written them, and what it wrote is not used.
func (x Extracts) Err() error {
	if x.s == nil {
		return nil
	}
	return x.s.log.Err()
}

// place is the i-th extract's place in x.s.
func (x Extracts) place(i int) int32 {
	if x.idx != nil {
		return x.idx[i]
	}
	return int32(i)
}

// Slice makes every extract, for a caller that wants them all at once (a
// small project, a test).
func (x Extracts) Slice() []*Extract {
	out := make([]*Extract, 0, x.Len())
	for _, e := range x.All() {
		out = append(out, e)
	}
	return out
}
