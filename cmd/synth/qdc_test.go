package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/refi"
)

// dagCodebook has what a REFI code tree cannot show by nesting alone: a
// theme reused under two parents (ref), a code under two themes, a theme
// over a code of its own name, codes told apart as "Parent › Name", a code
// in no theme, an empty theme, and text that XML must escape.
const dagCodebook = `version: 1
levels: [analytical, descriptive]
codes:
  - name: Loneliness
    definition: Feeling alone <or> cut off & "isolated"
    color: '#123456'
  - name: Cost
    guid: 0f8fad5b-d9cb-469f-a165-70867728950e
  - name: Barriers › Access
  - name: Facilitators › Access
  - name: Stigma
  - name: Unthemed
    definition: "Line one\nline two"
themes:
  - name: Searching for hope
    id: hope
    description: People turned to social prescribing at a low point
    color: '#abc'
    finding: Not in a REFI codebook.
    codes: [Stigma]
    themes:
      - name: Barriers
        codes: [Cost, Barriers › Access, Loneliness]
      - name: Feeling heard
        id: heard
        guid: '{7C9E6679-7425-40DE-944B-E07FC1F90AE7}'
        codes: [Loneliness]
  - name: Facilitators
    codes: [Facilitators, Facilitators › Access, Cost]
    themes:
      - ref: heard
      - name: Empty
`

// describe lists what a round trip must keep: codes with definition, GUID
// and colour; themes with description, GUID, colour, codes and children in
// order (by GUID, as ids are not part of a REFI codebook).
func describe(cb *codebook.Codebook) string {
	var b strings.Builder
	for _, c := range cb.Codes {
		fmt.Fprintf(&b, "code %q def=%q guid=%s color=%s\n", c.Name, c.Definition, codebook.GUIDKey(c.REFIGUID()), c.Color)
	}
	for _, t := range cb.Themes {
		var kids []string
		for _, k := range t.Children {
			kids = append(kids, codebook.GUIDKey(k.REFIGUID()))
		}
		fmt.Fprintf(&b, "theme %q desc=%q guid=%s color=%s codes=%q children=%v\n", t.Name, t.Description,
			codebook.GUIDKey(t.REFIGUID()), t.Color, t.Codes, kids)
	}
	return b.String()
}

// A codebook with reused themes and codes under several themes exports to
// a valid .qdc that imports back to the same codebook, and two exports are
// the same bytes.
func TestQDCRoundTripDAG(t *testing.T) {
	cb, err := codebook.Parse("codebook.yaml", []byte(dagCodebook))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := refi.FromCodebook(cb)
	if err != nil {
		t.Fatal(err)
	}
	out := refi.WriteQDC(tree)
	tree2, _ := refi.FromCodebook(cb)
	if string(refi.WriteQDC(tree2)) != string(out) {
		t.Error("two exports of one codebook differ")
	}
	for _, want := range []string{
		// Facilitators is one applicable code over its sub-codes, with the
		// name-based GUID of the theme id facilitators.
		`<Code guid="` + cb.Themes[3].REFIGUID() + `" name="Facilitators" isCodable="true">`,
		// Told apart by the parent they are written under.
		`name="Access" isCodable="true"/>`,
		`<Description>Feeling alone &lt;or&gt; cut off &amp; &#34;isolated&#34;</Description>`,
		"<Description>Line one\nline two</Description>",
		// Facilitators has Cost (written under Barriers) and the reused
		// theme heard: a Set lists its members in order.
		`<Set guid=`, `name="Facilitators">`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the export lacks %s:\n%s", want, out)
		}
	}
	if xsd := qdcSchemaIfPresent(t); xsd != "" {
		validQDC(t, xsd, out)
	}
	back, err := refi.ReadQDC(out, "export.qdc")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := roundTrip(t, back)
	// The code Facilitators and the theme over it are one REFI code, which
	// has the theme's GUID; the code takes it.
	got := describe(again)
	want := strings.Replace(describe(cb), codebook.GUIDKey(cb.Codes[6].REFIGUID()), codebook.GUIDKey(cb.Themes[3].REFIGUID()), 1)
	if cb.Codes[6].Name != "Facilitators" {
		t.Fatalf("code 6 is %q", cb.Codes[6].Name)
	}
	if sortLines(got) != sortLines(want) {
		t.Errorf("round trip:\n got %s\nwant %s\n%s", got, want, out)
	}
	if !strings.Contains(got, "theme \"Searching for hope\"") || again.Themes[0].Children[1] != again.Themes[2] || len(again.Themes[2].Parents) != 2 {
		t.Errorf("the reused theme is not reused:\n%s", out)
	}
}

func sortLines(s string) string {
	l := strings.Split(s, "\n")
	slicesSort(l)
	return strings.Join(l, "\n")
}

func qdcSchemaIfPresent(t *testing.T) (xsd string) {
	t.Run("schema", func(t *testing.T) { xsd = qdcSchema(t) })
	return xsd
}

// Merging the export of a codebook back into it changes nothing a build
// reads: ids, levels (a reused theme stays defined where it was), findings,
// and no name-based GUID is written out.
func TestQDCMergeUnchanged(t *testing.T) {
	cb, err := codebook.Parse("codebook.yaml", []byte(dagCodebook))
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := refi.FromCodebook(cb)
	back, err := refi.ReadQDC(refi.WriteQDC(tree), "export.qdc")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := newCodeTree(back, true).yaml("# fresh")
	if err != nil {
		t.Fatal(err)
	}
	merged, rep, err := codebook.Merge("codebook.yaml", []byte(dagCodebook), fresh)
	if err != nil {
		t.Fatal(err)
	}
	// The one code added is Facilitators, which the codebook names only in
	// a theme: merged, it is defined under codes: with the GUID of the
	// theme over it, as the .qdc has it.
	if rep.Added != 1 || rep.Updated != 11 || len(rep.Kept) != 0 || rep.Renamed != 0 {
		t.Errorf("report %+v", rep)
	}
	if n := strings.Count(string(merged), "guid:"); n != 3 {
		t.Errorf("%d guids written, want the 2 given and Facilitators':\n%s", n, merged)
	}
	m, err := codebook.Parse("codebook.yaml", merged)
	if err != nil {
		t.Fatal(err)
	}
	level := func(cb *codebook.Codebook) string {
		var b strings.Builder
		for _, th := range cb.Themes {
			fmt.Fprintf(&b, "%s %s %d %q|", th.ID, th.Level, len(th.Parents), th.Finding)
		}
		return b.String()
	}
	want := strings.Replace(describe(cb), codebook.GUIDKey(cb.Codes[6].REFIGUID()), codebook.GUIDKey(cb.Themes[3].REFIGUID()), 1)
	if describe(m) != want || level(m) != level(cb) {
		t.Errorf("merged:\n%s\n%s\n%s\nwant\n%s\n%s", merged, describe(m), level(m), want, level(cb))
	}
}
