package export

import (
	"bytes"
	"testing"

	"github.com/goccy/go-graphviz/cgraph"
	"github.com/goccy/go-graphviz/gvc"
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
	if !bytes.HasPrefix(plain, []byte("graph ")) {
		t.Fatalf("dot's plain output: %q", plain)
	}
}

// TestGraphvizEnumsAfterLazyInit: third_party/go-graphviz makes its
// WebAssembly module on first use, so the variables that copy the
// module's enum values are set then, not at package init. Once Graphviz is
// started they hold Graphviz's values, read out of graphviz.wasm's
// wasm_bridge_get_* functions by a program of a reviewer's (the C
// headers' flags, not the generated placeholders 0, 1, 2, ...), and each
// feature set is of distinct single bits, as flags must be.
func TestGraphvizEnumsAfterLazyInit(t *testing.T) {
	WarmLayout()
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"gvc.DeviceDoesTrueColor", int64(gvc.DeviceDoesTrueColor), 256},
		{"gvc.DeviceBinaryFormat", int64(gvc.DeviceBinaryFormat), 512},
		{"gvc.RenderYGoesDown", int64(gvc.RenderYGoesDown), 4096},
		{"gvc.RenderDoesTransform", int64(gvc.RenderDoesTransform), 8192},
		{"cgraph.EDGE", int64(cgraph.EDGE), 2},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	flags := func(what string, fs ...int64) {
		seen := map[int64]bool{}
		for i, f := range fs {
			if f <= 0 || f&(f-1) != 0 || seen[f] {
				t.Errorf("%s flag %d is %d: not a bit of its own", what, i, f)
			}
			seen[f] = true
		}
	}
	flags("device", int64(gvc.DeviceDoesPages), int64(gvc.DeviceDoesLayers), int64(gvc.DeviceEvents),
		int64(gvc.DeviceDoesTrueColor), int64(gvc.DeviceBinaryFormat), int64(gvc.DeviceCompressedFormat), int64(gvc.DeviceNoWriter))
	flags("render", int64(gvc.RenderYGoesDown), int64(gvc.RenderDoesTransform), int64(gvc.RenderDoesLabels),
		int64(gvc.RenderDoesMaps), int64(gvc.RenderDoesMapRectangle), int64(gvc.RenderDoesMapCircle),
		int64(gvc.RenderDoesMapPolygon), int64(gvc.RenderDoesMapEllipse), int64(gvc.RenderDoesMapBspline),
		int64(gvc.RenderDoesTooltips), int64(gvc.RenderDoesTargets), int64(gvc.RenderDoesZ), int64(gvc.RenderNoWhiteBg))
}
