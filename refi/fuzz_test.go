package refi

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadQDE feeds arbitrary bytes to the project.qde reader. It must
// never panic, must fail only with an *Error, and what it reads must hold
// together. Seeds, in testdata/fuzz/FuzzReadQDE:
//   - sample-*: the project.qde of two shared samples whose licence is
//     MIT (../shared/corpus/refi-qda/samples: the ATLAS.ti 8.4 standard
//     project, which is the REFI-QDA 1.5 spec's Appendix A.2, and the NVivo
//     12.6 export), with the user names replaced and the ATLAS.ti basePath,
//     an absolute path on its author's Mac, emptied;
//   - seed-*: small hand-made files with the quirks of each of the other
//     samples (their licences are AGPL or unstated, so they are not copied);
//   - any crasher found, kept.
//
// When the shared corpus is here, the project.qde of every sample is added
// too.
func FuzzReadQDE(f *testing.F) {
	for _, data := range sampleQDEs(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadQDE(data, "project.qde")
		if err != nil {
			checkError(t, err)
			return
		}
		p.Codebook.Walk(func(c *Code, depth int) {
			if depth >= MaxCodeDepth {
				t.Fatalf("code %q at depth %d", c.Name, depth)
			}
			if p.Code(c.GUID) == nil {
				t.Fatalf("code %q cannot be found by its GUID", c.Name)
			}
			for _, k := range c.Children {
				if k.Parent != c {
					t.Fatalf("code %q has the wrong parent", k.Name)
				}
			}
		})
		for _, s := range append(append([]*Source(nil), p.Sources...), p.Notes...) {
			for _, sel := range s.Selections {
				if (sel.From == NoText) != (sel.Text == "") {
					t.Fatalf("selection %q: text %q from %v", sel.GUID, sel.Text, sel.From)
				}
				if sel.From == NoText && sel.Problem == "" {
					t.Fatalf("selection %q has no text and no reason", sel.GUID)
				}
				if sel.From == FromSource && (!sel.Positioned || sel.Start > sel.End) {
					t.Fatalf("selection %q was cut at unusable positions %d–%d", sel.GUID, sel.Start, sel.End)
				}
			}
		}
	})
}

// sampleQDEs returns the project.qde of each shared sample, bare or from
// inside its .qdpx; none when the corpus is absent.
func sampleQDEs(tb testing.TB) [][]byte {
	dir := filepath.Join("..", "..", "shared", "corpus", "refi-qda", "samples")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".qde":
			out = append(out, data)
		case ".qdpx":
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				continue
			}
			for _, f := range zr.File {
				if strings.EqualFold(f.Name, "project.qde") {
					rc, err := f.Open()
					if err != nil {
						continue
					}
					b, err := io.ReadAll(rc)
					rc.Close()
					if err == nil {
						out = append(out, b)
					}
				}
			}
		}
	}
	return out
}

// FuzzQDC feeds arbitrary bytes to the .qdc reader: it must never panic,
// must fail only with a one-line *Error, and the tree it reads must hold
// together. Seeds: testdata/fuzz/FuzzQDC (hand-made: nesting, sets with
// guid and targetGUID members, braces, prefixes, bad colours), plus the
// shared corpus's .qdc files when it is here.
func FuzzQDC(f *testing.F) {
	dir := filepath.Join("..", "..", "shared", "corpus", "refi-qda", "samples")
	for _, name := range []string{"spec-1.5-appendixA1_codebook.qdc", "taguette-1.4.1_codebook.qdc"} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadQDC(data, "codebook.qdc")
		if err != nil {
			checkError(t, err)
			return
		}
		cb.Walk(func(c *Code, depth int) {
			if depth >= MaxCodeDepth {
				t.Fatalf("code %q at depth %d", c.Name, depth)
			}
			if c.Color != "" && !rgb.MatchString(c.Color) {
				t.Fatalf("code %q has colour %q", c.Name, c.Color)
			}
			for _, k := range c.Children {
				if k.Parent != c {
					t.Fatalf("code %q has the wrong parent", k.Name)
				}
			}
		})
		// What was read writes out and reads back the same.
		back, err := ReadQDC(WriteQDC(cb), "again.qdc")
		if err != nil {
			t.Fatalf("the written codebook does not read back: %v", err)
		}
		if a, b := string(WriteQDC(back)), string(WriteQDC(cb)); a != b {
			t.Fatalf("write, read and write again changed the codebook:\n%s\n%s", b, a)
		}
	})
}

// checkError fails unless err is an *Error of one line.
func checkError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, not an *Error", err, err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error of more than one line: %q", err)
	}
}
