package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile writes a CPU profile to $SYNTH_CPUPROFILE and a heap profile
// to $SYNTH_MEMPROFILE (Go pprof format), and an execution trace to
// $SYNTH_TRACE (for go tool trace: which goroutine ran when, and where a
// core stood idle), when they are set; the bench script and developers use
// them to see where a build spends its time. It returns
// the function that stops and writes them. A profile that cannot be
// written is said on stderr; the run goes on.
func startProfile() func() {
	var stops []func()
	// record starts writing to the file $env names, if set; stop ends it.
	record := func(env string, start func(*os.File) error, stop func()) {
		p := os.Getenv(env)
		if p == "" {
			return
		}
		f, err := os.Create(p)
		if err == nil {
			if err = start(f); err != nil {
				f.Close()
			}
		}
		if err != nil {
			profileError(env, err)
			return
		}
		stops = append(stops, func() { stop(); f.Close() })
	}
	record("SYNTH_CPUPROFILE", func(f *os.File) error { return pprof.StartCPUProfile(f) }, pprof.StopCPUProfile)
	if p := os.Getenv("SYNTH_MEMPROFILE"); p != "" {
		stops = append(stops, func() { writeProfile("SYNTH_MEMPROFILE", p, "allocs") })
	}
	record("SYNTH_TRACE", func(f *os.File) error { return trace.Start(f) }, trace.Stop)
	return func() {
		for _, s := range stops {
			s()
		}
	}
}

// profileBuilt writes the heap that a built synthesis holds, after a
// collection, to $SYNTH_HEAPPROFILE when it is set: what is live when the
// formats start is a build's peak, and the allocs profile of
// $SYNTH_MEMPROFILE shows only what was live at the last collection.
func profileBuilt() {
	p := os.Getenv("SYNTH_HEAPPROFILE")
	if p == "" {
		return
	}
	runtime.GC()
	writeProfile("SYNTH_HEAPPROFILE", p, "heap")
}

// writeProfile writes the named pprof profile to path.
func writeProfile(env, path, name string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup(name).WriteTo(f, 0)
		if e := f.Close(); err == nil {
			err = e
		}
	}
	if err != nil {
		profileError(env, err)
	}
}

func profileError(env string, err error) {
	fmt.Fprintf(os.Stderr, "synth: %s: no profile written: %v\n", env, err)
}
