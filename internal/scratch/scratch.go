// Package scratch is an append-only temporary file for what a large build
// would otherwise hold in memory: the extracts' texts past the first
// megabytes of them, and the shared strings of a large workbook.
package scratch

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// File is made in $TMPDIR (os.TempDir) the first time something is
// appended, readable by the user only, and removed at once (on Windows,
// where an open file cannot be removed, marked to be deleted when it
// closes), so that a build that ends or is killed leaves nothing. A file
// that cannot be made or written is never used again: its caller then
// keeps in memory what it would have appended. Append is for one goroutine; ReadAt may run on
// several at once, at offsets Append returned. A File that is no longer
// reachable is closed (runtime.AddCleanup); Close closes it at once.
type File struct {
	pattern string
	what    string
	f       *os.File
	n       int64
	failed  bool
	removed bool
}

// New returns a File whose name, when it is made, is pattern with a
// random string in place of its last "*" (os.CreateTemp); what says what
// it holds, for ReadAt's errors ("the extracts' texts").
func New(pattern, what string) *File { return &File{pattern: pattern, what: what} }

// Limit resolves a memory limit as options give it, in bytes: n, or def
// when n is 0, or none (0) when n is negative.
func Limit(n, def int64) int64 {
	switch {
	case n == 0:
		return def
	case n < 0:
		return 0
	}
	return n
}

// Append writes p at the file's end and returns where it starts; ok is
// false when the file could not be made or written, now or before.
func (s *File) Append(p []byte) (at int64, ok bool) {
	if s.failed {
		return 0, false
	}
	if s.f == nil {
		f, removed, err := create(s.pattern)
		if err != nil {
			s.failed = true
			return 0, false
		}
		s.f, s.removed = f, removed
		runtime.AddCleanup(s, func(f *os.File) { f.Close() }, f)
	}
	if _, err := s.f.WriteAt(p, s.n); err != nil {
		s.failed = true
		return 0, false
	}
	at, s.n = s.n, s.n+int64(len(p))
	return at, true
}

// Made reports whether the file was made.
func (s *File) Made() bool { return s.f != nil }

// ReadAt fills p from offset off, which Append returned. Its error says
// what could not be read back.
func (s *File) ReadAt(p []byte, off int64) error {
	err := errors.New("nothing was written to it")
	if s.f != nil {
		_, err = s.f.ReadAt(p, off)
	}
	if err != nil {
		return fmt.Errorf("reading back %s from synth's temporary file: %w", s.what, err)
	}
	return nil
}

// Close closes the file and removes it if it is still there.
func (s *File) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if !s.removed {
		err = errors.Join(err, os.Remove(s.f.Name()))
		s.removed = true
	}
	return err
}
