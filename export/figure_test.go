package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synth-qda/synth/synthesis"
)

// hostileNames are theme names that must come out of every figure as text.
var hostileNames = []string{`<script>alert(1)</script>`, `=HYPERLINK("http://x","y")`, `A &amp; B ]]> C`}

// sixtyThemes builds a project of 12 analytical themes with 4 descriptive
// themes each (60 themes), long names, a theme shared by two parents and
// the hostile names, each theme with two codes.
func sixtyThemes(t *testing.T) *synthesis.Result {
	t.Helper()
	dir := t.TempDir()
	var cb, ex strings.Builder
	cb.WriteString("version: 1\nlevels: [analytical, descriptive]\nthemes:\n")
	ex.WriteString("ID,Study,Extract,Codes\n")
	row := 0
	for a := range 12 {
		name := fmt.Sprintf("Analytical theme %d about what participants said of link workers, waiting lists and the weeks after a referral", a+1)
		if a < len(hostileNames) {
			name = hostileNames[a]
		}
		fmt.Fprintf(&cb, "  - name: %q\n    id: a%d\n    themes:\n", name, a)
		for d := range 4 {
			fmt.Fprintf(&cb, "      - name: \"Descriptive theme %d.%d: a long name that has to wrap over several lines of its box\"\n        id: d%d-%d\n        codes: [\"Code %d.%d.1\", \"Code %d.%d.2 with a longer name than most\"]\n", a+1, d+1, a, d, a, d, a, d)
			for c := 1; c <= 2; c++ {
				row++
				code := fmt.Sprintf("Code %d.%d.1", a, d)
				if c == 2 {
					code = fmt.Sprintf("Code %d.%d.2 with a longer name than most", a, d)
				}
				fmt.Fprintf(&ex, "E%03d,S%02d,Extract %d,%s\n", row, row%7+1, row, code)
			}
		}
		if a == 1 {
			cb.WriteString("      - ref: d0-1\n")
		}
	}
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("codebook.yaml", cb.String())
	write("extracts.csv", ex.String())
	write("synth.yaml", "version: 1\ntitle: Sixty themes\nextracts:\n  - file: extracts.csv\n")
	r, err := synthesis.Build(filepath.Join(dir, "synth.yaml"), synthesis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Themes) != 60 {
		t.Fatalf("%d themes, want 60", len(r.Themes))
	}
	return r
}

type rect struct{ x0, y0, x1, y1 float64 }

func boxRect(b figBox) rect { return rect{b.X, b.Y, b.X + b.W, b.Y + b.H} }

func (r rect) overlaps(o rect) bool {
	return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1
}

func (r rect) contains(o rect) bool {
	return o.x0 >= r.x0 && o.x1 <= r.x1 && o.y0 >= r.y0 && o.y1 <= r.y1
}

// textRect is the extent of a line of text: its measured width, from the
// Go font's ascent (0.93 em) to its descent (0.22 em).
func textRect(t figText) rect {
	w := figTextWidth(t.S, t.Size, t.Bold)
	x := t.X
	if t.Middle {
		x -= w / 2
	}
	return rect{x, t.Y - 0.93*t.Size, x + w, t.Y + 0.22*t.Size}
}

// segmentCrosses reports whether the segment a-b passes through r (by
// sampling it every 0.25 pt).
func segmentCrosses(a, b figPoint, r rect) bool {
	n := int(math.Hypot(b.X-a.X, b.Y-a.Y)/0.25) + 1
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		x, y := a.X+(b.X-a.X)*t, a.Y+(b.Y-a.Y)*t
		if x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1 {
			return true
		}
	}
	return false
}

// TestThemeMapLayout: on 60 themes with long names (and their 120 codes),
// no two boxes overlap, every line of text lies inside its box, no edge
// runs through a box other than its ends, and the smallest text prints at 8
// pt or more on the text width of an A4 page.
func TestThemeMapLayout(t *testing.T) {
	r := sixtyThemes(t)
	for _, codes := range []bool{false, true} {
		opt := MapOptions{Codes: codes}
		nodes, edges := themeMap(r, opt)
		f, err := themeMapFigure(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.boxes) != len(nodes) || len(f.paths) != len(edges) {
			t.Fatalf("codes=%v: %d boxes, %d edges drawn for %d nodes, %d edges", codes, len(f.boxes), len(f.paths), len(nodes), len(edges))
		}
		for i := range f.boxes {
			for j := i + 1; j < len(f.boxes); j++ {
				if boxRect(f.boxes[i]).overlaps(boxRect(f.boxes[j])) {
					t.Errorf("codes=%v: boxes of %q and %q overlap", codes, nodes[i].key, nodes[j].key)
				}
			}
		}
		for _, tx := range f.texts {
			in := false
			for _, b := range f.boxes {
				in = in || boxRect(b).contains(textRect(tx))
			}
			if !in {
				t.Errorf("codes=%v: the line %q is not inside a box", codes, tx.S)
			}
		}
		for e, p := range f.paths {
			line := flatten(p.P)
			for i, b := range f.boxes {
				if i == edges[e].from || i == edges[e].to {
					continue
				}
				r := boxRect(b)
				r = rect{r.x0 + 0.5, r.y0 + 0.5, r.x1 - 0.5, r.y1 - 0.5}
				for k := 1; k < len(line); k++ {
					if segmentCrosses(line[k-1], line[k], r) {
						t.Errorf("codes=%v: the edge %s → %s runs through the box of %s", codes, nodes[edges[e].from].key, nodes[edges[e].to].key, nodes[i].key)
						break
					}
				}
			}
		}
		if printed := mapSupportSize * min(1, a4TextWidth/f.W); printed < minPrinted {
			t.Errorf("codes=%v: the figure is %.0f pt wide; its smallest text prints at %.1f pt on A4", codes, f.W, printed)
		}
	}
}

// TestThemeMapSharedThemeDrawnOnce: feeling-heard, under hope and support,
// is one box with an edge from each parent.
func TestThemeMapSharedThemeDrawnOnce(t *testing.T) {
	r := sampleResult()
	nodes, edges := themeMap(r, MapOptions{})
	f, err := themeMapFigure(r, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	boxesOf := 0
	for _, tx := range f.texts {
		if strings.Contains(tx.S, "Feeling *heard*") {
			boxesOf++
		}
	}
	if boxesOf != 1 {
		t.Errorf("the shared theme's name is drawn %d times, want 1", boxesOf)
	}
	var parents []string
	for e, edge := range edges {
		if nodes[edge.to].key == "feeling-heard" {
			parents = append(parents, nodes[edge.from].key)
			// The edge ends at the shared theme's box.
			end := f.paths[e].P[len(f.paths[e].P)-1]
			b := boxRect(f.boxes[edge.to])
			if end.X < b.x0-1 || end.X > b.x1+1 || end.Y < b.y0-1 || end.Y > b.y1+1 {
				t.Errorf("the edge from %s ends at (%.1f, %.1f), off the shared box %v", nodes[edge.from].key, end.X, end.Y, b)
			}
		}
	}
	if strings.Join(parents, ",") != "hope,support" {
		t.Errorf("edges into feeling-heard come from %v, want hope and support", parents)
	}
}

// TestThemeMapCodebookOrder: analytical themes run top to bottom in
// codebook order.
func TestThemeMapCodebookOrder(t *testing.T) {
	r := sixtyThemes(t)
	nodes, _ := themeMap(r, MapOptions{})
	f, err := themeMapFigure(r, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	last := -1.0
	for i, n := range nodes {
		if n.depth == 0 {
			if f.boxes[i].Y <= last {
				t.Errorf("analytical theme %s is drawn above the one before it", n.key)
			}
			last = f.boxes[i].Y
		}
	}
}

// TestPRISMAContent: every count of the fixture's prisma: is in the box the
// PRISMA 2020 template puts it in: main column or the column of exclusions.
func TestPRISMAContent(t *testing.T) {
	f := prismaFigure(sampleResult().PRISMA)
	rightX := prismaMargin + prismaBar + 10 + prismaBoxW + prismaColGap
	for _, want := range []struct {
		line  string
		right bool
	}{
		{"Records identified (n = 1,300) from:", false},
		{"Databases (n = 1,300)", false},
		{"CINAHL (n = 600)", false},
		{"MEDLINE (n = 700)", false},
		{"Duplicate records removed (n = 31)", true},
		{"Records screened (n = 1,269)", false},
		{"Records excluded (n = 1,184)", true},
		{"Reports sought for retrieval (n = 85)", false},
		{"Reports not retrieved (n = 0)", true}, // 1,269 − 1,184 sought, 85 assessed
		{"Reports assessed for eligibility (n = 85)", false},
		{"Reports excluded (n = 81):", true},
		{"Not qualitative (n = 31)", true},
		{"Wrong population (n = 50)", true},
		{"Studies included in review (n = 4)", false},
	} {
		found := false
		for _, tx := range f.texts {
			if tx.S != want.line {
				continue
			}
			found = true
			if (tx.X >= rightX) != want.right {
				t.Errorf("%q is in the wrong column (x = %.0f)", want.line, tx.X)
			}
			in := false
			for _, b := range f.boxes {
				in = in || boxRect(b).contains(textRect(tx))
			}
			if !in {
				t.Errorf("%q is not inside a box", want.line)
			}
		}
		if !found {
			t.Errorf("no line %q in the diagram", want.line)
		}
	}
	for _, tx := range f.texts {
		if strings.Contains(tx.S, "Registers") || strings.Contains(tx.S, "Reports of included") {
			t.Errorf("%q: a count the project does not give is drawn", tx.S)
		}
	}
	// A project without counts has no diagram.
	if b, err := PRISMASVG(minimalResult()); b != nil || err != nil {
		t.Errorf("PRISMASVG without counts = %d bytes, %v; want nil, nil", len(b), err)
	}
}

// svgText parses an SVG document with encoding/xml and returns its text.
func svgText(t *testing.T, name string, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return text.String()
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "script" || tok.Name.Local == "foreignObject" {
				t.Errorf("%s has a <%s> element", name, tok.Name.Local)
			}
		case xml.CharData:
			text.Write(tok)
			text.WriteString("\n")
		}
	}
}

// TestFigureSVGWellFormedAndInert: the SVGs parse as XML, and hostile
// names come out as the exact text, never as markup.
func TestFigureSVGWellFormedAndInert(t *testing.T) {
	r := sixtyThemes(t)
	b, err := ThemeMapSVG(r, MapOptions{Codes: true})
	if err != nil {
		t.Fatal(err)
	}
	// A name wider than its box breaks inside a word: join the lines.
	text := strings.ReplaceAll(svgText(t, "theme-map.svg", b), "\n", "")
	for _, h := range hostileNames {
		if !strings.Contains(text, h) {
			t.Errorf("theme-map.svg does not show %q as text", h)
		}
	}
	if bytes.Contains(b, []byte("<script")) {
		t.Error("theme-map.svg holds <script unescaped")
	}
	fx := sampleResult()
	p, err := PRISMASVG(fx)
	if err != nil {
		t.Fatal(err)
	}
	svgText(t, "prisma.svg", p)
	m, err := ThemeMapSVG(fx, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if text := svgText(t, "theme-map.svg", m); !strings.Contains(text, "Feeling supported & empowered") || !strings.Contains(text, "Theme map: Experiences of social prescribing | a <synthesis> & review") {
		t.Errorf("theme-map.svg of the fixture lacks its names as text:\n%s", text)
	}
}

// TestFigurePNGEdgesVisible: the PNGs decode at 300 dpi of their printed
// size, and every edge of the theme map is dark where its curve runs.
func TestFigurePNGEdgesVisible(t *testing.T) {
	r := sampleResult()
	for _, codes := range []bool{false, true} {
		opt := MapOptions{Codes: codes}
		f, err := themeMapFigure(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ThemeMapPNG(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("theme-map.png does not decode: %v", err)
		}
		k := printDPI(f) / 72
		if got, want := img.Bounds().Dx(), int(math.Ceil(f.W*k)); got != want {
			t.Errorf("theme-map.png is %d px wide, want %d", got, want)
		}
		if !bytes.Contains(b[:64], []byte("pHYs")) {
			t.Error("theme-map.png records no resolution (pHYs)")
		}
		for e, p := range f.paths {
			line := flatten(p.P)
			for _, at := range []float64{0.3, 0.5, 0.7} {
				q := line[int(at*float64(len(line)-1))]
				dark := false
				for dx := -1; dx <= 1; dx++ {
					for dy := -1; dy <= 1; dy++ {
						c := img.At(int(q.X*k)+dx, int(q.Y*k)+dy)
						rr, gg, bb, _ := c.RGBA()
						dark = dark || (rr+gg+bb)/3 < 0xa000
					}
				}
				if !dark {
					t.Errorf("codes=%v: edge %d is not drawn at (%.1f, %.1f) pt", codes, e, q.X, q.Y)
				}
			}
		}
	}
	p, err := PRISMAPNG(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(p)); err != nil {
		t.Errorf("prisma.png does not decode: %v", err)
	}
}

// TestMapCodesOption: Options.MapCodes puts the codes in every theme map.
func TestMapCodesOption(t *testing.T) {
	r := sampleResult()
	for _, name := range []string{"dot", "mermaid", "svg"} {
		f, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, codes := range []bool{false, true} {
			outs, err := f.Render(r, Options{MapCodes: codes})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := outs[0].Write(&b); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(b.String(), "Loneliness"); got != codes {
				t.Errorf("%s with MapCodes %v: shows the code Loneliness: %v", outs[0].Name, codes, got)
			}
		}
	}
}

// TestPRISMAZeroIsACount: a count synth.yaml gives as 0 is drawn "(n = 0)",
// a count it leaves out is not; reports not retrieved are derived from the
// reports sought less those assessed; the caption names only what is drawn.
func TestPRISMAZeroIsACount(t *testing.T) {
	dir := t.TempDir()
	project := func(prisma string) *synthesis.Result {
		for name, data := range map[string]string{
			"synth.yaml":    "version: 1\nextracts: [{file: e.csv}]\nprisma: " + prisma + "\n",
			"codebook.yaml": "version: 1\nthemes:\n  - name: T\n    codes: [C]\n",
			"e.csv":         "Study,Extract,Codes\nS1,text,C\n",
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return build(filepath.Join(dir, "synth.yaml"))
	}
	lines := func(r *synthesis.Result) string {
		var s []string
		for _, tx := range prismaFigure(r.PRISMA).texts {
			s = append(s, tx.S)
		}
		return strings.Join(s, "\n")
	}
	r := project("{identified: 12000, duplicates: 0, screened: 12000, excluded_screening: 11990, not_retrieved: 0, full_text: 10, excluded_full_text: 0, included: 10}")
	got := lines(r)
	for _, want := range []string{"Records identified (n = 12,000)", "Duplicate records removed (n = 0)", "Records screened (n = 12,000)",
		"Records excluded (n = 11,990)", "Reports not retrieved (n = 0)", "Reports excluded (n = 0)", "Studies included in review (n = 10)"} {
		if !strings.Contains(got, want) {
			t.Errorf("given counts: no line %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "other reasons") || strings.Contains(got, "Reports of included") {
		t.Errorf("a count left out is drawn:\n%s", got)
	}
	// Not retrieved derived: 100 − 60 sought, 38 assessed.
	got = lines(project("{screened: 100, excluded_screening: 60, full_text: 38, included: 30}"))
	if !strings.Contains(got, "Reports not retrieved (n = 2)") || strings.Contains(got, "Reports excluded") {
		t.Errorf("derived counts:\n%s", got)
	}
	// Without records excluded, nothing is derived.
	if got = lines(project("{screened: 100, full_text: 38}")); strings.Contains(got, "not retrieved") {
		t.Errorf("reports not retrieved drawn from too little:\n%s", got)
	}

	// The worked example gives no identification counts and no reasons:
	// its caption names neither.
	note := prismaNote(build(workedExample).PRISMA)
	if strings.Contains(note, "identified") || strings.Contains(note, "reason") || !strings.Contains(note, "reports not retrieved") {
		t.Errorf("caption %q", note)
	}
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1269, "1,269"}, {1234567, "1,234,567"}, {-1269, "-1,269"}} {
		if got := thousands(c.n); got != c.want {
			t.Errorf("thousands(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// TestPNGCacheFollowsTheDrawing: figure PNGs are kept by their drawing, so
// a Result changed after a render (a theme renamed) draws anew, and the
// same drawing gives the same bytes.
func TestPNGCacheFollowsTheDrawing(t *testing.T) {
	r := sampleResult()
	a, err := ThemeMapPNG(r, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r.Themes[0].Name += " and more"
	b, err := ThemeMapPNG(r, MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Fatal("renaming a theme left the theme map's PNG as it was")
	}
	c, err := ThemeMapPNG(sampleResult(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, c) {
		t.Fatal("the same drawing gave different PNG bytes")
	}
}

// TestOverMatchesDrawMask checks that over, the figures' masked fill, gives
// the pixels image/draw's DrawMask with draw.Over gives, to the bit: on a
// noisy drawing, with masks of every coverage (none, whole and each value
// between) and colours opaque and not.
func TestOverMatchesDrawMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261201, 1))
	const w, h = 61, 37
	base := image.NewRGBA(image.Rect(0, 0, w+9, h+7))
	for i := range base.Pix {
		base.Pix[i] = uint8(rng.IntN(256))
	}
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	for i := range mask.Pix {
		switch rng.IntN(4) {
		case 0:
			mask.Pix[i] = 0
		case 1:
			mask.Pix[i] = 0xff
		default:
			mask.Pix[i] = uint8(rng.IntN(256))
		}
	}
	r := image.Rect(5, 3, 5+w, 3+h)
	for _, c := range []color.RGBA{{0x1f, 0x4e, 0x79, 0xff}, {0, 0, 0, 0xff}, {0xff, 0xff, 0xff, 0xff}, {0x40, 0x20, 0x10, 0x80}} {
		got := image.NewRGBA(base.Rect)
		copy(got.Pix, base.Pix)
		want := image.NewRGBA(base.Rect)
		copy(want.Pix, base.Pix)
		over(got, r, c, mask)
		draw.DrawMask(want, r, image.NewUniform(c), image.Point{}, mask, image.Point{}, draw.Over)
		if !bytes.Equal(got.Pix, want.Pix) {
			for i := range got.Pix {
				if got.Pix[i] != want.Pix[i] {
					t.Fatalf("colour %v: byte %d (pixel %d,%d) is %d, DrawMask gives %d", c, i, i%base.Stride/4, i/base.Stride, got.Pix[i], want.Pix[i])
				}
			}
		}
	}
}

// TestPalettedColours checks the PNG's palette: the 256 most frequent
// colours, most frequent first and equal counts by value (0xRRGGBB); each
// pixel of those keeps its colour, and each other pixel takes the nearest.
func TestPalettedColours(t *testing.T) {
	// Colour i < 256 is (i, 0, 0) and appears 300-i times; colour 256+j
	// is (j, 1, 0), rarer than all of them, whose nearest is (j, 0, 0).
	var want []int // each pixel's palette index
	var cols []color.RGBA
	for i := range 300 {
		c, idx := color.RGBA{uint8(i), 0, 0, 0xff}, i
		if i >= 256 {
			c, idx = color.RGBA{uint8(i - 256), 1, 0, 0xff}, i-256
		}
		for range 300 - i {
			cols = append(cols, c)
			want = append(want, idx)
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	rng.Shuffle(len(cols), func(a, b int) { cols[a], cols[b] = cols[b], cols[a]; want[a], want[b] = want[b], want[a] })
	const w = 301 // 45,150 pixels: 301 x 150
	img := image.NewRGBA(image.Rect(0, 0, w, len(cols)/w))
	for i, c := range cols {
		img.SetRGBA(i%w, i/w, c)
	}
	p := paletted(img)
	if len(p.Palette) != 256 {
		t.Fatalf("%d colours in the palette, want 256", len(p.Palette))
	}
	for k, c := range p.Palette {
		if c != (color.RGBA{uint8(k), 0, 0, 0xff}) {
			t.Fatalf("palette[%d] = %v, want (%d, 0, 0)", k, c, k)
		}
	}
	for i, idx := range p.Pix {
		if int(idx) != want[i] {
			t.Fatalf("pixel %d has palette index %d, want %d", i, idx, want[i])
		}
	}
	// 3,000 colours, past the first size of the count's table: colour i
	// is (i&0xff, i>>8, 7); the first 256 appear three times each, so the
	// palette is (k, 0, 7) in order, and colour i's nearest is i&0xff.
	many := image.NewRGBA(image.Rect(0, 0, 256*3+3000-256, 1))
	var wantMany []uint8
	x := 0
	for i := range 3000 {
		reps := 1
		if i < 256 {
			reps = 3
		}
		for range reps {
			many.SetRGBA(x, 0, color.RGBA{uint8(i), uint8(i >> 8), 7, 0xff})
			wantMany = append(wantMany, uint8(i&0xff))
			x++
		}
	}
	pm := paletted(many)
	for k, c := range pm.Palette {
		if c != (color.RGBA{uint8(k), 0, 7, 0xff}) {
			t.Fatalf("3,000 colours: palette[%d] = %v, want (%d, 0, 7)", k, c, k)
		}
	}
	if !bytes.Equal(pm.Pix, wantMany) {
		t.Errorf("3,000 colours: some pixels took another palette entry than their nearest")
	}
	// Two colours as frequent as each other: the lower 0xRRGGBB first,
	// whatever order their bytes lie in.
	two := image.NewRGBA(image.Rect(0, 0, 4, 1))
	for x, c := range []color.RGBA{{1, 0, 0, 0xff}, {0, 0, 9, 0xff}, {1, 0, 0, 0xff}, {0, 0, 9, 0xff}} {
		two.SetRGBA(x, 0, c)
	}
	if got := paletted(two).Palette; got[0] != (color.RGBA{0, 0, 9, 0xff}) || got[1] != (color.RGBA{1, 0, 0, 0xff}) {
		t.Errorf("palette of two equally frequent colours = %v, want (0,0,9) before (1,0,0)", got)
	}
}

// TestLayoutKept checks that a graph laid out once is not laid out again:
// the second call returns the first's layout itself, and another graph
// gets its own.
func TestLayoutKept(t *testing.T) {
	dot := []byte("digraph{a->b;}\n")
	first, err := graphvizPlain(dot)
	if err != nil {
		t.Fatal(err)
	}
	again, err := graphvizPlain([]byte(string(dot)))
	if err != nil {
		t.Fatal(err)
	}
	if &first[0] != &again[0] {
		t.Errorf("the same graph was laid out twice")
	}
	other, err := graphvizPlain([]byte("digraph{a->b;b->c;}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, first) {
		t.Errorf("another graph got the first graph's layout")
	}
}
