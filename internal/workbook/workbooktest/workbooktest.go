// Package workbooktest compares xlsx packages part by part, for tests that
// must show a workbook was copied byte for byte but for the parts meant to
// change.
package workbooktest

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"testing"
)

// ChangedParts returns the names of the parts (zip entries) whose stored,
// compressed bytes differ between the xlsx files a and b, in a's order. It
// fails the test when the two do not hold the same parts in the same order.
func ChangedParts(t testing.TB, a, b []byte) []string {
	t.Helper()
	na, ra := parts(t, a)
	nb, rb := parts(t, b)
	if !slices.Equal(na, nb) {
		t.Fatalf("parts %v became %v", na, nb)
	}
	var changed []string
	for _, n := range na {
		if !bytes.Equal(ra[n], rb[n]) {
			changed = append(changed, n)
		}
	}
	return changed
}

func parts(t testing.TB, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	raw := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		raw[f.Name] = b
	}
	return names, raw
}
