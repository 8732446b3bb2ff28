package refi

// Writing a REFI-QDA codebook (.qdc, Codebook.xsd of REFI-QDA 1.5) from
// codebook.yaml. REFI-QDA's codebook is a tree of codes; synth's is codes
// under a DAG of themes. The mapping, which ReadQDC and synth import qdc
// undo:
//   - A theme is a code that only groups others (isCodable="false"), with
//     its description and colour; under it, its own codes (isCodable="true",
//     with the code's definition as description), then its sub-themes.
//   - A theme whose first code has the theme's own name, and which has more
//     codes or sub-themes, is one applicable code with sub-codes
//     (isCodable="true"): what synth import makes of such a code.
//   - A code or theme under several themes is written once, under the first
//     in codebook order; each theme whose members the tree does not show
//     whole is also written as a Set named after the theme, whose first
//     MemberCode is the theme and the others are its codes, then its
//     sub-themes, in order.
//   - Codes no theme names are top-level codes after the themes.
//   - GUIDs are those codebook.yaml gives, else name-based UUIDs (see
//     codebook.Code.REFIGUID), so every export of a codebook is the same.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
)

// QDCNamespace is the namespace of Codebook.xsd.
const QDCNamespace = "urn:QDA-XML:codebook:1.0"

// setNamespace is the namespace of the name-based GUID of the Set that
// states a theme's members, made from the theme's GUID.
var setNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/synth-qda/synth/qdc/set"))

// FromCodebook maps a codebook onto the REFI-QDA code tree and sets that
// WriteQDC writes (see the mapping above). Origin is "synth".
func FromCodebook(cb *codebook.Codebook) (*Codebook, error) {
	m := &mapper{
		byName:  map[string]*codebook.Code{},
		code:    map[*codebook.Code]*Code{},
		theme:   map[*codebook.Theme]*Code{},
		paired:  map[*codebook.Theme]*codebook.Code{},
		synth:   map[*Code]string{},
		guidFor: map[string]string{},
	}
	for _, c := range cb.Codes {
		m.byName[fold.Key(c.Name)] = c
	}
	out := &Codebook{Origin: "synth"}
	for _, t := range cb.Roots {
		if m.theme[t] == nil {
			out.Codes = append(out.Codes, m.place(t, nil))
		}
	}
	for _, c := range cb.Codes {
		if m.code[c] == nil {
			out.Codes = append(out.Codes, m.leaf(c, nil))
		}
	}
	if len(out.Codes) == 0 {
		return nil, fmt.Errorf("%s has no codes and no themes, and a REFI-QDA codebook holds at least one code", cb.File)
	}
	for _, t := range cb.Themes {
		if set, ok := m.set(t); ok {
			out.Sets = append(out.Sets, set)
		}
	}
	if err := m.checkGUIDs(cb.File, out); err != nil {
		return nil, err
	}
	m.shortNames(out)
	return out, nil
}

type mapper struct {
	byName  map[string]*codebook.Code // fold.Key of a code's name
	code    map[*codebook.Code]*Code  // where each code is written
	theme   map[*codebook.Theme]*Code // where each theme is written
	paired  map[*codebook.Theme]*codebook.Code
	synth   map[*Code]string  // the name a written code has in codebook.yaml
	guidFor map[string]string // GUIDKey → what has it, for messages
}

func (m *mapper) leaf(c *codebook.Code, parent *Code) *Code {
	n := &Code{GUID: c.REFIGUID(), Name: c.Name, Description: c.Definition, Color: c.Color, IsCodable: true, Parent: parent}
	m.code[c] = n
	m.synth[n] = c.Name
	return n
}

// ownCodes are a theme's codes as codebook codes.
func (m *mapper) ownCodes(t *codebook.Theme) []*codebook.Code {
	out := make([]*codebook.Code, 0, len(t.Codes))
	for _, name := range t.Codes {
		if c := m.byName[fold.Key(name)]; c != nil {
			out = append(out, c)
		}
	}
	return out
}

// place writes theme t under parent, with the members not written before.
func (m *mapper) place(t *codebook.Theme, parent *Code) *Code {
	n := &Code{GUID: t.REFIGUID(), Name: t.Name, Description: t.Description, Color: t.Color, Parent: parent}
	m.theme[t] = n
	m.synth[n] = t.Name
	own := m.ownCodes(t)
	if len(own) > 0 && fold.Key(own[0].Name) == fold.Key(t.Name) && m.code[own[0]] == nil && (len(own) > 1 || len(t.Children) > 0) {
		c := own[0]
		m.paired[t] = c
		m.code[c] = n
		n.IsCodable = true
		if n.Description == "" {
			n.Description = c.Definition
		}
		if n.Color == "" {
			n.Color = c.Color
		}
		if t.GUID == "" && c.GUID != "" {
			n.GUID = c.GUID
		}
	}
	for _, c := range own {
		if m.code[c] == nil {
			n.Children = append(n.Children, m.leaf(c, n))
		}
	}
	for _, k := range t.Children {
		if m.theme[k] == nil {
			n.Children = append(n.Children, m.place(k, n))
		}
	}
	return n
}

// set is the Set that states t's members when the tree does not show them
// all under t.
func (m *mapper) set(t *codebook.Theme) (Set, bool) {
	n := m.theme[t]
	whole := true
	members := []string{n.GUID}
	for _, c := range m.ownCodes(t) {
		if c == m.paired[t] {
			continue
		}
		members = append(members, m.code[c].GUID)
		whole = whole && m.code[c].Parent == n
	}
	for _, k := range t.Children {
		members = append(members, m.theme[k].GUID)
		whole = whole && m.theme[k].Parent == n
	}
	if whole {
		return Set{}, false
	}
	return Set{
		GUID:        uuid.NewSHA1(setNamespace, []byte(codebook.GUIDKey(n.GUID))).String(),
		Name:        t.Name,
		Description: fmt.Sprintf("The codes and sub-themes of the theme %q, in order (written by synth: the code tree shows each under one theme only).", t.Name),
		Codes:       members,
	}, true
}

// checkGUIDs refuses two codes or themes written with one GUID (a guid in
// codebook.yaml equal to another's name-based one).
func (m *mapper) checkGUIDs(file string, cb *Codebook) error {
	var err error
	cb.Walk(func(c *Code, _ int) {
		k := codebook.GUIDKey(c.GUID)
		if prev, ok := m.guidFor[k]; ok && err == nil {
			err = fmt.Errorf("%s: %q and %q would have the same GUID %s in the REFI-QDA codebook; give one of them another guid", file, prev, m.synth[c], c.GUID)
		}
		m.guidFor[k] = m.synth[c]
	})
	return err
}

// shortNames writes "Parent › Name", as synth import names a code that
// shares its name with another, as "Name" under Parent where synth import
// would give it back its full name; CodeNames checks that it does.
func (m *mapper) shortNames(cb *Codebook) {
	var named []*Code
	cb.Walk(func(c *Code, _ int) {
		if c.Parent == nil || !strings.Contains(c.Name, PathSeparator) {
			return
		}
		parts := strings.Split(c.Name, PathSeparator)
		path := c.Parent.Path()
		for k := min(len(parts)-1, len(path)); k > 0; k-- {
			if fold.Key(strings.Join(parts[:k], PathSeparator)) == fold.Key(strings.Join(path[len(path)-k:], PathSeparator)) {
				c.Name = strings.Join(parts[k:], PathSeparator)
				named = append(named, c)
				break
			}
		}
	})
	for len(named) > 0 {
		names := CodeNames(cb, true)
		n := len(named)
		// A short name that does not come back as the code's name goes
		// back to synth's; the rest are tried again with it.
		named = slices.DeleteFunc(named, func(c *Code) bool {
			if names[c] != m.synth[c] {
				c.Name = m.synth[c]
				return true
			}
			return false
		})
		if len(named) == n {
			return
		}
	}
}

// WriteQDC writes cb as a REFI-QDA 1.5 codebook (Codebook.xsd): UTF-8, the
// codebook namespace, two-space indents, attributes in schema order. Text
// is escaped for XML, and characters XML 1.0 cannot hold become U+FFFD.
func WriteQDC(cb *Codebook) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<CodeBook xmlns="` + QDCNamespace + `"`)
	if cb.Origin != "" {
		b.WriteString(` origin="` + attr(cb.Origin) + `"`)
	}
	b.WriteString(">\n  <Codes>\n")
	var code func(c *Code, depth int)
	code = func(c *Code, depth int) {
		ind := strings.Repeat("  ", depth+2)
		fmt.Fprintf(&b, `%s<Code guid="%s" name="%s" isCodable="%t"`, ind, attr(c.GUID), attr(c.Name), c.IsCodable)
		if c.Color != "" {
			fmt.Fprintf(&b, ` color="%s"`, attr(c.Color))
		}
		if c.Description == "" && len(c.Children) == 0 {
			b.WriteString("/>\n")
			return
		}
		b.WriteString(">\n")
		if c.Description != "" {
			fmt.Fprintf(&b, "%s  <Description>%s</Description>\n", ind, text(c.Description))
		}
		for _, k := range c.Children {
			code(k, depth+1)
		}
		b.WriteString(ind + "</Code>\n")
	}
	for _, c := range cb.Codes {
		code(c, 0)
	}
	b.WriteString("  </Codes>\n")
	if len(cb.Sets) > 0 {
		b.WriteString("  <Sets>\n")
		for _, s := range cb.Sets {
			fmt.Fprintf(&b, "    <Set guid=\"%s\" name=\"%s\">\n", attr(s.GUID), attr(s.Name))
			if s.Description != "" {
				fmt.Fprintf(&b, "      <Description>%s</Description>\n", text(s.Description))
			}
			for _, g := range s.Codes {
				fmt.Fprintf(&b, "      <MemberCode guid=\"%s\"/>\n", attr(g))
			}
			b.WriteString("    </Set>\n")
		}
		b.WriteString("  </Sets>\n")
	}
	b.WriteString("</CodeBook>\n")
	return b.Bytes()
}

// attr escapes an attribute value: quotes, markup, and tabs and line
// breaks as character references so that they survive attribute
// normalisation.
func attr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// text escapes element content, keeping tabs and line feeds as they are.
func text(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.NewReplacer("&#xA;", "\n", "&#x9;", "\t").Replace(attr(s))
}
