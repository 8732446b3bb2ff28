package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/synth-qda/synth/export"
)

// TestLaysOut: Graphviz is started ahead when a format the build will
// write lays out the theme map, from --format or, without it, from
// synth.yaml's output.formats (every format when it names none); not
// when the project file cannot be read.
func TestLaysOut(t *testing.T) {
	dir := t.TempDir()
	project := func(name, output string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		yaml := "version: 1\ncodebook: codebook.yaml\nextracts:\n  - file: extracts.csv\n" + output
		if err := os.WriteFile(filepath.Join(p, "synth.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	all := project("all", "")
	jsonOnly := project("json", "output:\n  formats: [json, csv]\n")
	withPNG := project("png", "output:\n  formats: [json, png]\n")
	chosen := func(names ...string) []export.Format {
		fs, err := export.Choose(names)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	for _, c := range []struct {
		what       string
		fromConfig bool
		formats    []export.Format
		arg        string
		want       bool
	}{
		{"--format json", false, chosen("json"), all, false},
		{"--format json,docx", false, chosen("json", "docx"), jsonOnly, true},
		{"no --format, no output.formats", true, nil, all, true},
		{"output.formats: [json, csv]", true, nil, jsonOnly, false},
		{"output.formats: [json, png]", true, nil, withPNG, true},
		{"no project file", true, nil, filepath.Join(dir, "missing"), false},
	} {
		if got := laysOut(c.fromConfig, c.formats, c.arg); got != c.want {
			t.Errorf("%s: laysOut = %v, want %v", c.what, got, c.want)
		}
	}
}
