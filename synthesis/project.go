// Package synthesis reads a synth project (synth.yaml, its codebook, studies
// table and extract sources) and computes the thematic synthesis: each
// theme's supporting extracts and studies over its code closure, the theme ×
// study matrix, code frequencies, illustrative quotes, the sensitivity
// analysis and the warnings a reviewer should see. It returns values; it
// writes no files and touches no terminal.
package synthesis

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// ProjectFile is the name of the project file in a project folder.
const ProjectFile = "synth.yaml"

// Project is a decoded synth.yaml.
type Project struct {
	Version int    `yaml:"version"`
	Title   string `yaml:"title"`
	// Note is one paragraph of plain text printed under the title of the
	// outputs (e.g. that the data are illustrative); its white space,
	// line breaks included, is collapsed to single spaces.
	Note        string           `yaml:"note"`
	Codebook    string           `yaml:"codebook"`
	Studies     *StudiesSource   `yaml:"studies"`
	Extracts    []ExtractsSource `yaml:"extracts"`
	Sensitivity *SensitivityRule `yaml:"sensitivity"`
	PRISMA      *PRISMACounts    `yaml:"prisma"`
	Output      Output           `yaml:"output"`
	At          strictyaml.Pos   `yaml:"-"`

	// Dir is the folder of the project file; paths are relative to it.
	Dir string `yaml:"-"`
	// File is the project file's path as given (for messages).
	File string `yaml:"-"`
}

// StudiesSource says where the studies table is.
type StudiesSource struct {
	File    string         `yaml:"file"`
	Sheet   string         `yaml:"sheet"`
	Columns StudiesColumns `yaml:"columns"`
	At      strictyaml.Pos `yaml:"-"`
}

// StudiesColumns names the studies table's columns.
type StudiesColumns struct {
	ID string `yaml:"id"`
	// Label is the column that cites a study in the supplement (e.g.
	// "Okafor 2019"); default Label, else Citation, else Author (year).
	Label   string         `yaml:"label"`
	LabelAt strictyaml.Pos `yaml:"-"` // where label: stands in synth.yaml
}

// ExtractsSource is one spreadsheet of coded extracts, or of codings: the
// keys of DESIGN §1.2a read the exports of other tools, one row per coding.
type ExtractsSource struct {
	File  string `yaml:"file"`
	Sheet string `yaml:"sheet"`
	// HeaderRow is the 1-based row of the header; 0 means the first
	// non-empty row.
	HeaderRow int `yaml:"header_row"`
	// Preset names a tool whose export the sheet is (see Presets); it sets
	// the columns, segment identity, code paths and separator that the
	// source does not set itself.
	Preset  string         `yaml:"preset"`
	Columns ExtractColumns `yaml:"columns"`
	// Segment names the columns whose values, with the text, identify a
	// coded segment (e.g. document, beginning, end): rows sharing them are
	// one extract. Without it the ID column identifies an extract, else its
	// study and text.
	Segment []string `yaml:"segment"`
	// CodePath separates the parts of a code written as a path
	// (Parent\Child): one of CodePathSeparators.
	CodePath string `yaml:"code_path"`
	// CodeColumns reads one column per code (a 0/1 matrix) instead of, or
	// as well as, a codes column.
	CodeColumns *CodeColumns   `yaml:"code_columns"`
	Separator   string         `yaml:"separator"`
	FillDown    []string       `yaml:"fill_down"`
	At          strictyaml.Pos `yaml:"-"`

	// keys are the places of the source's keys in synth.yaml, for messages.
	keys map[string]strictyaml.Pos
	// separatorSet is true when synth.yaml gives a separator.
	separatorSet bool
}

// CodeColumns picks the columns of a code matrix: those from First to Last
// (column letters such as $H, or headers; default the whole header) whose
// header starts with Prefix and ends with Suffix. The header less its
// prefix and suffix is the code's name.
type CodeColumns struct {
	Prefix string `yaml:"prefix"`
	Suffix string `yaml:"suffix"`
	First  string `yaml:"first"`
	Last   string `yaml:"last"`
}

// CodePathSeparators are the separators code_path accepts.
var CodePathSeparators = []string{`\`, ">", "/", "::", "."}

// ExtractColumns names the header of each extract field.
type ExtractColumns struct {
	Study    string `yaml:"study"`
	Text     string `yaml:"text"`
	Codes    string `yaml:"codes"`
	ID       string `yaml:"id"`
	Type     string `yaml:"type"`
	Location string `yaml:"location"`
	Coder    string `yaml:"coder"`
}

// SensitivityRule says which studies a sensitivity analysis drops.
type SensitivityRule struct {
	Exclude struct {
		Column string   `yaml:"column"`
		Values []string `yaml:"values"`
	} `yaml:"exclude"`
	At strictyaml.Pos `yaml:"-"`
}

// PRISMACounts are the PRISMA 2020 flow numbers.
type PRISMACounts struct {
	Identified        int            `yaml:"identified"`
	Databases         map[string]int `yaml:"databases"`
	Registers         int            `yaml:"registers"`
	Duplicates        int            `yaml:"duplicates"`
	OtherRemoved      int            `yaml:"other_removed"`
	Screened          int            `yaml:"screened"`
	ExcludedScreening int            `yaml:"excluded_screening"`
	NotRetrieved      int            `yaml:"not_retrieved"`
	FullText          int            `yaml:"full_text"`
	ExcludedFullText  int            `yaml:"excluded_full_text"`
	ExclusionReasons  map[string]int `yaml:"exclusion_reasons"`
	Included          int            `yaml:"included"`
	Reports           int            `yaml:"reports"`
	At                strictyaml.Pos `yaml:"-"`
	// Given holds the keys of the counts synth.yaml gives, a 0 included:
	// "not_retrieved: 0" is a count, a key left out is none.
	Given map[string]bool `yaml:"-"`
}

// prismaKeys are the keys of PRISMACounts' single counts.
var prismaKeys = []string{"identified", "registers", "duplicates", "other_removed", "screened", "excluded_screening",
	"not_retrieved", "full_text", "excluded_full_text", "included", "reports"}

// Output configures synth build's outputs.
type Output struct {
	Dir     string   `yaml:"dir"`
	Formats []string `yaml:"formats"`
	// CSVBOM starts each CSV output with a UTF-8 byte-order mark, which
	// Excel on Windows needs to read UTF-8.
	CSVBOM bool `yaml:"csv_bom"`
	// MapCodes adds each theme's own codes to the theme maps (theme-map.dot,
	// .mmd, .svg, .png), as synth build --map-codes does.
	MapCodes bool           `yaml:"map_codes"`
	At       strictyaml.Pos `yaml:"-"`
}

// FindProject resolves PROJECT (a folder or a synth.yaml; "" is the current
// folder) to the project file's path.
func FindProject(arg string) (string, error) {
	if arg == "" {
		arg = "."
	}
	st, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%s: no such file or folder", arg)
		}
		return "", err
	}
	if st.IsDir() {
		p := filepath.Join(arg, ProjectFile)
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s: no %s here; run \"synth init %s\" to start a project", arg, ProjectFile, arg)
		}
		return p, nil
	}
	return arg, nil
}

// LoadProject reads and checks a project file.
func LoadProject(path string) (*Project, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, unwrapPathError(err))
	}
	return ParseProject(path, data)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ParseProject decodes a project file's bytes. file is used in messages and
// to resolve relative paths. Decoding is strict: an unknown key, or a value
// of the wrong kind (a list where title: or note: wants text), is an error
// at its place. title: and note: are plain text, optional; note: is one
// paragraph, printed under the title in supplement.docx, report.html,
// synthesis.md and synthesis.xlsx's Summary sheet.
func ParseProject(file string, data []byte) (*Project, error) {
	p := &Project{File: file, Dir: filepath.Dir(file)}
	if err := strictyaml.Decode(file, data, p); err != nil {
		return nil, err
	}
	if p.Version != 1 {
		return nil, &strictyaml.Error{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("version must be 1, found %d; add \"version: 1\" at the top", p.Version)}
	}
	if p.Codebook == "" {
		p.Codebook = "codebook.yaml"
	}
	p.Note = strings.Join(strings.Fields(p.Note), " ")
	if len(p.Extracts) == 0 {
		return nil, &strictyaml.Error{File: file, Msg: "no extracts sources; add an \"extracts:\" list naming the spreadsheet of coded extracts"}
	}
	root := projectRoot(data)
	keys := sourceKeys(root)
	if pos, ok := keyPos(root, "output", "formats"); ok {
		p.Output.At = pos
	}
	if c := p.PRISMA; c != nil {
		c.Given = map[string]bool{}
		for _, k := range prismaKeys {
			if _, ok := keyPos(root, "prisma", k); ok {
				c.Given[k] = true
			}
		}
	}
	for i := range p.Extracts {
		s := &p.Extracts[i]
		if i < len(keys) {
			s.keys = keys[i]
		}
		if s.File == "" {
			return nil, &strictyaml.Error{File: file, Line: s.At.Line, Col: s.At.Col, Msg: "an extracts source needs a file"}
		}
		if err := s.check(file); err != nil {
			return nil, err
		}
	}
	if p.Studies != nil && p.Studies.File == "" {
		return nil, &strictyaml.Error{File: file, Line: p.Studies.At.Line, Col: p.Studies.At.Col, Msg: "studies needs a file"}
	}
	if p.Studies != nil {
		p.Studies.Columns.LabelAt = p.Studies.At
		if pos, ok := keyPos(root, "studies", "columns", "label"); ok {
			p.Studies.Columns.LabelAt = pos
		}
	}
	if s := p.Sensitivity; s != nil && (s.Exclude.Column == "" || len(s.Exclude.Values) == 0) {
		return nil, &strictyaml.Error{File: file, Line: s.At.Line, Col: s.At.Col, Msg: "sensitivity.exclude needs a column and values"}
	}
	if p.Output.Dir == "" {
		p.Output.Dir = "out"
	}
	// output.formats is checked against export's registry of formats when
	// a build chooses them (cmd/synth): synthesis does not import export.
	return p, nil
}

// check checks the keys of §1.2a and sets the defaults of a source that
// does not depend on its sheet.
func (s *ExtractsSource) check(file string) error {
	fail := func(key, format string, args ...any) error {
		pos := s.Key(key)
		return &strictyaml.Error{File: file, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)}
	}
	s.separatorSet = s.Separator != ""
	if !s.separatorSet {
		s.Separator = ";"
	}
	if s.HeaderRow < 0 {
		return fail("header_row", "header_row must be a row number (1 for the first row), found %d", s.HeaderRow)
	}
	if s.Preset != "" {
		if FindPreset(s.Preset) == nil {
			var names []string
			for _, p := range Presets {
				names = append(names, p.Name)
			}
			msg := fmt.Sprintf("unknown preset %q; presets are %s", s.Preset, strings.Join(names, ", "))
			if g := fold.Suggest(s.Preset, names); g != "" {
				msg = fmt.Sprintf("unknown preset %q; did you mean %q? (presets are %s)", s.Preset, g, strings.Join(names, ", "))
			}
			return fail("preset", "%s", msg)
		}
	}
	if strings.ContainsAny(s.Separator, "\r\n") {
		return fail("separator", "separator %q holds a line break, which always separates codes; give another separator or leave it out", s.Separator)
	}
	if s.CodePath != "" && s.CodePath == s.Separator {
		return fail("code_path", "code_path and separator are both %q, so a code path could not be told from two codes; change one", s.CodePath)
	}
	if s.CodePath != "" && !slices.Contains(CodePathSeparators, s.CodePath) {
		quoted := make([]string, len(CodePathSeparators))
		for i, sep := range CodePathSeparators {
			quoted[i] = "'" + sep + "'"
		}
		return fail("code_path", "code_path %q is not a path separator synth knows; use one of %s", s.CodePath, strings.Join(quoted, ", "))
	}
	c := s.Columns
	for _, n := range []struct{ key, val string }{{"study", c.Study}, {"text", c.Text}, {"codes", c.Codes}, {"id", c.ID}, {"type", c.Type}, {"location", c.Location}, {"coder", c.Coder}} {
		if err := checkColumnName(n.val); err != "" {
			return fail("columns", "columns.%s: %s", n.key, err)
		}
	}
	for _, n := range s.Segment {
		if strings.TrimSpace(n) == "" {
			return fail("segment", "segment lists an empty column name")
		}
		if err := checkColumnName(n); err != "" {
			return fail("segment", "segment: %s", err)
		}
	}
	if cc := s.CodeColumns; cc != nil {
		if cc.Prefix == "" && cc.Suffix == "" && cc.First == "" && cc.Last == "" {
			return fail("code_columns", "code_columns needs at least one of first, last, prefix and suffix to say which columns are codes")
		}
		for _, v := range []string{cc.First, cc.Last} {
			if err := checkColumnName(v); err != "" {
				return fail("code_columns", "code_columns: %s", err)
			}
		}
	}
	for _, f := range s.FillDown {
		if !isExtractField(f) {
			return fail("fill_down", "fill_down names %q, which is not an extract field (study, text, codes, id, type, location, coder)", f)
		}
	}
	return nil
}

// checkColumnName checks a column name from synth.yaml: a header, or a
// letter reference $A…$XFD. It returns what is wrong, or "".
func checkColumnName(v string) string {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "$") {
		return ""
	}
	if _, ok := letterRef(v); !ok {
		return fmt.Sprintf("%q is not a column letter; write a letter reference as $A … $XFD, or give the header", v)
	}
	return ""
}

// sourceKeys finds where each key of each extracts source stands in
// synth.yaml (root is the decoded document, nil when it did not parse), so
// that a message points at the key at fault.
func sourceKeys(root *yaml.Node) []map[string]strictyaml.Pos {
	n := child(root, "extracts")
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []map[string]strictyaml.Pos
	for _, item := range n.Content {
		m := map[string]strictyaml.Pos{}
		if item.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(item.Content); j += 2 {
				k := item.Content[j]
				m[k.Value] = strictyaml.Pos{Line: k.Line, Col: k.Column}
			}
		}
		out = append(out, m)
	}
	return out
}

// projectRoot decodes synth.yaml once more as a node tree, for the places
// of keys; nil when it is not a mapping.
func projectRoot(data []byte) *yaml.Node {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	return doc.Content[0]
}

// child returns the value of key in mapping n, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value == key {
			return n.Content[j+1]
		}
	}
	return nil
}

// keyPos finds where a key stands in synth.yaml by its path of mapping keys.
func keyPos(root *yaml.Node, path ...string) (strictyaml.Pos, bool) {
	n := root
	for _, k := range path[:len(path)-1] {
		n = child(n, k)
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return strictyaml.Pos{}, false
	}
	last := path[len(path)-1]
	for j := 0; j+1 < len(n.Content); j += 2 {
		if k := n.Content[j]; k.Value == last {
			return strictyaml.Pos{Line: k.Line, Col: k.Column}, true
		}
	}
	return strictyaml.Pos{}, false
}

// Key returns the place of a source's key in synth.yaml, or of the source.
func (s *ExtractsSource) Key(key string) strictyaml.Pos {
	if pos, ok := s.keys[key]; ok {
		return pos
	}
	return s.At
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func isExtractField(f string) bool {
	switch f {
	case "study", "text", "codes", "id", "type", "location", "coder":
		return true
	}
	return false
}

// Path resolves a project-relative path.
func (p *Project) Path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(p.Dir, rel)
}
