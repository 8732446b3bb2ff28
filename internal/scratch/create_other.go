//go:build !windows

package scratch

import "os"

// create makes the file and removes its name at once: the open file stays
// readable and writable, and the system frees it when it is closed, the
// process's end included. removed is false only if the name could not be
// removed, for Close to try again.
func create(pattern string) (f *os.File, removed bool, err error) {
	f, err = os.CreateTemp("", pattern)
	if err != nil {
		return nil, false, err
	}
	return f, os.Remove(f.Name()) == nil, nil
}
