package codebook

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/strictyaml"
)

// DefaultLevels name the depths of a codebook without `levels:`: analytical
// themes built on descriptive themes (Thomas & Harden 2008).
var DefaultLevels = []string{"analytical", "descriptive"}

// SubTheme is the Level of a theme nested deeper than the named levels.
const SubTheme = "sub-theme"

// MaxDepth is the most levels a chain of themes may have, counting the themes
// reached through ref: as well as the nesting. A deeper codebook is a mistake
// (real ones have a handful of levels), and the limit keeps every walk over
// the hierarchy short.
const MaxDepth = 1000

// Load reads and parses the codebook at path. Messages name the file as path.
func Load(path string) (*Codebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: cannot read the codebook: %w", path, err)
	}
	return Parse(path, data)
}

// Parse parses and checks a codebook.yaml. file names it in messages. A
// problem that makes the codebook unusable is returned as a *ParseError at
// its file:line:col; problems that do not stop a build are in Warnings.
//
// The rules:
//   - version must be 1; levels defaults to DefaultLevels; a theme's Level is
//     Levels[Depth], or SubTheme past the named levels.
//   - A theme needs a name. Its id is the one given (letters, digits, '-',
//     '_', '.'), else Slug(name), else theme-N (N its place in Themes). Ids
//     are unique.
//   - An entry `- ref: ID` under a theme's themes: reuses the theme with that
//     id, defined anywhere in the file, and has no other field. The theme
//     keeps the Depth and Level of its definition and gains a parent. Themes
//     may not contain themselves, nor chain more than MaxDepth levels.
//   - Codes are matched by fold.Key. A code named in a theme but not under
//     codes: is added to Codes, spelt as first written; when codes: defines
//     any code, each theme naming such a code is warned about
//     (WarnThemeCodeUndefined, with a did-you-mean). A theme may name a code
//     by an alias. An alias stands for one code only.
//   - A CERQual concern is none, minor, moderate or serious ("no or very
//     minor" and "very minor" mean none); confidence is high, moderate, low
//     or very-low ("very low" too). Case and a trailing "concerns" or
//     "confidence" do not matter; values are stored normalised. Anything
//     else is an error; contradictions are warnings (WarnCERQualInconsistent).
func Parse(file string, data []byte) (*Codebook, error) {
	if err := precheck(file, data); err != nil {
		return nil, err
	}
	var y fileYAML
	if err := strictyaml.Decode(file, data, &y); err != nil {
		return nil, err
	}
	p := &parser{
		file:    file,
		cb:      &Codebook{File: file},
		codes:   map[string]*Code{},
		aliasAt: map[string]text{},
		childAt: map[*Theme][]strictyaml.Pos{},
		idAt:    map[*Theme]text{},
		themed:  map[*Code]bool{},
	}
	if err := p.parse(&y); err != nil {
		return nil, err
	}
	p.cb.idx = newIndex(p.cb)
	return p.cb, nil
}

type parser struct {
	file    string
	cb      *Codebook
	codes   map[string]*Code // fold.Key of a name or alias → code
	defined []string         // the names and aliases under codes:, for suggestions
	themed  map[*Code]bool   // codes first named in a theme, not under codes:
	aliasAt map[string]text  // fold.Key of an alias → where it is written
	links   []link           // parent → child entries in document order
	childAt map[*Theme][]strictyaml.Pos
	idAt    map[*Theme]text // the id as written, for themes given one
	guids   []guidUse       // in file order
}

// link is one entry of a theme's `themes:` list: a child defined there, or a
// ref to a theme defined elsewhere (child nil until resolved).
type link struct {
	parent *Theme
	child  *Theme
	ref    text
	at     strictyaml.Pos
}

func (p *parser) errorf(line, col int, format string, args ...any) error {
	return &ParseError{File: p.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parse(y *fileYAML) error {
	switch {
	case !y.Version.Set():
		return p.errorf(y.At.Line, y.At.Col, `the codebook has no version; add "version: 1"`)
	case strings.TrimSpace(y.Version.Value) != "1":
		return p.errorf(y.Version.Line, y.Version.Col, "version %q is not supported; this synth reads codebook version 1", y.Version.Value)
	}
	p.cb.Version = 1
	for i, l := range y.Levels {
		name := fold.Clean(l.Value)
		if name == "" {
			return p.errorAt(l, y.At, "level %d has no name", i+1)
		}
		p.cb.Levels = append(p.cb.Levels, name)
	}
	if len(p.cb.Levels) == 0 {
		p.cb.Levels = append([]string(nil), DefaultLevels...)
	}
	if err := p.defineCodes(y.Codes); err != nil {
		return err
	}
	if err := p.themes(nil, y.Themes, 0); err != nil {
		return err
	}
	if err := p.assignIDs(); err != nil {
		return err
	}
	if err := p.resolveLinks(); err != nil {
		return err
	}
	if err := p.checkGUIDs(); err != nil {
		return err
	}
	return p.checkGraph()
}

// errorAt reports a problem at t, or at the enclosing mapping when t was null
// and so has no place of its own.
func (p *parser) errorAt(t text, at strictyaml.Pos, format string, args ...any) error {
	if t.Set() {
		return p.errorf(t.Line, t.Col, format, args...)
	}
	return p.errorf(at.Line, at.Col, format, args...)
}

// defineCodes reads `codes:`: all names first, so that an alias can be
// checked against a code defined after it.
func (p *parser) defineCodes(codes []codeYAML) error {
	for i := range codes {
		y := &codes[i]
		name := fold.Clean(y.Name.Value)
		if name == "" {
			return p.errorAt(y.Name, y.At, "code %d under codes: has no name", i+1)
		}
		k := fold.Key(name)
		if prev := p.codes[k]; prev != nil {
			return p.errorf(y.At.Line, y.At.Col, "code %q is defined twice (first at line %d); merge the two entries", name, prev.Line)
		}
		c := &Code{Name: name, Definition: strings.TrimSpace(y.Definition), Line: y.At.Line, Col: y.At.Col}
		var err error
		if c.GUID, c.Color, err = p.refiFields(true, name, y.GUID, y.Color); err != nil {
			return err
		}
		p.codes[k] = c
		p.cb.Codes = append(p.cb.Codes, c)
	}
	for i := range codes {
		y := &codes[i]
		c := p.cb.Codes[i]
		own := fold.Key(c.Name)
		for _, a := range y.Aliases {
			alias := fold.Clean(a.Value)
			if alias == "" {
				return p.errorAt(a, y.At, "code %q has an empty alias", c.Name)
			}
			k := fold.Key(alias)
			other := p.codes[k]
			switch {
			case k == own || other == c:
				continue // the code's own name, or the same alias twice
			case other != nil && fold.Key(other.Name) == k:
				return p.errorf(a.Line, a.Col, "alias %q of code %q is the name of code %q (line %d); an alias may stand for one code only",
					alias, c.Name, other.Name, other.Line)
			case other != nil:
				return p.errorf(a.Line, a.Col, "alias %q of code %q is also an alias of code %q (line %d); an alias may stand for one code only",
					alias, c.Name, other.Name, p.aliasAt[k].Line)
			}
			p.codes[k] = c
			p.aliasAt[k] = a
			c.Aliases = append(c.Aliases, alias)
		}
	}
	for _, c := range p.cb.Codes {
		p.defined = append(p.defined, c.Name)
		p.defined = append(p.defined, c.Aliases...)
	}
	return nil
}

// themes reads one `themes:` list in pre-order: each theme, then its
// sub-themes, so that cb.Themes and the codes first named in themes follow
// the file.
func (p *parser) themes(parent *Theme, list []themeYAML, depth int) error {
	for i := range list {
		y := &list[i]
		if y.Ref.Set() {
			if err := p.ref(parent, y); err != nil {
				return err
			}
			continue
		}
		t, err := p.theme(y, depth)
		if err != nil {
			return err
		}
		if parent == nil {
			p.cb.Roots = append(p.cb.Roots, t)
		} else {
			p.links = append(p.links, link{parent: parent, child: t, at: y.At})
		}
		if err := p.themes(t, y.Themes, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// ref records a `- ref: id` entry, resolved once every id is known so that a
// ref may point forward.
func (p *parser) ref(parent *Theme, y *themeYAML) error {
	if parent == nil {
		return p.errorf(y.Ref.Line, y.Ref.Col, "ref: reuses a theme under another theme; at the top level, define the theme itself")
	}
	extra := ""
	switch {
	case y.Name.Set():
		extra = "name"
	case y.ID.Set():
		extra = "id"
	case y.GUID.Set():
		extra = "guid"
	case y.Color.Set():
		extra = "color"
	case y.Description != "":
		extra = "description"
	case y.Finding != "":
		extra = "finding"
	case y.CERQual != nil:
		extra = "cerqual"
	case y.Quotes != nil:
		extra = "quotes"
	case y.Codes != nil:
		extra = "codes"
	case y.Themes != nil:
		extra = "themes"
	}
	if extra != "" {
		return p.errorf(y.At.Line, y.At.Col, "an entry with ref: reuses theme %q as it is defined and may have no other field; remove %q here or change it where the theme is defined",
			y.Ref.Value, extra)
	}
	ref := strings.TrimSpace(y.Ref.Value)
	if ref == "" {
		return p.errorf(y.Ref.Line, y.Ref.Col, "ref: is empty; give the id of the theme to reuse")
	}
	y.Ref.Value = ref
	p.links = append(p.links, link{parent: parent, ref: y.Ref, at: y.At})
	return nil
}

func (p *parser) theme(y *themeYAML, depth int) (*Theme, error) {
	name := fold.Clean(y.Name.Value)
	if name == "" {
		return nil, p.errorAt(y.Name, y.At, "a theme needs a name (or ref: to reuse a theme defined elsewhere)")
	}
	if depth >= MaxDepth {
		return nil, p.errorf(y.At.Line, y.At.Col, "theme %q is nested more than %d levels deep", name, MaxDepth)
	}
	t := &Theme{
		Name:    name,
		Depth:   depth,
		Level:   p.level(depth),
		Finding: strings.TrimSpace(y.Finding),
		Line:    y.At.Line,
		Col:     y.At.Col,

		Description: strings.TrimSpace(y.Description),
	}
	var err error
	if t.GUID, t.Color, err = p.refiFields(false, name, y.GUID, y.Color); err != nil {
		return nil, err
	}
	p.cb.Themes = append(p.cb.Themes, t)
	if y.ID.Set() {
		id := strings.TrimSpace(y.ID.Value)
		if err := checkID(id); err != nil {
			return nil, p.errorf(y.ID.Line, y.ID.Col, "theme id %q %v", id, err)
		}
		t.ID = id
		p.idAt[t] = y.ID
	}
	for _, q := range y.Quotes {
		id := strings.TrimSpace(q.Value)
		if id == "" {
			return nil, p.errorAt(q, y.At, "theme %q pins an empty quote id", name)
		}
		t.Quotes = append(t.Quotes, id)
	}
	seen := map[string]bool{}
	for _, c := range y.Codes {
		code := fold.Clean(c.Value)
		if code == "" {
			return nil, p.errorAt(c, y.At, "theme %q lists an empty code", name)
		}
		k := fold.Key(code)
		def := p.codes[k]
		if def == nil {
			// A code named only in themes: its first spelling is canonical.
			line, col := c.Line, c.Col
			if !c.Set() {
				line, col = y.At.Line, y.At.Col
			}
			def = &Code{Name: code, Line: line, Col: col}
			p.codes[k] = def
			p.cb.Codes = append(p.cb.Codes, def)
			p.themed[def] = true
		}
		if !seen[def.Name] {
			seen[def.Name] = true
			t.Codes = append(t.Codes, def.Name)
			if p.themed[def] && len(p.defined) > 0 {
				p.undefinedCode(t, code, c)
			}
		}
	}
	if y.CERQual != nil {
		cq, err := p.cerqual(t, y.CERQual)
		if err != nil {
			return nil, err
		}
		t.CERQual = cq
	}
	return t, nil
}

// undefinedCode warns that theme t names code, written at c, which codes:
// does not define.
func (p *parser) undefinedCode(t *Theme, code string, c text) {
	msg := fmt.Sprintf("theme %q names code %q, which codes: does not define", t.Name, code)
	if s := fold.Suggest(code, p.defined); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", p.codes[fold.Key(s)].Name)
	} else {
		msg += "; add it under codes: or correct the name"
	}
	p.cb.Warnings = append(p.cb.Warnings, Warning{
		Kind:    WarnThemeCodeUndefined,
		Message: msg,
		Where:   fmt.Sprintf("%s:%d:%d", p.file, c.Line, c.Col),
	})
}

// level names a depth: Levels[depth], or SubTheme past the named levels.
func (p *parser) level(depth int) string {
	if depth < len(p.cb.Levels) {
		return p.cb.Levels[depth]
	}
	return SubTheme
}

// checkID accepts ids that are one word: letters, digits, '-', '_' and '.'.
// Ids name themes on the command line (synth quotes ID) and in outputs.
func checkID(id string) error {
	if id == "" {
		return errors.New("is empty; leave id out to use the slug of the name")
	}
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' {
			return fmt.Errorf("may hold only letters, digits, '-', '_' and '.' (e.g. %q)", Slug(id))
		}
	}
	return nil
}

// assignIDs gives each theme without an id the slug of its name (theme-N, N
// its place in Themes, when the name has no letter or digit to slug) and
// refuses duplicates, naming the later theme and the line of the earlier.
func (p *parser) assignIDs() error {
	byID := make(map[string]*Theme, len(p.cb.Themes))
	for i, t := range p.cb.Themes {
		if t.ID == "" {
			t.ID = Slug(t.Name)
			if t.ID == "" {
				t.ID = fmt.Sprintf("theme-%d", i+1)
			}
		}
		if prev := byID[t.ID]; prev != nil {
			return p.duplicateID(t, prev)
		}
		byID[t.ID] = t
	}
	return nil
}

func (p *parser) duplicateID(t, prev *Theme) error {
	place := func(t *Theme) (int, int) {
		if at, ok := p.idAt[t]; ok {
			return at.Line, at.Col
		}
		return t.Line, t.Col
	}
	line, col := place(t)
	prevLine, prevCol := place(prev)
	_, given := p.idAt[t]
	switch {
	case line == prevLine && col == prevCol:
		return p.errorf(line, col, "theme %q is repeated by a YAML alias; reuse a theme with ref: %s", t.ID, t.ID)
	case given:
		return p.errorf(line, col, "theme id %q is already used at line %d; give one of them another id", t.ID, prevLine)
	}
	return p.errorf(line, col, "theme id %q (made from the name %q) is already used at line %d; give one of them another id",
		t.ID, t.Name, prevLine)
}

// resolveLinks turns the refs into themes and fills Children and Parents in
// document order.
func (p *parser) resolveLinks() error {
	byID := make(map[string]*Theme, len(p.cb.Themes))
	for _, t := range p.cb.Themes {
		byID[t.ID] = t
	}
	type edge struct{ parent, child *Theme }
	listed := make(map[edge]int, len(p.links)) // line of the first entry
	for i := range p.links {
		l := &p.links[i]
		if l.child == nil {
			l.child = byID[l.ref.Value]
			if l.child == nil {
				return p.dangling(l.ref)
			}
		}
		e := edge{l.parent, l.child}
		if line, ok := listed[e]; ok {
			return p.errorf(l.at.Line, l.at.Col, "theme %q is already a sub-theme of %q (line %d); list it once",
				l.child.ID, l.parent.ID, line)
		}
		listed[e] = l.at.Line
		l.parent.Children = append(l.parent.Children, l.child)
		p.childAt[l.parent] = append(p.childAt[l.parent], l.at)
		l.child.Parents = append(l.child.Parents, l.parent)
	}
	return nil
}

// dangling explains a ref to no theme: a near id, or the id of a theme whose
// name was given instead of its id.
func (p *parser) dangling(ref text) error {
	msg := fmt.Sprintf("ref %q names no theme id", ref.Value)
	ids := make([]string, len(p.cb.Themes))
	for i, t := range p.cb.Themes {
		ids[i] = t.ID
	}
	k := fold.Key(ref.Value)
	var byName *Theme
	for _, t := range p.cb.Themes {
		if fold.Key(t.Name) == k || fold.Key(t.ID) == k {
			byName = t
			break
		}
	}
	switch s := fold.Suggest(ref.Value, ids); {
	case byName != nil:
		msg += fmt.Sprintf("; did you mean %q (the id of theme %q)?", byName.ID, byName.Name)
	case s != "":
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return p.errorf(ref.Line, ref.Col, "%s", msg)
}
