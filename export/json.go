package export

import (
	"encoding/json"
	"io"
	"math"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/synthesis"
)

// SchemaVersion is the version of the synthesis.json schema.
const SchemaVersion = 1

// The JSON document is made of structs so that keys keep a fixed order;
// maps (study fields, extracts per study, PRISMA breakdowns) are written
// with sorted keys by encoding/json.
type jsonDoc struct {
	SchemaVersion int              `json:"schema_version"`
	Title         string           `json:"title"`
	StudyColumns  []string         `json:"study_columns"`
	Studies       []jsonStudy      `json:"studies"`
	Codes         []jsonCode       `json:"codes"`
	Themes        []jsonTheme      `json:"themes"`
	Extracts      []jsonExtract    `json:"extracts"`
	CASP          []jsonCASP       `json:"casp"`
	Sensitivity   *jsonSensitivity `json:"sensitivity,omitempty"`
	PRISMA        *jsonPRISMA      `json:"prisma,omitempty"`
	Warnings      []jsonWarning    `json:"warnings"`
	Inputs        []string         `json:"inputs"`
	Counts        jsonCounts       `json:"counts"`
}

type jsonCounts struct {
	Studies     int `json:"studies"`
	Extracts    int `json:"extracts"`
	Participant int `json:"participant"`
	Author      int `json:"author"`
	Codes       int `json:"codes"`
	Themes      int `json:"themes"`
	Warnings    int `json:"warnings"`
}

type jsonStudy struct {
	ID       string            `json:"id"`
	Extracts int               `json:"extracts"`
	Fields   map[string]string `json:"fields"`
	Excluded bool              `json:"excluded"`
	Where    string            `json:"where,omitempty"`
}

type jsonCode struct {
	Name       string   `json:"name"`
	Definition string   `json:"definition,omitempty"`
	Aliases    []string `json:"aliases"`
	InCodebook bool     `json:"in_codebook"`
	Extracts   int      `json:"extracts"`
	Studies    []string `json:"studies"`
	Themes     []string `json:"themes"`
}

type jsonTheme struct {
	ID               string                `json:"id"`
	Name             string                `json:"name"`
	Level            string                `json:"level"`
	Depth            int                   `json:"depth"`
	Parents          []string              `json:"parents"`
	Children         []string              `json:"children"`
	Codes            []string              `json:"codes"`
	Closure          []string              `json:"closure"`
	Extracts         int                   `json:"extracts"`
	ExtractIDs       []string              `json:"extract_ids"`
	Studies          []string              `json:"studies"`
	ExtractsPerStudy map[string]int        `json:"extracts_per_study"`
	Participant      int                   `json:"participant"`
	Author           int                   `json:"author"`
	Share            float64               `json:"share"`
	Quotes           []string              `json:"quotes"`
	Finding          string                `json:"finding,omitempty"`
	CERQual          *jsonCERQual          `json:"cerqual,omitempty"`
	Sensitivity      *jsonThemeSensitivity `json:"sensitivity,omitempty"`
}

type jsonComponent struct {
	Concern     string `json:"concern"`
	Explanation string `json:"explanation,omitempty"`
}

type jsonCERQual struct {
	MethodologicalLimitations jsonComponent `json:"methodological_limitations"`
	Coherence                 jsonComponent `json:"coherence"`
	Adequacy                  jsonComponent `json:"adequacy"`
	Relevance                 jsonComponent `json:"relevance"`
	Confidence                string        `json:"confidence"`
	Explanation               string        `json:"explanation,omitempty"`
	// Studies contributing to the finding: computed, never typed.
	Studies []string `json:"studies"`
}

type jsonThemeSensitivity struct {
	Studies  int    `json:"studies"`
	Extracts int    `json:"extracts"`
	Flag     string `json:"flag"`
}

type jsonExtract struct {
	ID       string   `json:"id"`
	Study    string   `json:"study"`
	Type     string   `json:"type"`
	Location string   `json:"location"`
	Coder    string   `json:"coder"`
	Codes    []string `json:"codes"`
	Themes   []string `json:"themes"`
	Text     string   `json:"text"`
	Where    string   `json:"where"`
}

type jsonCASP struct {
	Number  int               `json:"number"`
	Label   string            `json:"label"`
	Answers map[string]string `json:"answers"`
}

type jsonSensitivity struct {
	Column   string   `json:"column"`
	Values   []string `json:"values"`
	Excluded []string `json:"excluded"`
}

type jsonPRISMA struct {
	Identified        int            `json:"identified"`
	Databases         map[string]int `json:"databases"`
	Registers         int            `json:"registers"`
	Duplicates        int            `json:"duplicates"`
	OtherRemoved      int            `json:"other_removed"`
	Screened          int            `json:"screened"`
	ExcludedScreening int            `json:"excluded_screening"`
	NotRetrieved      int            `json:"not_retrieved"`
	FullText          int            `json:"full_text"`
	ExcludedFullText  int            `json:"excluded_full_text"`
	ExclusionReasons  map[string]int `json:"exclusion_reasons"`
	Included          int            `json:"included"`
	Reports           int            `json:"reports"`
}

type jsonWarning struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Where   string `json:"where"`
}

// JSON writes synthesis.json (schema_version 1): everything computed, with
// the exact text of every extract and name.
func JSON(w io.Writer, r *synthesis.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(jsonDocument(r))
}

func jsonDocument(r *synthesis.Result) *jsonDoc {
	d := &jsonDoc{
		SchemaVersion: SchemaVersion,
		Title:         r.Title,
		StudyColumns:  nonNil(r.StudyColumns),
		Studies:       []jsonStudy{},
		Codes:         []jsonCode{},
		Themes:        []jsonTheme{},
		Extracts:      []jsonExtract{},
		CASP:          []jsonCASP{},
		Warnings:      []jsonWarning{},
		Inputs:        nonNil(r.Inputs),
	}
	keys := fieldKeys(r.StudyColumns)
	for _, s := range r.Studies {
		fields := make(map[string]string, len(keys))
		for i, k := range keys {
			if i < len(s.Fields) {
				fields[k] = s.Fields[i]
			} else {
				fields[k] = ""
			}
		}
		d.Studies = append(d.Studies, jsonStudy{ID: s.ID, Extracts: s.Extracts, Fields: fields, Excluded: s.Excluded, Where: s.Where})
	}
	for _, c := range r.Codes {
		d.Codes = append(d.Codes, jsonCode{Name: c.Name, Definition: c.Definition, Aliases: nonNil(c.Aliases),
			InCodebook: c.InCodebook, Extracts: c.Extracts, Studies: studyIDs(c.Studies), Themes: nonNil(c.Themes)})
	}
	themesOf := map[*synthesis.Extract][]string{}
	for _, t := range r.Themes {
		jt := jsonTheme{
			ID: t.ID, Name: t.Name, Level: t.Level, Depth: t.Depth,
			Parents: nonNil(t.Parents), Children: nonNil(t.Children), Codes: nonNil(t.Codes), Closure: nonNil(t.Closure),
			Extracts: len(t.Extracts), ExtractIDs: []string{}, Studies: studyIDs(t.Studies),
			ExtractsPerStudy: map[string]int{},
			Participant:      t.Participant, Author: t.Author,
			Share:   math.Round(t.Share*1e4) / 1e4,
			Quotes:  []string{},
			Finding: findingOf(t),
		}
		for _, e := range t.Extracts {
			jt.ExtractIDs = append(jt.ExtractIDs, e.ID)
			themesOf[e] = append(themesOf[e], t.ID)
		}
		for i, n := range perStudy(r, t) {
			if n > 0 {
				jt.ExtractsPerStudy[r.Studies[i].ID] = n
			}
		}
		for _, e := range t.Quotes {
			jt.Quotes = append(jt.Quotes, e.ID)
		}
		if c := cerqualOf(t); c != nil {
			jt.CERQual = &jsonCERQual{
				MethodologicalLimitations: jsonComp(c.MethodologicalLimitations),
				Coherence:                 jsonComp(c.Coherence),
				Adequacy:                  jsonComp(c.Adequacy),
				Relevance:                 jsonComp(c.Relevance),
				Confidence:                c.Confidence,
				Explanation:               c.Explanation,
				Studies:                   studyIDs(t.Studies),
			}
		}
		if s := t.Sensitive; s != nil {
			jt.Sensitivity = &jsonThemeSensitivity{Studies: s.Studies, Extracts: s.Extracts, Flag: s.Flag}
		}
		d.Themes = append(d.Themes, jt)
	}
	for _, e := range r.Extracts {
		if e.Type == synthesis.Author {
			d.Counts.Author++
		} else {
			d.Counts.Participant++
		}
		d.Extracts = append(d.Extracts, jsonExtract{ID: e.ID, Study: studyID(e.Study), Type: string(e.Type),
			Location: e.Location, Coder: e.Coder, Codes: nonNil(e.Codes), Themes: nonNil(themesOf[e]), Text: e.Text, Where: e.Where})
	}
	for _, q := range r.CASP {
		jc := jsonCASP{Number: q.Number, Label: q.Label, Answers: map[string]string{}}
		for _, s := range r.Studies {
			if q.Column >= 0 && q.Column < len(s.Fields) {
				jc.Answers[s.ID] = caspAnswer(s.Fields[q.Column])
			}
		}
		d.CASP = append(d.CASP, jc)
	}
	if s := r.Sensitivity; s != nil {
		d.Sensitivity = &jsonSensitivity{Column: s.Column, Values: nonNil(s.Values), Excluded: studyIDs(s.Excluded)}
	}
	if p := r.PRISMA; p != nil {
		d.PRISMA = &jsonPRISMA{
			Identified: p.Identified, Databases: nonNilMap(p.Databases), Registers: p.Registers,
			Duplicates: p.Duplicates, OtherRemoved: p.OtherRemoved, Screened: p.Screened,
			ExcludedScreening: p.ExcludedScreening, NotRetrieved: p.NotRetrieved, FullText: p.FullText,
			ExcludedFullText: p.ExcludedFullText, ExclusionReasons: nonNilMap(p.ExclusionReasons),
			Included: p.Included, Reports: p.Reports,
		}
	}
	for _, w := range r.Warnings {
		d.Warnings = append(d.Warnings, jsonWarning(w))
	}
	d.Counts.Studies = len(r.Studies)
	d.Counts.Extracts = len(r.Extracts)
	d.Counts.Codes = len(r.Codes)
	d.Counts.Themes = len(r.Themes)
	d.Counts.Warnings = len(r.Warnings)
	return d
}

func jsonComp(c codebook.Component) jsonComponent {
	return jsonComponent{Concern: c.Concern, Explanation: c.Explanation}
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// fieldKeys are the keys of studies[].fields: the study columns, with a
// repeated or empty header made unique ("Quality (2)", "Column 3") so that
// no value is lost.
func fieldKeys(cols []string) []string {
	keys := make([]string, len(cols))
	seen := map[string]bool{}
	for i, c := range cols {
		base := c
		if base == "" {
			base = "Column " + itoa(i+1)
		}
		k := base
		for n := 2; seen[k]; n++ {
			k = base + " (" + itoa(n) + ")"
		}
		seen[k] = true
		keys[i] = k
	}
	return keys
}
