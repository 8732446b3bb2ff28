package synthesis

import (
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
}

// input is everything read from a project before computing.
type input struct {
	p            *Project
	cb           *codebook.Codebook
	columns      []string
	studies      []*Study
	where        map[*Study]string
	byKey        map[string]*Study
	table        bool // studies come from a table
	extracts     []*Extract
	codesAt      []cellRef // the codes cell of each extract, aligned with extracts
	inputs       []string
	warnings     []Warning
	unknown      map[string]*unknownCode
	unknownOrder []string
	caspCols     []CASPQuestion
}

type unknownCode struct {
	name  string // as first written, cleaned
	where string
	cells int
}

// Load reads a project: synth.yaml, its codebook, studies and extracts.
func Load(projectFile string, opts Options) (*input, error) {
	p, err := LoadProject(projectFile)
	if err != nil {
		return nil, err
	}
	in := &input{p: p, byKey: map[string]*Study{}, where: map[*Study]string{}, unknown: map[string]*unknownCode{}}
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

	sources := map[string]*source{}
	open := func(rel string) (*source, error) {
		key := filepath.Clean(rel)
		if s, ok := sources[key]; ok {
			return s, nil
		}
		s, err := openSource(p, rel, opts.Sheet)
		if err != nil {
			return nil, err
		}
		sources[key] = s
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
	for i := range p.Extracts {
		if err := in.loadExtracts(&p.Extracts[i], open); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, s := range sources {
		for _, w := range s.wb.Warnings() {
			k := w.Kind + "\x00" + w.Where
			if !seen[k] {
				seen[k] = true
				in.warnings = append([]Warning{{Kind: w.Kind, Message: w.Message, Where: relabelWhere(w.Where, p, s.rel)}}, in.warnings...)
			}
		}
	}
	return in, nil
}

func relabelWhere(where string, p *Project, rel string) string {
	return strings.ReplaceAll(where, p.Path(rel), rel)
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

var defaultStudyIDs = []string{"ID", "Study ID", "Study"}

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
	var idCol int
	t, err := s.read(name, func(t *table) ([]int, error) {
		if cfg.Columns.ID != "" {
			idCol = t.column(cfg.Columns.ID)
			if idCol == 0 {
				return nil, t.missingColumn(cfg.Columns.ID, "study id")
			}
		} else {
			for _, c := range defaultStudyIDs {
				if idCol = t.column(c); idCol != 0 {
					break
				}
			}
			if idCol == 0 {
				return nil, t.missingColumn("ID", "study id (ID, Study ID or Study)")
			}
		}
		return t.headerCols, nil
	})
	if err != nil {
		return err
	}
	in.table = true
	idIdx := 0
	for i, c := range t.headerCols {
		if c == idCol {
			idIdx = i
		}
	}
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
		st := &Study{ID: id}
		for _, i := range order {
			st.Fields = append(st.Fields, strings.TrimSpace(r.vals[i]))
		}
		in.studies = append(in.studies, st)
		in.byKey[k] = st
		in.where[st] = t.where(idCol, r.num)
	}
	if len(in.studies) == 0 {
		return errorAt(t.file+":"+t.sheet, "the studies table lists no studies below its header row")
	}
	in.caspCols = caspQuestions(in.columns)
	return nil
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

// extract fields, in the order of the wanted columns.
const (
	fStudy = iota
	fText
	fCodes
	fID
	fType
	fLocation
	fCoder
	nFields
)

var fieldNames = [nFields]string{"study", "text", "codes", "id", "type", "location", "coder"}
var fieldDefaults = [nFields]string{"Study", "Extract", "Codes", "ID", "Type", "Location", "Coder"}

func (in *input) loadExtracts(src *ExtractsSource, open func(string) (*source, error)) error {
	s, err := open(src.File)
	if err != nil {
		return err
	}
	name, err := s.pickSheet(src.Sheet, firstVisible)
	if err != nil {
		return err
	}
	c := src.Columns
	names := [nFields]string{c.Study, c.Text, c.Codes, c.ID, c.Type, c.Location, c.Coder}
	var cols []int
	t, err := s.read(name, func(t *table) ([]int, error) {
		cols = make([]int, nFields)
		for f := range nFields {
			n := names[f]
			explicit := n != ""
			if !explicit {
				n = fieldDefaults[f]
			}
			cols[f] = t.column(n)
			if cols[f] == 0 && (f <= fCodes || explicit && !strings.EqualFold(n, fieldDefaults[f])) {
				return nil, t.missingColumn(n, fieldNames[f])
			}
		}
		return cols, nil
	})
	if err != nil {
		return err
	}
	fill := map[int]bool{}
	for _, f := range src.FillDown {
		for i, n := range fieldNames {
			if n == f {
				fill[i] = true
			}
		}
	}
	byID := map[string]*Extract{}
	for _, e := range in.extracts {
		if e.ID != "" {
			byID[fold.Key(e.ID)] = e
		}
	}
	prev := make([]string, nFields)
	// Duplicates are the same text, after trimming, in the same study: an
	// exact comparison, so that a million extracts cost no folding.
	type textKey struct {
		study *Study
		text  string
	}
	seenText := map[textKey]*Extract{}
	var lastStudy *Study
	var lastStudyVal string
	for _, r := range t.rows {
		v := r.vals
		for f := range nFields {
			if fill[f] && strings.TrimSpace(v[f]) == "" {
				v[f] = prev[f]
			}
		}
		copy(prev, v)
		text := strings.TrimSpace(v[fText])
		id := fold.Clean(v[fID])
		codesCell := v[fCodes]
		if text == "" && id == "" && strings.TrimSpace(codesCell) == "" {
			continue // a row with nothing but a study or a note is no extract
		}
		at := func(f int) string {
			if cols[f] == 0 {
				return t.where(cols[fText], r.num)
			}
			return t.where(cols[f], r.num)
		}
		var e *Extract
		if id != "" {
			e = byID[fold.Key(id)]
		}
		studyVal := strings.TrimSpace(v[fStudy])
		var st *Study
		switch {
		case studyVal == "" && e != nil:
			st = e.Study // a continuation row of a long layout may leave the study blank
		case studyVal == "":
			hint := ""
			if !fill[fStudy] {
				hint = ` (or add "fill_down: [study]" to the source in synth.yaml if the study is written once above its extracts)`
			}
			return errorAt(at(fStudy), "extract has no study; fill in the %s column%s", t.headers[indexOf(t.headerCols, cols[fStudy])], hint)
		case lastStudy != nil && studyVal == lastStudyVal:
			st = lastStudy
		default:
			if st, err = in.study(studyVal, at(fStudy)); err != nil {
				return err
			}
			lastStudy, lastStudyVal = st, studyVal
		}
		typ, ok := parseType(v[fType])
		if !ok {
			return errorAt(at(fType), "extract type %q is neither participant (quote, 1st order) nor author (interpretation, 2nd order)", strings.TrimSpace(v[fType]))
		}
		if e != nil {
			// Long layout: another row of the same extract adds its codes.
			if text != "" && e.Text != "" && fold.Key(text) != fold.Key(e.Text) {
				return errorAt(at(fText), "extract %s has different text from %s; rows that share an ID must quote the same text (or give this row its own ID)", id, e.Where)
			}
			if e.Study != st {
				return errorAt(at(fStudy), "extract %s belongs to study %s at %s but to study %s here", id, e.Study.ID, e.Where, st.ID)
			}
		} else {
			if text == "" {
				return errorAt(at(fText), "extract has codes but no text; fill in the text or give the row the ID of the extract it belongs to")
			}
			e = &Extract{ID: id, Study: st, Text: text, Type: typ, Location: strings.TrimSpace(v[fLocation]), Coder: strings.TrimSpace(v[fCoder]), Where: at(fText)}
			if id == "" {
				e.ID = fmt.Sprintf("%s:%s!%d", t.file, t.sheet, r.num)
			} else {
				byID[fold.Key(id)] = e
			}
			in.codesAt = append(in.codesAt, cellRef{t, cols[fCodes], r.num})
			in.extracts = append(in.extracts, e)
			st.Extracts++
			dk := textKey{st, text}
			if d, ok := seenText[dk]; ok {
				in.warnings = append(in.warnings, Warning{Kind: WarnDuplicateExtract, Where: e.Where,
					Message: fmt.Sprintf("extract %s repeats the text of extract %s (%s) in study %s", e.ID, d.ID, d.Where, st.ID)})
			} else {
				seenText[dk] = e
			}
		}
		in.addCodes(e, codesCell, src.Separator, cellRef{t, cols[fCodes], r.num})
	}
	return nil
}

// cellRef is a cell of a table, turned into text only when a message needs it.
type cellRef struct {
	t        *table
	col, row int
}

func (c cellRef) String() string { return c.t.where(c.col, c.row) }

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return 0
}

// study finds the study an extract names, adding it when there is no table.
func (in *input) study(val, where string) (*Study, error) {
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
		return nil, errorAt(where, "%s", msg)
	}
	st := &Study{ID: val, Fields: []string{val}}
	in.studies = append(in.studies, st)
	in.byKey[k] = st
	in.where[st] = where
	return st, nil
}

// addCodes splits a codes cell and adds its codes to the extract. Line
// breaks separate codes as well as the separator does.
func (in *input) addCodes(e *Extract, cell, sep string, where cellRef) {
	cell = strings.ReplaceAll(cell, "\r", "\n")
	for _, line := range strings.Split(cell, "\n") {
		for _, piece := range strings.Split(line, sep) {
			name := fold.Clean(piece)
			if name == "" {
				continue
			}
			canon, ok := in.cb.Lookup(name)
			if !ok {
				k := fold.Key(name)
				u := in.unknown[k]
				if u == nil {
					u = &unknownCode{name: name, where: where.String()}
					in.unknown[k] = u
					in.unknownOrder = append(in.unknownOrder, k)
				}
				u.cells++
				canon = u.name
			}
			dup := false
			for _, c := range e.Codes {
				dup = dup || c == canon
			}
			if !dup {
				e.Codes = append(e.Codes, canon)
			}
		}
	}
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
