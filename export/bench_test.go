package export

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/synth-qda/synth/internal/benchdata"
	"github.com/synth-qda/synth/synthesis"
)

// bigResult builds, with synthesis.Build, a project of n extracts over 50
// studies, 40 codes and 5 analytical themes of 4 descriptive themes each.
func bigResult(b *testing.B, n int) *synthesis.Result {
	dir := b.TempDir()
	var studies, extracts, cb strings.Builder
	studies.WriteString("ID,Author,Year\n")
	for i := range 50 {
		fmt.Fprintf(&studies, "S%d,Author S%d,2020\n", i+1, i+1)
	}
	code := func(i int) string { return "Code " + strconv.Itoa(i) }
	extracts.WriteString("ID,Study,Extract,Codes,Type,Page\n")
	for i := range n {
		fmt.Fprintf(&extracts, "E%d,S%d,\"I felt that the link worker really listened to me, and after a few weeks I started going to the garden group again. %d\",%s;%s,participant,p. %d\n",
			i, i%50+1, i, code(i%40), code((i*7)%40), i%300)
	}
	cb.WriteString("version: 1\nlevels: [analytical, descriptive]\ncodes:\n")
	for i := range 40 {
		fmt.Fprintf(&cb, "  - name: %s\n", code(i))
	}
	cb.WriteString("themes:\n")
	for a := range 5 {
		fmt.Fprintf(&cb, "  - name: Analytical theme %d\n    id: a%d\n    themes:\n", a, a)
		for d := range 4 {
			k := a*4 + d
			fmt.Fprintf(&cb, "      - name: Descriptive theme %d\n        id: d%d\n        codes: [%s, %s]\n", k, k, code(2*k), code(2*k+1))
		}
	}
	files := map[string]string{
		"synth.yaml":    "version: 1\ntitle: Benchmark\nstudies: {file: studies.csv}\nextracts:\n  - file: extracts.csv\n    columns: {location: Page}\n",
		"codebook.yaml": cb.String(),
		"studies.csv":   studies.String(),
		"extracts.csv":  extracts.String(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	r, err := synthesis.Build(filepath.Join(dir, "synth.yaml"), synthesis.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

func benchmarkFormat(b *testing.B, format string) {
	r := bigResult(b, 100_000)
	b.ResetTimer()
	for range b.N {
		if format == "csv" {
			if _, err := CSV(r); err != nil {
				b.Fatal(err)
			}
			continue
		}
		if _, err := Files(format, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSON100k(b *testing.B)     { benchmarkFormat(b, "json") }
func BenchmarkMarkdown100k(b *testing.B) { benchmarkFormat(b, "md") }
func BenchmarkCSV100k(b *testing.B)      { benchmarkFormat(b, "csv") }
func BenchmarkXLSX100k(b *testing.B)     { benchmarkFormat(b, "xlsx") }
func BenchmarkDOCX100k(b *testing.B)     { benchmarkFormat(b, "docx") }

// BenchmarkBuildJSON times what `synth build --format json` does, Build and
// then JSON (to io.Discard, so no disk is timed), on the bench script's
// workbook in both layouts (text in the shared strings, text inline), and
// reports x-floor: its time over the floor's, inflating the sheet XML alone
// (compress/flate to io.Discard, the best of three), measured in the same
// run. SYNTH_BENCH_ROWS sets the rows (default 100,000):
//
//	go test -run='^$' -bench=BuildJSON ./export/
func BenchmarkBuildJSON(b *testing.B) {
	n := 100_000
	if s := os.Getenv("SYNTH_BENCH_ROWS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("SYNTH_BENCH_ROWS=%q is not a row count", s)
		}
	}
	for _, layout := range []string{"shared", "inline"} {
		dir := b.TempDir()
		if err := benchdata.WriteProject(dir, n, 1, layout == "inline"); err != nil {
			b.Fatal(err)
		}
		floor := inflateFloor(b, filepath.Join(dir, "extracts.xlsx"))
		b.Run(fmt.Sprintf("%s/rows=%d", layout, n), func(b *testing.B) {
			for b.Loop() {
				r, err := synthesis.Build(filepath.Join(dir, "synth.yaml"), synthesis.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := JSON(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/floor.Seconds(), "x-floor")
		})
	}
}

// inflateFloor is the best of three inflations of the workbook's sheet XML.
func inflateFloor(b *testing.B, path string) time.Duration {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	best := time.Duration(math.MaxInt64)
	for range 3 {
		start := time.Now()
		rc, err := zr.Open(benchdata.SheetPart)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			b.Fatal(err)
		}
		rc.Close()
		best = min(best, time.Since(start))
	}
	return best
}

// BenchmarkThemeMapRaster draws the worked example's theme map at print
// resolution, as synth build's png and docx formats do (the figure's
// layout is outside the timed loop). It is most of the worked example's
// build: go test -run '^$' -bench ThemeMapRaster ./export
func BenchmarkThemeMapRaster(b *testing.B) {
	f, err := themeMapFigure(build(workedExample), MapOptions{})
	if err != nil {
		b.Fatal(err)
	}
	dpi := printDPI(f)
	b.ResetTimer()
	for range b.N {
		if _, err := f.rasterize(dpi); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkThemeMapLayout lays out the worked example's theme map (Graphviz
// dot, through go-graphviz) and builds its figure.
func BenchmarkThemeMapLayout(b *testing.B) {
	r := build(workedExample)
	b.ResetTimer()
	for range b.N {
		if _, err := themeMapFigure(r, MapOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
