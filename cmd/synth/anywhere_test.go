package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fieldCase copies a folder of ../shared/field-cases into dir, skipping
// when the field cases are not here.
func fieldCase(t *testing.T, name, dir string) {
	t.Helper()
	src := filepath.Join("..", "..", "..", "shared", "field-cases", name)
	if _, err := os.Stat(src); err != nil {
		t.Skipf("the shared field cases are not here (%s); skipping", src)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSameBytesFromAnywhere builds one project of several sources, each
// with reader warnings (a Windows-1252 CSV, a CSV with NUL bytes and a
// ragged record, a workbook), from several working folders and by several
// names, and compares the outputs byte for byte; --check from yet another
// folder finds them fresh.
func TestSameBytesFromAnywhere(t *testing.T) {
	root := t.TempDir()
	proj := filepath.Join(root, "reviews", "respite")
	fieldCase(t, "newcomer-csv", proj)
	second := "ID;Study;Extract;Codes\nF1;S2;A second coder\x00's view;Relief\nF2;S3;Short;Relief;extra\nF3;S4;Nobody asked;lonliness\n"
	if err := os.WriteFile(filepath.Join(proj, "second.csv"), []byte(second), 0o644); err != nil {
		t.Fatal(err)
	}
	yaml, _ := os.ReadFile(filepath.Join(proj, "synth.yaml"))
	y := strings.Replace(string(yaml), "  - file: extracts.csv\n", "  - file: extracts.csv\n  - file: ./data/../second.csv\n", 1)
	if y == string(yaml) {
		t.Fatal("could not add a source to synth.yaml")
	}
	os.WriteFile(filepath.Join(proj, "synth.yaml"), []byte(y), 0o644)
	os.MkdirAll(filepath.Join(proj, "data"), 0o755)

	builds := []struct{ cwd, arg string }{
		{proj, "."},
		{proj, ""},
		{filepath.Join(root, "reviews"), "respite"},
		{root, filepath.Join("reviews", "respite", "synth.yaml")},
		{filepath.Join(proj, "data"), ".."},
		{t.TempDir(), proj},
	}
	var first map[string][]byte
	var firstStderr string
	for i, b := range builds {
		out := filepath.Join(root, "out", string(rune('a'+i)))
		t.Chdir(b.cwd)
		args := []string{"build", "--out", out}
		if b.arg != "" {
			args = append(args, b.arg)
		}
		var so, se bytes.Buffer
		if code := run(args, IOStreams{Out: &so, Err: &se}); code != 0 {
			t.Fatalf("build from %s %v: exit %d: %s", b.cwd, args, code, se.String())
		}
		got := readTree(t, out)
		// Warnings are printed in the same order too, naming files as the
		// project does.
		stderr := se.String()
		stderr = stderr[:strings.LastIndex(strings.TrimRight(stderr, "\n"), "\n")+1] // the last line names the output folder
		if first == nil {
			first, firstStderr = got, stderr
			for _, kind := range []string{"encoding-fallback", "nul-bytes", "ragged-row", "unknown-code"} {
				if !strings.Contains(stderr, kind) {
					t.Errorf("no %s warning in %s", kind, stderr)
				}
			}
			continue
		}
		if stderr != firstStderr {
			t.Errorf("from %s: warnings differ:\n%s\nfirst:\n%s", b.cwd, stderr, firstStderr)
		}
		if len(got) != len(first) {
			t.Errorf("from %s: %d files, first build %d", b.cwd, len(got), len(first))
		}
		for name, data := range first {
			if !bytes.Equal(got[name], data) {
				t.Errorf("from %s %v: %s differs from the first build", b.cwd, args, name)
			}
		}
	}
	// --check of out/a from the project's parent folder: fresh.
	t.Chdir(root)
	var se bytes.Buffer
	if code := run([]string{"build", "--check", "--out", filepath.Join(root, "out", "a"), filepath.Join("reviews", "respite")}, IOStreams{Out: &bytes.Buffer{}, Err: &se}); code != 0 {
		t.Errorf("--check from another folder: exit %d: %s", code, se.String())
	}
}

// TestFieldCaseUnknownFormat: newcomer-fm asks for formats: [word] in
// synth.yaml (line 16, col 3: its "formats" key). That is a usage error,
// exit 2, naming the key and the formats there are, and nothing is written.
func TestFieldCaseUnknownFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fm")
	fieldCase(t, "newcomer-fm", dir)
	var so, se bytes.Buffer
	code := run([]string{"build", dir}, IOStreams{Out: &so, Err: &se})
	if code != 2 {
		t.Errorf("exit %d, want 2; stderr %s", code, se.String())
	}
	if want := `synth.yaml:16:3: output.formats: unknown format "word"; formats are json`; !strings.Contains(se.String(), want) {
		t.Errorf("stderr %q, want %q", se.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("out/ was written")
	}
	// Asking for it on the command line is the same.
	se.Reset()
	if code := run([]string{"build", "--format", "word", dir}, IOStreams{Out: &so, Err: &se}); code != 2 || !strings.Contains(se.String(), `--format: unknown format "word"`) {
		t.Errorf("--format word: exit %d, stderr %q", code, se.String())
	}
}
