package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the shared corpus of real spreadsheets from other programs.
func corpusDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the shared corpus is not here (%s); skipping", dir)
	}
	return dir
}

// validateAsExtracts runs "synth validate" on a project whose extracts are
// the given file, as a new user pointing synth at their workbook would.
func validateAsExtracts(t *testing.T, file string) (int, string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := "extracts" + filepath.Ext(file)
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "synth.yaml"), []byte("version: 1\nextracts: [{file: "+name+"}]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "codebook.yaml"), []byte("version: 1\nthemes: [{name: T, codes: [A]}]\n"), 0o644)
	var out, errb bytes.Buffer
	code := run([]string{"validate", dir}, IOStreams{Out: &out, Err: &errb})
	return code, errb.String()
}

// TestCorpusMustFail: every broken workbook gets one clear sentence and exit 1.
func TestCorpusMustFail(t *testing.T) {
	dir := corpusDir(t, "xlsx-bad")
	want := map[string]string{
		"calamine__pass_protected.xlsx":            "password-protected",
		"excelize__encryptAES.xlsx":                "password-protected",
		"roo__type_excel.xlsx":                     ".xls",
		"roo__type_openoffice.xlsx":                "OpenDocument",
		"derived__empty.xlsx":                      "empty",
		"derived__truncated_rich_text_stress.xlsx": "truncated",
		"excelize__BadWorkbook.xlsx":               "no sheets",
		"xlsx__badfile_noWorkbookRels.xlsx":        "workbook.xml.rels",
		"xlsx__badfile_noWorksheets.xlsx":          "missing",
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			code, stderr := validateAsExtracts(t, filepath.Join(dir, e.Name()))
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr %q", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "synth: extracts.xlsx: ") {
				t.Errorf("want one line naming extracts.xlsx, got %q", stderr)
			}
			if w := want[e.Name()]; w == "" || !strings.Contains(stderr, w) {
				t.Errorf("stderr %q does not say %q", stderr, w)
			}
		})
	}
}

// TestCorpusOpens: every real workbook and CSV is read without a crash; the
// result is either a project that validates or one sentence about the data
// (these files are not extract sheets, so most lack a Study column).
func TestCorpusOpens(t *testing.T) {
	for _, sub := range []string{"xlsx", "csv"} {
		dir := corpusDir(t, sub)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			t.Run(sub+"/"+e.Name(), func(t *testing.T) {
				code, stderr := validateAsExtracts(t, filepath.Join(dir, e.Name()))
				if code != 0 && code != 1 {
					t.Errorf("exit %d; stderr %q", code, stderr)
				}
				if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
					t.Errorf("crash: %s", stderr)
				}
				if code == 1 {
					if n := strings.Count(strings.TrimSpace(stderr), "\n") + 1; n > 3 {
						t.Errorf("%d lines on stderr: %q", n, stderr)
					}
					if !strings.Contains(stderr, "extracts") {
						t.Errorf("error does not name the file: %q", stderr)
					}
				}
			})
		}
	}
}
