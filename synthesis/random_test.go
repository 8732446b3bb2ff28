package synthesis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestBuildRandomProjects checks Build against a naive computation on
// randomly generated projects: deep and shared themes (ref), wide and long
// layouts, alias and case variants of code names and study ids.
func TestBuildRandomProjects(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkRandomProject(t, seed) })
	}
}

type rtheme struct {
	id       string
	codes    []int
	children []*rtheme
	refs     []*rtheme
}

func checkRandomProject(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	nCodes := 3 + rng.IntN(20)
	nStudies := 1 + rng.IntN(12)
	codeName := func(i int) string { return fmt.Sprintf("Code number %d", i) }
	alias := func(i int) string { return fmt.Sprintf("alias%d", i) }

	// Themes: a random forest, then a few refs to themes outside a theme's
	// own ancestry (kept acyclic by only pointing at later-defined roots'
	// subtrees... simpler: only from a theme to a theme with a greater index
	// that is not its ancestor).
	var all []*rtheme
	var make_ func(depth int) *rtheme
	make_ = func(depth int) *rtheme {
		th := &rtheme{id: fmt.Sprintf("t%d", len(all))}
		all = append(all, th)
		for range rng.IntN(3) {
			th.codes = append(th.codes, rng.IntN(nCodes))
		}
		if depth < 4 {
			for range rng.IntN(3) {
				th.children = append(th.children, make_(depth+1))
			}
		}
		return th
	}
	var roots []*rtheme
	for range 1 + rng.IntN(4) {
		roots = append(roots, make_(0))
	}
	// descendants via children and refs
	var desc func(th *rtheme, seen map[*rtheme]bool)
	desc = func(th *rtheme, seen map[*rtheme]bool) {
		for _, c := range append(slices.Clone(th.children), th.refs...) {
			if !seen[c] {
				seen[c] = true
				desc(c, seen)
			}
		}
	}
	for range rng.IntN(4) {
		a, b := all[rng.IntN(len(all))], all[rng.IntN(len(all))]
		seen := map[*rtheme]bool{}
		desc(b, seen)
		if a == b || seen[a] || slices.Contains(a.children, b) || slices.Contains(a.refs, b) {
			continue
		}
		// b must not be a's child already and a must not be reachable from b.
		a.refs = append(a.refs, b)
	}

	var cb strings.Builder
	cb.WriteString("version: 1\ncodes:\n")
	for i := range nCodes {
		fmt.Fprintf(&cb, "  - name: %s\n    aliases: [%s]\n", codeName(i), alias(i))
	}
	cb.WriteString("themes:\n")
	var write func(th *rtheme, indent string)
	write = func(th *rtheme, indent string) {
		fmt.Fprintf(&cb, "%s- name: Theme %s\n%s  id: %s\n", indent, th.id, indent, th.id)
		if len(th.codes) > 0 {
			var names []string
			for _, c := range th.codes {
				names = append(names, codeName(c))
			}
			fmt.Fprintf(&cb, "%s  codes: [%s]\n", indent, strings.Join(names, ", "))
		}
		if len(th.children)+len(th.refs) > 0 {
			fmt.Fprintf(&cb, "%s  themes:\n", indent)
			for _, c := range th.children {
				write(c, indent+"    ")
			}
			for _, c := range th.refs {
				fmt.Fprintf(&cb, "%s    - ref: %s\n", indent, c.id)
			}
		}
	}
	for _, r := range roots {
		write(r, "  ")
	}

	// Extracts: each with a study and a random set of codes, written with
	// random spelling; wide (one row) or long (a row per code).
	type rextract struct {
		study int
		codes map[int]bool
	}
	nExtracts := rng.IntN(60)
	var ex []rextract
	var rows []string
	long := rng.IntN(2) == 0
	spell := func(c int) string {
		switch rng.IntN(4) {
		case 0:
			return strings.ToUpper(codeName(c))
		case 1:
			return "  " + strings.ReplaceAll(codeName(c), " ", "   ") + " "
		case 2:
			return strings.ToUpper(alias(c))
		}
		return codeName(c)
	}
	for i := range nExtracts {
		e := rextract{study: rng.IntN(nStudies), codes: map[int]bool{}}
		var cs []int
		for range rng.IntN(4) {
			c := rng.IntN(nCodes)
			e.codes[c] = true
			cs = append(cs, c)
		}
		ex = append(ex, e)
		studyCell := fmt.Sprintf("study %d", e.study)
		if rng.IntN(2) == 0 {
			studyCell = fmt.Sprintf("STUDY  %d", e.study)
		}
		if long && len(cs) > 0 {
			for _, c := range cs {
				rows = append(rows, fmt.Sprintf("E%d\t%s\ttext %d\t%s", i, studyCell, i, spell(c)))
			}
		} else {
			var sp []string
			for _, c := range cs {
				sp = append(sp, spell(c))
			}
			rows = append(rows, fmt.Sprintf("E%d\t%s\ttext %d\t%s", i, studyCell, i, strings.Join(sp, ";")))
		}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var studies strings.Builder
	studies.WriteString("Study ID\tYear\n")
	for s := range nStudies {
		fmt.Fprintf(&studies, "Study %d\t%d\n", s, 2000+s)
	}
	dir := t.TempDir()
	write2 := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write2("codebook.yaml", cb.String())
	extractsFile := "extracts.tsv"
	all2 := append([]string{"ID\tStudy\tExtract\tCodes"}, rows...)
	if rng.IntN(2) == 0 {
		// The same rows as a workbook, with numbers where a cell holds one.
		extractsFile = "extracts.xlsx"
		f := excelize.NewFile()
		for r, line := range all2 {
			for c, v := range strings.Split(line, "\t") {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr("Sheet1", cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.SaveAs(filepath.Join(dir, extractsFile)); err != nil {
			t.Fatal(err)
		}
	} else {
		write2(extractsFile, strings.Join(all2, "\n")+"\n")
	}
	write2("studies.tsv", studies.String())
	write2("synth.yaml", "version: 1\nstudies: {file: studies.tsv, columns: {id: study id}}\nextracts: [{file: "+extractsFile+"}]\n")

	r, err := Build(filepath.Join(dir, "synth.yaml"), Options{})
	if err != nil {
		t.Fatalf("%v\ncodebook:\n%s", err, cb.String())
	}
	if r.Extracts.Len() != nExtracts {
		t.Fatalf("extracts = %d, want %d", r.Extracts.Len(), nExtracts)
	}
	for _, th := range all {
		closure := map[int]bool{}
		seen := map[*rtheme]bool{th: true}
		desc(th, seen)
		for d := range seen {
			for _, c := range d.codes {
				closure[c] = true
			}
		}
		wantStudies := map[int]bool{}
		wantExtracts := 0
		for _, e := range ex {
			hit := false
			for c := range e.codes {
				hit = hit || closure[c]
			}
			if hit {
				wantExtracts++
				wantStudies[e.study] = true
			}
		}
		ts := theme(t, r, th.id)
		var want []string
		for s := range nStudies {
			if wantStudies[s] {
				want = append(want, fmt.Sprintf("Study %d", s))
			}
		}
		if got := ids(ts.Studies); !slices.Equal(got, append([]string{}, want...)) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("theme %s studies = %v, want %v", th.id, got, want)
		}
		if ts.Extracts.Len() != wantExtracts {
			t.Errorf("theme %s extracts = %d, want %d", th.id, ts.Extracts.Len(), wantExtracts)
		}
	}
	for i := range nCodes {
		n := 0
		for _, e := range ex {
			if e.codes[i] {
				n++
			}
		}
		for _, c := range r.Codes {
			if c.Name == codeName(i) && c.Extracts != n {
				t.Errorf("code %d extracts = %d, want %d", i, c.Extracts, n)
			}
		}
	}
	if len(r.Codes) != nCodes {
		t.Errorf("codes = %d, want %d (aliases must not become codes)", len(r.Codes), nCodes)
	}
}
