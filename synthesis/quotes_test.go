package synthesis

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/synth-qda/synth/internal/benchdata"
)

// TestQuotesInHalves builds projects with every theme's extracts scanned
// for quotes in one pass and in two halves at once: each theme gets the
// same quotes, in the same order. The generated project has ties in plenty
// (extracts of one study as near 200 characters, with as many of the
// theme's codes), which the first half must win as one scan's first
// extract does.
func TestQuotesInHalves(t *testing.T) {
	dir := t.TempDir()
	if err := benchdata.WriteProject(dir, 20000, 3, false); err != nil {
		t.Fatal(err)
	}
	for _, project := range []string{filepath.Join(dir, "synth.yaml"), filepath.Join("..", "testdata", "social-prescribing", "synth.yaml")} {
		quotes := func(halves int) map[string][]string {
			defer func(old int) { quoteHalves = old }(quoteHalves)
			quoteHalves = halves
			r, err := Build(project, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][]string{}
			for _, ts := range r.Themes {
				for _, q := range ts.Quotes {
					out[ts.ID] = append(out[ts.ID], q.ID)
				}
			}
			return out
		}
		one, two := quotes(1<<30), quotes(1)
		if len(one) == 0 {
			t.Fatalf("%s: no theme has quotes", project)
		}
		for id, q := range one {
			if !slices.Equal(q, two[id]) {
				t.Errorf("%s: theme %s quotes %q in one scan, %q in halves", project, id, q, two[id])
			}
		}
		if len(two) != len(one) {
			t.Errorf("%s: %d themes quoted in one scan, %d in halves", project, len(one), len(two))
		}
	}
}
