package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exampleDir is the worked example, relative to the repository's root.
const exampleDir = "testdata/social-prescribing"

// TestWorkedExampleOutputsAreCurrent guards the committed outputs of the
// worked example: synth build --check, run from the repository's root as
// the README says, must find testdata/social-prescribing/out up to date.
// When it does not, the test names every file that differs; rebuild them
// with: go run ./cmd/synth build testdata/social-prescribing
func TestWorkedExampleOutputsAreCurrent(t *testing.T) {
	// The committed xlsx carries the default document time.
	t.Setenv("SOURCE_DATE_EPOCH", "")
	t.Chdir(filepath.Join("..", ".."))
	var out, errb bytes.Buffer
	code := run([]string{"build", "--check", "--quiet", exampleDir}, IOStreams{Out: &out, Err: &errb})
	if code == 0 {
		return
	}
	stale := staleFiles(t, exampleDir)
	t.Fatalf("synth build --check %s: exit %d: %s\nfiles that differ: %s\nrebuild them with: go run ./cmd/synth build %s",
		exampleDir, code, strings.TrimSpace(errb.String()), strings.Join(stale, ", "), exampleDir)
}

// TestWorkedExampleCheckSeesDrift: the guard above can fail, naming the
// file that drifted.
func TestWorkedExampleCheckSeesDrift(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	dir := t.TempDir()
	src := filepath.Join("..", "..", exampleDir)
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "out", "theme-map.dot"), []byte("digraph {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"build", "--check", "--quiet", dir}, IOStreams{Out: &out, Err: &errb}); code != 1 || !strings.Contains(errb.String(), "theme-map.dot") {
		t.Errorf("check of a drifted copy: exit %d, stderr %q; want 1 naming theme-map.dot", code, errb.String())
	}
}

// staleFiles builds the example into a temporary folder and lists the
// files of out/ that differ from it, are missing or are extra.
func staleFiles(t *testing.T, project string) []string {
	t.Helper()
	fresh := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"build", "--quiet", "--out", fresh, project}, IOStreams{Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("synth build --out %s %s: exit %d: %s", fresh, project, code, errb.String())
	}
	committed := filepath.Join(project, "out")
	var stale []string
	seen := map[string]bool{}
	err := filepath.WalkDir(fresh, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fresh, path)
		seen[rel] = true
		want, _ := os.ReadFile(path)
		got, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil || !bytes.Equal(got, want) {
			stale = append(stale, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = filepath.WalkDir(committed, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, _ := filepath.Rel(committed, path); !seen[rel] {
				stale = append(stale, filepath.ToSlash(rel)+" (not written by synth build)")
			}
		}
		return nil
	})
	return stale
}
