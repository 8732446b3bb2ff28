package export

import (
	"slices"
	"strings"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/synthesis"
)

// sampleResult is a small but complete Result, built by hand the way
// synthesis.Build would: four studies (S04 has no extract), a two-level
// theme DAG in which feeling-heard sits under two parents, an empty theme,
// an unknown code, participant and author extracts, and text meant to
// break naive writers (formulas, tab, pipe, HTML, quotes, newlines,
// non-ASCII).
func sampleResult() *synthesis.Result {
	r := &synthesis.Result{
		Title:        "Experiences of social prescribing | a <synthesis> & review",
		StudyColumns: []string{"Study ID", "Author", "Year", "Country", "Quality", "CASP 1", "CASP 2", "Label"},
		Inputs:       []string{"synth.yaml", "codebook.yaml", "extracts.xlsx"},
	}
	// Label: the label column, else the ID; CASP: the answers of columns
	// 5 and 6 as synthesis normalises them.
	study := func(id string, casp []string, fields ...string) *synthesis.Study {
		s := &synthesis.Study{ID: id, Label: id, Fields: append([]string{id}, fields...), Where: "extracts.xlsx:Studies!A" + itoa(len(r.Studies)+2), CASP: casp}
		if l := s.Fields[7]; l != "" {
			s.Label = l
		}
		for _, a := range casp {
			if a == synthesis.CASPYes {
				s.CASPYes++
			}
		}
		r.Studies = append(r.Studies, s)
		return s
	}
	s1 := study("S01", []string{"Yes", "Can't tell"}, "=HYPERLINK(\"http://x\")", "2019", "UK", "high", "Yes", "Can't tell", "=Okafor 2019")
	s2 := study("S02", []string{"Yes", "No"}, "Müller & Ōta", "2020", "UK\nWales", "low", "y", "No", "Müller & Ōta | 2020")
	s3 := study("S03", []string{"Yes", "Yes"}, "O'Brien", "2021", "Scotland", "high", "Yes", "yes", "O'Brien <2021>")
	study("S04", []string{"No", ""}, "+44 Group", "2022", "England", "moderate", "No", "", "")
	r.CASP = []synthesis.CASPQuestion{{Number: 1, Label: "CASP 1", Column: 5}, {Number: 2, Label: "CASP 2", Column: 6}}

	// Codebook: hope → reaching-out, feeling-heard; support → feeling-heard
	// (ref), sustained-change; misalignment has no support.
	cb := &codebook.Codebook{File: "codebook.yaml", Version: 1, Levels: []string{"analytical", "descriptive"}}
	code := func(name, def string, aliases ...string) {
		cb.Codes = append(cb.Codes, &codebook.Code{Name: name, Definition: def, Aliases: aliases})
	}
	code("Loneliness", "Feeling alone or cut off from others", "isolation", "lonely")
	code("Low mood", "")
	code("Being listened to", "A link worker \"really\" listened | heard <them>")
	code("Confidence", "")
	code("Mismatch", "Offer did not fit the need")
	theme := func(id, name string, depth int, codes ...string) *codebook.Theme {
		t := &codebook.Theme{ID: id, Name: name, Depth: depth, Level: cb.Levels[depth], Codes: codes}
		cb.Themes = append(cb.Themes, t)
		if depth == 0 {
			cb.Roots = append(cb.Roots, t)
		}
		return t
	}
	link := func(parent, child *codebook.Theme) {
		parent.Children = append(parent.Children, child)
		child.Parents = append(child.Parents, parent)
	}
	hope := theme("hope", "Searching for hope in times of adversity", 0)
	hope.Finding = "People turned to social prescribing at a low point,\nhoping for <change>."
	hope.Quotes = []string{"E007"}
	hope.CERQual = &codebook.CERQual{
		MethodologicalLimitations: codebook.Component{Concern: "minor", Explanation: "Two studies did not report recruitment"},
		Coherence:                 codebook.Component{Concern: "none"},
		Adequacy:                  codebook.Component{Concern: "moderate", Explanation: "Thin data | few quotes"},
		Relevance:                 codebook.Component{Concern: "none"},
		Confidence:                "moderate",
		Explanation:               "Minor and moderate concerns",
	}
	reaching := theme("reaching-out", "Reaching out at a low point", 1, "Loneliness", "Low mood")
	heard := theme("feeling-heard", "Feeling *heard* [by] `link workers`", 1, "Being listened to")
	link(hope, reaching)
	link(hope, heard)
	support := theme("support", "Feeling supported & empowered", 0)
	support.Finding = "  Link workers made people feel supported.  "
	sustained := theme("sustained-change", "Sustained change", 1, "Confidence")
	link(support, heard)
	link(support, sustained)
	// The id "end" is a Mermaid keyword.
	misalignment := theme("end", "Misalignment producing no response", 0, "Mismatch")
	// Pre-order of definition.
	cb.Themes = []*codebook.Theme{hope, reaching, heard, support, sustained, misalignment}
	r.Codebook = cb

	extract := func(id string, s *synthesis.Study, typ synthesis.ExtractType, loc, text string, codes ...string) {
		row := itoa(len(r.Extracts) + 2)
		r.Extracts = append(r.Extracts, &synthesis.Extract{ID: id, Study: s, Type: typ, Location: loc, Coder: "NH",
			Codes: codes, Text: text, Where: "extracts.xlsx:Extracts!C" + row})
		s.Extracts++
	}
	extract("E001", s1, synthesis.Participant, "p. 4", "=SUM(A1)", "Loneliness")
	extract("E002", s1, synthesis.Author, "p. 5", "+1 visit to the GP felt like enough", "Low mood", "Being listened to")
	extract("E003", s2, synthesis.Participant, "p. 2", "-x marks where I was", "Being listened to")
	extract("E004", s2, synthesis.Participant, "", "@cmd|' /C calc'!A0", "Confidence")
	extract("E005", s3, synthesis.Participant, "p. 11", "\tindented: I was alone", "Loneliness", "Gardening")
	extract("E006", s3, synthesis.Author, "p. 12", "yes | no <script>alert(1)</script>", "Confidence")
	extract("E007", s1, synthesis.Participant, "p. 6", "She said \"it helped\".\nThen: café, naïve, 日本語 — “curly”", "Confidence")
	extract("extracts.xlsx:Extracts!9", s3, synthesis.Participant, "", "# not a heading\r\n- not a list")

	// Codes: codebook order, then codes seen only in extracts.
	for _, c := range cb.Codes {
		r.Codes = append(r.Codes, &synthesis.CodeStat{Name: c.Name, Definition: c.Definition, InCodebook: true, Aliases: c.Aliases})
	}
	r.Codes = append(r.Codes, &synthesis.CodeStat{Name: "Gardening"})
	r.Totals = synthesis.Totals{Contributing: 3, Participant: 6, Author: 2, CodebookCodes: len(cb.Codes)}
	for _, c := range r.Codes {
		for _, e := range r.Extracts {
			if slices.Contains(e.Codes, c.Name) {
				c.Extracts++
				if !slices.Contains(c.Studies, e.Study) {
					c.Studies = append(c.Studies, e.Study)
				}
			}
		}
		for _, t := range cb.Themes {
			if slices.Contains(t.Codes, c.Name) {
				c.Themes = append(c.Themes, t.ID)
				c.ThemeNames = append(c.ThemeNames, t.Name)
			}
		}
	}

	r.Sensitivity = &synthesis.Sensitivity{Column: "Quality", Values: []string{"low"}, Excluded: []*synthesis.Study{s2}}
	s2.Excluded = true

	for _, t := range cb.Themes {
		r.Themes = append(r.Themes, themeStat(r, t))
	}
	r.PRISMA = &synthesis.PRISMA{
		Identified: 1300, Databases: map[string]int{"MEDLINE": 700, "CINAHL": 600}, Duplicates: 31,
		Screened: 1269, ExcludedScreening: 1184, FullText: 85, ExcludedFullText: 81,
		ExclusionReasons: map[string]int{"Not qualitative": 31, "Wrong population": 50}, Included: 4,
	}
	r.Warnings = []synthesis.Warning{
		{Kind: synthesis.WarnUnknownCode, Message: `unknown code "Gardening"; did you mean "Loneliness"?`, Where: "extracts.xlsx:Extracts!D6"},
		{Kind: synthesis.WarnUnusedCode, Message: `code "Mismatch" is in the codebook but on no extract`, Where: "codebook.yaml:12:5"},
		{Kind: synthesis.WarnUncodedExtract, Message: "extract has no code", Where: "extracts.xlsx:Extracts!D9"},
		{Kind: synthesis.WarnNonContributingStudy, Message: "study S04 has no extract", Where: "extracts.xlsx:Studies!A5"},
		{Kind: synthesis.WarnEmptyTheme, Message: `theme "end" has no supporting extract`, Where: "codebook.yaml:30:5"},
		{Kind: synthesis.WarnCERQualMissing, Message: `the finding of theme "Feeling supported & empowered" has no GRADE-CERQual assessment; add cerqual: with the concerns about methodological limitations, coherence, adequacy and relevance, each with an explanation, and the overall confidence with its explanation`, Where: "codebook.yaml:22:5"},
	}
	return r
}

// themeStat computes a theme's support over its code closure, as
// synthesis.Build does, so the sample stays consistent.
func themeStat(r *synthesis.Result, t *codebook.Theme) *synthesis.ThemeStat {
	ts := &synthesis.ThemeStat{Theme: t, ID: t.ID, Name: t.Name, Level: t.Level, Depth: t.Depth,
		Parents: []string{}, ParentNames: []string{}, Children: []string{}, Codes: t.Codes, PerStudy: make([]int, len(r.Studies)),
		Finding: strings.TrimSpace(t.Finding)}
	if c := t.CERQual; c != nil {
		comp := func(x codebook.Component) synthesis.CERQualComponent {
			return synthesis.CERQualComponent{Concern: x.Concern, Explanation: x.Explanation}
		}
		ts.CERQual = &synthesis.CERQual{MethodologicalLimitations: comp(c.MethodologicalLimitations), Coherence: comp(c.Coherence),
			Adequacy: comp(c.Adequacy), Relevance: comp(c.Relevance), Confidence: c.Confidence, Explanation: c.Explanation}
	}
	for _, p := range t.Parents {
		ts.Parents = append(ts.Parents, p.ID)
		ts.ParentNames = append(ts.ParentNames, p.Name)
	}
	var walk func(*codebook.Theme)
	walk = func(x *codebook.Theme) {
		for _, c := range x.Codes {
			if !slices.Contains(ts.Closure, c) {
				ts.Closure = append(ts.Closure, c)
			}
		}
		for _, ch := range x.Children {
			walk(ch)
		}
	}
	walk(t)
	for _, ch := range t.Children {
		ts.Children = append(ts.Children, ch.ID)
	}
	for _, e := range r.Extracts {
		if !slices.ContainsFunc(e.Codes, func(c string) bool { return slices.Contains(ts.Closure, c) }) {
			continue
		}
		ts.Extracts = append(ts.Extracts, e)
		e.Themes = append(e.Themes, t.ID)
		if e.Type == synthesis.Author {
			ts.Author++
		} else {
			ts.Participant++
		}
		ts.PerStudy[slices.Index(r.Studies, e.Study)]++
	}
	for i, s := range r.Studies {
		if ts.PerStudy[i] > 0 {
			ts.Studies = append(ts.Studies, s)
		}
	}
	ts.Share = float64(len(ts.Studies)) / float64(len(r.Studies))
	// Quotes: pinned first, then one participant quotation per study.
	for _, id := range t.Quotes {
		for _, e := range ts.Extracts {
			if e.ID == id {
				ts.Quotes = append(ts.Quotes, e)
			}
		}
	}
	for _, s := range ts.Studies {
		if slices.ContainsFunc(ts.Quotes, func(q *synthesis.Extract) bool { return q.Study == s }) {
			continue
		}
		for _, e := range ts.Extracts {
			if e.Study == s && e.Type == synthesis.Participant {
				ts.Quotes = append(ts.Quotes, e)
				break
			}
		}
	}
	if r.Sensitivity != nil {
		sn := &synthesis.ThemeSensitivity{}
		for _, s := range ts.Studies {
			if !s.Excluded {
				sn.Studies++
			}
		}
		for _, e := range ts.Extracts {
			if !e.Study.Excluded {
				sn.Extracts++
			}
		}
		switch sn.Studies {
		case 0:
			sn.Flag = "unsupported"
		case 1:
			sn.Flag = "single-study"
		}
		ts.Sensitive = sn
	}
	return ts
}
