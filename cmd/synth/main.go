// Command synth turns coded study extracts kept in spreadsheets and a YAML
// codebook into the tables, theme maps and supplements of a qualitative
// thematic synthesis.
package main

import "os"

func main() {
	tuneGC()
	stop := startProfile()
	code := Main()
	stop()
	os.Exit(code)
}
