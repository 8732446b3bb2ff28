package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("synth.yaml", "version: 1\nextracts: [{file: e.csv}]\n")
	write("codebook.yaml", "version: 1\nthemes:\n  - name: T\n    codes: [A]\n")
	write("e.csv", "Study,Extract,Codes\nS1,x,A\nS2,y,B\n")
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"validate", dir}, 0, ""},
		{[]string{"validate", "--strict", dir}, 1, "with --strict"},
		{[]string{"build", "--bogus", dir}, 2, "unknown flag"},
		{[]string{"build", dir, "extra"}, 2, "build: 2 arguments given; usage: synth build [PROJECT]"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"validate", filepath.Join(dir, "missing")}, 1, "no such file or folder"},
		{[]string{"build", "--max-xml-size", "lots", dir}, 2, "--max-xml-size"},
		{[]string{"quotes", "nope", dir}, 2, `no theme "nope"`},
		{[]string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(tt.args, IOStreams{Out: &out, Err: &errb})
		if code != tt.code {
			t.Errorf("synth %s: exit %d, want %d; stderr %q", strings.Join(tt.args, " "), code, tt.code, errb.String())
		}
		if tt.err != "" && !strings.Contains(errb.String(), tt.err) {
			t.Errorf("synth %s: stderr %q, want %q", strings.Join(tt.args, " "), errb.String(), tt.err)
		}
		if lines := strings.Count(strings.TrimSpace(errb.String()), "\n") + 1; tt.code != 0 && !strings.Contains(strings.Join(tt.args, " "), "strict") && lines > 3 {
			t.Errorf("synth %s: %d lines on stderr", strings.Join(tt.args, " "), lines)
		}
	}
}

func TestJSONDiagnostics(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"--json", "validate", filepath.Join(t.TempDir(), "none")}, IOStreams{Out: &out, Err: &errb})
	if code != 1 || !strings.HasPrefix(errb.String(), `{"severity":"error","kind":"error"`) {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
