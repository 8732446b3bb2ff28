// Command mkexample writes synth's worked example (synth.yaml, codebook.yaml,
// README.md and extracts.xlsx) into a folder, by default
// testdata/social-prescribing. The output is the same, byte for byte, on
// every run.
//
//	go run ./internal/example/mkexample [DIR]
package main

import (
	"fmt"
	"os"

	"github.com/synth-qda/synth/internal/example"
)

func main() {
	dir := "testdata/" + example.Name
	switch len(os.Args) {
	case 1:
	case 2:
		dir = os.Args[1]
	default:
		fmt.Fprintln(os.Stderr, "usage: mkexample [DIR]")
		os.Exit(2)
	}
	if err := example.Write(dir); err != nil {
		fmt.Fprintln(os.Stderr, "mkexample:", err)
		os.Exit(1)
	}
}
