package export

import (
	"bytes"
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
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = ThemeMapSVG(r, MapOptions{})
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("render %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], want) {
			t.Fatalf("render %d differs from a lone render", i)
		}
	}
}
