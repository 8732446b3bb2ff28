package refi

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/synth-qda/synth/internal/fold"
)

// CleanName is a name as synth matches it (Unicode NFC, trimmed, inner
// white space collapsed), without control characters or bytes that are
// not UTF-8.
func CleanName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		if r == '\uFFFE' || r == '\uFFFF' {
			return -1
		}
		return r
	}, s)
	return fold.Clean(s)
}

// PathSeparator joins the names of a code's parents before its own when
// that is what tells it apart: "Barriers › Cost".
const PathSeparator = " › "

// CodeNames gives every code a name that no other code shares by synth's
// matching (fold.Key): its own name (CleanName), else its parents' names
// before it joined by PathSeparator, as many as it takes, else a number
// after it (" (2)"). Codes without a name are "Unnamed code". With apart,
// codes that may be applied (IsCodable) and codes that only group others
// are named apart, since synth makes the first codes and the second only
// themes, which may share a name with a code.
func CodeNames(cb *Codebook, apart bool) map[*Code]string {
	names := map[*Code]string{}
	var groups [2][]*Code
	cb.Walk(func(c *Code, _ int) {
		g := 0
		if apart && !c.IsCodable {
			g = 1
		}
		groups[g] = append(groups[g], c)
	})
	for _, codes := range groups {
		nameApart(codes, names)
	}
	return names
}

func nameApart(codes []*Code, names map[*Code]string) {
	path := map[*Code][]string{}
	take := map[*Code]int{}
	for _, c := range codes {
		var segs []string
		for _, s := range c.Path() {
			if s = CleanName(s); s == "" {
				s = "Unnamed code"
			}
			segs = append(segs, s)
		}
		path[c] = segs
		take[c] = 1
	}
	show := func(c *Code) string {
		s := path[c]
		return strings.Join(s[len(s)-take[c]:], PathSeparator)
	}
	for changed := true; changed; {
		changed = false
		groups := map[string][]*Code{}
		for _, c := range codes {
			k := fold.Key(show(c))
			groups[k] = append(groups[k], c)
		}
		for _, c := range codes {
			if len(groups[fold.Key(show(c))]) > 1 && take[c] < len(path[c]) {
				take[c]++
				changed = true
			}
		}
	}
	used := map[string]bool{}
	var clash []*Code
	for _, c := range codes {
		if k := fold.Key(show(c)); !used[k] {
			used[k] = true
			names[c] = show(c)
		} else {
			clash = append(clash, c)
		}
	}
	for _, c := range clash {
		for i := 2; ; i++ {
			n := show(c) + " (" + strconv.Itoa(i) + ")"
			if k := fold.Key(n); !used[k] {
				used[k] = true
				names[c] = n
				break
			}
		}
	}
}
