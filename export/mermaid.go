package export

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// Mermaid writes theme-map.mmd: the theme hierarchy as a Mermaid flowchart,
// left to right, analytical themes styled apart from descriptive ones.
// Codes are left out.
func Mermaid(w io.Writer, r *synthesis.Result) error {
	return MermaidWith(w, r, MapOptions{})
}

// MermaidWith writes the theme map as a Mermaid flowchart with the given
// options.
//
// Escaping: labels are quoted ["…"]; # " < > & and ` become Mermaid entity
// codes (#35; #quot; #lt; #gt; #amp; #96;) and line breaks become <br/>, so
// no text ends the label or becomes HTML. Node ids are t_ (themes) or c_
// (codes) plus the id with every character outside [A-Za-z0-9_] turned into
// _, made unique with a _2, _3… suffix; the prefix keeps ids off keywords
// such as end.
func MermaidWith(w io.Writer, r *synthesis.Result, opt MapOptions) error {
	nodes, edges := themeMap(r, opt)
	ids := make([]string, len(nodes))
	taken := map[string]bool{}
	for i, n := range nodes {
		prefix := "t_"
		if n.depth < 0 {
			prefix = "c_"
		}
		base := prefix + mermaidID(n.key)
		id := base
		for k := 2; taken[id]; k++ {
			id = base + "_" + strconv.Itoa(k)
		}
		taken[id] = true
		ids[i] = id
	}
	b := bufio.NewWriter(w)
	// The comment follows the diagram type: some renderers want the type first.
	b.WriteString("flowchart LR\n")
	b.WriteString("  %% Theme map written by synth: parent theme → sub-theme; counts are over each theme's code closure.\n")
	for i, n := range nodes {
		open, close := `["`, `"]`
		if n.depth < 0 {
			open, close = `(["`, `"])`
		}
		labels := make([]string, len(n.lines))
		for j, l := range n.lines {
			labels[j] = mermaidText(l)
		}
		b.WriteString("  " + ids[i] + open + strings.Join(labels, "<br/>") + close + "\n")
	}
	for _, e := range edges {
		b.WriteString("  " + ids[e.from] + " --> " + ids[e.to] + "\n")
	}
	// One class per depth (depth0 = analytical); classes only for depths in use.
	var classes []string
	members := map[string][]string{}
	for i, n := range nodes {
		c := "code"
		if n.depth >= 0 {
			c = "depth" + strconv.Itoa(n.depth)
		}
		if _, ok := members[c]; !ok {
			classes = append(classes, c)
		}
		members[c] = append(members[c], ids[i])
	}
	for _, c := range classes {
		style := "fill:" + depthFill(-1) + ",stroke:#bdbdbd"
		if strings.HasPrefix(c, "depth") {
			d, _ := strconv.Atoi(strings.TrimPrefix(c, "depth"))
			style = "fill:" + depthFill(d) + ",stroke:#636363"
			if d == 0 {
				style += ",stroke-width:2px"
			}
		}
		b.WriteString("  classDef " + c + " " + style + "\n")
		b.WriteString("  class " + strings.Join(members[c], ",") + " " + c + "\n")
	}
	return b.Flush()
}

// mermaidID keeps [A-Za-z0-9_] and turns every other character into _.
func mermaidID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

var mermaidEscaper = strings.NewReplacer(
	"#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;", "`", "#96;",
	"\r\n", "<br/>", "\r", "<br/>", "\n", "<br/>",
)

// mermaidText escapes text inside a quoted Mermaid label.
func mermaidText(s string) string {
	return mermaidEscaper.Replace(cleanLabel(s))
}
