// Package codebook reads codebook.yaml: the codes of a thematic synthesis and
// the hierarchy of themes built on them (codes → descriptive themes →
// analytical themes, Thomas & Harden 2008). Themes form a DAG: a theme may be
// reused under several parents with `ref:`. The package checks the hierarchy
// (cycles, duplicate ids, dangling refs), computes each theme's code closure
// and matches the code names typed in spreadsheets to the codebook.
package codebook

import "github.com/synth-qda/synth/internal/strictyaml"

// ParseError is a problem at file:line:col in a codebook.
type ParseError = strictyaml.Error

// Codebook is a parsed and checked codebook.yaml.
type Codebook struct {
	File    string   // as given to Parse, used in messages
	Version int      // 1
	Levels  []string // name of each depth, e.g. [analytical, descriptive]

	// Codes are all codes the codebook names: first those defined under
	// `codes:` in their order, then codes that appear only in themes, in the
	// order they first appear (pre-order walk of the themes).
	Codes []*Code

	// Themes are all themes, each once, in pre-order of definition: a theme
	// reused with ref: is listed where it is defined.
	Themes []*Theme
	// Roots are the top-level themes in order.
	Roots []*Theme

	// Warnings are problems that do not stop a build, in the order of the
	// file (kinds WarnThemeCodeUndefined and WarnCERQualInconsistent).
	Warnings []Warning

	idx *index // lookups, built by Parse
}

// Code is one code of the codebook.
type Code struct {
	Name       string // canonical spelling as written in the codebook
	Definition string
	Aliases    []string
	// GUID and Color are the code's REFI-QDA 1.5 identity and colour
	// (guid and color of a Codebook.xsd Code), kept so that a codebook
	// exchanged with NVivo, ATLAS.ti, MAXQDA or QualCoder comes back as it
	// went: GUID is 8-4-4-4-12 hex digits, with or without braces; Color is
	// #rgb or #rrggbb. Both are "" when codebook.yaml does not give them.
	GUID, Color string
	Line, Col   int
}

// Theme is one theme at any depth.
type Theme struct {
	ID    string // given, or the slug of Name; unique
	Name  string
	Depth int    // 0 for a root
	Level string // Levels[Depth], or SubTheme ("sub-theme") past the named levels
	// GUID, Color and Description are those of the theme as a REFI-QDA
	// code (see Code.GUID); "" when not given.
	GUID, Color, Description string
	Finding                  string // summarised review finding (CERQual)
	CERQual                  *CERQual
	Quotes                   []string // pinned extract ids, as written

	Codes    []string // own codes, canonical codebook spelling, in order
	Children []*Theme // in order, including reused (ref) children
	Parents  []*Theme // in order of appearance; empty for a root

	Line, Col int
}

// CERQual is a GRADE-CERQual assessment of a review finding.
type CERQual struct {
	MethodologicalLimitations Component
	Coherence                 Component
	Adequacy                  Component
	Relevance                 Component
	Confidence                string // high | moderate | low | very-low (or "")
	Explanation               string
}

// Component is one CERQual component: concern is none, minor, moderate or
// serious (or "" when not assessed).
type Component struct {
	Concern     string
	Explanation string
}

// WarnThemeCodeUndefined is the kind of a warning about a theme that names a
// code which `codes:` does not define (after the codebook's matching: NFC,
// case folding, white space and aliases), when `codes:` defines any code.
// It is most often a misspelling ("Exhuastion" for "Exhaustion"), so the
// message offers the nearest defined name or alias; its Where is the name in
// the theme's codes: list.
//
// The name still becomes a code of its own, spelt as written, as it does when
// `codes:` is absent or empty (codes may then appear only in themes, and no
// warning is given). Dropping it, or silently mapping it to the nearest
// code, would change what the theme counts without the reviewer choosing
// it; keeping it keeps the counts as the codebook states them, and this
// warning comes before the unused-code and unthemed-code warnings that
// follow from the slip, so the reviewer sees the cause first.
const WarnThemeCodeUndefined = "theme-code-undefined"

// Warning is a codebook problem that does not stop a build.
type Warning struct {
	Kind    string // stable id: WarnThemeCodeUndefined or WarnCERQualInconsistent
	Message string
	Where   string // codebook.yaml:line:col
}
