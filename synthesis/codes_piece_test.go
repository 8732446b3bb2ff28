package synthesis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/synth-qda/synth/codebook"
)

// TestCodesCellsPastTheMemo reads, with one reader as a large review is
// read, more different codes cells than the reader remembers whole
// (maxKnownCells): combinations of codebook spellings, in other cases, NFD
// and spaced out, with empty pieces, and some with a piece that names no
// code. Every cell, the first time and again, must read as its pieces
// looked up one by one in the codebook, an unknown piece as itself and
// counted in each cell; the separator counts each cell of two or more
// codes. The reader's memo of pieces (codesByPiece) is what reads most of
// them, so this fails if it drops, reorders or mixes up a piece.
func TestCodesCellsPastTheMemo(t *testing.T) {
	cb, err := codebook.Parse("codebook.yaml", []byte(fuzzCodebook))
	if err != nil {
		t.Fatal(err)
	}
	var spellings []string
	for _, c := range cb.Codes {
		if !strings.Contains(c.Name, ";") {
			spellings = append(spellings, c.Name)
		}
		spellings = append(spellings, c.Aliases...)
	}
	variant := func(s string, k int) string {
		switch k % 4 {
		case 1:
			return strings.ToUpper(s)
		case 2:
			return norm.NFD.String(strings.ToLower(s))
		case 3:
			return "  " + strings.ReplaceAll(s, " ", " \t ") + " "
		}
		return s
	}
	r, ok := codesReader(cb, ";", "")
	if !ok {
		t.Fatal("the reader of a ; source was refused")
	}
	type cellWant struct {
		cell    string
		codes   []string
		unknown string // the unknown piece, cleaned, if any
		pieces  int    // the pieces that are not blank
	}
	var cells []cellWant
	n := len(spellings)
	for i := 0; len(cells) < 2*maxKnownCells+500; i++ {
		a, b, c := i%n, (i/n)%n, (i/n/n)%n
		pieces := []string{variant(spellings[a], i), variant(spellings[b], i/3), variant(spellings[c], i/7)}
		if i%5 == 0 {
			pieces = pieces[:2]
		}
		if i%11 == 0 {
			pieces = append(pieces, "", " ")
		}
		var w cellWant
		if i%97 == 0 {
			w.unknown = fmt.Sprintf("Not a code %d", i%3)
			pieces = append(pieces[:1], append([]string{w.unknown}, pieces[1:]...)...)
		}
		for _, p := range pieces {
			if strings.TrimSpace(p) == "" {
				continue
			}
			w.pieces++
			code, known := cb.Lookup(p)
			if !known {
				code = p // the unknown piece, as the test wrote it
			}
			if !slices.Contains(w.codes, code) {
				w.codes = append(w.codes, code)
			}
		}
		w.cell = strings.Join(pieces, ";")
		cells = append(cells, w)
	}
	wantSep, unknownCells := 0, map[string]int{}
	for round := range 2 {
		for i, w := range cells {
			e := newCodesExtract(r, 2+i)
			r.codes(e, w.cell, "A", newCellRef(r.t, 3, 2+i))
			if got := made(r, e).Codes; !slices.Equal(got, w.codes) {
				t.Fatalf("round %d, cell %d %q read as %q, want %q", round, i, w.cell, got, w.codes)
			}
			// The separator counts in a cell of two or more pieces, the
			// same code twice included, all of them known.
			if w.unknown == "" && w.pieces >= 2 {
				wantSep++
			}
			if w.unknown != "" {
				unknownCells[w.unknown]++
			}
		}
	}
	if r.sepUsed != wantSep {
		t.Errorf("separator counted in %d cells, want %d", r.sepUsed, wantSep)
	}
	for name, cellsWithIt := range unknownCells {
		u := r.in.unknown[strings.ToLower(name)]
		if u == nil {
			t.Errorf("unknown code %q was not recorded", name)
			continue
		}
		if u.cells != cellsWithIt {
			t.Errorf("unknown code %q counted in %d cells, want %d", name, u.cells, cellsWithIt)
		}
	}
	if len(r.pieces) == 0 || len(r.pieces) > maxKnownPieces {
		t.Errorf("the reader remembers %d pieces; the test means to read most cells through them", len(r.pieces))
	}
}
