package export

import (
	"strconv"
	"testing"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/synthesis"
)

// bigResult is a synthetic result of n extracts over 50 studies, 40 codes
// and 5 analytical themes of 4 descriptive themes each.
func bigResult(n int) *synthesis.Result {
	r := &synthesis.Result{Title: "Benchmark", StudyColumns: []string{"ID", "Author", "Year"}}
	for i := range 50 {
		id := "S" + strconv.Itoa(i+1)
		r.Studies = append(r.Studies, &synthesis.Study{ID: id, Fields: []string{id, "Author " + id, "2020"}})
	}
	for i := range 40 {
		r.Codes = append(r.Codes, &synthesis.CodeStat{Name: "Code " + strconv.Itoa(i), InCodebook: true})
	}
	for i := range n {
		s := r.Studies[i%50]
		s.Extracts++
		r.Extracts = append(r.Extracts, &synthesis.Extract{ID: "E" + strconv.Itoa(i), Study: s, Type: synthesis.Participant,
			Location: "p. " + strconv.Itoa(i%300), Codes: []string{r.Codes[i%40].Name, r.Codes[(i*7)%40].Name},
			Text:  "I felt that the link worker really listened to me, and after a few weeks I started going to the garden group again. " + strconv.Itoa(i),
			Where: "extracts.xlsx:Extracts!C" + strconv.Itoa(i+2)})
	}
	cb := &codebook.Codebook{Levels: []string{"analytical", "descriptive"}}
	for a := range 5 {
		parent := &codebook.Theme{ID: "a" + strconv.Itoa(a), Name: "Analytical theme " + strconv.Itoa(a), Level: "analytical"}
		cb.Themes = append(cb.Themes, parent)
		for d := range 4 {
			k := a*4 + d
			child := &codebook.Theme{ID: "d" + strconv.Itoa(k), Name: "Descriptive theme " + strconv.Itoa(k), Depth: 1, Level: "descriptive",
				Codes: []string{r.Codes[2*k].Name, r.Codes[2*k+1].Name}}
			parent.Children = append(parent.Children, child)
			child.Parents = []*codebook.Theme{parent}
			cb.Themes = append(cb.Themes, child)
		}
	}
	r.Codebook = cb
	for _, t := range cb.Themes {
		r.Themes = append(r.Themes, themeStat(r, t))
	}
	return r
}

func benchmarkFormat(b *testing.B, format string) {
	r := bigResult(100_000)
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
