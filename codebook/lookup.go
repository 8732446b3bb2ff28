package codebook

import (
	"slices"

	"github.com/synth-qda/synth/internal/fold"
)

// index holds what the lookups need. Parse builds it; for a Codebook built
// by hand, or whose Codes or Themes have been added to since, each call
// builds a fresh one. (A codebook from Parse is meant to be read, not
// changed: renaming a code in place is not noticed.)
type index struct {
	codes, themes int              // len(Codes), len(Themes) when built
	byKey         map[string]*Code // fold.Key of each name and alias
	spellings     []string         // names and aliases, for Suggest
	order         map[string]int   // canonical name → place in Codes
	byID          map[string]*Theme
}

func newIndex(cb *Codebook) *index {
	x := &index{
		codes:  len(cb.Codes),
		themes: len(cb.Themes),
		byKey:  make(map[string]*Code, len(cb.Codes)),
		order:  make(map[string]int, len(cb.Codes)),
		byID:   make(map[string]*Theme, len(cb.Themes)),
	}
	add := func(s string, c *Code) {
		k := fold.Key(s)
		if _, ok := x.byKey[k]; !ok {
			x.byKey[k] = c
			x.spellings = append(x.spellings, s)
		}
	}
	for i, c := range cb.Codes {
		add(c.Name, c)
		if _, ok := x.order[c.Name]; !ok {
			x.order[c.Name] = i
		}
	}
	for _, c := range cb.Codes {
		for _, a := range c.Aliases {
			add(a, c)
		}
	}
	for _, t := range cb.Themes {
		if _, ok := x.byID[t.ID]; !ok {
			x.byID[t.ID] = t
		}
	}
	return x
}

func (cb *Codebook) index() *index {
	if x := cb.idx; x != nil && x.codes == len(cb.Codes) && x.themes == len(cb.Themes) {
		return x
	}
	return newIndex(cb)
}

// Lookup returns the canonical spelling of the code that name stands for,
// matching names and aliases after fold.Key (NFC, case folding, trimmed and
// collapsed white space).
func (cb *Codebook) Lookup(name string) (canonical string, ok bool) {
	if c := cb.index().byKey[fold.Key(name)]; c != nil {
		return c.Name, true
	}
	return "", false
}

// Suggest returns the canonical name of the code whose name or alias is
// nearest to name, for a "did you mean" hint, or "" when none is close.
func (cb *Codebook) Suggest(name string) string {
	x := cb.index()
	s := fold.Suggest(name, x.spellings)
	if s == "" {
		return ""
	}
	return x.byKey[fold.Key(s)].Name
}

// Code returns the code whose name (not alias) matches name after fold.Key,
// or nil. Use Lookup first to resolve an alias.
func (cb *Codebook) Code(name string) *Code {
	c := cb.index().byKey[fold.Key(name)]
	if c == nil || fold.Key(c.Name) != fold.Key(name) {
		return nil
	}
	return c
}

// Theme returns the theme with id, or nil.
func (cb *Codebook) Theme(id string) *Theme {
	return cb.index().byID[id]
}

// FindTheme returns the theme a user means by s on the command line: the
// theme with id s, else the first theme (in Themes order) whose name matches
// s after fold.Key, else the one whose id matches s after fold.Key; or nil.
func (cb *Codebook) FindTheme(s string) *Theme {
	if t := cb.Theme(s); t != nil {
		return t
	}
	k := fold.Key(s)
	for _, t := range cb.Themes {
		if fold.Key(t.Name) == k {
			return t
		}
	}
	for _, t := range cb.Themes {
		if fold.Key(t.ID) == k {
			return t
		}
	}
	return nil
}

// Descendants returns the themes below t, each once, in pre-order: a child,
// its descendants, then the next child. t itself is not included.
func (cb *Codebook) Descendants(t *Theme) []*Theme {
	var out []*Theme
	seen := map[*Theme]bool{t: true}
	stack := slices.Clone(t.Children)
	slices.Reverse(stack)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
		for i := len(c.Children) - 1; i >= 0; i-- {
			if !seen[c.Children[i]] {
				stack = append(stack, c.Children[i])
			}
		}
	}
	return out
}

// Closure returns the codes that support t: its own codes and those of all
// its descendants, each once, in the order of cb.Codes. (A code missing from
// Codes, possible only in a Codebook built by hand, comes last.)
func (cb *Codebook) Closure(t *Theme) []string {
	x := cb.index()
	seen := map[string]bool{}
	var known []int
	var other []string
	add := func(th *Theme) {
		for _, c := range th.Codes {
			if seen[c] {
				continue
			}
			seen[c] = true
			if i, ok := x.order[c]; ok {
				known = append(known, i)
			} else {
				other = append(other, c)
			}
		}
	}
	add(t)
	for _, d := range cb.Descendants(t) {
		add(d)
	}
	slices.Sort(known)
	out := make([]string, 0, len(known)+len(other))
	for _, i := range known {
		out = append(out, cb.Codes[i].Name)
	}
	return append(out, other...)
}
