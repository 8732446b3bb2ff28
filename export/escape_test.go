package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/synth-qda/synth/synthesis"
)

func render(t *testing.T, format string, r *synthesis.Result) map[string][]byte {
	t.Helper()
	files, err := Files(format, r)
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Name] = f.Data
	}
	return out
}

func TestNeutralise(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+1", "'+1"},
		{"-x", "'-x"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"", ""},
		{"a=b", "a=b"},
		{" =x", " =x"},
		{"'=x", "'=x"},
		{"café", "café"},
	} {
		if got := neutralise(c.in); got != c.want {
			t.Errorf("neutralise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	files := render(t, "csv", sampleResult())
	seen := map[string]bool{}
	for name, data := range files {
		if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s starts with a byte-order mark", name)
		}
		if bytes.Contains(data, []byte("\r\n")) {
			t.Errorf("%s: records must end with \\n, found \\r\\n", name)
		}
		rd := csv.NewReader(bytes.NewReader(data))
		rd.FieldsPerRecord = 0
		records, err := rd.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, rec := range records {
			for _, field := range rec {
				if field != "" && isFormulaStart(field[0]) {
					t.Errorf("%s: field %q starts like a formula", name, field)
				}
				seen[field] = true
			}
		}
	}
	for _, want := range []string{"'=SUM(A1)", "'+1 visit to the GP felt like enough", "'-x marks where I was",
		"'@cmd|' /C calc'!A0", `'=HYPERLINK("http://x")`, "'+44 Group", "England ]]> &amp;",
		"yes | no <script>alert(1)</script>", "She said \"it helped\".\nThen: café, naïve, 日本語 — “curly”"} {
		if !seen[want] {
			t.Errorf("no CSV field %q", want)
		}
	}
}

func TestCSVFiles(t *testing.T) {
	files, err := CSV(sampleResult())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	want := "csv/summary.csv csv/studies.csv csv/casp.csv csv/themes.csv csv/matrix.csv csv/codes.csv csv/quotes.csv csv/evidence.csv csv/cerqual.csv csv/soqf.csv csv/sensitivity.csv csv/warnings.csv"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("csv files:\n got %s\nwant %s", got, want)
	}
}

func TestJSONKeepsExactText(t *testing.T) {
	data := render(t, "json", sampleResult())["synthesis.json"]
	var doc struct {
		Title    string
		Extracts []struct{ ID, Text string }
		Studies  []struct {
			Fields map[string]string
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, e := range doc.Extracts {
		texts[e.ID] = e.Text
	}
	for id, want := range map[string]string{
		"E001": "=SUM(A1)", "E002": "+1 visit to the GP felt like enough", "E003": "-x marks where I was",
		"E004": "@cmd|' /C calc'!A0", "E006": "yes | no <script>alert(1)</script>",
		"E005":                    "indented: I was alone", // Build trims the tab the fixture starts it with
		"E007":                    "She said \"it helped\".\nThen: café, naïve, 日本語 — “curly”",
		"extracts.csv:extracts!9": "# not a heading\n- not a list", // no ID: its row; CSV reads CR LF as LF
	} {
		if texts[id] != want {
			t.Errorf("%s text = %q, want %q", id, texts[id], want)
		}
	}
	if doc.Title != sampleResult().Title {
		t.Errorf("title = %q", doc.Title)
	}
	if got := doc.Studies[0].Fields["Author"]; got != `=HYPERLINK("http://x")` {
		t.Errorf("S01 Author = %q", got)
	}
	if !bytes.Contains(data, []byte("<script>")) || bytes.Contains(data, []byte(`\u003c`)) {
		t.Error("JSON should keep < and > as they are")
	}
}

func TestMarkdownText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a | b", `a \| b`},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"&amp;", "&amp;amp;"},
		{"*bold* _it_ `code` [link](x) ~~s~~", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~\\~s\\~\\~"},
		{`back\slash \|`, `back\\slash \\\|`},
		{"one\ntwo\r\nthree\rfour", "one<br>two<br>three<br>four"},
		{"café 日本語", "café 日本語"},
	} {
		if got := mdText(c.in); got != c.want {
			t.Errorf("mdText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"# h", `\# h`},
		{"- item", `\- item`},
		{"+ item", `\+ item`},
		{"12. item", `12\. item`},
		{"3) item", `3\) item`},
		{"2024 was", "2024 was"},
		{"plain", "plain"},
	} {
		if got := mdBlock(c.in); got != c.want {
			t.Errorf("mdBlock(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := mdHeading("C#"); got != `C\#` {
		t.Errorf("mdHeading(C#) = %q", got)
	}
}

// unescapedPipe matches a | that is not escaped by a backslash (an even
// run of backslashes before it escapes only themselves).
var unescapedPipe = regexp.MustCompile(`(^|[^\\])(\\\\)*\|`)

func TestMarkdownEscapesScriptAndPipes(t *testing.T) {
	md := string(render(t, "md", sampleResult())["synthesis.md"])
	if strings.Contains(md, "<script") || strings.Contains(md, "</script") {
		t.Error("synthesis.md holds a raw <script> tag")
	}
	if !strings.Contains(md, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("synthesis.md lost the escaped script text")
	}
	if !strings.Contains(md, `yes \| no`) {
		t.Error("synthesis.md does not escape | in a cell")
	}
	// Every row of a table has as many cells as its header.
	cols := -1
	for i, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = -1
			continue
		}
		n := len(unescapedPipe.FindAllString(line, -1))
		if cols < 0 {
			cols = n
		} else if n != cols {
			t.Errorf("line %d has %d cell borders, header has %d: %s", i+1, n, cols, line)
		}
	}
	// Only synth's own HTML (<br>) appears.
	if html := regexp.MustCompile(`<[^b]`).FindString(md); html != "" {
		t.Errorf("synthesis.md holds markup %q", html)
	}
}

func TestDOTQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`a\lb`, `"a\\lb"`},
		{"one\ntwo\r\nthree", `"one\ntwo\nthree"`},
		{"bell\x07", `"bell "`},
		{"<b>html</b>", `"<b>html</b>"`},
	} {
		if got := dotQuote(c.in); got != c.want {
			t.Errorf("dotQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestMermaidText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`say "hi"`, "say #quot;hi#quot;"},
		{"<script>", "#lt;script#gt;"},
		{"a & b", "a #amp; b"},
		{"#quot; literal", "#35;quot; literal"},
		{"`md`", "#96;md#96;"},
		{"one\ntwo", "one<br/>two"},
		{"[x] (y) {z} |w|", "[x] (y) {z} |w|"},
	} {
		if got := mermaidText(c.in); got != c.want {
			t.Errorf("mermaidText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"end": "end", "reaching-out": "reaching_out", "café 1": "caf__1", "a.b": "a_b"} {
		if got := mermaidID(in); got != want {
			t.Errorf("mermaidID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMermaidIDsAreSafeAndUnique(t *testing.T) {
	r := sampleResult()
	r.Themes[1].ID = "feeling.heard" // sanitises to the same id as feeling-heard
	r.Themes[0].Children = []string{"feeling.heard", "feeling-heard"}
	mmd := string(render(t, "mermaid", r)["theme-map.mmd"])
	for _, want := range []string{"t_end[", "t_feeling_heard[", "t_feeling_heard_2[", "t_hope --> t_feeling_heard\n", "t_hope --> t_feeling_heard_2\n"} {
		if !strings.Contains(mmd, want) {
			t.Errorf("theme-map.mmd lacks %q:\n%s", want, mmd)
		}
	}
	for _, line := range strings.Split(mmd, "\n")[2:] {
		id := strings.Fields(strings.Split(line, "[")[0])
		if len(id) > 0 && !regexp.MustCompile(`^[A-Za-z0-9_]+$`).MatchString(id[0]) {
			t.Errorf("unsafe node id in %q", line)
		}
	}
}

func TestThemeMapWithCodes(t *testing.T) {
	r := sampleResult()
	var dot, mmd bytes.Buffer
	if err := DOTWith(&dot, r, MapOptions{Codes: true}); err != nil {
		t.Fatal(err)
	}
	if err := MermaidWith(&mmd, r, MapOptions{Codes: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"code:Loneliness" [label="Loneliness\n2 extracts"`, `"theme:reaching-out" -> "code:Loneliness";`, `"theme:end" -> "code:Mismatch";`} {
		if !strings.Contains(dot.String(), want) {
			t.Errorf("DOT with codes lacks %s", want)
		}
	}
	if strings.Contains(dot.String(), "Gardening") {
		t.Error("DOT shows a code no theme names")
	}
	for _, want := range []string{`c_Loneliness(["Loneliness<br/>2 extracts"])`, "t_reaching_out --> c_Loneliness", "class c_Loneliness,"} {
		if !strings.Contains(mmd.String(), want) {
			t.Errorf("Mermaid with codes lacks %s", want)
		}
	}
	// The default map leaves codes out.
	if strings.Contains(string(render(t, "dot", r)["theme-map.dot"]), "code:") {
		t.Error("default DOT shows codes")
	}
}

// TestDOTRendersWithGraphviz runs the real client when it is installed.
func TestDOTRendersWithGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz dot not installed; .ci/run installs it")
	}
	for _, codes := range []bool{false, true} {
		var b bytes.Buffer
		if err := DOTWith(&b, sampleResult(), MapOptions{Codes: codes}); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = &b
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("dot -Tsvg: %v\n%s", err, out)
		}
		if !bytes.Contains(out, []byte("Feeling *heard* [by] `link workers`")) {
			t.Errorf("SVG lacks a theme label")
		}
	}
}
