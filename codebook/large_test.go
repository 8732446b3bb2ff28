package codebook

import (
	"fmt"
	"strings"
	"testing"
)

// chainByRefs defines n top-level themes t0…t(n-1), each reusing the next
// with ref:, so the chain from t0 is n themes long though no YAML nests.
func chainByRefs(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nthemes:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: T%d\n    codes: [c%d]\n", i, i)
		if i+1 < n {
			fmt.Fprintf(&b, "    themes: [{ref: t%d}]\n", i+1)
		}
	}
	return []byte(b.String())
}

// nested writes n themes each inside the previous, in flow style.
func nested(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nthemes: ")
	for i := range n {
		fmt.Fprintf(&b, "[{name: T%d, themes: ", i)
	}
	b.WriteString("[]")
	b.WriteString(strings.Repeat("}]", n))
	b.WriteString("\n")
	return []byte(b.String())
}

// large runs f on one of the inputs below. Tests hold no wall-clock limit
// (a shared machine makes one flaky): an exponential walk never ends and
// go test's -timeout fails it; BenchmarkLargeCodebooks measures the time.
func large(t *testing.T, f func()) {
	t.Helper()
	f()
}

func TestDeepChainByRefs(t *testing.T) {
	large(t, func() {
		_, err := Parse("codebook.yaml", chainByRefs(10_000))
		if err == nil || !strings.Contains(err.Error(), "nested more than 1000 levels deep") {
			t.Errorf("10,000 levels: %v", err)
		}
	})
	large(t, func() {
		cb, err := Parse("codebook.yaml", chainByRefs(MaxDepth))
		if err != nil {
			t.Fatalf("%d levels: %v", MaxDepth, err)
		}
		root := cb.Theme("t0")
		if got := cb.Closure(root); len(got) != MaxDepth || got[0] != "c0" || got[MaxDepth-1] != fmt.Sprint("c", MaxDepth-1) {
			t.Errorf("closure of the chain has %d codes", len(got))
		}
		if got := cb.Descendants(root); len(got) != MaxDepth-1 {
			t.Errorf("%d descendants", len(got))
		}
		last := cb.Theme(fmt.Sprint("t", MaxDepth-1))
		if last.Depth != 0 || len(last.Parents) != 1 || last.Parents[0].ID != fmt.Sprint("t", MaxDepth-2) {
			t.Errorf("last theme: depth %d parents %v", last.Depth, ids(last.Parents))
		}
	})
}

func TestDeepNesting(t *testing.T) {
	large(t, func() {
		cb, err := Parse("codebook.yaml", nested(MaxDepth))
		if err != nil {
			t.Fatalf("%d levels: %v", MaxDepth, err)
		}
		if d := cb.Themes[len(cb.Themes)-1].Depth; d != MaxDepth-1 {
			t.Errorf("deepest depth %d", d)
		}
	})
	_, err := Parse("codebook.yaml", nested(MaxDepth+1))
	if err == nil || !strings.Contains(err.Error(), `theme "T1000" is nested more than 1000 levels deep`) {
		t.Errorf("%d levels: %v", MaxDepth+1, err)
	}
	// Past what the YAML parser itself accepts.
	large(t, func() {
		_, err := Parse("codebook.yaml", nested(10_000))
		if err == nil || !strings.HasPrefix(err.Error(), "codebook.yaml:") || !strings.Contains(err.Error(), "depth") {
			t.Errorf("10,000 levels: %v", err)
		}
	})
}

func TestWide(t *testing.T) {
	// 200 analytical themes × 50 descriptive themes × 5 codes, each
	// descriptive theme also reused under the next analytical theme.
	var b strings.Builder
	b.WriteString("version: 1\nthemes:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  - name: A%d\n    themes:\n", i)
		for j := range 50 {
			fmt.Fprintf(&b, "      - name: D%d-%d\n        codes: [c%d, c%d, c%d, c%d, c%d]\n", i, j, i*50+j, i+j, j, i, 7)
		}
		if i > 0 {
			fmt.Fprintf(&b, "      - ref: d%d-0\n", i-1)
		}
	}
	large(t, func() {
		cb, err := Parse("codebook.yaml", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if len(cb.Themes) != 200*51 {
			t.Errorf("%d themes", len(cb.Themes))
		}
		for _, th := range cb.Themes {
			cb.Closure(th)
		}
		if _, ok := cb.Lookup("C9999"); !ok {
			t.Errorf("lookup")
		}
	})
}

func TestAliasBombs(t *testing.T) {
	laughs := "version: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i := 1; i < 10; i++ {
		laughs += fmt.Sprintf("x%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	themes := "version: 1\nthemes:\n  - &t0 {name: A, codes: [a, b, c, d, e, f, g, h]}\n"
	for i := 1; i < 12; i++ {
		themes += fmt.Sprintf("  - &t%d {name: T%d, themes: [*t%d, *t%d, *t%d, *t%d, *t%d, *t%d, *t%d, *t%d]}\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	tests := map[string]struct{ in, want string }{
		"billion laughs":  {laughs, "YAML aliases expand the codebook by more than 100000 nodes"},
		"themes":          {themes, "YAML aliases expand the codebook by more than 100000 nodes"},
		"self":            {"version: 1\nthemes: &a [{name: x, themes: *a}]\n", "YAML alias *a is used inside its own anchor"},
		"mapping in self": {"version: 1\nthemes: [&m {name: x, themes: [*m]}]\n", "YAML alias *m is used inside its own anchor"},
	}
	for name, tt := range tests {
		large(t, func() {
			_, err := Parse("codebook.yaml", []byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), "codebook.yaml:") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %v", name, err)
			}
		})
	}
	// A small alias is fine, and a theme it repeats is reported as such.
	cb, err := Parse("codebook.yaml", []byte("version: 1\nlevels: &l [a, b]\ncodes: [{name: x, aliases: [y]}]\nthemes: [{name: T, codes: &c [x, z]}, {name: U, codes: *c}]\n"))
	if err != nil || len(cb.Codes) != 2 || cb.Themes[1].Codes[1] != "z" {
		t.Errorf("small alias: %v", err)
	}
	_, err = Parse("codebook.yaml", []byte("version: 1\nthemes:\n  - &a {name: A}\n  - *a\n"))
	if err == nil || !strings.Contains(err.Error(), "codebook.yaml:3:5: theme \"a\" is repeated by a YAML alias; reuse a theme with ref: a") {
		t.Errorf("repeated by alias: %v", err)
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("codebook.yaml", threeLevels); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	cb, err := Parse("codebook.yaml", threeLevels)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cb.Lookup("low  MOOD")
	}
}

// BenchmarkLargeCodebooks times the parse of the deepest codebooks allowed:
// a chain of MaxDepth themes by ref: and MaxDepth themes nested in YAML.
func BenchmarkLargeCodebooks(b *testing.B) {
	for _, in := range []struct {
		name string
		yaml []byte
	}{{"chain-by-refs", chainByRefs(MaxDepth)}, {"nested", nested(MaxDepth)}} {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse("codebook.yaml", in.yaml); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
