package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/workbook"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// FuzzTemplate writes the template of a codebook whose code names are
// fuzzed (one name a line) and reads it back with synth's own reader: the
// hidden code list must hold every code of the codebook verbatim, in order,
// as text and never as a formula; and so must the list that --update
// writes into the template.
func FuzzTemplate(f *testing.F) {
	// Seeds: the code names of the repository's codebooks, and names a
	// workbook must keep as written.
	for _, p := range []string{
		filepath.Join("..", "..", "testdata", "social-prescribing", "codebook.yaml"),
		filepath.Join("..", "..", "export", "testdata", "fixture", "codebook.yaml"),
	} {
		cb, err := codebook.Load(p)
		if err != nil {
			f.Fatal(err)
		}
		var names []string
		for _, c := range cb.Codes {
			names = append(names, c.Name)
		}
		f.Add(strings.Join(names, "\n"), uint16(0))
	}
	f.Add(strings.Join(manyCodes(8), "\n"), uint16(0))
	f.Add("=HYPERLINK(\"http://example.com\",\"click\")\n+1\n-1\n@SUM(A1)\n'quoted'\n\"double\"", uint16(0))
	f.Add("tab\there\nbell\x07\nnul\x00byte\nesc\x1b[0m\n_x0007_\n_x005F_x0041_", uint16(0))
	f.Add("Ümlaut café\nE\u0301MILE\n日本語\n😀 emoji\n\u200b zero width\nRTL \u202e", uint16(0))
	f.Add("Loneliness", uint16(33000))
	f.Add("😀", uint16(16390))
	f.Fuzz(func(t *testing.T, names string, repeat uint16) {
		lines := strings.Split(names, "\n")
		if repeat > 0 && len(names) > 0 && len(lines[0])*int(repeat) <= 1<<18 {
			lines[0] = strings.Repeat(lines[0], int(repeat)) // a very long name
		}
		if len(lines) > 200 {
			lines = lines[:200]
		}
		var y strings.Builder
		y.WriteString("version: 1\ncodes:\n")
		for _, n := range lines {
			q, _ := json.Marshal(n) // a YAML double-quoted scalar
			fmt.Fprintf(&y, "  - name: %s\n", q)
		}
		cb, err := codebook.Parse("codebook.yaml", []byte(y.String()))
		if err != nil {
			return // blank or duplicate names, or names YAML cannot hold
		}
		codes := make([]string, len(cb.Codes))
		for i, c := range cb.Codes {
			codes[i] = c.Name
		}
		// A cell holds 32,767 UTF-16 units; a name may take up to seven
		// times its length once escaped (_x0007_). Past that, the template
		// is refused, never cut short.
		longest := 0
		for _, c := range codes {
			longest = max(longest, len(utf16.Encode([]rune(c))))
		}
		tooLong := func(err error) {
			t.Helper()
			if longest*7 <= 32767 || !strings.Contains(err.Error(), "a cell holds at most 32767") {
				t.Fatalf("longest code %d characters: %v", longest, err)
			}
		}
		data, err := workbook.Write(templateBook("Fuzz", newTemplateLayout(nil), codes, true))
		if err != nil {
			tooLong(err)
			return
		}
		checkCodeList(t, data, codes)

		// --update with the codes the other way round.
		rev := slices.Clone(codes)
		slices.Reverse(rev)
		updated, err := workbook.UpdateList(data, codeList, rev)
		if err != nil {
			t.Fatalf("updating the template: %v", err)
		}
		checkCodeList(t, updated, rev)
		// --update of a template with a short list to the fuzzed one.
		short, err := workbook.Write(templateBook("Fuzz", newTemplateLayout(nil), []string{"x"}, false))
		if err != nil {
			t.Fatal(err)
		}
		if updated, err = workbook.UpdateList(short, codeList, codes); err != nil {
			t.Fatalf("updating the template: %v", err)
		}
		checkCodeList(t, updated, codes)
	})
}

// formula finds a cell formula in a worksheet part.
var formula = regexp.MustCompile(`<(?:\w+:)?f[ />]`)

// checkCodeList reads the workbook data with synthesis/sheet and checks its
// code list sheet: hidden, the header then codes, each as written.
func checkCodeList(t *testing.T, data []byte, codes []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if loc := formula.FindIndex(part); loc != nil {
			t.Fatalf("%s holds a formula: %q", zf.Name, part[max(0, loc[0]-80):min(len(part), loc[1]+80)])
		}
	}

	path := filepath.Join(t.TempDir(), "template.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	wb, err := sheet.Open(path, sheet.Options{})
	if err != nil {
		t.Fatalf("our reader cannot open the template: %v", err)
	}
	defer wb.Close()
	hidden := false
	for _, s := range wb.Sheets() {
		if s.Name == codeList.Sheet {
			hidden = s.Hidden
		}
	}
	if !hidden {
		t.Errorf("sheets %+v: no hidden %q", wb.Sheets(), codeList.Sheet)
	}
	var got []string
	err = wb.Rows(codeList.Sheet, func(r sheet.Row) error {
		if len(r.Cells) != 1 || r.Cells[0].Col != 1 || r.Cells[0].Date {
			return fmt.Errorf("row %d: cells %+v, want one text cell in A", r.Num, r.Cells)
		}
		if r.Num != len(got)+1 {
			return fmt.Errorf("row %d after %d rows", r.Num, len(got))
		}
		got = append(got, r.Cells[0].Value)
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", codeList.Sheet, err)
	}
	want := append([]string{codeList.Header}, codes...)
	if len(got) != len(want) {
		t.Fatalf("%s holds %d rows, want %d", codeList.Sheet, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s!A%d = %q, want %q", codeList.Sheet, i+1, trim(got[i]), trim(want[i]))
		}
	}
	for _, w := range wb.Warnings() {
		t.Errorf("reader warning: %+v", w)
	}
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:100] + fmt.Sprintf("…(%d bytes)…", len(s)) + s[len(s)-100:]
	}
	return s
}
