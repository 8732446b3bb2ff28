package scratch

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// What is appended reads back from where Append said, and the file is not
// to be seen in the temporary folder (but on Windows) or after Close.
func TestAppendRead(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	s := New("test-*", "the test's bytes")
	if s.Made() {
		t.Fatal("made before anything was appended")
	}
	a, ok1 := s.Append([]byte("alone "))
	b, ok2 := s.Append([]byte("bored"))
	if !ok1 || !ok2 || a != 0 || b != 6 {
		t.Fatalf("Append: %d %v, %d %v", a, ok1, b, ok2)
	}
	p := make([]byte, 5)
	if err := s.ReadAt(p, b); err != nil || string(p) != "bored" {
		t.Fatalf("ReadAt: %q %v", p, err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 && runtime.GOOS != "windows" {
		t.Errorf("the folder holds %s", left[0].Name())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("after Close the folder holds %s", left[0].Name())
	}
	if err := s.ReadAt(p, 0); err == nil {
		t.Error("read after Close")
	}
}

// A file that cannot be made is not tried again.
func TestCannotMake(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	s := New("test-*", "the test's bytes")
	if _, ok := s.Append([]byte("x")); ok {
		t.Fatal("appended to a file in a missing folder")
	}
	t.Setenv("TMPDIR", t.TempDir())
	if _, ok := s.Append([]byte("x")); ok || s.Made() {
		t.Fatal("tried again after failing")
	}
}
