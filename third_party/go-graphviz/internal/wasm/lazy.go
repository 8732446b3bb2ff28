package wasm

import "sync"

// This file is synth's patch to go-graphviz v0.2.10 (see ../../README.md).
// Upstream instantiates the Graphviz WebAssembly module in this package's
// init, so that every program linking go-graphviz pays for it at start-up
// (40-50 ms with wazero's compilation cache, over a second without it)
// whether or not it ever lays out a graph. Here the module is made by the
// first Init, which every constructor and parser of the cgraph and gvc
// packages calls.

var (
	initOnce  sync.Once
	initHooks []func()
)

// Init makes the WebAssembly module, once, then runs the OnInit hooks in
// the order the packages registered them (their init order, which was the
// order of upstream's init functions). It is safe to call from several
// goroutines.
func Init() {
	initOnce.Do(func() {
		initModule()
		for _, h := range initHooks {
			h()
		}
	})
}

// OnInit registers f to run in Init, right after the module is made: the
// work that upstream did in package init functions. Call it only from init.
func OnInit(f func()) { initHooks = append(initHooks, f) }
