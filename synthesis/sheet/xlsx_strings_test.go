package sheet

import (
	"fmt"
	"io"
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

	for _, fast := range []bool{true, false} {
		tab := newSharedStrings()
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
		for i, w := range want {
			if got := st.str(i); got != w {
				t.Fatalf("fast=%v: string %d = %.40q (%d bytes), want %.40q (%d bytes)", fast, i, got, len(got), w, len(w))
			}
		}
		for _, b := range st.blocks {
			if len(b) > 64<<10 && strings.Trim(b, "e") != "" {
				t.Errorf("fast=%v: a block of %d bytes holds more than one long string", fast, len(b))
			}
		}
	}
}
