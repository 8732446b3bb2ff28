package export

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// HTML writes report.html: one self-contained page for readers of the
// supplement: the summary counts, a table of contents, the theme hierarchy
// with support, the theme × study matrix shaded by count, each theme's
// evidence down to its extracts (in <details>, so it opens without
// JavaScript), the illustrative quotations, the GRADE-CERQual tables, the
// studies and the warnings.
//
// The page has inline CSS and inline SVG only: no external resource, no
// link but #anchors, and it reads with JavaScript off; a small inline script
// adds a filter over the extracts. Every value is laid out by html/template,
// whose contextual escaping makes all user text inert (text, attributes,
// URLs); anchors are ids synth makes from theme ids, reduced to [a-z0-9-].
// The page has no timestamp, so the same Result gives the same bytes.
func HTML(w io.Writer, r *synthesis.Result) error {
	var b bytes.Buffer
	grow(&b, r)
	rep := newReport(r)
	// The figures are SVG that synth draws, with every user text escaped
	// as XML text (figure.SVG), so they go into the page as markup.
	m, err := themeMapFigure(r, MapOptions{})
	if err != nil {
		return fmt.Errorf("theme map: %w", err)
	}
	rep.ThemeMap = template.HTML(m.SVG(true))
	if r.PRISMA != nil {
		rep.PRISMA = template.HTML(prismaFigure(r.PRISMA).SVG(true))
	}
	if err := reportTemplate.Execute(&b, rep); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

// report is what the template lays out; every value comes from the Result
// or from Tables.
type report struct {
	Title   string
	Note    string // the project's note, under the title
	Summary string
	Counts  [][2]string
	Themes  []reportTheme
	// Tree is the theme hierarchy: each root, then its sub-themes under
	// it, a theme reused under several parents listed under each.
	Tree   []reportTheme
	Matrix reportTable
	// Codes is the codes table; the captions of the themes, quotes and
	// evidence sections and of the figures carry supplement.docx's numbers.
	Codes                                  reportTable
	ThemesCaption, QuotesCaption, Evidence string
	ThemeMapCaption, PRISMACaption         string
	// Front are the tables numbered before the matrix (studies, CASP),
	// Back those after it (CERQual, SoQF, sensitivity, warnings), so the
	// page keeps the supplement's Table S<n> order.
	Front, Back []reportTable
	Quotes      int
	// ThemeMap and PRISMA are the figures as inline SVG (PRISMA empty
	// without counts).
	ThemeMap, PRISMA template.HTML
	Toc              []tocEntry
}

type tocEntry struct{ Anchor, Text string }

type reportTheme struct {
	Anchor      string
	Name        string
	Level       string
	Depth       int
	Parents     string
	Finding     string
	Studies     int
	Extracts    int
	Participant int
	Author      int
	Share       string // "42.1"
	Bar         int    // 0..100, the share as the width of the support bar
	Codes       string
	Evidence    []reportExtract
	Quotes      []reportExtract
	Flag        string // the sensitivity flag, if any
	Also        string // in the tree: the theme's other parents, when it is reused
}

type reportExtract struct {
	ID, Study, Source, Type, Location, Codes, Text string
}

type reportTable struct {
	Anchor  string
	Caption string
	Note    string
	Header  []reportCell
	Rows    [][]reportCell
}

type reportCell struct {
	Text   string
	Num    bool
	Indent int    // depth in the theme hierarchy, for the first column
	Shade  string // a matrix cell's class: "h0" for none, "h1".."h5" by count; "" elsewhere
}

func newReport(r *synthesis.Result) report {
	rep := report{Title: cmp.Or(strings.TrimSpace(r.Title), "Thematic synthesis"), Summary: summaryLine(r), Note: r.Note()}
	anchors := themeAnchors(r)
	tables := map[string]Table{}
	for _, t := range Tables(r) {
		tables[t.Name] = t
	}
	for i, row := range tables["summary"].Rows {
		if i == 0 && row[0] == "Title" || i == 1 && row[0] == noteItem && rep.Note != "" {
			continue
		}
		rep.Counts = append(rep.Counts, [2]string{row[0], row[1]})
	}
	for _, th := range r.Themes {
		t := reportTheme{Anchor: anchors[th.ID], Name: th.Name, Level: th.Level, Depth: th.Depth,
			Parents: strings.Join(th.ParentNames, "; "), Finding: th.Finding,
			Studies: len(th.Studies), Extracts: th.Extracts.Len(), Participant: th.Participant, Author: th.Author,
			Share: percent(th.Share), Bar: int(th.Share*100 + 0.5), Codes: strings.Join(th.Codes, "; ")}
		if s := th.Sensitive; s != nil {
			t.Flag = s.Flag
		}
		for _, e := range th.Extracts.All() {
			t.Evidence = append(t.Evidence, reportExtract{ID: e.ID, Study: e.Study.Label, Source: e.Source(), Type: string(e.Type),
				Location: e.Location, Codes: strings.Join(th.CodesOf(e), "; "), Text: e.Text})
		}
		for _, e := range th.Quotes {
			t.Quotes = append(t.Quotes, reportExtract{ID: e.ID, Study: e.Study.Label, Source: e.Source(), Type: string(e.Type),
				Location: e.Location, Text: e.Text})
			rep.Quotes++
		}
		rep.Themes = append(rep.Themes, t)
	}
	rep.Tree = themeTree(r, rep.Themes)
	rep.Matrix = reportTableOf(tables["matrix"])
	rep.Codes = reportTableOf(tables["codes"])
	rep.ThemesCaption, rep.QuotesCaption, rep.Evidence = tables["themes"].Caption(), tables["quotes"].Caption(), tables["evidence"].Caption()
	// The figures are numbered as in supplement.docx (docxFigures).
	rep.ThemeMapCaption, rep.PRISMACaption = figureCaption(1, themeMapTitle), figureCaption(2, prismaTitle)
	studies := tables["studies"]
	if casp, ok := tables["casp"]; ok {
		studies = besideCASP(studies, casp, r.CASP)
		rep.Front = append(rep.Front, reportTableOf(studies), reportTableOf(casp))
	} else {
		rep.Front = append(rep.Front, reportTableOf(studies))
	}
	for _, name := range []string{"cerqual", "soqf", "sensitivity", "warnings"} {
		if t, ok := tables[name]; ok {
			rep.Back = append(rep.Back, reportTableOf(t))
		}
	}
	rep.Toc = []tocEntry{{"summary", "Summary"}}
	for _, t := range rep.Front {
		rep.Toc = append(rep.Toc, tocEntry{t.Anchor, t.Caption})
	}
	rep.Toc = append(rep.Toc, tocEntry{"themes", rep.ThemesCaption})
	if r.PRISMA != nil {
		// After the themes, so that Figure S1 (the theme map) comes before
		// Figure S2, as in supplement.docx.
		rep.Toc = append(rep.Toc, tocEntry{"prisma", "Study selection"})
	}
	rep.Toc = append(rep.Toc, tocEntry{"table-matrix", rep.Matrix.Caption},
		tocEntry{rep.Codes.Anchor, rep.Codes.Caption}, tocEntry{"quotes", rep.QuotesCaption}, tocEntry{"evidence", rep.Evidence})
	for _, t := range rep.Back {
		rep.Toc = append(rep.Toc, tocEntry{t.Anchor, t.Caption})
	}
	return rep
}

// themeTree lists the themes as the hierarchy draws them: each root in
// codebook order with its sub-themes under it, depth first, so that a theme
// reused under several parents stands under each of them.
func themeTree(r *synthesis.Result, themes []reportTheme) []reportTheme {
	at := map[string]int{}
	for i, th := range r.Themes {
		at[th.ID] = i
	}
	var out []reportTheme
	var walk func(i, depth int, parent string, path map[string]bool)
	walk = func(i, depth int, parent string, path map[string]bool) {
		th := r.Themes[i]
		if path[th.ID] {
			return // a cycle, which the codebook refuses; never loop
		}
		t := themes[i]
		t.Depth = depth
		var others []string
		for k, p := range th.Parents {
			if p != parent && k < len(th.ParentNames) {
				others = append(others, th.ParentNames[k])
			}
		}
		if len(others) > 0 && parent != "" {
			t.Also = strings.Join(others, "; ")
		}
		out = append(out, t)
		path[th.ID] = true
		for _, c := range th.Children {
			if j, ok := at[c]; ok {
				walk(j, depth+1, th.ID, path)
			}
		}
		delete(path, th.ID)
	}
	for i, th := range r.Themes {
		if len(th.Parents) == 0 {
			walk(i, 0, "", map[string]bool{})
		}
	}
	return out
}

// reportTableOf lays a supplement table out as cells; matrix cells are
// shaded in five steps of their share of the largest count.
func reportTableOf(t Table) reportTable {
	rt := reportTable{Anchor: "table-" + t.Name, Caption: t.Caption(), Note: t.Note}
	for j, h := range t.Header {
		rt.Header = append(rt.Header, reportCell{Text: h, Num: j < len(t.Numeric) && t.Numeric[j]})
	}
	most := 0
	for _, row := range t.Rows {
		for j, c := range row {
			if j < len(t.Heat) && t.Heat[j] {
				if n, err := strconv.Atoi(c); err == nil && n > most {
					most = n
				}
			}
		}
	}
	for i, row := range t.Rows {
		cells := make([]reportCell, len(row))
		for j, c := range row {
			cells[j] = reportCell{Text: c, Num: t.IsNumber(i, j)}
			if t.Indent != nil && j == t.IndentCol && i < len(t.Indent) {
				cells[j].Indent = t.Indent[i]
			}
			if j < len(t.Heat) && t.Heat[j] {
				cells[j].Shade = "h0"
				if n, err := strconv.Atoi(c); err == nil && n > 0 && most > 0 {
					cells[j].Shade = "h" + itoa(min((n*5+most-1)/most, 5))
				}
			}
		}
		rt.Rows = append(rt.Rows, cells)
	}
	return rt
}

// themeAnchors gives each theme an anchor id of [a-z0-9-] only, made from
// its id and distinct: "theme-hope", "theme-hope-2".
func themeAnchors(r *synthesis.Result) map[string]string {
	out := map[string]string{}
	used := map[string]bool{}
	for i, th := range r.Themes {
		var b strings.Builder
		for _, c := range strings.ToLower(th.ID) {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteRune(c)
			case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
				b.WriteByte('-')
			}
		}
		base := "theme-" + strings.TrimSuffix(b.String(), "-")
		if base == "theme-" {
			base = "theme-" + itoa(i+1)
		}
		a := base
		for n := 2; used[a]; n++ {
			a = base + "-" + itoa(n)
		}
		used[a] = true
		out[th.ID] = a
	}
	return out
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"indent": func(d int) int { return min(max(d, 0), 4) },
}).Parse(reportHTML))

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="synth">
<title>{{.Title}}</title>
<style>
:root{--ink:#1a1a1a;--muted:#555;--rule:#c8c8c8;--accent:#1f4e79}
*{box-sizing:border-box}
body{font:15px/1.5 Georgia,"Times New Roman",serif;color:var(--ink);margin:0 auto;padding:1.5rem 2rem 4rem;max-width:72rem}
h1{font-size:1.7rem;line-height:1.25;margin:0 0 .4rem}
h2{font-size:1.3rem;margin:2.4rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid var(--accent);color:var(--accent)}
h3{font-size:1.08rem;margin:1.4rem 0 .3rem}
p.lede{color:var(--muted);margin:.2rem 0 1rem}
p.project-note{font-style:italic;margin:.2rem 0 .6rem;max-width:52rem}
a{color:var(--accent)}
nav ol{columns:2;column-gap:2rem;margin:.4rem 0;padding-left:1.4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .3rem;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Arial,sans-serif}
caption{text-align:left;font-weight:bold;padding:.2rem 0}
th,td{border:1px solid var(--rule);padding:.25rem .4rem;vertical-align:top;text-align:left}
thead th{background:#eef2f6}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.t{white-space:pre-line}
td.nw{white-space:nowrap}
.d1{padding-left:1.4rem}.d2{padding-left:2.6rem}.d3{padding-left:3.8rem}.d4{padding-left:5rem}
p.note{font-size:.85rem;color:var(--muted);margin:.2rem 0 1rem}
table.counts{width:auto}
table.counts td:first-child{padding-right:1.5rem}
ul.tree{list-style:none;padding:0;margin:0}
ul.tree li{padding:.35rem 0;border-bottom:1px solid #e6e6e6}
ul.tree li.d1{padding-left:1.6rem}ul.tree li.d2{padding-left:3.2rem}ul.tree li.d3{padding-left:4.8rem}ul.tree li.d4{padding-left:6.4rem}
ul.tree .lv{font:11px system-ui,Arial,sans-serif;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
ul.tree .sup{font:13px system-ui,Arial,sans-serif;color:var(--muted)}
ul.tree svg{vertical-align:middle;margin-right:.4rem}
.also{font:11px system-ui,Arial,sans-serif;color:var(--muted)}
.flag{font:11px system-ui,Arial,sans-serif;background:#fbe9d0;border:1px solid #e0b070;padding:0 .3rem;border-radius:3px}
table.matrix th.study{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;vertical-align:bottom;font-weight:normal;padding:.4rem .15rem}
table.matrix td.num{min-width:1.8rem;text-align:center}
table.matrix td.h0{color:#999}
table.matrix tbody th{font-weight:normal}table.matrix tbody th.d0{font-weight:bold}
.h1{background:#deebf7}.h2{background:#b6d4ec}.h3{background:#7fb1da;}.h4{background:#3f86c2;color:#fff}.h5{background:#1f4e79;color:#fff}
.legend span{display:inline-block;padding:0 .5rem;margin-right:.2rem;border:1px solid var(--rule);font:12px system-ui,Arial,sans-serif}
.wide{overflow-x:auto}
figure.fig{margin:1rem 0}figure.fig svg{display:block}figcaption{font-size:.9em;color:#444}
details{margin:.3rem 0 .8rem}
summary{cursor:pointer;font:13px system-ui,Arial,sans-serif;color:var(--accent)}
section.theme{border-left:3px solid var(--rule);padding-left:.8rem;margin-left:.1rem}
section.theme p{margin:.2rem 0}
blockquote{margin:.5rem 0 .8rem 1rem;padding:.1rem 0 .1rem .9rem;border-left:3px solid var(--accent)}
blockquote p{margin:0;white-space:pre-line;font-style:italic}
blockquote footer{font:13px system-ui,Arial,sans-serif;color:var(--muted);margin-top:.15rem}
#filter{font:14px system-ui,Arial,sans-serif;padding:.3rem .5rem;width:100%;max-width:28rem;margin:.3rem 0}
@media print{
  @page{size:A4;margin:15mm 12mm}
  body{font-size:10.5pt;padding:0;max-width:none}
  nav,#filter{display:none}
  .wide{overflow:visible}
  h2{break-after:avoid;page-break-after:avoid}
  h3{break-after:avoid}
  tr,blockquote,li{break-inside:avoid;page-break-inside:avoid}
  thead{display:table-header-group}
  table{font-size:8pt}
  th,td{padding:1.5pt 2.5pt}
  a{color:inherit;text-decoration:none}
  details::details-content{content-visibility:visible;display:contents}
  summary{color:inherit}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{- if .Note}}
<p class="project-note">{{.Note}}</p>
{{- end}}
<p class="lede">{{.Summary}}</p>
</header>
<nav aria-label="Contents">
<h2>Contents</h2>
<ol>
{{- range .Toc}}
<li><a href="#{{.Anchor}}">{{.Text}}</a></li>
{{- end}}
</ol>
</nav>
<main>
<section id="summary">
<h2>Summary</h2>
<table class="counts">
<tbody>
{{- range .Counts}}
<tr><td>{{index . 0}}</td><td class="num">{{index . 1}}</td></tr>
{{- end}}
</tbody>
</table>
</section>
{{- range .Front}}{{template "table" .}}{{end}}
<section id="themes">
<h2>{{.ThemesCaption}}</h2>
<p class="note">Themes from analytical to descriptive, each with its support over its own and its sub-themes' codes: studies (bar: share of included studies) and extracts.</p>
<figure class="fig">
{{.ThemeMap}}<figcaption><strong>{{.ThemeMapCaption}}</strong>: analytical themes (bold outline) and their descriptive themes, each with the studies and extracts supporting it.</figcaption>
</figure>
<ul class="tree">
{{- range .Tree}}
<li class="d{{indent .Depth}}"><span class="lv">{{.Level}}</span> <a href="#{{.Anchor}}">{{.Name}}</a>{{if .Also}} <span class="also">also under {{.Also}}</span>{{end}}{{if .Flag}} <span class="flag">{{.Flag}} without excluded studies</span>{{end}}<br>
<span class="sup"><svg width="100" height="10" role="img" aria-label="{{.Share}}% of studies"><rect width="100" height="10" fill="#e6e6e6"/><rect width="{{.Bar}}" height="10" fill="#1f4e79"/></svg>{{.Studies}} {{if eq .Studies 1}}study{{else}}studies{{end}} ({{.Share}}%) · {{.Extracts}} {{if eq .Extracts 1}}extract{{else}}extracts{{end}} ({{.Participant}} participant, {{.Author}} author)</span></li>
{{- end}}
</ul>
</section>
{{- if .PRISMA}}
<section id="prisma">
<h2>Study selection</h2>
<figure class="fig">
{{.PRISMA}}<figcaption><strong>{{.PRISMACaption}}</strong> (Page et al., BMJ 2021;372:n71).</figcaption>
</figure>
</section>
{{- end}}
{{with .Matrix}}
<section id="{{.Anchor}}">
<h2>{{.Caption}}</h2>
<p class="legend">Extracts per study: <span class="h1">fewest</span><span class="h2">&nbsp;</span><span class="h3">&nbsp;</span><span class="h4">&nbsp;</span><span class="h5">most</span></p>
<div class="wide"><table class="matrix">
<thead><tr>
{{- range $i, $h := .Header}}<th{{if and $i .Num}} class="study"{{end}} scope="col">{{.Text}}</th>{{end -}}
</tr></thead>
<tbody>
{{- range .Rows}}
<tr>
{{- range $i, $c := .}}{{if $i}}<td class="num {{.Shade}}">{{.Text}}</td>{{else}}<th scope="row" class="d{{indent .Indent}}">{{.Text}}</th>{{end}}{{end -}}
</tr>
{{- end}}
</tbody>
</table></div>
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
</section>
{{end}}
{{template "table" .Codes}}
<section id="quotes">
<h2>{{.QuotesCaption}}</h2>
{{- if not .Quotes}}
<p class="note">No theme has an illustrative quotation.</p>
{{- end}}
{{- range .Themes}}{{if .Quotes}}
<h3>{{.Name}}</h3>
{{- range .Quotes}}
<blockquote><p>{{.Text}}</p><footer>— {{.Source}}{{if eq .Type "author"}} (author interpretation){{end}}</footer></blockquote>
{{- end}}
{{- end}}{{end}}
</section>
<section id="evidence">
<h2>{{.Evidence}}</h2>
<p class="note">Each theme's finding and the extracts that support it. Open a theme's extracts to read them.</p>
<input type="search" id="filter" placeholder="Filter extracts by any word…" aria-label="Filter extracts" hidden>
{{- range .Themes}}
<section class="theme" id="{{.Anchor}}">
<h3>{{.Name}}</h3>
<p class="note">{{.Level}}{{if .Parents}} · under {{.Parents}}{{end}}{{if .Codes}} · codes: {{.Codes}}{{end}}</p>
{{if .Finding}}<p><strong>Finding:</strong> {{.Finding}}</p>{{end}}
{{if .Evidence}}<details class="ev">
<summary>{{.Extracts}} {{if eq .Extracts 1}}extract{{else}}extracts{{end}} from {{.Studies}} {{if eq .Studies 1}}study{{else}}studies{{end}}</summary>
<table>
<thead><tr><th scope="col">Study</th><th scope="col">Type</th><th scope="col">Location</th><th scope="col">Codes</th><th scope="col">Extract</th></tr></thead>
<tbody>
{{- range .Evidence}}
<tr class="x"><td class="nw">{{.Study}}</td><td>{{.Type}}</td><td class="nw">{{.Location}}</td><td>{{.Codes}}</td><td class="t">{{.Text}}</td></tr>
{{- end}}
</tbody>
</table>
</details>{{else}}<p class="note">No extract supports this theme.</p>{{end}}
</section>
{{- end}}
</section>
{{- range .Back}}{{template "table" .}}{{end}}
</main>
<script>
(function () {
  var input = document.getElementById("filter");
  if (!input) { return; }
  input.hidden = false;
  input.addEventListener("input", function () {
    var q = input.value.toLowerCase();
    document.querySelectorAll("details.ev").forEach(function (d) {
      var shown = 0;
      d.querySelectorAll("tr.x").forEach(function (tr) {
        var hit = q === "" || tr.textContent.toLowerCase().indexOf(q) >= 0;
        tr.hidden = !hit;
        if (hit) { shown++; }
      });
      d.open = q !== "" && shown > 0;
      d.closest("section").hidden = q !== "" && shown === 0;
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
</script>
</body>
</html>
{{define "table"}}
<section id="{{.Anchor}}">
<h2>{{.Caption}}</h2>
{{- if .Rows}}
<div class="wide"><table>
<thead><tr>{{range .Header}}<th scope="col"{{if .Num}} class="num"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td class="{{if .Num}}num{{else}}t{{end}} d{{indent .Indent}}">{{.Text}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table></div>
{{- else}}
<p class="note">None.</p>
{{- end}}
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
</section>
{{end}}`
