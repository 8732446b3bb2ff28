package export

import (
	"bufio"
	"io"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// Markdown writes synthesis.md: the title, a summary line, then every
// supplement table as "## Table S<n>. <Title>" and a GitHub pipe table.
//
// Escaping rule (mdText): every cell, the title and the notes are plain
// text. Backslash and the inline markup characters ` * _ ~ [ ] are
// backslash-escaped anywhere, | is written \| so it never splits a cell,
// <, > and & become &lt; &gt; &amp; (no HTML, no entity, no autolink gets
// through), and a line break becomes <br>. Text that starts a block (the
// title, a note) also escapes a leading #, +, -, =, or "1." so it cannot
// become a heading or a list. The only markup in the file is synth's own.
func Markdown(w io.Writer, r *synthesis.Result) error {
	b := bufio.NewWriter(w)
	title := r.Title
	if strings.TrimSpace(title) == "" {
		title = "Thematic synthesis"
	}
	b.WriteString("# " + mdHeading(title) + "\n\n")
	if note := r.Note(); note != "" {
		b.WriteString(mdBlock(note) + "\n\n")
	}
	b.WriteString(summaryLine(r) + "\n")
	if p := r.PRISMA; p != nil {
		b.WriteString("\nPRISMA 2020: " + count(p.Screened, "record", "records") + " screened, " +
			itoa(p.ExcludedScreening) + " excluded; " + count(p.FullText, "full text", "full texts") + " assessed, " +
			itoa(p.ExcludedFullText) + " excluded; " + count(p.Included, "study", "studies") + " included.\n")
	}
	for _, t := range Tables(r) {
		if t.Number == 0 {
			continue
		}
		b.WriteString("\n## " + mdHeading(t.Caption()) + "\n\n")
		mdTable(b, t)
		if t.Note != "" {
			b.WriteString("\n" + mdBlock(t.Note) + "\n")
		}
	}
	return b.Flush()
}

// summaryLine is the one-line overview under the title. Its counts are
// the summary table's (Result.Totals), not counted again over the
// extracts, which would read every text back.
func summaryLine(r *synthesis.Result) string {
	participant := r.Totals.Participant
	return count(len(r.Studies), "study", "studies") + " · " +
		count(r.Extracts.Len(), "extract", "extracts") + " (" + itoa(participant) + " participant, " + itoa(r.Extracts.Len()-participant) + " author) · " +
		count(len(r.Codes), "code", "codes") + " · " +
		count(len(r.Themes), "theme", "themes") + " · " +
		count(len(r.Warnings), "warning", "warnings") + "."
}

// mdIndent marks a sub-theme's depth in a Markdown cell.
func mdIndent(depth int) string {
	if depth <= 0 {
		return ""
	}
	return strings.Repeat("\u00a0\u00a0", depth-1) + "— "
}

func mdTable(b *bufio.Writer, t Table) {
	row := func(cells []string, ri int) {
		b.WriteString("|")
		for j, c := range cells {
			b.WriteString(" ")
			if ri >= 0 && t.Indent != nil && j == t.IndentCol && ri < len(t.Indent) {
				b.WriteString(mdIndent(t.Indent[ri]))
			}
			mdEscaper.WriteString(b, c)
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	row(t.Header, -1)
	b.WriteString("|")
	for j := range t.Header {
		if j < len(t.Numeric) && t.Numeric[j] {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for i, r := range t.Rows {
		row(r, i)
	}
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `~`, `\~`, `[`, `\[`, `]`, `\]`, `|`, `\|`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`,
	"\r\n", "<br>", "\r", "<br>", "\n", "<br>",
)

// mdText escapes text for an inline Markdown context (a table cell or a
// heading): see Markdown for the rule.
func mdText(s string) string {
	return mdEscaper.Replace(s)
}

// mdHeading escapes heading text: mdText, and a trailing # that would
// otherwise be read as a closing sequence.
func mdHeading(s string) string {
	s = mdText(s)
	if strings.HasSuffix(s, "#") {
		s = s[:len(s)-1] + `\#`
	}
	return s
}

// mdBlock escapes text that starts a paragraph: mdText, and a leading
// character that would start a heading, list or setext underline.
func mdBlock(s string) string {
	s = mdText(s)
	switch {
	case s == "":
		return s
	case strings.ContainsRune("#+-=", rune(s[0])):
		return `\` + s
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
