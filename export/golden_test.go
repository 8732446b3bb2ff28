package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenFormats are the text formats checked byte for byte; xlsx and png are
// checked by reading them back (xlsx_test.go, figure_test.go).
var goldenFormats = []string{"json", "md", "csv", "dot", "mermaid", "svg", "html"}

func TestGolden(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	for _, format := range goldenFormats {
		files, err := Files(format, sampleResult())
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, f := range files {
			path := filepath.Join("testdata", "golden", filepath.FromSlash(f.Name))
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: %v (run go test ./export -update to create it)", f.Name, err)
				continue
			}
			if !bytes.Equal(f.Data, want) {
				t.Errorf("%s differs from %s (run go test ./export -update and review the diff):\n%s", f.Name, path, firstDiff(f.Data, want))
			}
		}
	}
}

// firstDiff shows the first differing line of got and want.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return "line " + itoa(i+1) + ":\n got: " + string(gl) + "\nwant: " + string(wl)
		}
	}
	return "(no line differs)"
}

func TestRenderTwiceIsByteIdentical(t *testing.T) {
	for _, format := range Names() {
		a, err := Files(format, sampleResult())
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		b, err := Files(format, sampleResult())
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: %d then %d files", format, len(a), len(b))
		}
		for i := range a {
			if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
				t.Errorf("%s: %s differs between two renderings", format, a[i].Name)
			}
		}
	}
}
