package export

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/synthesis"
)

// The PRISMA diagram's measures, in points.
const (
	prismaSize    = 9.0
	prismaLine    = 11.5 // line height
	prismaPad     = 6.0
	prismaMargin  = 6.0
	prismaBar     = 20.0 // width of a stage's side label
	prismaBoxW    = 190.0
	prismaColGap  = 34.0
	prismaRowGap  = 18.0
	prismaIndent  = 10.0
	prismaHeaderH = 22.0
)

// PRISMASVG draws prisma.svg: the PRISMA 2020 flow diagram for new
// systematic reviews that searched databases and registers only (Page et
// al., BMJ 2021;372:n71, Figure 1), from the prisma: counts of synth.yaml:
// Identification (records identified, per database and from registers;
// records removed before screening), Screening (records screened and
// excluded; reports sought and not retrieved; reports assessed and
// excluded, with each reason), Included (studies, and reports of included
// studies). A count synth.yaml gives is drawn, 0 included ("(n = 0)"); a
// box none of whose counts is given is left out and the arrow runs to the
// next box of the column. Reports sought are derived (records screened
// less excluded, else reports assessed plus not retrieved), and so are the
// reports not retrieved when not given (reports sought less assessed).
// Counts are written with thousands separators (1,269).
// Databases and exclusion reasons are listed by name (synth.yaml's
// mappings keep no order). It returns nil, nil when r.PRISMA is nil; the
// counts' arithmetic is checked in synthesis (prisma-arithmetic), not here.
func PRISMASVG(r *synthesis.Result) ([]byte, error) {
	if r.PRISMA == nil {
		return nil, nil
	}
	return prismaFigure(r.PRISMA).SVG(false), nil
}

// PRISMAPNG draws the diagram of PRISMASVG as a PNG at 300 dpi of its
// printed size, with the resolution recorded in the file; nil, nil when
// r.PRISMA is nil.
func PRISMAPNG(r *synthesis.Result) ([]byte, error) {
	if r.PRISMA == nil {
		return nil, nil
	}
	f := prismaFigure(r.PRISMA)
	return f.PNG(printDPI(f))
}

// prismaText is a line of a box: indented lines list a total's parts.
type prismaText struct {
	s      string
	indent bool
	label  string // the box's name for the figure's note; "" for a line that is part of a total
}

// prismaRow is a box of the main column and the box to its right (either
// may be empty) in a stage.
type prismaRow struct {
	stage       string
	left, right []prismaText
}

func prismaCount(label string, v int) prismaText {
	return prismaText{s: label + " (n = " + thousands(v) + ")", label: label}
}

// thousands writes n with commas between its thousands: 1,269.
func thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// prismaRows are the diagram's boxes with the counts that are given.
func prismaRows(c *synthesis.PRISMA) []prismaRow {
	var rows []prismaRow
	var ident, removed []prismaText
	if id := c.RecordsIdentified(); id > 0 {
		head := prismaCount("Records identified", id)
		if len(c.Databases) > 0 || c.Registers > 0 {
			head.s += " from:"
		}
		ident = append(ident, head)
	}
	if len(c.Databases) > 0 {
		sum := 0
		for _, v := range c.Databases {
			sum += v
		}
		t := prismaCount("Databases", sum)
		t.label = "" // a part of the records identified, which the note names
		ident = append(ident, t)
		for _, name := range slices.Sorted(maps.Keys(c.Databases)) {
			t := prismaCount(name, c.Databases[name])
			t.indent = true
			ident = append(ident, t)
		}
	}
	if c.Has("registers", c.Registers) {
		t := prismaCount("Registers", c.Registers)
		t.label = ""
		ident = append(ident, t)
	}
	dup, other := c.Has("duplicates", c.Duplicates), c.Has("other_removed", c.OtherRemoved)
	if dup || other {
		removed = append(removed, prismaText{s: "Records removed before screening:", label: "Records removed before screening"})
		if dup {
			t := prismaCount("Duplicate records removed", c.Duplicates)
			t.indent = true
			removed = append(removed, t)
		}
		if other {
			t := prismaCount("Records removed for other reasons", c.OtherRemoved)
			t.indent = true
			removed = append(removed, t)
		}
	}
	if len(ident) > 0 || len(removed) > 0 {
		rows = append(rows, prismaRow{"Identification", ident, removed})
	}
	add := func(stage string, left []prismaText, right []prismaText) {
		if len(left) > 0 || len(right) > 0 {
			rows = append(rows, prismaRow{stage, left, right})
		}
	}
	// given is a box of a count synth.yaml gives (a 0 included), or none.
	given := func(label, key string, v int) []prismaText {
		if c.Has(key, v) {
			return []prismaText{prismaCount(label, v)}
		}
		return nil
	}
	var notRetrieved []prismaText
	if n, ok := c.ReportsNotRetrieved(); ok {
		notRetrieved = []prismaText{prismaCount("Reports not retrieved", n)}
	}
	var sought []prismaText
	if n := c.ReportsSought(); n > 0 {
		sought = []prismaText{prismaCount("Reports sought for retrieval", n)}
	}
	add("Screening", given("Records screened", "screened", c.Screened), given("Records excluded", "excluded_screening", c.ExcludedScreening))
	add("Screening", sought, notRetrieved)
	excluded := given("Reports excluded", "excluded_full_text", c.ExcludedFullText)
	if len(c.ExclusionReasons) > 0 {
		if len(excluded) == 0 {
			excluded = []prismaText{{s: "Reports excluded:", label: "Reports excluded"}}
		} else {
			excluded[0].s += ":"
		}
		for _, reason := range slices.Sorted(maps.Keys(c.ExclusionReasons)) {
			t := prismaCount(reason, c.ExclusionReasons[reason])
			t.indent = true
			excluded = append(excluded, t)
		}
	}
	add("Screening", given("Reports assessed for eligibility", "full_text", c.FullText), excluded)
	add("Included", append(given("Studies included in review", "included", c.Included), given("Reports of included studies", "reports", c.Reports)...), nil)
	return rows
}

// prismaNote says what the diagram draws: its boxes, in order, without
// their counts, and the exclusion reasons and databases when it lists them.
func prismaNote(c *synthesis.PRISMA) string {
	var boxes []string
	for _, row := range prismaRows(c) {
		for _, side := range [][]prismaText{row.left, row.right} {
			for _, t := range side {
				label := t.label
				if t.indent || label == "" {
					continue // parts of a total
				}
				if len(boxes) > 0 {
					label = strings.ToLower(label[:1]) + label[1:]
				}
				boxes = append(boxes, label)
			}
		}
	}
	note := strings.Join(boxes, "; ")
	if len(c.Databases) > 0 {
		note += "; records by database"
	}
	if c.Has("registers", c.Registers) {
		note += "; records from registers"
	}
	if len(c.ExclusionReasons) > 0 {
		note += "; reports excluded by reason"
	}
	return note + " (PRISMA 2020 flow diagram, Page et al. 2021)."
}

// prismaFigure lays the rows out in the template's two columns, with the
// stages as side labels and a header over the main column.
func prismaFigure(c *synthesis.PRISMA) *figure {
	f := &figure{Title: "PRISMA 2020 flow diagram"}
	leftX := prismaMargin + prismaBar + 10
	rightX := leftX + prismaBoxW + prismaColGap
	f.W = rightX + prismaBoxW + prismaMargin
	header := "Identification of studies via databases and registers"
	f.boxes = append(f.boxes, figBox{X: leftX, Y: prismaMargin, W: f.W - prismaMargin - leftX, H: prismaHeaderH, R: 5, Fill: "#fbe5a5", Stroke: "#b58b00", StrokeW: 0.75})
	f.texts = append(f.texts, figText{X: leftX + (f.W-prismaMargin-leftX)/2, Y: prismaMargin + prismaHeaderH/2 + prismaSize*0.35, S: header, Size: prismaSize, Bold: true, Middle: true})
	y := prismaMargin + prismaHeaderH + prismaRowGap
	type stageSpan struct {
		name     string
		top, bot float64
	}
	var stages []stageSpan
	rows := prismaRows(c)
	heights := make([]float64, len(rows))
	lefts, rights := make([][]prismaText, len(rows)), make([][]prismaText, len(rows))
	for i, row := range rows {
		lefts[i], rights[i] = wrapPrisma(row.left), wrapPrisma(row.right)
		heights[i] = float64(max(len(lefts[i]), len(rights[i])))*prismaLine + 2*prismaPad
	}
	// A stage's rows are at least as tall as its side label is long.
	for i := 0; i < len(rows); {
		j, span := i, -prismaRowGap
		for ; j < len(rows) && rows[j].stage == rows[i].stage; j++ {
			span += heights[j] + prismaRowGap
		}
		if need := figTextWidth(rows[i].stage, prismaSize, true) + 2*prismaPad; span < need {
			heights[j-1] += math.Ceil(need - span)
		}
		i = j
	}
	var prevBottom float64 // bottom of the last main-column box, 0 for none
	for i, row := range rows {
		left, right := lefts[i], rights[i]
		h := heights[i]
		if len(left) > 0 {
			f.addPrismaBox(leftX, y, h, left)
			if prevBottom > 0 {
				f.paths = append(f.paths, arrow(leftX+prismaBoxW/2, prevBottom, leftX+prismaBoxW/2, y))
			}
			prevBottom = y + h
		}
		if len(right) > 0 {
			f.addPrismaBox(rightX, y, h, right)
			if len(left) > 0 {
				f.paths = append(f.paths, arrow(leftX+prismaBoxW, y+h/2, rightX, y+h/2))
			}
		}
		if len(stages) > 0 && stages[len(stages)-1].name == row.stage {
			stages[len(stages)-1].bot = y + h
		} else {
			stages = append(stages, stageSpan{row.stage, y, y + h})
		}
		y += h + prismaRowGap
	}
	f.H = y - prismaRowGap + prismaMargin
	for _, s := range stages {
		f.boxes = append(f.boxes, figBox{X: prismaMargin, Y: s.top, W: prismaBar, H: s.bot - s.top, R: 4, Fill: "#a9c6e8", Stroke: "#4f7fb5", StrokeW: 0.75})
		f.texts = append(f.texts, figText{X: prismaMargin + prismaBar/2 + prismaSize*0.35, Y: (s.top + s.bot) / 2, S: s.name, Size: prismaSize, Bold: true, Middle: true, Rotate: true})
	}
	return f
}

// wrapPrisma wraps each line to a box's width, indented lines under their total.
func wrapPrisma(lines []prismaText) []prismaText {
	var out []prismaText
	for _, l := range lines {
		w := prismaBoxW - 2*prismaPad
		if l.indent {
			w -= prismaIndent
		}
		for _, s := range wrapText(l.s, w, prismaSize, false) {
			out = append(out, prismaText{s: s, indent: l.indent})
		}
	}
	return out
}

func (f *figure) addPrismaBox(x, y, h float64, lines []prismaText) {
	f.boxes = append(f.boxes, figBox{X: x, Y: y, W: prismaBoxW, H: h, Fill: "#ffffff", Stroke: "#404040", StrokeW: 0.75})
	// Lines sit in the middle of a box made taller for its stage's label.
	top := y + (h-float64(len(lines))*prismaLine)/2
	for i, l := range lines {
		tx := x + prismaPad
		if l.indent {
			tx += prismaIndent
		}
		f.texts = append(f.texts, figText{X: tx, Y: top + float64(i)*prismaLine + prismaLine*0.5 + prismaSize*0.35, S: l.s, Size: prismaSize})
	}
}

// arrow is a straight arrow from (x0, y0) to (x1, y1).
func arrow(x0, y0, x1, y1 float64) figPath {
	a, b := figPoint{x0, y0}, figPoint{x1, y1}
	third := func(t float64) figPoint { return figPoint{x0 + (x1-x0)*t, y0 + (y1-y0)*t} }
	return figPath{P: []figPoint{a, third(1.0 / 3), third(2.0 / 3), b}, Stroke: "#404040", StrokeW: 0.9, Arrow: true}
}
