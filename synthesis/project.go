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
	"strings"

	"github.com/synth-qda/synth/internal/strictyaml"
)

// ProjectFile is the name of the project file in a project folder.
const ProjectFile = "synth.yaml"

// Project is a decoded synth.yaml.
type Project struct {
	Version     int              `yaml:"version"`
	Title       string           `yaml:"title"`
	Codebook    string           `yaml:"codebook"`
	Studies     *StudiesSource   `yaml:"studies"`
	Extracts    []ExtractsSource `yaml:"extracts"`
	Sensitivity *SensitivityRule `yaml:"sensitivity"`
	PRISMA      *PRISMACounts    `yaml:"prisma"`
	Output      Output           `yaml:"output"`

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
}

// ExtractsSource is one spreadsheet of coded extracts.
type ExtractsSource struct {
	File      string         `yaml:"file"`
	Sheet     string         `yaml:"sheet"`
	Columns   ExtractColumns `yaml:"columns"`
	Separator string         `yaml:"separator"`
	FillDown  []string       `yaml:"fill_down"`
	At        strictyaml.Pos `yaml:"-"`
}

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
}

// Output configures synth build's outputs.
type Output struct {
	Dir     string   `yaml:"dir"`
	Formats []string `yaml:"formats"`
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
// to resolve relative paths.
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
	if len(p.Extracts) == 0 {
		return nil, &strictyaml.Error{File: file, Msg: "no extracts sources; add an \"extracts:\" list naming the spreadsheet of coded extracts"}
	}
	for i := range p.Extracts {
		s := &p.Extracts[i]
		if s.File == "" {
			return nil, &strictyaml.Error{File: file, Line: s.At.Line, Col: s.At.Col, Msg: "an extracts source needs a file"}
		}
		if s.Separator == "" {
			s.Separator = ";"
		}
		c := &s.Columns
		c.Study = orDefault(c.Study, "Study")
		c.Text = orDefault(c.Text, "Extract")
		c.Codes = orDefault(c.Codes, "Codes")
		for _, f := range s.FillDown {
			if !isExtractField(f) {
				return nil, &strictyaml.Error{File: file, Line: s.At.Line, Col: s.At.Col,
					Msg: fmt.Sprintf("fill_down names %q, which is not an extract field (study, text, codes, id, type, location, coder)", f)}
			}
		}
	}
	if p.Studies != nil && p.Studies.File == "" {
		return nil, &strictyaml.Error{File: file, Line: p.Studies.At.Line, Col: p.Studies.At.Col, Msg: "studies needs a file"}
	}
	if s := p.Sensitivity; s != nil && (s.Exclude.Column == "" || len(s.Exclude.Values) == 0) {
		return nil, &strictyaml.Error{File: file, Line: s.At.Line, Col: s.At.Col, Msg: "sensitivity.exclude needs a column and values"}
	}
	if p.Output.Dir == "" {
		p.Output.Dir = "out"
	}
	for _, f := range p.Output.Formats {
		if !KnownFormat(f) {
			return nil, &strictyaml.Error{File: file, Msg: fmt.Sprintf("output.formats: unknown format %q; formats are %s", f, strings.Join(Formats, ", "))}
		}
	}
	return p, nil
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

// Formats are the output formats synth build knows, in the order written.
var Formats = []string{"json", "md", "csv", "xlsx", "dot", "mermaid", "html", "docx", "svg", "png"}

// KnownFormat reports whether f names an output format.
func KnownFormat(f string) bool {
	for _, k := range Formats {
		if k == f {
			return true
		}
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
