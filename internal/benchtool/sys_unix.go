//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakRSS is the peak resident set size, in bytes, of a process that has
// exited (getrusage's ru_maxrss, kilobytes on Linux).
func peakRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}

// syncDisks writes the page cache's dirty pages to disk (sync(2)).
func syncDisks() { syscall.Sync() }
