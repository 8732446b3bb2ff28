package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/refi"
)

// FuzzImportQDC checks synth import qdc and export qdc on any .qdc the
// reader accepts: the codebook.yaml made from it always parses, its export
// reads back, and from then on a round trip changes nothing. Seeds: the
// refi package's FuzzQDC seeds and this package's story's codebooks.
func FuzzImportQDC(f *testing.F) {
	for _, dir := range []string{filepath.Join("..", "..", "refi", "testdata", "fuzz", "FuzzQDC"), filepath.Join("..", "..", "..", "shared", "corpus", "refi-qda", "samples")} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				continue
			}
			if s, ok := strings.CutPrefix(string(data), "go test fuzz v1\n[]byte("); ok {
				if u, err := unquoteGo(strings.TrimSuffix(strings.TrimSpace(s), ")")); err == nil {
					f.Add([]byte(u))
				}
			} else if strings.HasSuffix(e.Name(), ".qdc") {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(dagQDC))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := refi.ReadQDC(data, "codebook.qdc")
		if err != nil {
			return
		}
		if len(cb.Codes) == 0 {
			return
		}
		_, out := roundTrip(t, cb)
		back, err := refi.ReadQDC(out, "export.qdc")
		if err != nil {
			t.Fatalf("the export does not read back: %v\n%s", err, out)
		}
		if _, out2 := roundTrip(t, back); string(out2) != string(out) {
			t.Fatalf("a second round trip changed the export:\n%s\n%s", out, out2)
		}
	})
}

// dagQDC is the export of dagCodebook (qdc_test.go), sets and all.
var dagQDC = func() string {
	cb, err := codebook.Parse("codebook.yaml", []byte(dagCodebook))
	if err != nil {
		panic(err)
	}
	tree, err := refi.FromCodebook(cb)
	if err != nil {
		panic(err)
	}
	return string(refi.WriteQDC(tree))
}()

func unquoteGo(s string) (string, error) { return strconv.Unquote(s) }
