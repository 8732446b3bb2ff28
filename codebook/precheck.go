package codebook

import (
	"fmt"
	"slices"

	"github.com/synth-qda/synth/internal/fold"
	"go.yaml.in/yaml/v3"
)

// Limits on what YAML aliases (*name) may do. strictyaml expands an alias
// every time it is used, so a self-referencing anchor would never end and a
// few lines of nested aliases could stand for billions of nodes ("billion
// laughs"). No real codebook comes near these limits.
const (
	maxAliasNodes = 100_000 // nodes that aliases may add to the document
	maxYAMLDepth  = 25_000  // nesting of the document with aliases expanded
)

// precheck looks at the YAML before strictyaml.Decode does: it refuses
// aliases that refer to themselves or expand beyond the limits above
// (strictyaml follows aliases without such checks), and explains a plain name
// where a code or theme needs a mapping. A document that does not parse is
// left for strictyaml.Decode to report.
func precheck(file string, data []byte) error {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return nil
	}
	g := aliasGuard{file: file, size: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	g.limit = countNodes(&doc) + maxAliasNodes
	if err := g.walk(&doc, 0); err != nil {
		return err
	}
	return checkShorthand(file, &doc)
}

// checkShorthand explains a plain name where a code or theme mapping is
// expected (codes: [Loneliness] at the top, themes: [Hope]), which strictyaml
// would report as "expected a mapping".
func checkShorthand(file string, doc *yaml.Node) error {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	type list struct {
		n    *yaml.Node
		what string
	}
	var stack []list
	push := func(m *yaml.Node) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			switch k, v := m.Content[i], m.Content[i+1]; {
			case v.Kind != yaml.SequenceNode:
			case k.Value == "themes":
				stack = append(stack, list{v, "theme"})
			case k.Value == "codes" && m == doc.Content[0]:
				stack = append(stack, list{v, "code"})
			}
		}
	}
	push(doc.Content[0])
	for len(stack) > 0 {
		l := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range l.n.Content {
			switch {
			case e.Kind == yaml.ScalarNode && e.Tag != "!!null":
				return &ParseError{File: file, Line: e.Line, Col: e.Column,
					Msg: fmt.Sprintf("%s %q needs a name: key here; write \"- name: %s\"", l.what, e.Value, e.Value)}
			case colonName(e, l.what):
				name := e.Content[0].Value + ": " + e.Content[1].Value
				return &ParseError{File: file, Line: e.Line, Col: e.Column,
					Msg: fmt.Sprintf("%s %q needs a name: key here, and quotes for its \": \"; write - name: %q", l.what, name, name)}
			case e.Kind == yaml.MappingNode && l.what == "theme":
				push(e)
			}
		}
	}
	return nil
}

// fields are the keys of a code and of a theme.
var fields = map[string][]string{
	"code":  {"name", "definition", "aliases"},
	"theme": {"name", "id", "ref", "finding", "cerqual", "quotes", "codes", "themes"},
}

// colonName reports whether e, an entry of a list of codes or themes
// (what), is a name with ": " in it written without quotes or name: key
// ("- Respite: guilt"), which YAML reads as the key "Respite": one pair of
// plain text on one line, whose key is no field and no misspelling of one.
func colonName(e *yaml.Node, what string) bool {
	if e.Kind != yaml.MappingNode || len(e.Content) != 2 {
		return false
	}
	k, v := e.Content[0], e.Content[1]
	return k.Kind == yaml.ScalarNode && k.Style == 0 && v.Kind == yaml.ScalarNode && v.Style == 0 &&
		v.Tag != "!!null" && k.Line == v.Line &&
		!slices.Contains(fields[what], k.Value) && fold.Suggest(k.Value, fields[what]) == ""
}

// countNodes counts the nodes of the document as written.
func countNodes(doc *yaml.Node) int {
	n := 0
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		stack = append(stack, top.Content...)
	}
	return n
}

type aliasGuard struct {
	file  string
	size  map[*yaml.Node]int  // nodes under n, aliases expanded
	open  map[*yaml.Node]bool // on the current path
	limit int                 // most nodes the expanded document may have
}

func (g *aliasGuard) errorf(n *yaml.Node, format string, args ...any) error {
	return &ParseError{File: g.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// walk computes the expanded size of n. Its recursion follows the expanded
// document, so the depth check also bounds its own stack.
func (g *aliasGuard) walk(n *yaml.Node, depth int) error {
	if depth > maxYAMLDepth {
		return g.errorf(n, "the codebook nests more than %d levels deep", maxYAMLDepth)
	}
	if _, done := g.size[n]; done {
		return nil
	}
	g.open[n] = true
	defer delete(g.open, n)
	size := 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		if g.open[n.Alias] {
			return g.errorf(n, "YAML alias *%s is used inside its own anchor; reuse themes with ref: instead", n.Value)
		}
		if err := g.walk(n.Alias, depth+1); err != nil {
			return err
		}
		size = g.size[n.Alias]
	}
	for _, c := range n.Content {
		if err := g.walk(c, depth+1); err != nil {
			return err
		}
		size += g.size[c]
		if size > g.limit {
			return g.errorf(c, "YAML aliases expand the codebook by more than %d nodes; write the themes out or reuse them with ref:", maxAliasNodes)
		}
	}
	g.size[n] = size
	return nil
}
