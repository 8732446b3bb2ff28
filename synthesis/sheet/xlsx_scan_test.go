package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orisano/gosax"
)

// gosaxTokens tokenizes data with gosax the way xmlReader does, for
// comparison: local names, raw attributes, raw text, CDATA content;
// comments, PIs and DOCTYPE skipped.
func gosaxTokens(data []byte, fn func(xmlToken) bool) error {
	r := gosax.NewReader(bytes.NewReader(data))
	for {
		ev, err := r.Event()
		if err != nil {
			return err
		}
		b := ev.Bytes
		var t xmlToken
		switch ev.Type() {
		case gosax.EventEOF:
			fn(xmlToken{kind: xmlEOF})
			return nil
		case gosax.EventText:
			t = xmlToken{kind: xmlText, text: b}
		case gosax.EventCData:
			if !bytes.HasPrefix(b, []byte("<![CDATA[")) {
				continue
			}
			t = xmlToken{kind: xmlCDATA, text: b[9 : len(b)-3]}
		case gosax.EventStart:
			setStart(&t, b)
		case gosax.EventEnd:
			t = xmlToken{kind: xmlEnd, name: localName(tagName(b[2:]))}
		default:
			continue
		}
		if !fn(t) {
			return nil
		}
	}
}

func sameToken(a, b xmlToken) bool {
	return a.kind == b.kind && bytes.Equal(a.name, b.name) && bytes.Equal(a.attrs, b.attrs) &&
		bytes.Equal(a.text, b.text) && a.selfClosing == b.selfClosing
}

// compareWithGosax checks that our tokenizer, with a small window so that
// tokens cross refills, yields gosax's tokens for data.
func compareWithGosax(t *testing.T, what string, data []byte) int {
	t.Helper()
	x := newXMLReader(bytes.NewReader(data), 0)
	n := 0
	var mismatch string
	err := gosaxTokens(data, func(want xmlToken) bool {
		_, err := x.next()
		if err != nil || !sameToken(x.tok, want) {
			mismatch = strings.Join([]string{string(want.name), string(want.text), string(x.tok.name), string(x.tok.text)}, " | ")
			if err != nil {
				mismatch += " " + err.Error()
			}
			return false
		}
		n++
		return want.kind != xmlEOF
	})
	if err != nil {
		t.Logf("%s: gosax fails (%v); not compared", what, err)
		return 0
	}
	if mismatch != "" {
		t.Errorf("%s: token %d differs: %s", what, n, mismatch)
	}
	return n
}

// Every XML part of every corpus workbook tokenizes as gosax does.
func TestScannerMatchesGosax(t *testing.T) {
	tokens := 0
	for _, path := range corpusFiles(t, "xlsx") {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			name := strings.ToLower(f.Name)
			if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") && !strings.HasSuffix(name, ".vml") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			text, err := partText(rc)
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(text)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			tokens += compareWithGosax(t, filepath.Base(path)+":"+f.Name, data)
		}
		zr.Close()
	}
	t.Logf("%d tokens agree", tokens)
}

func TestScannerEdges(t *testing.T) {
	tests := []string{
		``,
		`plain text`,
		`<a>`,
		`<a/>`,
		`<a x="1>2" y='3>4'>t</a>`,
		`<?xml version="1.0"?><!-- c > --><!DOCTYPE a SYSTEM "a.dtd"><a>&e;</a>`,
		`<a><![CDATA[x]]y]]></a>`,
		`<a><![CDATA[]]></a>`,
		"<x:a\n\tb = \"1\"\n/>",
		`</a>`,
		`<a>text at the end`,
	}
	for _, in := range tests {
		compareWithGosax(t, in, []byte(in))
	}
	// A DOCTYPE with an internal subset is skipped whole (gosax counts
	// the '>' in the quoted entity value and stops early).
	x := newXMLReader(strings.NewReader(`<!DOCTYPE a [<!ENTITY e "x>">]><a>&e;</a>`), 0)
	if k, err := x.next(); k != xmlStart || err != nil || string(x.tok.name) != "a" {
		t.Errorf("after DOCTYPE: %v %v %+v", k, err, x.tok)
	}
	// Cut off in the middle of markup: an error, not a panic or a hang.
	for _, in := range []string{`<a`, `<a x="`, `<!--`, `<![CDATA[x`, `<?xml`, `<!DOCTYPE [`, `</a`, `<`} {
		x := newXMLReader(strings.NewReader(in), 0)
		var err error
		for i := 0; i < 10 && err == nil; i++ {
			var k xmlKind
			k, err = x.next()
			if k == xmlEOF && err == nil {
				t.Errorf("%q: EOF without an error", in)
				break
			}
		}
		if err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// BenchmarkTokenizers compares encoding/xml, gosax and our tokenizer on
// the sheet XML of test_files__large_strings.xlsx (57 MB, long cells) and of
// a generated extracts sheet (many small cells), from memory.
func BenchmarkTokenizers(b *testing.B) {
	inputs := map[string][]byte{}
	if data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "xlsx", "test_files__large_strings.xlsx")); err == nil {
		inputs["large_strings"] = zipPart(b, data, "xl/worksheets/sheet1.xml")
	}
	path, _ := benchWorkbook(b, 20000)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	inputs["extracts"] = zipPart(b, data, "xl/worksheets/sheet1.xml")
	for _, name := range []string{"large_strings", "extracts"} {
		data, ok := inputs[name]
		if !ok {
			continue
		}
		b.Run(name+"/encoding_xml", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				d := xml.NewDecoder(bytes.NewReader(data))
				for {
					if _, err := d.RawToken(); err != nil {
						break
					}
				}
			}
		})
		b.Run(name+"/gosax", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				gosaxTokens(data, func(xmlToken) bool { return true })
			}
		})
		b.Run(name+"/ours", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				x := newXMLReader(bytes.NewReader(data), -1)
				for {
					if k, err := x.next(); err != nil || k == xmlEOF {
						break
					}
				}
			}
		})
	}
}

func zipPart(b *testing.B, data []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			out, err := io.ReadAll(rc)
			if err != nil {
				b.Fatal(err)
			}
			return out
		}
	}
	b.Fatalf("no part %s", name)
	return nil
}
