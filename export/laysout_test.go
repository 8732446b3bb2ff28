package export

import (
	"testing"
)

// TestLaysOut checks each registered format's LaysOut against what its
// Render does: a format lays out the theme map with dot exactly when it
// says so, so that synth build starts Graphviz ahead for those and not for
// the others. The layouts already made are forgotten before each format.
func TestLaysOut(t *testing.T) {
	r := sampleResult()
	for _, f := range Formats {
		layouts.mu.Lock()
		layouts.m = nil
		layouts.mu.Unlock()
		before := dotRuns.Load()
		if _, err := f.Render(r, Options{}); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if ran := dotRuns.Load() > before; ran != f.LaysOut {
			t.Errorf("%s: LaysOut is %v, but rendering it ran dot: %v", f.Name, f.LaysOut, ran)
		}
	}
}

// TestWarmLayout starts Graphviz twice, then lays out a graph: the module
// made ahead is the one the layout uses.
func TestWarmLayout(t *testing.T) {
	WarmLayout()
	WarmLayout()
	plain, err := runDot([]byte("digraph { a -> b }"))
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) == 0 || string(plain[:5]) != "graph" {
		t.Fatalf("dot's plain output: %q", plain)
	}
}
