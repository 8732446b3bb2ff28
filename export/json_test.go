package export

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/synth-qda/synth/internal/benchdata"
	"github.com/synth-qda/synth/synthesis"
)

// stdQuote is encoding/json's quoting without HTML escaping.
func stdQuote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \back\`, "<script>&amp;</script>", "tab\tnl\ncr\rbs\bff\f\x00\x1f\x7f",
		"café 日本語 “curly”", "\u2028\u2029", "bad \xff\xfe utf8", "=SUM(A1)"} {
		if got, want := string(appendJSONString(nil, s)), stdQuote(s); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	f.Add("=SUM(A1)\n<script>\"x\"\\")
	f.Add("\xff\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendJSONString(nil, s)), stdQuote(s); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestJSONLayout checks that the streamed file is valid JSON laid out as
// encoding/json.Indent with two spaces would lay it out, but for the
// elements of extracts[]: one a line, each as encoding/json.Compact lays it
// out.
func TestJSONLayout(t *testing.T) {
	for _, r := range []*synthesis.Result{sampleResult(), minimalResult(), {}} {
		data := render(t, "json", r)["synthesis.json"]
		if !json.Valid(data) {
			t.Fatalf("invalid JSON:\n%s", data)
		}
		// The extracts' lines, checked one by one, then left out.
		lines := strings.SplitAfter(string(data), "\n")
		start := slices.Index(lines, "  \"extracts\": [\n")
		end := start + 1
		if start < 0 {
			start, end = 0, 0 // no extract: "extracts": [] is indented as the rest
		}
		for ; end < len(lines) && strings.HasPrefix(lines[end], "    {"); end++ {
			line := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(lines[end], "    "), "\n"), ",")
			var compact bytes.Buffer
			if err := json.Compact(&compact, []byte(line)); err != nil {
				t.Fatalf("extract line %d is not one JSON value: %v\n%s", end+1, err, line)
			}
			if compact.String() != line {
				t.Errorf("extract line %d is not in Compact's layout:\n%s\n%s", end+1, line, compact.String())
			}
		}
		rest := data
		if end > start+1 {
			if lines[end] != "  ],\n" || !strings.HasSuffix(lines[end-1], "}\n") {
				t.Fatalf("extracts[] ends with %q then %q", lines[end-1], lines[end])
			}
			lines[end-1] = strings.TrimSuffix(lines[end-1], "\n") // the last extract's line has no comma
			rest = []byte(strings.Join(lines[:start], "") + "  \"extracts\": [],\n" + strings.Join(lines[end+1:], ""))
		}
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, rest); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		if !bytes.Equal(indented.Bytes(), rest) {
			t.Errorf("layout differs from json.Indent:\n%s", firstDiff(rest, indented.Bytes()))
		}
	}
}

// TestPlain8 tries every byte at every place of a word of plain bytes:
// plain8 must pass the word exactly when the byte is printable ASCII other
// than '"' and '\\'.
func TestPlain8(t *testing.T) {
	for _, fill := range []byte{' ', 'a', '~', '!', '#', '[', ']'} {
		for pos := range 8 {
			for b := range 256 {
				w := bytes.Repeat([]byte{fill}, 8)
				w[pos] = byte(b)
				var x uint64
				for i := 7; i >= 0; i-- {
					x = x<<8 | uint64(w[i])
				}
				want := b >= 0x20 && b < 0x80 && b != '"' && b != '\\'
				if got := plain8(x); got != want {
					t.Errorf("plain8(%q) = %v, want %v", w, got, want)
				}
			}
		}
	}
}

// TestJSONExtractsInChunks writes a synthesis of more extracts than fit one
// chunk on one goroutine and on several: the bytes are the same, every
// extract is there once, in order, and the file is the JSON that
// encoding/json reads.
func TestJSONExtractsInChunks(t *testing.T) {
	dir := t.TempDir()
	const n = 3*extractsChunk + 17
	if err := benchdata.WriteProject(dir, n, 1, true); err != nil {
		t.Fatal(err)
	}
	r, err := synthesis.Build(filepath.Join(dir, "synth.yaml"), synthesis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var b bytes.Buffer
		if err := JSON(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	one, four := write(1), write(4)
	if !bytes.Equal(one, four) {
		t.Fatalf("one goroutine and four wrote different JSON (%d and %d bytes)", len(one), len(four))
	}
	var doc struct {
		Extracts []struct {
			ID string `json:"id"`
		} `json:"extracts"`
	}
	if err := json.Unmarshal(four, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Extracts) != n || r.Extracts.Len() != n {
		t.Fatalf("%d extracts written, %d built, want %d", len(doc.Extracts), r.Extracts.Len(), n)
	}
	for i, e := range doc.Extracts {
		if want := r.Extracts.ID(i); e.ID != want {
			t.Fatalf("extract %d is %q, want %q", i, e.ID, want)
		}
	}
	// One line per extract, as the layout promises.
	if lines := bytes.Count(four, []byte(`{"id":`)); lines != n {
		t.Fatalf("%d extract lines, want %d", lines, n)
	}
}
