package export

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/synth-qda/synth/synthesis"
)

func tableNames(ts []Table) string {
	var names []string
	for _, t := range ts {
		names = append(names, t.Name)
	}
	return strings.Join(names, " ")
}

func TestTablesInOrderAndNumbered(t *testing.T) {
	ts := Tables(sampleResult())
	if got, want := tableNames(ts), "summary studies casp themes matrix codes quotes evidence cerqual soqf sensitivity warnings"; got != want {
		t.Fatalf("tables:\n got %s\nwant %s", got, want)
	}
	for i, tb := range ts {
		if tb.Number != i {
			t.Errorf("%s: number %d, want %d", tb.Name, tb.Number, i)
		}
		for j, row := range tb.Rows {
			if len(row) != len(tb.Header) {
				t.Errorf("%s row %d: %d cells, header has %d", tb.Name, j, len(row), len(tb.Header))
			}
		}
		if tb.Numeric != nil && len(tb.Numeric) != len(tb.Header) {
			t.Errorf("%s: Numeric has %d entries for %d columns", tb.Name, len(tb.Numeric), len(tb.Header))
		}
		if tb.Indent != nil && len(tb.Indent) != len(tb.Rows) {
			t.Errorf("%s: Indent has %d entries for %d rows", tb.Name, len(tb.Indent), len(tb.Rows))
		}
	}
	if got := ts[1].Caption(); got != "Table S1. Study characteristics" {
		t.Errorf("caption %q", got)
	}
	if got := ts[0].Caption(); got != "Summary" {
		t.Errorf("summary caption %q", got)
	}
}

func TestConditionalTablesAreLeftOut(t *testing.T) {
	ts := Tables(minimalResult())
	if got, want := tableNames(ts), "summary studies themes matrix codes quotes evidence soqf warnings"; got != want {
		t.Fatalf("tables:\n got %s\nwant %s", got, want)
	}
	for _, tb := range ts {
		if len(tb.Header) == 0 {
			t.Errorf("%s has no header", tb.Name)
		}
	}
	// Empty tables keep their header: stable shapes.
	for _, tb := range ts {
		if (tb.Name == "evidence" || tb.Name == "quotes") && len(tb.Rows) != 0 {
			t.Errorf("%s: %d rows, want none", tb.Name, len(tb.Rows))
		}
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 1: "100", 0.5: "50", 1.0 / 3: "33.3", 2.0 / 3: "66.7"} {
		if got := percent(in); got != want {
			t.Errorf("percent(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestEveryFormatRendersAnEmptyResult(t *testing.T) {
	for _, r := range []*synthesis.Result{{}, minimalResult()} {
		for _, format := range Names() {
			files, err := Files(format, r)
			if err != nil {
				t.Errorf("%s: %v", format, err)
				continue
			}
			for _, f := range files {
				if len(f.Data) == 0 {
					t.Errorf("%s: %s is empty", format, f.Name)
				}
			}
		}
	}
}

func TestFilesNames(t *testing.T) {
	want := map[string]string{"json": "synthesis.json", "md": "synthesis.md", "xlsx": "synthesis.xlsx", "dot": "theme-map.dot", "mermaid": "theme-map.mmd", "html": "report.html", "docx": "supplement.docx"}
	for format, name := range want {
		files, err := Files(format, minimalResult())
		if err != nil || len(files) != 1 || files[0].Name != name {
			t.Errorf("Files(%s) = %v, %v; want %s", format, files, err, name)
		}
	}
	if files, err := Files("svg", minimalResult()); err != nil || len(files) != 1 || files[0].Name != "theme-map.svg" {
		t.Errorf("Files(svg) = %v, %v; want theme-map.svg alone (no prisma: counts)", files, err)
	}
	if _, err := Files("pdf", minimalResult()); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("Files(pdf): %v", err)
	}
}

func TestDocTime(t *testing.T) {
	for env, want := range map[string]string{
		"":           "2000-01-01T00:00:00Z",
		"0":          "1970-01-01T00:00:00Z",
		"1700000000": "2023-11-14T22:13:20Z",
		"junk":       "2000-01-01T00:00:00Z",
		"-5":         "2000-01-01T00:00:00Z",
	} {
		t.Setenv("SOURCE_DATE_EPOCH", env)
		if got := DocTime().Format("2006-01-02T15:04:05Z07:00"); got != want {
			t.Errorf("SOURCE_DATE_EPOCH=%q: DocTime = %s, want %s", env, got, want)
		}
	}
}

// TestJSONContract checks the keys and shapes DESIGN.md §3.1 promises,
// on a full and an empty result: lists are [] (never null).
func TestJSONContract(t *testing.T) {
	for _, r := range []*synthesis.Result{sampleResult(), minimalResult(), {}} {
		var doc map[string]any
		if err := json.Unmarshal(render(t, "json", r)["synthesis.json"], &doc); err != nil {
			t.Fatal(err)
		}
		if doc["schema_version"] != 1.0 {
			t.Errorf("schema_version = %v", doc["schema_version"])
		}
		if _, ok := doc["title"].(string); !ok {
			t.Error("title is not a string")
		}
		lists := map[string][]string{
			"studies":  {"id", "extracts", "fields", "excluded"},
			"codes":    {"name", "extracts", "studies", "in_codebook", "themes"},
			"themes":   {"id", "name", "level", "depth", "parents", "children", "codes", "closure", "extracts", "studies", "extracts_per_study", "participant", "author", "share", "quotes"},
			"extracts": {"id", "study", "type", "location", "coder", "codes", "text", "where"},
			"warnings": {"kind", "message", "where"},
		}
		for key, fields := range lists {
			items, ok := doc[key].([]any)
			if !ok {
				t.Errorf("%s is %T, want a list", key, doc[key])
				continue
			}
			for _, it := range items {
				obj := it.(map[string]any)
				for _, f := range fields {
					v, ok := obj[f]
					if !ok || v == nil {
						t.Errorf("%s[]: %s missing or null in %v", key, f, obj)
					}
				}
			}
		}
	}
	var doc struct {
		Themes []struct {
			ID       string
			Parents  []string
			Extracts int
			Studies  []string
			Share    float64
		}
		Codes []struct {
			Name       string
			InCodebook bool `json:"in_codebook"`
		}
	}
	if err := json.Unmarshal(render(t, "json", sampleResult())["synthesis.json"], &doc); err != nil {
		t.Fatal(err)
	}
	var third struct {
		Themes []struct{ Share float64 }
	}
	r := minimalResult()
	r.Themes[0].Share = 1.0 / 3
	if err := json.Unmarshal(render(t, "json", r)["synthesis.json"], &third); err != nil || third.Themes[0].Share != 0.3333 {
		t.Errorf("share 1/3 written as %v (%v), want 0.3333", third.Themes, err)
	}
	heard := doc.Themes[2]
	if heard.ID != "feeling-heard" || strings.Join(heard.Parents, ",") != "hope,support" || heard.Extracts != 2 || strings.Join(heard.Studies, ",") != "S01,S02" || heard.Share != 0.5 {
		t.Errorf("reused theme = %+v", heard)
	}
	if len(doc.Themes) != 6 {
		t.Errorf("%d themes, want 6 (a reused theme appears once)", len(doc.Themes))
	}
	if last := doc.Codes[len(doc.Codes)-1]; last.Name != "Gardening" || last.InCodebook {
		t.Errorf("unknown code = %+v", last)
	}
}

// TestFindingsNumberedWithTheirThemes: the evidence profile and the summary
// of qualitative findings number the findings 1…n alike and name the theme
// of each, in every format that prints them.
func TestFindingsNumberedWithTheirThemes(t *testing.T) {
	r := build(workedExample)
	var findings []string
	for _, th := range r.Themes {
		if th.Finding != "" || th.CERQual != nil {
			findings = append(findings, th.Name)
		}
	}
	if len(findings) < 2 {
		t.Fatalf("the worked example has %d findings", len(findings))
	}
	tables := map[string]Table{}
	for _, tb := range Tables(r) {
		tables[tb.Name] = tb
	}
	for _, name := range []string{"cerqual", "soqf"} {
		tb := tables[name]
		if tb.Header[0] != "#" || tb.Header[1] != "Theme" || !tb.Numeric[0] || len(tb.Rows) != len(findings) {
			t.Fatalf("%s: header %q, %d rows; want # and Theme first, a row per finding (%d)", name, tb.Header[:2], len(tb.Rows), len(findings))
		}
		for i, row := range tb.Rows {
			if row[0] != strconv.Itoa(i+1) || row[1] != findings[i] {
				t.Errorf("%s row %d: %q, %q; want %d, %q", name, i+1, row[0], row[1], i+1, findings[i])
			}
		}
	}
	// Each format prints the two columns: their header cells, then the
	// last finding's number and theme.
	last := strconv.Itoa(len(findings))
	md := string(render(t, "md", r)["synthesis.md"])
	if strings.Count(md, "| # | Theme | Summarised review finding |") != 2 || !strings.Contains(md, "| "+last+" | "+mdText(findings[len(findings)-1])+" | ") {
		t.Errorf("synthesis.md does not number the findings with their themes")
	}
	page := string(renderHTML(t, r))
	if strings.Count(page, `<th scope="col" class="num">#</th><th scope="col">Theme</th>`) != 2 {
		t.Errorf("report.html does not head the findings with # and Theme")
	}
	f := openXLSX(t, render(t, "xlsx", r)["synthesis.xlsx"])
	for _, sheet := range []string{"CERQual", "SoQF"} {
		rows, _ := f.GetRows(sheet)
		end := rows[len(rows)-1]
		if rows[2][0] != "#" || rows[2][1] != "Theme" || end[0] != last || end[1] != findings[len(findings)-1] {
			t.Errorf("synthesis.xlsx %s: header %q, last row %q", sheet, rows[2][:2], end[:2])
		}
	}
	body := renderDOCX(t, r).parse(t, "word/document.xml").child("body")
	headed := 0
	body.walk(func(n *xmlNode) {
		if n.XMLName.Local == "tbl" && strings.HasPrefix(n.child("tr").text(), "#ThemeSummarised review finding") {
			headed++
		}
	})
	if headed != 2 {
		t.Errorf("supplement.docx has %d tables headed #, Theme, finding; want 2", headed)
	}
}
