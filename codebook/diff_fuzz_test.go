package codebook

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// diffSeedCodebooks are the codebooks of the repository's test data that a
// round of revision compares, in pairs (old, new) where they are one.
func diffSeedCodebooks(f *testing.F) (single [][]byte, pairs [][2][]byte) {
	for _, p := range []string{
		filepath.Join("..", "testdata", "social-prescribing", "codebook.yaml"),
		filepath.Join("..", "export", "testdata", "fixture", "codebook.yaml"),
		filepath.Join("..", "export", "testdata", "minimal", "codebook.yaml"),
	} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		single = append(single, data)
	}
	for _, s := range []struct{ file, old, new string }{
		{"diff_codebooks.txtar", "old.yaml", "new.yaml"},
		{"diff_new_theme.txtar", "round1/codebook.yaml", "round2/codebook.yaml"},
		{"diff_projects.txtar", "old/codebook.yaml", "new/codebook.yaml"},
	} {
		ar, err := txtar.ParseFile(filepath.Join("..", "cmd", "synth", "testdata", "script", s.file))
		if err != nil {
			f.Fatal(err)
		}
		var pair [2][]byte
		for _, file := range ar.Files {
			switch file.Name {
			case s.old:
				pair[0] = file.Data
			case s.new:
				pair[1] = file.Data
			}
		}
		if pair[0] == nil || pair[1] == nil {
			f.Fatalf("%s has no %s and %s", s.file, s.old, s.new)
		}
		pairs = append(pairs, pair)
		single = append(single, pair[0], pair[1])
	}
	return single, pairs
}

// fuzzEvidence gives each code of cb the extracts e0…e7 that the bits of
// one byte of ev name, from byte at on; nil when ev is empty.
func fuzzEvidence(cb *Codebook, ev []byte, at int) Evidence {
	if len(ev) == 0 {
		return nil
	}
	out := Evidence{}
	for i, c := range cb.Codes {
		b := ev[(at+i)%len(ev)]
		for j := range 8 {
			if b&(1<<j) != 0 {
				out[c.Name] = append(out[c.Name], fmt.Sprintf("e%d", j))
			}
		}
	}
	return out
}

// FuzzCompare compares two codebooks, with or without the extracts of
// their codes, both ways: Compare must not panic, must find no change
// between a codebook and itself, and must tell the same story read
// backwards: what one way adds the other removes, and a rename one way is
// the opposite rename the other way.
func FuzzCompare(f *testing.F) {
	single, pairs := diffSeedCodebooks(f)
	for _, p := range pairs {
		f.Add(p[0], p[1], []byte{})
		f.Add(p[0], p[1], []byte{0x03, 0x0c, 0x30, 0xc0, 0x0f, 0x01})
	}
	for i, a := range single {
		f.Add(a, a, []byte{})
		f.Add(a, single[(i+1)%len(single)], []byte{0x81, 0x42})
	}
	f.Add([]byte("version: 1\ncodes: [{name: Lonely}, {name: Isolation}]\nthemes: [{name: T, codes: [Lonely, Isolation]}]\n"),
		[]byte("version: 1\ncodes: [{name: Loneliness, aliases: [lonely, isolation]}]\nthemes: [{name: T, codes: [Loneliness]}]\n"), []byte{})
	f.Add([]byte("version: 1\nthemes: [{name: A, codes: [x, y]}, {name: B, themes: [{ref: a}]}]\n"),
		[]byte("version: 1\nthemes: [{name: A2, codes: [x]}, {name: A3, codes: [y]}, {name: B, themes: [{ref: a2}, {ref: a3}]}]\n"), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, oldData, newData, ev []byte) {
		a, err := Parse("old.yaml", oldData)
		if err != nil {
			return
		}
		b, err := Parse("new.yaml", newData)
		if err != nil {
			return
		}
		// Evidence by code: the bytes of ev in turn, a's codes then b's.
		evA, evB := fuzzEvidence(a, ev, 0), fuzzEvidence(b, ev, len(a.Codes))

		for _, s := range []struct {
			cb *Codebook
			ev Evidence
		}{{a, evA}, {b, evB}} {
			if d := Compare(s.cb, s.cb, s.ev, s.ev); len(d.Codes)+len(d.Themes) > 0 {
				t.Fatalf("a codebook against itself:\n%s", strings.Join(describe(d), "\n"))
			}
			for _, th := range s.cb.Themes {
				if to := Compare(s.cb, s.cb, s.ev, s.ev).ContinuesAs(th.ID); to != th.ID {
					t.Fatalf("theme %s continues as %q in its own codebook", th.ID, to)
				}
			}
		}

		ab := Compare(a, b, evA, evB)
		ba := Compare(b, a, evB, evA)
		story := func() string {
			return "a→b:\n" + strings.Join(describe(ab), "\n") + "\nb→a:\n" + strings.Join(describe(ba), "\n")
		}
		if d := Compare(a, b, evA, evB); !slices.Equal(describe(d), describe(ab)) {
			t.Fatalf("two runs differ:\n%s\n%s", strings.Join(describe(d), "\n"), story())
		}
		if !slices.Equal(codeNames(ab, Added, true), codeNames(ba, Removed, false)) ||
			!slices.Equal(codeNames(ab, Removed, false), codeNames(ba, Added, true)) {
			t.Fatalf("added and removed codes are not mirrored:\n%s", story())
		}
		if !slices.Equal(codeRenames(ab, false), codeRenames(ba, true)) {
			t.Fatalf("code renames are not mirrored:\n%s", story())
		}
		// Themes are compared by their code closures, an OLD code read as
		// the NEW codes it became: a split code as all its parts, merged
		// codes as the one they went to. So when codes were merged or split
		// the closures of the two ways are not alike (a NEW theme holding
		// one part of a split code does not hold the OLD code, while an OLD
		// theme holding one of merged codes holds the NEW code), and rules
		// 6–8 may find a theme renamed, merged or split one way only. The
		// themes must mirror each other when no code was merged or split.
		if codeNames(ab, Merged, true) != nil || codeNames(ab, Split, false) != nil {
			return
		}
		if !slices.Equal(themeIDs2(ab, Added, true), themeIDs2(ba, Removed, false)) ||
			!slices.Equal(themeIDs2(ab, Removed, false), themeIDs2(ba, Added, true)) {
			t.Fatalf("added and removed themes are not mirrored:\n%s", story())
		}
		if !slices.Equal(themeRenames(ab, false), themeRenames(ba, true)) {
			t.Fatalf("theme renames are not mirrored:\n%s", story())
		}
	})
}

// codeNames lists the codes of the changes of kind k, NEW side or OLD side,
// sorted.
func codeNames(d *Diff, k ChangeKind, newSide bool) []string {
	var out []string
	for _, c := range d.Codes {
		if c.Kind == k {
			if newSide {
				out = append(out, c.New...)
			} else {
				out = append(out, c.Old...)
			}
		}
	}
	slices.Sort(out)
	return out
}

func themeIDs2(d *Diff, k ChangeKind, newSide bool) []string {
	var out []string
	for _, c := range d.Themes {
		if c.Kind != k {
			continue
		}
		refs := c.Old
		if newSide {
			refs = c.New
		}
		for _, r := range refs {
			out = append(out, r.ID)
		}
	}
	slices.Sort(out)
	return out
}

// codeRenames lists the code renames as "old > new", or "new > old" when
// flipped, sorted.
func codeRenames(d *Diff, flip bool) []string {
	var out []string
	for _, c := range d.Codes {
		if c.Kind != Renamed {
			continue
		}
		o, n := strings.Join(c.Old, ","), strings.Join(c.New, ",")
		if flip {
			o, n = n, o
		}
		out = append(out, o+" > "+n)
	}
	slices.Sort(out)
	return out
}

// themeRenames lists the theme renames as "id=name > id=name", the old side
// first unless flipped, sorted.
func themeRenames(d *Diff, flip bool) []string {
	var out []string
	for _, c := range d.Themes {
		if c.Kind != Renamed || len(c.Old) != 1 || len(c.New) != 1 {
			continue
		}
		o, n := c.Old[0].ID+"="+c.Old[0].Name, c.New[0].ID+"="+c.New[0].Name
		if flip {
			o, n = n, o
		}
		out = append(out, o+" > "+n)
	}
	slices.Sort(out)
	return out
}
