package strictyaml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// decodeAny decodes in as a generic mapping, so that only syntax matters.
func decodeAny(in string) error {
	var m map[string]any
	return Decode("t.yaml", []byte(in), &m)
}

// TestSyntaxErrors pins each kind of mistake in several positions. Every
// place was counted by hand on the input (columns count characters, a tab
// as one).
func TestSyntaxErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		// A tab in the indentation: the tab's own place, and how far to indent
		// when one indentation makes the file parse.
		{"tab before a key", "a:\n  b: 1\n\tc: 2\n",
			"t.yaml:3:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 2)"},
		{"tab after spaces", "a:\n  b: 1\n  \tc: 2\n",
			"t.yaml:3:3: YAML indents with spaces, not tabs; replace the tab at column 3 with spaces (indent this line by 2)"},
		{"tab before a list item", "a:\n  - x\n\t- y\n",
			"t.yaml:3:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 2)"},
		{"tab after a dash", "a:\n  -\tx\n",
			`t.yaml:2:4: YAML indents with spaces, not tabs; put a space, not a tab, after "-"`},
		{"tab before a flow list", "a:\n\tb: [x, y]\n",
			"t.yaml:2:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 2)"},
		{"tab before a theme's flow list", "themes:\n  - name: A\n\t codes: [x, y]\n",
			"t.yaml:3:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 4)"},
		{"tab before a top-level key", "a: 1\n\tb: 2\n",
			"t.yaml:2:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (start this line at column 1)"},
		{"tab on a blank line", "a: 1\n\t\nb: 2\n",
			"t.yaml:2:1: YAML indents with spaces, not tabs; remove the tab at column 1 from this blank line"},
		{"tab in a block of text", "a: |\n  x\n\ty\n",
			"t.yaml:3:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 2)"},
		{"tab on line 1", "\ta: 1\n",
			"t.yaml:1:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces"},

		// An unclosed [ or {: where it opened, not where the parser gave up.
		{"unclosed [ before a key", "a:\n  b: [x, y\n  c: 1\n",
			`t.yaml:2:6: the list opened here is not closed with ]; add ] after "y"`},
		{"unclosed [ at the end", "a:\n  b: [x, y\n",
			`t.yaml:2:6: the list opened here is not closed with ]; add ] after "y"`},
		{"unclosed [ over two lines", "a: [x,\n    y\nb: 1\n",
			`t.yaml:1:4: the list opened here is not closed with ]; add ] after "y"`},
		{"unclosed [ before a list item", "a:\n  - b: [x, y\n  - c: [z]\n",
			`t.yaml:2:8: the list opened here is not closed with ]; add ] after "y"`},
		{"unclosed {", "a:\n  b: {x: 1, y: 2\n  c: 1\n",
			`t.yaml:2:6: the mapping opened here is not closed with }; add } after "2"`},
		{"unclosed { in a list item", "a:\n  - b: {x: 1\n  - c: 1\n",
			`t.yaml:2:8: the mapping opened here is not closed with }; add } after "1"`},
		{"[ closed by }", "a: {b: [x, y}\nc: 1\n",
			"t.yaml:1:8: the list opened here is not closed with ]; add ] before the } at line 1, column 13"},

		// ": " in an unquoted value: the column of the ": ".
		{"colon in a name", "a:\n  name: Respite: guilt\n",
			`t.yaml:2:16: a name containing ": " must be quoted: name: "Respite: guilt"`},
		{"colon in a list item's name", "themes:\n  - name: Respite: guilt\n",
			`t.yaml:2:18: a name containing ": " must be quoted: name: "Respite: guilt"`},
		{"colon on line 1", "title: Carers: a review\n",
			`t.yaml:1:14: text containing ": " must be quoted: title: "Carers: a review"`},
		{"colon with an apostrophe", "a:\n  name: Step back: carers' view\n",
			`t.yaml:2:18: a name containing ": " must be quoted: name: "Step back: carers' view"`},
		{"colon with a comment", "a:\n  name: Respite: guilt # why\n",
			`t.yaml:2:16: a name containing ": " must be quoted: name: "Respite: guilt"`},
		{"colon in a flow mapping", "a: {name: Respite: guilt, id: x}\n",
			`t.yaml:1:18: a name containing ": " must be quoted: name: "Respite: guilt"`},
		{"colon at the end", "a:\n  name: Respite:\n",
			`t.yaml:2:16: a name containing ":" must be quoted: name: "Respite:"`},

		// A mis-indented line: its own place, and the indentation expected.
		{"under-indented key", "a:\n  b: 1\n c: 2\n",
			"t.yaml:3:2: this line is indented 1 space; keys of this mapping are indented 2, as on line 2"},
		{"under-indented key in a list item", "a:\n  - b: 1\n    c: 2\n   d: 3\n",
			"t.yaml:4:4: this line is indented 3 spaces; keys of this mapping are indented 4, as on line 2"},
		{"under-indented key, at the dashes", "extracts:\n  - file: a\n    sheet: b\n  separator: x\n",
			"t.yaml:4:3: this line is indented 2 spaces; keys of this mapping are indented 4, as on line 2"},
		{"under-indented nested key", "themes:\n  - name: A\n    themes:\n      - name: B\n        codes: [x]\n       id: b\n",
			"t.yaml:6:8: this line is indented 7 spaces; keys of this mapping are indented 8, as on line 4"},
		{"under-indented list item", "a:\n  - x\n - y\n",
			"t.yaml:3:2: this line is indented 1 space; items of this list are indented 2, as on line 2"},
		{"over-indented key", "a:\n  b: 1\n    c: 2\n",
			"t.yaml:3:5: this line is indented 4 spaces; keys of this mapping are indented 2, as on line 2"},
		{"over-indented nested key", "themes:\n  - name: A\n    themes:\n      - name: B\n          codes: [x]\n",
			"t.yaml:5:11: this line is indented 10 spaces; keys of this mapping are indented 8, as on line 4"},
		{"over-indented list item", "codes:\n  - name: A\n    definition: x\n     - name: B\n",
			"t.yaml:4:6: this line is indented 5 spaces; items of this list are indented 2, as on line 2"},
		{"over-indented top-level key", "a: 1\n  b: 2\n",
			"t.yaml:2:3: this line is indented 2 spaces; keys of this mapping are not indented, as on line 1"},
		{"first key of a block too deep", "a:\n   b: 1\n  c: 2\n  d: 3\n",
			"t.yaml:2:4: this line is indented 3 spaces; the next key of this mapping, on line 3, is indented 2"},
		{"a line of text less indented", "a:\n  finding: >\n    People turned\n   to it\n  id: x\n",
			"t.yaml:4:4: this line of the text is indented 3 spaces; the text above it is indented 4, as on line 3"},

		// Quotes.
		{"apostrophe in single quotes", "a:\n  name: 'Carers' view'\n  id: x\n",
			`t.yaml:2:16: the quote here ends the quoted text early; write "Carers' view" (inside '…' an apostrophe is written twice: '')`},
		{"unclosed quote", "a: \"x\nb: 1\nc: 2\n",
			`t.yaml:1:4: the text in quotes that starts here has no closing "; add it where the text ends`},
		{"reserved character", "a: @x\n",
			`t.yaml:1:4: a value cannot start with '@' in YAML; put it in quotes: a: "@x"`},

		// No suspect fits: the parser's complaint in plain words, at the
		// line where the collection around the mistake starts.
		{"list item among keys", "a:\n  b: 1\n  - c\n",
			"t.yaml:2:3: a line in the mapping that starts here does not line up with its keys; check the indentation (spaces only)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeAny(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error\n  %v\nwant\n  %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "t.yaml" {
				t.Errorf("error is %T, want *Error", err)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error has more than one line")
			}
		})
	}
}

// TestUnquotedColonInList covers a name with ": " where a list holds names:
// YAML parses "- Respite: guilt" and [Respite: guilt] as mappings, so the
// mistake shows when decoding, at the ": ".
func TestUnquotedColonInList(t *testing.T) {
	type names struct {
		Codes []string `yaml:"codes"`
		Title string   `yaml:"title"`
	}
	tests := []struct{ in, want string }{
		{"codes:\n  - Relief\n  - Respite: guilt\n", `t.yaml:3:12: a name containing ": " must be quoted: - "Respite: guilt"`},
		{"codes: [Relief, Respite: guilt]\n", `t.yaml:1:24: a name containing ": " must be quoted: "Respite: guilt"`},
		{"codes: [Relief, Respite:  guilt ]\n", `t.yaml:1:24: a name containing ": " must be quoted: "Respite:  guilt"`},
		{"title:\n  Carers: review\n", `t.yaml:2:9: a name containing ": " must be quoted: "Carers: review"`},
		// Not one pair of plain text on one line: the usual message.
		{"codes:\n  - {a: 1, b: 2}\n", `t.yaml:2:5: expected a single value, found a mapping`},
		{"codes:\n  - a:\n      b\n", `t.yaml:2:5: expected a single value, found a mapping`},
	}
	for _, tt := range tests {
		var v names
		err := Decode("t.yaml", []byte(tt.in), &v)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Decode(%q)\n  %v\nwant\n  %s", tt.in, err, tt.want)
		}
	}
}

// fieldCases is the folder of the shared field cases, or "" (and the test
// is skipped) when this checkout has none next to it.
func fieldCases(t *testing.T) string {
	dir := filepath.Join("..", "..", "..", "shared", "field-cases")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no field cases at %s: %v", dir, err)
	}
	return dir
}

// TestFieldCases checks the YAML mistakes of the newcomer field cases; each
// place was counted by hand in the file.
func TestFieldCases(t *testing.T) {
	dir := fieldCases(t)
	tests := []struct{ file, want string }{
		// Line 11 starts with a tab; the keys of its code are indented 4.
		{"newcomer-y1/codebook.yaml", "11:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 4)"},
		// Line 41: "        codes: [Exhaustion, Loss of identity" — the [ is column 16.
		{"newcomer-y2/codebook.yaml", `41:16: the list opened here is not closed with ]; add ] after "Loss of identity"`},
		// Line 35: "  - name: Permission to step back: carers' view" — the ": " is column 34.
		{"newcomer-y3/codebook.yaml", `35:34: a name containing ": " must be quoted: name: "Permission to step back: carers' view"`},
		// Line 10: "   separator" under "  - file:" (line 8) and "    sheet:".
		{"newcomer-m_yaml_indent_project/synth.yaml", "10:4: this line is indented 3 spaces; keys of this mapping are indented 4, as on line 8"},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(tt.file)
		err = decodeAny(string(data))
		if want := "t.yaml:" + tt.want; err == nil || err.Error() != want {
			t.Errorf("%s:\n  %v\nwant\n  %s", name, err, want)
		}
	}
}

// TestMistakesInWorkedExample makes one mistake at a time in every line of
// the worked example's synth.yaml and codebook.yaml and checks that the
// error names the line and column of that mistake.
func TestMistakesInWorkedExample(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	tried, missed := map[string]int{}, map[string]int{}
	for _, file := range []string{"synth.yaml", "codebook.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "social-prescribing", file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		try := func(kind string, i int, text string, col int) {
			mut := append([]string(nil), lines...)
			mut[i] = text
			doc := strings.Join(mut, "\n") + "\n"
			var n yaml.Node
			if yaml.Unmarshal([]byte(doc), &n) == nil {
				return // still YAML: not a syntax error
			}
			tried[kind]++
			err := decodeAny(doc)
			if want := fmt.Sprintf("t.yaml:%d:%d: ", i+1, col); err == nil || !strings.HasPrefix(err.Error(), want) {
				missed[kind]++
				if kind != "two spaces" {
					t.Errorf("%s, %s on line %d (%q):\n  %v\nwant %s…", file, kind, i+1, text, err, want)
				}
			}
		}
		for i, l := range lines {
			ind := indentOf(l)
			content := l[ind:]
			if content == "" || strings.HasPrefix(content, "#") {
				continue
			}
			// Every other line is enough for the indentation: each mistake
			// costs a few parses of the whole file.
			if i%2 == 0 {
				if ind > 0 {
					try("tab", i, "\t"+content, 1)
					try("tab after spaces", i, l[:ind-1]+"\t"+content, ind)
					try("one space less", i, l[1:], ind)
				}
				try("one space more", i, " "+l, ind+2)
				try("three spaces more", i, "   "+l, ind+4)
				if ind > 1 {
					try("two spaces", i, l[2:], ind-1)
				}
				try("two spaces", i, "  "+l, ind+3)
			}
			if j := strings.LastIndex(l, "["); j >= 0 && strings.HasSuffix(l, "]") {
				try("unclosed [", i, strings.TrimSuffix(l, "]"), len([]rune(l[:j]))+1)
			}
			if j := strings.Index(l, "{"); j >= 0 && strings.HasSuffix(l, "}") {
				try("unclosed {", i, strings.TrimSuffix(l, "}"), len([]rune(l[:j]))+1)
			}
			if k := strings.Index(l, "name: "); k >= 0 && !strings.ContainsAny(l[k+6:], `"'[{#:`) {
				v := l[k+6:]
				if c := strings.Index(v, " "); c > 0 {
					try("unquoted colon", i, l[:k+6]+v[:c]+":"+v[c:], len([]rune(l[:k+6+c]))+1)
					try("apostrophe", i, l[:k+6]+"'"+v[:c]+"'"+v[c:]+"'", len([]rune(l[:k+6+c]))+2)
				}
				try("unclosed quote", i, l[:k+6]+`"`+v, len([]rune(l[:k+6]))+1)
			}
		}
	}
	t.Logf("mistakes made %v, missed %v", tried, missed)
	for _, kind := range []string{"tab", "one space less", "one space more", "unclosed [", "unclosed {", "unquoted colon", "apostrophe", "unclosed quote"} {
		if tried[kind] < 3 {
			t.Errorf("only %d mistakes of kind %q made", tried[kind], kind)
		}
	}
	// Moving a line by two spaces can leave YAML that reads another way up
	// to a later line (a key with children becomes their sibling); then the
	// first line out of place is named. Most are still found.
	if n, m := tried["two spaces"], missed["two spaces"]; m*10 > n {
		t.Errorf("%d of %d lines moved by two spaces not found", m, n)
	}
}

// TestLargeSyntaxErrors checks that a mistake in a large file, or under
// deep nesting, is found as fast as in a small one: the scan is linear and
// the repaired copies parsed are bounded in number and in bytes.
func TestLargeSyntaxErrors(t *testing.T) {
	var wide strings.Builder
	wide.WriteString("codes:\n")
	for i := range 10_000 {
		fmt.Fprintf(&wide, "  - name: Code %d\n    definition: What code %d means.\n", i, i)
	}
	wide.WriteString("\tdefinition: a tab\n") // line 20,002
	var deep strings.Builder
	for i := range 2_000 {
		fmt.Fprintf(&deep, "%sk%d:\n", strings.Repeat(" ", 2*i), i)
	}
	deep.WriteString(strings.Repeat(" ", 3997) + "x: 1\n") // line 2,001, between k1998 and k1999
	tests := []struct{ name, in, want string }{
		{"wide", wide.String(), "t.yaml:20002:1: YAML indents with spaces, not tabs"},
		{"deep", deep.String(), "t.yaml:2001:3998: this line is indented 3997 spaces; keys of this mapping are indented 3998, as on line 2000"},
	}
	for _, tt := range tests {
		err := decodeAny(tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %s…", tt.name, err, tt.want)
		}
	}
}
