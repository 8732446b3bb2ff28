package main

// The REFI-QDA code tree as codebook.yaml, for synth import qdpx and synth
// import qdc.
//
//   - A code that may be applied is a codebook code: its name (told apart
//     from namesakes as "Parent › Name", see refi.CodeNames), its
//     description as definition, its guid and color (REFI-QDA's, kept so
//     that synth export qdc gives them back).
//   - A code with sub-codes is also a theme of the same name, with the same
//     guid and color: its own code first, then its sub-codes without
//     sub-codes, and a sub-theme for each sub-code that has some.
//   - From a .qdc, a code that only groups others (isCodable="false") is a
//     theme and not a code, even without sub-codes; a project's codes are
//     all codes, since programs let a reviewer apply any of them.
//   - From a .qdc, a Set named after a theme whose first member is that
//     theme states the theme's codes and sub-themes in order (as synth
//     export qdc writes a theme whose members sit under several themes);
//     members that sit elsewhere in the tree are reused there with ref:.
//     Any other Set (ATLAS.ti's and MAXQDA's code groups) is a top-level
//     theme after the tree's, over its member codes and themes.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/refi"
	"go.yaml.in/yaml/v3"
)

type codeTree struct {
	cb    *refi.Codebook
	qdc   bool
	names map[*refi.Code]string
	ids   map[*refi.Code]string
	guid  map[*refi.Code]string // the GUIDs written: valid ones, each once

	members map[*refi.Code][]*refi.Code // a theme's members from its Set
	groups  []*refi.Code                // other Sets, as top-level themes
	edges   map[*refi.Code][]*refi.Code // theme → sub-themes, for cycles

	themes, depths int
	codes          int
	skipped        importSkipped
}

func newCodeTree(cb *refi.Codebook, qdc bool) *codeTree {
	t := &codeTree{cb: cb, qdc: qdc, names: refi.CodeNames(cb, qdc), guid: map[*refi.Code]string{},
		members: map[*refi.Code][]*refi.Code{}, edges: map[*refi.Code][]*refi.Code{}}
	used := map[string]bool{}
	keep := func(c *refi.Code) {
		g := strings.TrimSpace(c.GUID)
		switch k := codebook.GUIDKey(g); {
		case !codebook.IsGUID(g):
			if t.qdc {
				t.skipped.add("guid", t.names[c])
			}
		case used[k]:
			t.skipped.add("repeated-guid", t.names[c])
		default:
			used[k] = true
			t.guid[c] = g
		}
	}
	cb.Walk(func(c *refi.Code, depth int) {
		keep(c)
		if n := t.names[c]; n != refi.CleanName(c.Name) {
			t.skipped.add("renamed", n) // a namesake's parents or number, or no name
		}
		if t.isCode(c) {
			t.codes++
		}
		if t.isTheme(c) {
			t.themes++
			t.depths = max(t.depths, depth+1)
			for _, k := range c.Children {
				if t.isTheme(k) {
					t.edges[c] = append(t.edges[c], k)
				}
			}
		}
	})
	if qdc {
		t.readSets(keep)
	}
	t.ids = themeIDs(t.themeList(), t.names)
	return t
}

func (t *codeTree) isTheme(c *refi.Code) bool { return len(c.Children) > 0 || t.qdc && !c.IsCodable }
func (t *codeTree) isCode(c *refi.Code) bool  { return !t.qdc || c.IsCodable }

// themeList is every theme: the tree's in pre-order, then the groups.
func (t *codeTree) themeList() []*refi.Code {
	var out []*refi.Code
	t.cb.Walk(func(c *refi.Code, _ int) {
		if t.isTheme(c) {
			out = append(out, c)
		}
	})
	return append(out, t.groups...)
}

// readSets turns the Sets into theme members and groups.
func (t *codeTree) readSets(keep func(*refi.Code)) {
	byGUID := map[string]*refi.Code{}
	t.cb.Walk(func(c *refi.Code, _ int) {
		if k := codebook.GUIDKey(c.GUID); byGUID[k] == nil {
			byGUID[k] = c
		}
	})
	for i, s := range t.cb.Sets {
		name := refi.CleanName(s.Name)
		if name == "" {
			name = "Set " + strconv.Itoa(i+1)
		}
		var ms []*refi.Code
		for _, g := range s.Codes {
			c := byGUID[codebook.GUIDKey(g)]
			if c == nil {
				t.skipped.add("member", name)
				continue
			}
			if !slices.Contains(ms, c) {
				ms = append(ms, c)
			}
		}
		if len(ms) == 0 {
			t.skipped.add("empty-set", name)
			continue
		}
		if owner := ms[0]; t.isTheme(owner) && t.members[owner] == nil && fold.Key(name) == fold.Key(refi.CleanName(owner.Name)) {
			var list []*refi.Code
			for _, m := range ms[1:] {
				if t.isTheme(m) && m.Parent != owner && (m == owner || t.reaches(m, owner)) {
					t.skipped.add("cycle", t.names[m])
					continue
				}
				if t.isTheme(m) && m.Parent != owner {
					t.edges[owner] = append(t.edges[owner], m)
				}
				list = append(list, m)
			}
			t.members[owner] = list
			continue
		}
		g := &refi.Code{GUID: s.GUID, Name: name, Description: s.Description}
		keep(g)
		t.names[g] = name
		t.members[g] = ms
		t.groups = append(t.groups, g)
		t.themes++
		t.depths = max(t.depths, 1)
	}
}

// reaches reports whether theme to is from or under it.
func (t *codeTree) reaches(from, to *refi.Code) bool {
	seen := map[*refi.Code]bool{}
	var walk func(*refi.Code) bool
	walk = func(c *refi.Code) bool {
		if c == to {
			return true
		}
		if seen[c] {
			return false
		}
		seen[c] = true
		return slices.ContainsFunc(t.edges[c], walk)
	}
	return walk(from)
}

// yaml renders codebook.yaml with head as its comment.
func (t *codeTree) yaml(head string) ([]byte, error) {
	var codes []*yaml.Node
	t.cb.Walk(func(c *refi.Code, _ int) {
		if !t.isCode(c) {
			return
		}
		code := yMap(yStr("name"), yStr(t.names[c]))
		if d := refiText(c.Description); d != "" {
			code.Content = append(code.Content, yStr("definition"), yStr(d))
		}
		codes = append(codes, t.identity(code, c)...)
	})
	levels := ySeq()
	levels.Style = yaml.FlowStyle
	names := codebook.DefaultLevels
	if t.depths == 1 {
		names = []string{"descriptive"}
	}
	for _, l := range names {
		levels.Content = append(levels.Content, yStr(l))
	}
	doc := yMap(yStr("version"), yInt(1), yStr("levels"), levels)
	if len(codes) > 0 {
		doc.Content = append(doc.Content, yStr("codes"), ySeq(codes...))
	}
	var themes []*yaml.Node
	for _, c := range t.cb.Codes {
		if t.isTheme(c) {
			themes = append(themes, t.theme(c))
		}
	}
	for _, g := range t.groups {
		themes = append(themes, t.theme(g))
	}
	if len(themes) > 0 {
		doc.Content = append(doc.Content, yStr("themes"), ySeq(themes...))
	}
	return encodeYAML(head, doc)
}

// identity adds a code's or theme's guid and color to its mapping; it
// returns the mapping alone, for append.
func (t *codeTree) identity(m *yaml.Node, c *refi.Code) []*yaml.Node {
	if g := t.guid[c]; g != "" {
		m.Content = append(m.Content, yStr("guid"), yStr(g))
	}
	if c.Color != "" {
		m.Content = append(m.Content, yStr("color"), yStr(c.Color))
	}
	return []*yaml.Node{m}
}

// theme renders theme c and the sub-themes defined under it.
func (t *codeTree) theme(c *refi.Code) *yaml.Node {
	m := yMap(yStr("name"), yStr(t.names[c]))
	if id := t.ids[c]; id != codebook.Slug(t.names[c]) {
		m.Content = append(m.Content, yStr("id"), yStr(id))
	}
	t.identity(m, c)
	if d := refiText(c.Description); d != "" && !t.isCode(c) {
		m.Content = append(m.Content, yStr("description"), yStr(d))
	}
	list, ok := t.members[c]
	if !ok {
		list = c.Children
	} else {
		for _, k := range c.Children {
			if !slices.Contains(list, k) {
				list = append(list, k)
			}
		}
	}
	codes, subs := ySeq(), ySeq()
	if t.isCode(c) {
		codes.Content = append(codes.Content, yStr(t.names[c]))
	}
	for _, k := range list {
		switch {
		case !t.isTheme(k):
			codes.Content = append(codes.Content, yStr(t.names[k]))
		case k.Parent == c:
			subs.Content = append(subs.Content, t.theme(k))
		default:
			subs.Content = append(subs.Content, yMap(yStr("ref"), yStr(t.ids[k])))
		}
	}
	if len(codes.Content) > 0 {
		m.Content = append(m.Content, yStr("codes"), codes)
	}
	if len(subs.Content) > 0 {
		m.Content = append(m.Content, yStr("themes"), subs)
	}
	return m
}

// warning counts and names what of the codebook could not be kept.
func (t *codeTree) warning() (importWarning, bool) {
	s := t.skipped
	if len(s.order) == 0 {
		return importWarning{}, false
	}
	var parts []string
	for _, k := range s.order {
		part := fmt.Sprintf("%d %s", s.n[k], pluralOf(s.n[k], treeSkips[k][0], treeSkips[k][1]))
		if l := s.listed(k); l != "" {
			part += " (" + l + ")"
		}
		parts = append(parts, part)
	}
	return importWarning{"codebook-kept-apart", strings.Join(parts, "; ")}, true
}

var treeSkips = map[string][2]string{
	"renamed":       {"code is named apart from a namesake, or had no name", "codes are named apart from namesakes, or had no name"},
	"guid":          {"code's guid is not a GUID and was left out; synth export qdc will make one", "codes' guids are not GUIDs and were left out; synth export qdc will make them"},
	"repeated-guid": {"code repeats another's guid, which was left out", "codes repeat another's guid, which was left out"},
	"member":        {"set member names no code and was left out", "set members name no code and were left out"},
	"empty-set":     {"set has no member code and is not a theme", "sets have no member code and are not themes"},
	"cycle":         {"set member would make a theme contain itself and was left out", "set members would make a theme contain itself and were left out"},
}

// refiText is a description as codebook.yaml keeps it.
func refiText(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}

// themeIDs gives each theme the slug of its name (the codebook's default
// id) when no theme before it has that id, else the slug with the first
// free number ("barriers-2"), or theme-N for a name with no letter or digit
// to slug. A number never takes another theme's slug.
func themeIDs(themes []*refi.Code, names map[*refi.Code]string) map[*refi.Code]string {
	natural := map[string]bool{}
	for _, c := range themes {
		natural[codebook.Slug(names[c])] = true
	}
	ids := map[*refi.Code]string{}
	taken := map[string]bool{}
	for _, c := range themes {
		id := codebook.Slug(names[c])
		if id == "" || taken[id] {
			base, n := id, 2
			if base == "" {
				base, n = "theme", 1
			}
			for ; ; n++ {
				id = base + "-" + strconv.Itoa(n)
				if !taken[id] && !natural[id] {
					break
				}
			}
		}
		taken[id] = true
		ids[c] = id
	}
	return ids
}
