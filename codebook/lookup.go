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
	exact         map[string]*Code // each name and alias as written
	spellings     []string         // names and aliases, for Suggest
	order         map[string]int   // canonical name → place in Codes
	byID          map[string]*Theme
}

func newIndex(cb *Codebook) *index {
	x := &index{
		codes:  len(cb.Codes),
		themes: len(cb.Themes),
		byKey:  make(map[string]*Code, len(cb.Codes)),
		exact:  make(map[string]*Code, len(cb.Codes)),
		order:  make(map[string]int, len(cb.Codes)),
		byID:   make(map[string]*Theme, len(cb.Themes)),
	}
	add := func(s string, c *Code) {
		if _, ok := x.exact[s]; !ok {
			x.exact[s] = c
		}
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
//
// Lookup runs once per code cell of every extract, so the spellings of the
// codebook itself, and ASCII names, skip the Unicode normalisation.
func (cb *Codebook) Lookup(name string) (canonical string, ok bool) {
	x := cb.index()
	c := x.exact[name]
	if c == nil {
		c = x.lookupKey(name)
	}
	if c == nil {
		return "", false
	}
	return c.Name, true
}

// lookupKey finds the code whose key is fold.Key(name).
func (x *index) lookupKey(name string) *Code {
	var buf [64]byte
	if k, ok := asciiKey(buf[:0], name); ok {
		return x.byKey[string(k)] // no allocation for the map index
	}
	return x.byKey[fold.Key(name)]
}

// asciiKey appends fold.Key(s) to buf when s is ASCII, where NFC changes
// nothing and case folding is lowering A–Z; ok is false otherwise.
func asciiKey(buf []byte, s string) (key []byte, ok bool) {
	space := false
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= 0x80:
			return nil, false
		case b == ' ' || '\t' <= b && b <= '\r': // unicode.IsSpace in ASCII
			space = len(buf) > 0
			continue
		case 'A' <= b && b <= 'Z':
			b += 'a' - 'A'
		}
		if space {
			buf = append(buf, ' ')
			space = false
		}
		buf = append(buf, b)
	}
	return buf, true
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
	c := cb.index().lookupKey(name)
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
