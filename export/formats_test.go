package export

import (
	"path"
	"reflect"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
		err  string
	}{
		{in: nil, want: []string{"json", "md", "csv", "xlsx", "dot", "mermaid", "svg", "png", "html", "docx"}},
		{in: []string{"PNG", "svg"}, want: []string{"svg", "png"}},
		{in: []string{"DOCX", "json"}, want: []string{"json", "docx"}},
		{in: []string{"mermaid", " JSON ", "json"}, want: []string{"json", "mermaid"}},
		{in: []string{"MMD", "csv"}, want: []string{"csv", "mermaid"}},
		{in: []string{"prisma"}, err: `unknown format "prisma"; formats are json, md, csv, xlsx, dot, mermaid, svg, png, html, docx`},
		{in: []string{"word"}, err: `unknown format "word"; formats are json, md, csv, xlsx, dot, mermaid, svg, png, html, docx`},
	} {
		got, err := Choose(tc.in)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("Choose(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		var names []string
		for _, f := range got {
			names = append(names, f.Name)
		}
		if err != nil || !reflect.DeepEqual(names, tc.want) {
			t.Errorf("Choose(%q) = %q, %v; want %q", tc.in, names, err, tc.want)
		}
	}
}

// TestFormatsWriteTheirFiles: each format writes what the registry says it
// writes, and no two formats write the same file.
func TestFormatsWriteTheirFiles(t *testing.T) {
	seen := map[string]string{}
	for _, f := range Formats {
		outs, err := f.Render(sampleResult(), Options{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if len(outs) == 0 {
			t.Errorf("%s writes no file", f.Name)
		}
		for _, o := range outs {
			matched := false
			for _, pattern := range f.Files {
				if ok, _ := path.Match(strings.ReplaceAll(pattern, "<table>", "*"), o.Name); ok {
					matched = true
				}
			}
			if !matched {
				t.Errorf("%s writes %s, not one of its files %q", f.Name, o.Name, f.Files)
			}
			if other, dup := seen[o.Name]; dup {
				t.Errorf("%s and %s both write %s", other, f.Name, o.Name)
			}
			seen[o.Name] = f.Name
		}
	}
}
