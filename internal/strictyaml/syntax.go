package strictyaml

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML parser reports a syntax error with the line where the enclosing
// construct began (often a line too early, never with a column) and in its
// own words: "did not find expected key". syntaxError looks at the source
// instead: it scans it for the mistakes people make in hand-written YAML
// (a tab in the indentation, an unclosed [ or {, a name with ": " left
// unquoted, a mis-indented line, a stray quote), and checks each suspect
// by repairing it in a copy and parsing again. The first suspect whose
// repair makes the file parse is reported at its own line and column with a
// hint; when none does (several mistakes), the first whose repair changes
// the parser's complaint.

// syntaxError turns a parse error of data into a positioned Error in plain
// words.
func syntaxError(file string, data []byte, err error) error {
	raw := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if n, _ := fmt.Sscanf(raw, "line %d:", &line); n == 1 {
		raw = strings.TrimSpace(raw[strings.Index(raw, ":")+1:])
	}
	lines := splitLines(data)
	if f := diagnose(lines, raw, line); f != nil {
		return &Error{File: file, Line: f.line, Col: f.col, Msg: f.msg}
	}
	e := &Error{File: file, Msg: plainWords(raw)}
	if parserError(raw) {
		// The parser's own errors count lines from 0, its scanner's from 1.
		line++
	}
	line = min(line, len(lines)) // at the end of the file, it may count one more
	if line > 0 {
		e.Line, e.Col = line, indentOf(lines[line-1])+1
	}
	return e
}

// parserError reports whether raw comes from the parser rather than from
// its scanner: the parser names the line where the collection around the
// mistake begins, counting from 0.
func parserError(raw string) bool {
	for _, m := range []string{"<document start>", "key", "'-' indicator", "node content", "',' or ']'", "',' or '}'"} {
		if strings.Contains(raw, "did not find expected "+m) {
			return true
		}
	}
	return false
}

// plainWords explains the parser's complaint when no mistake could be
// pinned down, keeping the parser's words only when it has no better ones.
func plainWords(raw string) string {
	switch {
	case strings.Contains(raw, "tab character"):
		return "YAML indents with spaces, not tabs; replace the tabs at the start of the lines near here with spaces"
	case strings.Contains(raw, "expected ',' or ']'"):
		return "a list in [ ] near here is not closed with ], or an item in it needs quotes"
	case strings.Contains(raw, "expected ',' or '}'"):
		return "a mapping in { } near here is not closed with }, or a value in it needs quotes"
	case strings.Contains(raw, "mapping values are not allowed"):
		return `a ": " here cannot start a value; put text containing ": " in quotes, or check the indentation of the line`
	case strings.Contains(raw, "did not find expected key"):
		return "a line in the mapping that starts here does not line up with its keys; check the indentation (spaces only)"
	case strings.Contains(raw, "expected '-' indicator"):
		return `a line in the list that starts here does not line up with its items ("- "); check the indentation (spaces only)`
	case strings.Contains(raw, "expected node content"):
		return "a value in the collection that starts here is missing or out of place; check the indentation and the brackets"
	case strings.Contains(raw, "unexpected end of stream"):
		return `the file ends inside quotes or brackets; check that every ", ', [ and { is closed`
	case strings.Contains(raw, "cannot start any token"):
		return "a value here starts with a character YAML reserves (a tab, @ or `); indent with spaces and put such a value in quotes"
	case strings.Contains(raw, "could not find expected ':'"):
		return `a line here is neither "key: value" nor a list item "- …"; add the ":" or the "- ", or join it to the line above`
	}
	return "the file is not valid YAML: " + raw
}

// mistake is a kind of syntax mistake.
type mistake int

const (
	tabIndent     mistake = iota // a tab in the indentation
	unclosedFlow                 // a [ or { never closed
	unquotedColon                // ": " inside an unquoted value
	misindented                  // a line indented unlike its siblings
	badQuote                     // a quote never closed, or closed too early
	reserved                     // a value starting with @ or `
)

// suspects lists the mistakes that can make the parser say raw; none for a
// complaint that is not about the layout of the text (too deep, too many
// aliases, a bad character).
func suspects(raw string) map[mistake]bool {
	all := map[mistake]bool{tabIndent: true, unclosedFlow: true, unquotedColon: true, misindented: true, badQuote: true, reserved: true}
	switch {
	case strings.Contains(raw, "depth"), strings.Contains(raw, "alias"), strings.Contains(raw, "anchor"),
		strings.Contains(raw, "control characters"), strings.Contains(raw, "invalid"), strings.Contains(raw, "tag"):
		return nil
	case strings.Contains(raw, "tab character"):
		return map[mistake]bool{tabIndent: true}
	case strings.Contains(raw, "cannot start any token"):
		return map[mistake]bool{tabIndent: true, badQuote: true, reserved: true}
	case strings.Contains(raw, "expected ',' or"):
		return map[mistake]bool{unclosedFlow: true, unquotedColon: true, badQuote: true}
	case strings.Contains(raw, "mapping values are not allowed"):
		return map[mistake]bool{unquotedColon: true, misindented: true, badQuote: true}
	case strings.Contains(raw, "unexpected end of stream"):
		return map[mistake]bool{unclosedFlow: true, badQuote: true}
	}
	return all
}

// A finding is a suspected mistake, with one or more readings of it, each
// with the repair that reading implies.
type finding struct {
	kind mistake
	line int // 1-based, of the first reading; orders the findings
	alts []alt
}

// alt is one reading of a finding: where the mistake is, what to say, and
// the one-line repair that would remove it.
type alt struct {
	line, col int // 1-based; col counts characters, as the parser does
	msg       string
	edit      int    // 0-based index of the line the repair rewrites
	text      string // the line after the repair
	hint      string // added to msg when the repair alone makes the file parse
	step      int    // the indentation step the repair leaves, or -1
	before    int    // the step it replaces, or -1
	seqStep   bool   // the steps are those of a list
	rank      int    // among repairs that work, the lowest rank is likeliest
}

// A diagnosis parses at most maxParses repaired copies, and no more than
// parseBudget bytes in all, so that a large file fails as fast as a small one.
const (
	maxParses   = 48
	parseBudget = 8 << 20
)

// diagnose finds the mistake behind the parser's complaint raw, reported at
// line (0 when the parser gave none), or returns nil.
func diagnose(lines []string, raw string, line int) *alt {
	want := suspects(raw)
	if want == nil {
		return nil
	}
	found := scan(lines)
	if len(found) == 0 {
		return nil
	}
	base := parse(lines, -1, "")
	if base == nil {
		return nil
	}
	// The parser names the line where the construct around the mistake
	// begins, so the mistake is rarely above it: try those at or below first.
	var order []*finding
	for pass := range 2 {
		for i := range found {
			f := &found[i]
			if want[f.kind] && (f.line >= line) == (pass == 0) {
				order = append(order, f)
			}
		}
	}
	// A repair that makes the file parse settles it; when none does (the
	// file has more than one mistake), the first finding whose repair
	// changes the parser's complaint, in its likeliest reading.
	size := len(lines)
	for _, l := range lines {
		size += len(l)
	}
	limit := min(maxParses, parseBudget/max(size, 1))
	var changed *alt
	parses := 0
	for _, f := range order {
		var best *alt
		for i := range f.alts {
			a := &f.alts[i]
			if parses++; parses > limit {
				break
			}
			err := parse(lines, a.edit, a.text)
			switch {
			case err == nil:
				if best == nil || a.rank < best.rank {
					best = a
				}
			case changed == nil && err.Error() != base.Error():
				changed = &f.alts[0]
			}
		}
		if best != nil {
			out := *best
			out.msg += best.hint
			return &out
		}
		if parses > limit {
			break
		}
	}
	return changed
}

// parse parses lines with line i replaced by text (none when i < 0).
func parse(lines []string, i int, text string) error {
	var b strings.Builder
	for j, l := range lines {
		if j == i {
			l = text
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	var doc yaml.Node
	return yaml.Unmarshal([]byte(b.String()), &doc)
}

// splitLines splits data at line breaks (LF, CRLF or CR) and drops a
// byte-order mark, which the parser does not count as a column.
func splitLines(data []byte) []string {
	s := strings.TrimPrefix(string(data), "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// indentOf counts the blanks (spaces or tabs) that start l.
func indentOf(l string) int {
	n := 0
	for _, r := range l {
		if r != ' ' && r != '\t' {
			break
		}
		n++
	}
	return n
}

// quoted writes s as a YAML quoted scalar.
func quoted(s string) string {
	switch {
	case !strings.ContainsAny(s, "\"\\") && strconv.CanBackquote(s):
		return `"` + s + `"`
	case !strings.Contains(s, "'") && strconv.CanBackquote(s):
		return "'" + s + "'"
	}
	return strconv.Quote(s) // Go's escapes are YAML escapes too
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func spaces(n int) string { return strings.Repeat(" ", n) }
