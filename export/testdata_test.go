package export

import (
	"path/filepath"

	"github.com/synth-qda/synth/synthesis"
)

// fixture and minimal are the projects the export tests render: see their
// synth.yaml.
var (
	fixture = filepath.Join("testdata", "fixture", "synth.yaml")
	minimal = filepath.Join("testdata", "minimal", "synth.yaml")
)

// sampleResult builds the fixture project with synthesis.Build, afresh on
// each call so that a test may change its Result: four studies (S04 has no
// extract), a two-level theme DAG in which feeling-heard sits under two
// parents, an empty theme, an unknown code, an uncoded extract,
// participant and author extracts, CASP, sensitivity, PRISMA, a CERQual
// assessment and a finding without one, and text meant to break naive
// writers (formulas, tab, pipe, HTML, entities, ]]>, quotes, line breaks,
// non-ASCII).
func sampleResult() *synthesis.Result { return build(fixture) }

// minimalResult builds the minimal project: one study, one theme, no
// extract; no CASP, CERQual, sensitivity or PRISMA.
func minimalResult() *synthesis.Result { return build(minimal) }

func build(project string) *synthesis.Result {
	r, err := synthesis.Build(project, synthesis.Options{})
	if err != nil {
		panic("building " + project + ": " + err.Error())
	}
	return r
}
