package codebook

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/fold"
)

func FuzzParseCodebook(f *testing.F) {
	f.Add(threeLevels)
	f.Add(chainByRefs(5))
	f.Add(nested(4))
	for _, s := range []string{
		"version: 1\n",
		"version: 1\nlevels: [a]\ncodes: [{name: x, aliases: [y, Y]}]\nthemes: [{name: T, codes: [y, z]}, {name: U, themes: [{ref: t}]}]\n",
		"version: 1\nthemes:\n  - name: A\n    cerqual: {coherence: {concern: serious}, adequacy: {concern: very minor}, confidence: High}\n",
		"version: 1\nthemes:\n  - name: A\n    themes: [{ref: b}]\n  - name: B\n    themes: [{ref: a}]\n",
		"version: 1\nthemes: &a [{name: x, themes: *a}]\n",
		"version: 1\na: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nthemes: [{name: T, codes: *b}]\n",
		"version: 1\ncodes:\n  - Loneliness\n",
		"version: 1\nthemes:\n  - &a {name: A}\n  - *a\n",
		"version: 1\nthemes:\n  - name: Café\n  - name: café\n    id: cafe-2\n  - name: '!!'\n",
		"version: 1\nthemes: [{name: A, themes: [{name: B, themes: [{name: C, codes: [x]}]}, {ref: c}]}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := Parse("codebook.yaml", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "codebook.yaml" {
				t.Fatalf("error %T %v is not a ParseError naming the file", err, err)
			}
			return
		}
		checkInvariants(t, cb)
	})
}

// checkInvariants checks what every parsed codebook promises.
func checkInvariants(t *testing.T, cb *Codebook) {
	t.Helper()
	inThemes := map[*Theme]bool{}
	byID := map[string]bool{}
	for _, th := range cb.Themes {
		if inThemes[th] {
			t.Fatalf("theme %q listed twice", th.ID)
		}
		inThemes[th] = true
		if th.ID == "" || byID[th.ID] {
			t.Fatalf("theme id %q empty or not unique", th.ID)
		}
		byID[th.ID] = true
		if cb.Theme(th.ID) != th || cb.FindTheme(th.ID) != th {
			t.Fatalf("Theme(%q) does not find it", th.ID)
		}
		if th.Name == "" {
			t.Fatalf("theme %q has no name", th.ID)
		}
	}
	codes := map[string]bool{}
	for _, c := range cb.Codes {
		if c.Name == "" || codes[c.Name] {
			t.Fatalf("code %q empty or listed twice", c.Name)
		}
		codes[c.Name] = true
		if got, ok := cb.Lookup(c.Name); !ok || got != c.Name {
			t.Fatalf("Lookup(%q) = %q, %v", c.Name, got, ok)
		}
		for _, a := range c.Aliases {
			if got, ok := cb.Lookup(a); !ok || got != c.Name {
				t.Fatalf("Lookup(alias %q) = %q, want %q", a, got, c.Name)
			}
		}
	}
	for _, r := range cb.Roots {
		if !inThemes[r] || r.Depth != 0 {
			t.Fatalf("root %q not in Themes or depth %d", r.ID, r.Depth)
		}
	}
	for _, th := range cb.Themes {
		want := SubTheme
		if th.Depth < len(cb.Levels) {
			want = cb.Levels[th.Depth]
		}
		if th.Level != want {
			t.Fatalf("theme %q at depth %d has level %q, want %q", th.ID, th.Depth, th.Level, want)
		}
		if th.Depth > 0 && len(th.Parents) == 0 {
			t.Fatalf("theme %q at depth %d has no parent", th.ID, th.Depth)
		}
		for _, c := range th.Children {
			if !inThemes[c] || !slices.Contains(c.Parents, th) {
				t.Fatalf("child %q of %q does not list it as a parent", c.ID, th.ID)
			}
		}
		for _, p := range th.Parents {
			if !slices.Contains(p.Children, th) {
				t.Fatalf("parent %q of %q does not list it as a child", p.ID, th.ID)
			}
		}
		desc := cb.Descendants(th)
		seen := map[*Theme]bool{}
		for _, d := range desc {
			if d == th || seen[d] {
				t.Fatalf("Descendants(%q) has %q twice or itself: a cycle", th.ID, d.ID)
			}
			seen[d] = true
		}
		closure := cb.Closure(th)
		for _, c := range th.Codes {
			if !codes[c] {
				t.Fatalf("theme %q has code %q missing from Codes", th.ID, c)
			}
			if !slices.Contains(closure, c) {
				t.Fatalf("Closure(%q) lacks its own code %q", th.ID, c)
			}
		}
		for i, c := range closure {
			if !codes[c] || slices.Contains(closure[:i], c) {
				t.Fatalf("Closure(%q) = %q: unknown or repeated code", th.ID, closure)
			}
		}
		if cq := th.CERQual; cq != nil {
			for _, c := range []string{cq.MethodologicalLimitations.Concern, cq.Coherence.Concern, cq.Adequacy.Concern, cq.Relevance.Concern} {
				if !slices.Contains([]string{"", "none", "minor", "moderate", "serious"}, c) {
					t.Fatalf("concern %q not normalised", c)
				}
			}
			if !slices.Contains([]string{"", "high", "moderate", "low", "very-low"}, cq.Confidence) {
				t.Fatalf("confidence %q not normalised", cq.Confidence)
			}
		}
	}
	for _, w := range cb.Warnings {
		if w.Kind != WarnCERQualInconsistent && w.Kind != WarnThemeCodeUndefined || !strings.HasPrefix(w.Where, "codebook.yaml:") {
			t.Fatalf("warning %+v", w)
		}
	}
}

// FuzzLookup checks that Lookup's fast paths agree with fold.Key.
func FuzzLookup(f *testing.F) {
	cb, err := Parse("codebook.yaml", threeLevels)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"Low mood", " LOW\tmood\r\n", "isolation", "ISOLATION", "Café", "K\u212a", "a\u00a0b", "a\u0085b", "", "\v\f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if k, ok := asciiKey(nil, s); ok && string(k) != fold.Key(s) {
			t.Fatalf("asciiKey(%q) = %q, fold.Key = %q", s, k, fold.Key(s))
		}
		want, wantOK := "", false
		if c := cb.idx.byKey[fold.Key(s)]; c != nil {
			want, wantOK = c.Name, true
		}
		if got, ok := cb.Lookup(s); got != want || ok != wantOK {
			t.Fatalf("Lookup(%q) = %q, %v; fold.Key gives %q, %v", s, got, ok, want, wantOK)
		}
	})
}
