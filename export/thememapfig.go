package export

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/goccy/go-graphviz"
	"github.com/synth-qda/synth/synthesis"
)

// The theme map's type and spacing, in points. The support line is the
// smallest text; printed no smaller than minPrinted points on the text
// width of an A4 page, the figure can be mapMaxWidth points wide.
const (
	mapNameSize    = 10.0
	mapSupportSize = 9.0
	mapPadX        = 7.0
	mapPadY        = 4.0
	mapLineHeight  = 1.2 // times the font size
	mapRankSep     = 32.0
	mapNodeSep     = 9.0
	mapMargin      = 6.0
	mapMaxWrap     = 190.0 // the widest a theme's name runs before it wraps
	a4TextWidth    = 453.5 // A4 (595.3 pt) less margins of 2.5 cm
	minPrinted     = 8.0
	mapMaxWidth    = a4TextWidth * mapSupportSize / minPrinted
	figureDPI      = 300.0
)

// ThemeMapSVG draws theme-map.svg: the theme hierarchy from analytical
// themes (left, bold outline) to descriptive themes and deeper levels (to
// the right), and with opt.Codes each theme's own codes, every node
// labelled with its name (wrapped) and its support, "n studies · n
// extracts", over its code closure (the labels of theme-map.dot). A theme
// reused with ref: is drawn once, with an edge from each parent. Nodes keep
// codebook order: analytical themes top to bottom, each theme's children
// in the order the codebook lists them.
//
// Layout is Graphviz's dot (run as WebAssembly by github.com/goccy/go-graphviz,
// no program at run time) on boxes sized from the Go font's measured text;
// edges are its splines. Names wrap so that the figure fits the text width
// of an A4 page with its smallest text at 8 pt or more (for up to about
// four levels); the layout runs left to right because a hierarchy widens
// with depth, so its ranks stacked top to bottom would be far wider than a
// page. Errors come only from the layout engine.
func ThemeMapSVG(r *synthesis.Result, opt MapOptions) ([]byte, error) {
	f, err := themeMapFigure(r, opt)
	if err != nil {
		return nil, err
	}
	return f.SVG(false), nil
}

// ThemeMapPNG draws the theme map of ThemeMapSVG as a PNG at 300 dpi of the
// figure's printed size (its natural size, or the A4 text width when
// wider), with that resolution recorded in the file.
func ThemeMapPNG(r *synthesis.Result, opt MapOptions) ([]byte, error) {
	f, err := themeMapFigure(r, opt)
	if err != nil {
		return nil, err
	}
	return f.PNG(printDPI(f))
}

// printDPI is the resolution of a figure's natural size that gives 300 dpi
// when it is printed on the text width of an A4 page (scaled down there
// when wider).
func printDPI(f *figure) float64 {
	if f.W <= a4TextWidth {
		return figureDPI
	}
	return math.Round(figureDPI * a4TextWidth / f.W)
}

// mapBox is a node of the map as drawn: its label lines and size.
type mapBox struct {
	name    []string
	support string
	bold    bool
	w, h    float64
	x, y    float64 // centre, after layout
}

// themeMapFigure lays out and draws the theme map.
func themeMapFigure(r *synthesis.Result, opt MapOptions) (*figure, error) {
	nodes, edges := themeMap(r, opt)
	f := &figure{Title: "Theme map: " + r.Title}
	if len(nodes) == 0 {
		msg := "No themes in the codebook."
		f.W, f.H = figTextWidth(msg, mapNameSize, false)+2*mapMargin, mapNameSize*2+2*mapMargin
		f.texts = append(f.texts, figText{X: mapMargin, Y: mapMargin + mapNameSize*1.3, S: msg, Size: mapNameSize})
		return f, nil
	}
	rank := mapRanks(len(nodes), edges)
	cols := 0
	for _, k := range rank {
		cols = max(cols, k+1)
	}
	wrap := min(mapMaxWrap, (mapMaxWidth-2*mapMargin-float64(cols-1)*mapRankSep)/float64(cols)-2*mapPadX)
	wrap = max(wrap, 60)
	boxes := make([]mapBox, len(nodes))
	for i, n := range nodes {
		b := mapBox{bold: n.depth == 0, support: n.lines[1]}
		b.name = wrapText(n.lines[0], wrap, mapNameSize, b.bold)
		w := figTextWidth(b.support, mapSupportSize, false)
		for _, l := range b.name {
			w = max(w, figTextWidth(l, mapNameSize, b.bold))
		}
		b.w = math.Ceil(w + 2*mapPadX)
		b.h = math.Ceil(float64(len(b.name))*mapNameSize*mapLineHeight + mapSupportSize*mapLineHeight + 2*mapPadY)
		boxes[i] = b
	}
	splines, gw, gh, err := layoutMap(boxes, edges, rank)
	if err != nil {
		return nil, err
	}
	f.W, f.H = math.Ceil(gw+2*mapMargin), math.Ceil(gh+2*mapMargin)
	for _, p := range splines {
		for j := range p {
			p[j] = figPoint{p[j].X + mapMargin, p[j].Y + mapMargin}
		}
		f.paths = append(f.paths, figPath{P: p, Stroke: "#6f6f6f", StrokeW: 0.9, Arrow: true})
	}
	for i, b := range boxes {
		n := nodes[i]
		x, y := b.x+mapMargin, b.y+mapMargin
		box := figBox{X: x - b.w/2, Y: y - b.h/2, W: b.w, H: b.h, R: 4, Fill: depthFill(n.depth), Stroke: "#636363", StrokeW: 0.75}
		switch {
		case n.depth == 0:
			box.Stroke, box.StrokeW = "#2b5d8c", 1.5
		case n.depth < 0:
			box.R, box.Stroke = 7, "#b59f3b"
		}
		f.boxes = append(f.boxes, box)
		top := y - b.h/2 + mapPadY
		for _, l := range b.name {
			f.texts = append(f.texts, figText{X: x, Y: top + mapNameSize*mapLineHeight*0.5 + mapNameSize*0.35, S: l, Size: mapNameSize, Bold: b.bold, Middle: true})
			top += mapNameSize * mapLineHeight
		}
		f.texts = append(f.texts, figText{X: x, Y: top + mapSupportSize*mapLineHeight*0.5 + mapSupportSize*0.35, S: b.support, Size: mapSupportSize, Color: "#333333", Middle: true})
	}
	return f, nil
}

// mapRanks is each node's column: the longest path to it from a root, as
// dot ranks a graph.
func mapRanks(n int, edges []mapEdge) []int {
	rank := make([]int, n)
	for changed := true; changed; {
		changed = false
		for _, e := range edges {
			if rank[e.to] < rank[e.from]+1 {
				rank[e.to] = rank[e.from] + 1
				changed = true
			}
		}
	}
	return rank
}

// layoutMap runs dot on fixed-size boxes and reads back, in points with y
// down, each box's centre (into boxes), each edge's spline (P0, then cubic
// segments) and the drawing's size.
func layoutMap(boxes []mapBox, edges []mapEdge, rank []int) ([][]figPoint, float64, float64, error) {
	var src strings.Builder
	fmt.Fprintf(&src, "digraph{graph[rankdir=LR,ordering=out,nodesep=%s,ranksep=%s];node[shape=box,fixedsize=true,label=\"\"];edge[arrowhead=none];\n",
		inches(mapNodeSep), inches(mapRankSep))
	var roots []string
	for i, b := range boxes {
		fmt.Fprintf(&src, "n%d[width=%s,height=%s];\n", i, inches(b.w), inches(b.h))
		if rank[i] == 0 {
			roots = append(roots, "n"+strconv.Itoa(i))
		}
	}
	// Invisible edges within the first rank keep the analytical themes in
	// codebook order.
	if len(roots) > 1 {
		fmt.Fprintf(&src, "{rank=same;%s[style=invis];}\n", strings.Join(roots, "->"))
	}
	for i, e := range edges {
		fmt.Fprintf(&src, "n%d->n%d[id=e%d];\n", e.from, e.to, i)
	}
	src.WriteString("}\n")
	plain, err := graphvizPlain([]byte(src.String()))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("laying out the theme map: %w", err)
	}
	return parsePlain(plain, boxes, edges)
}

func inches(pt float64) string { return strconv.FormatFloat(pt/72, 'f', 4, 64) }

// graphvizMu lets one layout at a time into go-graphviz: ParseBytes works
// in a WebAssembly module shared by the whole package, and two formats
// laying out the theme map at once (synth build renders them side by side)
// broke each other's layout ("no route for edge 0") or failed ("failed to
// read wasm memory", "failed to create graphviz context").
var graphvizMu sync.Mutex

// graphvizPlain lays out a DOT graph with dot and returns Graphviz's
// "plain" output. The layouts of the last graphs are kept, by their DOT
// text: synth build draws one theme map for its svg, png, html and docx
// formats, which would otherwise each lay it out again.
func graphvizPlain(dot []byte) ([]byte, error) {
	return layouts.get(string(dot), func() ([]byte, error) { return runDot(dot) })
}

// layouts holds graphvizPlain's last layouts.
var layouts = kept[string]{max: 8}

// WarmLayout starts Graphviz: it makes go-graphviz's WebAssembly module,
// so that the first theme map's layout does not wait for it. synth build
// runs it in the background as it reads the project, when a format it
// writes lays out the theme map (Format.LaysOut). Making the module took
// 40-50 ms with wazero's compilation cache (in os.TempDir()/go-graphviz)
// and 1.3 s without it, on a 2-core machine; upstream go-graphviz made it
// at the start of every run, which third_party/go-graphviz does not. An
// error is left to the layout that follows, which reports it.
func WarmLayout() {
	graphvizMu.Lock()
	defer graphvizMu.Unlock()
	defer func() { _ = recover() }() // as in runDot, whose layout then reports it
	if g, err := graphviz.New(context.Background()); err == nil {
		g.Close()
	}
}

// dotRuns counts runDot's layouts, for the tests.
var dotRuns atomic.Int64

// runDot runs dot on a DOT graph, one graph at a time (graphvizMu).
// go-graphviz's generated bridge panics where the WebAssembly module hands
// it something it cannot convert; such a panic is the layout's error here,
// as a failed layout is, not the end of the run.
func runDot(dot []byte) (plain []byte, err error) {
	graphvizMu.Lock()
	defer graphvizMu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			plain, err = nil, fmt.Errorf("Graphviz failed: %v", p)
		}
	}()
	dotRuns.Add(1)
	ctx := context.Background()
	g, err := graphviz.New(ctx)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, err
	}
	defer graph.Close()
	var b bytes.Buffer
	if err := g.Render(ctx, graph, "plain", &b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// parsePlain reads Graphviz's plain format (graph, node and edge lines; see
// https://graphviz.org/docs/outputs/plain/), whose coordinates are inches
// with y up.
func parsePlain(plain []byte, boxes []mapBox, edges []mapEdge) ([][]figPoint, float64, float64, error) {
	var gw, gh float64
	splines := make([][]figPoint, len(edges))
	type edgeKey struct{ from, to int }
	pending := map[edgeKey][]int{} // edges in input order by their ends
	for i, e := range edges {
		k := edgeKey{e.from, e.to}
		pending[k] = append(pending[k], i)
	}
	sc := bufio.NewScanner(bytes.NewReader(plain))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		nums := func(from, n int) ([]float64, error) {
			if len(fields) < from+n {
				return nil, fmt.Errorf("short line in Graphviz output: %q", sc.Text())
			}
			out := make([]float64, n)
			for i := range out {
				v, err := strconv.ParseFloat(fields[from+i], 64)
				if err != nil {
					return nil, fmt.Errorf("Graphviz output: %v", err)
				}
				out[i] = v * 72
			}
			return out, nil
		}
		switch fields[0] {
		case "graph":
			v, err := nums(2, 2)
			if err != nil {
				return nil, 0, 0, err
			}
			gw, gh = v[0], v[1]
		case "node":
			i, err := strconv.Atoi(strings.TrimPrefix(fields[1], "n"))
			if err != nil || i < 0 || i >= len(boxes) {
				return nil, 0, 0, fmt.Errorf("Graphviz output names an unknown node %q", fields[1])
			}
			v, err := nums(2, 2)
			if err != nil {
				return nil, 0, 0, err
			}
			boxes[i].x, boxes[i].y = v[0], gh-v[1]
		case "edge":
			from, err1 := strconv.Atoi(strings.TrimPrefix(fields[1], "n"))
			to, err2 := strconv.Atoi(strings.TrimPrefix(fields[2], "n"))
			k := edgeKey{from, to}
			if err1 != nil || err2 != nil || len(pending[k]) == 0 {
				continue // an invisible ordering edge
			}
			n, err := strconv.Atoi(fields[3])
			if err != nil {
				return nil, 0, 0, fmt.Errorf("Graphviz output: %v", err)
			}
			v, err := nums(4, 2*n)
			if err != nil {
				return nil, 0, 0, err
			}
			p := make([]figPoint, n)
			for j := range p {
				p[j] = figPoint{v[2*j], gh - v[2*j+1]}
			}
			splines[pending[k][0]] = p
			pending[k] = pending[k][1:]
		}
	}
	for i, s := range splines {
		if len(s) < 2 {
			return nil, 0, 0, fmt.Errorf("Graphviz output has no route for edge %d", i)
		}
	}
	return splines, gw, gh, nil
}
