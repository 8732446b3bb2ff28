// Package fold matches names the way reviewers expect: study values, code
// names and header names are equal after Unicode NFC, case folding, trimming
// and collapsing inner runs of white space.
package fold

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

var folder = cases.Fold()

// Key returns the matching key of s. Two names match when their keys are equal.
func Key(s string) string {
	if plainASCII(s) {
		return asciiLower(s)
	}
	return strings.Map(cherokee, folder.String(Clean(s)))
}

// cherokee folds Cherokee letters to their capital forms, as Unicode's
// CaseFolding.txt does; x/text's folder maps capitals to small letters and
// small to capitals, so without this "Ꮢ" and "ꮢ" would not match.
func cherokee(r rune) rune {
	switch {
	case r >= 0xAB70 && r <= 0xABBF:
		return 0x13A0 + (r - 0xAB70)
	case r >= 0x13F8 && r <= 0x13FD:
		return r - 8
	}
	return r
}

// plainASCII reports whether s is printable ASCII with single inner spaces
// and none at the ends: already clean, and folded by lowering its case. It
// is the common case, and the hot path when a million cells are matched.
func plainASCII(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && prevSpace {
			return false
		}
		prevSpace = c == ' '
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// Clean returns s in NFC with surrounding white space trimmed and inner runs
// of white space collapsed to one space, keeping its case: the canonical
// spelling of a name typed in a cell.
func Clean(s string) string {
	if plainASCII(s) {
		return s
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Suggest returns the candidate nearest to s, for a "did you mean" hint, or
// "" when none is close enough to be a plausible typo.
func Suggest(s string, candidates []string) string {
	key := []rune(Key(s))
	best, bestDist := "", -1
	for _, c := range candidates {
		ck := []rune(Key(c))
		d := distance(key, ck)
		limit := max(1, min(len(key), len(ck))/3)
		if d > limit {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance: insertions, deletions,
// substitutions and transpositions of adjacent runes each cost one.
func distance(a, b []rune) int {
	if len(a) == 0 {
		return len(b)
	}
	if len(b) == 0 {
		return len(a)
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
