package wasm

import (
	"fmt"
	"sync"
)

// This file is synth's patch to go-graphviz v0.2.10 (see ../../README.md).
// Upstream instantiates the Graphviz WebAssembly module in this package's
// init, so that every program linking go-graphviz pays for it at start-up
// (40-50 ms with wazero's compilation cache, over a second without it)
// whether or not it ever lays out a graph, and panics there when it cannot
// (a damaged compilation cache in $TMPDIR, say). Here the module is made
// by the first Init, which every constructor and parser of the cgraph and
// gvc packages calls; a damaged cache is passed over, and any other
// failure is an error those return.

var (
	initOnce  sync.Once
	initErr   error
	initHooks []func()
	// noCompilationCache makes the module without wazero's compilation
	// cache (getCompilationCache), after making it with the cache failed.
	noCompilationCache bool
)

// Init makes the WebAssembly module, once, then runs the OnInit hooks in
// the order the packages registered them (their init order, which was the
// order of upstream's init functions). It is safe to call from several
// goroutines. Upstream's initModule panics on every error: when it does
// with wazero's compilation cache (a damaged file in $TMPDIR/go-graphviz
// failed with "compilationcache: invalid header length"), the module is
// made again without the cache; a panic then, or in a hook, becomes Init's
// error, the same for every call.
func Init() error {
	initOnce.Do(func() {
		if err := recovered(initModule); err != nil {
			noCompilationCache = true
			if err := recovered(initModule); err != nil {
				initErr = fmt.Errorf("starting Graphviz's WebAssembly module: %w", err)
				return
			}
		}
		initErr = recovered(func() {
			for _, h := range initHooks {
				h()
			}
		})
		if initErr != nil {
			initErr = fmt.Errorf("starting Graphviz's WebAssembly module: %w", initErr)
		}
	})
	return initErr
}

// recovered runs f and returns what it panicked with, as an error.
func recovered(f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", p)
			}
		}
	}()
	f()
	return nil
}

// OnInit registers f to run in Init, right after the module is made: the
// work that upstream did in package init functions. Call it only from init.
func OnInit(f func()) { initHooks = append(initHooks, f) }
