package export

import (
	"bufio"
	"io"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// DOT writes theme-map.dot: the theme hierarchy for Graphviz, left to
// right, analytical themes filled darker than descriptive ones, each node
// labelled with its name and support. Codes are left out.
func DOT(w io.Writer, r *synthesis.Result) error {
	return DOTWith(w, r, MapOptions{})
}

// DOTWith writes the theme map for Graphviz with the given options.
//
// Escaping: node ids and labels are DOT quoted strings; \ and " are
// backslash-escaped (so no \l, \N or HTML-like label can be formed) and
// line breaks become \n.
func DOTWith(w io.Writer, r *synthesis.Result, opt MapOptions) error {
	nodes, edges := themeMap(r, opt)
	b := bufio.NewWriter(w)
	b.WriteString("// Theme map written by synth: parent theme → sub-theme; counts are over each theme's code closure.\n")
	b.WriteString("digraph themes {\n")
	b.WriteString("\tgraph [rankdir=LR, nodesep=0.25, ranksep=0.5, fontname=\"Helvetica,Arial,sans-serif\"];\n")
	b.WriteString("\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, color=\"#636363\", fillcolor=\"#ffffff\"];\n")
	b.WriteString("\tedge [color=\"#969696\", arrowsize=0.6];\n")
	if len(nodes) > 0 {
		b.WriteString("\n")
	}
	for _, n := range nodes {
		b.WriteString("\t" + dotID(n) + " [label=" + dotQuote(strings.Join(n.lines, "\n")) + ", fillcolor=\"" + depthFill(n.depth) + "\"")
		switch {
		case n.depth == 0:
			b.WriteString(", penwidth=2")
		case n.depth < 0:
			b.WriteString(", shape=ellipse, style=filled, fontsize=10")
		}
		b.WriteString("];\n")
	}
	if len(edges) > 0 {
		b.WriteString("\n")
	}
	for _, e := range edges {
		b.WriteString("\t" + dotID(nodes[e.from]) + " -> " + dotID(nodes[e.to]) + ";\n")
	}
	b.WriteString("}\n")
	return b.Flush()
}

// dotID names a node: themes and codes live in separate namespaces.
func dotID(n mapNode) string {
	if n.depth < 0 {
		return dotQuote("code:" + n.key)
	}
	return dotQuote("theme:" + n.key)
}

var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\r", `\n`, "\n", `\n`)

// dotQuote writes s as a DOT quoted string.
func dotQuote(s string) string {
	return `"` + dotEscaper.Replace(cleanLabel(s)) + `"`
}
