package benchdata

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// BombShapes are the shapes of zip bomb WriteBomb writes, each a way a
// crafted workbook can make a reader hold or chew through gigabytes:
//
//	blanks         a run of white space between two rows
//	text           one inline-string cell whose text never ends
//	value          one <v> whose number never ends
//	attribute      one cell whose attribute value never ends
//	comment        one XML comment that never ends
//	empty-cells    endless rows of empty cells (no value, so no row is handed out)
//	merges         endless <mergeCell> elements after the sheet data
//	nesting        endlessly nested elements inside a cell
//	shared-string  one shared string whose text never ends
var BombShapes = []string{"blanks", "text", "value", "attribute", "comment", "empty-cells", "merges", "nesting", "shared-string"}

// WriteBomb writes a workbook whose sheet part (or, for shared-string, its
// string table) inflates to at least size bytes in the given shape. The
// filler is sprinkled with a little noise, one varied byte in every few
// kilobytes, so that deflate packs it somewhat under 1000:1: such a bomb
// passes a ratio check and must be stopped by a size limit, counted while
// inflating, in bounded memory. The same shape and size give the same bytes.
func WriteBomb(w io.Writer, shape string, size int64) error {
	var head, unit, tail string
	var noise []byte
	var sstHead, sstTail string
	sheetHead := xmlDecl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`
	for i, h := range Header {
		sheetHead += `<c r="` + string(rune('A'+i)) + `1" t="inlineStr"><is><t>` + h + `</t></is></c>`
	}
	sheetHead += `</row>`
	sheetTail := `</sheetData></worksheet>`
	blanks := "                                                                "
	switch shape {
	case "blanks":
		head, unit, tail, noise = sheetHead, blanks, sheetTail, []byte(" \t\n\r")
	case "text":
		head, unit, tail, noise = sheetHead+`<row r="2"><c r="A2" t="inlineStr"><is><t>`, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", `</t></is></c></row>`+sheetTail, []byte("abcd")
	case "value":
		head, unit, tail, noise = sheetHead+`<row r="2"><c r="A2"><v>`, "1111111111111111111111111111111111111111111111111111111111111111", `</v></c></row>`+sheetTail, []byte("0123")
	case "attribute":
		head, unit, tail, noise = sheetHead+`<row r="2"><c r="A2" x="`, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", `"/></row>`+sheetTail, []byte("abcd")
	case "comment":
		head, unit, tail, noise = sheetHead+`<!--`, blanks, `-->`+sheetTail, []byte("abcd")
	case "empty-cells":
		head, unit, tail, noise = sheetHead, `<row r="2"><c r="A2"/><c r="B2"/><c r="C2"/><c r="D2"/></row>`, sheetTail, []byte("ABCD")
	case "merges":
		head, unit, tail, noise = sheetHead+`</sheetData><mergeCells>`, `<mergeCell ref="A2:B2"/><mergeCell ref="C2:D2"/><mergeCell ref="E2:F2"/>`, `</mergeCells></worksheet>`, []byte("ACEG")
		sheetTail = ""
	case "nesting":
		head, unit, tail, noise = sheetHead+`<row r="2"><c r="A2">`, `<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>`, `</c></row>`+sheetTail, []byte("abcd")
	case "shared-string":
		head, tail = sheetHead+`<row r="2"><c r="A2" t="s"><v>0</v></c></row>`+sheetTail, ""
		sstHead = xmlDecl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`
		sstTail = `</t></si></sst>`
		unit, noise = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", []byte("abcd")
	default:
		return fmt.Errorf("benchdata: no bomb shape %q (shapes: %v)", shape, BombShapes)
	}
	filler := func(bw *bufio.Writer, head, tail string) error {
		rng := rand.New(rand.NewPCG(uint64(len(shape)), uint64(size)))
		bw.WriteString(head)
		for n := int64(len(head)); n < size; n += int64(len(unit)) {
			if n/int64(len(unit))%noiseEvery == 0 && len(unit) == 64 && unit[0] != '<' {
				// Replace one byte of the unit: varied, yet the same shape.
				b := []byte(unit)
				b[rng.IntN(len(b))] = noise[rng.IntN(len(noise))]
				bw.Write(b)
				continue
			}
			if unit[0] == '<' && n/int64(len(unit))%noiseEvery == 0 {
				// Markup units are varied by a short comment between them.
				bw.WriteString(`<!--` + strconv.Itoa(rng.IntN(100)) + `-->`)
			}
			if _, err := bw.WriteString(unit); err != nil {
				return err
			}
		}
		_, err := bw.WriteString(tail)
		return err
	}
	sheet := func(bw *bufio.Writer) error { return filler(bw, head, tail) }
	sst := func(bw *bufio.Writer) error {
		_, err := bw.WriteString(xmlDecl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`)
		return err
	}
	if shape == "shared-string" {
		sheet = func(bw *bufio.Writer) error { _, err := bw.WriteString(head); return err }
		sst = func(bw *bufio.Writer) error { return filler(bw, sstHead, sstTail) }
	}
	return writePackage(w, sheet, sst)
}

// noiseEvery is how many 64-byte units of filler pass between varied ones.
const noiseEvery = 48
