//go:build windows

package scratch

import (
	"os"

	"golang.org/x/sys/windows"
)

// create makes the file so that Windows deletes it when its last handle
// closes, the process's end included (FILE_FLAG_DELETE_ON_CLOSE): an open
// file cannot be removed there. removed is true: Close need not.
func create(pattern string) (f *os.File, removed bool, err error) {
	t, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, false, err
	}
	name := t.Name()
	t.Close()
	p, err := windows.UTF16PtrFromString(name)
	if err == nil {
		var h windows.Handle
		h, err = windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
			windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE, 0)
		if err == nil {
			return os.NewFile(uintptr(h), name), true, nil
		}
	}
	os.Remove(name)
	return nil, false, err
}
