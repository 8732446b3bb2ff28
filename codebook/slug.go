package codebook

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slug returns the default id of a theme named name: lowercase ASCII letters
// and digits, every run of anything else turned into one '-', with no '-' at
// either end. Accents are dropped (é → e, by NFD decomposition), and letters
// that do not decompose are spelled out (ß → ss, æ → ae, ø → o, ł → l).
// Letters of other scripts are dropped, so Slug may return "".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	add := func(r rune) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	for _, r := range norm.NFD.String(name) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			add(r)
		case spelled[r] != "":
			for _, s := range spelled[r] {
				add(s)
			}
		default:
			dash = true
		}
	}
	return b.String()
}

// spelled holds the Latin letters that NFD leaves whole.
var spelled = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŋ': "n", 'ĸ': "k",
}
