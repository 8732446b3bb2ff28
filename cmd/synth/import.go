package main

// synth import qdpx: a REFI-QDA project (REFI-QDA 1.5) becomes a synth
// project, so that a review coded in NVivo, ATLAS.ti, MAXQDA or QualCoder
// can be synthesised without retyping it.
//
// The mapping:
//   - Every REFI code becomes one codebook code; its description is the
//     code's definition, and its GUID and colour are kept as its guid and
//     color, for synth export qdc (see codeTree). Codes
//     that share a name (after synth's matching: NFC, case, white space)
//     are told apart by their parents' names, "Parent › Name", as many
//     levels up as it takes, then by " (2)", " (3)".
//   - A code with sub-codes also becomes a theme of the same name: its own
//     code (a parent code that was applied directly stays a code of its own
//     theme), its leaf sub-codes, and a sub-theme for each sub-code that has
//     sub-codes of its own. Top-level codes without sub-codes belong to no
//     theme. Levels: one level of themes is [descriptive]; two or more are
//     [analytical, descriptive], deeper themes being sub-themes.
//   - One coded text selection is one extract: ID = the selection's GUID,
//     Study = its document (or case, or a variable's value, --study),
//     Extract = the text cut from the source, Location = "chars S–E" (the
//     REFI positions), Coder = the name of the user who made the coding.
//     Selections of one text with the same start and end are one segment,
//     and so one extract: NVivo writes one selection per code applied. A
//     PDF region with the same GUID as a selection of the PDF's text is
//     that selection.
//   - A selection coded by several coders is one row per coder, the rows
//     sharing the ID: synth merges them into one extract and keeps each
//     coder's codings.
//   - What cannot be imported (PDF regions and pictures without text,
//     audio and video clips, selections whose text is missing, codings of
//     whole documents, coded memos) is counted and named in one warning.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/workbook"
	"github.com/synth-qda/synth/refi"
	"github.com/synth-qda/synth/synthesis/sheet"
	"go.yaml.in/yaml/v3"
)

func newImportCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "import",
		Short: "Start a project from another program's export",
		Long: `Import starts a synth project from what another program exported:

  synth import qdpx FILE --out DIR    a REFI-QDA project (.qdpx or .qde) from
                                      NVivo, ATLAS.ti, MAXQDA, QualCoder…
  synth import qdc FILE --out DIR     a REFI-QDA codebook (.qdc) from the same
                                      programs, Taguette, or synth export qdc`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("import: say what to import, e.g. synth import qdpx project.qdpx --out my-review")
		},
	}
	c.AddCommand(newImportQDPXCmd(g), newImportQDCCmd(g))
	return c
}

type importOptions struct {
	out   string
	study string
	force bool
}

func newImportQDPXCmd(g *globals) *cobra.Command {
	o := &importOptions{}
	c := &cobra.Command{
		Use:   "qdpx FILE --out DIR",
		Short: "Start a project from a REFI-QDA project (.qdpx or .qde)",
		Long: `Import qdpx reads a REFI-QDA project, the exchange file that NVivo, ATLAS.ti,
MAXQDA, QualCoder and others export (a .qdpx, or a bare project.qde), and
writes a synth project into DIR: synth.yaml, codebook.yaml and extracts.xlsx.

The code tree becomes the codebook: every code is a code (same-named codes
under different parents are told apart as "Parent › Name"), and a code with
sub-codes is also a theme over them. Every coded text selection becomes an
extract with the text cut from its source; a selection coded by several
coders becomes one row per coder sharing the extract's ID. What cannot be
imported (PDF regions and pictures without text, audio and video clips,
selections whose text is missing) is counted and named in a warning.

--study says what a study is: each document (the default), each case
(--study case), or each value of a document or case variable (--study
NAME; "document" and "case" are the keywords, never a variable's name).

The input is never changed; existing files in DIR are kept unless --force.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("import qdpx: give one REFI-QDA project file (.qdpx or .qde), e.g. synth import qdpx project.qdpx --out my-review")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return importQDPXRun(g, o, args[0])
		},
	}
	c.Flags().StringVarP(&o.out, "out", "o", "", "the folder to write the project into (required)")
	c.Flags().StringVar(&o.study, "study", "document", "what a study is: document, case, or the name of a variable")
	c.Flags().BoolVar(&o.force, "force", false, "overwrite files that already exist")
	return c
}

func importQDPXRun(g *globals, o *importOptions, file string) error {
	if strings.TrimSpace(o.out) == "" {
		return usagef("import qdpx: --out DIR is required: the folder to write synth.yaml, codebook.yaml and extracts.xlsx into")
	}
	if err := outIsFolder(o.out, "synth.yaml, codebook.yaml and extracts.xlsx"); err != nil {
		return err
	}
	p, err := refi.Open(file, refi.Options{})
	if err != nil {
		return err
	}
	plan, err := planImport(p, file, o.study)
	if err != nil {
		return err
	}
	files, err := plan.files()
	if err != nil {
		return err
	}
	names := []string{"codebook.yaml", "extracts.xlsx", "synth.yaml"}
	in, _ := os.Stat(file)
	for _, name := range names {
		path := filepath.Join(o.out, name)
		st, err := os.Stat(path)
		switch {
		case err == nil && in != nil && os.SameFile(in, st):
			return fmt.Errorf("%s is the REFI-QDA project being imported; choose another --out folder", path)
		case err == nil && !o.force:
			return fmt.Errorf("%s already exists; use --force to overwrite it, or choose another --out folder", path)
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	for _, name := range names {
		if err := writeFile(filepath.Join(o.out, name), files[name]); err != nil {
			return err
		}
	}
	for _, w := range plan.warnings {
		g.importWarning(file, w.kind, w.msg)
	}
	g.notef("wrote %s to %s: %s; next: synth validate %s && synth build %s",
		strings.Join(names, ", "), o.out, plan.summary(), sheet.ShellWord(o.out), sheet.ShellWord(o.out))
	return nil
}

// importWarning prints a warning about the import on stderr unless --quiet.
func (g *globals) importWarning(file, kind, msg string) {
	if g.json {
		g.diagnostic("warning", kind, msg, file)
		return
	}
	if !g.quiet {
		fmt.Fprintf(g.io.Err, "synth: %s: warning: %s [%s]\n", file, msg, kind)
	}
}

// importPlan is the synth project made from a REFI-QDA project.
type importPlan struct {
	p         *refi.Project
	file      string
	command   string // "qdpx" or "qdc": the import that made the project
	title     string
	separator string

	codeName   map[*refi.Code]string
	themeCount int

	studyHeader []string
	studies     [][]string // ID, then one value per variable column
	extracts    []*importExtract

	selections, merged, uncoded int
	warnings                    []importWarning
}

type importWarning struct{ kind, msg string }

// importExtract is one extract: a coded segment and its codings.
type importExtract struct {
	id, study, text, location string
	source                    *refi.Source
	codings                   []importCoding
	fromName                  bool // the text is the selection's name
}

type importCoding struct{ code, coder string }

// importSkipped counts, by kind, what could not be imported, with names.
type importSkipped struct {
	order []string
	n     map[string]int
	names map[string][]string
}

func (s *importSkipped) add(kind, name string) {
	if s.n == nil {
		s.n, s.names = map[string]int{}, map[string][]string{}
	}
	if s.n[kind] == 0 {
		s.order = append(s.order, kind)
	}
	s.n[kind]++
	if name = importName(name); name != "" && len(s.names[kind]) < 3 && !slices.Contains(s.names[kind], name) {
		s.names[kind] = append(s.names[kind], name)
	}
}

// skipKinds name what could not be imported, in the singular and the plural.
var skipKinds = map[string][2]string{
	"pdf":        {"PDF region", "PDF regions"},
	"picture":    {"picture", "pictures"},
	"audio":      {"audio clip", "audio clips"},
	"video":      {"video clip", "video clips"},
	"transcript": {"transcript selection without text", "transcript selections without text"},
	"notext":     {"with no source text", "with no source text"},
	"outside":    {"outside its source text", "outside their source text"},
	"positions":  {"with unreadable positions", "with unreadable positions"},
	"empty":      {"empty selection", "empty selections"},
	"document":   {"whole-document coding", "whole-document codings"},
	"memo":       {"memo selection", "memo selections"},
}

// listed quotes the names kept of kind k, with ", …" when there were more.
func (s *importSkipped) listed(k string) string {
	names := s.names[k]
	if len(names) == 0 {
		return ""
	}
	q := make([]string, len(names))
	for i, nm := range names {
		q[i] = strconv.Quote(nm)
	}
	if s.n[k] > len(names) {
		q = append(q, "…")
	}
	return strings.Join(q, ", ")
}

// warning is the one line that counts and names what was not imported.
func (s *importSkipped) warning() (string, bool) {
	total := 0
	var parts []string
	for _, k := range s.order {
		n := s.n[k]
		total += n
		word := skipKinds[k][1]
		if n == 1 {
			word = skipKinds[k][0]
		}
		part := fmt.Sprintf("%d %s", n, word)
		if l := s.listed(k); l != "" {
			part += " (" + l + ")"
		}
		parts = append(parts, part)
	}
	if total == 0 {
		return "", false
	}
	subject := "selections were"
	if total == 1 {
		subject = "selection was"
	}
	return fmt.Sprintf("%d coded %s not imported: %s", total, subject, strings.Join(parts, ", ")), true
}

// planImport maps the project onto synth's files. study is the --study
// value: document, case, or the name of a variable.
func planImport(p *refi.Project, file, study string) (*importPlan, error) {
	pl := &importPlan{p: p, file: file, command: "qdpx", title: importName(p.Name)}
	if pl.title == "" {
		pl.title = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	pl.codeName = refi.CodeNames(&p.Codebook, false)
	st, err := newStudies(p, study)
	if err != nil {
		return nil, err
	}
	pl.collect(st)
	pl.studyHeader, pl.studies = st.table()
	if w, ok := st.fallbackWarning(); ok {
		pl.warnings = append(pl.warnings, w)
	}
	if w, ok := st.severalCasesWarning(); ok {
		pl.warnings = append(pl.warnings, w)
	}
	pl.separator = chooseSeparator(pl)
	return pl, nil
}

// collect turns the selections into extracts.
func (pl *importPlan) collect(st *importStudies) {
	var skip importSkipped
	byID := map[string]*importExtract{}    // fold.Key of the ID
	bySpan := map[spanKey]*importExtract{} // one extract per segment of a text
	byGUID := map[string]*importExtract{}  // the first extract of each selection GUID
	cut := 0
	for _, src := range pl.p.Sources {
		if len(src.Codings) > 0 {
			skip.add("document", docLabel(src))
		}
		for _, sel := range src.Selections {
			if len(sel.Codings) == 0 {
				pl.uncoded++
				continue
			}
			pl.selections++
			label := sel.Name
			if strings.TrimSpace(label) == "" {
				label = docLabel(src)
			}
			var location string
			switch sel.Kind {
			case refi.TextSelection, refi.TranscriptSelection:
				if sel.From == refi.NoText {
					skip.add(problemKind(sel), label)
					continue
				}
				location = fmt.Sprintf("chars %d–%d", sel.Start, sel.End)
				if sel.Kind == refi.TranscriptSelection {
					location = "transcript " + location
				}
			case refi.PDFSelection:
				if e := byGUID[codebook.GUIDKey(sel.GUID)]; e != nil && e.source == src {
					// The region of a selection of the PDF's text: the
					// same quotation. Its own text beats a name.
					if text, _ := extractText(sel.Text); e.fromName && sel.From == refi.FromContent && text != "" {
						e.text, e.fromName = text, false
					}
					pl.merged++
					pl.addCodings(e, sel)
					continue
				}
				if sel.From == refi.NoText {
					skip.add("pdf", label)
					continue
				}
				location = "p. " + strconv.FormatInt(sel.Page+1, 10)
			case refi.PictureSelection:
				skip.add("picture", label)
				continue
			case refi.AudioSelection:
				skip.add("audio", label)
				continue
			case refi.VideoSelection:
				skip.add("video", label)
				continue
			}
			text, truncated := extractText(sel.Text)
			if text == "" {
				skip.add("empty", label)
				continue
			}
			key := spanKey{codebook.GUIDKey(src.GUID), codebook.GUIDKey(sel.TextGUID), sel.Kind, sel.Start, sel.End}
			if sel.Positioned && sel.Kind != refi.PDFSelection {
				if e := bySpan[key]; e != nil {
					pl.merged++
					pl.addCodings(e, sel)
					continue
				}
			}
			if truncated {
				cut++
			}
			e := &importExtract{id: uniqueID(byID, sel.GUID, pl.selections), study: st.of(src, sel), text: text, location: location, source: src,
				fromName: sel.From == refi.FromName}
			byID[fold.Key(e.id)] = e
			if sel.Positioned && sel.Kind != refi.PDFSelection {
				bySpan[key] = e
			}
			if g := codebook.GUIDKey(sel.GUID); byGUID[g] == nil {
				byGUID[g] = e
			}
			pl.addCodings(e, sel)
			pl.extracts = append(pl.extracts, e)
		}
	}
	for _, n := range pl.p.Notes {
		for _, sel := range n.Selections {
			if len(sel.Codings) > 0 {
				skip.add("memo", docLabel(n))
			}
		}
	}
	if msg, ok := skip.warning(); ok {
		pl.warnings = append(pl.warnings, importWarning{"not-imported", msg})
	}
	var named []string
	for _, e := range pl.extracts {
		if e.fromName {
			named = append(named, e.id)
		}
	}
	if names := named; len(names) > 0 {
		pl.warnings = append(pl.warnings, importWarning{"text-from-name",
			fmt.Sprintf("%s text from the selection's name, as the source text is not in the file (a bare .qde, or a source missing from the .qdpx); the name may be the quotation cut short: %s",
				countNoun(len(names), "extract takes its", "extracts take their"), quoteFirst(names, 3))})
	}
	if cut > 0 {
		pl.warnings = append(pl.warnings, importWarning{"text-truncated",
			fmt.Sprintf("%s longer than an Excel cell holds (32,767 characters) and %s cut, ending in \"…\"",
				countNoun(cut, "extract was", "extracts were"), pluralOf(cut, "was", "were"))})
	}
}

type spanKey struct {
	source, text string
	kind         refi.SelectionKind
	start, end   int64
}

func problemKind(sel *refi.Selection) string {
	switch {
	case sel.Kind == refi.TranscriptSelection:
		return "transcript"
	case sel.Problem == "positions outside the source text":
		return "outside"
	case sel.Problem == "unreadable positions":
		return "positions"
	case sel.Problem == "empty":
		return "empty"
	}
	return "notext"
}

// addCodings adds a selection's codings to an extract, once per code and
// coder.
func (pl *importPlan) addCodings(e *importExtract, sel *refi.Selection) {
	for _, c := range sel.Codings {
		ic := importCoding{coder: pl.coder(c.CreatingUser, sel.CreatingUser)}
		switch code := pl.p.Code(c.Code); {
		case code != nil:
			ic.code = pl.codeName[code]
		case strings.TrimSpace(c.Code) != "":
			// A code the codebook lacks: its GUID goes in the cell, and
			// synth validate reports it as an unknown code at that cell.
			ic.code = importName(c.Code)
		}
		if !slices.Contains(e.codings, ic) {
			e.codings = append(e.codings, ic)
		}
	}
}

// coder names the user who made a coding: the coding's creatingUser, else
// the selection's; their name, else their id, else the GUID as written.
func (pl *importPlan) coder(guids ...string) string {
	for _, g := range guids {
		if strings.TrimSpace(g) == "" {
			continue
		}
		if u := pl.p.User(g); u != nil {
			for _, s := range []string{u.Name, u.ID} {
				if n := importName(s); n != "" {
					return n
				}
			}
		}
		return importName(g)
	}
	return ""
}

// uniqueID is the selection's GUID, made unique (by synth's matching) with
// a suffix when two selections share one; a selection without a GUID is
// named by its place.
func uniqueID(byID map[string]*importExtract, guid string, n int) string {
	id := importName(guid)
	if id == "" {
		id = "selection-" + strconv.Itoa(n)
	}
	for i, base := 2, id; byID[fold.Key(id)] != nil; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	return id
}

// excelMaxChars is the most UTF-16 units an Excel cell holds.
const excelMaxChars = 32767

// extractText is the text of an extract as the workbook holds it: line
// breaks as LF, no control characters but tab and LF, trimmed, and cut to
// what a cell holds (truncated reports that).
func extractText(s string) (text string, truncated bool) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' {
			return r
		}
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(utf16.Encode([]rune(s))) <= excelMaxChars {
		return s, false
	}
	units := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if units+w > excelMaxChars-1 {
			return s[:i] + "…", true
		}
		units += w
	}
	return s, false
}

// importName is a name as synth matches it; see refi.CleanName.
func importName(s string) string { return refi.CleanName(s) }

// pluralOf chooses the singular or the plural form for n.
func pluralOf(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// countNoun writes n with its noun: "1 study", "2 studies".
func countNoun(n int, one, many string) string {
	return strconv.Itoa(n) + " " + pluralOf(n, one, many)
}

func quoteFirst(names []string, n int) string {
	q := make([]string, 0, n)
	for i, s := range names {
		if i == n {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(s))
	}
	return strings.Join(q, ", ")
}

// docLabel names a source in messages and as a study: its name, else the
// file name of its path without the extension, else its GUID.
func docLabel(s *refi.Source) string {
	if n := importName(s.Name); n != "" {
		return n
	}
	p := strings.ReplaceAll(s.Path, `\`, "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[i+1:]
	}
	if n := importName(strings.TrimSuffix(p, filepath.Ext(p))); n != "" {
		return n
	}
	if n := importName(s.GUID); n != "" {
		return n
	}
	return "Unnamed document"
}

// chooseSeparator picks the codes-cell separator: ";" unless a code name
// holds one, then the first of a few that none holds.
func chooseSeparator(pl *importPlan) string {
	var all []string
	for _, n := range pl.codeName {
		all = append(all, n)
	}
	for _, e := range pl.extracts {
		for _, c := range e.codings {
			all = append(all, c.code)
		}
	}
	for _, sep := range []string{";", "|", "¦", "‖", "⁏"} {
		if !slices.ContainsFunc(all, func(n string) bool { return strings.Contains(n, sep) }) {
			return sep
		}
	}
	for r := rune(0xE000); ; r++ { // the private-use area: no real name uses it
		sep := string(r)
		if !slices.ContainsFunc(all, func(n string) bool { return strings.Contains(n, sep) }) {
			return sep
		}
	}
}

func (pl *importPlan) summary() string {
	codes := 0
	pl.p.Codebook.Walk(func(*refi.Code, int) { codes++ })
	s := fmt.Sprintf("%s, %s, %s, %s from %s", countNoun(codes, "code", "codes"), countNoun(pl.themeCount, "theme", "themes"),
		countNoun(len(pl.studies), "study", "studies"), countNoun(len(pl.extracts), "extract", "extracts"),
		countNoun(pl.selections, "coded selection", "coded selections"))
	if pl.merged > 0 {
		s += fmt.Sprintf(" (%d repeated the text and place of another and %s merged into it)", pl.merged, pluralOf(pl.merged, "was", "were"))
	}
	if pl.uncoded > 0 {
		s += fmt.Sprintf("; %s left out", countNoun(pl.uncoded, "uncoded selection", "uncoded selections"))
	}
	return s
}

// files renders the three files of the project.
func (pl *importPlan) files() (map[string][]byte, error) {
	cb, err := pl.codebookYAML()
	if err != nil {
		return nil, err
	}
	if _, err := codebook.Parse("codebook.yaml", cb); err != nil {
		return nil, fmt.Errorf("the codebook made from %s does not read back (%v); please report this", pl.file, err)
	}
	wb, err := pl.workbook()
	if err != nil {
		return nil, err
	}
	proj, err := pl.projectYAML()
	if err != nil {
		return nil, err
	}
	return map[string][]byte{"synth.yaml": proj, "codebook.yaml": cb, "extracts.xlsx": wb}, nil
}

// YAML nodes.

func yStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
func yInt(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}
func yMap(kv ...*yaml.Node) *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Content: kv} }
func ySeq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Content: items}
}

func encodeYAML(head string, doc *yaml.Node) ([]byte, error) {
	doc.HeadComment = head
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, err
	}
	if err := e.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (pl *importPlan) projectYAML() ([]byte, error) {
	doc := yMap(yStr("version"), yInt(1), yStr("title"), yStr(pl.title), yStr("codebook"), yStr("codebook.yaml"))
	if len(pl.studies) > 0 {
		doc.Content = append(doc.Content, yStr("studies"), yMap(yStr("file"), yStr("extracts.xlsx"), yStr("sheet"), yStr("Studies")))
	}
	src := yMap(yStr("file"), yStr("extracts.xlsx"), yStr("sheet"), yStr("Extracts"))
	if pl.separator != ";" {
		src.Content = append(src.Content, yStr("separator"), yStr(pl.separator))
	}
	doc.Content = append(doc.Content, yStr("extracts"), ySeq(src))
	head := fmt.Sprintf("# synth project imported from %s by \"synth import %s\"; see \"synth build --help\".", filepath.Base(pl.file), pl.command)
	return encodeYAML(head, doc)
}

// codebookYAML writes the code tree as codes and themes (see codeTree).
func (pl *importPlan) codebookYAML() ([]byte, error) {
	t := newCodeTree(&pl.p.Codebook, false)
	pl.themeCount = t.themes
	if w, ok := t.warning(); ok {
		pl.warnings = append(pl.warnings, w)
	}
	head := fmt.Sprintf("# Imported from %s (REFI-QDA", filepath.Base(pl.file))
	if o := importName(pl.p.Origin); o != "" {
		head += ", exported by " + o
	}
	head += ").\n# Every code of the project is a code here; a code with sub-codes is also a theme\n" +
		"# over them. guid and color keep each code's REFI-QDA identity and colour for\n" +
		"# synth export qdc. Rename the levels and themes to suit the synthesis\n" +
		"# (Thomas & Harden 2008: analytical over descriptive)."
	return t.yaml(head)
}

// workbook writes extracts.xlsx: the Extracts sheet with the default
// headers and, when there are studies, the Studies sheet.
func (pl *importPlan) workbook() ([]byte, error) {
	joiner := pl.separator + " "
	if pl.separator != ";" {
		joiner = " " + pl.separator + " "
	}
	var rows [][]string
	for _, e := range pl.extracts {
		for _, c := range byCoder(e.codings) {
			rows = append(rows, []string{e.id, e.study, e.text, strings.Join(c.codes, joiner), "", e.location, c.coder})
		}
	}
	sheets := []workbook.Sheet{{Name: "Extracts",
		Header:       []string{"ID", "Study", "Extract", "Codes", "Type", "Location", "Coder"},
		Rows:         rows,
		Widths:       []float64{38, 20, 70, 30, 12, 16, 14},
		DefaultWidth: 16,
		Lists:        []workbook.List{{Range: fmt.Sprintf("E2:E%d", max(len(rows)+1, 2)+1000), Values: []string{"participant", "author"}}},
	}}
	if len(pl.studies) > 0 {
		sheets = append(sheets, workbook.Sheet{Name: "Studies", Header: pl.studyHeader, Rows: pl.studies, Widths: []float64{24}, DefaultWidth: 16})
	}
	return workbook.Write(workbook.Book{Title: pl.title, Sheets: sheets})
}

type coderCodes struct {
	coder string
	codes []string
}

// byCoder groups an extract's codings by coder, in the order the coders
// first appear; an extract with no coding is one row with no codes.
func byCoder(cs []importCoding) []coderCodes {
	var out []coderCodes
	at := map[string]int{}
	for _, c := range cs {
		i, ok := at[c.coder]
		if !ok {
			i = len(out)
			at[c.coder] = i
			out = append(out, coderCodes{coder: c.coder})
		}
		if c.code != "" && !slices.Contains(out[i].codes, c.code) {
			out[i].codes = append(out[i].codes, c.code)
		}
	}
	if len(out) == 0 {
		out = append(out, coderCodes{})
	}
	return out
}

// importStudies decides which study each extract belongs to (--study) and makes
// the studies table.
type importStudies struct {
	p    *refi.Project
	mode string // "document", "case" or "variable"
	vars map[string]bool

	docName  map[*refi.Source]string
	caseName map[*refi.Case]string
	bySource map[string][]*refi.Case // source GUID key → the cases that hold it
	bySel    map[string]*refi.Case   // selection GUID key → the first case that holds it

	fallback []string // documents whose extracts took the document's name
	fellBack map[*refi.Source]bool
	rowOf    map[string]*importStudyRow // fold.Key of the study id
	rows     []*importStudyRow
}

type importStudyRow struct {
	id    string
	cases []*refi.Case
	docs  []*refi.Source
}

func newStudies(p *refi.Project, study string) (*importStudies, error) {
	st := &importStudies{p: p, docName: map[*refi.Source]string{}, caseName: map[*refi.Case]string{},
		bySource: map[string][]*refi.Case{}, bySel: map[string]*refi.Case{},
		fellBack: map[*refi.Source]bool{}, rowOf: map[string]*importStudyRow{}}
	used := map[string]bool{}
	for _, s := range p.Sources {
		st.docName[s] = uniqueLabel(used, docLabel(s))
	}
	used = map[string]bool{}
	for i := range p.Cases {
		c := &p.Cases[i]
		name := importName(c.Name)
		if name == "" {
			name = importName(c.GUID)
		}
		if name == "" {
			name = "Case " + strconv.Itoa(i+1)
		}
		st.caseName[c] = uniqueLabel(used, name)
		for _, g := range c.Sources {
			k := codebook.GUIDKey(g)
			if !slices.Contains(st.bySource[k], c) {
				st.bySource[k] = append(st.bySource[k], c)
			}
		}
		for _, g := range c.Selections {
			if k := codebook.GUIDKey(g); st.bySel[k] == nil {
				st.bySel[k] = c
			}
		}
	}
	switch k := strings.ToLower(strings.TrimSpace(study)); k {
	case "", "document", "documents":
		st.mode = "document"
		for _, s := range p.Sources {
			st.row(st.docName[s]).docs = append(st.row(st.docName[s]).docs, s)
		}
	case "case", "cases":
		st.mode = "case"
		if len(p.Cases) == 0 {
			return nil, usagef("--study case: the project has no cases; use --study document, or a variable's name")
		}
		bySource := map[string]*refi.Source{}
		for _, s := range p.Sources {
			if k := codebook.GUIDKey(s.GUID); bySource[k] == nil {
				bySource[k] = s
			}
		}
		for i := range p.Cases {
			c := &p.Cases[i]
			r := st.row(st.caseName[c])
			r.cases = append(r.cases, c)
			for _, g := range c.Sources {
				if s := bySource[codebook.GUIDKey(g)]; s != nil && !slices.Contains(r.docs, s) {
					r.docs = append(r.docs, s)
				}
			}
		}
	default:
		st.mode = "variable"
		st.vars = map[string]bool{}
		var names []string
		for _, v := range p.Variables {
			if fold.Key(importName(v.Name)) == fold.Key(study) {
				st.vars[codebook.GUIDKey(v.GUID)] = true
			}
			if n := strconv.Quote(importName(v.Name)); n != `""` && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if len(st.vars) == 0 {
			msg := fmt.Sprintf("--study %q: the project has no variable of that name; use document, case", study)
			if len(names) > 0 {
				msg += " or one of " + strings.Join(names, ", ")
			}
			return nil, usagef("%s", msg)
		}
		for _, s := range p.Sources {
			if v := st.valueOf(s, nil, st.vars); v != "" {
				st.row(v).docs = append(st.row(v).docs, s)
			}
		}
	}
	return st, nil
}

func uniqueLabel(used map[string]bool, name string) string {
	n := name
	for i := 2; used[fold.Key(n)]; i++ {
		n = name + " (" + strconv.Itoa(i) + ")"
	}
	used[fold.Key(n)] = true
	return n
}

func (st *importStudies) row(id string) *importStudyRow {
	k := fold.Key(id)
	if r := st.rowOf[k]; r != nil {
		return r
	}
	r := &importStudyRow{id: id}
	st.rowOf[k] = r
	st.rows = append(st.rows, r)
	return r
}

// casesOf lists the cases a selection belongs to: the case that names the
// selection, then the cases that hold its source, in file order.
func (st *importStudies) casesOf(src *refi.Source, sel *refi.Selection) []*refi.Case {
	var out []*refi.Case
	if sel != nil {
		if c := st.bySel[codebook.GUIDKey(sel.GUID)]; c != nil {
			out = append(out, c)
		}
	}
	for _, c := range st.bySource[codebook.GUIDKey(src.GUID)] {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// valueOf is the value of one of vars for a source: its own, else that of
// its first case that has one.
func (st *importStudies) valueOf(src *refi.Source, sel *refi.Selection, vars map[string]bool) string {
	for _, v := range src.Values {
		if vars[codebook.GUIDKey(v.Variable)] && importName(v.Value) != "" {
			return importName(v.Value)
		}
	}
	for _, c := range st.casesOf(src, sel) {
		for _, v := range c.Values {
			if vars[codebook.GUIDKey(v.Variable)] && importName(v.Value) != "" {
				return importName(v.Value)
			}
		}
	}
	return ""
}

// of is the study of an extract. A selection that belongs to no case (with
// --study case) or has no value (with --study VARIABLE) takes its
// document's name, and is reported.
func (st *importStudies) of(src *refi.Source, sel *refi.Selection) string {
	id := ""
	switch st.mode {
	case "document":
		return st.docName[src]
	case "case":
		if cs := st.casesOf(src, sel); len(cs) > 0 {
			id = st.caseName[cs[0]]
		}
	default:
		id = st.valueOf(src, sel, st.vars)
	}
	if id == "" {
		id = st.docName[src]
		if !st.fellBack[src] {
			st.fellBack[src] = true
			st.fallback = append(st.fallback, id)
		}
	}
	r := st.row(id)
	if !slices.Contains(r.docs, src) && (st.mode != "case" || len(r.cases) == 0) {
		r.docs = append(r.docs, src)
	}
	return r.id
}

func (st *importStudies) fallbackWarning() (importWarning, bool) {
	if len(st.fallback) == 0 {
		return importWarning{}, false
	}
	n := len(st.fallback)
	what := pluralOf(n, "belongs to no case", "belong to no case")
	if st.mode == "variable" {
		what = pluralOf(n, "has no value", "have no value") + " of the --study variable"
	}
	return importWarning{"study-from-document", fmt.Sprintf("%d %s with extracts %s; %s extracts have the document's name as their study: %s",
		n, pluralOf(n, "document", "documents"), what, pluralOf(n, "its", "their"), quoteFirst(st.fallback, 3))}, true
}

func (st *importStudies) severalCasesWarning() (importWarning, bool) {
	if st.mode != "case" {
		return importWarning{}, false
	}
	var names []string
	for _, s := range st.p.Sources {
		if len(st.bySource[codebook.GUIDKey(s.GUID)]) > 1 {
			names = append(names, st.docName[s])
		}
	}
	if len(names) == 0 {
		return importWarning{}, false
	}
	n := len(names)
	return importWarning{"several-cases", fmt.Sprintf("%d %s to more than one case; %s extracts go to the first: %s",
		n, pluralOf(n, "document belongs", "documents belong"), pluralOf(n, "its", "their"), quoteFirst(names, 3))}, true
}

// table is the studies table: ID, then one column per variable that has a
// value for some study (not the --study variable itself). A study's value
// is its case's, else those of its documents (their own, else their
// cases'), distinct values joined with "; ".
func (st *importStudies) table() ([]string, [][]string) {
	if len(st.rows) == 0 {
		return nil, nil
	}
	type column struct {
		header string
		vars   map[string]bool
	}
	var cols []column
	used := map[string]bool{"id": true}
	for i, v := range st.p.Variables {
		k := codebook.GUIDKey(v.GUID)
		if st.vars[k] {
			continue
		}
		name := importName(v.Name)
		if name == "" {
			name = "Variable " + strconv.Itoa(i+1)
		}
		cols = append(cols, column{name, map[string]bool{k: true}})
	}
	cells := make([][]string, len(st.rows))
	keep := make([]bool, len(cols))
	for i, r := range st.rows {
		cells[i] = make([]string, len(cols))
		for j, c := range cols {
			var vals []string
			for _, cs := range r.cases {
				for _, v := range cs.Values {
					if c.vars[codebook.GUIDKey(v.Variable)] {
						if s := importName(v.Value); s != "" && !slices.Contains(vals, s) {
							vals = append(vals, s)
						}
					}
				}
			}
			if len(vals) == 0 {
				for _, d := range r.docs {
					if s := st.valueOf(d, nil, c.vars); s != "" && !slices.Contains(vals, s) {
						vals = append(vals, s)
					}
				}
			}
			cells[i][j] = strings.Join(vals, "; ")
			keep[j] = keep[j] || len(vals) > 0
		}
	}
	header := []string{"ID"}
	for j, c := range cols {
		if keep[j] {
			header = append(header, uniqueLabel(used, c.header))
		}
	}
	var rows [][]string
	for i, r := range st.rows {
		row := []string{r.id}
		for j := range cols {
			if keep[j] {
				row = append(row, cells[i][j])
			}
		}
		rows = append(rows, row)
	}
	return header, rows
}

// outIsFolder refuses an --out that names a file: an import writes files
// into the folder --out names (what, for the message).
func outIsFolder(out, what string) error {
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return fmt.Errorf("%s: --out names a file; give the folder to write %s into", out, what)
	}
	return nil
}
