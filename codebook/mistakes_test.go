package codebook

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// small is a codebook of the field cases' shape: codes with definitions,
// themes with flow lists of codes and a flow cerqual. Each test case makes
// one mistake in it (see mistake), and the line:col it expects was counted
// by hand on the lines below.
var small = []string{
	"version: 1",                                 // 1
	"codes:",                                     // 2
	"  - name: Exhaustion",                       // 3
	"    definition: Worn out by caring.",        // 4
	"  - name: Relief",                           // 5
	"    definition: Glad of the break.",         // 6
	"    aliases: [respite relief]",              // 7
	"themes:",                                    // 8
	"  - name: Permission to step back",          // 9
	"    cerqual: {coherence: {concern: minor}}", // 10
	"    themes:",                                // 11
	"      - name: Running on empty",             // 12
	"        codes: [Exhaustion, Relief]",        // 13
}

// mistake returns small with line n (1-based) replaced by text.
func mistake(n int, text string) []byte {
	ls := append([]string(nil), small...)
	ls[n-1] = text
	return lines(ls...)
}

func TestYAMLMistakes(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string // the whole message after "codebook.yaml:"
	}{
		{"tab before a definition", mistake(6, "\tdefinition: Glad of the break."),
			"6:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 4)"},
		{"tab before a flow list", mistake(13, "\t  codes: [Exhaustion, Relief]"),
			"13:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 8)"},
		{"tab after a dash", mistake(12, "      -\tname: Running on empty"),
			`12:8: YAML indents with spaces, not tabs; put a space, not a tab, after "-"`},

		{"unclosed [ in a theme's codes", mistake(13, "        codes: [Exhaustion, Relief"),
			`13:16: the list opened here is not closed with ]; add ] after "Relief"`},
		{"unclosed [ of aliases", mistake(7, "    aliases: [respite relief"),
			`7:14: the list opened here is not closed with ]; add ] after "respite relief"`},
		{"unclosed { of cerqual", mistake(10, "    cerqual: {coherence: {concern: minor}"),
			`10:14: the mapping opened here is not closed with }; add } after "{concern: minor}"`},

		{"colon in a theme name", mistake(12, "      - name: Running on empty: exhausted"),
			`12:31: a name containing ": " must be quoted: name: "Running on empty: exhausted"`},
		{"colon in a code name", mistake(5, "  - name: Relief: respite"),
			`5:17: a name containing ": " must be quoted: name: "Relief: respite"`},
		{"colon in a definition", mistake(4, "    definition: Worn out: caring."),
			`4:25: text containing ": " must be quoted: definition: "Worn out: caring."`},
		{"colon in a theme's flow list of codes", mistake(13, "        codes: [Exhaustion, Relief: respite]"),
			`13:35: a name containing ": " must be quoted: "Relief: respite"`},
		{"colon in an alias", mistake(7, "    aliases: [respite: relief]"),
			`7:22: a name containing ": " must be quoted: "respite: relief"`},
		{"colon in a theme's block list of codes", lines(append(small[:12:12], "        codes:", "          - Exhaustion", "          - Relief: respite")...),
			`15:19: a name containing ": " must be quoted: - "Relief: respite"`},
		{"colon in a code written without name:", lines("version: 1", "codes:", "  - Relief: respite"),
			`3:5: code "Relief: respite" needs a name: key here, and quotes for its ": "; write - name: "Relief: respite"`},
		{"colon in a theme written without name:", lines("version: 1", "themes:", "  - Step back: guilt"),
			`3:5: theme "Step back: guilt" needs a name: key here, and quotes for its ": "; write - name: "Step back: guilt"`},

		{"definition indented too little", mistake(6, "   definition: Glad of the break."),
			"6:4: this line is indented 3 spaces; keys of this mapping are indented 4, as on line 5"},
		{"definition indented too much", mistake(6, "      definition: Glad of the break."),
			"6:7: this line is indented 6 spaces; keys of this mapping are indented 4, as on line 5"},
		{"theme's codes indented too little", mistake(13, "       codes: [Exhaustion, Relief]"),
			"13:8: this line is indented 7 spaces; keys of this mapping are indented 8, as on line 12"},
		{"theme's codes indented too much", mistake(13, "          codes: [Exhaustion, Relief]"),
			"13:11: this line is indented 10 spaces; keys of this mapping are indented 8, as on line 12"},
		{"theme's themes at the dashes", mistake(11, "  themes:"),
			"11:3: this line is indented 2 spaces; keys of this mapping are indented 4, as on line 9"},
		{"code indented too much", mistake(5, "     - name: Relief"),
			"5:6: this line is indented 5 spaces; items of this list are indented 2, as on line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("codebook.yaml", tt.in)
			if err == nil || !strings.HasPrefix(err.Error(), "codebook.yaml:"+tt.want) {
				t.Errorf("error\n  %v\nwant\n  codebook.yaml:%s", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "codebook.yaml" {
				t.Errorf("error is %T, want *ParseError", err)
			}
		})
	}
	if _, err := Parse("codebook.yaml", lines(small...)); err != nil {
		t.Errorf("the codebook without a mistake: %v", err)
	}
}

// fieldCase returns the path of a file of the shared field cases, skipping
// the test when this checkout has none next to it.
func fieldCase(t *testing.T, file string) string {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "field-cases", file)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no field case %s: %v", file, err)
	}
	return path
}

// TestFieldCaseYAML loads the codebooks of the newcomer field cases; each
// place was counted by hand in the file.
func TestFieldCaseYAML(t *testing.T) {
	tests := []struct{ file, want string }{
		// Line 11 begins with a tab; the keys of the code "Relief" (line 10)
		// are indented 4.
		{"newcomer-y1/codebook.yaml", ":11:1: YAML indents with spaces, not tabs; replace the tab at column 1 with spaces (indent this line by 4)"},
		// Line 41 is "        codes: [Exhaustion, Loss of identity": the [ is column 16.
		{"newcomer-y2/codebook.yaml", `:41:16: the list opened here is not closed with ]; add ] after "Loss of identity"`},
		// Line 35 is "  - name: Permission to step back: carers' view": the ": " is column 34.
		{"newcomer-y3/codebook.yaml", `:35:34: a name containing ": " must be quoted: name: "Permission to step back: carers' view"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := fieldCase(t, tt.file)
			_, err := Load(path)
			if err == nil || err.Error() != path+tt.want {
				t.Errorf("error\n  %v\nwant\n  %s%s", err, path, tt.want)
			}
		})
	}
	// The project with a mis-indented synth.yaml has a sound codebook.
	if _, err := Load(fieldCase(t, "newcomer-m_yaml_indent_project/codebook.yaml")); err != nil {
		t.Errorf("newcomer-m_yaml_indent_project: %v", err)
	}
}

// TestFieldCaseThemeCodeUndefined loads newcomer-cb7, whose theme "Running
// on empty" lists Exhuastion (line 41, "        codes: [Exhuastion, …": the
// name starts at column 17) where codes: defines Exhaustion.
func TestFieldCaseThemeCodeUndefined(t *testing.T) {
	path := fieldCase(t, "newcomer-cb7/codebook.yaml")
	cb, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Warning{{Kind: WarnThemeCodeUndefined, Where: path + ":41:17",
		Message: `theme "Running on empty" names code "Exhuastion", which codes: does not define; did you mean "Exhaustion"?`}}
	if !reflect.DeepEqual(cb.Warnings, want) {
		t.Errorf("warnings\n  %+v\nwant\n  %+v", cb.Warnings, want)
	}
	// The name stays a code of its own, so what the theme counts does not
	// change behind the reviewer's back.
	if c := cb.Code("Exhuastion"); c == nil || c.Line != 41 || c.Col != 17 {
		t.Errorf("Exhuastion is not a code at 41:17: %+v", c)
	}
	if th := cb.FindTheme("Running on empty"); th == nil || !reflect.DeepEqual(th.Codes, []string{"Exhuastion", "Loss of identity"}) {
		t.Errorf("theme codes: %+v", th)
	}
}

func TestThemeCodeUndefined(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []Warning // Where without "codebook.yaml:"
	}{
		{"misspelt", lines(
			"version: 1",
			"codes:",
			"  - name: Exhaustion",
			"  - name: Relief",
			"themes:",
			"  - name: Running on empty",
			"    codes: [Exhuastion, Relief]", // Exhuastion at column 13
		), []Warning{{WarnThemeCodeUndefined, `theme "Running on empty" names code "Exhuastion", which codes: does not define; did you mean "Exhaustion"?`, "7:13"}}},
		{"near an alias", lines(
			"version: 1",
			"codes:",
			"  - name: Low mood",
			"    aliases: [depression]",
			"themes:",
			"  - name: T",
			"    codes:",
			"      - Low mood",
			"      - depresion", // column 9
		), []Warning{{WarnThemeCodeUndefined, `theme "T" names code "depresion", which codes: does not define; did you mean "Low mood"?`, "9:9"}}},
		{"nothing near", lines(
			"version: 1",
			"codes: [{name: Exhaustion}]",
			"themes: [{name: T, codes: [Cost of care]}]", // column 28
		), []Warning{{WarnThemeCodeUndefined, `theme "T" names code "Cost of care", which codes: does not define; add it under codes: or correct the name`, "3:28"}}},
		{"each theme that names it, once", lines(
			"version: 1",
			"codes: [{name: Exhaustion}]",
			"themes:",
			"  - name: A",
			"    codes: [Exhuastion, exhuastion]", // column 13; the second is the same code
			"  - name: B",
			"    codes: [Exhaustion, EXHUASTION]", // column 25
		), []Warning{
			{WarnThemeCodeUndefined, `theme "A" names code "Exhuastion", which codes: does not define; did you mean "Exhaustion"?`, "5:13"},
			{WarnThemeCodeUndefined, `theme "B" names code "EXHUASTION", which codes: does not define; did you mean "Exhaustion"?`, "7:25"},
		}},
		{"before the theme's cerqual warning", lines(
			"version: 1",
			"codes: [{name: Exhaustion}]",
			"themes:",
			"  - name: A",
			"    cerqual: {coherence: {concern: serious}, confidence: high}", // cerqual at column 14
			"    codes: [Exhuastion]", // column 13
		), []Warning{
			{WarnThemeCodeUndefined, `theme "A" names code "Exhuastion", which codes: does not define; did you mean "Exhaustion"?`, "6:13"},
			{WarnCERQualInconsistent, `theme "A": confidence is high despite 1 serious concern; a serious concern should lower it`, "5:14"},
		}},
		// The codebook's own matching is not a mistake.
		{"case, white space, NFC and aliases", lines(
			"version: 1",
			"codes:",
			"  - name: Low mood",
			"    aliases: [depression]",
			"  - name: \"Cafe\u0301 culture\"",
			"themes:",
			"  - name: T",
			"    codes: [LOW  MOOD, Depression, café culture, \" low mood \"]",
		), nil},
		// Without codes:, themes name codes freely.
		{"no codes:", lines("version: 1", "themes: [{name: T, codes: [Exhuastion]}]"), nil},
		{"empty codes:", lines("version: 1", "codes: []", "themes: [{name: T, codes: [Exhuastion]}]"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := mustParse(t, tt.in)
			var got []Warning
			for _, w := range cb.Warnings {
				w.Where = strings.TrimPrefix(w.Where, "codebook.yaml:")
				got = append(got, w)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("warnings\n  %+v\nwant\n  %+v", got, tt.want)
			}
		})
	}
}
