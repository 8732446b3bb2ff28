package synthesis

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestExtractsViews reads the worked example's extracts every way the
// Result offers them (At, All, Each, Slice, ID) and checks that they agree,
// for all extracts and for each theme's, and that a theme's extracts are
// those of Result.Extracts carrying one of its closure's codes.
func TestExtractsViews(t *testing.T) {
	r, err := Build(filepath.Join("..", "testdata", "social-prescribing", "synth.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, x Extracts) {
		t.Helper()
		all := x.Slice()
		if len(all) != x.Len() {
			t.Fatalf("%s: Slice has %d extracts, Len %d", what, len(all), x.Len())
		}
		for i, e := range x.All() {
			if !reflect.DeepEqual(e, all[i]) || !reflect.DeepEqual(x.At(i), e) || x.ID(i) != e.ID || x.study(i) != e.Study {
				t.Fatalf("%s: extract %d differs between All, At, Slice, ID and study", what, i)
			}
		}
		var prev *Extract
		x.Each(func(i int, e *Extract) {
			if prev != nil && e != prev {
				t.Fatalf("%s: Each made a new Extract for %d", what, i)
			}
			prev = e
			if !reflect.DeepEqual(*e, *all[i]) {
				t.Fatalf("%s: Each's extract %d is not At's", what, i)
			}
		})
	}
	check("all", r.Extracts)
	if r.Extracts.Len() < 100 {
		t.Fatalf("%d extracts", r.Extracts.Len())
	}
	for _, ts := range r.Themes {
		check(ts.ID, ts.Extracts)
		var want []string
		for _, e := range r.Extracts.All() {
			if len(ts.CodesOf(e)) > 0 {
				want = append(want, e.ID)
			}
		}
		var got []string
		for i := range ts.Extracts.Len() {
			got = append(got, ts.Extracts.ID(i))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("theme %s: extracts %v, want %v", ts.ID, got, want)
		}
	}
	// Made by hand, they are the extracts given.
	a, b := &Extract{ID: "a"}, &Extract{ID: "b"}
	hand := ExtractList(a, b)
	if hand.Len() != 2 || hand.At(1) != b || hand.ID(0) != "a" || hand.Slice()[0] != a {
		t.Errorf("ExtractList does not give back its extracts")
	}
}

// TestStrArena adds strings of every length class, empty, short, across
// chunk ends and big, and reads each back.
func TestStrArena(t *testing.T) {
	var a strArena
	var refs []strRef
	var want []string
	for i := range 3000 {
		n := (i * 997) % 3000
		if i%500 == 0 {
			n = arenaBig + i
		}
		s := string(rune('a'+i%26)) + string(make([]byte, n))
		refs = append(refs, a.add(s))
		want = append(want, s)
	}
	refs = append(refs, a.add(""))
	want = append(want, "")
	for i, r := range refs {
		if got := a.get(r); got != want[i] {
			t.Fatalf("string %d (%d bytes) reads back as %d bytes", i, len(want[i]), len(got))
		}
	}
	if len(a.chunks) < 2 || len(a.big) != 6 {
		t.Errorf("%d chunks, %d big strings: the test does not cross chunks", len(a.chunks), len(a.big))
	}
}

// TestCoderListsKeyed gives one extract coders X and Y and another a coder
// whose name is X, U+0000, Y (an xlsx cell's _x0000_): each keeps its own
// list.
func TestCoderListsKeyed(t *testing.T) {
	x, _, _, a, b := clashStore()
	x.addCoder(a, "X")
	x.addCoder(a, "Y")
	x.addCoder(b, "X\x00Y")
	if got := x.extract(a).Coders; !reflect.DeepEqual(got, []string{"X", "Y"}) {
		t.Errorf("a's coders %q", got)
	}
	if got := x.extract(b).Coders; !reflect.DeepEqual(got, []string{"X\x00Y"}) {
		t.Errorf("b's coders %q, want its one coder", got)
	}
}

// TestCodeSetPerRow adds ten codes to an extract in one row, from its codes
// cell and from code columns: the extract's codes are in the order given,
// its codings one per code, and the row leaves one code set, not one per
// code; a second row's new code makes one more.
func TestCodeSetPerRow(t *testing.T) {
	x, _, _, a, _ := clashStore()
	t0 := x.tables[0]
	var want []string
	for i := range 10 {
		code := string(rune('a' + i))
		where := cellRef{t0, 3, 2} // a's codes cell
		if i >= 5 {
			where = cellRef{t0, int32(10 + i), 2} // a code column
		}
		x.addCoding(a, code, "", where)
		x.addCoding(a, code, "", where) // again: nothing new
		want = append(want, code)
	}
	x.flush()
	e := x.extract(a)
	if !reflect.DeepEqual(e.Codes, want) || len(e.Codings) != 10 || e.Codings[7].Where() != "e.csv:e!Q2" {
		t.Fatalf("codes %q, %d codings (%v)", e.Codes, len(e.Codings), e.Codings)
	}
	if len(x.codeSets) > 3 {
		t.Errorf("%d code sets after one row, want the empty one, the codes cell's five and the row's ten at most", len(x.codeSets))
	}
	n := len(x.codeSets)
	x.addCoding(a, "k", "B", cellRef{t0, 3, 7})
	x.flush()
	if got := x.extract(a).Codes; len(got) != 11 || got[10] != "k" || len(x.codeSets) != n+1 {
		t.Errorf("after a second row: codes %q, %d sets (want %d)", got, len(x.codeSets), n+1)
	}
}
