package export

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/synth-qda/synth/internal/hugepage"
)

// A figure is a drawing in points (1/72 inch), y down, that renders to SVG
// and to PNG from the same items, so that both show the same picture. Text
// is set in the Go fonts (golang.org/x/image/font/gofont, BSD licence),
// embedded in the binary: widths are measured with them, the PNG is drawn
// with them, and each SVG text line carries its measured width as
// textLength, so that a viewer substituting another sans-serif font still
// fits every line in its box.
type figure struct {
	W, H  float64
	Title string // the SVG's <title>, for screen readers
	paths []figPath
	boxes []figBox
	texts []figText
}

// figBox is a rectangle with rounded corners of radius R.
type figBox struct {
	X, Y, W, H, R float64
	Fill, Stroke  string // #rrggbb; "" for none
	StrokeW       float64
}

// figPath is a stroked curve: P[0], then cubic Bézier segments of three
// points each; Arrow puts an arrowhead at its end.
type figPath struct {
	P       []figPoint
	Stroke  string
	StrokeW float64
	Arrow   bool
}

type figPoint struct{ X, Y float64 }

// figText is one line of text whose baseline starts at (X, Y), or is
// centred there when Middle; Rotate turns it 90° counter-clockwise about
// (X, Y), to read upwards.
type figText struct {
	X, Y   float64
	S      string
	Size   float64
	Bold   bool
	Color  string
	Middle bool
	Rotate bool
}

// arrowLen is the length of an arrowhead, in points.
const arrowLen = 5.5

// figFontFamily names the fonts an SVG viewer should use: the Go font the
// widths were measured with, else a common sans-serif (textLength keeps
// each line to its measured width).
const figFontFamily = "Go, Arial, Helvetica, 'Liberation Sans', sans-serif"

var figFonts struct {
	once          sync.Once
	regular, bold *opentype.Font
	mu            sync.Mutex
	faces         map[faceKey]font.Face
}

type faceKey struct {
	size float64
	bold bool
}

// face returns the Go Regular or Bold face at size pixels (cached; the
// faces are not safe for concurrent use, so callers hold figFonts.mu).
// Its panics are unreachable by input: the fonts are compiled in (a parse
// error is a broken build), and sizes are synth's own constants times a
// positive resolution, which opentype.NewFace accepts.
func face(size float64, bold bool) font.Face {
	figFonts.once.Do(func() {
		var err error
		if figFonts.regular, err = opentype.Parse(goregular.TTF); err != nil {
			panic("embedded Go Regular font: " + err.Error())
		}
		if figFonts.bold, err = opentype.Parse(gobold.TTF); err != nil {
			panic("embedded Go Bold font: " + err.Error())
		}
		figFonts.faces = map[faceKey]font.Face{}
	})
	k := faceKey{size, bold}
	if f, ok := figFonts.faces[k]; ok {
		return f
	}
	fnt := figFonts.regular
	if bold {
		fnt = figFonts.bold
	}
	f, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("Go font face: " + err.Error())
	}
	figFonts.faces[k] = f
	return f
}

// figTextWidth is the advance width of s in points at size points.
func figTextWidth(s string, size float64, bold bool) float64 {
	figFonts.mu.Lock()
	defer figFonts.mu.Unlock()
	// Measured at 100 pt and scaled: the 1/64 rounding of font.Face stays
	// far below what a reader could see.
	return float64(font.MeasureString(face(100, bold), s)) / 64 / 100 * size
}

// wrapText breaks s into lines no wider than width points at size: at
// spaces, and inside a word only when the word alone is wider than a line.
// Line breaks in s are kept.
func wrapText(s string, width, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(cleanLabel(s), "\r\n", "\n"), "\n") {
		line := ""
		for _, word := range strings.FieldsFunc(para, unicode.IsSpace) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if figTextWidth(try, size, bold) <= width {
				line = try
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			line = word
			for figTextWidth(line, size, bold) > width {
				cut := breakWord(line, width, size, bold)
				lines = append(lines, line[:cut])
				line = line[cut:]
			}
		}
		if line != "" || len(lines) == 0 {
			lines = append(lines, line)
		}
	}
	return lines
}

// breakWord is the byte length of the longest head of word that fits in
// width (at least one character).
func breakWord(word string, width, size float64, bold bool) int {
	cut := 0
	for i, r := range word {
		end := i + len(string(r))
		if cut > 0 && figTextWidth(word[:end], size, bold) > width {
			break
		}
		cut = end
	}
	return cut
}

// num writes a coordinate with at most two decimals and no trailing zeros.
func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// xmlText escapes s for XML text and attribute values.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(cleanLabel(s)))
	return b.String()
}

// arrowHead is the triangle at the end of p and the path shortened so that
// its line stops inside the head.
func (p figPath) arrowHead() (tri [3]figPoint, line []figPoint) {
	n := len(p.P)
	end := p.P[n-1]
	dx, dy := 0.0, 0.0
	for i := n - 2; i >= 0 && dx == 0 && dy == 0; i-- {
		dx, dy = end.X-p.P[i].X, end.Y-p.P[i].Y
	}
	l := math.Hypot(dx, dy)
	if l == 0 {
		return tri, p.P
	}
	dx, dy = dx/l, dy/l
	base := figPoint{end.X - dx*arrowLen, end.Y - dy*arrowLen}
	half := arrowLen * 0.4
	tri = [3]figPoint{end, {base.X - dy*half, base.Y + dx*half}, {base.X + dy*half, base.Y - dx*half}}
	line = append([]figPoint(nil), p.P...)
	line[n-1] = figPoint{end.X - dx*arrowLen*0.8, end.Y - dy*arrowLen*0.8}
	return tri, line
}

// SVG writes the figure as an SVG document; inline (for report.html) leaves
// out the XML declaration and sizes it in CSS pixels for the page.
func (f *figure) SVG(inline bool) []byte {
	var b bytes.Buffer
	if !inline {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%spt" height="%spt" viewBox="0 0 %s %s"`, num(f.W), num(f.H), num(f.W), num(f.H))
	} else {
		fmt.Fprintf(&b, `<svg width="%s" height="%s" viewBox="0 0 %s %s" style="max-width:100%%;height:auto"`, num(f.W*4/3), num(f.H*4/3), num(f.W), num(f.H))
	}
	fmt.Fprintf(&b, ` role="img" font-family="%s">`+"\n", figFontFamily)
	fmt.Fprintf(&b, "<title>%s</title>\n", xmlText(f.Title))
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	for _, p := range f.paths {
		line := p.P
		var tri [3]figPoint
		if p.Arrow {
			tri, line = p.arrowHead()
		}
		b.WriteString(`<path d="M` + num(line[0].X) + " " + num(line[0].Y))
		for i := 1; i+2 < len(line); i += 3 {
			b.WriteString(" C" + num(line[i].X) + " " + num(line[i].Y) + " " + num(line[i+1].X) + " " + num(line[i+1].Y) + " " + num(line[i+2].X) + " " + num(line[i+2].Y))
		}
		fmt.Fprintf(&b, `" fill="none" stroke="%s" stroke-width="%s"/>`+"\n", p.Stroke, num(p.StrokeW))
		if p.Arrow {
			fmt.Fprintf(&b, `<path d="M%s %s L%s %s L%s %s Z" fill="%s"/>`+"\n", num(tri[0].X), num(tri[0].Y), num(tri[1].X), num(tri[1].Y), num(tri[2].X), num(tri[2].Y), p.Stroke)
		}
	}
	for _, x := range f.boxes {
		fill, stroke := x.Fill, x.Stroke
		if fill == "" {
			fill = "none"
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="%s"`, num(x.X), num(x.Y), num(x.W), num(x.H), num(x.R), fill)
		if stroke != "" {
			fmt.Fprintf(&b, ` stroke="%s" stroke-width="%s"`, stroke, num(x.StrokeW))
		}
		b.WriteString("/>\n")
	}
	for _, t := range f.texts {
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s"`, num(t.X), num(t.Y), num(t.Size))
		if t.Bold {
			b.WriteString(` font-weight="bold"`)
		}
		if t.Middle {
			b.WriteString(` text-anchor="middle"`)
		}
		if t.Color != "" {
			fmt.Fprintf(&b, ` fill="%s"`, t.Color)
		}
		if t.Rotate {
			fmt.Fprintf(&b, ` transform="rotate(-90 %s %s)"`, num(t.X), num(t.Y))
		}
		fmt.Fprintf(&b, ` textLength="%s" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n", num(figTextWidth(t.S, t.Size, t.Bold)), xmlText(t.S))
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// PNG draws the figure at dpi dots per inch of its natural size, on white,
// and records the resolution in the file (pHYs), so that a word processor
// places it at that size.
func (f *figure) PNG(dpi float64) ([]byte, error) {
	// The SVG is the whole drawing, so it and the resolution key the PNG:
	// the png and docx formats, rendered side by side, rasterize each
	// figure once between them.
	h := sha256.New()
	h.Write(f.SVG(false))
	fmt.Fprintf(h, "\x00%g", dpi)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return pngCache.get(key, func() ([]byte, error) { return f.rasterize(dpi) })
}

// pngCache holds the PNGs of the last figures drawn, by drawing and
// resolution (figure.PNG).
var pngCache = kept[[sha256.Size]byte]{max: 16}

// kept holds the results of the last calls of a costly step by key: each
// is worked out once, also when asked for by several goroutines at once
// (the formats synth build renders side by side). When max are held, all
// go before the next is added.
type kept[K comparable] struct {
	mu  sync.Mutex
	max int
	m   map[K]*keptResult
}

type keptResult struct {
	once sync.Once
	data []byte
	err  error
}

// get returns key's result, from work the first time it is asked for.
// Callers must not change the bytes: they are shared.
func (k *kept[K]) get(key K, work func() ([]byte, error)) ([]byte, error) {
	k.mu.Lock()
	e := k.m[key]
	if e == nil {
		if k.m == nil || len(k.m) >= k.max {
			k.m = map[K]*keptResult{}
		}
		e = &keptResult{}
		k.m[key] = e
	}
	k.mu.Unlock()
	e.once.Do(func() { e.data, e.err = work() })
	return e.data, e.err
}

// rasterize draws the figure at dpi and encodes it as a PNG.
func (f *figure) rasterize(dpi float64) ([]byte, error) {
	k := dpi / 72
	w, h := int(math.Ceil(f.W*k)), int(math.Ceil(f.H*k))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	hugepage.Advise(img.Pix) // the theme map's is 19 MB
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	pt := &painter{img: img, k: k}
	for _, p := range f.paths {
		line := p.P
		if p.Arrow {
			var tri [3]figPoint
			tri, line = p.arrowHead()
			pt.fill(hexColor(p.Stroke), [][]figPoint{tri[:]}, false)
		}
		pt.fill(hexColor(p.Stroke), strokePolygons(flatten(line), p.StrokeW), false)
	}
	for _, x := range f.boxes {
		outer := roundRect(x.X, x.Y, x.W, x.H, x.R)
		if x.Fill != "" {
			pt.fill(hexColor(x.Fill), [][]figPoint{outer}, false)
		}
		if x.Stroke != "" {
			s := x.StrokeW / 2
			in := roundRect(x.X+s, x.Y+s, x.W-2*s, x.H-2*s, math.Max(x.R-s, 0))
			out := roundRect(x.X-s, x.Y-s, x.W+2*s, x.H+2*s, x.R+s)
			pt.fill(hexColor(x.Stroke), [][]figPoint{out, in}, true)
		}
	}
	figFonts.mu.Lock()
	for _, t := range f.texts {
		drawText(img, k, t)
	}
	figFonts.mu.Unlock()
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, paletted(img)); err != nil {
		return nil, err
	}
	return withPHYs(b.Bytes(), dpi), nil
}

// paletted turns the drawing into an image of at most 256 colours, which
// PNG stores in a byte a pixel instead of three: the 256 most frequent
// colours (ties by value), and every other colour (an antialiased edge
// pixel) by the nearest of them. A figure has few colours and their blends,
// so a reader sees no difference; the file is about a third the size.
func paletted(img *image.RGBA) *image.Paletted {
	var seen colourTable
	eachRun(img.Pix, func(c uint32, _, n int) { seen.at(c).n += n })
	colours := make([]uint32, 0, seen.len)
	for _, c := range seen.keys {
		if c != 0 {
			colours = append(colours, rgb(c-1))
		}
	}
	count := func(c uint32) int { return seen.at(rgb(c)).n }
	slices.SortFunc(colours, func(a, b uint32) int {
		if d := count(b) - count(a); d != 0 {
			return d
		}
		return cmp.Compare(a, b)
	})
	colours = colours[:min(len(colours), 256)]
	pal := make(color.Palette, len(colours))
	for i, c := range colours {
		pal[i] = color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 0xff}
		seen.at(rgb(c)).idx = i + 1
	}
	out := image.NewPaletted(img.Bounds(), pal)
	eachRun(img.Pix, func(c uint32, i, n int) {
		e := seen.at(c)
		if e.idx == 0 { // a colour past the 256th: the nearest
			e.idx = pal.Index(color.RGBA{uint8(c), uint8(c >> 8), uint8(c >> 16), 0xff}) + 1
		}
		if e.idx > 1 { // out.Pix starts as zeros
			fill(out.Pix[i:i+n], uint8(e.idx-1))
		}
	})
	return out
}

// eachRun calls fn with each run of pixels of one colour in an RGBA
// image's pixels: its colour (the pixel read as a little-endian word, R
// in the low byte, alpha dropped), its first pixel and its length. A
// pixel is read as one word, and two at a time along a run: most of a
// figure is long runs of the background and of box fills.
func eachRun(pix []byte, fn func(c uint32, i, n int)) {
	for i := 0; i+4 <= len(pix); {
		c := binary.LittleEndian.Uint32(pix[i:]) & 0xffffff
		j := i + 4
		for pair := uint64(c) | uint64(c)<<32; j+8 <= len(pix) && binary.LittleEndian.Uint64(pix[j:])&0xffffff00ffffff == pair; j += 8 {
		}
		for ; j+4 <= len(pix) && binary.LittleEndian.Uint32(pix[j:])&0xffffff == c; j += 4 {
		}
		fn(c, i/4, (j-i)/4)
		i = j
	}
}

// rgb turns eachRun's colour into 0xRRGGBB, and back: it swaps the low
// and high bytes.
func rgb(w uint32) uint32 { return w&0xff<<16 | w&0xff00 | w>>16 }

// colourTable counts a drawing's colours (eachRun's words) by open
// addressing: the few thousand colours of a figure and its antialiased
// edges, looked up once per run, hundreds of thousands of times.
type colourTable struct {
	keys []uint32 // colour+1; 0 is an empty slot
	vals []colourEntry
	len  int
}

type colourEntry struct {
	n   int // pixels
	idx int // palette index + 1; 0 while none
}

// at returns c's entry, added when new.
func (t *colourTable) at(c uint32) *colourEntry {
	if 2*(t.len+1) > len(t.keys) {
		old, vals := t.keys, t.vals
		t.keys, t.vals = make([]uint32, max(1024, 2*len(old))), make([]colourEntry, max(1024, 2*len(old)))
		t.len = 0
		for i, k := range old {
			if k != 0 {
				*t.at(k - 1) = vals[i]
			}
		}
	}
	mask := uint32(len(t.keys) - 1)
	for i := (c * 0x9e3779b1) >> 7 & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case c + 1:
			return &t.vals[i]
		case 0:
			t.keys[i] = c + 1
			t.len++
			return &t.vals[i]
		}
	}
}

// fill sets every byte of b to v.
func fill(b []byte, v byte) {
	if len(b) == 0 {
		return
	}
	b[0] = v
	for k := 1; k < len(b); k *= 2 {
		copy(b[k:], b[:k])
	}
}

// withPHYs inserts a pHYs chunk (pixels per metre) after IHDR (PNG 1.2, 4.2.4.2).
func withPHYs(p []byte, dpi float64) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	ppm := uint32(math.Round(dpi / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(p)+len(chunk))
	out = append(out, p[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, p[ihdrEnd:]...)
}

func hexColor(s string) color.RGBA {
	v, _ := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// flatten turns a path of cubic segments into a polyline.
func flatten(p []figPoint) []figPoint {
	const steps = 16
	out := []figPoint{p[0]}
	for i := 1; i+2 < len(p); i += 3 {
		a, b, c, d := p[i-1], p[i], p[i+1], p[i+2]
		for s := 1; s <= steps; s++ {
			t := float64(s) / steps
			u := 1 - t
			out = append(out, figPoint{
				u*u*u*a.X + 3*u*u*t*b.X + 3*u*t*t*c.X + t*t*t*d.X,
				u*u*u*a.Y + 3*u*u*t*b.Y + 3*u*t*t*c.Y + t*t*t*d.Y,
			})
		}
	}
	if len(p) == 2 {
		out = append(out, p[1])
	}
	return out
}

// strokePolygons outlines a polyline of width w: a quadrilateral per
// segment and an octagon at each joint, all wound alike so that their
// overlaps fill once.
func strokePolygons(line []figPoint, w float64) [][]figPoint {
	var polys [][]figPoint
	r := w / 2
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		dx, dy := b.X-a.X, b.Y-a.Y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*r, dx/l*r
		polys = append(polys, []figPoint{{a.X + nx, a.Y + ny}, {b.X + nx, b.Y + ny}, {b.X - nx, b.Y - ny}, {a.X - nx, a.Y - ny}})
		if i < len(line)-1 {
			oct := make([]figPoint, 8)
			for j := range oct {
				ang := float64(j) * math.Pi / 4
				oct[j] = figPoint{b.X + r*math.Cos(ang), b.Y + r*math.Sin(ang)}
			}
			polys = append(polys, oct)
		}
	}
	return polys
}

// roundRect is a rounded rectangle as a polygon (corners in 8 steps).
func roundRect(x, y, w, h, r float64) []figPoint {
	r = math.Min(r, math.Min(w, h)/2)
	var pts []figPoint
	corners := [4]struct{ cx, cy, a0 float64 }{
		{x + w - r, y + r, -math.Pi / 2}, {x + w - r, y + h - r, 0}, {x + r, y + h - r, math.Pi / 2}, {x + r, y + r, math.Pi},
	}
	for _, c := range corners {
		for s := 0; s <= 8; s++ {
			ang := c.a0 + float64(s)*math.Pi/16
			pts = append(pts, figPoint{c.cx + r*math.Cos(ang), c.cy + r*math.Sin(ang)})
		}
	}
	return pts
}

func reversed(p []figPoint) []figPoint {
	out := make([]figPoint, len(p))
	for i, q := range p {
		out[len(p)-1-i] = q
	}
	return out
}

// area is the polygon's signed area (shoelace formula).
func area(p []figPoint) float64 {
	s := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		s += p[i].X*p[j].Y - p[j].X*p[i].Y
	}
	return s / 2
}

// painter fills polygons on one drawing, reusing its rasterizer and
// coverage mask from one fill to the next.
type painter struct {
	img  *image.RGBA
	k    float64 // pixels per point
	z    vector.Rasterizer
	mask image.Alpha
}

// fill fills polys (in points) in colour c, antialiased, all in one
// coverage mask (nonzero winding, so that overlapping pieces of one stroke
// fill once); when ring is true the second polygon is a hole. The mask
// covers the polygons' bounding box only, and over lays it on the drawing,
// skipping the pixels the polygons do not touch: the vector package's own
// Over composites every pixel of the box.
func (pt *painter) fill(c color.RGBA, polys [][]figPoint, ring bool) {
	img, k := pt.img, pt.k
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range polys {
		for _, q := range p {
			minX, minY = math.Min(minX, q.X*k), math.Min(minY, q.Y*k)
			maxX, maxY = math.Max(maxX, q.X*k), math.Max(maxY, q.Y*k)
		}
	}
	r := image.Rect(int(math.Floor(minX))-1, int(math.Floor(minY))-1, int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	w, h := r.Dx(), r.Dy()
	z := &pt.z
	z.Reset(w, h)
	z.DrawOp = draw.Src // every mask pixel is written: no clearing between fills
	for i, p := range polys {
		if len(p) < 3 {
			continue
		}
		if (area(p) < 0) != (ring && i == 1) {
			p = reversed(p)
		}
		z.MoveTo(float32(p[0].X*k-float64(r.Min.X)), float32(p[0].Y*k-float64(r.Min.Y)))
		for _, q := range p[1:] {
			z.LineTo(float32(q.X*k-float64(r.Min.X)), float32(q.Y*k-float64(r.Min.Y)))
		}
		z.ClosePath()
	}
	if cap(pt.mask.Pix) < w*h {
		pt.mask.Pix = make([]uint8, w*h)
	}
	pt.mask = image.Alpha{Pix: pt.mask.Pix[:w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
	z.Draw(&pt.mask, pt.mask.Rect, image.Opaque, image.Point{})
	over(img, r, c, &pt.mask)
}

// over lays colour c over dst's rectangle r through mask (r's size, from
// its origin) as image/draw's DrawMask with draw.Over does, to the bit: a
// pixel the mask leaves out is skipped, one it covers whole takes an opaque
// c as it is (the formula's result there), and any other is blended with
// the formula. A figure's boxes are mostly pixels covered whole, which the
// formula would spend four multiplications and divisions on each.
func over(dst *image.RGBA, r image.Rectangle, c color.RGBA, mask *image.Alpha) {
	if c.A != 0xff {
		draw.DrawMask(dst, r, image.NewUniform(c), image.Point{}, mask, image.Point{}, draw.Over)
		return
	}
	const m = 1<<16 - 1
	sr, sg, sb, sa := c.RGBA()
	w := r.Dx()
	for y := range r.Dy() {
		row := dst.Pix[dst.PixOffset(r.Min.X, r.Min.Y+y):][:4*w]
		for x, ma := range mask.Pix[y*mask.Stride:][:w] {
			d := row[4*x : 4*x+4 : 4*x+4]
			switch ma {
			case 0:
			case 0xff:
				d[0], d[1], d[2], d[3] = c.R, c.G, c.B, 0xff
			default:
				ma := uint32(ma) | uint32(ma)<<8
				a := (m - (sa * ma / m)) * 0x101
				d[0] = uint8((uint32(d[0])*a + sr*ma) / m >> 8)
				d[1] = uint8((uint32(d[1])*a + sg*ma) / m >> 8)
				d[2] = uint8((uint32(d[2])*a + sb*ma) / m >> 8)
				d[3] = uint8((uint32(d[3])*a + sa*ma) / m >> 8)
			}
		}
	}
}

// drawText draws one line of text; the caller holds figFonts.mu.
func drawText(img *image.RGBA, k float64, t figText) {
	fc := face(t.Size*k, t.Bold)
	col := hexColor("#000000")
	if t.Color != "" {
		col = hexColor(t.Color)
	}
	s := cleanLabel(t.S)
	adv := float64(font.MeasureString(fc, s)) / 64
	x := t.X * k
	if t.Middle {
		x -= adv / 2
	}
	if !t.Rotate {
		d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: fc, Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(t.Y * k * 64))}}
		d.DrawString(s)
		return
	}
	// Draw the line into a mask, then turn the mask a quarter turn about
	// the anchor: (u, v) from the anchor goes to (v, -u).
	m := fc.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	off := x - t.X*k // the line's start relative to the anchor
	mw := int(math.Ceil(adv)) + 2
	mask := image.NewAlpha(image.Rect(0, 0, mw, asc+desc))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: fc, Dot: fixed.P(0, asc)}
	d.DrawString(s)
	ax, ay := int(math.Round(t.X*k)), int(math.Round(t.Y*k))
	rot := image.NewAlpha(image.Rect(ax-asc, ay-int(math.Round(off))-mw, ax+desc, ay-int(math.Round(off))))
	for v := 0; v < asc+desc; v++ {
		for u := 0; u < mw; u++ {
			a := mask.AlphaAt(u, v)
			if a.A == 0 {
				continue
			}
			// mask (u, v): u along the line from its start, v down from the top.
			rot.SetAlpha(ax+(v-asc), ay-int(math.Round(off))-u-1, a)
		}
	}
	draw.DrawMask(img, rot.Bounds(), image.NewUniform(col), image.Point{}, rot, rot.Bounds().Min, draw.Over)
}
