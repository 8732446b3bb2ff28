package export

import (
	"cmp"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// Table is one supplement table, rendered alike by md, csv and xlsx (and by
// any later tabular format). Cells are plain text; renderers escape them.
type Table struct {
	Name   string // file stem for csv and a stable id: "themes", "matrix", …
	Title  string // "Themes"; the caption adds "Table S<n>."
	Number int    // n of "Table S<n>"; 0 for the unnumbered summary
	Header []string
	Rows   [][]string
	Note   string // a sentence under the table saying how to read it; may be ""

	// Numeric marks the columns that hold numbers synth computed; xlsx
	// writes their cells as numbers, everything else as strings.
	Numeric []bool
	// Indent, when not nil, is each row's depth in the theme hierarchy;
	// renderers indent column IndentCol by it.
	Indent    []int
	IndentCol int
	// Heat marks the columns whose numbers renderers may shade by value
	// (the matrix's study columns); nil for most tables.
	Heat []bool
	// Group, when true, says column 0 repeats along runs of rows (each
	// theme's quotes or extracts): a page layout may print it once, as a
	// heading row above its run.
	Group bool
	// Prose marks the column of participants' and authors' words, to
	// which a page layout gives at least half its width.
	Prose []bool

	heads    []string     // with Group dropped: the heading above each row, or ""
	textRows map[int]bool // rows whose Numeric cells are text (the summary's title)
}

// Caption is "Table S<n>. <Title>", or the bare title for the summary.
func (t Table) Caption() string {
	if t.Number == 0 {
		return t.Title
	}
	return "Table S" + strconv.Itoa(t.Number) + ". " + t.Title
}

// IsNumber reports whether cell (row, col) holds a number synth computed.
func (t Table) IsNumber(row, col int) bool {
	if col >= len(t.Numeric) || !t.Numeric[col] || t.textRows[row] {
		return false
	}
	if row < len(t.Rows) && col < len(t.Rows[row]) && t.Rows[row][col] == "" {
		return false
	}
	return true
}

// Tables builds the supplement tables in order: the summary (unnumbered),
// then Table S1, S2, …: studies, casp (only with CASP columns), themes,
// matrix, codes, quotes, evidence, cerqual (the GRADE-CERQual evidence
// profile, only when a theme states a finding or has an assessment), soqf, sensitivity (only with a sensitivity analysis),
// warnings. Tables without rows keep their header so outputs have stable
// shapes.
func Tables(r *synthesis.Result) []Table {
	ts := []Table{summaryTable(r), studiesTable(r)}
	if len(r.CASP) > 0 {
		ts = append(ts, caspTable(r))
	}
	ts = append(ts, themesTable(r), matrixTable(r), codesTable(r), quotesTable(r), evidenceTable(r))
	if c := cerqualTable(r); len(c.Rows) > 0 {
		ts = append(ts, c)
	}
	ts = append(ts, soqfTable(r))
	if r.Sensitivity != nil {
		ts = append(ts, sensitivityTable(r))
	}
	ts = append(ts, warningsTable(r))
	n := 0
	for i := range ts {
		if ts[i].Name != "summary" {
			n++
			ts[i].Number = n
		}
	}
	return ts
}

func itoa(n int) string { return strconv.Itoa(n) }

// percent formats a share (0..1) as a percentage with at most one decimal.
func percent(share float64) string {
	return strconv.FormatFloat(math.Round(share*1000)/10, 'f', -1, 64)
}

func numeric(n int, cols ...int) []bool {
	b := make([]bool, n)
	for _, c := range cols {
		b[c] = true
	}
	return b
}

// warningsItem is the summary's row counting the warnings, which
// supplement.docx leaves out with the warnings table.
const warningsItem = "Warnings"

// noteItem is the summary's row of the project's note, which the title page
// of supplement.docx and the header of report.html print instead.
const noteItem = "Note"

func summaryTable(r *synthesis.Result) Table {
	t := Table{Name: "summary", Title: "Summary", Header: []string{"Item", "Value"},
		Numeric: numeric(2, 1), textRows: map[int]bool{0: true}}
	add := func(item string, n int) { t.Rows = append(t.Rows, []string{item, itoa(n)}) }
	t.Rows = append(t.Rows, []string{"Title", r.Title})
	if note := r.Note(); note != "" {
		t.Rows = append(t.Rows, []string{noteItem, note})
		t.textRows[1] = true
	}
	add("Studies included", len(r.Studies))
	add("Studies contributing extracts", r.Totals.Contributing)
	add("Extracts", r.Extracts.Len())
	add("Participant extracts", r.Totals.Participant)
	add("Author extracts", r.Totals.Author)
	add("Codes", len(r.Codes))
	add("Codes in codebook", r.Totals.CodebookCodes)
	add("Themes", len(r.Themes))
	for _, lv := range themeLevels(r) {
		add("Themes at level "+lv.name, lv.n)
	}
	if r.Sensitivity != nil {
		add("Studies excluded in sensitivity analysis", len(r.Sensitivity.Excluded))
	}
	add(warningsItem, len(r.Warnings))
	if p := r.PRISMA; p != nil {
		opt := func(item, key string, n int) { // a count given, 0 included
			if p.Has(key, n) {
				add(item, n)
			}
		}
		opt("PRISMA: records identified", "identified", p.Identified)
		for _, kv := range byCount(p.Databases) {
			add("PRISMA: records from "+kv.name, kv.n)
		}
		opt("PRISMA: records from registers", "registers", p.Registers)
		opt("PRISMA: duplicates removed", "duplicates", p.Duplicates)
		opt("PRISMA: other records removed", "other_removed", p.OtherRemoved)
		add("PRISMA: records screened", p.Screened)
		add("PRISMA: records excluded at screening", p.ExcludedScreening)
		opt("PRISMA: reports not retrieved", "not_retrieved", p.NotRetrieved)
		add("PRISMA: full texts assessed", p.FullText)
		add("PRISMA: full texts excluded", p.ExcludedFullText)
		for _, kv := range byCount(p.ExclusionReasons) {
			add("PRISMA: excluded, "+kv.name, kv.n)
		}
		add("PRISMA: studies included", p.Included)
		opt("PRISMA: reports included", "reports", p.Reports)
	}
	return t
}

type nameCount struct {
	name string
	n    int
}

// themeLevels counts themes per level name, in order of depth.
func themeLevels(r *synthesis.Result) []nameCount {
	var out []nameCount
	at := map[string]int{}
	depth := map[string]int{}
	for _, t := range r.Themes {
		if _, ok := at[t.Level]; !ok {
			at[t.Level] = len(out)
			depth[t.Level] = t.Depth
			out = append(out, nameCount{name: t.Level})
		}
		out[at[t.Level]].n++
	}
	sort.SliceStable(out, func(i, j int) bool { return depth[out[i].name] < depth[out[j].name] })
	return out
}

// byCount orders a map largest count first, then by name.
func byCount(m map[string]int) []nameCount {
	out := make([]nameCount, 0, len(m))
	for k, v := range m {
		out = append(out, nameCount{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].name < out[j].name
	})
	return out
}

func studiesTable(r *synthesis.Result) Table {
	cols := r.StudyColumns
	if len(cols) == 0 {
		cols = []string{"ID"}
	}
	t := Table{Name: "studies", Title: "Study characteristics",
		Header:  append(append([]string{}, cols...), "Extracts"),
		Numeric: numeric(len(cols)+1, len(cols)),
		Note:    "Columns as in the studies table. Extracts: all of the study's extracts, coded or not.",
	}
	for _, s := range r.Studies {
		row := make([]string, len(cols)+1)
		copy(row, s.Fields)
		if len(s.Fields) == 0 {
			row[0] = s.ID
		}
		row[len(cols)] = itoa(s.Extracts)
		t.Rows = append(t.Rows, row)
	}
	if sn := r.Sensitivity; sn != nil && len(sn.Excluded) > 0 {
		t.Note += " Excluded in the sensitivity analysis: " + strings.Join(studyLabels(sn.Excluded), "; ") + "."
	}
	return t
}

// besideCASP is the studies table printed beside the CASP table: the CASP
// answers have a table of their own, and without them the studies table
// fits the width of a page; its note points to the CASP table.
func besideCASP(studies, casp Table, qs []synthesis.CASPQuestion) Table {
	t := withoutColumns(studies, qs)
	t.Note += " CASP answers: " + casp.Caption() + "."
	return t
}

// withoutColumns is the studies table without the CASP question columns.
func withoutColumns(t Table, qs []synthesis.CASPQuestion) Table {
	drop := map[int]bool{}
	for _, q := range qs {
		drop[q.Column] = true
	}
	keep := func(cells []string) []string {
		var out []string
		for j, c := range cells {
			if !drop[j] {
				out = append(out, c)
			}
		}
		return out
	}
	var numeric []bool
	for j, n := range t.Numeric {
		if !drop[j] {
			numeric = append(numeric, n)
		}
	}
	out := t
	out.Header, out.Numeric, out.Rows = keep(t.Header), numeric, nil
	for _, row := range t.Rows {
		out.Rows = append(out.Rows, keep(row))
	}
	return out
}

func caspTable(r *synthesis.Result) Table {
	h := []string{"Study"}
	for _, q := range r.CASP {
		h = append(h, q.Label)
	}
	h = append(h, "Yes")
	t := Table{Name: "casp", Title: "CASP appraisal", Header: h, Numeric: numeric(len(h), len(h)-1),
		Note: "Answers to the CASP qualitative checklist as appraised (Yes, Can't tell, No); Yes: the number of questions answered Yes."}
	for _, s := range r.Studies {
		row := append([]string{s.Label}, s.CASP...)
		t.Rows = append(t.Rows, append(row, itoa(s.CASPYes)))
	}
	return t
}

func themesTable(r *synthesis.Result) Table {
	t := Table{Name: "themes", Title: "Themes",
		Header:    []string{"Level", "Theme", "Parents", "Studies", "Share of studies (%)", "Extracts", "Participant", "Author", "Codes"},
		Numeric:   numeric(9, 3, 4, 5, 6, 7),
		IndentCol: 1,
		Indent:    []int{},
		Note: "Themes in codebook order, sub-themes indented under the theme that defines them; a theme reused under several parents lists them all. " +
			"Studies, extracts and the participant/author split count distinct extracts over the theme's codes and all its sub-themes' codes; Codes are the theme's own.",
	}
	for _, th := range r.Themes {
		t.Rows = append(t.Rows, []string{th.Level, th.Name, strings.Join(th.ParentNames, "; "),
			itoa(len(th.Studies)), percent(th.Share), itoa(th.Extracts.Len()), itoa(th.Participant), itoa(th.Author),
			strings.Join(th.Codes, "; ")})
		t.Indent = append(t.Indent, th.Depth)
	}
	return t
}

func matrixTable(r *synthesis.Result) Table {
	h := []string{"Theme"}
	for _, s := range r.Studies {
		h = append(h, s.Label)
	}
	h = append(h, "Studies")
	num, heat := make([]bool, len(h)), make([]bool, len(h))
	for i := 1; i < len(h); i++ {
		num[i] = true
		heat[i] = i < len(h)-1
	}
	t := Table{Name: "matrix", Title: "Theme × study matrix", Header: h, Numeric: num,
		Indent: []int{}, IndentCol: 0, Heat: heat,
		Note: "Cells: extracts from each study supporting the theme (over its code closure); Studies: studies with at least one."}
	for _, th := range r.Themes {
		row := []string{th.Name}
		for _, n := range th.PerStudy {
			row = append(row, itoa(n))
		}
		t.Rows = append(t.Rows, append(row, itoa(len(th.Studies))))
		t.Indent = append(t.Indent, th.Depth)
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func codesTable(r *synthesis.Result) Table {
	t := Table{Name: "codes", Title: "Codes",
		Header:  []string{"Code", "Definition", "In codebook", "Extracts", "Studies", "Themes"},
		Numeric: numeric(6, 3, 4),
		Note:    "Codebook codes in codebook order, then codes found only in the extracts. Themes: the themes naming the code as their own.",
	}
	for _, c := range r.Codes {
		t.Rows = append(t.Rows, []string{c.Name, c.Definition, yesNo(c.InCodebook), itoa(c.Extracts), itoa(len(c.Studies)), strings.Join(c.ThemeNames, "; ")})
	}
	return t
}

func quotesTable(r *synthesis.Result) Table {
	t := Table{Name: "quotes", Title: "Illustrative quotes",
		Header: []string{"Theme", "Source", "Extract", "Type", "Text"},
		Group:  true, Prose: []bool{4: true},
		Note: "Per theme: pinned quotes first, then one participant quotation per study. Source: the study as cited, with the location in it.",
	}
	for _, th := range r.Themes {
		for _, e := range th.Quotes {
			t.Rows = append(t.Rows, []string{th.Name, e.Source(), e.ID, string(e.Type), e.Text})
		}
	}
	return t
}

func evidenceTable(r *synthesis.Result) Table {
	t := Table{Name: "evidence", Title: "Evidence",
		Header: []string{"Theme", "Extract", "Study", "Type", "Location", "Codes", "Text"},
		Group:  true, Prose: []bool{6: true},
		Note: "Every extract supporting each theme; Codes: the extract's codes within the theme's code closure.",
	}
	for _, th := range r.Themes {
		for _, e := range th.Extracts.All() {
			t.Rows = append(t.Rows, []string{th.Name, e.ID, e.Study.Label, string(e.Type), e.Location, strings.Join(th.CodesOf(e), "; "), e.Text})
		}
	}
	return t
}

// concernLabel spells a CERQual concern as GRADE-CERQual tables do.
func concernLabel(c string) string {
	switch c {
	case "none":
		return "No or very minor concerns"
	case "minor":
		return "Minor concerns"
	case "moderate":
		return "Moderate concerns"
	case "serious":
		return "Serious concerns"
	case "":
		return "Not assessed"
	}
	return c
}

// confidenceLabel spells a CERQual confidence level.
func confidenceLabel(c string) string {
	switch c {
	case "high":
		return "High confidence"
	case "moderate":
		return "Moderate confidence"
	case "low":
		return "Low confidence"
	case "very-low":
		return "Very low confidence"
	case "":
		return "Not assessed"
	}
	return c
}

func component(c synthesis.CERQualComponent) string {
	s := concernLabel(c.Concern)
	if c.Explanation != "" {
		s += ": " + c.Explanation
	}
	return s
}

// isFinding reports whether a theme is a review finding: it states one or
// carries a CERQual assessment.
func isFinding(t *synthesis.ThemeStat) bool { return t.Finding != "" || t.CERQual != nil }

// finding is the review finding a theme states, or its name.
func finding(t *synthesis.ThemeStat) string { return cmp.Or(t.Finding, t.Name) }

// contributing cites the studies contributing to a theme's finding.
func contributing(t *synthesis.ThemeStat) string { return strings.Join(studyLabels(t.Studies), "; ") }

func cerqualTable(r *synthesis.Result) Table {
	t := Table{Name: "cerqual", Title: "GRADE-CERQual evidence profile",
		Header: []string{"#", "Theme", "Summarised review finding", "Methodological limitations", "Coherence", "Adequacy", "Relevance",
			"CERQual assessment of confidence", "Explanation of CERQual assessment", "Studies contributing to the review finding"},
		Numeric: numeric(10, 0),
		Note: "GRADE-CERQual assessment of each review finding (Lewin et al. 2018): the concern about each component with its explanation, and the overall confidence with its explanation. " +
			"#: the finding's number, as in the summary of qualitative findings; Theme: the theme whose finding it is. " +
			"Studies contributing: those with extracts supporting the theme, computed from the coding.",
	}
	for _, th := range r.Themes {
		if !isFinding(th) {
			continue
		}
		c := th.CERQual
		if c == nil {
			c = &synthesis.CERQual{}
		}
		t.Rows = append(t.Rows, []string{itoa(len(t.Rows) + 1), th.Name, finding(th),
			component(c.MethodologicalLimitations), component(c.Coherence), component(c.Adequacy), component(c.Relevance),
			confidenceLabel(c.Confidence), c.Explanation, contributing(th)})
	}
	return t
}

func soqfTable(r *synthesis.Result) Table {
	t := Table{Name: "soqf", Title: "Summary of qualitative findings",
		Header:  []string{"#", "Theme", "Summarised review finding", "CERQual assessment of confidence", "Explanation of CERQual assessment", "Studies contributing to the review finding"},
		Numeric: numeric(6, 0),
		Note: "Each review finding with its GRADE-CERQual confidence. #: the finding's number, as in the evidence profile; Theme: the theme whose finding it is. " +
			"Studies contributing: those with extracts supporting the theme, computed from the coding.",
	}
	for _, th := range r.Themes {
		if !isFinding(th) {
			continue
		}
		conf, expl := confidenceLabel(""), ""
		if c := th.CERQual; c != nil {
			conf, expl = confidenceLabel(c.Confidence), c.Explanation
		}
		t.Rows = append(t.Rows, []string{itoa(len(t.Rows) + 1), th.Name, finding(th), conf, expl, contributing(th)})
	}
	return t
}

func sensitivityTable(r *synthesis.Result) Table {
	sn := r.Sensitivity
	t := Table{Name: "sensitivity", Title: "Sensitivity analysis",
		Header:    []string{"Theme", "Studies (all)", "Studies (without excluded)", "Extracts (all)", "Extracts (without excluded)", "Flag"},
		Numeric:   numeric(6, 1, 2, 3, 4),
		Indent:    []int{},
		IndentCol: 0,
	}
	t.Note = "Support for each theme without the studies whose " + sn.Column + " is " + strings.Join(sn.Values, " or ") +
		" (" + strings.Join(studyLabels(sn.Excluded), "; ") + "). Flag: single-study when a theme falls to one study, unsupported when to none."
	if len(sn.Excluded) == 0 {
		t.Note = "Support for each theme without the studies whose " + sn.Column + " is " + strings.Join(sn.Values, " or ") +
			" (no study matched). Flag: single-study when a theme falls to one study, unsupported when to none."
	}
	for _, th := range r.Themes {
		row := []string{th.Name, itoa(len(th.Studies)), "", itoa(th.Extracts.Len()), "", ""}
		if s := th.Sensitive; s != nil {
			row[2], row[4], row[5] = itoa(s.Studies), itoa(s.Extracts), s.Flag
		}
		t.Rows = append(t.Rows, row)
		t.Indent = append(t.Indent, th.Depth)
	}
	return t
}

func warningsTable(r *synthesis.Result) Table {
	t := Table{Name: "warnings", Title: "Warnings", Header: []string{"Kind", "Where", "Message"}}
	for _, w := range r.Warnings {
		t.Rows = append(t.Rows, []string{string(w.Kind), w.Where, w.Message})
	}
	return t
}
