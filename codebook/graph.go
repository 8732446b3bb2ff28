package codebook

import (
	"strings"
)

// checkGraph refuses cycles (a theme that is its own ancestor through refs)
// and chains of themes longer than MaxDepth. The walk is iterative, so a
// deep hierarchy costs heap, not stack, and it visits each link once.
func (p *parser) checkGraph() error {
	const (
		unseen = iota
		open   // on the current path
		done
	)
	state := make(map[*Theme]uint8, len(p.cb.Themes))
	height := make(map[*Theme]int, len(p.cb.Themes)) // themes in the longest chain down from t
	var path []frame
	for _, root := range p.cb.Roots {
		if state[root] != unseen {
			continue
		}
		state[root] = open
		path = append(path[:0], frame{t: root})
		for len(path) > 0 {
			f := &path[len(path)-1]
			if i := f.next; i < len(f.t.Children) {
				f.next++
				c := f.t.Children[i]
				switch state[c] {
				case open:
					at := p.childAt[f.t][i]
					return p.errorf(at.Line, at.Col, "theme %q contains itself: %s; remove this ref or another one in the chain",
						c.ID, chain(path, c))
				case unseen:
					state[c] = open
					path = append(path, frame{t: c})
				}
				continue
			}
			h := 1
			for _, c := range f.t.Children {
				h = max(h, height[c]+1)
			}
			if h > MaxDepth {
				return p.errorf(f.t.Line, f.t.Col, "theme %q has sub-themes nested more than %d levels deep through ref:; check its refs",
					f.t.ID, MaxDepth)
			}
			height[f.t] = h
			state[f.t] = done
			path = path[:len(path)-1]
		}
	}
	return nil
}

// frame is a theme on the path of a depth-first walk.
type frame struct {
	t    *Theme
	next int // next child to visit
}

// chain spells the cycle that closes at c: the path from c down to the
// theme whose ref leads back to c, then c again.
func chain(path []frame, c *Theme) string {
	var ids []string
	for _, f := range path {
		if f.t == c || len(ids) > 0 {
			ids = append(ids, f.t.ID)
		}
	}
	ids = append(ids, c.ID)
	if len(ids) > 12 {
		ids = append(append(ids[:5:5], "…"), ids[len(ids)-5:]...)
	}
	return strings.Join(ids, " → ")
}
