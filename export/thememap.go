package export

import (
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// MapOptions chooses what a theme map (DOT, Mermaid) shows.
type MapOptions struct {
	// Codes adds each theme's own codes as leaf nodes, with their extract
	// counts. Off by default: the figure shows themes only.
	Codes bool
}

// mapNode is a theme or code in the theme map.
type mapNode struct {
	key   string   // theme id, or code name for a code
	lines []string // label lines, unescaped
	depth int      // theme depth; -1 for a code
}

// mapEdge links parent → child by node index.
type mapEdge struct{ from, to int }

// themeMap lays out the graph both map formats draw: themes in theme order,
// then (with opt.Codes) codes in code order; edges parent → child in theme
// order (a reused theme has one incoming edge per parent), then theme →
// code.
func themeMap(r *synthesis.Result, opt MapOptions) ([]mapNode, []mapEdge) {
	var nodes []mapNode
	var edges []mapEdge
	index := map[string]int{}
	for _, t := range r.Themes {
		index[t.ID] = len(nodes)
		nodes = append(nodes, mapNode{key: t.ID, depth: t.Depth, lines: []string{t.Name,
			count(len(t.Studies), "study", "studies") + " · " + count(t.Extracts.Len(), "extract", "extracts")}})
	}
	for _, t := range r.Themes {
		for _, c := range t.Children {
			if j, ok := index[c]; ok {
				edges = append(edges, mapEdge{index[t.ID], j})
			}
		}
	}
	if !opt.Codes {
		return nodes, edges
	}
	used := map[string]bool{}
	for _, t := range r.Themes {
		for _, c := range t.Codes {
			used[c] = true
		}
	}
	codeAt := map[string]int{}
	addCode := func(name string, extracts int) {
		codeAt[name] = len(nodes)
		nodes = append(nodes, mapNode{key: name, depth: -1, lines: []string{name, count(extracts, "extract", "extracts")}})
	}
	for _, c := range r.Codes {
		if used[c.Name] {
			if _, dup := codeAt[c.Name]; !dup {
				addCode(c.Name, c.Extracts)
			}
		}
	}
	for _, t := range r.Themes {
		for _, c := range t.Codes {
			if _, ok := codeAt[c]; !ok {
				addCode(c, 0)
			}
			edges = append(edges, mapEdge{index[t.ID], codeAt[c]})
		}
	}
	return nodes, edges
}

// depthFill is the fill of themes at each depth: analytical themes stand
// out, deeper levels fade; codes are pale yellow.
func depthFill(depth int) string {
	switch {
	case depth < 0:
		return "#fff7bc"
	case depth == 0:
		return "#c6dbef"
	case depth == 1:
		return "#eff3ff"
	}
	return "#ffffff"
}

// cleanLabel makes user text safe to place in any label: valid UTF-8,
// no control characters other than line breaks.
func cleanLabel(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\r' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
