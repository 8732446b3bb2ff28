// Package strictyaml decodes YAML configuration files strictly: an unknown
// key is an error with its line and column and a did-you-mean hint, a value
// of the wrong kind is reported where it stands, not as "line N", and a
// syntax error is reported at the mistake that caused it (a tab, an unclosed
// bracket, an unquoted ": ", a mis-indented line) with a hint in plain words.
//
// Struct fields are matched by their `yaml:"name"` tag. A field of type Pos
// tagged `yaml:"-"` receives the position of the mapping it was decoded from.
package strictyaml

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
	"go.yaml.in/yaml/v3"
)

// Error is a problem at a place in a YAML file.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Pos is a place in a YAML file.
type Pos struct{ Line, Col int }

var posType = reflect.TypeFor[Pos]()

// Decode decodes the single document in data into v, a pointer to a struct.
// An empty document is an error.
func Decode(file string, data []byte, v any) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return syntaxError(file, data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &Error{File: file, Msg: "the file is empty"}
	}
	d := decoder{file: file, data: data, open: map[*yaml.Node]bool{}}
	return d.decode(doc.Content[0], reflect.ValueOf(v).Elem())
}

type decoder struct {
	file  string
	data  []byte
	lines [][]rune            // of data, split when first needed
	nodes int                 // nodes decoded so far, aliases expanded
	open  map[*yaml.Node]bool // anchors being decoded now
	depth int
}

// Limits against documents that expand without bound: a self-referencing
// anchor, or a few aliases that each repeat the one before ("billion laughs").
const (
	maxNodes = 1_000_000
	maxDepth = 10_000
)

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value) error {
	d.nodes++
	if d.nodes > maxNodes {
		return d.errorf(n, "the document expands to more than %d values (through aliases?); simplify it", maxNodes)
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth {
		return d.errorf(n, "the document nests more than %d levels deep", maxDepth)
	}
	if n.Kind == yaml.AliasNode {
		if d.open[n.Alias] {
			return d.errorf(n, "alias *%s refers to the value that contains it", n.Value)
		}
		d.open[n.Alias] = true
		defer delete(d.open, n.Alias)
		return d.decode(n.Alias, v)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		v.SetZero()
		return nil
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.decode(n, v.Elem())
	}
	if v.CanAddr() {
		if _, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
			return d.leaf(n, v)
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return d.errorf(n, "expected a mapping of keys to values, found %s", describe(n))
		}
		return d.structure(n, v)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Kind == yaml.ScalarNode {
				// A single value where a list is expected is a list of one.
				v.Set(reflect.MakeSlice(v.Type(), 1, 1))
				return d.decode(n, v.Index(0))
			}
			return d.errorf(n, "expected a list, found %s", describe(n))
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, c := range n.Content {
			if err := d.decode(c, v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return d.errorf(n, "expected a mapping of keys to values, found %s", describe(n))
		}
		v.Set(reflect.MakeMap(v.Type()))
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := reflect.New(v.Type().Key()).Elem()
			if err := d.decode(n.Content[i], k); err != nil {
				return err
			}
			e := reflect.New(v.Type().Elem()).Elem()
			if err := d.decode(n.Content[i+1], e); err != nil {
				return err
			}
			v.SetMapIndex(k, e)
		}
		return nil
	}
	if n.Kind != yaml.ScalarNode && v.Kind() != reflect.Interface {
		if err := d.unquotedColon(n); err != nil {
			return err
		}
		return d.errorf(n, "expected a single value, found %s", describe(n))
	}
	return d.leaf(n, v)
}

func (d *decoder) leaf(n *yaml.Node, v reflect.Value) error {
	err := n.Decode(v.Addr().Interface())
	if err == nil {
		return nil
	}
	if err := d.unquotedColon(n); err != nil {
		return err
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return d.errorf(n, "%s is not %s", describe(n), kindName(v.Type()))
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return d.errorf(n, "%v", err)
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value) error {
	t := v.Type()
	fields := map[string]int{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "-" {
			if f.Type == posType {
				v.Field(i).Set(reflect.ValueOf(Pos{n.Line, n.Column}))
			}
			continue
		}
		if tag == "" {
			tag = strings.ToLower(f.Name)
		}
		fields[tag] = i
		names = append(names, tag)
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		idx, ok := fields[key.Value]
		if !ok {
			msg := fmt.Sprintf("unknown field %q", key.Value)
			if s := fold.Suggest(key.Value, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; known fields: " + strings.Join(names, ", ")
			}
			return d.errorf(key, "%s", msg)
		}
		if prev := seen[key.Value]; prev != nil {
			return d.errorf(key, "field %q is given twice (first at line %d)", key.Value, prev.Line)
		}
		seen[key.Value] = key
		if err := d.decode(val, v.Field(idx)); err != nil {
			return err
		}
	}
	return nil
}

// unquotedColon explains a mapping where a single value belongs when it is
// a name with ": " in it, written without quotes: YAML reads the list item
// "- Respite: guilt" (or [Respite: guilt]) as the key "Respite" with the
// value "guilt". It returns nil for any other node.
func (d *decoder) unquotedColon(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return nil
	}
	k, v := n.Content[0], n.Content[1]
	if k.Kind != yaml.ScalarNode || k.Style != 0 || v.Kind != yaml.ScalarNode || v.Style != 0 ||
		v.Tag == "!!null" || k.Line != v.Line || k.Column >= v.Column {
		return nil
	}
	if d.lines == nil {
		for _, l := range splitLines(d.data) {
			d.lines = append(d.lines, []rune(l))
		}
	}
	if k.Line < 1 || k.Line > len(d.lines) {
		return nil
	}
	l := d.lines[k.Line-1]
	start, end := k.Column-1, v.Column-1+len([]rune(v.Value))
	if end > len(l) {
		return nil
	}
	colon := -1
	for i := start + len([]rune(k.Value)); i < v.Column-1; i++ {
		if l[i] == ':' {
			colon = i
			break
		}
	}
	if colon < 0 {
		return nil
	}
	shown := quoted(string(l[start:end]))
	if before := strings.TrimSpace(string(l[:start])); strings.HasSuffix(before, "-") {
		shown = "- " + shown
	}
	return &Error{File: d.file, Line: k.Line, Col: colon + 1,
		Msg: fmt.Sprintf("a name containing \": \" must be quoted: %s", shown)}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	}
	return "a " + t.String()
}
