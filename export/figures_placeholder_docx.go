package export

// Placeholder until the figures land; delete at merge.
//
// ThemeMapPNG and PRISMAPNG stand in for the figure renderers so that
// supplement.docx can embed figures: they draw boxes, no text.

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/synth-qda/synth/synthesis"
)

// ThemeMapPNG draws one box per theme, a row per depth (placeholder).
func ThemeMapPNG(r *synthesis.Result, opt MapOptions) ([]byte, error) {
	nodes, _ := themeMap(r, opt)
	perDepth := map[int]int{}
	rows := 1
	for _, n := range nodes {
		perDepth[n.depth]++
		rows = max(rows, n.depth+2)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1600, 200+160*rows))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	at := map[int]int{}
	for _, n := range nodes {
		d := max(n.depth, 0)
		k := at[d]
		at[d]++
		w := 1500 / max(perDepth[n.depth], 1)
		box(img, 50+k*w+10, 100+d*160, w-20, 100)
	}
	return encodePNG(img)
}

// PRISMAPNG draws the four stages of the PRISMA flow as boxes
// (placeholder); nil, nil without PRISMA counts.
func PRISMAPNG(r *synthesis.Result) ([]byte, error) {
	if r.PRISMA == nil {
		return nil, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, 1200, 1400))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for i := range 4 {
		box(img, 100, 100+i*320, 500, 200)
		box(img, 700, 100+i*320, 400, 200)
	}
	return encodePNG(img)
}

func box(img *image.RGBA, x, y, w, h int) {
	draw.Draw(img, image.Rect(x, y, x+w, y+h), image.NewUniform(color.RGBA{0x33, 0x33, 0x33, 0xff}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(x+3, y+3, x+w-3, y+h-3), image.NewUniform(color.RGBA{0xc6, 0xdb, 0xef, 0xff}), image.Point{}, draw.Src)
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
