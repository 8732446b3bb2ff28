package refi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// samplesDir is the shared corpus of real REFI-QDA exports (see its
// README.md for what is odd in each file).
func samplesDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "refi-qda", "samples")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the shared REFI-QDA samples are not here (%s); skipping", dir)
	}
	return dir
}

// Every real project opens; the counts are those the samples README gives
// (and xmllint agrees with; cmd/synth checks them against xmllint).
func TestSamplesOpen(t *testing.T) {
	dir := samplesDir(t)
	want := map[string]struct {
		sources, selections int
		unit                PositionUnit
	}{
		"atlasti-23.2.3-win_blank-atlas-project.qdpx":  {0, 0, CodePoints},
		"atlasti-23.2.3-win_target-atlas-project.qdpx": {0, 0, CodePoints},
		// 6 text, 1 picture, 2 PDF, 1 audio and 2 video sources; 8
		// PlainTextSelections (6 in text sources, 2 in a PDF's
		// representation), 4 PDF, 1 picture and 2 video selections.
		"atlasti-8.4.0-mac_standard-project.qde": {12, 15, CodePoints},
		"maxqda-24.7.0_project.qde":              {10, 0, CodePoints},
		"nvivo-12.6-win_oltas.qdpx":              {1, 97, UTF16Units},
		"nvivo-15.0.0-mac_nvivo_project.qdpx":    {2, 0, UTF16Units},
		"qc-1.3.2_demo.qdpx":                     {2, 158, CodePoints},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			p, err := Open(filepath.Join(dir, name), Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, s := range p.Sources {
				n += len(s.Selections)
			}
			if len(p.Sources) != w.sources || n != w.selections || p.Unit != w.unit {
				t.Errorf("got %d sources, %d selections, %v; want %d, %d, %v", len(p.Sources), n, p.Unit, w.sources, w.selections, w.unit)
			}
		})
	}
}

// The NVivo 12.6 sample's text starts with a BOM, uses CRLF and holds
// emoji; its positions count UTF-16 units. The expected texts were cut with
// Python from the .txt (decoded as utf-8-sig, encoded as UTF-16-LE, sliced
// at 2*start:2*end), independently of this package.
func TestNVivoSampleText(t *testing.T) {
	p, err := Open(filepath.Join(samplesDir(t), "nvivo-12.6-win_oltas.qdpx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]int64]string{
		{2780, 2808}: "Nem tehetik kötelezővé! 😡😡",
		{2560, 2616}: "Mi az a fityesznek? Akkor írják át amikor akarják 🤣🤣🤣",
	}
	found := 0
	for _, sel := range p.Sources[0].Selections {
		if sel.From != FromSource {
			t.Errorf("selection %s: no text (%s)", sel.GUID, sel.Problem)
		}
		if w, ok := want[[2]int64{sel.Start, sel.End}]; ok {
			found++
			if strings.TrimSpace(sel.Text) != w {
				t.Errorf("[%d,%d): got %q, want %q", sel.Start, sel.End, sel.Text, w)
			}
		}
	}
	if found == 0 {
		t.Error("the selections checked were not found")
	}
}
