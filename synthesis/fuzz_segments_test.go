package synthesis

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/strictyaml"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// Fuzz targets for the reading of coded segments (DESIGN §1.2a): a codes
// cell split by a separator and matched by code paths, a code matrix cell,
// a column letter, and a whole build whose synth.yaml knobs the fuzzer
// chooses. Run one at a time, e.g.
//
//	go test -run '^$' -fuzz '^FuzzCodesCell$' -fuzztime 4m -parallel 1 ./synthesis

// fuzzCodebook has code names that hold a separator ("Cost, money", the
// alias "Delay, long"), a name that is one piece of another ("Support",
// "Support, peer"), a name that looks like a code path, the " › " form that
// code paths are matched against, and names whose folding is more than
// lowering (ß, final sigma, an accent that NFD splits, CJK).
const fuzzCodebook = `version: 1
levels: [analytical, descriptive]
codes:
  - name: Loneliness
    aliases: [isolation, lonely]
  - name: Low mood
  - name: Waiting
    aliases: ["Delay, long", waiting list]
  - name: Cost, money
  - name: Support
  - name: Support, peer
  - name: 'Services\Referral'
  - name: Parent › Child
  - name: Café
  - name: Straße
  - name: Φόβος
  - name: 孤独
    aliases: [Schüchternheit]
  - name: belonging
  - name: routine
  - name: Walking together
  - name: Shared purpose
  - name: Information
themes:
  - name: Searching for hope
    id: hope
    themes:
      - name: Reaching out
        id: reach
        codes: [Loneliness, Low mood, 孤独, Φόβος]
      - ref: heard
  - name: Feeling supported
    id: supported
    codes: [Support]
    themes:
      - name: Feeling heard
        id: heard
        codes: ["Support, peer", Walking together, Shared purpose, belonging]
  - name: Barriers
    id: barriers
    codes: ["Cost, money", Waiting, 'Services\Referral', Parent › Child, Information, routine, Café, Straße]
`

// fuzzSeparators are the separators FuzzCodesCell picks among before the
// fuzzed one; fuzzCodePaths the code_path values.
var (
	fuzzSeparators = []string{";", ",", "|", "/"}
	fuzzCodePaths  = []string{"", `\`, ">", "/", "::"}
)

// codesReader builds the reader of a source with a Study, Extract and Codes
// header, its synth.yaml keys checked and its layout resolved as
// loadExtracts does. ok is false when the keys are refused.
func codesReader(cb *codebook.Codebook, sep, path string) (*reader, bool) {
	src := &ExtractsSource{File: "e.csv", Separator: sep, CodePath: path}
	if src.check("synth.yaml") != nil {
		return nil, false
	}
	in := &input{cb: cb, byKey: map[string]*Study{}, where: map[*Study]string{}, unknown: map[string]*unknownCode{}, store: newStore(0)}
	t := &table{file: "e.csv", sheet: "e", headerRow: 1, headers: []string{"Study", "Extract", "Codes"}, headerCols: []int{1, 2, 3}}
	lo, err := in.layout(src, t)
	if err != nil {
		return nil, false
	}
	return &reader{in: in, src: src, t: t, lo: lo, prev: make([]string, len(lo.cols))}, true
}

// readCell reads a codes cell into a new extract with a new reader.
func readCell(cb *codebook.Codebook, sep, path, cell string) (*reader, *Extract) {
	r, ok := codesReader(cb, sep, path)
	if !ok {
		return nil, nil
	}
	e := newCodesExtract(r, 2)
	r.codes(e, cell, "A", newCellRef(r.t, 3, 2))
	return r, made(r, e)
}

// newCodesExtract adds an extract of row to r's input, coded by A, its
// codes cell C.
func newCodesExtract(r *reader, row int) int32 {
	st := &Study{ID: "S", idx: int32(len(r.in.studies))}
	r.in.studies = append(r.in.studies, st)
	return r.in.store.newExtract("", "text", 0, "", st, Participant, "A", r.t, 2, 3, row)
}

// made makes extract e of r's input as it stands.
func made(r *reader, e int32) *Extract {
	r.in.store.studies = r.in.studies
	return r.in.store.extract(e)
}

func codingKeys(e *Extract) []string {
	var out []string
	for _, c := range e.Codings {
		out = append(out, c.Code+"\x00"+c.Coder)
	}
	return out
}

// checkCodings checks what must hold of any extract after codes cells are
// read: Codes are distinct and the set of the codings' codes; a coder applies
// a code once; a codebook code is spelt as the codebook spells it; any other
// code is the recorded spelling of an unknown code; unknown codes are
// recorded once per fold key.
func checkCodings(t *testing.T, r *reader, e *Extract, what string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range e.Codes {
		if seen[c] {
			t.Errorf("%s: code %q twice in Codes %q", what, c, e.Codes)
		}
		seen[c] = true
	}
	fromCodings := map[string]bool{}
	pairs := map[[2]string]bool{}
	for _, c := range e.Codings {
		fromCodings[c.Code] = true
		if !seen[c.Code] {
			t.Errorf("%s: coding %q is not among Codes %q", what, c.Code, e.Codes)
		}
		p := [2]string{c.Code, c.Coder}
		if pairs[p] {
			t.Errorf("%s: coding (%q, %q) twice", what, c.Code, c.Coder)
		}
		pairs[p] = true
		if c.Where() == "" {
			t.Errorf("%s: coding %q has no cell", what, c.Code)
		}
	}
	for _, c := range e.Codes {
		if !fromCodings[c] {
			t.Errorf("%s: code %q has no coding", what, c)
		}
		if canon, ok := r.in.cb.Lookup(c); ok {
			if canon != c {
				t.Errorf("%s: code %q is spelt otherwise in the codebook: %q", what, c, canon)
			}
			continue
		}
		u := r.in.unknown[fold.Key(c)]
		switch {
		case u == nil:
			t.Errorf("%s: code %q is neither in the codebook nor recorded as unknown", what, c)
		case u.name != c:
			t.Errorf("%s: unknown code %q is recorded as %q", what, c, u.name)
		case r.known(c):
			t.Errorf("%s: unknown code %q matches a code by its path", what, c)
		}
	}
	if len(r.in.unknown) != len(r.in.unknownOrder) {
		t.Errorf("%s: %d unknown codes, %d in order", what, len(r.in.unknown), len(r.in.unknownOrder))
	}
	keys := map[string]bool{}
	for _, k := range r.in.unknownOrder {
		u := r.in.unknown[k]
		switch {
		case keys[k]:
			t.Errorf("%s: unknown code key %q twice", what, k)
		case u == nil:
			t.Errorf("%s: unknown code key %q has no entry", what, k)
		case fold.Key(u.name) != k || u.cells < 1:
			t.Errorf("%s: unknown code %+v under key %q", what, *u, k)
		}
		keys[k] = true
	}
}

// wholeName reports whether a run of pieces rejoined names a codebook code
// or alias as a whole (or as a whole path, written with " › "), rather than
// by a tail of a path.
func wholeName(r *reader, run string) bool {
	if _, ok := r.in.cb.Lookup(run); ok {
		return true
	}
	if parts := r.pathParts(run); parts != nil {
		_, ok := r.in.cb.Lookup(strings.Join(parts, " › "))
		return ok
	}
	return false
}

// allowPathRun, when true, would let a rejoined run name a code by a tail
// of a path. It is false: runs match whole names only, since with code_path
// '\' the cell "Typo;Low mood;Barriers\Waiting" once read as Waiting alone,
// the unknown "Typo" and the known "Low mood" vanishing (the seeds
// path-run-swallows-unknown and path-run-swallows-known).
const allowPathRun = false

// checkPieces checks that no piece of a codes cell vanishes: each is a code
// of the extract (known) or a recorded unknown code, or sits in a rejoined
// run of pieces, one of them unknown alone, that names a code as a whole.
func checkPieces(t *testing.T, r *reader, e *Extract, cell string) {
	t.Helper()
	sep := r.lo.separator
	for _, line := range strings.Split(strings.ReplaceAll(cell, "\r", "\n"), "\n") {
		pieces := strings.Split(line, sep)
		if len(pieces) > 64 {
			continue // the search below costs the fourth power of the pieces
		}
		names := make([]string, len(pieces))
		for i, p := range pieces {
			names[i] = fold.Clean(p)
		}
		inRun := func(k int) bool {
			for i := 0; i <= k; i++ {
				for j := max(k, i+1); j < len(pieces); j++ {
					if !slices.ContainsFunc(names[i:j+1], func(n string) bool { return n != "" && !r.known(n) }) {
						continue
					}
					run := fold.Clean(strings.Join(pieces[i:j+1], sep))
					if wholeName(r, run) || allowPathRun && r.known(run) {
						return true
					}
				}
			}
			return false
		}
		for k, n := range names {
			if n == "" {
				continue
			}
			if c, ok := r.lookup(n); ok {
				if !slices.Contains(e.Codes, c) && !inRun(k) {
					t.Errorf("piece %q (code %q) of line %q vanished: codes %q", n, c, line, e.Codes)
				}
			} else if r.in.unknown[fold.Key(n)] == nil && !inRun(k) {
				t.Errorf("unknown piece %q of line %q vanished: codes %q, no unknown-code record", n, line, e.Codes)
			}
		}
	}
}

func FuzzCodesCell(f *testing.F) {
	cb, err := codebook.Parse("codebook.yaml", []byte(fuzzCodebook))
	if err != nil {
		f.Fatal(err)
	}
	var spellings []string // every name and alias as written
	for _, c := range cb.Codes {
		spellings = append(spellings, c.Name)
		spellings = append(spellings, c.Aliases...)
	}
	f.Add("Loneliness; low  MOOD;;", uint8(0), "", uint8(0), []byte{1, 2, 3})
	f.Add("Cost, money, Support, peer, Delay, long", uint8(1), "", uint8(0), []byte{3, 5, 4, 0x83})
	f.Add("Parent\\Services\\Referral|Parent > Child|X>Café", uint8(2), "", uint8(1), []byte{7, 8})
	f.Add("Typo;Foo\\Waiting", uint8(0), "", uint8(1), []byte{})
	f.Add("a--b--c", uint8(4), "--", uint8(4), []byte{0, 9, 17})
	f.Fuzz(func(t *testing.T, cell string, sepPick uint8, sepFuzz string, pathPick uint8, picks []byte) {
		if len(cell) > 512 || len(sepFuzz) > 20 || len(picks) > 64 {
			return // reading a cell costs the cube of its pieces, so keep cells short
		}
		if !utf8.ValidString(sepFuzz) {
			return // synth.yaml is UTF-8
		}
		sep := sepFuzz
		if int(sepPick)%5 < len(fuzzSeparators) {
			sep = fuzzSeparators[int(sepPick)%5]
		}
		path := fuzzCodePaths[int(pathPick)%len(fuzzCodePaths)]
		r, ok := codesReader(cb, sep, path)
		if !ok {
			return
		}
		ei := newCodesExtract(r, 2)
		r.codes(ei, cell, "A", newCellRef(r.t, 3, 2))
		e := made(r, ei)
		sep = r.lo.separator // "" reads as ";"
		checkCodings(t, r, e, "cell")
		checkPieces(t, r, e, cell)

		// Reading the same cell again, by the same coder, adds nothing;
		// by another coder, adds that coder's codings of the same codes.
		codes, codings, unknown := slices.Clone(e.Codes), codingKeys(e), slices.Clone(r.in.unknownOrder)
		r.codes(ei, cell, "A", newCellRef(r.t, 3, 3))
		e = made(r, ei)
		if !slices.Equal(e.Codes, codes) || !slices.Equal(codingKeys(e), codings) || !slices.Equal(r.in.unknownOrder, unknown) {
			t.Errorf("re-reading %q changed codes %q → %q, codings %q → %q", cell, codes, e.Codes, codings, codingKeys(e))
		}
		r.codes(ei, cell, "B", newCellRef(r.t, 3, 4))
		e = made(r, ei)
		if !slices.Equal(e.Codes, codes) || len(e.Codings) != 2*len(codings) {
			t.Errorf("a second coder changed codes %q → %q, or has %d codings for %d", codes, e.Codes, len(e.Codings)-len(codings), len(codings))
		}
		checkCodings(t, r, e, "two coders")

		// Another extract with the same cell (read from what the reader
		// kept of the cell, when it could) reads the same codes and counts
		// as much towards the separator as the first read did.
		r0, _ := readCell(cb, sep, path, cell)
		e3i := newCodesExtract(r, 5)
		r.codes(e3i, cell, "A", newCellRef(r.t, 3, 5))
		e3 := made(r, e3i)
		if !slices.Equal(e3.Codes, codes) || r.sepUsed != 4*r0.sepUsed {
			t.Errorf("a second extract of %q read %q (want %q), separator used %d times (want %d)", cell, e3.Codes, codes, r.sepUsed, 4*r0.sepUsed)
		}

		lineBreak := strings.ContainsAny(sep, "\r\n")
		// A separator before the cell changes nothing.
		if _, e2 := readCell(cb, sep, path, sep+cell); !lineBreak && !slices.Equal(e2.Codes, codes) {
			t.Errorf("%q read %q, but with a separator before it %q", cell, codes, e2.Codes)
		}
		// Nor one after it, where the separator splits cell+sep into the
		// cell's pieces and one empty one, and ends no code's name (a
		// fuzzed separator "y" makes "Cost, mone" + "y" a code).
		if trailingSepNeutral(cell, sep, spellings) {
			for _, tail := range []string{sep, sep + sep, sep + " " + sep + " "} {
				if _, e2 := readCell(cb, sep, path, cell+tail); !slices.Equal(e2.Codes, codes) || !slices.Equal(codingKeys(e2), codings) {
					t.Errorf("%q read %q, but with %q after it %q", cell, codes, tail, e2.Codes)
				}
			}
		}

		// A cell of separators and white space adds nothing.
		if !lineBreak {
			blanks := []string{sep, " ", "\t", "\n", "\r\n", "\u00a0", "\u3000"}
			var b strings.Builder
			for _, p := range picks {
				b.WriteString(blanks[int(p)%len(blanks)])
			}
			if r2, e2 := readCell(cb, sep, path, b.String()); len(e2.Codings) != 0 || len(r2.in.unknown) != 0 {
				t.Errorf("the blank cell %q read as %q", b.String(), e2.Codes)
			}
		}

		// Codebook spellings (in other cases, NFD, spaced out) joined by
		// one of the usual separators or line breaks read as those codes.
		if slices.Contains(fuzzSeparators, sep) && len(picks) > 0 {
			var parts, want []string
			for _, p := range picks {
				s := spellings[int(p)%len(spellings)]
				switch (int(p) / len(spellings)) % 4 {
				case 1:
					s = strings.ToUpper(s)
				case 2:
					s = norm.NFD.String(strings.ToLower(s))
				case 3:
					s = "  " + strings.ReplaceAll(s, " ", " \t ") + " "
				}
				parts = append(parts, s)
				if c, _ := cb.Lookup(s); !slices.Contains(want, c) {
					want = append(want, c)
				}
			}
			joined := strings.Join(parts, sep)
			if picks[0]&1 == 1 {
				joined = strings.Join(parts, "\n")
			}
			if _, e2 := readCell(cb, sep, path, joined); !slices.Equal(e2.Codes, want) {
				t.Errorf("%q (separator %q, code path %q) read as %q, want %q", joined, sep, path, e2.Codes, want)
			}
		}
	})
}

// trailingSepNeutral reports whether adding sep after cell only adds an
// empty piece to its last line, and no code's name ends in sep, so that the
// pieces and the runs that can name a code are the cell's own.
func trailingSepNeutral(cell, sep string, spellings []string) bool {
	if strings.ContainsAny(sep, "\r\n") || !isASCII(sep) {
		return false
	}
	last := func(s string) []string {
		lines := strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
		return strings.Split(lines[len(lines)-1], sep)
	}
	if !slices.Equal(last(cell+sep), append(last(cell), "")) {
		return false
	}
	k := fold.Key(sep)
	if k == "" {
		return true
	}
	for _, s := range spellings {
		if strings.HasSuffix(fold.Key(s), k) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FuzzIndicator checks a code matrix cell against what codeColumns
// documents: 1 (any number above 0), x, ✓, yes or true (any case) apply the
// code; 0, no, false or blank do not; anything else is an error.
func FuzzIndicator(f *testing.F) {
	for _, s := range []string{"", "1", "0", "x", "X", "✓", "yes", "YES", "True", "no", "FALSE", "0.5", "-1", "-0", "1e3", "1e-400", "1e400", "NaN", "Inf", "-Inf", "0x1p-2", "maybe", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		on, ok := indicator(s)
		if on && !ok {
			t.Errorf("indicator(%q) = on but not ok", s)
		}
		switch strings.ToLower(s) {
		case "1", "x", "✓", "yes", "true":
			if !on || !ok {
				t.Errorf("indicator(%q) = %v, %v; a mark applies the code", s, on, ok)
			}
			return
		case "", "0", "no", "false":
			if on || !ok {
				t.Errorf("indicator(%q) = %v, %v; an absence does not apply the code", s, on, ok)
			}
			return
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return
		}
		// Only plain decimals are numbers here (the doc comment): hex
		// floats, underscores and spelled-out infinities are errors.
		if strings.TrimLeft(s, "+-0123456789.eE") != "" {
			if ok {
				t.Errorf("indicator(%q) = %v, %v; only a plain decimal is a number", s, on, ok)
			}
			return
		}
		switch {
		case math.IsInf(v, 0):
			if ok {
				t.Errorf("indicator(%q) = %v, %v; an infinite number is an error", s, on, ok)
			}
		case math.IsNaN(v):
			if on || ok {
				t.Errorf("indicator(%q) = %v, %v; NaN is neither above 0 nor 0", s, on, ok)
			}
		case math.IsInf(v, 1):
			// "Inf", "infinity": not documented either way (reported);
			// only on ⇒ ok is checked above.
		case v > 0:
			if !on || !ok {
				t.Errorf("indicator(%q) = %v, %v; a number above 0 applies the code", s, on, ok)
			}
		case v == 0:
			if on || !ok {
				t.Errorf("indicator(%q) = %v, %v; 0 does not apply the code", s, on, ok)
			}
		default:
			if ok {
				t.Errorf("indicator(%q) = %v, %v; a negative number is an error", s, on, ok)
			}
		}
	})
}

// TestLetterRefRoundTrip: every column Excel has, by its letters in either
// case, round-trips through sheet.ColName; the one after XFD does not.
func TestLetterRefRoundTrip(t *testing.T) {
	for col := 1; col <= 16384; col++ {
		name := sheet.ColName(col)
		for _, s := range []string{"$" + name, "$" + strings.ToLower(name), " $" + name + "\t"} {
			if got, ok := letterRef(s); !ok || got != col {
				t.Fatalf("letterRef(%q) = %d, %v; want %d", s, got, ok, col)
			}
		}
	}
	if _, ok := letterRef("$" + sheet.ColName(16385)); ok {
		t.Error("$XFE accepted")
	}
}

func FuzzLetterRef(f *testing.F) {
	for _, s := range []string{"$A", "$xfd", "$XFE", "$ZZZ", "$AAAA", "$", "A", "$A1", " $b ", "$É", "$\u00a0A", "$a\x00"} {
		f.Add(s, uint16(0))
	}
	f.Add("", uint16(16383))
	f.Fuzz(func(t *testing.T, s string, n uint16) {
		col := int(n)%16384 + 1
		if got, ok := letterRef("$" + sheet.ColName(col)); !ok || got != col {
			t.Errorf("letterRef($%s) = %d, %v; want %d", sheet.ColName(col), got, ok, col)
		}
		got, ok := letterRef(s)
		ref := strings.TrimSpace(s)
		letters := len(ref) >= 2 && len(ref) <= 4 && ref[0] == '$'
		for i := 1; letters && i < len(ref); i++ {
			c := ref[i] | 0x20
			letters = c >= 'a' && c <= 'z'
		}
		if !letters {
			if ok {
				t.Errorf("letterRef(%q) = %d, accepted", s, got)
			}
			return
		}
		upper := strings.ToUpper(ref[1:])
		within := len(upper) < 3 || upper <= "XFD"
		switch {
		case ok != within:
			t.Errorf("letterRef(%q) = %d, %v; within XFD: %v", s, got, ok, within)
		case ok && (got < 1 || got > 16384 || sheet.ColName(got) != upper):
			t.Errorf("letterRef(%q) = %d (%s)", s, got, sheet.ColName(got))
		}
	})
}

// sheetKnobs are the synth.yaml keys FuzzExtractsSheet chooses, decoded
// from one number so that a seed names them.
type sheetKnobs struct {
	headerRow int // 0 (none) … 3
	segment   int // 0 none, 1 [Doc, Begin], 2 [$A]
	codePath  int // index into fuzzCodePaths
	codeCols  int // 0 none, 1 {first: $D}, 2 {prefix: "Code: "}
	preset    int // 0 none, i: Presets[i-1]
	separator int // 0 none, 1–4 fuzzSeparators, 5 the fuzzed one
	columns   int // 0 none, 1 study and text, 2 by letter, 3 id also location
	studies   int // 0 none, 1 a studies table
	fillDown  int // 0 none, 1 [study]
}

func (k *sheetKnobs) radices() []*int {
	return []*int{&k.headerRow, &k.segment, &k.codePath, &k.codeCols, &k.preset, &k.separator, &k.columns, &k.studies, &k.fillDown}
}

var knobRadix = []int{4, 3, 5, 3, 1 + len(Presets), 6, 4, 2, 2}

func decodeKnobs(n uint32) sheetKnobs {
	var k sheetKnobs
	for i, p := range k.radices() {
		*p = int(n % uint32(knobRadix[i]))
		n /= uint32(knobRadix[i])
	}
	return k
}

func (k sheetKnobs) encode() uint32 {
	var n uint32
	ps := k.radices()
	for i := len(ps) - 1; i >= 0; i-- {
		n = n*uint32(knobRadix[i]) + uint32(*ps[i]%knobRadix[i])
	}
	return n
}

// yaml writes synth.yaml for the knobs; sep is the fuzzed separator.
func (k sheetKnobs) yaml(sep string) string {
	var b strings.Builder
	b.WriteString("version: 1\n")
	if k.studies == 1 {
		b.WriteString("studies: {file: studies.csv}\n")
	}
	b.WriteString("extracts:\n  - file: extracts.csv\n")
	if k.headerRow > 0 {
		fmt.Fprintf(&b, "    header_row: %d\n", k.headerRow)
	}
	switch k.segment {
	case 1:
		b.WriteString("    segment: [Doc, Begin]\n")
	case 2:
		b.WriteString("    segment: [\"$A\"]\n")
	}
	if p := fuzzCodePaths[k.codePath]; p != "" {
		fmt.Fprintf(&b, "    code_path: %s\n", yamlQuote(p))
	}
	switch k.codeCols {
	case 1:
		b.WriteString("    code_columns: {first: \"$D\"}\n")
	case 2:
		b.WriteString("    code_columns: {prefix: \"Code: \"}\n")
	}
	if k.preset > 0 {
		fmt.Fprintf(&b, "    preset: %s\n", Presets[k.preset-1].Name)
	}
	switch {
	case k.separator >= 1 && k.separator <= len(fuzzSeparators):
		fmt.Fprintf(&b, "    separator: %s\n", yamlQuote(fuzzSeparators[k.separator-1]))
	case k.separator == 5 && sep != "":
		fmt.Fprintf(&b, "    separator: %s\n", yamlQuote(sep))
	}
	switch k.columns {
	case 1:
		b.WriteString("    columns: {study: Study, text: Extract}\n")
	case 2:
		b.WriteString("    columns: {study: \"$B\", text: \"$C\", codes: Codes}\n")
	case 3:
		b.WriteString("    columns: {id: ID, location: ID, study: Study, text: Extract}\n")
	}
	if k.fillDown == 1 {
		b.WriteString("    fill_down: [study]\n")
	}
	return b.String()
}

// yamlQuote writes s as a YAML double-quoted scalar (invalid UTF-8 becomes
// U+FFFD).
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0xfeff, r == 0x2028, r == 0x2029, r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// positioned reports whether err is one of the errors that say where.
func positioned(err error) bool {
	var e *Error
	var ye *strictyaml.Error
	var fe *sheet.FileError
	return errors.As(err, &e) || errors.As(err, &ye) || errors.As(err, &fe)
}

// naiveClosure is a theme's codes and all its descendants' codes, walked
// without the codebook's helpers.
func naiveClosure(th *codebook.Theme, seen map[*codebook.Theme]bool, out map[string]bool) {
	if seen[th] {
		return
	}
	seen[th] = true
	for _, c := range th.Codes {
		out[c] = true
	}
	for _, ch := range th.Children {
		naiveClosure(ch, seen, out)
	}
}

const fuzzStudies = "ID,Quality\nS1,low\nS2,high\nAllotment interview A,high\nsite_north.txt,high\nD1 Harbour report,low\n"

func FuzzExtractsSheet(f *testing.F) {
	f.Add("Study,Extract,Codes\nS1,I was alone,Loneliness;Low mood\nS1,I was alone,isolation\n", sheetKnobs{}.encode(), "")
	f.Add("Doc,Begin,Study,Extract,Code: Waiting,Code: Support\nd1,4,S1,We waited,1,0\nd1,4,,We waited,x,\n", sheetKnobs{segment: 1, codeCols: 2, columns: 1}.encode(), "")
	f.Fuzz(func(t *testing.T, csv string, knobs uint32, sep string) {
		if len(csv) > 2048 {
			return
		}
		k := decodeKnobs(knobs)
		dir := t.TempDir()
		files := map[string]string{
			"synth.yaml":    k.yaml(sep),
			"codebook.yaml": fuzzCodebook,
			"extracts.csv":  csv,
			"studies.csv":   fuzzStudies,
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Streamed or read whole, the first source gives the same.
		buildBothWays(t, filepath.Join(dir, "synth.yaml"))
		r, err := Build(filepath.Join(dir, "synth.yaml"), Options{})
		if err != nil {
			errs := []error{err}
			var many *Errors
			if errors.As(err, &many) {
				errs = many.Errs
				if len(errs) == 0 {
					t.Errorf("Errors with no error: %v", err)
				}
			}
			for _, e := range errs {
				if !positioned(e) {
					t.Errorf("error %T is not positioned: %v", e, e)
				}
				if n := strings.Count(e.Error(), "\n"); n > 2 {
					t.Errorf("error of %d lines: %q", n+1, e)
				}
				if strings.Contains(e.Error(), dir) {
					t.Errorf("error names the machine path: %q", e)
				}
			}
			return
		}

		// Each extract's codes are its codings' codes.
		for _, e := range r.Extracts.All() {
			var fromCodings []string
			for _, c := range e.Codings {
				if !slices.Contains(fromCodings, c.Code) {
					fromCodings = append(fromCodings, c.Code)
				}
			}
			a, b := slices.Clone(e.Codes), fromCodings
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) || len(a) != len(slices.Compact(slices.Clone(a))) {
				t.Errorf("extract %s: codes %q, codings' codes %q", e.ID, e.Codes, fromCodings)
			}
		}
		// Studies count every extract once.
		total := 0
		for _, s := range r.Studies {
			total += s.Extracts
		}
		if total != r.Extracts.Len() {
			t.Errorf("studies count %d extracts, the result has %d", total, r.Extracts.Len())
		}
		// A theme's support is the extracts carrying a code of its closure.
		for _, ts := range r.Themes {
			closure := map[string]bool{}
			naiveClosure(ts.Theme, map[*codebook.Theme]bool{}, closure)
			n := 0
			for _, e := range r.Extracts.All() {
				if slices.ContainsFunc(e.Codes, func(c string) bool { return closure[c] }) {
					n++
				}
			}
			if n != ts.Extracts.Len() {
				t.Errorf("theme %s: %d extracts, counted naively %d", ts.ID, ts.Extracts.Len(), n)
			}
		}
		// No two extracts share an identity. Without segment columns, an
		// extract named by its row has none but its study and text, and one
		// with an ID that ID.
		if p := effectivePreset(r, k); k.segment == 0 && (p == nil || len(p.Segment) == 0) {
			byText := map[string]string{}
			byID := map[string]string{}
			for _, e := range r.Extracts.All() {
				var key string
				var seen map[string]string
				if isRowName(e) {
					key, seen = e.Study.ID+"\x00"+fold.Clean(e.Text), byText
				} else {
					key, seen = fold.Key(e.ID), byID
				}
				if prev, ok := seen[key]; ok {
					t.Errorf("extracts %s and %s share their identity %q", prev, e.ID, key)
				}
				seen[key] = e.ID
			}
		}
	})
}

// isRowName reports whether an extract is named by its first row
// (extracts.csv:extracts!N), as one without an ID is.
func isRowName(e *Extract) bool {
	i := strings.LastIndexByte(e.ID, '!')
	if i < 0 || !strings.HasPrefix(e.ID, "extracts.csv:") {
		return false
	}
	row := e.ID[i+1:]
	if _, err := strconv.Atoi(row); err != nil {
		return false
	}
	// The text cell of the same row: extracts.csv:extracts!C14.
	return strings.HasPrefix(e.Where(), e.ID[:i+1]) && strings.TrimLeft(e.Where()[i+1:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == row
}

// effectivePreset is the preset a source was read with: the one named, or
// the one its header selected (which a note names).
func effectivePreset(r *Result, k sheetKnobs) *Preset {
	if k.preset > 0 {
		return &Presets[k.preset-1]
	}
	for _, n := range r.Notes {
		if _, after, ok := strings.Cut(n.Message, "read it with preset "); ok {
			name, _, _ := strings.Cut(after, " ")
			return FindPreset(name)
		}
	}
	return nil
}
