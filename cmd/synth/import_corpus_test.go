package main

import (
	"archive/zip"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// xpath runs xmllint --xpath on file. xmllint (libxml2) is the independent
// reader: the sampleCounts counts below come from it, never from synth.
func xpath(t *testing.T, file, expr string) string {
	t.Helper()
	out, err := exec.Command("xmllint", "--xpath", expr, file).Output()
	if err != nil {
		// xmllint exits 10 when a node-set is empty.
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 10 {
			return ""
		}
		t.Fatalf("xmllint --xpath %s %s: %v", expr, file, err)
	}
	return string(out)
}

func xcount(t *testing.T, file, expr string) int {
	t.Helper()
	s := strings.TrimSpace(xpath(t, file, "count("+expr+")"))
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("count(%s) = %q", expr, s)
	}
	return n
}

// xel matches an element by local name, with or without a namespace.
func xel(name string) string { return `*[local-name()="` + name + `"]` }

var attrLine = regexp.MustCompile(`^\s*([A-Za-z]+)="([^"]*)"$`)

// xattrs parses xmllint's printing of a node-set of attributes, one per
// line: name="value", the value escaped as XML.
func xattrs(t *testing.T, out string) [][2]string {
	t.Helper()
	var as [][2]string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		m := attrLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("xmllint printed %q", line)
		}
		as = append(as, [2]string{m[1], html.UnescapeString(m[2])})
	}
	return as
}

// sampleQDE returns the project.qde of a sample: the file itself, or the
// .qde inside the .qdpx, copied out for xmllint.
func sampleQDE(t *testing.T, path string) string {
	t.Helper()
	if strings.EqualFold(filepath.Ext(path), ".qde") {
		return path
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.EqualFold(filepath.Ext(f.Name), ".qde") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "project.qde")
			os.WriteFile(out, data, 0o644)
			return out
		}
	}
	t.Fatalf("%s holds no .qde", path)
	return ""
}

// sampleCounts is what xmllint says the import must give.
type sampleCounts struct {
	selections int              // coded text selections
	extracts   int              // distinct segments (text, start, end) + PDF regions with text of their own
	skipped    int              // coded pictures, clips, PDF regions without text, whole-document codings, memo selections
	sources    int              // = studies with --study document
	codes      int              // = codebook codes
	themes     int              // codes with sub-codes
	perCode    map[string][]int // a code's own REFI name → extract counts of the codes of that name
}

// countSample counts, with xmllint, what importing qde must give. The rules
// counted are those of the import: one extract per coded segment of a
// text (selections of one text with the same start and end are one); a
// coded PDF region is an extract when it has a text representation and is
// not the twin (same GUID) of a coded text selection; the rest of what is
// coded is skipped. The samples hold no coded text selection without text,
// so every coded segment counts.
func countSample(t *testing.T, qde string) sampleCounts {
	t.Helper()
	pts := `//` + xel("PlainTextSelection") + `[` + xel("Coding") + `]`
	twin := `[not(@guid = ` + pts + `/@guid)]`
	pdfText := `//` + xel("PDFSelection") + `[` + xel("Coding") + `][` + xel("Representation") + `/` + xel("PlainTextContent") + `[normalize-space()]]` + twin
	pdfRegion := `//` + xel("PDFSelection") + `[` + xel("Coding") + `][not(` + xel("Representation") + `/` + xel("PlainTextContent") + `[normalize-space()])]` + twin
	e := sampleCounts{
		selections: xcount(t, qde, pts),
		sources:    xcount(t, qde, `//`+xel("Sources")+`/*`),
		codes:      xcount(t, qde, `//`+xel("CodeBook")+`//`+xel("Code")),
		themes:     xcount(t, qde, `//`+xel("CodeBook")+`//`+xel("Code")+`[`+xel("Code")+`]`),
		skipped: xcount(t, qde, `//`+xel("PictureSelection")+`[`+xel("Coding")+`]`) +
			xcount(t, qde, `//`+xel("AudioSelection")+`[`+xel("Coding")+`]`) +
			xcount(t, qde, `//`+xel("VideoSelection")+`[`+xel("Coding")+`]`) +
			xcount(t, qde, pdfRegion) +
			xcount(t, qde, `//`+xel("Sources")+`/*[`+xel("Coding")+`]`) +
			xcount(t, qde, `//`+xel("Notes")+`//`+xel("PlainTextSelection")+`[`+xel("Coding")+`]`),
		perCode: map[string][]int{},
	}
	// The segments: each coded selection's text (its parent's guid), start,
	// end and codes, in document order.
	type segment struct {
		text, start, end string
		codes            []string
	}
	var segs []*segment
	var cur *segment
	text := ""
	out := xpath(t, qde, pts+`/../@guid | `+pts+`/@*[local-name()="startPosition" or local-name()="endPosition"] | `+
		pts+`/`+xel("Coding")+`/`+xel("CodeRef")+`/@targetGUID`)
	for _, a := range xattrs(t, out) {
		switch a[0] {
		case "guid":
			text = a[1]
		case "startPosition", "endPosition":
			if cur == nil || cur.start != "" && cur.end != "" {
				cur = &segment{text: text}
				segs = append(segs, cur)
			}
			if a[0] == "startPosition" {
				cur.start = a[1]
			} else {
				cur.end = a[1]
			}
		case "targetGUID":
			cur.codes = append(cur.codes, strings.ToLower(a[1]))
		}
	}
	if len(segs) != e.selections {
		t.Fatalf("read %d selections from xmllint, counted %d", len(segs), e.selections)
	}
	codesOf := map[string][]string{} // segment → its codes
	var order []string
	for _, s := range segs {
		k := strings.ToLower(s.text) + " " + s.start + " " + s.end
		if _, ok := codesOf[k]; !ok {
			order = append(order, k)
		}
		for _, c := range s.codes {
			if !slices.Contains(codesOf[k], c) {
				codesOf[k] = append(codesOf[k], c)
			}
		}
	}
	// PDF regions with text of their own: each is an extract.
	for _, a := range xattrs(t, xpath(t, qde, pdfText+`/@guid | `+pdfText+`/`+xel("Coding")+`/`+xel("CodeRef")+`/@targetGUID`)) {
		if a[0] == "guid" {
			k := "pdf " + strings.ToLower(a[1])
			order = append(order, k)
			codesOf[k] = nil
			continue
		}
		last := order[len(order)-1]
		if !slices.Contains(codesOf[last], strings.ToLower(a[1])) {
			codesOf[last] = append(codesOf[last], strings.ToLower(a[1]))
		}
	}
	e.extracts = len(order)
	count := map[string]int{}
	for _, k := range order {
		for _, c := range codesOf[k] {
			count[c]++
		}
	}
	// Code GUID and name come in pairs, one pair per Code element.
	cs := xattrs(t, xpath(t, qde, `//`+xel("CodeBook")+`//`+xel("Code")+`/@*[local-name()="guid" or local-name()="name"]`))
	for i := 0; i+1 < len(cs); i += 2 {
		guid, name := cs[i][1], cs[i+1][1]
		if cs[i][0] == "name" {
			guid, name = name, guid
		}
		base := strings.Join(strings.Fields(name), " ")
		e.perCode[base] = append(e.perCode[base], count[strings.ToLower(guid)])
	}
	for _, v := range e.perCode {
		slices.Sort(v)
	}
	return e
}

var (
	notImported  = regexp.MustCompile(`(\d+) coded selections? (?:was|were) not imported`)
	numberedName = regexp.MustCompile(` \(\d+\)$`)
)

// TestImportSamples imports every real REFI-QDA project of the shared
// corpus; each must validate and build, with the extracts and each code's
// extracts that xmllint counts in the XML.
func TestImportSamples(t *testing.T) {
	dir := corpusDir(t, filepath.Join("refi-qda", "samples"))
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not installed (Debian: libxml2-utils); the sample counts need it as an independent reader; skipping")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.qd[ep]*"))
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			want := countSample(t, sampleQDE(t, file))
			work := t.TempDir()
			abs, _ := filepath.Abs(file)
			stderr := mustImport(t, work, abs)
			j := readSynthesis(t, work)
			if j.Counts.Extracts != want.extracts || j.Counts.Studies != want.sources || j.Counts.Codes != want.codes || j.Counts.Themes != want.themes {
				t.Errorf("got %d extracts, %d studies, %d codes, %d themes; xmllint counts %d, %d, %d, %d",
					j.Counts.Extracts, j.Counts.Studies, j.Counts.Codes, j.Counts.Themes, want.extracts, want.sources, want.codes, want.themes)
			}
			skipped := 0
			if m := notImported.FindStringSubmatch(stderr); m != nil {
				skipped, _ = strconv.Atoi(m[1])
			}
			if skipped != want.skipped {
				t.Errorf("the import reports %d not imported, xmllint counts %d:\n%s", skipped, want.skipped, stderr)
			}
			got := map[string][]int{}
			for _, c := range j.Codes {
				base := numberedName.ReplaceAllString(c.Name, "")
				if i := strings.LastIndex(base, " › "); i >= 0 {
					base = base[i+len(" › "):]
				}
				got[base] = append(got[base], c.Extracts)
			}
			for k := range got {
				slices.Sort(got[k])
			}
			if fmt.Sprint(got) != fmt.Sprint(want.perCode) {
				t.Errorf("extracts per code:\n got %v\nwant %v", got, want.perCode)
			}
			t.Logf("%s: %d coded selections, %d extracts, %d not imported, %d codes, %d themes, %d studies",
				name, want.selections, want.extracts, want.skipped, want.codes, want.themes, want.sources)
		})
	}
}
