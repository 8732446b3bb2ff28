// Package refi reads REFI-QDA projects: the exchange format (REFI-QDA 1.5,
// QDA-XML 1.0) that NVivo, ATLAS.ti, MAXQDA, QualCoder and others write so
// that a coded project can move between programs. A project is a zip
// (.qdpx) holding project.qde, an XML file, and a folder of source files, or
// the bare project.qde.
//
// synth reads a project to start a synthesis from it: the code tree becomes
// the codebook and each coded text selection an extract, with its text cut
// out of the source it was coded in. The reader is lenient where real
// exports differ from the standard (namespaces, byte-order marks, the case
// of the sources folder, how positions count, missing names) and bounded
// where a file could be hostile: every size it reads is limited, and no
// input makes it panic.
//
// The types follow the schema (Project.xsd, Codebook.xsd) so that the same
// Code and Codebook serve the REFI-QDA codebook exchange file (.qdc) too.
package refi

import (
	"fmt"

	"github.com/synth-qda/synth/codebook"
)

// Project is what synth reads from a REFI-QDA project. Element order is kept
// everywhere: codes, sources, selections and codings are in file order.
type Project struct {
	Name   string // the project's name attribute
	Origin string // the program that wrote it, e.g. "NVivo for Windows 12.6"
	Users  []User

	Codebook  Codebook
	Variables []Variable
	Cases     []Case
	// Sources are the project's documents: text, PDF, picture, audio and
	// video sources.
	Sources []*Source
	// Notes are the project's memos (each a text source); synth imports
	// nothing from them but reports their coded selections.
	Notes []*Source
	Sets  []Set

	// Unit is how this project's text positions count; see UnitFor.
	Unit PositionUnit

	users map[string]*User
	codes map[string]*Code
}

// User is a person (or, in ATLAS.ti exports, the program itself) who
// created codes, selections or codings.
type User struct {
	GUID string
	Name string
	ID   string // a short id some programs add (NVivo's initials)
}

// Codebook is a tree of codes: the CodeBook element of a project, or the
// root of a codebook exchange file (.qdc).
type Codebook struct {
	Origin string // the program that wrote a .qdc; "" in a project
	Codes  []*Code
	Sets   []Set // the code sets of a .qdc; a project's sets are Project.Sets
}

// Code is one code of a codebook, with its sub-codes.
type Code struct {
	GUID        string
	Name        string // as written; may be empty in a hostile file
	Description string
	// Color is the code's colour as written when it is an RGB value (#rgb
	// or #rrggbb, the schema's RGBType), else "".
	Color     string
	IsCodable bool // false for codes that only group others (isCodable="false")
	Children  []*Code
	Parent    *Code // nil for a top-level code
}

// Path returns the names from the top-level code down to c.
func (c *Code) Path() []string {
	var p []string
	for x := c; x != nil; x = x.Parent {
		p = append(p, x.Name)
	}
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// Walk calls fn for every code in pre-order (a code, then its sub-codes),
// with its depth (0 for a top-level code).
func (cb *Codebook) Walk(fn func(c *Code, depth int)) {
	var walk func([]*Code, int)
	walk = func(cs []*Code, depth int) {
		for _, c := range cs {
			fn(c, depth)
			walk(c.Children, depth+1)
		}
	}
	walk(cb.Codes, 0)
}

// Variable is a case or source attribute (age, site, year…).
type Variable struct {
	GUID        string
	Name        string
	Type        string // typeOfVariable: Text, Boolean, Integer, Float, Date or DateTime
	Description string
}

// Value is the value of a variable for a case or a source, as written.
type Value struct {
	Variable string // the variable's GUID
	Value    string
}

// Case groups sources (or single selections) that belong to one unit of
// analysis, such as a participant or a site.
type Case struct {
	GUID        string
	Name        string
	Description string
	Sources     []string // GUIDs of member sources (SourceRef)
	Selections  []string // GUIDs of member selections (SelectionRef)
	Values      []Value
}

// Set is a named group of codes and sources.
type Set struct {
	GUID, Name, Description string
	Codes                   []string // GUIDs
	Sources                 []string // GUIDs
}

// SourceKind is the kind of a source element.
type SourceKind uint8

const (
	TextSource SourceKind = iota
	PDFSource
	PictureSource
	AudioSource
	VideoSource
	Note // a memo: Project/Notes/Note
)

func (k SourceKind) String() string {
	switch k {
	case TextSource:
		return "text"
	case PDFSource:
		return "PDF"
	case PictureSource:
		return "picture"
	case AudioSource:
		return "audio"
	case VideoSource:
		return "video"
	case Note:
		return "note"
	}
	return fmt.Sprintf("SourceKind(%d)", k)
}

// Source is a document of the project.
type Source struct {
	Kind        SourceKind
	GUID        string
	Name        string // may be empty (qc writes none) or hold a GUID (NVivo for Mac)
	Path        string // plainTextPath of a text source or note; path of the others
	Description string
	Values      []Value
	// Selections are the source's selections: first the text selections
	// (of the source's own text, of a PDF's text representation or of a
	// picture's text description) and transcript selections, then PDF,
	// picture, audio and video selections.
	Selections []*Selection
	// Codings apply a code to the whole source.
	Codings []Coding
}

// SelectionKind is the kind of a selection element.
type SelectionKind uint8

const (
	TextSelection       SelectionKind = iota // PlainTextSelection
	TranscriptSelection                      // a span of an audio or video transcript
	PDFSelection                             // a rectangle on a PDF page
	PictureSelection                         // a rectangle of a picture
	AudioSelection                           // a stretch of audio
	VideoSelection                           // a stretch of video
)

func (k SelectionKind) String() string {
	switch k {
	case TextSelection:
		return "text"
	case TranscriptSelection:
		return "transcript"
	case PDFSelection:
		return "PDF region"
	case PictureSelection:
		return "picture region"
	case AudioSelection:
		return "audio clip"
	case VideoSelection:
		return "video clip"
	}
	return fmt.Sprintf("SelectionKind(%d)", k)
}

// TextFrom says where a selection's text came from.
type TextFrom uint8

const (
	NoText TextFrom = iota
	// FromSource: cut out of the plain text the selection was made in, at
	// its positions (a text source, a PDF's text representation, a
	// picture's text description, or a transcript between sync points).
	FromSource
	// FromContent: a PDF selection's own text representation.
	FromContent
	// FromName: the selection's name, for want of the source text (a bare
	// .qde, or a source file missing from the .qdpx). ATLAS.ti names a text
	// quotation by its first words, so the text may be cut short.
	FromName
)

// Selection is a coded (or uncoded) part of a source.
type Selection struct {
	Kind         SelectionKind
	GUID         string
	Name         string
	Description  string
	CreatingUser string // GUID
	Codings      []Coding

	// Start and End are, for text and transcript selections, positions in
	// the text (Positioned reports whether they could be read; End is
	// exclusive, counted in Project.Unit); for audio and video selections,
	// begin and end in milliseconds.
	Start, End int64
	Positioned bool
	// Page is a PDF selection's page as written (REFI-QDA counts from 0).
	Page int64
	// TextGUID names the text the positions count in: the source's, its
	// representation's, its description's or the transcript's GUID.
	TextGUID string

	Text string // the selected text, as in the source; "" when From is NoText
	From TextFrom
	// Problem says why the text could not be cut from the source (also
	// when the name stands in for it): "no source text", "positions
	// outside the source text", "unreadable positions", "empty" (only
	// white space), or "no text" for a region, picture or clip.
	Problem string
}

// Coding applies a code to a selection or a source.
type Coding struct {
	GUID         string
	Code         string // the code's GUID (CodeRef targetGUID); "" when the coding has no CodeRef
	CreatingUser string // GUID, may be ""
}

// User returns the user with the given GUID, or nil. GUIDs match without
// regard to case or braces ({…}), which the schema allows both ways.
func (p *Project) User(guid string) *User {
	return p.users[codebook.GUIDKey(guid)]
}

// Code returns the code with the given GUID, or nil.
func (p *Project) Code(guid string) *Code {
	return p.codes[codebook.GUIDKey(guid)]
}

// SameGUID reports whether a and b name the same thing.
func SameGUID(a, b string) bool { return codebook.GUIDKey(a) == codebook.GUIDKey(b) }

// Error is a problem with a project file as a whole or at a line of its XML.
type Error struct {
	File string // as given to Open
	Part string // the zip entry, e.g. "project.qde"; "" for the file itself
	Line int    // 1-based line in the XML; 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	where := e.File
	if e.Part != "" {
		where += ":" + e.Part
	}
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	}
	return where + ": " + e.Msg
}
