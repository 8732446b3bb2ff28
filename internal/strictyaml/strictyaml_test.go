package strictyaml

import (
	"strings"
	"testing"
)

type cols struct {
	Study string `yaml:"study"`
	Text  string `yaml:"text"`
}

type source struct {
	File    string   `yaml:"file"`
	Columns cols     `yaml:"columns"`
	Fill    []string `yaml:"fill_down"`
	At      Pos      `yaml:"-"`
}

type project struct {
	Version  int            `yaml:"version"`
	Title    string         `yaml:"title"`
	Extracts []source       `yaml:"extracts"`
	Counts   map[string]int `yaml:"counts"`
}

func TestDecode(t *testing.T) {
	var p project
	err := Decode("synth.yaml", []byte("version: 1\ntitle: T\nextracts:\n  - file: a.xlsx\n    columns: {study: S}\n    fill_down: study\ncounts: {a: 3}\n"), &p)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || p.Extracts[0].Columns.Study != "S" || p.Extracts[0].Fill[0] != "study" || p.Counts["a"] != 3 {
		t.Errorf("decoded %+v", p)
	}
	if p.Extracts[0].At != (Pos{4, 5}) {
		t.Errorf("pos = %+v", p.Extracts[0].At)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"version: 1\nextract: []\n", `synth.yaml:2:1: unknown field "extract"; did you mean "extracts"?`},
		{"version: 1\nextracts:\n  - file: a\n    columns: {stdy: S}\n", `synth.yaml:4:15: unknown field "stdy"; did you mean "study"?`},
		{"version: one\n", `synth.yaml:1:10: "one" is not a whole number`},
		{"version: 1\nversion: 2\n", "synth.yaml:2:1: "},
		{"extracts: {file: a}\n", `synth.yaml:1:11: expected a list, found a mapping`},
		{"", "synth.yaml: the file is empty"},
		{"title: [unclosed\n", `synth.yaml:1:8: the list opened here is not closed with ]; add ] after "unclosed"`},
		{"zzz: 1\n", `unknown field "zzz"; known fields: version, title, extracts, counts`},
	}
	for _, tt := range tests {
		var p project
		err := Decode("synth.yaml", []byte(tt.in), &p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%q) error = %v, want containing %q", tt.in, err, tt.want)
		}
	}
}

type tree struct {
	Name string `yaml:"name"`
	Kids []tree `yaml:"kids"`
}

func TestAliasBombs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"name: x\nkids: &a [{name: y, kids: *a}]\n", "alias *a refers to the value that contains it"},
		{"name: x\nkids:\n" +
			"- &a {name: a}\n" +
			"- &b {name: b, kids: [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]}\n" +
			"- &c {name: c, kids: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]}\n" +
			"- &d {name: d, kids: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]}\n" +
			"- &e {name: e, kids: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]}\n" +
			"- &f {name: f, kids: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]}\n" +
			"- &g {name: g, kids: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]}\n" +
			"- &h {name: h, kids: [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]}\n", "expands to more than"},
	}
	for _, tt := range tests {
		var v tree
		err := Decode("t.yaml", []byte(tt.in), &v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error = %v, want %q", err, tt.want)
		}
	}
	// A plain alias is fine.
	var v tree
	if err := Decode("t.yaml", []byte("name: x\nkids: [&a {name: y}, *a]\n"), &v); err != nil || len(v.Kids) != 2 || v.Kids[1].Name != "y" {
		t.Errorf("alias: %v %+v", err, v)
	}
}
