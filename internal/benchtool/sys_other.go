//go:build !unix

package main

import "os"

// peakRSS is 0 where the bench does not know how to ask for it: the bench
// is run on Linux, and built elsewhere only so that go build ./... works.
func peakRSS(*os.ProcessState) int64 { return 0 }

// syncDisks does nothing where sync(2) is not.
func syncDisks() {}
