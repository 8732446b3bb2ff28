package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/synthesis"
)

// DiffTables lays out a synthesis.Diff (synth diff) as tables: "changes",
// every codebook change a row (change, code or theme, before, after,
// details); and, when the diff compared two projects (Support not nil),
// "support", every theme a row with its studies and extracts before and
// after and the studies gained and lost, by label.
func DiffTables(d *synthesis.Diff) []Table {
	changes := Table{Name: "changes", Title: "Codebook changes",
		Header: []string{"Change", "Of", "Before", "After", "Details"}}
	for _, c := range d.Codebook.Codes {
		row := []string{string(c.Kind), "code", strings.Join(c.Old, "; "), strings.Join(c.New, "; "), ""}
		switch c.Kind {
		case codebook.Moved:
			row[4] = "themes naming it: " + orNone(c.OldThemes) + " → " + orNone(c.NewThemes)
		case codebook.Redefined:
			row[2], row[3] = c.OldDefinition, c.NewDefinition
			row[4] = "definition of " + c.New[0]
		}
		if c.By != "" {
			row[4] = foundBy(c.By)
		}
		changes.Rows = append(changes.Rows, row)
	}
	for _, t := range d.Codebook.Themes {
		row := []string{string(t.Kind), "theme", themeRefs(t.Old), themeRefs(t.New), ""}
		switch t.Kind {
		case codebook.Moved:
			row[4] = "parents: " + orTop(t.OldParents) + " → " + orTop(t.NewParents)
			if t.OldLevel != "" {
				row[4] += "; level: " + t.OldLevel + " → " + t.NewLevel
			}
		case codebook.CodesChanged:
			var parts []string
			if len(t.CodesAdded) > 0 {
				parts = append(parts, "codes added: "+strings.Join(t.CodesAdded, "; "))
			}
			if len(t.CodesRemoved) > 0 {
				parts = append(parts, "codes removed: "+strings.Join(t.CodesRemoved, "; "))
			}
			row[4] = strings.Join(parts, "; ")
		}
		if t.By != "" {
			row[4] = foundBy(t.By)
		}
		changes.Rows = append(changes.Rows, row)
	}
	tables := []Table{changes}
	if d.Support == nil {
		return tables
	}
	support := Table{Name: "support", Title: "Support of each theme",
		Header: []string{"Theme", "ID", "Was", "Studies", "Extracts", "Studies gained", "Studies lost"},
		Note: "Before → after. Before: the OLD themes the theme continues (same id, renamed, merged into it), taken together; " +
			"(+n −m): extracts supporting it only after, only before. Extracts are matched by ID, studies by ID and cited by label."}
	for _, s := range d.Support {
		was := strings.Join(s.OldIDs, "; ")
		switch {
		case len(s.OldIDs) == 0:
			was = "(new)"
		case s.NewID == "":
			was += " (gone)"
		case len(s.OldIDs) == 1 && s.OldIDs[0] == s.NewID:
			was = ""
		}
		extracts := itoa(s.ExtractsBefore) + " → " + itoa(s.ExtractsAfter)
		var moves []string
		if s.ExtractsGained > 0 {
			moves = append(moves, "+"+itoa(s.ExtractsGained))
		}
		if s.ExtractsLost > 0 {
			moves = append(moves, "−"+itoa(s.ExtractsLost))
		}
		if len(moves) > 0 {
			extracts += " (" + strings.Join(moves, " ") + ")"
		}
		id := s.NewID
		if id == "" { // a theme gone: cited by the id it had
			id = s.OldIDs[0]
		}
		support.Rows = append(support.Rows, []string{s.Name, id, was,
			itoa(s.StudiesBefore) + " → " + itoa(s.StudiesAfter), extracts,
			strings.Join(s.StudiesGained, "; "), strings.Join(s.StudiesLost, "; ")})
	}
	return append(tables, support)
}

func foundBy(by string) string {
	switch by {
	case codebook.ByAlias:
		return "found by aliases"
	case codebook.ByExtracts:
		return "found by the codes' extracts"
	case codebook.ByCodes:
		return "found by the themes' codes"
	}
	return by
}

func themeRefs(rs []codebook.ThemeRef) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Name+" ("+r.ID+")")
	}
	return strings.Join(s, "; ")
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

func orTop(ids []string) string {
	if len(ids) == 0 {
		return "top level"
	}
	return strings.Join(ids, ", ")
}

// DiffMarkdown writes a synthesis.Diff as Markdown: a heading naming OLD
// and NEW as given, a line counting the changes, then the tables of
// DiffTables (text escaped as in Markdown).
func DiffMarkdown(w io.Writer, d *synthesis.Diff, oldName, newName string) error {
	b := bufio.NewWriter(w)
	b.WriteString("# Changes from " + mdHeading(oldName) + " to " + mdHeading(newName) + "\n\n")
	b.WriteString(mdBlock(DiffSummary(d)) + "\n")
	for _, t := range DiffTables(d) {
		b.WriteString("\n## " + mdHeading(t.Title) + "\n\n")
		if len(t.Rows) == 0 {
			b.WriteString("None.\n")
			continue
		}
		mdTable(b, t)
		if t.Note != "" {
			b.WriteString("\n" + mdBlock(t.Note) + "\n")
		}
	}
	return b.Flush()
}

// DiffSummary is one sentence counting the changes: "3 code changes and 1
// theme change; the support of 2 of 5 themes changed." The support clause
// is there when the diff compared two projects.
func DiffSummary(d *synthesis.Diff) string {
	s := count(len(d.Codebook.Codes), "code change", "code changes") + " and " +
		count(len(d.Codebook.Themes), "theme change", "theme changes")
	if len(d.Codebook.Codes) == 0 && len(d.Codebook.Themes) == 0 {
		s = "no change to the codebook"
	}
	if d.Support != nil {
		n := 0
		for i := range d.Support {
			if d.Support[i].Changed() {
				n++
			}
		}
		s += "; the support of " + strconv.Itoa(n) + " of " + count(len(d.Support), "theme", "themes") + " changed"
	}
	return s + "."
}

// DiffJSON writes a synthesis.Diff as JSON:
//
//	{"schema_version": 1, "old": OLD, "new": NEW,
//	 "compared": "codebooks" | "projects",
//	 "codes":  [codebook.CodeChange…], "themes": [codebook.ThemeChange…],
//	 "support": [synthesis.ThemeSupportChange…]}   (projects only)
//
// Lists are [] when empty; keys of a change without a value are left out.
func DiffJSON(w io.Writer, d *synthesis.Diff, oldName, newName string) error {
	out := struct {
		SchemaVersion int                            `json:"schema_version"`
		Old           string                         `json:"old"`
		New           string                         `json:"new"`
		Compared      string                         `json:"compared"`
		Codes         []codebook.CodeChange          `json:"codes"`
		Themes        []codebook.ThemeChange         `json:"themes"`
		Support       []synthesis.ThemeSupportChange `json:"support,omitempty"`
	}{1, oldName, newName, "codebooks", d.Codebook.Codes, d.Codebook.Themes, d.Support}
	if d.Support != nil {
		out.Compared = "projects"
	}
	if out.Codes == nil {
		out.Codes = []codebook.CodeChange{}
	}
	if out.Themes == nil {
		out.Themes = []codebook.ThemeChange{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
