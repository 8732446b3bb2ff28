package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/synth-qda/synth/synthesis"
	"golang.org/x/text/unicode/norm"
)

// workedExample is the worked example's project, whose 19 studies make a
// matrix too wide for a portrait page.
var workedExample = filepath.Join("..", "testdata", "social-prescribing", "synth.yaml")

// xmlNode is any XML element, read generically.
type xmlNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []xmlNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

// attr is the value of the attribute local (any namespace), "" if absent.
func (n xmlNode) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// child is the first child element named local, or nil.
func (n *xmlNode) child(local string) *xmlNode {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == local {
			return &n.Nodes[i]
		}
	}
	return nil
}

// walk calls f on n and every element under it, in document order.
func (n *xmlNode) walk(f func(*xmlNode)) {
	f(n)
	for i := range n.Nodes {
		n.Nodes[i].walk(f)
	}
}

// text is the text of a paragraph (or any element) as Word shows it:
// w:t text, w:br as a line break, w:tab as a tab; field instructions are
// not text.
func (n *xmlNode) text() string {
	var b strings.Builder
	n.walk(func(e *xmlNode) {
		switch e.XMLName.Local {
		case "t":
			b.WriteString(e.Text)
		case "br":
			b.WriteString("\n")
		case "tab":
			b.WriteString("\t")
		}
	})
	return b.String()
}

// docxFiles is an unzipped supplement.docx.
type docxFiles map[string][]byte

func renderDOCX(t *testing.T, r *synthesis.Result) docxFiles {
	t.Helper()
	return unzip(t, render(t, "docx", r)["supplement.docx"])
}

// unzip reads every entry of a zip into memory, by name.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

// parse reads a part as XML, failing the test when it is not well-formed.
func (p docxFiles) parse(t *testing.T, name string) *xmlNode {
	t.Helper()
	data, ok := p[name]
	if !ok {
		t.Fatalf("supplement.docx has no %s", name)
	}
	var n xmlNode
	if err := xml.Unmarshal(data, &n); err != nil {
		t.Fatalf("%s is not well-formed XML: %v", name, err)
	}
	return &n
}

// captions are the texts of the Caption paragraphs, in order.
func captions(body *xmlNode) []string {
	var out []string
	body.walk(func(e *xmlNode) {
		if e.XMLName.Local == "p" && paraStyle(e) == "Caption" {
			out = append(out, e.text())
		}
	})
	return out
}

func paraStyle(p *xmlNode) string {
	if ppr := p.child("pPr"); ppr != nil {
		if s := ppr.child("pStyle"); s != nil {
			return s.attr("val")
		}
	}
	return ""
}

// TestDOCXStructure reads the worked example's supplement back: the
// captions of every table but the warnings, then the figures, in order,
// each number a SEQ field holding it; each table's header row repeats; the
// wide matrix sits in a landscape section, the narrow SoQF in a portrait
// one; every picture is in the package with its content type.
func TestDOCXStructure(t *testing.T) {
	r := build(workedExample)
	p := renderDOCX(t, r)
	doc := p.parse(t, "word/document.xml")
	body := doc.child("body")

	var want []string
	for _, tb := range Tables(r) {
		if tb.Name != "warnings" {
			want = append(want, tb.Caption())
		}
	}
	want = append(want, "Figure S1. Theme map", "Figure S2. PRISMA 2020 flow diagram")
	if got := captions(body); !slices.Equal(got, want) {
		t.Errorf("captions:\n%q\nwant\n%q", got, want)
	}
	if len(want) != 13 || want[1] != "Table S1. Study characteristics" || want[10] != "Table S10. Sensitivity analysis" {
		t.Errorf("the worked example's captions are %q", want)
	}

	// The SEQ fields count tables and figures; their results are the numbers.
	var seq []string
	body.walk(func(e *xmlNode) {
		if e.XMLName.Local == "p" && paraStyle(e) == "Caption" {
			instr, result, inResult := "", "", false
			for _, run := range e.Nodes {
				if fc := run.child("fldChar"); fc != nil {
					inResult = fc.attr("fldCharType") == "separate"
				}
				if it := run.child("instrText"); it != nil {
					instr = strings.TrimSpace(it.Text)
				}
				if tx := run.child("t"); tx != nil && inResult {
					result += tx.Text
				}
			}
			if instr != "" {
				seq = append(seq, instr+"="+result)
			}
		}
	})
	wantSeq := []string{}
	for i := 1; i <= 10; i++ {
		wantSeq = append(wantSeq, `SEQ Table \* ARABIC=`+itoa(i))
	}
	wantSeq = append(wantSeq, `SEQ Figure \* ARABIC=1`, `SEQ Figure \* ARABIC=2`)
	if !slices.Equal(seq, wantSeq) {
		t.Errorf("caption fields %q, want %q", seq, wantSeq)
	}

	// The section of each table is the next sectPr in the body.
	type placed struct {
		caption string
		node    *xmlNode
	}
	var pending []placed
	orient := map[string]string{}
	caption := ""
	for i := range body.Nodes {
		e := &body.Nodes[i]
		switch e.XMLName.Local {
		case "p":
			if paraStyle(e) == "Caption" {
				caption = e.text()
			}
		case "tbl":
			pending = append(pending, placed{caption, e})
			rows := 0
			for _, tr := range e.Nodes {
				if tr.XMLName.Local == "tr" {
					rows++
					trPr := tr.child("trPr")
					header := trPr != nil && trPr.child("tblHeader") != nil
					if header != (rows == 1) {
						t.Errorf("%s: row %d tblHeader %v", caption, rows, header)
					}
				}
			}
		}
		var sect *xmlNode
		if e.XMLName.Local == "sectPr" {
			sect = e
		} else if ppr := e.child("pPr"); e.XMLName.Local == "p" && ppr != nil {
			sect = ppr.child("sectPr")
		}
		if sect != nil {
			o := sect.child("pgSz").attr("orient")
			for _, pl := range pending {
				orient[pl.caption] = o
			}
			pending = nil
		}
	}
	if len(pending) != 0 {
		t.Errorf("tables after the last section: %d", len(pending))
	}
	if o := orient["Table S4. Theme × study matrix"]; o != "landscape" {
		t.Errorf("the matrix of 19 studies is in a %q section, want landscape", o)
	}
	if o := orient["Table S9. Summary of qualitative findings"]; o != "" {
		t.Errorf("the four-column SoQF is in a %q section, want portrait", o)
	}

	// Pictures: each blip's relationship names a part of the package,
	// and PNG has its content type.
	rels := p.parse(t, "word/_rels/document.xml.rels")
	target := map[string]string{}
	for _, rel := range rels.Nodes {
		target[rel.attr("Id")] = rel.attr("Target")
	}
	pictures := 0
	body.walk(func(e *xmlNode) {
		if e.XMLName.Local == "blip" {
			pictures++
			name := "word/" + target[e.attr("embed")]
			if _, ok := p[name]; !ok || !strings.HasSuffix(name, ".png") {
				t.Errorf("picture %s: part %q missing", e.attr("embed"), name)
			}
		}
	})
	if pictures != 2 {
		t.Errorf("%d pictures, want the theme map and the PRISMA diagram", pictures)
	}
	if !bytes.Contains(p["[Content_Types].xml"], []byte(`<Default Extension="png" ContentType="image/png"/>`)) {
		t.Errorf("[Content_Types].xml has no content type for png")
	}
	checkWordCompatible(t, p)
}

// checkWordCompatible checks the package against the causes of Word's
// "unreadable content … repair" prompt that a writer can make:
//   - every part is well-formed XML and has a content type;
//   - every relationship of the document names a part that exists, and
//     every r:id and r:embed in the document names a relationship;
//   - the body ends with its sectPr, and other sectPr sit only in a
//     paragraph's pPr;
//   - every table has a tblGrid with a gridCol per cell of each row, and
//     every cell ends with a paragraph;
//   - drawing ids (wp:docPr) are distinct;
//   - a table is followed by a paragraph (Word needs one before a
//     section's end).
func checkWordCompatible(t *testing.T, p docxFiles) {
	t.Helper()
	types := p.parse(t, "[Content_Types].xml")
	defaults, overrides := map[string]bool{}, map[string]bool{}
	for _, n := range types.Nodes {
		defaults[n.attr("Extension")] = n.XMLName.Local == "Default"
		overrides[n.attr("PartName")] = n.XMLName.Local == "Override"
	}
	for name := range p {
		if name == "[Content_Types].xml" {
			continue
		}
		if !overrides["/"+name] && !defaults[strings.TrimPrefix(filepath.Ext(name), ".")] {
			t.Errorf("%s has no content type", name)
		}
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			p.parse(t, name)
		}
	}
	for _, rels := range []struct{ part, dir string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word/"}} {
		for _, rel := range p.parse(t, rels.part).Nodes {
			if _, ok := p[rels.dir+rel.attr("Target")]; !ok {
				t.Errorf("%s: %s names %s, not in the package", rels.part, rel.attr("Id"), rel.attr("Target"))
			}
		}
	}
	ids := map[string]bool{}
	for _, rel := range p.parse(t, "word/_rels/document.xml.rels").Nodes {
		ids[rel.attr("Id")] = true
	}
	doc := p.parse(t, "word/document.xml")
	body := doc.child("body")
	if n := len(body.Nodes); n == 0 || body.Nodes[n-1].XMLName.Local != "sectPr" {
		t.Errorf("the body does not end with its sectPr")
	}
	docPr := map[string]bool{}
	doc.walk(func(e *xmlNode) {
		for _, a := range e.Attrs {
			if a.Name.Space == nsR && !ids[a.Value] {
				t.Errorf("%s r:%s=%q names no relationship", e.XMLName.Local, a.Name.Local, a.Value)
			}
		}
		switch e.XMLName.Local {
		case "docPr":
			if docPr[e.attr("id")] {
				t.Errorf("drawing id %s twice", e.attr("id"))
			}
			docPr[e.attr("id")] = true
		case "tbl":
			grid := e.child("tblGrid")
			if grid == nil {
				t.Errorf("a table without tblGrid")
				return
			}
			for _, tr := range e.Nodes {
				if tr.XMLName.Local != "tr" {
					continue
				}
				cells := 0
				for _, tc := range tr.Nodes {
					if tc.XMLName.Local != "tc" {
						continue
					}
					span := 1 // a cell across several grid columns counts them all
					if g := tc.child("tcPr").child("gridSpan"); g != nil {
						span, _ = strconv.Atoi(g.attr("val"))
					}
					cells += span
					if last := tc.Nodes[len(tc.Nodes)-1]; last.XMLName.Local != "p" {
						t.Errorf("a cell ends with %s, not a paragraph", last.XMLName.Local)
					}
				}
				if cells != len(grid.Nodes) {
					t.Errorf("a row of %d cells' columns in a grid of %d", cells, len(grid.Nodes))
				}
			}
		case "body", "pPr":
		default:
			if e.child("sectPr") != nil {
				t.Errorf("sectPr inside %s", e.XMLName.Local)
			}
		}
	})
	for i, e := range body.Nodes {
		if e.XMLName.Local == "tbl" && (i+1 >= len(body.Nodes) || body.Nodes[i+1].XMLName.Local != "p") {
			t.Errorf("a table not followed by a paragraph")
		}
	}
}

// TestDOCXWordCompatibleMinimal: the checklist holds for the smallest
// project too (one theme, no extract, no PRISMA: one figure).
func TestDOCXWordCompatibleMinimal(t *testing.T) {
	p := renderDOCX(t, minimalResult())
	checkWordCompatible(t, p)
	if got := captions(p.parse(t, "word/document.xml").child("body")); !slices.Contains(got, "Figure S1. Theme map") || slices.Contains(got, "Figure S2. PRISMA 2020 flow diagram") {
		t.Errorf("captions %q: want the theme map and no PRISMA diagram", got)
	}
}

// TestDOCXHostileTextIsInertAndIntact: every hostile text reaches a
// paragraph of the document as text, exactly; the title reaches the
// document properties; and the only markup is synth's: no hyperlink, no
// field but SEQ and PAGE, no element of another namespace.
func TestDOCXHostileTextIsInertAndIntact(t *testing.T) {
	r := hostileResult()
	// The hostileResult study label [3] cites the study in the matrix
	// header and the evidence table.
	p := renderDOCX(t, r)
	doc := p.parse(t, "word/document.xml")
	var paras []string
	doc.walk(func(e *xmlNode) {
		if e.XMLName.Local == "p" {
			paras = append(paras, e.text())
		}
		switch e.XMLName.Space {
		case nsW, nsWP, nsA, nsPic:
		default:
			t.Errorf("element %s:%s in the document", e.XMLName.Space, e.XMLName.Local)
		}
		switch e.XMLName.Local {
		case "hyperlink", "fldSimple", "object", "pict", "altChunk":
			t.Errorf("a %s in the document", e.XMLName.Local)
		case "instrText":
			if in := strings.Fields(e.Text); len(in) == 0 || in[0] != "SEQ" {
				t.Errorf("field %q in the document", e.Text)
			}
		}
	})
	has := func(s string) bool {
		return slices.ContainsFunc(paras, func(p string) bool { return strings.Contains(p, s) })
	}
	for _, h := range hostile {
		if !has(h) {
			t.Errorf("%q does not reach the document intact", h)
		}
	}
	// The extract's text, with its line break, is one paragraph.
	if !slices.Contains(paras, hostile[4]+"\n"+hostile[0]) {
		t.Errorf("the two-line extract is not one paragraph with a line break")
	}
	// Warnings stay out.
	if has("Warnings") {
		t.Errorf("the supplement mentions the warnings")
	}
	core := p.parse(t, "docProps/core.xml")
	if got := core.child("title").Text; got != hostile[0] {
		t.Errorf("document title %q, want %q", got, hostile[0])
	}
}

// TestDOCXText: characters XML 1.0 cannot hold become U+FFFD, line breaks
// of every kind become w:br, tabs w:tab; the rest is escaped and kept.
func TestDOCXText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a & b < c > d", `<w:r><w:t xml:space="preserve">a &amp; b &lt; c &gt; d</w:t></w:r>`},
		{"x\r\ny\rz\n", `<w:r><w:t xml:space="preserve">x</w:t><w:br/><w:t xml:space="preserve">y</w:t><w:br/><w:t xml:space="preserve">z</w:t><w:br/></w:r>`},
		{"a\tb\vc\fd", `<w:r><w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t><w:br/><w:t xml:space="preserve">c</w:t><w:br/><w:t xml:space="preserve">d</w:t></w:r>`},
		{"bell\x07 nul\x00 \uFFFE \xff", `<w:r><w:t xml:space="preserve">bell` + "\uFFFD nul\uFFFD \uFFFD \uFFFD" + `</w:t></w:r>`},
		{"]]> \"q\" 'a'", `<w:r><w:t xml:space="preserve">]]&gt; &#34;q&#34; &#39;a&#39;</w:t></w:r>`},
		{"", `<w:r></w:r>`},
	} {
		var sb strings.Builder
		d := docxWriter{b: bufio.NewWriter(&sb)}
		d.run("", c.in)
		d.b.Flush()
		if got := sb.String(); got != c.want {
			t.Errorf("run(%q) =\n%s\nwant\n%s", c.in, got, c.want)
		}
	}
}

// TestDOCXLayout: the orientation rule and column widths.
func TestDOCXLayout(t *testing.T) {
	portrait, landscape := docxTextWidth(false), docxTextWidth(true)
	if portrait != 9638 || landscape != 14570 {
		t.Fatalf("text widths %d, %d twips; A4 less 2 cm margins is 9638 and 14570", portrait, landscape)
	}
	cols := func(n int) Table {
		tb := Table{Header: make([]string, n)}
		for j := range tb.Header {
			tb.Header[j] = "H"
		}
		return tb
	}
	if docxLayout(cols(6)).landscape || !docxLayout(cols(7)).landscape {
		t.Errorf("six columns print portrait, seven landscape")
	}
	// Two columns whose longest words are 60 x's each (capped at
	// docxMaxWordTwips, 2835): 2 × (2835 + 170) = 6010 twips fit a portrait
	// page, so it stays portrait; three such columns with 40-x words (also
	// capped: 9015) also fit; five (15025) do not, and turn landscape.
	word := func(n int) string { return strings.Repeat("x", n) }
	wide := func(n, chars int) Table {
		tb := Table{Header: make([]string, n), Rows: [][]string{make([]string, n)}}
		for j := range tb.Header {
			tb.Header[j], tb.Rows[0][j] = "H", word(chars)
		}
		return tb
	}
	if docxLayout(wide(2, 60)).landscape || docxLayout(wide(3, 40)).landscape || !docxLayout(wide(5, 40)).landscape {
		t.Errorf("the least widths do not decide the orientation")
	}
	// Natural widths that fit are widened in proportion to fill the page.
	// The header "Item" in bold is 2.569 em (I 372, t 478, e 678, m 1041
	// thousandths; 463 twips) and as a word a twentieth more (486); the
	// cell "Item" 410; 20 x's 2128: natural widths 486 + 170 = 656 and
	// 2128 + 170 = 2298, and the 6684 twips left are shared 656:2298,
	// 1484 to the first column.
	l := docxLayout(Table{Header: []string{"Item", "Value"}, Rows: [][]string{{"Item", word(20)}}})
	if l.widths[0]+l.widths[1] != portrait || l.widths[0] != 656+1484 {
		t.Errorf("widths %v, want %d and the rest of %d", l.widths, 656+1484, portrait)
	}
	// Natural widths that do not fit: the widest are cut to one width, and
	// none below its least width.
	for _, c := range []struct{ nat, lst, want []int }{
		{[]int{1000, 5000, 3000}, []int{800, 1500, 2000}, []int{1000, 2500, 2500}},
		{[]int{1000, 5000, 3000}, []int{800, 1500, 2900}, []int{1000, 2100, 2900}},
		{[]int{3000, 7000}, []int{3000, 6000}, []int{2000, 4000}}, // least widths too wide: in proportion
	} {
		if got := fitWidths(c.nat, c.lst, 6000); !slices.Equal(got, c.want) {
			t.Errorf("fitWidths(%v, %v, 6000) = %v, want %v", c.nat, c.lst, got, c.want)
		}
	}
	// share gives out what is left in proportion, to the last twip.
	if got := shareWidth([]int{100, 100, 100}, []int{1, 1, 2}, 1000); !slices.Equal(got, []int{275, 275, 450}) {
		t.Errorf("share = %v, want [275 275 450]", got)
	}
}

// TestDOCXMatrixHeadersTurn: the worked example's 19 study columns do not
// fit a landscape page across, so their headers run upwards and the row is
// tall enough for the longest label; the fixture's four do not turn.
func TestDOCXMatrixHeadersTurn(t *testing.T) {
	matrix := func(r *synthesis.Result) Table {
		for _, tb := range Tables(r) {
			if tb.Name == "matrix" {
				return tb
			}
		}
		t.Fatal("no matrix")
		return Table{}
	}
	l := docxLayout(matrix(build(workedExample)))
	if !l.landscape || l.rotate[0] || !l.rotate[1] || !l.rotate[19] || l.rotate[20] {
		t.Errorf("worked example: landscape %v, turned %v; want landscape with the 19 study headers turned", l.landscape, l.rotate)
	}
	// "Study 01" in 9 pt DejaVu Sans Bold: S 720, t 478, u 711, d 715,
	// y 651, space 348, 0 695, 1 695 thousandths of an em = 5.013 em × 180
	// twips = 903, plus the cell's margins.
	if l.headerH != 903+docxCellPad {
		t.Errorf("header height %d twips, want %d", l.headerH, 903+docxCellPad)
	}
	// A two-digit count in bold: 2 × 695 thousandths of 180 twips = 251,
	// and "Studies" in bold, 4.239 em = 764.
	for j := 1; j <= 19; j++ {
		if l.widths[j] < 251+docxCellPad {
			t.Errorf("study column %d is %d twips, narrower than a bold two-digit count", j, l.widths[j])
		}
	}
	if l.widths[20] < 764+docxCellPad {
		t.Errorf("the Studies column is %d twips, narrower than its header", l.widths[20])
	}
	if l.widths[0] > docxTextWidth(true)/3 {
		t.Errorf("the Theme column takes %d of %d twips", l.widths[0], docxTextWidth(true))
	}
	if sum(l.widths) != docxTextWidth(true) {
		t.Errorf("widths %v add up to %d, not the page's %d", l.widths, sum(l.widths), docxTextWidth(true))
	}
	if l := docxLayout(matrix(sampleResult())); l.landscape || slices.Contains(l.rotate, true) {
		t.Errorf("fixture: landscape %v, turned %v", l.landscape, l.rotate)
	}
}

// TestDOCXDates: every zip entry and the document properties carry
// DocTime, so SOURCE_DATE_EPOCH sets them.
func TestDOCXDates(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14T22:13:20Z
	data := render(t, "docx", sampleResult())["supplement.docx"]
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	for _, f := range zr.File {
		if !f.Modified.Equal(want) {
			t.Errorf("%s dated %v, want %v", f.Name, f.Modified, want)
		}
	}
	if !bytes.Contains(renderDOCX(t, sampleResult())["docProps/core.xml"], []byte(">2023-11-14T22:13:20Z</dcterms:modified>")) {
		t.Errorf("core.xml is not dated SOURCE_DATE_EPOCH")
	}
}

// TestDOCXPrintsEveryCaption converts the worked example's supplement to
// PDF with LibreOffice: every caption is printed, and the warnings are not.
func TestDOCXPrintsEveryCaption(t *testing.T) {
	r := build(workedExample)
	text := workedExamplePDF(t)
	for _, tb := range Tables(r) {
		if in := strings.Contains(text, tb.Caption()); in != (tb.Name != "warnings") {
			t.Errorf("the PDF holds %q: %v", tb.Caption(), in)
		}
	}
	for _, c := range []string{"Figure S1. Theme map", "Figure S2. PRISMA 2020 flow diagram", "Supplementary material"} {
		if !strings.Contains(text, c) {
			t.Errorf("the PDF does not hold %q", c)
		}
	}
}

// TestDOCXValidatesAgainstSchema validates the WordprocessingML parts with
// xmllint against the ECMA-376 transitional schemas (wml.xsd and the
// schemas it imports) in the folder SYNTH_OOXML_XSD names, when it names
// one: synth does not ship the schemas.
func TestDOCXValidatesAgainstSchema(t *testing.T) {
	dir := os.Getenv("SYNTH_OOXML_XSD")
	if dir == "" {
		t.Skip("SYNTH_OOXML_XSD does not name a folder of the ECMA-376 transitional schemas (wml.xsd, …)")
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed")
	}
	tmp := t.TempDir()
	p := renderDOCX(t, hostileResult())
	for _, part := range []string{"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml"} {
		path := filepath.Join(tmp, filepath.Base(part))
		if err := os.WriteFile(path, p[part], 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join(dir, "wml.xsd"), path).CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", part, err, out)
		}
	}
}

// TestDOCXMatrixPrintsWhole prints the worked example's matrix with
// LibreOffice: every study label is printed whole up its column, and each
// theme's counts stand on one line, not broken over two.
func TestDOCXMatrixPrintsWhole(t *testing.T) {
	r := build(workedExample)
	text := workedExamplePDF(t)
	// The last of each caption: the first is in the contents.
	start, end := strings.LastIndex(text, "Table S4. "), strings.LastIndex(text, "Table S5. ")
	if start < 0 || end < start {
		t.Fatalf("no Table S4 then S5 in the PDF")
	}
	page := text[start:end]
	for _, s := range r.Studies {
		if !strings.Contains(page, s.Label) {
			t.Errorf("the matrix's header does not print %q whole", s.Label)
		}
	}
	lines := strings.Split(page, "\n")
	for _, th := range r.Themes {
		var want []string
		for _, n := range th.PerStudy {
			want = append(want, itoa(n))
		}
		want = append(want, itoa(len(th.Studies)))
		found := false
		for _, line := range lines {
			f := strings.Fields(line)
			if len(f) >= len(want) && slices.Equal(f[len(f)-len(want):], want) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no line of the matrix ends with its counts %v", th.Name, want)
		}
	}
}

var workedPDF struct {
	once sync.Once
	text string
	skip string
}

// workedExamplePDF is the text of the worked example's supplement.docx as
// LibreOffice prints it, converted once for the tests that read it.
func workedExamplePDF(t *testing.T) string {
	t.Helper()
	workedPDF.once.Do(func() {
		if _, err := exec.LookPath("soffice"); err != nil {
			workedPDF.skip = "LibreOffice (soffice) not installed; .ci/run installs it"
			return
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			workedPDF.skip = "pdftotext (poppler-utils) not installed; .ci/run installs it"
			return
		}
		workedPDF.text = pdfText(t, "supplement.docx", render(t, "docx", build(workedExample))["supplement.docx"])
	})
	if workedPDF.skip != "" {
		t.Skip(workedPDF.skip)
	}
	if workedPDF.text == "" {
		t.Fatal("the worked example's supplement did not convert")
	}
	return workedPDF.text
}

// TestDOCXBreaksNoWord prints the worked example's supplement with
// LibreOffice: every word the PDF holds is a word of the document, so no
// column is so narrow that a word breaks in the middle ("Stud" and "y ID",
// "modera" and "te"). Words are runs of letters and digits, so that a line
// may break after a hyphen or a slash.
func TestDOCXBreaksNoWord(t *testing.T) {
	r := build(workedExample)
	known := map[string]bool{"Page": true, "Supplementary": true, "material": true, "Contents": true}
	addWords := func(s string) {
		for _, w := range docWords(s) {
			known[w] = true
		}
	}
	addWords(r.Title)
	addWords(r.Note())
	for _, tb := range docxTables(r) {
		addWords(tb.Caption())
		addWords(tb.Note)
		addWords(strings.Join(tb.Header, " "))
		addWords(strings.Join(tb.heads, " "))
		for _, row := range tb.Rows {
			addWords(strings.Join(row, " "))
		}
	}
	figs, err := docxFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		addWords(f.caption())
		addWords(f.note)
	}
	var broken []string
	seen := map[string]bool{}
	for _, w := range docWords(workedExamplePDF(t)) {
		if _, err := strconv.Atoi(w); err == nil || known[w] || seen[w] {
			continue // page numbers, and words already reported
		}
		seen[w] = true
		broken = append(broken, w)
	}
	if len(broken) > 0 {
		t.Errorf("the PDF holds pieces of words, broken where a column is too narrow: %q", broken)
	}
}

// docWords splits s into runs of letters and digits, in NFKC (as a PDF's
// text may hold ligatures).
func docWords(s string) []string {
	return strings.FieldsFunc(norm.NFKC.String(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// TestDOCXEvidenceHeadsThemes: the evidence prints each theme once, as a
// row across the table above its extracts, gives the extracts' words half
// the page or more, and lets a long row run on to the next page.
func TestDOCXEvidenceHeadsThemes(t *testing.T) {
	r := build(workedExample)
	body := renderDOCX(t, r).parse(t, "word/document.xml").child("body")
	var tables []*xmlNode
	body.walk(func(n *xmlNode) {
		if n.XMLName.Local == "tbl" {
			tables = append(tables, n)
		}
	})
	var evidence *xmlNode
	for _, tb := range tables {
		if first := tb.child("tr"); first != nil && strings.HasPrefix(first.text(), "ExtractStudyType") {
			evidence = tb
		}
	}
	if evidence == nil {
		t.Fatal("no table headed Extract, Study, Type, …")
	}
	var grid []int
	for _, g := range evidence.child("tblGrid").Nodes {
		w, _ := strconv.Atoi(g.attr("w"))
		grid = append(grid, w)
	}
	if len(grid) != 6 || grid[5]*2 < sum(grid) {
		t.Errorf("evidence grid %v: want six columns, the Text column half of it or more", grid)
	}
	var heads []string
	for _, tr := range evidence.Nodes {
		if tr.XMLName.Local != "tr" {
			continue
		}
		tc := tr.child("tc")
		if span := tc.child("tcPr").child("gridSpan"); span != nil {
			if span.attr("val") != "6" {
				t.Errorf("heading row %q spans %s columns", tr.text(), span.attr("val"))
			}
			heads = append(heads, tr.text())
		}
	}
	var want []string
	for _, th := range r.Themes {
		if th.Extracts.Len() > 0 {
			want = append(want, th.Name)
		}
	}
	if !slices.Equal(heads, want) {
		t.Errorf("heading rows %q, want each theme with extracts once: %q", heads, want)
	}

	// A row of a long text is not kept whole; a short one is.
	long := Table{Header: []string{"Extract", "Text"}, Prose: []bool{false, true},
		Rows: [][]string{{"E1", "short"}, {"E2", strings.Repeat("a long extract ", 400)}}}
	var sb strings.Builder
	d := docxWriter{b: bufio.NewWriter(&sb)}
	d.table(long, docxLayout(long), true, "")
	d.b.Flush()
	rows := strings.Split(sb.String(), "<w:tr>")
	if len(rows) != 4 || !strings.Contains(rows[1], "<w:tblHeader/>") || !strings.Contains(rows[2], "<w:cantSplit/>") || strings.Contains(rows[3], "<w:cantSplit/>") {
		t.Errorf("header and short row kept whole, long row free to split: %q", rows)
	}
}

// TestDOCXEvidenceFillsItsPages: printed with LibreOffice, the worked
// example's evidence (Table S7) takes no more than a page for every fifteen
// extracts; a theme column on every row and rows kept whole took a page
// for every ten.
func TestDOCXEvidenceFillsItsPages(t *testing.T) {
	r := build(workedExample)
	text := workedExamplePDF(t)
	start, end := strings.LastIndex(text, "Table S7. Evidence"), strings.LastIndex(text, "Table S8. ")
	if start < 0 || end < start {
		t.Fatal("no Table S7 then S8 in the PDF")
	}
	pages := strings.Count(text[start:end], "\f")
	rows := 0
	for _, tb := range Tables(r) {
		if tb.Name == "evidence" {
			rows = len(tb.Rows)
		}
	}
	if pages*15 > rows {
		t.Errorf("Table S7 takes %d pages for %d rows", pages, rows)
	}
}
