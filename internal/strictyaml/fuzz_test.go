package strictyaml

import (
	"errors"
	"strings"
	"testing"
)

// FuzzDecode checks that any input decodes or fails with one positioned
// line: never a panic, never a place outside the file.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"version: 1\ntitle: T\nextracts:\n  - file: a.xlsx\n    columns: {study: S}\n    fill_down: study\ncounts: {a: 3}\n",
		"a:\n  b: 1\n\tc: 2\n",
		"a:\n  -\tx\n",
		"a: |\n  x\n\ty\n",
		"a:\n  b: [x, y\n  c: 1\n",
		"a: {b: [x, y}\nc: 1\n",
		"a: [x,\n    y\nb: 1\n",
		"a:\n  name: Respite: guilt # c\n",
		"a: {name: Respite: guilt, id: x}\n",
		"a:\n  - b: 1\n    c: 2\n   d: 3\n",
		"a:\n   b: 1\n  c: 2\n  d: 3\n",
		"a:\n  finding: >\n    People turned\n   to it\n  id: x\n",
		"a:\n  name: 'Carers' view'\n  id: x\n",
		"a: \"x\nb: 1\nc: 2\n",
		"a: [\"x\n  b: 1\n",
		"studies:\nfile: x\n  sheet: y\n",
		"codes:\n  - Relief\n  - Respite: guilt\n",
		"codes: [Relief, Respite:  guilt ]\n",
		"\ufeffa:\r\n  b: 1\r\n c: 2\r\n",
	} {
		f.Add([]byte(s))
	}
	type target struct {
		Version  int               `yaml:"version"`
		Title    string            `yaml:"title"`
		Codes    []string          `yaml:"codes"`
		Extracts []source          `yaml:"extracts"`
		Counts   map[string]int    `yaml:"counts"`
		Other    map[string]string `yaml:"a"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v target
		err := Decode("f.yaml", data, &v)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.File != "f.yaml" {
			t.Fatalf("error %T %v is not an *Error naming the file", err, err)
		}
		if strings.Contains(e.Msg, "\n") {
			t.Fatalf("error of several lines: %q", err)
		}
		if e.Line < 0 || e.Line > strings.Count(string(data), "\n")+strings.Count(string(data), "\r")+1 || e.Line > 0 && e.Col < 1 {
			t.Fatalf("place %d:%d outside the file: %v", e.Line, e.Col, err)
		}
	})
}
