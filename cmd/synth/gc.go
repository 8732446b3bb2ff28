package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is what the heap may grow by between collections when little
// is live: a small build collects rarely, as with Go's default.
const gcHeadroom = 64 << 20

// gcShare is the least the heap may grow by, as a share of what is live
// (GOGC 12): enough that a collection is not run for every few megabytes.
// At a million extracts in the shared-strings layout 25 peaked at 490–518
// MB and 12 at 485–489 MB, in the same time; 6 gained nothing more.
const gcShare = 12

// tuneGC keeps a build's heap close to what it holds, unless GOGC or
// GOMEMLIMIT say otherwise. Go's default (GOGC=100) lets the heap grow to
// twice what is live before it collects; a million extracts hold about 360
// MB while they are read (347 MB once built), and with that default the
// run peaked at 530–575 MB (440 MB with this).
// synth holds its extracts in pointer-free columns (synthesis.Extracts),
// which a collection marks without scanning, so collecting more often costs
// little: after each collection the heap may grow by gcHeadroom or by
// gcShare percent of what is live, whichever is more.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		// A finalizer runs after the collection that finds its object
		// unreachable: once per cycle, re-armed each time.
		runtime.SetFinalizer(new([32]byte), func(*[32]byte) {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				if live := sample[0].Value.Uint64(); live > 0 {
					debug.SetGCPercent(int(max(gcShare, min(gcHeadroom*100/live, 1000))))
				}
			}
			arm()
		})
	}
	debug.SetGCPercent(1000) // until the first collection says what is live
	arm()
}
