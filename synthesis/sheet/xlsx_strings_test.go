package sheet

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSharedStringBlocks loads tables whose strings fall on every side of a
// block's edge (empty strings, strings that fill a block exactly, one
// longer than a block, escapes that shrink when decoded, rich text) and
// reads each back by number, through both the plain-string fast path and
// the general one.
func TestSharedStringBlocks(t *testing.T) {
	var want []string
	var xml strings.Builder
	xml.WriteString(`<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="9999">`)
	add := func(s, raw string) {
		want = append(want, s)
		xml.WriteString(raw)
	}
	plain := func(s string) { add(s, "<si><t>"+s+"</t></si>") }
	for i := 0; i < 700; i++ {
		plain(fmt.Sprintf("s%d-%s", i, strings.Repeat("x", i%300)))
	}
	add("", "<si/>")
	add("", "<si><t></t></si>")
	plain(strings.Repeat("b", 64<<10)) // a block to itself, exactly
	plain(strings.Repeat("c", 64<<10-1))
	plain("d")
	plain(strings.Repeat("e", 200<<10)) // longer than a block
	add("a&b<c", `<si><t xml:space="preserve">a&amp;b&lt;c</t></si>`)
	add("rich text", `<si><r><t>rich </t></r><r><t>text</t></r></si>`)
	add("x\ty", `<si><t>x_x0009_y</t></si>`)
	for i := 0; i < 5000; i++ { // more strings than a block may number
		plain(fmt.Sprint(i))
	}
	xml.WriteString("</sst>")

	for _, c := range []struct {
		fast  bool
		limit int64
	}{{true, sstInMemory}, {false, sstInMemory}, {true, 0}, {false, 100 << 10}} {
		fast := c.fast
		tab := newSharedStrings()
		tab.limit = c.limit
		tab.load(newXMLReader(strings.NewReader(xml.String()), int64(xml.Len())), io.NopCloser(nil), int64(xml.Len()), fast)
		if err := tab.wait(); err != nil {
			t.Fatalf("fast=%v: %v", fast, err)
		}
		st, err := tab.get(len(want) - 1)
		if err != nil {
			t.Fatalf("fast=%v: %v", fast, err)
		}
		if st.len() != len(want) {
			t.Fatalf("fast=%v: %d strings, want %d", fast, st.len(), len(want))
		}
		// Read in order through one cache, as a sheet's rows do, and each
		// alone; strings in the file are long ones only.
		var cache sstCache
		inFile := 0
		for i, w := range want {
			got, err := st.strVia(i, &cache)
			alone, err2 := st.str(i)
			if err != nil || err2 != nil || got != w || alone != w {
				t.Fatalf("fast=%v limit=%d: string %d = %.40q (%d bytes), want %.40q (%d bytes) (%v, %v)", fast, c.limit, i, got, len(got), w, len(w), err, err2)
			}
			if !st.held(i) {
				inFile++
				if len(w) <= sstShort {
					t.Fatalf("fast=%v limit=%d: string %d, of %d bytes, is not held", fast, c.limit, i, len(w))
				}
			}
		}
		// In any order, as rows sorted after the table was made name them.
		for _, i := range rand.New(rand.NewPCG(1, uint64(c.limit))).Perm(len(want)) {
			if got, err := st.strVia(i, &cache); err != nil || got != want[i] {
				t.Fatalf("fast=%v limit=%d: string %d out of order = %.40q (%v)", fast, c.limit, i, got, err)
			}
		}
		if got := inFile > 0; got != (c.limit < int64(xml.Len())) {
			t.Errorf("fast=%v limit=%d: %d strings in the file", fast, c.limit, inFile)
		}
		if tab.file != nil {
			if err := tab.file.Close(); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range st.blocks {
			if c.limit > 0 && len(b) > 64<<10 && strings.Trim(b, "e") != "" {
				t.Errorf("fast=%v: a block of %d bytes holds more than one long string", fast, len(b))
			}
		}
	}
}
