package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks Linux to start writing n bytes of f from off to disk
// (sync_file_range(2) with SYNC_FILE_RANGE_WRITE), without waiting for them.
// It is a hint: a file system that cannot is left to write them when it
// would have.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
