package codebook

// Writing codebook.yaml by changing the YAML document a reviewer wrote,
// rather than printing a new one, so that comments, key order and every key
// synth does not change (findings, CERQual, quotes, aliases, ids, levels)
// stay as they were.

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"github.com/synth-qda/synth/internal/fold"
	"go.yaml.in/yaml/v3"
)

// MergeReport says what Merge did.
type MergeReport struct {
	Updated, Added int      // codes and themes of the new codebook matched, and not
	Kept           []string // codes and themes only the old codebook has, kept ("code X", "theme Y")
	Renamed        int      // codes whose old name became an alias
}

// Merge brings the codes and themes of fresh (a codebook.yaml, such as
// synth import qdc writes from a REFI-QDA codebook) into old, the
// codebook.yaml a reviewer keeps, and returns the new text of old. file
// names old in messages.
//
// A code or theme of fresh matches the one of old with the same GUID
// (REFIGUID, so a guid synth made for an export matches too), else the one
// with the same name (fold.Key). The rules:
//   - fresh decides the hierarchy: which codes each theme has and which
//     themes sit under which, in its order; matched themes keep their id,
//     finding, CERQual, quotes and comments, and take fresh's name, guid,
//     color and description; matched codes keep their aliases and take
//     fresh's name, definition, guid and color (a fresh value that is empty
//     keeps the old one). A code renamed in fresh keeps its old name as an
//     alias, so extracts coded with it still match.
//   - Codes and themes only old has are kept where they were (a theme under
//     a theme it was under, else at the top level) and listed in Kept; a
//     reviewer deletes them by hand if the other program removed them.
//   - New themes take fresh's id, numbered when old has it already.
//
// Errors are a *ParseError in old, or an error if the result would not
// parse, which is a bug.
func Merge(file string, old, fresh []byte) ([]byte, MergeReport, error) {
	var rep MergeReport
	oldCB, err := Parse(file, old)
	if err != nil {
		return nil, rep, err
	}
	newCB, err := Parse(file, fresh)
	if err != nil {
		return nil, rep, fmt.Errorf("the codebook to merge does not read (%v); please report this", err)
	}
	var oldDoc, newDoc yaml.Node
	if err := yaml.Unmarshal(old, &oldDoc); err != nil {
		return nil, rep, err
	}
	if err := yaml.Unmarshal(fresh, &newDoc); err != nil {
		return nil, rep, err
	}
	m := &merger{old: oldCB, fresh: newCB, rep: &rep,
		codeOf: map[*yaml.Node]*Code{}, themeOf: map[*yaml.Node]*Theme{},
		codeMatch: map[*Code]*Code{}, themeMatch: map[*Theme]*Theme{}, codeBack: map[*Code]*Code{}, themeBack: map[*Theme]*Theme{},
		oldCode: map[*Code]*yaml.Node{}, oldTheme: map[*Theme]*yaml.Node{}, id: map[string]string{},
		defParent: map[*Theme]*Theme{}, freshNode: map[*Theme]*yaml.Node{}, home: map[*Theme]*Theme{}}
	oldRoot, newRoot := oldDoc.Content[0], newDoc.Content[0]
	m.index(oldRoot, oldCB, true)
	m.index(newRoot, newCB, false)
	m.match()

	// codes: keeps the reviewer's order; codes new to it follow, in
	// fresh's order.
	codes := &yaml.Node{Kind: yaml.SequenceNode}
	var added []*yaml.Node
	updated := map[*yaml.Node]*yaml.Node{} // old mapping → updated
	for _, n := range items(value(newRoot, "codes")) {
		out := m.code(n)
		if out == n {
			added = append(added, n)
		} else {
			updated[out] = out
		}
	}
	for _, n := range items(value(oldRoot, "codes")) {
		c := m.codeOf[n]
		switch {
		case updated[n] != nil:
			codes.Content = append(codes.Content, n)
		case c != nil && m.codeMatched(c) == nil:
			codes.Content = append(codes.Content, n)
			rep.Kept = append(rep.Kept, fmt.Sprintf("code %q", c.Name))
		}
	}
	codes.Content = append(codes.Content, added...)
	themes := &yaml.Node{Kind: yaml.SequenceNode}
	for _, n := range items(value(newRoot, "themes")) {
		themes.Content = append(themes.Content, m.theme(n))
	}
	for _, n := range items(value(oldRoot, "themes")) {
		if t := m.themeOf[n]; t != nil && m.themeMatched(t) == nil {
			themes.Content = append(themes.Content, m.kept(n))
		}
	}
	setValue(oldRoot, "codes", codes)
	setValue(oldRoot, "themes", themes)

	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(&oldDoc); err != nil {
		return nil, rep, err
	}
	if err := e.Close(); err != nil {
		return nil, rep, err
	}
	if _, err := Parse(file, b.Bytes()); err != nil {
		return nil, rep, fmt.Errorf("the merged codebook does not read back (%v); please report this", err)
	}
	return b.Bytes(), rep, nil
}

type merger struct {
	old, fresh *Codebook
	rep        *MergeReport

	codeOf  map[*yaml.Node]*Code  // a mapping under codes: → its code
	themeOf map[*yaml.Node]*Theme // a theme's defining mapping → the theme
	oldCode map[*Code]*yaml.Node
	// oldTheme is the mapping that defines an old theme.
	oldTheme map[*Theme]*yaml.Node

	codeMatch  map[*Code]*Code // fresh → old
	themeMatch map[*Theme]*Theme
	codeBack   map[*Code]*Code // old → fresh
	themeBack  map[*Theme]*Theme
	id         map[string]string // a fresh theme id → its id in the result

	defParent map[*Theme]*Theme // the theme under which a theme is defined; nil at the top
	freshNode map[*Theme]*yaml.Node
	// home is the fresh theme under which a fresh theme is defined in the
	// result: where old defined it when fresh has it there too (so that its
	// level stays), else where fresh defines it.
	home map[*Theme]*Theme
}

// index finds the mapping of each code and theme of cb by its place.
func (m *merger) index(root *yaml.Node, cb *Codebook, old bool) {
	codeAt := map[[2]int]*Code{}
	for _, c := range cb.Codes {
		codeAt[[2]int{c.Line, c.Col}] = c
	}
	for _, n := range items(value(root, "codes")) {
		if c := codeAt[[2]int{n.Line, n.Column}]; c != nil {
			m.codeOf[n] = c
			if old {
				m.oldCode[c] = n
			}
		}
	}
	themeAt := map[[2]int]*Theme{}
	for _, t := range cb.Themes {
		themeAt[[2]int{t.Line, t.Col}] = t
	}
	var walk func(*yaml.Node, *Theme)
	walk = func(list *yaml.Node, parent *Theme) {
		for _, n := range items(list) {
			t := themeAt[[2]int{n.Line, n.Column}]
			if t != nil && value(n, "ref") == nil {
				m.themeOf[n] = t
				m.defParent[t] = parent
				if old {
					m.oldTheme[t] = n
				} else {
					m.freshNode[t] = n
				}
			}
			walk(value(n, "themes"), t)
		}
	}
	walk(value(root, "themes"), nil)
}

// match pairs fresh codes and themes with old ones: by GUID, then by name;
// each fresh one takes the first old one, in codebook order, not yet taken.
func (m *merger) match() {
	taken := map[*Code]bool{}
	codeGUID := indexBy(m.old.Codes, func(o *Code) string { return GUIDKey(o.REFIGUID()) })
	codeName := indexBy(m.old.Codes, func(o *Code) string { return fold.Key(o.Name) })
	for _, c := range m.fresh.Codes {
		if c.GUID != "" {
			if o := firstFree(codeGUID[GUIDKey(c.GUID)], taken); o != nil {
				m.codeMatch[c], taken[o] = o, true
			}
		}
	}
	for _, c := range m.fresh.Codes {
		if m.codeMatch[c] == nil {
			if o := firstFree(codeName[fold.Key(c.Name)], taken); o != nil {
				m.codeMatch[c], taken[o] = o, true
			}
		}
	}
	tTaken := map[*Theme]bool{}
	themeGUID := indexBy(m.old.Themes, func(o *Theme) string { return GUIDKey(o.REFIGUID()) })
	themeName := indexBy(m.old.Themes, func(o *Theme) string { return fold.Key(o.Name) })
	for _, t := range m.fresh.Themes {
		if t.GUID != "" {
			if o := firstFree(themeGUID[GUIDKey(t.GUID)], tTaken); o != nil {
				m.themeMatch[t], tTaken[o] = o, true
			}
		}
	}
	for _, t := range m.fresh.Themes {
		if m.themeMatch[t] == nil {
			if o := firstFree(themeName[fold.Key(t.Name)], tTaken); o != nil {
				m.themeMatch[t], tTaken[o] = o, true
			}
		}
	}
	// Ids: a matched theme keeps its old id; a new one its fresh id,
	// numbered past the ids in use.
	used := map[string]bool{}
	for _, t := range m.fresh.Themes {
		if o := m.themeMatch[t]; o != nil {
			m.id[t.ID] = o.ID
			used[o.ID] = true
		}
	}
	for _, o := range m.old.Themes {
		if !tTaken[o] {
			used[o.ID] = true
		}
	}
	for _, t := range m.fresh.Themes {
		if m.themeMatch[t] != nil {
			continue
		}
		id := t.ID
		for i := 2; used[id]; i++ {
			id = t.ID + "-" + strconv.Itoa(i)
		}
		used[id] = true
		m.id[t.ID] = id
	}
	for c, o := range m.codeMatch {
		m.codeBack[o] = c
	}
	for t, o := range m.themeMatch {
		m.themeBack[o] = t
	}
	for _, t := range m.fresh.Themes {
		m.home[t] = m.defParent[t]
		if o := m.themeMatch[t]; o != nil && m.defParent[o] != nil {
			if p := m.themeBack[m.defParent[o]]; p != nil && slices.Contains(p.Children, t) {
				m.home[t] = p
			}
		}
	}
}

// indexBy lists xs by key, each list in the order of xs.
func indexBy[T any](xs []T, key func(T) string) map[string][]T {
	m := make(map[string][]T, len(xs))
	for _, x := range xs {
		k := key(x)
		m[k] = append(m[k], x)
	}
	return m
}

// firstFree is the first of xs not taken, or nil.
func firstFree[T comparable](xs []T, taken map[T]bool) T {
	for _, x := range xs {
		if !taken[x] {
			return x
		}
	}
	var zero T
	return zero
}

// codeMatched is the fresh code matched to old code o, or nil.
func (m *merger) codeMatched(o *Code) *Code { return m.codeBack[o] }

// themeMatched is the fresh theme matched to old theme o, or nil.
func (m *merger) themeMatched(o *Theme) *Theme { return m.themeBack[o] }

// code is the entry for fresh code mapping n: the old entry updated, or n.
func (m *merger) code(n *yaml.Node) *yaml.Node {
	c := m.codeOf[n]
	o := m.codeMatch[c]
	if c == nil || o == nil || m.oldCode[o] == nil {
		m.rep.Added++
		return n
	}
	m.rep.Updated++
	on := m.oldCode[o]
	if fold.Key(o.Name) != fold.Key(c.Name) {
		aliases := value(on, "aliases")
		if aliases == nil {
			aliases = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			setValue(on, "aliases", aliases)
		}
		aliases.Content = append(aliases.Content, scalar(o.Name))
		m.rep.Renamed++
	}
	setScalar(on, "name", c.Name)
	guid := c.GUID
	if GUIDKey(guid) == GUIDKey((&Code{Name: c.Name}).REFIGUID()) && value(on, "guid") == nil {
		// The name-based GUID synth makes for the code's name: no need
		// to write it. A code renamed in the program keeps the GUID made
		// from its old name, which must then be written.
		guid = ""
	}
	for _, kv := range [][2]string{{"definition", c.Definition}, {"guid", guid}, {"color", c.Color}} {
		if kv[1] != "" {
			setScalar(on, kv[0], kv[1])
		}
	}
	return on
}

// theme is the entry for fresh theme mapping n (or a ref): the old
// definition updated with fresh's fields and members, or n with its refs
// renamed.
func (m *merger) theme(n *yaml.Node) *yaml.Node {
	if ref := value(n, "ref"); ref != nil {
		return refNode(m.id[ref.Value])
	}
	t := m.themeOf[n]
	o := m.themeMatch[t]
	out := n
	if o != nil && m.oldTheme[o] != nil {
		m.rep.Updated++
		out = m.oldTheme[o]
		setScalar(out, "name", t.Name)
		guid := t.GUID
		if GUIDKey(guid) == GUIDKey(o.REFIGUID()) && value(out, "guid") == nil {
			guid = ""
		}
		for _, kv := range [][2]string{{"guid", guid}, {"color", t.Color}, {"description", t.Description}} {
			if kv[1] != "" {
				setScalar(out, kv[0], kv[1])
			}
		}
		if o.ID != Slug(t.Name) || value(out, "id") != nil {
			setScalar(out, "id", o.ID)
		}
	} else {
		m.rep.Added++
		if id := m.id[t.ID]; id != t.ID || value(out, "id") != nil {
			setScalar(out, "id", id)
		}
	}
	codes := &yaml.Node{Kind: yaml.SequenceNode}
	if c := value(n, "codes"); c != nil {
		codes.Content = append(codes.Content, c.Content...)
	}
	subs := &yaml.Node{Kind: yaml.SequenceNode}
	for _, k := range t.Children {
		if m.home[k] == t && m.freshNode[k] != nil {
			subs.Content = append(subs.Content, m.theme(m.freshNode[k]))
		} else {
			subs.Content = append(subs.Content, refNode(m.id[k.ID]))
		}
	}
	if o != nil && out != n {
		// What only the old codebook has stays under this theme.
		for _, name := range o.Codes {
			if c := m.old.Code(name); c != nil && m.codeMatched(c) == nil {
				codes.Content = append(codes.Content, scalar(c.Name))
			}
		}
		for _, k := range items(value(out, "themes")) {
			if ref := value(k, "ref"); ref != nil {
				if r := m.old.Theme(ref.Value); r != nil && m.themeMatched(r) == nil {
					subs.Content = append(subs.Content, k)
				}
			} else if ot := m.themeOf[k]; ot != nil && m.themeMatched(ot) == nil {
				subs.Content = append(subs.Content, m.kept(k))
			}
		}
	}
	setValue(out, "codes", codes)
	setValue(out, "themes", subs)
	return out
}

// kept is an old theme that fresh does not have, kept as it was, except
// that a theme defined inside it which fresh has now is defined where fresh
// puts it, and is reused here with ref:.
func (m *merger) kept(n *yaml.Node) *yaml.Node {
	if t := m.themeOf[n]; t != nil {
		m.rep.Kept = append(m.rep.Kept, fmt.Sprintf("theme %q", t.Name))
	}
	subs := value(n, "themes")
	for i, k := range items(subs) {
		ot := m.themeOf[k]
		switch {
		case ot == nil:
		case m.themeMatched(ot) != nil:
			subs.Content[i] = refNode(ot.ID)
		default:
			subs.Content[i] = m.kept(k)
		}
	}
	return n
}

// YAML node helpers.

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// value is the value of key in mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// setValue sets key in mapping m to v, in place when m has the key, else
// at the end; an empty sequence removes the key.
func setValue(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				m.Content = append(m.Content[:i], m.Content[i+2:]...)
				return
			}
			old := m.Content[i+1]
			v.Style |= old.Style & yaml.FlowStyle
			v.HeadComment, v.LineComment, v.FootComment = old.HeadComment, old.LineComment, old.FootComment
			m.Content[i+1] = v
			return
		}
	}
	if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		return
	}
	m.Content = append(m.Content, scalar(key), v)
}

// setScalar sets key in mapping m to the text s, keeping the old value's
// comments.
func setScalar(m *yaml.Node, key, s string) {
	if old := value(m, key); old != nil && old.Kind == yaml.ScalarNode {
		if old.Value != s {
			old.Value, old.Tag, old.Style = s, "!!str", 0
		}
		return
	}
	setValue(m, key, scalar(s))
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func refNode(id string) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("ref"), scalar(id)}}
}
