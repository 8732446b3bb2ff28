package example

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/synthesis"
)

// dir is the committed copy of the example.
var dir = filepath.Join("..", "..", "testdata", Name)

// The imperfections planted on purpose; README.md names them.
const (
	typo      = "Transprot costs" // unknown-code, did you mean Transport costs
	typoID    = "E109"
	typoMeant = "Transport costs"
)

var uncoded = []string{"E203", "E260"} // uncoded-extract

// --- codebook, read with a plain YAML decode -------------------------------

type cbCode struct {
	Name       string   `yaml:"name"`
	Definition string   `yaml:"definition"`
	Aliases    []string `yaml:"aliases"`
}

type cbComponent struct {
	Concern     string `yaml:"concern"`
	Explanation string `yaml:"explanation"`
}

type cbCERQual struct {
	Methodological cbComponent `yaml:"methodological_limitations"`
	Coherence      cbComponent `yaml:"coherence"`
	Adequacy       cbComponent `yaml:"adequacy"`
	Relevance      cbComponent `yaml:"relevance"`
	Confidence     string      `yaml:"confidence"`
	Explanation    string      `yaml:"explanation"`
}

type cbTheme struct {
	Name    string     `yaml:"name"`
	ID      string     `yaml:"id"`
	Ref     string     `yaml:"ref"`
	Finding string     `yaml:"finding"`
	CERQual *cbCERQual `yaml:"cerqual"`
	Quotes  []string   `yaml:"quotes"`
	Codes   []string   `yaml:"codes"`
	Themes  []*cbTheme `yaml:"themes"`
}

type codebookFile struct {
	Version int        `yaml:"version"`
	Levels  []string   `yaml:"levels"`
	Codes   []cbCode   `yaml:"codes"`
	Themes  []*cbTheme `yaml:"themes"`
}

func readCodebook(t *testing.T) *codebookFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "codebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cb codebookFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cb); err != nil {
		t.Fatal(err)
	}
	return &cb
}

// closure returns the canonical codes under th, resolving refs by id.
func closure(th *cbTheme, byID map[string]*cbTheme, out map[string]bool) {
	if th.Ref != "" {
		th = byID[th.Ref]
	}
	for _, c := range th.Codes {
		out[c] = true
	}
	for _, ch := range th.Themes {
		closure(ch, byID, out)
	}
}

func indexThemes(ths []*cbTheme, byID map[string]*cbTheme) {
	for _, th := range ths {
		if th.ID != "" {
			byID[th.ID] = th
		}
		indexThemes(th.Themes, byID)
	}
}

// --- workbook, read back with excelize --------------------------------------

type extract struct {
	ID, Study, Text, Codes, Type, Page, Coder string
	Cell                                      string // of the Codes cell
}

func readWorkbook(t *testing.T) (extracts []extract, studyHeader []string, studies [][]string) {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(dir, "extracts.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Extracts", "Studies"}) {
		t.Fatalf("sheets = %q, want [Extracts Studies]", got)
	}
	rows, err := f.GetRows("Extracts")
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"ID", "Study", "Extract", "Codes", "Type", "Page", "Coder"}
	if !slices.Equal(rows[0], wantHead) {
		t.Fatalf("Extracts header = %q, want %q", rows[0], wantHead)
	}
	study := ""
	for i, r := range rows[1:] {
		r = append(r, make([]string, len(wantHead))...)[:len(wantHead)]
		if r[1] != "" {
			if r[1] == study {
				t.Errorf("Extracts!B%d repeats %s: the study should be filled down", i+2, study)
			}
			study = r[1]
		}
		extracts = append(extracts, extract{r[0], study, r[2], r[3], r[4], r[5], r[6], fmt.Sprintf("Extracts!D%d", i+2)})
	}
	srows, err := f.GetRows("Studies")
	if err != nil {
		t.Fatal(err)
	}
	return extracts, srows[0], srows[1:]
}

func TestCommittedCopyIsFresh(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from internal/example; run: go generate ./internal/example", filepath.Join(dir, f.Name))
		}
	}
}

func TestWorkbookDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Workbook(&a); err != nil {
		t.Fatal(err)
	}
	if err := Workbook(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs of Workbook differ")
	}
	f, err := excelize.OpenReader(&a)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if p.Created != Timestamp || p.Modified != Timestamp || p.Creator != "synth example" {
		t.Errorf("doc props = %+v", p)
	}
	for _, sheet := range []string{"Extracts", "Studies"} {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v", sheet, panes)
		}
	}
}

func TestProjectFile(t *testing.T) {
	p, err := synthesis.LoadProject(filepath.Join(dir, "synth.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Experiences of social prescribing among patients in the UK" {
		t.Errorf("title = %q", p.Title)
	}
	if p.PRISMA == nil || p.PRISMA.Screened != 1269 || p.PRISMA.FullText != 85 || p.PRISMA.Included != 19 ||
		p.PRISMA.ExcludedScreening != 1269-85 || p.PRISMA.ExcludedFullText != 85-19 {
		t.Errorf("prisma = %+v", p.PRISMA)
	}
	if p.PRISMA != nil && (p.PRISMA.Identified != 0 || p.PRISMA.Duplicates != 0 || len(p.PRISMA.Databases) != 0) {
		t.Error("prisma has identified/duplicates/databases, which the review does not report")
	}
	if len(p.Output.Formats) != 0 {
		t.Errorf("output.formats = %q, want none (all formats)", p.Output.Formats)
	}
}

func TestStudies(t *testing.T) {
	extracts, head, studies := readWorkbook(t)
	want := []string{"Study ID", "Label", "Region", "Setting", "Design", "Data collection", "Analysis",
		"Participants", "Population", "Quality"}
	for i := 1; i <= 10; i++ {
		want = append(want, fmt.Sprintf("CASP %d", i))
	}
	if !slices.Equal(head, want) {
		t.Fatalf("Studies header = %q, want %q", head, want)
	}
	if len(studies) != 19 {
		t.Fatalf("%d studies, want 19", len(studies))
	}
	quality := map[string]int{}
	for i, s := range studies {
		id := fmt.Sprintf("S%02d", i+1)
		if s[0] != id {
			t.Errorf("study %d has id %q, want %s", i+1, s[0], id)
		}
		// The label is how the supplement cites the study (DESIGN §1.3):
		// short, as a citation is; the other columns describe it.
		if s[1] != fmt.Sprintf("Study %02d", i+1) {
			t.Errorf("%s: label %q", id, s[1])
		}
		yes, no := 0, 0
		for _, a := range s[10:] {
			switch a {
			case "Yes":
				yes++
			case "No":
				no++
			case "Can't tell":
			default:
				t.Errorf("%s: CASP answer %q", id, a)
			}
		}
		q := "moderate"
		if yes <= 6 || no >= 2 {
			q = "low"
		} else if yes >= 9 && no == 0 {
			q = "high"
		}
		if s[9] != q {
			t.Errorf("%s: Quality %q, but its CASP answers (%d Yes, %d No) give %q", id, s[9], yes, no, q)
		}
		quality[q]++
	}
	if n := quality["low"]; n < 2 || n > 3 {
		t.Errorf("%d low-quality studies, want 2 or 3", n)
	}

	perStudy := map[string]int{}
	for _, e := range extracts {
		perStudy[e.Study]++
	}
	for _, s := range studies {
		if n := perStudy[s[0]]; n < 8 || n > 25 {
			t.Errorf("%s has %d extracts, want 8–25", s[0], n)
		}
	}
	if len(perStudy) != 19 {
		t.Errorf("extracts name %d studies, want 19", len(perStudy))
	}
}

func TestExtracts(t *testing.T) {
	extracts, _, _ := readWorkbook(t)
	if n := len(extracts); n < 280 || n > 320 {
		t.Errorf("%d extracts, want about 280–320", n)
	}
	seen := map[string]bool{}
	participant := 0
	page := regexp.MustCompile(`^p\. \d+$`)
	for i, e := range extracts {
		if want := fmt.Sprintf("E%03d", i+1); e.ID != want {
			t.Errorf("extract %d has ID %q, want %s", i+1, e.ID, want)
		}
		if seen[e.ID] {
			t.Errorf("duplicate ID %s", e.ID)
		}
		seen[e.ID] = true
		switch e.Type {
		case "participant":
			participant++
		case "author":
			if !strings.HasPrefix(e.Text, "Authors ") {
				t.Errorf("%s: author extract does not start with \"Authors\": %q", e.ID, e.Text)
			}
		default:
			t.Errorf("%s: type %q", e.ID, e.Type)
		}
		if !page.MatchString(e.Page) || (e.Coder != "NH" && e.Coder != "MW") || e.Text == "" {
			t.Errorf("%s: page %q, coder %q, text %q", e.ID, e.Page, e.Coder, e.Text)
		}
		if n := len(strings.Split(strings.TrimSpace(e.Codes), ";")); n > 3 {
			t.Errorf("%s: %d codes, want at most 3", e.ID, n)
		}
	}
	if share := float64(participant) / float64(len(extracts)); share < 0.75 || share > 0.9 {
		t.Errorf("%.0f%% participant extracts, want about 80%%", 100*share)
	}
}

func TestCodesAndThemes(t *testing.T) {
	cb := readCodebook(t)
	extracts, _, studies := readWorkbook(t)

	if cb.Version != 1 || !slices.Equal(cb.Levels, []string{"analytical", "descriptive"}) {
		t.Errorf("version %d, levels %q", cb.Version, cb.Levels)
	}
	// code matching: NFC, case, inner spaces, aliases
	canon := map[string]string{}
	for _, c := range cb.Codes {
		for _, s := range append([]string{c.Name}, c.Aliases...) {
			k := fold.Key(s)
			if prev, ok := canon[k]; ok {
				t.Errorf("%q is both %s and %s", s, prev, c.Name)
			}
			canon[k] = c.Name
		}
	}
	if n := len(cb.Codes); n < 35 || n > 50 {
		t.Errorf("%d codes, want about 35–50", n)
	}

	// themes: the five analytical themes, refs, closures
	wantNames := []string{
		"Searching for hope in times of adversity",
		"Variability in temporal responsiveness",
		"Sustained change from a positive response",
		"Feeling supported and empowered by the social prescribing pathway",
		"Misalignment producing no response",
	}
	wantIDs := []string{"hope", "temporal", "sustained", "supported", "misalignment"}
	if len(cb.Themes) != 5 {
		t.Fatalf("%d analytical themes, want 5", len(cb.Themes))
	}
	byID := map[string]*cbTheme{}
	indexThemes(cb.Themes, byID)
	themed := map[string]int{} // code → number of descriptive themes
	refs := 0
	for i, th := range cb.Themes {
		if th.Name != wantNames[i] || th.ID != wantIDs[i] {
			t.Errorf("analytical theme %d = %q (%s), want %q (%s)", i+1, th.Name, th.ID, wantNames[i], wantIDs[i])
		}
		if n := len(th.Themes); n < 2 || n > 4 {
			t.Errorf("%s: %d descriptive themes, want 2–4", th.ID, n)
		}
		if strings.TrimSpace(th.Finding) == "" || th.CERQual == nil {
			t.Errorf("%s: no finding or cerqual", th.ID)
		} else if got, want := th.CERQual.Confidence, confidence(th.CERQual); got != want {
			t.Errorf("%s: confidence %q, but its components give %q", th.ID, got, want)
		}
		for _, d := range th.Themes {
			if d.Ref != "" {
				refs++
				if byID[d.Ref] == nil {
					t.Errorf("%s: dangling ref %q", th.ID, d.Ref)
				}
				continue
			}
			if n := len(d.Codes); n < 2 || n > 5 {
				t.Errorf("%s: %d codes, want 2–5", d.Name, n)
			}
			for _, c := range d.Codes {
				if canon[fold.Key(c)] != c {
					t.Errorf("%s: code %q is not defined under codes:", d.Name, c)
				}
				themed[c]++
			}
		}
	}
	if refs != 1 {
		t.Errorf("%d refs, want 1", refs)
	}
	shared := 0
	for _, c := range cb.Codes {
		switch themed[c.Name] {
		case 0:
			t.Errorf("code %q is in no theme", c.Name)
		case 1:
		default:
			shared++
		}
	}
	if shared == 0 {
		t.Error("no code sits under two themes")
	}

	// the codes typed in the extracts
	studyCodes := map[string]map[string]bool{} // code → studies
	used := map[string]bool{}
	var unknown, empty []string
	for _, e := range extracts {
		n := 0
		for _, piece := range strings.Split(e.Codes, ";") {
			if strings.TrimSpace(piece) == "" {
				continue
			}
			n++
			c, ok := canon[fold.Key(piece)]
			if !ok {
				unknown = append(unknown, e.ID+": "+piece)
				continue
			}
			used[c] = true
			if studyCodes[c] == nil {
				studyCodes[c] = map[string]bool{}
			}
			studyCodes[c][e.Study] = true
		}
		if n == 0 {
			empty = append(empty, e.ID)
		}
	}
	if want := []string{typoID + ": " + typo}; !slices.Equal(unknown, want) {
		t.Errorf("unknown codes = %q, want exactly %q", unknown, want)
	}
	if got := fold.Suggest(typo, codeNames(cb)); got != typoMeant {
		t.Errorf("did-you-mean for %q = %q, want %q", typo, got, typoMeant)
	}
	if !slices.Equal(empty, uncoded) {
		t.Errorf("uncoded extracts = %q, want %q", empty, uncoded)
	}
	for _, c := range cb.Codes {
		if !used[c.Name] {
			t.Errorf("code %q is used by no extract", c.Name)
		}
	}

	// support of each theme, and after the sensitivity analysis drops low-quality studies
	low := map[string]bool{}
	for _, s := range studies {
		if s[9] == "low" {
			low[s[0]] = true
		}
	}
	support := func(th *cbTheme) (all, kept []string) {
		codes := map[string]bool{}
		closure(th, byID, codes)
		set := map[string]bool{}
		for c := range codes {
			for s := range studyCodes[c] {
				set[s] = true
			}
		}
		for s := range set {
			all = append(all, s)
			if !low[s] {
				kept = append(kept, s)
			}
		}
		slices.Sort(all)
		slices.Sort(kept)
		return all, kept
	}
	reached := map[string]bool{}
	for _, th := range cb.Themes {
		all, kept := support(th)
		t.Logf("%-12s %2d studies, %2d without low quality", th.ID, len(all), len(kept))
		if len(all) < 6 {
			t.Errorf("%s is supported by %d studies, want ≥ 6", th.ID, len(all))
		}
		if len(kept) < 2 {
			t.Errorf("%s depends on low-quality studies: %q", th.ID, all)
		}
		for _, s := range all {
			reached[s] = true
		}
		for _, d := range th.Themes {
			if d.Ref != "" {
				continue
			}
			all, kept := support(d)
			switch {
			case d.ID == "passed-around":
				if len(all) < 2 || len(kept) != 1 {
					t.Errorf("passed-around: studies %q, %q after sensitivity; want one study left", all, kept)
				}
			case len(kept) < 2:
				t.Errorf("%s: studies %q, %q after sensitivity", d.Name, all, kept)
			}
		}
	}
	for _, s := range studies {
		if !reached[s[0]] {
			t.Errorf("%s supports no analytical theme", s[0])
		}
	}

	// pinned quotes: participant extracts that support their theme
	byExtract := map[string]extract{}
	for _, e := range extracts {
		byExtract[e.ID] = e
	}
	pinned := 0
	for _, th := range cb.Themes {
		if len(th.Quotes) == 0 {
			continue
		}
		pinned++
		codes := map[string]bool{}
		closure(th, byID, codes)
		for _, q := range th.Quotes {
			e, ok := byExtract[q]
			if !ok {
				t.Errorf("%s: pinned quote %s does not exist", th.ID, q)
				continue
			}
			hit := false
			for _, piece := range strings.Split(e.Codes, ";") {
				hit = hit || codes[canon[fold.Key(piece)]]
			}
			if !hit || e.Type != "participant" {
				t.Errorf("%s: pinned quote %s (%s) does not support it as a participant quotation", th.ID, q, e.Codes)
			}
		}
	}
	if pinned != 2 {
		t.Errorf("quotes pinned on %d themes, want 2", pinned)
	}
}

func codeNames(cb *codebookFile) []string {
	var names []string
	for _, c := range cb.Codes {
		names = append(names, c.Name)
	}
	return names
}

// confidence is the example's GRADE-CERQual rule (README.md): start at high,
// down one level per moderate concern and two per serious concern, and one
// for two or more minor concerns when there is nothing worse.
func confidence(c *cbCERQual) string {
	levels := []string{"high", "moderate", "low", "very-low"}
	down, minor := 0, 0
	for _, comp := range []cbComponent{c.Methodological, c.Coherence, c.Adequacy, c.Relevance} {
		switch comp.Concern {
		case "none":
		case "minor":
			minor++
		case "moderate":
			down++
		case "serious":
			down += 2
		default:
			return "bad concern " + comp.Concern
		}
	}
	if down == 0 && minor >= 2 {
		down = 1
	}
	return levels[min(down, 3)]
}
