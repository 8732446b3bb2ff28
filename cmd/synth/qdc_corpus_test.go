package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/refi"
)

// qdcSchema is Codebook.xsd of REFI-QDA 1.5 from the shared corpus; tests
// that need it, or xmllint, skip without them.
func qdcSchema(t *testing.T) string {
	t.Helper()
	xsd := filepath.Join("..", "..", "..", "shared", "corpus", "refi-qda", "schema", "Codebook.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Skipf("the shared REFI-QDA schema is not here (%s); skipping", xsd)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint (libxml2-utils) is not installed; skipping the schema check")
	}
	return xsd
}

// validQDC checks data against Codebook.xsd with xmllint.
func validQDC(t *testing.T, xsd string, data []byte) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "codebook.qdc")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", xsd, f).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, data)
	}
}

// roundTrip imports a REFI code tree as synth import qdc does and exports
// it again.
func roundTrip(t *testing.T, cb *refi.Codebook) (*codebook.Codebook, []byte) {
	t.Helper()
	y, err := newCodeTree(cb, true).yaml("# test")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := codebook.Parse("codebook.yaml", y)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	tree, err := refi.FromCodebook(ours)
	if err != nil {
		t.Fatal(err)
	}
	return ours, refi.WriteQDC(tree)
}

// treeOf describes a code tree by GUID: each code's name as synth matches
// it, description, colour, whether it may be applied, its parent's GUID and
// its children's GUIDs as a set. Sibling order is not part of it: the
// export puts a theme's codes before its sub-themes and top-level themes
// before codes in no theme.
func treeOf(cb *refi.Codebook) map[string]string {
	out := map[string]string{}
	cb.Walk(func(c *refi.Code, _ int) {
		parent := ""
		if c.Parent != nil {
			parent = codebook.GUIDKey(c.Parent.GUID)
		}
		var kids []string
		for _, k := range c.Children {
			kids = append(kids, codebook.GUIDKey(k.GUID))
		}
		slicesSort(kids)
		out[codebook.GUIDKey(c.GUID)] = strings.Join([]string{refi.CleanName(c.Name), c.Description, strings.ToLower(c.Color),
			map[bool]string{true: "codable", false: "group"}[c.IsCodable], parent, strings.Join(kids, ",")}, " | ")
	})
	return out
}

// Each REFI-QDA codebook of the shared corpus (the two .qdc files, and the
// code trees of the projects, read by the project reader) imports and
// exports again to a file that is valid against Codebook.xsd and has the
// same code tree; a second export of the imported codebook is the same
// bytes, and importing the export gives the same codebook.yaml.
func TestSamplesQDCRoundTrip(t *testing.T) {
	xsd := qdcSchema(t)
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "refi-qda", "samples")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("the shared REFI-QDA samples are not here: %v", err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		var cb *refi.Codebook
		switch filepath.Ext(name) {
		case ".qdc":
			cb, err = refi.OpenQDC(filepath.Join(dir, name), refi.Options{})
		case ".qdpx", ".qde":
			var p *refi.Project
			p, err = refi.Open(filepath.Join(dir, name), refi.Options{})
			if p != nil {
				cb = &p.Codebook
			}
		default:
			continue
		}
		t.Run(name, func(t *testing.T) {
			if err != nil {
				t.Fatal(err)
			}
			if len(cb.Codes) == 0 {
				t.Skip("no codes")
			}
			n++
			ours, out := roundTrip(t, cb)
			validQDC(t, xsd, out)
			back, err := refi.ReadQDC(out, "export.qdc")
			if err != nil {
				t.Fatal(err)
			}
			want, got := treeOf(cb), treeOf(back)
			if len(want) != len(got) {
				t.Errorf("%d codes in, %d out", len(want), len(got))
			}
			for g, w := range want {
				if got[g] != w {
					t.Errorf("code %s:\n got %s\nwant %s", g, got[g], w)
				}
			}
			again, out2 := roundTrip(t, back)
			if string(out2) != string(out) {
				t.Errorf("a second round trip changed the export")
			}
			if len(again.Codes) != len(ours.Codes) || len(again.Themes) != len(ours.Themes) {
				t.Errorf("codebook: %d codes, %d themes; after a round trip %d, %d", len(ours.Codes), len(ours.Themes), len(again.Codes), len(again.Themes))
			}
		})
	}
	if n < 6 {
		t.Errorf("only %d samples with codes were checked", n)
	}
}

func slicesSort(s []string) { slices.Sort(s) }
