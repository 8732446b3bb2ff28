package synthesis

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/synth-qda/synth/internal/benchdata"
)

// buildBothWays builds a project with its first source of extracts streamed
// (turned into extracts while it is read) and read whole first, as every
// other source is, and fails unless the results, or the errors, are the
// same.
func buildBothWays(t *testing.T, project string) {
	t.Helper()
	r1, err1 := Build(project, Options{})
	streamFirstSource = false
	r2, err2 := Build(project, Options{})
	streamFirstSource = true
	switch {
	case (err1 == nil) != (err2 == nil):
		t.Errorf("%s: streamed: %v; read whole: %v", project, err1, err2)
	case err1 != nil:
		if err1.Error() != err2.Error() {
			t.Errorf("%s: streamed, the errors are\n%v\nread whole, they are\n%v", project, err1, err2)
		}
	case !reflect.DeepEqual(r1, r2):
		t.Errorf("%s: the streamed result differs from the one read whole", project)
	}
}

// TestStreamedAsReadWhole builds every project at hand both ways: the
// worked example, the export fixtures and, when they are here, the shared
// field cases (tools' exports, merged headings, newcomers' mistakes).
func TestStreamedAsReadWhole(t *testing.T) {
	projects := []string{
		filepath.Join("..", "testdata", "social-prescribing", "synth.yaml"),
		filepath.Join("..", "export", "testdata", "fixture", "synth.yaml"),
		filepath.Join("..", "export", "testdata", "minimal", "synth.yaml"),
	}
	if dirs, err := filepath.Glob(filepath.Join("..", "..", "shared", "field-cases", "*", "synth.yaml")); err == nil && len(dirs) > 0 {
		projects = append(projects, dirs...)
	} else {
		t.Log("the shared field cases are not here; the in-repo projects only")
	}
	// Generated ones of a batch of rows exactly and of a batch and a row
	// over two: the last batch is full, or one row.
	for _, n := range []int{streamBatch, 2*streamBatch + 1} {
		for _, inline := range []bool{false, true} {
			dir := t.TempDir()
			if err := benchdata.WriteProject(dir, n, 1, inline); err != nil {
				t.Fatal(err)
			}
			projects = append(projects, filepath.Join(dir, "synth.yaml"))
		}
	}
	for _, p := range projects {
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
		buildBothWays(t, p)
	}
}

// clashStore is a store of extracts a ("alone") and b ("bored") of study
// S1, and the two studies.
func clashStore() (x *store, s1, s2 *Study, a, b int32) {
	x = newStore(0)
	s1, s2 = &Study{ID: "S1", idx: 0}, &Study{ID: "S2", idx: 1}
	x.studies = []*Study{s1, s2}
	t := &table{file: "e.csv", sheet: "e"}
	a = x.newExtract("a", "alone", 0, "", s1, Participant, "", t, 2, 3, 2)
	b = x.newExtract("b", "bored", 0, "", s1, Participant, "", t, 2, 3, 3)
	return x, s1, s2, a, b
}

// TestTextSetClash plants a text under the hash another text will have:
// each text still finds only its own first extract.
func TestTextSetClash(t *testing.T) {
	x, s1, s2, a, b := clashStore()
	var set textSet
	set.key(s1, "")                         // sets the set up
	set.set.add(set.key(s1, "bored"), a, 0) // "alone" sits where "bored" hashes
	if d := set.add(s1, "bored", b, x, 0); d >= 0 {
		t.Fatalf("first bored found %s", x.id(d))
	}
	for _, c := range []struct {
		st   *Study
		text string
		want int32
	}{{s1, "bored", b}, {s1, "alone", -1}, {s2, "bored", -1}} {
		e := x.newExtract("new", c.text, 0, "", c.st, Participant, "", x.tables[0], 2, 3, 9)
		if d := set.add(c.st, c.text, e, x, 0); d != c.want {
			t.Errorf("%s %q: found %v, want %v", c.st.ID, c.text, d, c.want)
		}
	}
}

// TestSegSetClash plants segments under the hash others will have: each
// key still finds only its own extract, whichever kind of key it is.
func TestSegSetClash(t *testing.T) {
	x, st, _, a, _ := clashStore()
	b := x.newExtract("", "bored", 0, "", st, Participant, "", x.tables[0], 2, 3, 4) // no ID: its key is its study and text
	ka, kb := segKey{kind: 'i', s: "a"}, segKey{kind: 't', study: st, s: "bored"}
	var set segSet
	set.grow(0)
	set.set.add(set.hash(kb), a, 0) // a sits where b hashes
	if e := set.get(kb, x); e >= 0 {
		t.Fatalf("b found %s before it was put", x.id(e))
	}
	set.put(kb, b)
	if e := set.get(kb, x); e != b {
		t.Errorf("b finds %v", e)
	}
	if e := set.get(ka, x); e >= 0 {
		t.Errorf("a, never put where it hashes, finds %v", e)
	}
	set.put(ka, a)
	if e := set.get(ka, x); e != a {
		t.Errorf("a finds %v", e)
	}
	if set.len() != 3 {
		t.Errorf("len %d, want 3", set.len())
	}
	// A key of study and text is checked against its extract's text, a
	// key of segment columns against the key kept.
	kc := segKey{kind: 't', study: st, s: "alone"}
	set.set.add(set.hash(kc), b, 0) // b, of another text, sits where alone hashes
	if e := set.get(kc, x); e >= 0 {
		t.Errorf("alone finds %v", e)
	}
	ks, kt := segKey{kind: 's', s: "\x00p1\x00bored"}, segKey{kind: 's', s: "\x00p2\x00bored"}
	set.set.add(set.hash(kt), b, 0) // b sits where kt hashes
	set.put(ks, b)
	if e := set.get(kt, x); e >= 0 {
		t.Errorf("segment p2 finds %v", e)
	}
	if e := set.get(ks, x); e != b {
		t.Errorf("segment p1 finds %v", e)
	}
}

// TestProbeSetGrows adds more extracts than the set first holds, a tenth of
// them under one hash: each is found after the set has grown, and find
// meets every extract of that hash.
func TestProbeSetGrows(t *testing.T) {
	var p probeSet
	const n = 5000
	for e := range int32(n) {
		h := uint64(e) * 0x9e3779b97f4a7c15
		if e%10 == 0 {
			h = 42 << 32 // a tenth share one hash
		}
		p.add(h, e, 0)
	}
	if p.n != n || len(p.slots) < n*4/3 {
		t.Fatalf("%d entries in %d slots", p.n, len(p.slots))
	}
	for e := range int32(n) {
		h := uint64(e) * 0x9e3779b97f4a7c15
		if e%10 == 0 {
			h = 42 << 32
		}
		var seen []int32
		got := p.find(h, func(d int32) bool { seen = append(seen, d); return d == e })
		if got != e {
			t.Fatalf("extract %d: found %d", e, got)
		}
		if e%10 == 0 && got == 0 {
			if all := p.find(h, func(d int32) bool { seen = append(seen, d); return false }); all >= 0 || len(seen) != n/10+1 {
				t.Fatalf("met %d extracts of the shared hash, want %d", len(seen)-1, n/10)
			}
		}
	}
	if got := p.find(7<<32, func(int32) bool { return true }); got >= 0 {
		t.Errorf("a hash never added finds %d", got)
	}
}
