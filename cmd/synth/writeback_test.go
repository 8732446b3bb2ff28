package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteback writes more than two writebackEvery through writeback: the
// file holds every byte in order, and writeback was started up to the last
// whole step.
func TestWriteback(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	w := &writeback{f: f}
	var want bytes.Buffer
	piece := make([]byte, 1<<20+7) // steps do not fall on piece edges
	for i := 0; want.Len() < 2*writebackEvery+3<<20; i++ {
		for j := range piece {
			piece[j] = byte(i + j)
		}
		if n, err := w.Write(piece); n != len(piece) || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
		want.Write(piece)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("the file holds %d bytes, not the %d written", len(got), want.Len())
	}
	if w.n != int64(want.Len()) || w.started < 2*writebackEvery || w.n-w.started >= writebackEvery {
		t.Fatalf("wrote %d, writeback started to %d", w.n, w.started)
	}
}
