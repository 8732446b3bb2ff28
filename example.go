// Package synth holds what the synth command ships inside its binary: the
// worked examples that "synth init --example" writes.
package synth

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// examples are the worked example projects, embedded file by file so that a
// local build output (testdata/*/out) is never shipped.
//
//go:embed testdata/social-prescribing/synth.yaml testdata/social-prescribing/codebook.yaml testdata/social-prescribing/extracts.xlsx testdata/social-prescribing/README.md
var examples embed.FS

// ExampleNames lists the worked examples.
func ExampleNames() []string {
	entries, _ := fs.ReadDir(examples, "testdata")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// Example returns the files of the named worked example, by name.
func Example(name string) (map[string][]byte, error) {
	dir := path.Join("testdata", name)
	entries, err := fs.ReadDir(examples, dir)
	if err != nil {
		return nil, fmt.Errorf("no example %q; examples are %s", name, strings.Join(ExampleNames(), ", "))
	}
	files := map[string][]byte{}
	for _, e := range entries {
		data, err := fs.ReadFile(examples, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files[e.Name()] = data
	}
	return files, nil
}
