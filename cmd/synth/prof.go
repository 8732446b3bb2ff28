package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile writes a CPU profile to $SYNTH_CPUPROFILE and a heap profile
// to $SYNTH_MEMPROFILE (Go pprof format) when they are set; the bench script
// and developers use them to see where a build spends its time. It returns
// the function that stops and writes them.
func startProfile() func() {
	var stops []func()
	if p := os.Getenv("SYNTH_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
			stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if p := os.Getenv("SYNTH_MEMPROFILE"); p != "" {
		stops = append(stops, func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		})
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
	if f, err := os.Create(p); err == nil {
		pprof.Lookup("heap").WriteTo(f, 0)
		f.Close()
	}
}
