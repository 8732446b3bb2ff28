package synthesis

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// Result is everything synth build computes from a project. Exporters turn it
// into files; it holds no open resources. Every slice is in a fixed order so
// that the same input gives byte-identical output.
type Result struct {
	Title    string
	Project  *Project
	Codebook *codebook.Codebook

	// StudyColumns are the headers of the studies table in their order;
	// Study.Fields align with them. Without a studies table it is ["ID"].
	StudyColumns []string
	// Studies in studies-table order, or first-seen order without a table.
	Studies []*Study
	// Extracts in source order (sources in project order, rows in sheet
	// order), each made when asked for (see Extracts).
	Extracts Extracts
	// Codes: codebook codes in codebook order, then codes seen only in
	// extracts in first-seen order.
	Codes []*CodeStat
	// Themes in codebook pre-order; a reused theme appears once.
	Themes []*ThemeStat
	// CASP holds the appraisal questions found in the studies table, if any;
	// each study's answers are Study.CASP.
	CASP []CASPQuestion
	// Totals are the counts the summary table reports.
	Totals Totals

	Sensitivity *Sensitivity // nil when the project configures none
	PRISMA      *PRISMA      // nil when the project gives no counts
	Warnings    []Warning
	// Notes say how the project was read where synth chose for the
	// reviewer (e.g. the preset a known export's header selected). They are
	// for the terminal, not the outputs.
	Notes []Note

	// Inputs are the files read, project-relative with forward slashes, in
	// the order read: synth.yaml, the codebook, the studies and extract sources.
	Inputs []string
}

// Note is the project's note: one paragraph of plain text for under the
// title, or "".
func (r *Result) Note() string {
	if r.Project == nil {
		return ""
	}
	return r.Project.Note
}

// Totals are counts over the whole synthesis.
type Totals struct {
	Contributing  int // studies with at least one extract
	Participant   int // participant extracts
	Author        int // author extracts
	CodebookCodes int // codes defined by the codebook (Codes with InCodebook)
}

// Study is one included study.
type Study struct {
	ID string // as written in the studies table (or first seen)
	// Label is how the supplement cites the study ("Okafor 2019"): its cell
	// of the studies table's label column, trimmed; the ID when the table
	// has no label column or the cell is blank. Labels are distinct.
	Label string
	// CASP are the study's answers to Result.CASP, aligned with it:
	// Yes, Can't tell or No, anything else as written, "" when blank.
	CASP     []string
	CASPYes  int      // answers that are Yes
	Fields   []string // aligned with Result.StudyColumns
	Extracts int      // all of the study's extracts, coded or not
	Excluded bool     // dropped by the sensitivity analysis
	Where    string   // the cell of its id: studies table, or first extract naming it
	idx      int32    // its place in Result.Studies
}

// ExtractType says whose words an extract is.
type ExtractType string

const (
	Participant ExtractType = "participant" // first-order: a quotation
	Author      ExtractType = "author"      // second-order: an author interpretation
)

// Extract is one coded segment: a participant quotation or an author
// interpretation with the codes applied to it. Rows of a sheet that share
// its identity (segment columns, else ID, else study and text; DESIGN §1.2a)
// are one extract, so a segment coded by two coders or with three codes
// counts once for support.
type Extract struct {
	ID       string // the ID column, or file:Sheet!row of its first row when there is none
	Study    *Study
	Text     string
	Type     ExtractType
	Location string
	Coder    string // the coder of its first row
	// Codes are canonical code names (codebook spelling; unknown codes as
	// first written), distinct, in the order first given: the union of the
	// codings' codes.
	Codes []string
	// Codings are each (code, coder) applied to the segment, in the order
	// read, with the cell that applied it; a coder who applied a code twice
	// is one coding. Inter-coder agreement reads them.
	Codings []Coding
	// Coders are the coders with a row for the extract, including a row
	// that applies no code (the coder read it and found nothing to code),
	// distinct after folding (NFC, case, white space), in the spelling
	// first read, in the order read. A row with a blank coder cell adds none.
	Coders []string
	at     cellRef // the text cell of the extract's first row
	// Themes are the ids of the themes the extract supports (its codes are
	// in their code closure), in theme order.
	Themes []string
}

// Where is the text cell of the extract's first row: file:Sheet!B14, or ""
// for an Extract not read from a sheet. It is made when asked for: a
// million extracts holding theirs took 27 MB.
func (e *Extract) Where() string { return e.at.String() }

// AppendWhere appends Where() to b, for a writer of a million extracts'
// places that makes no string of each.
func (e *Extract) AppendWhere(b []byte) []byte { return e.at.appendTo(b) }

// Source cites an extract as the supplement does: the study's label, then
// the location when there is one ("Okafor 2019, p. 4").
func (e *Extract) Source() string {
	if e.Location == "" {
		return e.Study.Label
	}
	return e.Study.Label + ", " + e.Location
}

// Coding is one code applied to a segment by one coder.
type Coding struct {
	Code  string // canonical code name, as in Extract.Codes
	Coder string // "" when the source has no coder column
	cell  cellRef
}

// Where is the cell that applied the coding: file:Sheet!D14.
func (c Coding) Where() string { return c.cell.String() }

// AppendWhere appends Where() to b.
func (c Coding) AppendWhere(b []byte) []byte { return c.cell.appendTo(b) }

// Note is something synth decided for the reviewer while reading.
type Note struct {
	Where   string
	Message string
}

// CodeStat is a code and its support.
type CodeStat struct {
	Name       string
	Definition string
	InCodebook bool
	Aliases    []string
	Extracts   int      // distinct extracts carrying the code
	Studies    []*Study // distinct, in study order
	Themes     []string // ids of the themes naming the code as their own, in theme order
	ThemeNames []string // their names, aligned with Themes
}

// ThemeStat is a theme and its support over its code closure.
type ThemeStat struct {
	Theme       *codebook.Theme
	ID          string
	Name        string
	Level       string
	Depth       int
	Parents     []string // ids
	ParentNames []string // names, aligned with Parents
	Children    []string // ids
	Codes       []string // own codes
	Closure     []string // own codes and all descendants' codes, distinct, codebook order

	Extracts Extracts // distinct, in extract order
	// Studies are the distinct studies of Extracts, in study order: the
	// studies contributing to the theme's finding in the CERQual tables.
	Studies     []*Study
	PerStudy    []int   // extracts per study, aligned with Result.Studies
	Participant int     // participant extracts among Extracts
	Author      int     // author extracts among Extracts
	Share       float64 // len(Studies) / len(Result.Studies), 0 when no studies

	Quotes []*Extract // illustrative quotes: pinned first, then one participant quotation per study

	// Finding is the review finding the theme states (trimmed; "" when none).
	Finding string
	// CERQual is the theme's GRADE-CERQual assessment, nil when not assessed.
	CERQual *CERQual

	// Sensitivity: support without the excluded studies (nil without a
	// sensitivity analysis).
	Sensitive *ThemeSensitivity
}

// CodesOf gives the codes of e within the theme's code closure, in e's order:
// the codes by which e supports the theme.
func (ts *ThemeStat) CodesOf(e *Extract) []string {
	var out []string
	for _, c := range e.Codes {
		if slices.Contains(ts.Closure, c) {
			out = append(out, c)
		}
	}
	return out
}

// CERQual is a GRADE-CERQual assessment of a review finding (Lewin et al.
// 2018), copied from the codebook. Concerns are none, minor, moderate or
// serious; confidence is high, moderate, low or very-low; "" is not assessed.
type CERQual struct {
	MethodologicalLimitations CERQualComponent
	Coherence                 CERQualComponent
	Adequacy                  CERQualComponent
	Relevance                 CERQualComponent
	Confidence                string
	Explanation               string // of the overall confidence
}

// CERQualComponent is the concern about one component and why.
type CERQualComponent struct {
	Concern     string
	Explanation string
}

// Components are the four components in the order GRADE-CERQual tables give
// them, with their names.
func (c *CERQual) Components() []NamedComponent {
	return []NamedComponent{
		{"Methodological limitations", c.MethodologicalLimitations},
		{"Coherence", c.Coherence},
		{"Adequacy", c.Adequacy},
		{"Relevance", c.Relevance},
	}
}

// NamedComponent is a CERQual component with its name.
type NamedComponent struct {
	Name string
	CERQualComponent
}

// ThemeSensitivity is a theme's support without the excluded studies.
type ThemeSensitivity struct {
	Studies  int
	Extracts int
	// Flag is "" when the theme keeps support from two or more studies,
	// "single-study" when it falls to one study, "unsupported" when to none.
	Flag string
}

// Sensitivity says which studies a sensitivity analysis drops and why.
type Sensitivity struct {
	Column   string
	Values   []string
	Excluded []*Study
}

// CASPQuestion is one appraisal question column of the studies table.
type CASPQuestion struct {
	Number int    // 1..10
	Label  string // header as written
	Column int    // index into Study.Fields
}

// PRISMA holds the PRISMA 2020 flow counts given in synth.yaml (Page et
// al., BMJ 2021;372:n71, the flow diagram for new systematic reviews). A
// count that synth.yaml does not give is 0. Databases and ExclusionReasons
// map a name as written to its count, in no order: an exporter sorts them.
// prisma-arithmetic warnings say where the counts do not add up.
type PRISMA struct {
	Identified        int            // records identified, all sources
	Databases         map[string]int // records identified per database
	Registers         int            // records identified from registers
	Duplicates        int            // duplicate records removed before screening
	OtherRemoved      int            // records removed for other reasons before screening
	Screened          int            // records screened
	ExcludedScreening int            // records excluded at screening
	NotRetrieved      int            // reports sought but not retrieved
	FullText          int            // reports assessed for eligibility
	ExcludedFullText  int            // reports excluded after assessment
	ExclusionReasons  map[string]int // reports excluded per reason
	Included          int            // studies included in the review
	Reports           int            // reports of the included studies
	// Given holds the synth.yaml keys of the counts given ("not_retrieved"),
	// so that a count given as 0 is told from one left out.
	Given map[string]bool
}

// Has reports whether the count of synth.yaml's key, whose value is v, is
// given: any count but 0 is, and 0 when synth.yaml writes it.
func (c *PRISMA) Has(key string, v int) bool { return v != 0 || c.Given[key] }

// ReportsNotRetrieved is the number of reports sought but not retrieved:
// not_retrieved when given; else, with records screened, records excluded
// and reports assessed given, the reports sought less those assessed
// (PRISMA 2020's boxes then add up); else none (false).
func (c *PRISMA) ReportsNotRetrieved() (int, bool) {
	if c.Has("not_retrieved", c.NotRetrieved) {
		return c.NotRetrieved, true
	}
	if c.Has("screened", c.Screened) && c.Has("excluded_screening", c.ExcludedScreening) && c.Has("full_text", c.FullText) {
		if n := c.Screened - c.ExcludedScreening - c.FullText; n >= 0 {
			return n, true
		}
	}
	return 0, false
}

// newPRISMA copies the counts of synth.yaml into the Result's own type, so
// that no exporter reads the project file's structure.
func newPRISMA(c *PRISMACounts) *PRISMA {
	if c == nil {
		return nil
	}
	return &PRISMA{Identified: c.Identified, Databases: maps.Clone(c.Databases), Registers: c.Registers,
		Duplicates: c.Duplicates, OtherRemoved: c.OtherRemoved, Screened: c.Screened,
		ExcludedScreening: c.ExcludedScreening, NotRetrieved: c.NotRetrieved, FullText: c.FullText,
		ExcludedFullText: c.ExcludedFullText, ExclusionReasons: maps.Clone(c.ExclusionReasons),
		Included: c.Included, Reports: c.Reports, Given: maps.Clone(c.Given)}
}

// Warning is a problem that does not stop a build; --strict makes it an
// error. Every warning of a Result has this type: the readers' and the
// codebook's warnings are converted where they enter synthesis.
type Warning struct {
	Kind    WarningKind `json:"kind"`
	Message string      `json:"message"`
	Where   string      `json:"where"`
}

// WarningKind is a warning's stable id, used in JSON, in the terminal's
// [kind] and by --strict.
type WarningKind string

// Warning kinds.
const (
	WarnUnknownCode          WarningKind = "unknown-code"
	WarnUnusedCode           WarningKind = "unused-code"
	WarnUnthemedCode         WarningKind = "unthemed-code"
	WarnUncodedExtract       WarningKind = "uncoded-extract"
	WarnNonContributingStudy WarningKind = "non-contributing-study"
	WarnSingleStudyTheme     WarningKind = "single-study-theme"
	WarnEmptyTheme           WarningKind = "empty-theme"
	// WarnCERQualInconsistent: a CERQual assessment that contradicts
	// itself (reported by the codebook package).
	WarnCERQualInconsistent WarningKind = codebook.WarnCERQualInconsistent
	// WarnCERQualMissing: a review finding whose GRADE-CERQual assessment
	// is missing or incomplete; the rule is at cerqualGaps.
	WarnCERQualMissing   WarningKind = "cerqual-missing"
	WarnDuplicateExtract WarningKind = "duplicate-extract"
	// WarnRaggedRow: a CSV record with more or fewer fields than its header.
	WarnRaggedRow WarningKind = "ragged-row"
	// WarnDateCell: a date in an ID, location or codes cell, where Excel
	// has likely turned typed text such as "12-14" into a date.
	WarnDateCell WarningKind = "date-cell"
	// WarnSeparatorSuspect: codes cells that look split by another
	// separator than the source's.
	WarnSeparatorSuspect WarningKind = "separator-suspect"
	// WarnIgnoredRow: a row with values in mapped columns that is not an
	// extract (no text, ID or codes), so it is not counted.
	WarnIgnoredRow WarningKind = "ignored-row"
	// WarnNonTextCoding: rows of a tool's export that code an image,
	// audio or video (Preset.NonText), left out: they have no text.
	WarnNonTextCoding WarningKind = "non-text-coding"
	// WarnSensitivityUnmatched: the sensitivity rule excludes no study.
	WarnSensitivityUnmatched WarningKind = "sensitivity-unmatched"
	// WarnPRISMAArithmetic: PRISMA 2020 flow counts that do not add up.
	WarnPRISMAArithmetic WarningKind = "prisma-arithmetic"
	// WarnThemeCodeUndefined: a theme names a code that the codebook's
	// codes: list does not define (reported by the codebook package).
	WarnThemeCodeUndefined WarningKind = codebook.WarnThemeCodeUndefined

	// What the readers notice (reported by the sheet package):

	// WarnEncodingFallback: a CSV file that is not UTF-8, read as Windows-1252.
	WarnEncodingFallback WarningKind = sheet.WarnEncodingFallback
	// WarnSheetUnreadable: a worksheet of a workbook that could not be read.
	WarnSheetUnreadable WarningKind = sheet.WarnSheetUnreadable
	// WarnNULBytes: NUL bytes in a CSV file, left out of the values.
	WarnNULBytes WarningKind = sheet.WarnNULBytes
	// WarnStrayQuote: text after the closing quote of a CSV field.
	WarnStrayQuote WarningKind = sheet.WarnStrayQuote
)

// FromReading reports whether the kind is about how the extracts were read
// (a code not in the codebook, a row not read, a cell Excel turned into a
// date, the file's encoding), not about the synthesis built from them.
// synth agreement prints these: each changes what is compared.
func (k WarningKind) FromReading() bool {
	switch k {
	case WarnUnknownCode, WarnIgnoredRow, WarnRaggedRow, WarnDateCell,
		WarnSeparatorSuspect, WarnNonTextCoding, WarnDuplicateExtract,
		WarnEncodingFallback, WarnSheetUnreadable, WarnNULBytes, WarnStrayQuote:
		return true
	}
	return false
}

// codebookWarning is a codebook warning as a synthesis warning.
func codebookWarning(w codebook.Warning) Warning {
	return Warning{Kind: WarningKind(w.Kind), Message: w.Message, Where: w.Where}
}

// readerWarning is a reader's warning as a synthesis warning, with the
// file the reader opened named rel, as the project names it.
func readerWarning(w sheet.Warning, p *Project, rel string) Warning {
	return Warning{Kind: WarningKind(w.Kind), Message: relabelWhere(w.Message, p, rel), Where: relabelWhere(w.Where, p, rel)}
}

// Errors are every data error of a run, up to MaxErrors in the order found,
// with the warnings found on the way, so that a reviewer fixes them all at
// once rather than one per run.
type Errors struct {
	Errs     []error
	More     int // errors found beyond MaxErrors
	Warnings []Warning
}

// MaxErrors is how many errors a run reports before it only counts them.
const MaxErrors = 50

// Unwrap gives the errors to errors.Is and errors.As.
func (e *Errors) Unwrap() []error { return e.Errs }

func (e *Errors) Error() string {
	var b strings.Builder
	for i, err := range e.Errs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(err.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n%d more errors not shown", e.More)
	}
	return b.String()
}
