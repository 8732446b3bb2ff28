package sheet

// The XML layer under the workbook reader: a tokenizer that hands out
// element local names, raw attribute bytes and raw text without allocating,
// over a sliding window of the part (xlsx_scan.go).
//
// Why not encoding/xml: on the 57 MB sheet of test_files__large_strings.xlsx
// its RawToken alone takes 600–850 ms, against about 11 ms to inflate the
// part and 150 ms for `unzip -p`; it cannot stay within 1.5× of the floor.
// github.com/orisano/gosax takes about 8 ms there and was the first choice.
// But on a sheet of many small cells (the extracts workbooks of
// internal/benchdata) a tokenizer spends its time per token, not per byte,
// and the fast paths in xlsx_rows.go and xlsx_strings.go, which read a
// whole <c><v>…</v></c> at once, need the tokenizer's window, which gosax
// does not expose. The scanner here yields the same tokens as gosax
// (TestScannerMatchesGosax checks every XML part of the corpus), is 1.3×
// as fast on its own (BenchmarkTokenizers), and lets those fast paths look
// ahead.
//
// Why local names only: SpreadsheetML is read the same whether it is written
// with the default namespace, with a prefix (<x:row>, .NET Open XML SDK) or
// in Strict OOXML (purl.oclc.org namespaces). No element we read has a
// namesake in another namespace at the place we look for it, so the prefix
// and namespace URI are ignored rather than resolved.
//
// Entities: only the five predefined ones and character references are
// decoded. A DOCTYPE is skipped, never expanded, so entity bombs cannot
// grow anything; an unknown entity is kept as written rather than dropped.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

type xmlKind uint8

const (
	xmlEOF xmlKind = iota
	xmlStart
	xmlEnd
	xmlText
	xmlCDATA
)

// xmlToken is one token. Its byte slices are only valid until the next call
// to next.
type xmlToken struct {
	kind xmlKind
	// name is the local name of a start or end tag (no prefix).
	name []byte
	// attrs is the raw attribute text of a start tag; read with nextAttr.
	attrs []byte
	// selfClosing is set on a start tag written <a/>; no end tag follows.
	selfClosing bool
	// text is raw character data (entities not decoded) or CDATA content.
	text []byte
}

// xmlBufSize is the largest starting window of the tokenizer: 256 KB
// keeps refills rare on big parts. Tokens longer than the window (a 32,767
// character cell) make it grow.
const xmlBufSize = 256 << 10

// newXMLReader tokenizes r. sizeHint is the part's declared size: only a
// hint for the window, so that the dozen small parts of a workbook do not
// each take 256 KB; a wrong hint costs a few refills, nothing more.
func newXMLReader(r io.Reader, sizeHint int64) *xmlReader {
	size := int64(xmlBufSize)
	if sizeHint >= 0 && sizeHint < size {
		size = max(sizeHint+512, 4096)
	}
	return &xmlReader{r: r, buf: make([]byte, size)}
}

// errXMLSyntax marks markup the tokenizer cannot make sense of.
var errXMLSyntax = errors.New("the XML is malformed")

// setStart fills t from the start tag b: <name attrs> or <name attrs/>.
func setStart(t *xmlToken, b []byte) {
	*t = xmlToken{kind: xmlStart}
	if len(b) > 0 && b[0] == '<' {
		b = b[1:]
	}
	if len(b) > 0 && b[len(b)-1] == '>' {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && b[len(b)-1] == '/' {
		t.selfClosing = true
		b = b[:len(b)-1]
	}
	name := tagName(b)
	t.name = localName(name)
	t.attrs = b[len(name):]
}

// tagName returns the qualified name at the start of b.
func tagName(b []byte) []byte {
	for i, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '>', '/':
			return b[:i]
		}
	}
	return b
}

// localName drops a namespace prefix: x:row → row.
func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// nextAttr returns the next attribute of a start tag's attribute text: its
// local name, its raw value (entities not decoded) and the rest. ok is false
// when there are no more. It is lenient: an attribute without a value has an
// empty one, and a value without its closing quote runs to the end.
func nextAttr(b []byte) (name, val, rest []byte, ok bool) {
	i := 0
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return nil, nil, nil, false
	}
	start := i
	for i < len(b) && b[i] != '=' && !isXMLSpace(b[i]) {
		i++
	}
	name = b[start:i]
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	if i == len(b) || b[i] != '=' {
		return name, nil, b[i:], true
	}
	i++
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return name, nil, nil, true
	}
	q := b[i]
	if q != '"' && q != '\'' {
		// Unquoted value: up to the next space.
		start = i
		for i < len(b) && !isXMLSpace(b[i]) {
			i++
		}
		return name, b[start:i], b[i:], true
	}
	i++
	end := bytes.IndexByte(b[i:], q)
	if end < 0 {
		return name, b[i:], nil, true
	}
	return name, b[i : i+end], b[i+end+1:], true
}

func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

// attrString decodes an attribute value.
func attrString(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return string(appendUnescaped(nil, v))
}

// appendUnescaped appends raw XML text to dst with entities and character
// references decoded and line ends normalised as an XML parser does (CRLF and
// a lone CR become LF). Malformed or unknown references are kept as written.
func appendUnescaped(dst, src []byte) []byte {
	for len(src) > 0 {
		i := indexAmpOrCR(src)
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		src = src[i:]
		if src[0] == '\r' {
			dst = append(dst, '\n')
			src = src[1:]
			if len(src) > 0 && src[0] == '\n' {
				src = src[1:]
			}
			continue
		}
		// src[0] == '&'
		semi := bytes.IndexByte(src[:min(len(src), 12)], ';')
		if semi < 2 {
			dst = append(dst, '&')
			src = src[1:]
			continue
		}
		ent := src[1:semi]
		if r, ok := decodeEntity(ent); ok {
			dst = utf8.AppendRune(dst, r)
		} else {
			dst = append(dst, src[:semi+1]...)
		}
		src = src[semi+1:]
	}
	return dst
}

// indexAmpOrCR is bytes.IndexAny(b, "&\r") with two vectorised scans
// instead of a byte-at-a-time loop; text is mostly neither.
func indexAmpOrCR(b []byte) int {
	amp := bytes.IndexByte(b, '&')
	limit := amp
	if amp < 0 {
		limit = len(b)
	}
	if cr := bytes.IndexByte(b[:limit], '\r'); cr >= 0 {
		return cr
	}
	return amp
}

func decodeEntity(ent []byte) (rune, bool) {
	switch string(ent) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' || ent[1] == 'X' {
		n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
	}
	if err != nil || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// partText wraps a part's bytes so that the tokenizer sees UTF-8: a UTF-8
// BOM is dropped, UTF-16 (with a BOM, or detected from "<?" written in
// UTF-16, as Excel Mobile on Windows Phone does) is decoded, and an 8-bit
// encoding named in the XML declaration is decoded through x/text.
func partText(r io.Reader) (io.Reader, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	head = head[:n]
	rest := io.MultiReader(bytes.NewReader(head), r)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return io.MultiReader(bytes.NewReader(head[3:]), r), nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{'<', 0, '?', 0}):
		return transform.NewReader(rest, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()), nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), bytes.HasPrefix(head, []byte{0, '<', 0, '?'}):
		return transform.NewReader(rest, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()), nil
	}
	enc := declaredEncoding(head)
	switch enc {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf16":
		// UTF-16 declared but written as 8-bit text: the declaration is
		// wrong (it was re-encoded by a tool), the bytes are what count.
		return rest, nil
	}
	e, err := htmlindex.Get(enc)
	if err != nil {
		return nil, fmt.Errorf("its XML declares the encoding %q, which synth cannot read", enc)
	}
	return transform.NewReader(rest, e.NewDecoder()), nil
}

// declaredEncoding returns the lower-cased encoding="…" of an XML
// declaration at the start of head, or "".
func declaredEncoding(head []byte) string {
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[5:end]
	for {
		name, val, rest, ok := nextAttr(decl)
		if !ok {
			return ""
		}
		if string(name) == "encoding" {
			return strings.ToLower(strings.TrimSpace(string(val)))
		}
		decl = rest
	}
}
