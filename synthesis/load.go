package synthesis

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// Options change how a project is read.
type Options struct {
	// Sheet bounds what a workbook read may cost.
	Sheet sheet.Options
	// TextsInMemory is how many bytes of extracts' texts a build holds in
	// memory before it writes the rest to a temporary file (textLog); zero
	// means 64 MiB, a negative number none. A text that is a shared string
	// its workbook's table holds in memory is not counted: it is kept as
	// its place there (Sheet.StringsInMemory).
	TextsInMemory int64
}

// input is everything read from a project before computing.
type input struct {
	p            *Project
	cb           *codebook.Codebook
	columns      []string
	studies      []*Study
	where        map[*Study]string
	byKey        map[string]*Study
	table        bool   // studies come from a table
	store        *store // the extracts
	inputs       []string
	warnings     []Warning
	unknown      map[string]*unknownCode
	unknownOrder []string
	caspCols     []CASPQuestion
	notes        []Note
	errs         []error
	moreErrs     int
	// segments maps a segment's identity (see reader.identity) to its
	// extract, across sources, so that two coders' exports of one segment
	// merge.
	segments segSet
}

// fail records a data error and goes on reading, so that one run reports
// every error (up to MaxErrors).
func (in *input) fail(err error) {
	if len(in.errs) < MaxErrors {
		in.errs = append(in.errs, err)
	} else {
		in.moreErrs++
	}
}

// failed returns the run's errors with its warnings, or nil.
func (in *input) failed(warnings []Warning) error {
	if len(in.errs) == 0 {
		return nil
	}
	if warnings == nil {
		warnings = []Warning{}
	}
	return &Errors{Errs: in.errs, More: in.moreErrs, Warnings: warnings}
}

type unknownCode struct {
	name       string // as first written, cleaned
	where      string
	cells      int
	suggestFor string // the name to suggest a code for: a path's last part
	hint       string // what to set in synth.yaml, when known
}

// Load reads a project: synth.yaml, its codebook, studies and extracts.
// A problem with synth.yaml, the codebook or the studies table stops the
// read; data errors in the extracts are collected (see Errors) and the read
// goes on.
func Load(projectFile string, opts Options) (*input, error) {
	p, err := LoadProject(projectFile)
	if err != nil {
		return nil, err
	}
	in := &input{p: p, byKey: map[string]*Study{}, where: map[*Study]string{}, unknown: map[string]*unknownCode{}, store: newStore(opts.TextsInMemory)}
	in.inputs = append(in.inputs, filepath.Base(projectFile))

	cbData, err := os.ReadFile(p.Path(p.Codebook))
	if err != nil {
		return nil, fmt.Errorf("%s: %v (named by %s)", p.Codebook, unwrapPathError(err), filepath.Base(projectFile))
	}
	in.cb, err = codebook.Parse(filepath.ToSlash(p.Codebook), cbData)
	if err != nil {
		return nil, err
	}
	in.addInput(p.Codebook)

	// Sources in the order first opened, so that warnings and inputs come
	// out in the same order every run.
	var sources []*source
	byPath := map[string]*source{}
	open := func(rel string) (*source, error) {
		key := filepath.Clean(rel)
		if s, ok := byPath[key]; ok {
			return s, nil
		}
		s, err := openSource(p, rel, opts.Sheet)
		if err != nil {
			return nil, err
		}
		byPath[key] = s
		sources = append(sources, s)
		in.addInput(rel)
		return s, nil
	}
	defer func() {
		for _, s := range sources {
			s.wb.Close()
		}
	}()

	if err := in.loadStudies(open); err != nil {
		return nil, err
	}
	var tableWarnings []Warning
	for i := range p.Extracts {
		ws, err := in.loadExtracts(&p.Extracts[i], open)
		tableWarnings = append(tableWarnings, ws...)
		if err != nil {
			in.fail(err)
		}
	}
	in.segments = segSet{} // only reading needs it
	// Reading problems first: what the readers noticed, then the tables'.
	var read []Warning
	seen := map[string]bool{}
	for _, s := range sources {
		for _, w := range s.wb.Warnings() {
			k := w.Kind + "\x00" + w.Where
			if !seen[k] {
				seen[k] = true
				read = append(read, readerWarning(w, p, s.rel))
			}
		}
	}
	in.warnings = append(append(read, tableWarnings...), in.warnings...)
	return in, nil
}

// relabelWhere names a file in a reader's message as the project does
// (relative to synth.yaml), never by the path it was opened with, so that
// outputs do not depend on the working folder.
func relabelWhere(where string, p *Project, rel string) string {
	return strings.ReplaceAll(where, p.Path(rel), filepath.ToSlash(filepath.Clean(rel)))
}

var defaultStudyIDs = []string{"ID", "Study ID", "Study"}

// defaultStudyLabels are the headers of the column that cites a study in
// the supplement (DESIGN §1.3), tried in order.
var defaultStudyLabels = []string{"Label", "Citation", "Author (year)"}

// loadStudies reads the studies table: the configured one, else a sheet
// named Studies in the first extracts workbook, else none (studies are then
// the distinct Study values of the extracts).
func (in *input) loadStudies(open func(string) (*source, error)) error {
	p := in.p
	cfg := p.Studies
	if cfg == nil {
		s, err := open(p.Extracts[0].File)
		if err != nil {
			return err
		}
		for _, info := range s.wb.Sheets() {
			if fold.Key(info.Name) == "studies" && !info.Chart {
				cfg = &StudiesSource{File: p.Extracts[0].File, Sheet: info.Name}
				break
			}
		}
		if cfg == nil {
			in.columns = []string{"ID"}
			return nil
		}
	}
	s, err := open(cfg.File)
	if err != nil {
		return err
	}
	name, err := s.pickSheet(cfg.Sheet, func(infos []sheet.Info) (string, bool) {
		for _, info := range infos {
			if fold.Key(info.Name) == "studies" && !info.Chart {
				return info.Name, true
			}
		}
		return firstVisible(infos)
	})
	if err != nil {
		return err
	}
	var idCol, labelCol int
	t, err := s.read(name, 0, func(t *table) ([]int, error) {
		var err error
		if cfg.Columns.ID != "" {
			if idCol, err = t.column(cfg.Columns.ID); err != nil {
				return nil, err
			}
			if idCol == 0 {
				return nil, t.missingColumn(cfg.Columns.ID, "study id")
			}
		} else {
			for _, c := range defaultStudyIDs {
				if idCol, err = t.column(c); err != nil || idCol != 0 {
					break
				}
			}
			if err != nil {
				return nil, err
			}
			if idCol == 0 {
				return nil, t.missingColumn("ID", "study id (ID, Study ID or Study)")
			}
		}
		if labelCol, err = in.labelColumn(t, cfg); err != nil {
			return nil, err
		}
		return t.headerCols, nil
	})
	if err != nil {
		return err
	}
	in.table = true
	idIdx, labelIdx := 0, -1
	for i, c := range t.headerCols {
		if c == idCol {
			idIdx = i
		}
		if labelCol != 0 && c == labelCol {
			labelIdx = i
		}
	}
	labels := map[string]*Study{} // folded label → the study it cites
	order := make([]int, len(t.headers))
	for i := range order {
		order[i] = i
	}
	for _, i := range order {
		in.columns = append(in.columns, t.headers[i])
	}
	for _, r := range t.rows {
		id := strings.TrimSpace(r.vals[idIdx]) // as written: the canonical spelling
		if id == "" {
			return errorAt(t.where(idCol, r.num), "this row of the studies table has no study id; fill it in or delete the row")
		}
		k := fold.Key(id)
		if prev, ok := in.byKey[k]; ok {
			return errorAt(t.where(idCol, r.num), "study %q is listed twice; the first is at %s", id, in.where[prev])
		}
		st := &Study{ID: id, Label: id}
		for _, i := range order {
			st.Fields = append(st.Fields, strings.TrimSpace(r.vals[i]))
		}
		if labelIdx >= 0 {
			st.Label = cmp.Or(strings.TrimSpace(r.vals[labelIdx]), id)
		}
		st.idx = int32(len(in.studies))
		in.studies = append(in.studies, st)
		in.byKey[k] = st
		in.where[st] = t.where(idCol, r.num)
		// Two studies cited alike could not be told apart in the supplement.
		lk := fold.Key(st.Label)
		if prev, ok := labels[lk]; ok {
			return errorAt(t.where(cmp.Or(labelCol, idCol), r.num), "study %s is cited as %q, as study %s is (%s); make the labels distinct (e.g. Okafor 2019a, Okafor 2019b)",
				id, st.Label, prev.ID, in.where[prev])
		}
		labels[lk] = st
	}
	if len(in.studies) == 0 {
		return errorAt(t.file+":"+t.sheet, "the studies table lists no studies below its header row; list each study there, one row per study, or remove studies: from synth.yaml to take the studies from the extracts' study column")
	}
	in.caspCols = caspQuestions(in.columns)
	return nil
}

// labelColumn finds the studies table's label column: the one synth.yaml
// names (an error when the header has none), else the first default header
// present, else none (0): studies are then cited by their IDs.
func (in *input) labelColumn(t *table, cfg *StudiesSource) (int, error) {
	if name := cfg.Columns.Label; strings.TrimSpace(name) != "" {
		c, err := t.column(name)
		if err != nil || c != 0 {
			return c, err
		}
		if _, ok := letterRef(name); ok {
			return 0, t.missingColumn(name, "study label")
		}
		msg := fmt.Sprintf("studies.columns.label names %q, which is not a header of %s:%s", name, t.file, t.sheet)
		if s := fold.Suggest(name, t.headers); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; its headers are " + quoteAll(t.headers)
		}
		pos := cfg.Columns.LabelAt
		return 0, errorAt(fmt.Sprintf("%s:%d:%d", filepath.Base(in.p.File), pos.Line, pos.Col), "%s", msg)
	}
	for _, h := range defaultStudyLabels {
		if c, err := t.column(h); err != nil || c != 0 {
			return c, err
		}
	}
	return 0, nil
}

var caspNumbered = regexp.MustCompile(`^casp\s*(?:q(?:uestion)?\s*)?(\d{1,2})\b`)

// caspWording are words that identify each CASP qualitative checklist
// question when a table uses the wording instead of "CASP n".
var caspWording = [][]string{
	{"clear statement", "aims"},
	{"qualitative methodology appropriate"},
	{"research design appropriate"},
	{"recruitment strategy"},
	{"data collected"},
	{"relationship between researcher and participants"},
	{"ethical issues"},
	{"data analysis sufficiently rigorous"},
	{"clear statement of findings"},
	{"how valuable is the research"},
}

func caspQuestions(columns []string) []CASPQuestion {
	var qs []CASPQuestion
	for i, c := range columns {
		k := fold.Key(c)
		n := 0
		if m := caspNumbered.FindStringSubmatch(k); m != nil {
			n, _ = strconv.Atoi(m[1])
		} else {
			for j, words := range caspWording {
				all := true
				for _, w := range words {
					all = all && strings.Contains(k, w)
				}
				if all {
					n = j + 1
					break
				}
			}
		}
		if n >= 1 && n <= 10 {
			qs = append(qs, CASPQuestion{Number: n, Label: c, Column: i})
		}
	}
	return qs
}

// CASP answers, normalised.
const (
	CASPYes      = "Yes"
	CASPCantTell = "Can't tell"
	CASPNo       = "No"
)

// caspAnswer normalises a CASP answer to Yes, Can't tell or No; anything
// else is kept as written (trimmed).
func caspAnswer(s string) string {
	k := strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("’", "'", "‘", "'").Replace(s)), " "))
	switch k {
	case "yes", "y":
		return CASPYes
	case "no", "n":
		return CASPNo
	case "can't tell", "cant tell", "can not tell", "cannot tell", "can't", "ct", "unclear", "?":
		return CASPCantTell
	}
	return strings.TrimSpace(s)
}

// cellRef is a cell of a table, turned into text only when a message needs it.
type cellRef struct {
	t *table
	// col and row are 1-based; int32 holds any sheet's (Excel's limits are
	// 16,384 and 1,048,576) and keeps a million codings' places small.
	col, row int32
}

func newCellRef(t *table, col, row int) cellRef { return cellRef{t, int32(col), int32(row)} }

func (c cellRef) String() string {
	if c.t == nil {
		return "" // an Extract or Coding made by hand, not read
	}
	return c.t.where(int(c.col), int(c.row))
}

// appendTo appends String() to b.
func (c cellRef) appendTo(b []byte) []byte {
	if c.t == nil {
		return b
	}
	b = append(append(append(append(b, c.t.file...), ':'), c.t.sheet...), '!')
	return sheet.AppendRef(b, int(c.col), int(c.row))
}

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return 0
}

// study finds the study an extract names, adding it when there is no table;
// where gives the cell naming it, made only for an error or a new study.
func (in *input) study(val string, where func() string) (*Study, error) {
	k := fold.Key(val)
	if st, ok := in.byKey[k]; ok {
		return st, nil
	}
	if in.table {
		ids := make([]string, len(in.studies))
		for i, s := range in.studies {
			ids[i] = s.ID
		}
		msg := fmt.Sprintf("study %q is not in the studies table", val)
		if s := fold.Suggest(val, ids); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; add it to the studies table"
		}
		return nil, errorAt(where(), "%s", msg)
	}
	val = strings.Clone(val) // kept: a cell's value keeps its reader's block
	st := &Study{ID: val, Label: val, Fields: []string{val}, idx: int32(len(in.studies))}
	in.studies = append(in.studies, st)
	in.byKey[strings.Clone(k)] = st
	in.where[st] = where()
	return st, nil
}

var typeSpelling = strings.NewReplacer("-", " ", "_", " ", ".", "")

// parseType reads the type column, accepting the spellings reviewers use.
func parseType(s string) (ExtractType, bool) {
	switch s { // the common spellings, without folding
	case "participant", "":
		return Participant, true
	case "author":
		return Author, true
	}
	k := typeSpelling.Replace(fold.Key(s))
	switch k {
	case "", "participant", "participants", "p", "quote", "quotation", "participant quote", "participant quotation",
		"1st order", "first order", "1", "1st", "first", "primary", "verbatim", "data", "respondent":
		return Participant, true
	case "author", "authors", "a", "interpretation", "author interpretation", "authors interpretation",
		"2nd order", "second order", "2", "2nd", "second", "secondary", "researcher", "researcher interpretation",
		"author's interpretation", "summary", "author summary":
		return Author, true
	}
	return "", false
}

func (in *input) addInput(rel string) {
	rel = filepath.ToSlash(filepath.Clean(rel))
	for _, x := range in.inputs {
		if x == rel {
			return
		}
	}
	in.inputs = append(in.inputs, rel)
}
