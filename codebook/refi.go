package codebook

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"github.com/synth-qda/synth/internal/fold"
)

// The REFI-QDA 1.5 Codebook.xsd patterns of a code's guid (GUIDType) and
// color (RGBType).
var (
	guidPattern  = regexp.MustCompile(`^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`)
	colorPattern = regexp.MustCompile(`^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$`)
)

// IsGUID reports whether s is a GUID as REFI-QDA 1.5 writes one (GUIDType:
// 8-4-4-4-12 hex digits, with or without braces).
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// IsColor reports whether s is a colour as REFI-QDA 1.5 writes one
// (RGBType: #rgb or #rrggbb).
func IsColor(s string) bool { return colorPattern.MatchString(s) }

// GUIDKey is the form in which GUIDs are compared: without braces, lower
// case (the schema allows both spellings of one GUID).
func GUIDKey(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}"))
}

// guidNamespace is the namespace of the name-based GUIDs synth makes for
// codes and themes that codebook.yaml gives none.
var guidNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/synth-qda/synth/codebook.yaml"))

// REFIGUID is the code's GUID in a REFI-QDA codebook: the guid given in
// codebook.yaml, else a name-based UUID (RFC 9562 version 5, SHA-1) of the
// code's name as synth matches it, so that every export of the codebook
// gives the code the same GUID.
func (c *Code) REFIGUID() string {
	if c.GUID != "" {
		return c.GUID
	}
	return uuid.NewSHA1(guidNamespace, []byte("code\x00"+fold.Key(c.Name))).String()
}

// REFIGUID is the theme's GUID in a REFI-QDA codebook: the guid given in
// codebook.yaml, else a name-based UUID (version 5) of the theme's id.
func (t *Theme) REFIGUID() string {
	if t.GUID != "" {
		return t.GUID
	}
	return uuid.NewSHA1(guidNamespace, []byte("theme\x00"+t.ID)).String()
}

// guidUse is a guid given in codebook.yaml, with what it was given to.
type guidUse struct {
	code bool   // a code's, else a theme's
	name string // the code's or theme's name
	at   text
}

func (u guidUse) String() string {
	if u.code {
		return fmt.Sprintf("code %q", u.name)
	}
	return fmt.Sprintf("theme %q", u.name)
}

// refiFields checks the guid and color of a code or theme against the
// REFI-QDA patterns and returns them trimmed.
func (p *parser) refiFields(code bool, name string, guid, color text) (string, string, error) {
	u := guidUse{code: code, name: name, at: guid}
	g, c := strings.TrimSpace(guid.Value), strings.TrimSpace(color.Value)
	if guid.Set() {
		if !IsGUID(g) {
			return "", "", p.errorf(guid.Line, guid.Col, "%s has guid %q, which is not a GUID (8-4-4-4-12 hex digits, as REFI-QDA writes them); correct it or leave guid out", u, g)
		}
		p.guids = append(p.guids, u)
	}
	if color.Set() && !IsColor(c) {
		return "", "", p.errorf(color.Line, color.Col, "%s has color %q, which is not #rgb or #rrggbb (e.g. #ff8800); correct it or leave color out", u, c)
	}
	return g, c, nil
}

// checkGUIDs refuses a guid given twice, except to a theme and a code of
// the same name: the theme built over that code, which are one REFI-QDA
// code that has sub-codes and may itself be applied.
func (p *parser) checkGUIDs() error {
	first := map[string]guidUse{}
	for _, u := range p.guids {
		k := GUIDKey(u.at.Value)
		prev, ok := first[k]
		if !ok {
			first[k] = u
			continue
		}
		if prev.code != u.code && fold.Key(prev.name) == fold.Key(u.name) {
			continue
		}
		return p.errorf(u.at.Line, u.at.Col, "%s has guid %s, which %s already has (line %d); a GUID names one code or theme", u, strings.TrimSpace(u.at.Value), prev, prev.at.Line)
	}
	return nil
}
