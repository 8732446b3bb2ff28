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
	if p := os.Getenv("SYNTH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			profileError("SYNTH_CPUPROFILE", err)
		} else {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if p := os.Getenv("SYNTH_MEMPROFILE"); p != "" {
		stops = append(stops, func() { writeProfile("SYNTH_MEMPROFILE", p, "allocs") })
	}
	if p := os.Getenv("SYNTH_TRACE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			profileError("SYNTH_TRACE", err)
		} else {
			stops = append(stops, func() { trace.Stop(); f.Close() })
		}
	}
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
