package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestLargeBuildNote: a build of at least largeBuild extracts that writes a
// format other than json says that such formats are made whole in memory;
// one that writes only json, a quiet one and a smaller one do not.
func TestLargeBuildNote(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	t.Chdir(filepath.Join("..", ".."))
	old := largeBuild
	t.Cleanup(func() { largeBuild = old })
	const note = "every format but json is made whole in memory"
	for _, c := range []struct {
		name  string
		limit int
		args  []string
		want  bool
	}{
		{"md, past the limit", 100, []string{"--format", "md"}, true},
		{"json and csv, past the limit", 100, []string{"--format", "json,csv"}, true},
		{"json only", 100, []string{"--format", "json"}, false},
		{"md, quiet", 100, []string{"--format", "md", "--quiet"}, false},
		{"md, under the limit", 100000, []string{"--format", "md"}, false},
	} {
		largeBuild = c.limit
		var out, errb bytes.Buffer
		args := append([]string{"build", exampleDir, "--out", t.TempDir()}, c.args...)
		if code := run(args, IOStreams{Out: &out, Err: &errb}); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, errb.String())
		}
		if got := strings.Contains(errb.String(), note); got != c.want {
			t.Errorf("%s: note said %v, want %v; stderr:\n%s", c.name, got, c.want, errb.String())
		}
		if c.want && !strings.Contains(errb.String(), "synth: 298 extracts: "+note) { // the worked example's 298
			t.Errorf("%s: the note does not start with the count of extracts: %s", c.name, errb.String())
		}
	}
}
