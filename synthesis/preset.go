package synthesis

// Preset is what synth knows of one tool's coded-segment export: the header
// of each extract field (candidates in order of preference, the first present
// is used), the columns that identify a segment, how codes are written, and
// the headers that recognise the export when synth.yaml names no columns.
// DESIGN §1.2a.
type Preset struct {
	Name string // the synth.yaml value: maxqda, atlasti, nvivo, qualcoder, taguette, dedoose
	Tool string // the tool's name as its makers write it
	// Checked names the versions and export menus the columns were checked
	// against (shown in the README).
	Checked string

	// Candidate headers for each field; an empty list leaves the field
	// unmapped. The first header the sheet has is used; for the study, a
	// second one the sheet has stands in where the first is blank (MAXQDA's
	// Document group, else Document name).
	Study, Text, Codes, ID, Type, Location, Coder []string
	// Segment lists the columns whose values together identify a coded
	// segment; each entry is a list of candidate headers. Empty: the ID
	// column if the preset maps one, else (study, text).
	Segment [][]string
	// CodePaths are the separators of code paths the export may use
	// (MAXQDA 2020 writes Parent\Child, MAXQDA 24 Parent > Child); none
	// for flat codes.
	CodePaths []string
	// Separator separates several codes in one cell; "" keeps ";". Line
	// breaks always separate codes too.
	Separator string
	// Signature are headers that, all present, recognise this export; an
	// entry "A|B" is present when either header is.
	Signature []string
	// NonText marks the rows that are codings of an image, audio or video
	// rather than of text: a value of the first of the Column headers the
	// sheet has that starts with one of Prefixes. Such a row has no text to
	// quote or count (QualCoder writes "image" or "a/v" in its place), so it
	// is left out with one non-text-coding warning per source.
	NonText struct {
		Column   []string
		Prefixes []string
	}
}
