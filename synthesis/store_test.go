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
