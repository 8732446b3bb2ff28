package synthesis

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzCompareResults builds two projects from fuzzed codebooks and extracts
// and compares them both ways and each with itself: never a panic; a
// project against itself has no codebook change and every theme's support
// unchanged; each way, every theme is accounted for once and a theme's
// gains and losses make up the change of its support; a theme that goes on
// under its id both ways has the same support read backwards.
func FuzzCompareResults(f *testing.F) {
	for _, s := range []struct{ file, old, new string }{
		{"diff_projects.txtar", "old/", "new/"},
		{"diff_new_theme.txtar", "round1/", "round2/"},
	} {
		ar, err := txtar.ParseFile(filepath.Join("..", "cmd", "synth", "testdata", "script", s.file))
		if err != nil {
			f.Fatal(err)
		}
		files := map[string][]byte{}
		for _, file := range ar.Files {
			files[file.Name] = file.Data
		}
		csv := func(dir string) []byte {
			if b, ok := files[dir+"extracts.csv"]; ok {
				return b
			}
			return append(append([]byte{}, files[dir+"ak.csv"]...), files[dir+"jb.csv"][len("ID,Study,Extract,Codes,Coder\n"):]...)
		}
		f.Add(files[s.old+"codebook.yaml"], files[s.new+"codebook.yaml"], csv(s.old), csv(s.new))
		f.Add(files[s.old+"codebook.yaml"], files[s.new+"codebook.yaml"], csv(s.old), csv(s.old))
	}
	f.Fuzz(func(t *testing.T, oldCB, newCB, oldCSV, newCSV []byte) {
		old := buildFuzzProject(t, oldCB, oldCSV)
		new := buildFuzzProject(t, newCB, newCSV)
		if old == nil || new == nil {
			return
		}
		for _, r := range []*Result{old, new} {
			d := CompareResults(r, r)
			if n := len(d.Codebook.Codes) + len(d.Codebook.Themes); n > 0 {
				t.Fatalf("a project against itself: %d changes: %+v %+v", n, d.Codebook.Codes, d.Codebook.Themes)
			}
			checkSupport(t, d, r, r)
			for _, s := range d.Support {
				if s.Changed() || len(s.OldIDs) != 1 || s.OldIDs[0] != s.NewID {
					t.Fatalf("a project against itself: %+v", s)
				}
			}
		}
		ab, ba := CompareResults(old, new), CompareResults(new, old)
		checkSupport(t, ab, old, new)
		checkSupport(t, ba, new, old)
		back := map[string]ThemeSupportChange{}
		for _, s := range ba.Support {
			if len(s.OldIDs) == 1 && s.OldIDs[0] == s.NewID {
				back[s.NewID] = s
			}
		}
		for _, s := range ab.Support {
			b, ok := back[s.NewID]
			if !ok || len(s.OldIDs) != 1 || s.OldIDs[0] != s.NewID {
				continue
			}
			if s.ExtractsBefore != b.ExtractsAfter || s.ExtractsAfter != b.ExtractsBefore ||
				s.ExtractsGained != b.ExtractsLost || s.ExtractsLost != b.ExtractsGained ||
				s.StudiesBefore != b.StudiesAfter || s.StudiesAfter != b.StudiesBefore ||
				len(s.StudiesGained) != len(b.StudiesLost) || len(s.StudiesLost) != len(b.StudiesGained) {
				t.Fatalf("theme %s: old→new %+v, new→old %+v", s.NewID, s, b)
			}
		}
	})
}

// buildFuzzProject builds a project of one extracts CSV; nil when it does
// not build.
func buildFuzzProject(t *testing.T, cb, csv []byte) *Result {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"synth.yaml":    []byte("version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: extracts.csv\n"),
		"codebook.yaml": cb,
		"extracts.csv":  csv,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Build(filepath.Join(dir, "synth.yaml"), Options{})
	if err != nil {
		return nil
	}
	return r
}

// checkSupport checks a comparison's support entries: one per NEW theme in
// NEW order, then the OLD themes that go on as none; every OLD theme named
// once; gains and losses that make up the change.
func checkSupport(t *testing.T, d *Diff, old, new *Result) {
	t.Helper()
	var newIDs, oldIDs []string
	for i, s := range d.Support {
		if i < len(new.Themes) {
			if s.NewID != new.Themes[i].ID {
				t.Fatalf("entry %d is %q, want NEW theme %q", i, s.NewID, new.Themes[i].ID)
			}
		} else if s.NewID != "" || len(s.OldIDs) != 1 {
			t.Fatalf("entry %d after the NEW themes: %+v", i, s)
		}
		newIDs = append(newIDs, s.NewID)
		oldIDs = append(oldIDs, s.OldIDs...)
		if s.ExtractsGained-s.ExtractsLost != s.ExtractsAfter-s.ExtractsBefore ||
			len(s.StudiesGained)-len(s.StudiesLost) != s.StudiesAfter-s.StudiesBefore ||
			s.ExtractsGained > s.ExtractsAfter || s.ExtractsLost > s.ExtractsBefore ||
			len(s.StudiesGained) > s.StudiesAfter || len(s.StudiesLost) > s.StudiesBefore {
			t.Fatalf("theme %q%q: gains and losses do not add up: %+v", s.OldIDs, s.NewID, s)
		}
		if s.NewID == "" && (s.ExtractsAfter != 0 || s.StudiesAfter != 0) {
			t.Fatalf("OLD theme %q that goes on as none has support after: %+v", s.OldIDs, s)
		}
	}
	if len(d.Support) < len(new.Themes) {
		t.Fatalf("%d entries for %d NEW themes", len(d.Support), len(new.Themes))
	}
	var want []string
	for _, ts := range old.Themes {
		want = append(want, ts.ID)
	}
	slices.Sort(oldIDs)
	slices.Sort(want)
	if !slices.Equal(oldIDs, want) {
		t.Fatalf("OLD themes named %q, want each of %q once", oldIDs, want)
	}
}
