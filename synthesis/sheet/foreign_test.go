package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A project file of a qualitative-analysis program, named where a
// spreadsheet is expected, is one sentence saying what it is and how to
// bring it in, found by extension or, under any name, by content.
func TestForeignFiles(t *testing.T) {
	qde := []byte("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- export -->\n<Project name=\"p\" xmlns=\"urn:QDA-XML:project:1.0\"/>")
	cases := []struct {
		name string
		data []byte
		want []string // all in the message
	}{
		{"project.qdpx", zipOf(t, "project.qde", "Sources/a.txt"), []string{"is a REFI-QDA project", `"synth import qdpx `, "project.qdpx --out DIR\""}},
		{"project.qde", qde, []string{"is a REFI-QDA project", "synth import qdpx"}},
		{"renamed.xlsx", zipOf(t, "sources/a.txt", "project.qde"), []string{"is a REFI-QDA project", "renamed.xlsx --out DIR"}},
		{"renamed.csv", qde, []string{"is a REFI-QDA project"}},
		{"prefixed.xlsx", []byte(`<qda:Project xmlns:qda="urn:QDA-XML:project:1.0" name="p"/>`), []string{"is a REFI-QDA project"}},
		{"codes.qdc", []byte(`<CodeBook/>`), []string{"REFI-QDA codebook", "codebook.yaml"}},
		{"codes.xlsx", []byte(`<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>`), []string{"REFI-QDA codebook"}},
		{"study.nvp", []byte("anything"), []string{"is an NVivo project", "export it from NVivo", "Share › Export Project", "synth import qdpx", "Excel"}},
		{"study.nvpx", []byte("anything"), []string{"NVivo project"}},
		{"study.mx24", []byte("anything"), []string{"MAXQDA project", "synth import qdpx"}},
		{"study.mx22", nil, []string{"MAXQDA project"}},
		{"study.mx20", nil, []string{"MAXQDA project"}},
		{"study.mex22", nil, []string{"MAXQDA project"}},
		{"study.atlproj", nil, []string{"ATLAS.ti project", "synth import qdpx"}},
		{"study.hpr7", nil, []string{"ATLAS.ti project"}},
		{"study.qda", []byte("SQLite format 3\x00"), []string{"QualCoder project", "Project › Exports"}},
		{"my project.qdpx", zipOf(t, "project.qde"), []string{`"synth import qdpx '`, `my project.qdpx' --out DIR"`}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, Options{})
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *FileError", err)
			}
			if fe.File != path || strings.Contains(fe.Msg, "\n") {
				t.Errorf("got %#v", fe)
			}
			for _, w := range c.want {
				if !strings.Contains(fe.Msg, w) {
					t.Errorf("message %q does not say %q", fe.Msg, w)
				}
			}
		})
	}
}

// A QualCoder project is a folder named *.qda; naming it is told apart too.
func TestForeignFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "study.qda")
	os.Mkdir(dir, 0o755)
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "QualCoder project") {
		t.Errorf("got %v", err)
	}
}

// Workbooks, CSV files and other XML are not taken for projects.
func TestNotForeign(t *testing.T) {
	cases := map[string][]byte{
		"book.xlsx":   zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "odd.qde"),
		"table.csv":   []byte("ID,Study,Extract,Codes\n1,S1,<Project>,A\n"),
		"sheet.xlsx":  []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>`),
		"notes.xlsx":  []byte(`<!-- <Project> --><html/>`),
		"zip.xlsx":    zipOf(t, "a.txt"),
		"broken.xlsx": []byte("PK\x03\x04 cut"),
	}
	dir := t.TempDir()
	for name, data := range cases {
		path := filepath.Join(dir, name)
		os.WriteFile(path, data, 0o644)
		if err := foreignFile(path); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := foreignFile(filepath.Join(dir, "missing.xlsx")); err != nil {
		t.Errorf("missing: %v", err)
	}
}

func TestXMLRoot(t *testing.T) {
	for in, want := range map[string]string{
		`<Project/>`:                         "Project",
		"\ufeff  <?xml version='1.0'?><a:B>": "B",
		`<!DOCTYPE x><!-- c --><Root a="1">`: "Root",
		`<?xml version="1.0"`:                "",
		`text`:                               "",
		`<!-- never closed`:                  "",
	} {
		if got := xmlRoot([]byte(in)); got != want {
			t.Errorf("xmlRoot(%q) = %q, want %q", in, got, want)
		}
	}
}

// Field case 11: a .qdpx named as the extracts file. The message names the
// file and the command (checked end to end in cmd/synth).
func TestForeignFieldCase(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "field-cases", "11-refi-qdpx-as-extracts", "project.qdpx")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the shared field cases are not here (%s); skipping", path)
	}
	_, err := Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), `"synth import qdpx `+path+` --out DIR"`) {
		t.Errorf("got %v", err)
	}
}
