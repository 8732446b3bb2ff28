package export

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// TestThemeMapConcurrentLayouts: synth build renders formats side by side,
// so the svg, png and docx formats lay the theme map out at once; each
// must get the layout a lone render gets (go-graphviz shares one
// WebAssembly instance between callers).
func TestThemeMapConcurrentLayouts(t *testing.T) {
	r := sampleResult()
	want, err := ThemeMapSVG(r, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	got, errs := atOnce(n, func(int) ([]byte, error) { return ThemeMapSVG(r, MapOptions{}) })
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("render %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Fatalf("render %d differs from a lone render", i)
		}
	}
}

// TestDotConcurrentGraphs runs dot on eight different graphs at once (the
// layouts graphvizPlain keeps do not serve these): each gets the layout
// a lone run gets.
func TestDotConcurrentGraphs(t *testing.T) {
	const n = 8
	dots := make([][]byte, n)
	want := make([][]byte, n)
	for i := range n {
		var b bytes.Buffer
		b.WriteString("digraph{graph[rankdir=LR];")
		for j := range i + 2 {
			fmt.Fprintf(&b, "n%d->n%d;n%d->n%d;", j, j+1, j, (j*3)%(i+3))
		}
		b.WriteString("}\n")
		dots[i] = b.Bytes()
		var err error
		if want[i], err = runDot(dots[i]); err != nil {
			t.Fatal(err)
		}
	}
	got, errs := atOnce(n, func(i int) ([]byte, error) { return runDot(dots[i]) })
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("graph %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("graph %d laid out beside others differs from its lone layout", i)
		}
	}
}

// atOnce calls f(0) to f(n-1) each on a goroutine of its own, and returns
// their results.
func atOnce(n int, f func(i int) ([]byte, error)) ([][]byte, []error) {
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = f(i)
		}()
	}
	wg.Wait()
	return got, errs
}
