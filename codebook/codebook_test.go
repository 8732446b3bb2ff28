package codebook

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// lines joins its arguments as the lines of a YAML file, so that the line
// numbers in the tests can be counted.
func lines(ls ...string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

func mustParse(t *testing.T, data []byte) *Codebook {
	t.Helper()
	cb, err := Parse("codebook.yaml", data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return cb
}

func ids(ts []*Theme) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// threeLevels has analytical → descriptive → sub-theme, a theme shared by
// two parents through a forward ref, a code spelt differently in two
// themes, and an alias used in a theme.
var threeLevels = lines(
	"version: 1",                       // 1
	"codes:",                           // 2
	"  - name: Loneliness",             // 3
	"    definition: Feeling alone",    // 4
	"    aliases: [isolation, lonely]", // 5
	"  - name: Low mood",               // 6
	"themes:",                          // 7
	"  - name: Searching for hope in times of adversity", // 8
	"    id: hope",                                       // 9
	"    codes: [Turning point]",                         // 10
	"    themes:",                                        // 11
	"      - name: Reaching out at a low point",          // 12
	"        codes: [Isolation, Bereavement, low  MOOD]", // 13
	"        themes:",                                    // 14
	"          - name: Losing a partner",                 // 15
	"            codes: [Bereavement, Widowhood]",        // 16
	"      - ref: feeling-heard",                         // 17
	"  - name: Feeling supported and empowered",          // 18
	"    id: supported",                                  // 19
	"    themes:",                                        // 20
	"      - name: Feeling heard",                        // 21
	"        codes: [Being listened to, Loneliness]",     // 22
)

func TestParseThreeLevels(t *testing.T) {
	cb := mustParse(t, threeLevels)
	if cb.Version != 1 || !reflect.DeepEqual(cb.Levels, []string{"analytical", "descriptive"}) {
		t.Errorf("version %d, levels %q", cb.Version, cb.Levels)
	}
	wantThemes := []string{"hope", "reaching-out-at-a-low-point", "losing-a-partner", "supported", "feeling-heard"}
	if got := ids(cb.Themes); !reflect.DeepEqual(got, wantThemes) {
		t.Errorf("Themes = %q, want %q", got, wantThemes)
	}
	if got := ids(cb.Roots); !reflect.DeepEqual(got, []string{"hope", "supported"}) {
		t.Errorf("Roots = %q", got)
	}
	var names []string
	for _, c := range cb.Codes {
		names = append(names, c.Name)
	}
	wantCodes := []string{"Loneliness", "Low mood", "Turning point", "Bereavement", "Widowhood", "Being listened to"}
	if !reflect.DeepEqual(names, wantCodes) {
		t.Errorf("Codes = %q, want %q", names, wantCodes)
	}
	if c := cb.Code("Turning point"); c == nil || c.Line != 10 || c.Col != 13 {
		t.Errorf("code first named in a theme: %+v, want line 10 col 13", c)
	}

	tests := []struct {
		id       string
		depth    int
		level    string
		parents  []string
		children []string
		codes    []string
		closure  []string
		desc     []string
	}{
		{"hope", 0, "analytical", []string{}, []string{"reaching-out-at-a-low-point", "feeling-heard"},
			[]string{"Turning point"},
			[]string{"Loneliness", "Low mood", "Turning point", "Bereavement", "Widowhood", "Being listened to"},
			[]string{"reaching-out-at-a-low-point", "losing-a-partner", "feeling-heard"}},
		{"reaching-out-at-a-low-point", 1, "descriptive", []string{"hope"}, []string{"losing-a-partner"},
			[]string{"Loneliness", "Bereavement", "Low mood"},
			[]string{"Loneliness", "Low mood", "Bereavement", "Widowhood"},
			[]string{"losing-a-partner"}},
		{"losing-a-partner", 2, "sub-theme", []string{"reaching-out-at-a-low-point"}, []string{},
			[]string{"Bereavement", "Widowhood"}, []string{"Bereavement", "Widowhood"}, []string{}},
		{"supported", 0, "analytical", []string{}, []string{"feeling-heard"},
			[]string{}, []string{"Loneliness", "Being listened to"}, []string{"feeling-heard"}},
		// Shared: defined under "supported" (depth 1), reused under "hope"
		// first in the file, so "hope" is its first parent.
		{"feeling-heard", 1, "descriptive", []string{"hope", "supported"}, []string{},
			[]string{"Being listened to", "Loneliness"}, []string{"Loneliness", "Being listened to"}, []string{}},
	}
	for _, tt := range tests {
		th := cb.Theme(tt.id)
		if th == nil {
			t.Errorf("Theme(%q) = nil", tt.id)
			continue
		}
		if th.Depth != tt.depth || th.Level != tt.level {
			t.Errorf("%s: depth %d level %q, want %d %q", tt.id, th.Depth, th.Level, tt.depth, tt.level)
		}
		if got := ids(th.Parents); !reflect.DeepEqual(got, tt.parents) {
			t.Errorf("%s: Parents = %q, want %q", tt.id, got, tt.parents)
		}
		if got := ids(th.Children); !reflect.DeepEqual(got, tt.children) {
			t.Errorf("%s: Children = %q, want %q", tt.id, got, tt.children)
		}
		if got := append([]string{}, th.Codes...); !reflect.DeepEqual(got, tt.codes) {
			t.Errorf("%s: Codes = %q, want %q", tt.id, got, tt.codes)
		}
		if got := append([]string{}, cb.Closure(th)...); !reflect.DeepEqual(got, tt.closure) {
			t.Errorf("%s: Closure = %q, want %q", tt.id, got, tt.closure)
		}
		if got := ids(cb.Descendants(th)); !reflect.DeepEqual(got, tt.desc) {
			t.Errorf("%s: Descendants = %q, want %q", tt.id, got, tt.desc)
		}
	}
	if th := cb.Theme("feeling-heard"); th.Line != 21 || th.Col != 9 {
		t.Errorf("shared theme at %d:%d, want where it is defined, 21:9", th.Line, th.Col)
	}
}

func TestLevels(t *testing.T) {
	cb := mustParse(t, lines(
		"version: 1",
		"levels: [overarching, analytical, descriptive]",
		"themes:",
		"  - name: A",
		"    themes:",
		"      - name: B",
		"        themes:",
		"          - name: C",
		"            themes:",
		"              - name: D",
	))
	var got []string
	for _, th := range cb.Themes {
		got = append(got, th.Level)
	}
	if want := []string{"overarching", "analytical", "descriptive", "sub-theme"}; !reflect.DeepEqual(got, want) {
		t.Errorf("levels = %q, want %q", got, want)
	}
	cb = mustParse(t, lines("version: 1", "levels: []", "themes: [{name: A}]"))
	if cb.Themes[0].Level != "analytical" {
		t.Errorf("empty levels: level %q, want the default", cb.Themes[0].Level)
	}
	cb = mustParse(t, lines("version: 1"))
	if len(cb.Themes) != 0 || len(cb.Codes) != 0 || !reflect.DeepEqual(cb.Levels, DefaultLevels) {
		t.Errorf("empty codebook: %+v", cb)
	}
}

func TestIDs(t *testing.T) {
	cb := mustParse(t, lines(
		"version: 1",
		"themes:",
		"  - name: \"  Searching for hope:  in times of adversity!  \"",
		"  - name: Déjà vu — Straße, Ærø & Łódź",
		"  - name: 孤独",
		"  - name: 孤独感",
		"    id: kodoku",
		"  - name: Given",
		"    id: Hope_2.b",
		"  - name: 'ÉCOLE 42'",
	))
	want := []string{"searching-for-hope-in-times-of-adversity", "deja-vu-strasse-aero-lodz", "theme-3", "kodoku", "Hope_2.b", "ecole-42"}
	if got := ids(cb.Themes); !reflect.DeepEqual(got, want) {
		t.Errorf("ids = %q, want %q", got, want)
	}
	if cb.Themes[0].Name != "Searching for hope: in times of adversity!" {
		t.Errorf("name not cleaned: %q", cb.Themes[0].Name)
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Feeling heard":               "feeling-heard",
		"  --Feeling   heard--  ":     "feeling-heard",
		"Café au lait":                "cafe-au-lait",
		"Cafe\u0301":                  "cafe",
		"ÀÉÎÕÜ çñ":                    "aeiou-cn",
		"Groß":                        "gross",
		"İstanbul":                    "istanbul",
		"COVID-19 & the NHS (2020)":   "covid-19-the-nhs-2020",
		"":                            "",
		"!!!":                         "",
		"Ελπίδα":                      "",
		"a_b.c":                       "a-b-c",
		"x\u00a0y\u200bz":             "x-y-z",
		"Œuvre, Ørsted, þorn, Đakovo": "oeuvre-orsted-thorn-dakovo",
	}
	for in, want := range tests {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodes(t *testing.T) {
	cb := mustParse(t, lines(
		"version: 1",
		"codes:",
		"  - name: \"  Low   mood \"",
		"    definition: \"  Sad  \"",
		"    aliases: [feeling low, Feeling  LOW, low mood, depressed]",
		"  - name: Stigma",
		"themes:",
		"  - name: T",
		"    codes: [LOW MOOD, Depressed, stigma, stigma, New code, new  CODE]",
	))
	c := cb.Code("low mood")
	if c == nil || c.Name != "Low mood" || c.Definition != "Sad" || c.Line != 3 || c.Col != 5 {
		t.Fatalf("Code(low mood) = %+v", c)
	}
	if want := []string{"feeling low", "depressed"}; !reflect.DeepEqual(c.Aliases, want) {
		t.Errorf("aliases = %q, want %q (own name and repeats dropped)", c.Aliases, want)
	}
	if want := []string{"Low mood", "Stigma", "New code"}; !reflect.DeepEqual(cb.Themes[0].Codes, want) {
		t.Errorf("theme codes = %q, want %q", cb.Themes[0].Codes, want)
	}
	if len(cb.Codes) != 3 {
		t.Errorf("%d codes, want 3", len(cb.Codes))
	}
	lookups := []struct {
		in, want string
		ok       bool
	}{
		{"Low mood", "Low mood", true},
		{"  LOW\tMOOD ", "Low mood", true},
		{"feeling low", "Low mood", true},
		{"DEPRESSED", "Low mood", true},
		{"new code", "New code", true},
		{"Cafe\u0301", "", false},
		{"", "", false},
		{"Stigmas", "", false},
	}
	for _, tt := range lookups {
		got, ok := cb.Lookup(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	suggests := map[string]string{
		"Stigmas":    "Stigma",
		"feelin low": "Low mood", // near an alias: the canonical name
		"depresed":   "Low mood",
		"Low mod":    "Low mood",
		"Something":  "",
		"New cod":    "New code",
	}
	for in, want := range suggests {
		if got := cb.Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if cb.Code("depressed") != nil {
		t.Errorf("Code matched an alias; it takes names only")
	}
	if cb.Code("NEW CODE") == nil || cb.Code("Nothing") != nil {
		t.Errorf("Code by name")
	}
}

func TestCodeMatchingNFC(t *testing.T) {
	// "Café" written decomposed in codes: and composed in a theme.
	cb := mustParse(t, lines("version: 1", "codes: [{name: \"Cafe\u0301 culture\"}]", "themes: [{name: T, codes: [CAFÉ  CULTURE]}]"))
	if len(cb.Codes) != 1 || cb.Themes[0].Codes[0] != "Café culture" {
		t.Errorf("codes %+v, theme codes %q", cb.Codes[0], cb.Themes[0].Codes)
	}
}

func TestFindTheme(t *testing.T) {
	cb := mustParse(t, threeLevels)
	tests := map[string]string{
		"hope":               "hope",
		"HOPE":               "hope",
		"feeling heard":      "feeling-heard",
		"  Feeling   HEARD ": "feeling-heard",
		"Feeling-Heard":      "feeling-heard",
		"feeling-heard":      "feeling-heard",
		"Searching for hope in times of adversity": "hope",
		"nothing": "",
	}
	for in, want := range tests {
		got := ""
		if th := cb.FindTheme(in); th != nil {
			got = th.ID
		}
		if got != want {
			t.Errorf("FindTheme(%q) = %q, want %q", in, got, want)
		}
	}
	if cb.Theme("HOPE") != nil {
		t.Errorf("Theme matches ids exactly")
	}
}

func TestHandBuiltCodebook(t *testing.T) {
	// Lookups work on a Codebook not made by Parse (e.g. by an importer).
	a := &Theme{ID: "a", Name: "A", Codes: []string{"Y"}}
	b := &Theme{ID: "b", Name: "B", Codes: []string{"X", "Z"}, Parents: []*Theme{a}}
	a.Children = []*Theme{b}
	cb := &Codebook{Codes: []*Code{{Name: "X", Aliases: []string{"ex"}}, {Name: "Y"}}, Themes: []*Theme{a, b}, Roots: []*Theme{a}}
	if got := cb.Closure(a); !reflect.DeepEqual(got, []string{"X", "Y", "Z"}) {
		t.Errorf("Closure = %q", got)
	}
	if c, ok := cb.Lookup("EX"); !ok || c != "X" {
		t.Errorf("Lookup(EX) = %q %v", c, ok)
	}
	if cb.Theme("b") != b || cb.FindTheme("B") != b {
		t.Errorf("Theme lookups")
	}
	cb.Codes = append(cb.Codes, &Code{Name: "Z"})
	if c, ok := cb.Lookup("z"); !ok || c != "Z" {
		t.Errorf("a code added after the first lookup is not found")
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string // the whole message starts with "codebook.yaml:" + want
		also []string
	}{
		{"empty file", []byte(""), " the file is empty", nil},
		{"not a mapping", lines("- a"), "1:1: expected a mapping", nil},
		{"syntax", lines("version: 1", "themes: [", "  name: x"), "", []string{"codebook.yaml:"}},
		{"no version", lines("themes: []"), "1:1: the codebook has no version", []string{`"version: 1"`}},
		{"version 2", lines("version: 2"), "1:10: version \"2\" is not supported", []string{"version 1"}},
		{"version list", lines("version: [1]"), "1:10: expected text, found a list", nil},
		{"unknown top key", lines("version: 1", "theme: []"), `2:1: unknown field "theme"; did you mean "themes"?`, nil},
		{"unknown theme key", lines("version: 1", "themes:", "  - name: A", "    code: [x]"),
			`4:5: unknown field "code"; did you mean "codes"?`, nil},
		{"unknown cerqual key", lines("version: 1", "themes:", "  - name: A", "    cerqual: {coherance: {concern: none}}"),
			`4:15: unknown field "coherance"; did you mean "coherence"?`, nil},
		{"themes not a list", lines("version: 1", "themes: {name: A}"), "2:9: expected a list, found a mapping", nil},
		{"name is a list", lines("version: 1", "themes:", "  - name: [A]"), "3:11: expected text, found a list", nil},
		{"empty level", lines("version: 1", "levels: [analytical, '']"), "2:22: level 2 has no name", nil},

		{"code without name", lines("version: 1", "codes:", "  - definition: x"), "3:5: code 1 under codes: has no name", nil},
		{"code with empty name", lines("version: 1", "codes:", "  - name: a", "  - name: '  '"), "4:11: code 2 under codes: has no name", nil},
		{"duplicate code", lines("version: 1", "codes:", "  - name: Low mood", "  - name: Stigma", "  - name: \" low  MOOD\""),
			`5:5: code "low MOOD" is defined twice (first at line 3)`, []string{"merge"}},
		{"empty alias", lines("version: 1", "codes:", "  - name: A", "    aliases: [b, '']"), `4:18: code "A" has an empty alias`, nil},
		{"alias is another name", lines("version: 1", "codes:", "  - name: Loneliness", "    aliases: [isolation]", "  - name: Isolation"),
			`4:15: alias "isolation" of code "Loneliness" is the name of code "Isolation" (line 5)`, []string{"one code only"}},
		{"alias of two codes", lines("version: 1", "codes:", "  - name: A", "    aliases: [x]", "  - name: B", "    aliases: [y, X]"),
			`6:18: alias "X" of code "B" is also an alias of code "A" (line 4)`, nil},
		{"empty code in theme", lines("version: 1", "themes:", "  - name: A", "    codes: [x, '']"), `4:16: theme "A" lists an empty code`, nil},
		{"null code in theme", lines("version: 1", "themes:", "  - name: A", "    codes: [x, ~]"), `3:5: theme "A" lists an empty code`, nil},
		{"empty quote", lines("version: 1", "themes:", "  - name: A", "    quotes: [E1, ' ']"), `4:18: theme "A" pins an empty quote id`, nil},

		{"code guid not a GUID", lines("version: 1", "codes:", "  - name: Cost", "    guid: 1234"),
			`4:11: code "Cost" has guid "1234", which is not a GUID`, []string{"leave guid out"}},
		{"theme colour not RGB", lines("version: 1", "themes:", "  - name: A", "    color: red"),
			`4:12: theme "A" has color "red", which is not #rgb or #rrggbb`, nil},
		{"guid given twice", lines("version: 1", "codes:", "  - name: A", "    guid: '{0F8FAD5B-D9CB-469F-A165-70867728950E}'", "  - name: B", "    guid: 0f8fad5b-d9cb-469f-a165-70867728950e"),
			`6:11: code "B" has guid 0f8fad5b-d9cb-469f-a165-70867728950e, which code "A" already has (line 4)`, nil},
		{"guid of a theme and another code", lines("version: 1", "codes:", "  - name: A", "    guid: 0f8fad5b-d9cb-469f-a165-70867728950e", "themes:", "  - name: B", "    guid: 0f8fad5b-d9cb-469f-a165-70867728950e"),
			`7:11: theme "B" has guid`, nil},
		{"ref with a guid", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - ref: b", "        guid: 0f8fad5b-d9cb-469f-a165-70867728950e", "  - name: B"),
			`5:9: an entry with ref: reuses theme "b" as it is defined and may have no other field; remove "guid"`, nil},
		{"theme without name", lines("version: 1", "themes:", "  - id: a"), "3:5: a theme needs a name", []string{"ref:"}},
		{"theme with empty name", lines("version: 1", "themes:", "  - name: ''"), "3:11: a theme needs a name", nil},
		{"theme null", lines("version: 1", "themes:", "  - name: A", "  - ~"), "", []string{"a theme needs a name"}},
		{"bad id", lines("version: 1", "themes:", "  - name: A", "    id: feeling heard"),
			`4:9: theme id "feeling heard" may hold only letters, digits`, []string{`"feeling-heard"`}},
		{"empty id", lines("version: 1", "themes:", "  - name: A", "    id: ''"), `4:9: theme id "" is empty`, nil},
		{"duplicate given id", lines("version: 1", "themes:", "  - name: A", "    id: hope", "  - name: B", "    themes:", "      - name: C", "        id: hope"),
			`8:13: theme id "hope" is already used at line 4; give one of them another id`, nil},
		{"given id clashes with slug", lines("version: 1", "themes:", "  - name: Hope", "  - name: B", "    id: hope"),
			`5:9: theme id "hope" is already used at line 3; give one of them another id`, nil},
		{"slug clashes with given id", lines("version: 1", "themes:", "  - name: B", "    id: hope", "  - name: Hope!"),
			`5:5: theme id "hope" (made from the name "Hope!") is already used at line 4; give one of them another id`, nil},
		{"two names one slug", lines("version: 1", "themes:", "  - name: Feeling heard", "    themes:", "      - name: feeling  HEARD"),
			`5:9: theme id "feeling-heard" (made from the name "feeling HEARD") is already used at line 3`, nil},
		{"theme-N clash", lines("version: 1", "themes:", "  - name: '!!'", "  - name: x", "    id: theme-1"),
			`5:9: theme id "theme-1" is already used at line 3`, nil},

		{"dangling ref", lines("version: 1", "themes:", "  - name: Feeling heard", "  - name: B", "    themes:", "      - ref: feeling-herd"),
			`6:14: ref "feeling-herd" names no theme id; did you mean "feeling-heard"?`, nil},
		{"ref by name", lines("version: 1", "themes:", "  - name: A", "    id: a1", "    themes:", "      - ref: Feeling heard", "  - name: Feeling heard", "    id: fh"),
			`6:14: ref "Feeling heard" names no theme id; did you mean "fh" (the id of theme "Feeling heard")?`, nil},
		{"dangling ref no hint", lines("version: 1", "themes:", "  - name: A", "    themes: [{ref: zzzzzz}]"),
			`4:20: ref "zzzzzz" names no theme id`, nil},
		{"empty ref", lines("version: 1", "themes:", "  - name: A", "    themes: [{ref: ''}]"), `4:20: ref: is empty`, nil},
		{"ref with name", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - ref: b", "        name: B", "  - name: b"),
			`5:9: an entry with ref: reuses theme "b" as it is defined and may have no other field; remove "name"`, nil},
		{"ref with codes", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - ref: b", "        codes: [x]", "  - name: b"),
			`5:9: an entry with ref: reuses theme "b"`, []string{`remove "codes"`}},
		{"ref with themes", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - {ref: b, themes: []}", "  - name: b"),
			`5:9: an entry with ref: reuses theme "b"`, []string{`remove "themes"`}},
		{"ref at top", lines("version: 1", "themes:", "  - name: A", "  - ref: a"), `4:10: ref: reuses a theme under another theme`, nil},
		{"ref twice", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - ref: b", "      - ref: b", "  - name: b"),
			`6:9: theme "b" is already a sub-theme of "a" (line 5); list it once`, nil},
		{"ref to own child", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - name: B", "      - ref: b"),
			`6:9: theme "b" is already a sub-theme of "a" (line 5)`, nil},
		{"self ref", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - ref: a"),
			`5:9: theme "a" contains itself: a → a`, nil},
		{"cycle", lines("version: 1", "themes:", "  - name: A", "    themes:", "      - name: B", "        themes:", "          - ref: c",
			"  - name: C", "    themes:", "      - ref: a"),
			`10:9: theme "a" contains itself: a → b → c → a; remove this ref or another one in the chain`, nil},
		{"cycle found from first root", lines("version: 1", "themes:", "  - name: A", "    themes: [{ref: b}]", "  - name: B", "    themes: [{ref: a}]"),
			`6:14: theme "a" contains itself: a → b → a`, nil},

		{"bad concern", lines("version: 1", "themes:", "  - name: A", "    cerqual:", "      coherence: {concern: big}"),
			`5:28: coherence concern "big" is not one of none, minor, moderate, serious`, nil},
		{"bad confidence", lines("version: 1", "themes:", "  - name: A", "    cerqual:", "      confidence: medium"),
			`5:19: confidence "medium" is not one of high, moderate, low, very-low`, nil},
		{"component not a mapping", lines("version: 1", "themes:", "  - name: A", "    cerqual:", "      adequacy: minor"),
			`5:17: expected a mapping`, nil},
		{"plain code name", lines("version: 1", "codes:", "  - Loneliness"), `3:5: code "Loneliness" needs a name: key here; write "- name: Loneliness"`, nil},
		{"plain theme name", lines("version: 1", "themes:", "  - name: A", "    themes: [B]"), `4:14: theme "B" needs a name: key here`, nil},
		{"alias loop", lines("version: 1", "themes: &t", "  - name: A", "    themes: *t"), `4:13: YAML alias *t is used inside its own anchor`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("codebook.yaml", tt.in)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "codebook.yaml:"+tt.want) {
				t.Errorf("error\n  %s\nwant prefix\n  codebook.yaml:%s", msg, tt.want)
			}
			for _, w := range tt.also {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "codebook.yaml" {
				t.Errorf("error is %T, want *ParseError naming the file", err)
			}
			if strings.Count(msg, "\n") > 0 {
				t.Errorf("error has several lines: %q", msg)
			}
		})
	}
}

func TestCERQual(t *testing.T) {
	cq := func(ml, co, ad, re, conf string) []byte {
		var b strings.Builder
		b.WriteString("version: 1\nthemes:\n  - name: A\n    cerqual:\n")
		for _, c := range [][2]string{{"methodological_limitations", ml}, {"coherence", co}, {"adequacy", ad}, {"relevance", re}} {
			if c[1] != "-" {
				fmt.Fprintf(&b, "      %s: {concern: %q}\n", c[0], c[1])
			}
		}
		if conf != "-" {
			fmt.Fprintf(&b, "      confidence: %q\n", conf)
		}
		return []byte(b.String())
	}
	tests := []struct {
		name               string
		in                 []byte
		ml, co, ad, re, cf string // normalised
		warn               string // part of the warning, or ""
	}{
		{"consistent", cq("minor", "none", "moderate", "none", "moderate"), "minor", "none", "moderate", "none", "moderate", ""},
		{"spellings", cq("No or very minor concerns", "Very Minor", "MINOR concerns", "Serious concerns", "Very low"),
			"none", "none", "minor", "serious", "very-low", ""},
		{"more spellings", cq("no concerns", "moderate concern", " none ", "serious", "Moderate confidence"),
			"none", "moderate", "none", "serious", "moderate", ""},
		{"very_low", cq("serious", "serious", "-", "-", "very_low"), "serious", "serious", "", "", "very-low", ""},
		{"high one moderate", cq("moderate", "none", "minor", "none", "high"), "moderate", "none", "minor", "none", "high", ""},
		{"high serious", cq("none", "serious", "none", "none", "high"), "none", "serious", "none", "none", "high",
			"confidence is high despite 1 serious concern"},
		{"high two moderate", cq("moderate", "none", "moderate", "none", "High"), "moderate", "none", "moderate", "none", "high",
			"confidence is high despite 2 moderate concerns"},
		{"moderate two serious", cq("serious", "serious", "none", "none", "moderate"), "serious", "serious", "none", "none", "moderate",
			"confidence is moderate despite 2 serious concerns"},
		{"moderate one serious", cq("serious", "none", "none", "none", "moderate"), "serious", "none", "none", "none", "moderate", ""},
		{"low all none", cq("none", "none", "none", "none", "low"), "none", "none", "none", "none", "low",
			"confidence is low although no component has any concern"},
		{"low three none", cq("none", "none", "none", "-", "low"), "none", "none", "none", "", "low", ""},
		{"low one minor", cq("none", "minor", "none", "none", "low"), "none", "minor", "none", "none", "low", ""},
		{"very low all minor", cq("minor", "none", "minor", "none", "very-low"), "minor", "none", "minor", "none", "very-low",
			"confidence is very low although no component has more than minor concerns"},
		{"very low one moderate", cq("moderate", "none", "minor", "none", "very low"), "moderate", "none", "minor", "none", "very-low", ""},
		{"no confidence", cq("minor", "-", "-", "-", "-"), "minor", "", "", "", "", "overall confidence is missing"},
		{"empty confidence", cq("minor", "-", "-", "-", ""), "minor", "", "", "", "", "overall confidence is missing"},
		{"confidence only", cq("-", "-", "-", "-", "low"), "", "", "", "", "low", ""},
		{"empty concern", cq("", "-", "-", "-", "high"), "", "", "", "", "high", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := mustParse(t, tt.in)
			c := cb.Themes[0].CERQual
			got := []string{c.MethodologicalLimitations.Concern, c.Coherence.Concern, c.Adequacy.Concern, c.Relevance.Concern, c.Confidence}
			if want := []string{tt.ml, tt.co, tt.ad, tt.re, tt.cf}; !reflect.DeepEqual(got, want) {
				t.Errorf("normalised %q, want %q", got, want)
			}
			switch {
			case tt.warn == "" && len(cb.Warnings) > 0:
				t.Errorf("unexpected warnings %+v", cb.Warnings)
			case tt.warn != "":
				if len(cb.Warnings) != 1 {
					t.Fatalf("warnings %+v, want one", cb.Warnings)
				}
				w := cb.Warnings[0]
				if w.Kind != "cerqual-inconsistent" || w.Where != "codebook.yaml:5:7" ||
					!strings.Contains(w.Message, tt.warn) || !strings.Contains(w.Message, `theme "A"`) {
					t.Errorf("warning %+v, want kind cerqual-inconsistent at codebook.yaml:5:7 saying %q", w, tt.warn)
				}
			}
		})
	}
}

func TestCERQualFields(t *testing.T) {
	cb := mustParse(t, lines(
		"version: 1",
		"themes:",
		"  - name: A",
		"    finding: >",
		"      People turned to social prescribing",
		"      at a low point.",
		"    cerqual:",
		"      methodological_limitations: {concern: minor, explanation: Some studies lacked reflexivity}",
		"      coherence: {concern: none}",
		"      confidence: moderate",
		"      explanation: \" Minor concerns.  \"",
		"    quotes: [E017, ' E203 ']",
		"  - name: B",
		"    cerqual: ~",
	))
	a := cb.Themes[0]
	if a.Finding != "People turned to social prescribing at a low point." {
		t.Errorf("finding %q", a.Finding)
	}
	want := &CERQual{
		MethodologicalLimitations: Component{"minor", "Some studies lacked reflexivity"},
		Coherence:                 Component{Concern: "none"},
		Confidence:                "moderate",
		Explanation:               "Minor concerns.",
	}
	if !reflect.DeepEqual(a.CERQual, want) {
		t.Errorf("CERQual = %+v, want %+v", a.CERQual, want)
	}
	if !reflect.DeepEqual(a.Quotes, []string{"E017", "E203"}) {
		t.Errorf("quotes %q", a.Quotes)
	}
	if cb.Themes[1].CERQual != nil {
		t.Errorf("cerqual: ~ should leave CERQual nil")
	}
	// Warnings come in theme order.
	cb = mustParse(t, lines("version: 1", "themes:",
		"  - {name: A, cerqual: {coherence: {concern: serious}, confidence: high}}",
		"  - {name: B, cerqual: {coherence: {concern: serious}}}"))
	if len(cb.Warnings) != 2 || cb.Warnings[0].Where != "codebook.yaml:3:24" || cb.Warnings[1].Where != "codebook.yaml:4:24" {
		t.Errorf("warnings %+v", cb.Warnings)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(path, lines("version: 1", "themes:", "  - name: A", "    nmae: x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+":4:5: unknown field \"nmae\"; did you mean \"name\"?") {
		t.Errorf("Load error %v", err)
	}
	_, err = Load(filepath.Join(dir, "missing.yaml"))
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "missing.yaml")+": cannot read the codebook: ") ||
		!errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := os.WriteFile(path, threeLevels, 0o644); err != nil {
		t.Fatal(err)
	}
	cb, err := Load(path)
	if err != nil || cb.File != path || len(cb.Themes) != 5 {
		t.Errorf("Load = %v, %v", cb, err)
	}
}

// TestWorkedExample parses the codebook of the worked example shipped with
// synth (testdata/social-prescribing).
func TestWorkedExample(t *testing.T) {
	cb, err := Load(filepath.Join("..", "testdata", "social-prescribing", "codebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, cb)
	if len(cb.Roots) != 5 {
		t.Errorf("%d analytical themes, want the five of the review", len(cb.Roots))
	}
}

// A theme and the code of its own name may share a GUID (one REFI-QDA code
// with sub-codes); the fields are kept as written, and a code without a
// guid has the same name-based one at every parse.
func TestREFIFields(t *testing.T) {
	cb, err := Parse("codebook.yaml", lines("version: 1", "codes:",
		"  - name: Support", "    guid: '{0F8FAD5B-D9CB-469F-A165-70867728950E}'", "    color: '#0a0'",
		"  - name: Family",
		"themes:", "  - name: support", "    guid: 0f8fad5b-d9cb-469f-a165-70867728950e", "    description: Help from others", "    codes: [Support, Family]"))
	if err != nil {
		t.Fatal(err)
	}
	if c := cb.Codes[0]; c.GUID != "{0F8FAD5B-D9CB-469F-A165-70867728950E}" || c.Color != "#0a0" || c.REFIGUID() != c.GUID {
		t.Errorf("code %+v", c)
	}
	if th := cb.Themes[0]; th.Description != "Help from others" || GUIDKey(th.REFIGUID()) != GUIDKey(cb.Codes[0].GUID) {
		t.Errorf("theme %+v", th)
	}
	again, _ := Parse("codebook.yaml", lines("version: 1", "codes:", "  - name: '  FAMILY '"))
	// Version 5 (name-based, SHA-1) and the same for the same name as
	// synth matches it.
	g := cb.Codes[1].REFIGUID()
	if !IsGUID(g) || g[14] != '5' || g != again.Codes[0].REFIGUID() || g == cb.Themes[0].REFIGUID() {
		t.Errorf("name-based GUIDs %s, %s", g, again.Codes[0].REFIGUID())
	}
}
