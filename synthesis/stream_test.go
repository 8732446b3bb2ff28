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

// TestTextSetClash plants a text under the hash another text will have:
// each text still finds only its own first extract.
func TestTextSetClash(t *testing.T) {
	s1, s2 := &Study{ID: "S1"}, &Study{ID: "S2"}
	a := &Extract{ID: "a", Study: s1, Text: "alone"}
	b := &Extract{ID: "b", Study: s1, Text: "bored"}
	var set textSet
	set.key(s1, "")                      // sets the set up
	set.byHash[set.key(s1, "bored")] = a // "alone" sits where "bored" hashes
	if d := set.add(s1, "bored", b); d != nil {
		t.Fatalf("first bored found %s", d.ID)
	}
	for _, c := range []struct {
		st   *Study
		text string
		want *Extract
	}{{s1, "bored", b}, {s1, "alone", nil}, {s2, "bored", nil}} {
		e := &Extract{ID: "new", Study: c.st, Text: c.text}
		if d := set.add(c.st, c.text, e); d != c.want {
			t.Errorf("%s %q: found %v, want %v", c.st.ID, c.text, d, c.want)
		}
	}
}

// TestSegSetClash plants a segment under the hash another will have: each
// key still finds only its own extract.
func TestSegSetClash(t *testing.T) {
	st := &Study{ID: "S1"}
	a, b := &Extract{ID: "a"}, &Extract{ID: "b"}
	ka, kb := segKey{kind: 'i', s: "a"}, segKey{kind: 't', study: st, s: "b"}
	var set segSet
	set.grow(0)
	set.byKey[set.hash(kb)] = segEntry{ka, a} // a sits where b hashes
	if e := set.get(kb); e != nil {
		t.Fatalf("b found %s before it was put", e.ID)
	}
	set.put(kb, b)
	if e := set.get(kb); e != b {
		t.Errorf("b finds %v", e)
	}
	if e := set.get(ka); e != nil {
		t.Errorf("a, never put where it hashes, finds %v", e)
	}
	if set.len() != 2 {
		t.Errorf("len %d, want 2", set.len())
	}
}
