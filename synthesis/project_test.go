package synthesis

import (
	"strings"
	"testing"
)

func TestParseProject(t *testing.T) {
	p, err := ParseProject("dir/synth.yaml", []byte("version: 1\nextracts:\n  - file: e.xlsx\n    columns: {location: Page}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := p.Extracts[0]
	// Column defaults depend on the sheet (a preset may be recognised), so
	// they are resolved when it is read.
	if s.Separator != ";" || s.Columns.Study != "" || s.Columns.Location != "Page" {
		t.Errorf("defaults not applied: %+v", s)
	}
	if p.Codebook != "codebook.yaml" || p.Output.Dir != "out" || p.Dir != "dir" {
		t.Errorf("project defaults: %+v", p)
	}
}

// TestParseProjectNote: the note is one paragraph, its line breaks and
// runs of white space one space each.
func TestParseProjectNote(t *testing.T) {
	p, err := ParseProject("synth.yaml", []byte("version: 1\nextracts: [{file: a}]\nnote: |\n  Illustrative  data:\n  invented.\n\n  Really.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Note != "Illustrative data: invented. Really." {
		t.Errorf("note = %q", p.Note)
	}
}

func TestParseProjectErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"version: 2\nextracts: [{file: a}]\n", "synth.yaml:1:1: version must be 1"},
		{"version: 1\n", "no extracts sources"},
		{"version: 1\nextracts: [{sheet: x}]\n", "synth.yaml:2:12: an extracts source needs a file"},
		{"version: 1\nextracts: [{file: a, fill_down: [studdy]}]\n", `fill_down names "studdy"`},
		{"version: 1\nextracts: [{file: a}]\nsensitivity: {exclude: {column: Q}}\n", "sensitivity.exclude needs a column and values"},
		{"version: 1\nextracts: [{file: a, columns: {txt: T}}]\n", `synth.yaml:2:32: unknown field "txt"; did you mean "text"?`},
		{"version: 1\nextracts: [{file: a}]\nprisma: {screened: many}\n", `synth.yaml:3:20: "many" is not a whole number`},
		{"version: 1\nextracts:\n  - file: a\n    preset: maxqd\n", `synth.yaml:4:5: unknown preset "maxqd"; did you mean "maxqda"?`},
		{"version: 1\nextracts:\n  - file: a\n    code_path: '|'\n", `synth.yaml:4:5: code_path "|" is not a path separator`},
		{"version: 1\nextracts:\n  - file: a\n    columns: {text: $3}\n", `synth.yaml:4:5: columns.text: "$3" is not a column letter`},
		{"version: 1\nextracts:\n  - file: a\n    segment: [Doc, $ZZZZ]\n", `synth.yaml:4:5: segment: "$ZZZZ" is not a column letter`},
		{"version: 1\nextracts:\n  - file: a\n    code_columns: {}\n", `synth.yaml:4:5: code_columns needs at least one of first, last, prefix and suffix`},
		{"version: 1\nextracts:\n  - file: a\n    header_row: -2\n", `synth.yaml:4:5: header_row must be a row number`},
		{"version: 1\nextracts:\n  - file: a\n    header_row: two\n", `synth.yaml:4:17: "two" is not a whole number`},
		{"version: 1\nextracts:\n  - file: a\n    code_columns: {frist: $H}\n", `unknown field "frist"; did you mean "first"?`},
		{"version: 1\nextracts: [{file: a}]\nnote: [a, b]\n", `synth.yaml:3:7: expected a single value, found a list`},
		{"version: 1\nextracts: [{file: a}]\nnotes: Illustrative\n", `synth.yaml:3:1: unknown field "notes"; did you mean "note"?`},
	}
	for _, tt := range tests {
		_, err := ParseProject("synth.yaml", []byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseProject(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func FuzzParseProject(f *testing.F) {
	f.Add([]byte("version: 1\ntitle: T\ncodebook: c.yaml\nstudies: {file: s.csv, sheet: S, columns: {id: ID}}\nextracts:\n  - file: e.xlsx\n    separator: \"|\"\n    fill_down: [study, codes]\nsensitivity: {exclude: {column: Q, values: [low]}}\nprisma: {screened: 10, databases: {MEDLINE: 4}}\noutput: {dir: o, formats: [json]}\n"))
	f.Add([]byte("version: 1\nextracts: &a [{file: x}]\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProject("synth.yaml", data)
		if err != nil {
			if strings.Count(err.Error(), "\n") > 2 {
				t.Errorf("error longer than three lines: %q", err)
			}
			return
		}
		if p.Version != 1 || len(p.Extracts) == 0 {
			t.Errorf("accepted an invalid project: %+v", p)
		}
		for _, s := range p.Extracts {
			if s.File == "" || s.Separator == "" {
				t.Errorf("source without file or separator: %+v", s)
			}
		}
	})
}
