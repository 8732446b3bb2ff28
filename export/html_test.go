package export

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/synth-qda/synth/synthesis"
)

// hostile are texts meant to break a page: each must reach the reader
// intact, as text, and do nothing.
var hostile = []string{
	`<script>alert("x")</script>`,
	`=HYPERLINK("javascript:alert(1)","click")`,
	`fish &amp; chips`,
	`]]> end of CDATA`,
	`x" onmouseover="alert(1)`,
	`javascript:alert(2)`,
}

// hostileResult is the fixture with hostile text in every kind of value
// the page shows: title, theme id, name and finding, study label, extract
// text and location, warning.
func hostileResult() *synthesis.Result {
	r := sampleResult()
	r.Title = hostile[0]
	th := r.Themes[0]
	th.Name, th.Finding, th.ID = hostile[1], hostile[2], hostile[4]
	r.Studies[0].Label = hostile[3]
	editable(r)
	e := th.Extracts.At(0)
	e.Text, e.Location = hostile[4]+"\n"+hostile[0], hostile[5]
	r.Warnings = append(r.Warnings, synthesis.Warning{Kind: "unknown-code", Message: hostile[0], Where: hostile[4]})
	return r
}

// editable makes r's extracts by hand, each once, so that a test can
// change one everywhere the Result shows it: Result.Extracts, the themes'
// extracts and their quotes (a built Result makes an Extract each time one
// is asked for).
func editable(r *synthesis.Result) {
	all := r.Extracts.Slice()
	byID := map[string]*synthesis.Extract{}
	for _, e := range all {
		byID[e.ID] = e
	}
	r.Extracts = synthesis.ExtractList(all...)
	for _, th := range r.Themes {
		var list []*synthesis.Extract
		for _, e := range th.Extracts.All() {
			list = append(list, byID[e.ID])
		}
		th.Extracts = synthesis.ExtractList(list...)
		for i, q := range th.Quotes {
			th.Quotes[i] = byID[q.ID]
		}
	}
}

func renderHTML(t *testing.T, r *synthesis.Result) []byte {
	t.Helper()
	return render(t, "html", r)["report.html"]
}

// TestHTMLHostileTextIsInertAndIntact parses the page as a browser does:
// every hostile text is there as text, and the page's only markup is
// synth's: one script (its own), no event handler, no link but #anchors,
// anchor ids of [a-z0-9-].
func TestHTMLHostileTextIsInertAndIntact(t *testing.T) {
	page := renderHTML(t, hostileResult())
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	scripts := 0
	anchorID := regexp.MustCompile(`^[a-z0-9-]+$`)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if n.Parent == nil || n.Parent.Data != "script" {
				texts = append(texts, n.Data)
			}
		case html.ElementNode:
			if n.Data == "script" {
				scripts++
			}
			for _, a := range n.Attr {
				switch {
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("<%s %s=%q>: an event handler", n.Data, a.Key, a.Val)
				case a.Key == "src", a.Key == "action", a.Key == "formaction", a.Key == "srcset":
					t.Errorf("<%s %s=%q>: a resource", n.Data, a.Key, a.Val)
				case a.Key == "href" && (!strings.HasPrefix(a.Val, "#") || !anchorID.MatchString(a.Val[1:])):
					t.Errorf("<%s href=%q>: not an #anchor", n.Data, a.Val)
				case a.Key == "id" && !anchorID.MatchString(a.Val):
					t.Errorf("<%s id=%q>: not [a-z0-9-]", n.Data, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != 1 {
		t.Errorf("%d <script> elements, want synth's one", scripts)
	}
	all := strings.Join(texts, "\x00")
	for _, h := range hostile {
		if !strings.Contains(all, h) {
			t.Errorf("the page's text lacks %q", h)
		}
	}
	for _, raw := range []string{"<script>alert", `" onmouseover=`, `href="javascript`} {
		if bytes.Contains(page, []byte(raw)) {
			t.Errorf("the page holds %q unescaped", raw)
		}
	}
	if !bytes.Contains(page, []byte(`id="theme-x-onmouseover-alert-1"`)) {
		t.Error("the hostile theme id is not sanitised to theme-x-onmouseover-alert-1")
	}
}

// TestHTMLIsSelfContained: the page refers to nothing outside itself. No
// attribute, style or script names a URL (user text may, as text: the
// fixture's studies hold =HYPERLINK("http://x")), every href is an #anchor
// of the page, and the minimal project's page has no "http" at all.
func TestHTMLIsSelfContained(t *testing.T) {
	for _, r := range []*synthesis.Result{sampleResult(), minimalResult()} {
		page := renderHTML(t, r)
		doc, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		var hrefs []string
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				for _, a := range n.Attr {
					for _, bad := range []string{"http:", "https:", "//", "url("} {
						if strings.Contains(strings.ToLower(a.Val), bad) {
							t.Errorf("<%s %s=%q> names a URL", n.Data, a.Key, a.Val)
						}
					}
					switch a.Key {
					case "id":
						ids[a.Val] = true
					case "href":
						hrefs = append(hrefs, a.Val)
					case "src", "srcset", "action", "formaction", "xlink:href":
						t.Errorf("<%s %s=%q>: a resource", n.Data, a.Key, a.Val)
					}
				}
				if n.Data == "style" || n.Data == "script" {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						for _, bad := range []string{"http", "//", "url(", "@import", "fetch(", "XMLHttpRequest"} {
							if strings.Contains(c.Data, bad) {
								t.Errorf("<%s> holds %q", n.Data, bad)
							}
						}
					}
				}
				if n.Data == "link" || n.Data == "img" || n.Data == "iframe" || n.Data == "object" || n.Data == "embed" {
					t.Errorf("<%s> element", n.Data)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for _, h := range hrefs {
			if !strings.HasPrefix(h, "#") || !ids[h[1:]] {
				t.Errorf("href=%q is not an #anchor of the page", h)
			}
		}
		if len(hrefs) == 0 {
			t.Error("the page has no table of contents links")
		}
	}
	if page := renderHTML(t, minimalResult()); bytes.Contains(page, []byte("http")) {
		t.Error("the minimal project's page holds http")
	}
}

// TestHTMLShowsTheSynthesis checks the contents the page promises, from the
// fixture's Result.
func TestHTMLShowsTheSynthesis(t *testing.T) {
	r := sampleResult()
	page := string(renderHTML(t, r))
	for _, want := range []string{
		`<nav aria-label="Contents">`, `<section id="themes">`, `<section id="table-matrix">`, `<section id="evidence">`,
		`<section id="quotes">`, `<section id="table-cerqual">`, `<section id="table-soqf">`, `<section id="table-studies">`,
		`<section id="table-warnings">`, `<details class="ev">`, `@media print`, `size:A4`,
		`Feeling *heard* [by] `, `Feeling supported &amp; empowered`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// The studies table leaves the CASP answers to the CASP table, so that
	// it fits a printed page.
	studies := page[strings.Index(page, `<section id="table-studies">`):strings.Index(page, `<section id="table-casp">`)]
	if len(r.CASP) == 0 || strings.Contains(studies, ">"+htmlText(r.CASP[0].Label)+"<") || !strings.Contains(studies, "CASP answers: Table S2. CASP appraisal.") {
		t.Errorf("the studies table shows the CASP answers or does not point to Table S2:\n%s", studies)
	}
	for _, th := range r.Themes {
		for _, e := range th.Quotes {
			if !strings.Contains(page, "— "+htmlText(e.Source())) {
				t.Errorf("quote %s of %s is not cited as %s", e.ID, th.ID, e.Source())
			}
		}
	}
}

// htmlText escapes s as html/template writes text.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestHTMLRendersInChromium opens the page in a real browser, headless,
// when one is installed, and reads back the DOM it built.
func TestHTMLRendersInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium not installed (apt-get install chromium); the page is checked by parsing only")
	}
	r := sampleResult()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, renderHTML(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--disable-gpu", "--no-sandbox", "--user-data-dir="+t.TempDir(),
		"--dump-dom", "file://"+filepath.ToSlash(path))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s --dump-dom: %v\n%s", bin, err, stderr.String())
	}
	for _, th := range r.Themes {
		if !bytes.Contains(dom, []byte(htmlText(th.Name))) {
			t.Errorf("the rendered page lacks theme %q", th.Name)
		}
	}
	// The script ran: it shows the filter it keeps hidden without JavaScript.
	if !regexp.MustCompile(`<input type="search" id="filter"[^>]*>`).Match(dom) || regexp.MustCompile(`<input[^>]*id="filter"[^>]*hidden`).Match(dom) {
		t.Errorf("the extracts filter is missing or still hidden after the script ran")
	}
}

// TestHTMLNumbersAsTheSupplement: report.html heads its sections and lists
// its contents with supplement.docx's captions (Table S1…, Figure S1, S2),
// and its theme hierarchy lists a theme reused under several parents under
// each of them.
func TestHTMLNumbersAsTheSupplement(t *testing.T) {
	r := sampleResult()
	page := string(renderHTML(t, r))
	heads := regexp.MustCompile(`<h2>([^<]*)</h2>`).FindAllStringSubmatch(page, -1)
	toc := regexp.MustCompile(`<li><a href="#[a-z0-9-]+">([^<]*)</a></li>`).FindAllStringSubmatch(page, -1)
	has := func(list [][]string, s string) bool {
		for _, m := range list {
			if m[1] == s {
				return true
			}
		}
		return false
	}
	for _, tb := range docxTables(r) {
		if tb.Number == 0 {
			continue
		}
		c := htmlText(tb.Caption())
		if !has(heads, c) || !has(toc, c) {
			t.Errorf("report.html has no section headed and listed %q", c)
		}
	}
	figs, err := docxFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if !strings.Contains(page, "<figcaption><strong>"+htmlText(f.caption())+"</strong>") {
			t.Errorf("report.html labels no figure %q", f.caption())
		}
	}
	// feeling-heard sits under two parents in the fixture.
	var shared *synthesis.ThemeStat
	for _, th := range r.Themes {
		if len(th.Parents) == 2 {
			shared = th
		}
	}
	if shared == nil {
		t.Fatal("the fixture has no theme under two parents")
	}
	tree, _, _ := strings.Cut(page[strings.Index(page, `<ul class="tree">`):], "</ul>")
	if n := strings.Count(tree, ">"+htmlText(shared.Name)+"</a>"); n != 2 {
		t.Errorf("the hierarchy lists %q %d times, want under each of its 2 parents", shared.Name, n)
	}
	// Under each parent: the item before it at a lower depth is that parent.
	items := regexp.MustCompile(`<li class="d(\d)">.*?>([^<]*)</a>`).FindAllStringSubmatch(tree, -1)
	var under []string
	for i, it := range items {
		if it[2] != htmlText(shared.Name) {
			continue
		}
		for k := i - 1; k >= 0; k-- {
			if items[k][1] < it[1] {
				under = append(under, items[k][2])
				break
			}
		}
	}
	var want []string
	for _, p := range shared.ParentNames {
		want = append(want, htmlText(p))
	}
	slices.Sort(under)
	slices.Sort(want)
	if !slices.Equal(under, want) {
		t.Errorf("%q is listed under %q, want %q", shared.Name, under, want)
	}
}

// TestHTMLFigureOrder checks that the page shows its figures in their
// numbers' order, S1 (theme map) before S2 (PRISMA), as supplement.docx
// numbers them, and lists the PRISMA section in the contents after the
// themes.
func TestHTMLFigureOrder(t *testing.T) {
	page := string(render(t, "html", sampleResult())["report.html"])
	s1, s2 := strings.Index(page, "<strong>Figure S1."), strings.Index(page, "<strong>Figure S2.")
	if s1 < 0 || s2 < 0 || s1 > s2 {
		t.Errorf("Figure S1 at %d, Figure S2 at %d; want both, S1 first", s1, s2)
	}
	themes, prisma := strings.Index(page, `<a href="#themes">`), strings.Index(page, `<a href="#prisma">`)
	if themes < 0 || prisma < themes || !strings.Contains(page, `<section id="prisma">`) {
		t.Errorf("contents: themes at %d, PRISMA at %d; want both, themes first, and the section", themes, prisma)
	}
	if page := string(render(t, "html", minimalResult())["report.html"]); strings.Contains(page, "prisma") {
		t.Error("a project without PRISMA counts has a PRISMA section or contents entry")
	}
}
