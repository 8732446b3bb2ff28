package export

import (
	"bytes"
	"encoding/json"
	"testing"

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
// encoding/json.Indent with two spaces would lay it out.
func TestJSONLayout(t *testing.T) {
	for _, r := range []*synthesis.Result{sampleResult(), minimalResult(), {}} {
		data := render(t, "json", r)["synthesis.json"]
		if !json.Valid(data) {
			t.Fatalf("invalid JSON:\n%s", data)
		}
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, data); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		indented.WriteByte('\n')
		if !bytes.Equal(indented.Bytes(), data) {
			t.Errorf("layout differs from json.Indent:\n%s", firstDiff(data, indented.Bytes()))
		}
	}
}
