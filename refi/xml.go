package refi

// Decoding project.qde. Elements and attributes are matched by local name
// only, so a file with the urn:QDA-XML:project:1.0 namespace as the default,
// under a prefix (<qda:Project>), or with no namespace at all reads the same.
// Unknown elements are skipped; the order of elements is kept.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/synth-qda/synth/codebook"
	"golang.org/x/text/encoding/charmap"
)

type projectXML struct {
	XMLName   xml.Name
	Name      string          `xml:"name,attr"`
	Origin    string          `xml:"origin,attr"`
	Users     []userXML       `xml:"Users>User"`
	Codes     []codeXML       `xml:"CodeBook>Codes>Code"`
	Variables []variableXML   `xml:"Variables>Variable"`
	Cases     []caseXML       `xml:"Cases>Case"`
	Sources   sourcesXML      `xml:"Sources"`
	Notes     []textSourceXML `xml:"Notes>Note"`
	Sets      []setXML        `xml:"Sets>Set"`
}

type userXML struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr"`
	ID   string `xml:"id,attr"`
}

// codeXML is a Code element of a project's codebook or of a .qdc.
type codeXML struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	IsCodable   string    `xml:"isCodable,attr"`
	Color       string    `xml:"color,attr"`
	Description string    `xml:"Description"`
	Children    []codeXML `xml:"Code"`
}

type variableXML struct {
	GUID        string `xml:"guid,attr"`
	Name        string `xml:"name,attr"`
	Type        string `xml:"typeOfVariable,attr"`
	Description string `xml:"Description"`
}

type valueXML struct {
	Variable struct {
		GUID string `xml:"targetGUID,attr"`
	} `xml:"VariableRef"`
	Text     *string `xml:"TextValue"`
	Boolean  *string `xml:"BooleanValue"`
	Integer  *string `xml:"IntegerValue"`
	Float    *string `xml:"FloatValue"`
	Date     *string `xml:"DateValue"`
	DateTime *string `xml:"DateTimeValue"`
}

type refXML struct {
	GUID string `xml:"targetGUID,attr"`
}

type caseXML struct {
	GUID        string     `xml:"guid,attr"`
	Name        string     `xml:"name,attr"`
	Description string     `xml:"Description"`
	Values      []valueXML `xml:"VariableValue"`
	Sources     []refXML   `xml:"SourceRef"`
	Selections  []refXML   `xml:"SelectionRef"`
}

type setXML struct {
	GUID        string   `xml:"guid,attr"`
	Name        string   `xml:"name,attr"`
	Description string   `xml:"Description"`
	Codes       []refXML `xml:"MemberCode"`
	Sources     []refXML `xml:"MemberSource"`
}

type codingXML struct {
	GUID         string  `xml:"guid,attr"`
	CreatingUser string  `xml:"creatingUser,attr"`
	CodeRef      *refXML `xml:"CodeRef"`
}

// selectionXML holds the attributes of every kind of selection.
type selectionXML struct {
	GUID          string      `xml:"guid,attr"`
	Name          string      `xml:"name,attr"`
	CreatingUser  string      `xml:"creatingUser,attr"`
	StartPosition string      `xml:"startPosition,attr"`
	EndPosition   string      `xml:"endPosition,attr"`
	Begin         string      `xml:"begin,attr"`
	End           string      `xml:"end,attr"`
	Page          string      `xml:"page,attr"`
	FromSyncPoint string      `xml:"fromSyncPoint,attr"`
	ToSyncPoint   string      `xml:"toSyncPoint,attr"`
	Description   string      `xml:"Description"`
	Codings       []codingXML `xml:"Coding"`
	// Representation is a PDF selection's text.
	Representation *textSourceXML `xml:"Representation"`
}

// textSourceXML is the schema's TextSourceType: a text source, a note, a
// PDF's text representation or a picture's text description.
type textSourceXML struct {
	GUID             string         `xml:"guid,attr"`
	Name             string         `xml:"name,attr"`
	PlainTextPath    string         `xml:"plainTextPath,attr"`
	Description      string         `xml:"Description"`
	PlainTextContent *string        `xml:"PlainTextContent"`
	Selections       []selectionXML `xml:"PlainTextSelection"`
	Codings          []codingXML    `xml:"Coding"`
	Values           []valueXML     `xml:"VariableValue"`
}

type syncPointXML struct {
	GUID     string `xml:"guid,attr"`
	Position string `xml:"position,attr"`
}

type transcriptXML struct {
	GUID             string         `xml:"guid,attr"`
	PlainTextPath    string         `xml:"plainTextPath,attr"`
	PlainTextContent *string        `xml:"PlainTextContent"`
	SyncPoints       []syncPointXML `xml:"SyncPoint"`
	Selections       []selectionXML `xml:"TranscriptSelection"`
}

// sourceXML holds every kind of source element; kind says which it was.
type sourceXML struct {
	kind SourceKind
	textSourceXML
	Path              string          `xml:"path,attr"`
	PDFSelections     []selectionXML  `xml:"PDFSelection"`
	PictureSelections []selectionXML  `xml:"PictureSelection"`
	AudioSelections   []selectionXML  `xml:"AudioSelection"`
	VideoSelections   []selectionXML  `xml:"VideoSelection"`
	Representation    *textSourceXML  `xml:"Representation"`
	TextDescription   *textSourceXML  `xml:"TextDescription"`
	Transcripts       []transcriptXML `xml:"Transcript"`
}

// sourcesXML keeps the sources in file order across their kinds, which the
// schema lets interleave.
type sourcesXML []sourceXML

func (s *sourcesXML) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			kind, ok := sourceKinds[t.Name.Local]
			if !ok {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			x := sourceXML{kind: kind}
			if err := d.DecodeElement(&x, &t); err != nil {
				return err
			}
			*s = append(*s, x)
		case xml.EndElement:
			return nil
		}
	}
}

var sourceKinds = map[string]SourceKind{
	"TextSource":    TextSource,
	"PDFSource":     PDFSource,
	"PictureSource": PictureSource,
	"AudioSource":   AudioSource,
	"VideoSource":   VideoSource,
}

// MaxCodeDepth bounds how deeply codes may nest. Real code trees have a
// handful of levels; the limit keeps every walk over the tree short.
const MaxCodeDepth = 100

// decodeXML decodes REFI-QDA XML in any encoding it declares into v; file
// and part name it in errors, what ("project", "codebook") says what it is.
func decodeXML(data []byte, file, part, what string, v any) error {
	data, err := toUTF8(data)
	if err != nil {
		return &Error{File: file, Part: part, Msg: err.Error()}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	if err := d.Decode(v); err != nil {
		return xmlError(err, file, part, what, data)
	}
	return nil
}

// readLimited reads r, the file at path, whole, refusing more than max
// bytes: what names what the file holds ("a codebook", "a project.qde").
func readLimited(r io.Reader, path string, max int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, &Error{File: path, Msg: openProblem(err)}
	}
	if int64(len(data)) > max {
		return nil, &Error{File: path, Msg: fmt.Sprintf("the file holds more than the %s %s may hold", size(max), what)}
	}
	return data, nil
}

// decodeQDE parses the XML of a project. file and part name it in errors.
func decodeQDE(data []byte, file, part string) (*projectXML, error) {
	var x projectXML
	if err := decodeXML(data, file, part, "project", &x); err != nil {
		return nil, err
	}
	switch x.XMLName.Local {
	case "Project":
	case "CodeBook":
		return nil, &Error{File: file, Part: part, Msg: "this is a REFI-QDA codebook (a .qdc file), not a project; it holds codes but no coded text; bring its codes in with \"synth import qdc\""}
	default:
		return nil, &Error{File: file, Part: part, Msg: fmt.Sprintf("the XML's root element is <%s>, not <Project>; this is not a REFI-QDA project", x.XMLName.Local)}
	}
	return &x, nil
}

// toUTF8 turns a UTF-16 document (with a byte-order mark) into UTF-8 and
// drops a UTF-8 byte-order mark.
func toUTF8(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[3:], nil
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		return []byte(decodeText(data)), nil
	case len(data) == 0 || len(bytes.TrimSpace(data)) == 0:
		return nil, errors.New("the file is empty")
	}
	return data, nil
}

// charsetReader lets the decoder read the encodings a project may declare.
// UTF-16 was turned into UTF-8 before decoding, so its declaration is kept
// as it is.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "unicode":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "l1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("the XML declares encoding %q, which synth does not read; save it as UTF-8", label)
}

// xmlError is err, from decoding the XML of a REFI-QDA file of the kind
// what ("project", "codebook"), in words, at its place.
func xmlError(err error, file, part, what string, data []byte) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "unexpected EOF") {
			msg = "the XML ends too soon (the file is cut short)"
		}
		return &Error{File: file, Part: part, Line: se.Line, Msg: "XML syntax error: " + msg}
	}
	if errors.Is(err, io.EOF) {
		return &Error{File: file, Part: part, Msg: "the file holds no XML element, so it is not a REFI-QDA " + what}
	}
	if strings.Contains(err.Error(), "exceeded max depth") {
		return &Error{File: file, Part: part, Msg: "the XML nests elements too deeply to be a REFI-QDA " + what}
	}
	return &Error{File: file, Part: part, Msg: "cannot read the XML: " + err.Error()}
}

var rgb = regexp.MustCompile(`^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$`)

// loadText returns the plain text a plainTextPath names: ok is false when
// it is not there (a bare .qde, or a file missing from the zip).
type loadText func(path string) (text string, ok bool, err error)

// convert builds the Project from the decoded XML, cutting each selection's
// text out of its source with load.
func (x *projectXML) convert(file, part string, load loadText) (*Project, error) {
	p := &Project{
		Name:   x.Name,
		Origin: x.Origin,
		Unit:   UnitFor(x.Origin),
		users:  map[string]*User{},
		codes:  map[string]*Code{},
	}
	p.Users = make([]User, len(x.Users))
	for i, u := range x.Users {
		p.Users[i] = User{GUID: u.GUID, Name: u.Name, ID: u.ID}
	}
	for i := range p.Users {
		if k := codebook.GUIDKey(p.Users[i].GUID); p.users[k] == nil {
			p.users[k] = &p.Users[i]
		}
	}
	codes, err := convertCodes(x.Codes, nil, 0)
	if err != nil {
		return nil, &Error{File: file, Part: part, Msg: err.Error()}
	}
	p.Codebook.Codes = codes
	p.Codebook.Walk(func(c *Code, _ int) {
		if k := codebook.GUIDKey(c.GUID); p.codes[k] == nil {
			p.codes[k] = c
		}
	})
	for _, v := range x.Variables {
		p.Variables = append(p.Variables, Variable{GUID: v.GUID, Name: v.Name, Type: v.Type, Description: strings.TrimSpace(v.Description)})
	}
	for _, c := range x.Cases {
		pc := Case{GUID: c.GUID, Name: c.Name, Description: strings.TrimSpace(c.Description), Values: values(c.Values)}
		for _, r := range c.Sources {
			pc.Sources = append(pc.Sources, r.GUID)
		}
		for _, r := range c.Selections {
			pc.Selections = append(pc.Selections, r.GUID)
		}
		p.Cases = append(p.Cases, pc)
	}
	for _, s := range x.Sets {
		ps := Set{GUID: s.GUID, Name: s.Name, Description: strings.TrimSpace(s.Description)}
		for _, r := range s.Codes {
			ps.Codes = append(ps.Codes, r.GUID)
		}
		for _, r := range s.Sources {
			ps.Sources = append(ps.Sources, r.GUID)
		}
		p.Sets = append(p.Sets, ps)
	}
	r := &resolver{unit: p.Unit, load: load}
	for i := range x.Sources {
		s, err := r.source(&x.Sources[i])
		if err != nil {
			return nil, err
		}
		p.Sources = append(p.Sources, s)
	}
	for i := range x.Notes {
		n := &x.Notes[i]
		s := &Source{Kind: Note, GUID: n.GUID, Name: n.Name, Path: n.PlainTextPath, Description: strings.TrimSpace(n.Description),
			Values: values(n.Values), Codings: codings(n.Codings)}
		sels, err := r.textSelections(n)
		if err != nil {
			return nil, err
		}
		s.Selections = sels
		p.Notes = append(p.Notes, s)
	}
	return p, nil
}

func convertCodes(xs []codeXML, parent *Code, depth int) ([]*Code, error) {
	if len(xs) > 0 && depth >= MaxCodeDepth {
		return nil, fmt.Errorf("codes are nested more than %d levels deep (under %q)", MaxCodeDepth, parent.Name)
	}
	var out []*Code
	for _, x := range xs {
		codable := strings.ToLower(strings.TrimSpace(x.IsCodable))
		c := &Code{
			GUID:        x.GUID,
			Name:        x.Name,
			Description: strings.TrimSpace(x.Description),
			IsCodable:   codable != "false" && codable != "0",
			Parent:      parent,
		}
		if col := strings.TrimSpace(x.Color); rgb.MatchString(col) {
			c.Color = col
		}
		kids, err := convertCodes(x.Children, c, depth+1)
		if err != nil {
			return nil, err
		}
		c.Children = kids
		out = append(out, c)
	}
	return out, nil
}

func values(xs []valueXML) []Value {
	var out []Value
	for _, x := range xs {
		var v *string
		for _, c := range []*string{x.Text, x.Boolean, x.Integer, x.Float, x.Date, x.DateTime} {
			if c != nil {
				v = c
				break
			}
		}
		if v == nil {
			continue
		}
		out = append(out, Value{Variable: x.Variable.GUID, Value: strings.TrimSpace(*v)})
	}
	return out
}

func codings(xs []codingXML) []Coding {
	out := make([]Coding, 0, len(xs))
	for _, x := range xs {
		c := Coding{GUID: x.GUID, CreatingUser: x.CreatingUser}
		if x.CodeRef != nil {
			c.Code = x.CodeRef.GUID
		}
		out = append(out, c)
	}
	return out
}

// resolver cuts selections' texts out of their sources.
type resolver struct {
	unit PositionUnit
	load loadText
}

// text returns the plain text of a TextSourceType element or transcript:
// its PlainTextContent, else the file its plainTextPath names.
func (r *resolver) text(inline *string, path string) (*positions, error) {
	if inline != nil {
		return newPositions(*inline, r.unit), nil
	}
	if strings.TrimSpace(path) == "" || r.load == nil {
		return nil, nil
	}
	t, ok, err := r.load(path)
	if err != nil || !ok {
		return nil, err
	}
	return newPositions(t, r.unit), nil
}

func (r *resolver) source(x *sourceXML) (*Source, error) {
	s := &Source{Kind: x.kind, GUID: x.GUID, Name: x.Name, Description: strings.TrimSpace(x.Description),
		Values: values(x.Values), Codings: codings(x.Codings)}
	if x.kind == TextSource {
		s.Path = x.PlainTextPath
		sels, err := r.textSelections(&x.textSourceXML)
		if err != nil {
			return nil, err
		}
		s.Selections = sels
	} else {
		s.Path = x.Path
		for _, t := range []*textSourceXML{x.Representation, x.TextDescription} {
			if t == nil {
				continue
			}
			sels, err := r.textSelections(t)
			if err != nil {
				return nil, err
			}
			s.Selections = append(s.Selections, sels...)
		}
	}
	for i := range x.Transcripts {
		sels, err := r.transcriptSelections(&x.Transcripts[i])
		if err != nil {
			return nil, err
		}
		s.Selections = append(s.Selections, sels...)
	}
	for _, group := range []struct {
		kind SelectionKind
		xs   []selectionXML
	}{{PDFSelection, x.PDFSelections}, {PictureSelection, x.PictureSelections}, {AudioSelection, x.AudioSelections}, {VideoSelection, x.VideoSelections}} {
		for i := range group.xs {
			sx := &group.xs[i]
			sel := newSelection(group.kind, sx)
			switch group.kind {
			case PDFSelection:
				sel.Page, _ = parseInt(sx.Page)
				if rep := sx.Representation; rep != nil && rep.PlainTextContent != nil && strings.TrimSpace(*rep.PlainTextContent) != "" {
					sel.Text, sel.From = *rep.PlainTextContent, FromContent
				} else {
					sel.Problem = "no text"
				}
			case AudioSelection, VideoSelection:
				a, errA := parseInt(sx.Begin)
				b, errB := parseInt(sx.End)
				if errA == nil && errB == nil {
					sel.Start, sel.End, sel.Positioned = a, b, true
				}
				sel.Problem = "no text"
			default:
				sel.Problem = "no text"
			}
			s.Selections = append(s.Selections, sel)
		}
	}
	return s, nil
}

// textSelections reads the PlainTextSelections of t and cuts their texts.
// A selection whose text cannot be cut (no source text, positions outside
// it) takes its name as its text when it has one.
func (r *resolver) textSelections(t *textSourceXML) ([]*Selection, error) {
	if len(t.Selections) == 0 {
		return nil, nil
	}
	pos, err := r.text(t.PlainTextContent, t.PlainTextPath)
	if err != nil {
		return nil, err
	}
	out := make([]*Selection, 0, len(t.Selections))
	for i := range t.Selections {
		x := &t.Selections[i]
		sel := newSelection(TextSelection, x)
		sel.TextGUID = t.GUID
		a, errA := parseInt(x.StartPosition)
		b, errB := parseInt(x.EndPosition)
		if errA == nil && errB == nil {
			sel.Start, sel.End, sel.Positioned = a, b, true
		}
		switch {
		case !sel.Positioned:
			sel.Problem = "unreadable positions"
		case pos == nil:
			sel.Problem = "no source text"
		default:
			if text, ok := pos.slice(a, b); !ok {
				sel.Problem = "positions outside the source text"
			} else if strings.TrimSpace(text) == "" {
				sel.Problem = "empty"
			} else {
				sel.Text, sel.From = text, FromSource
			}
		}
		if sel.From == NoText && sel.Problem != "empty" && strings.TrimSpace(sel.Name) != "" {
			sel.Text, sel.From = sel.Name, FromName
		}
		out = append(out, sel)
	}
	return out, nil
}

// transcriptSelections cuts the selections of a transcript between the
// positions of their sync points.
func (r *resolver) transcriptSelections(t *transcriptXML) ([]*Selection, error) {
	if len(t.Selections) == 0 {
		return nil, nil
	}
	pos, err := r.text(t.PlainTextContent, t.PlainTextPath)
	if err != nil {
		return nil, err
	}
	at := map[string]int64{}
	for _, sp := range t.SyncPoints {
		if n, err := parseInt(sp.Position); err == nil {
			at[codebook.GUIDKey(sp.GUID)] = n
		}
	}
	out := make([]*Selection, 0, len(t.Selections))
	for i := range t.Selections {
		x := &t.Selections[i]
		sel := newSelection(TranscriptSelection, x)
		sel.TextGUID = t.GUID
		a, okA := at[codebook.GUIDKey(x.FromSyncPoint)]
		b, okB := at[codebook.GUIDKey(x.ToSyncPoint)]
		sel.Start, sel.End, sel.Positioned = a, b, okA && okB
		switch {
		case !sel.Positioned:
			sel.Problem = "unreadable positions"
		case pos == nil:
			sel.Problem = "no source text"
		default:
			if text, ok := pos.slice(a, b); !ok {
				sel.Problem = "positions outside the source text"
			} else if strings.TrimSpace(text) == "" {
				sel.Problem = "empty"
			} else {
				sel.Text, sel.From = text, FromSource
			}
		}
		out = append(out, sel)
	}
	return out, nil
}

func newSelection(kind SelectionKind, x *selectionXML) *Selection {
	return &Selection{Kind: kind, GUID: x.GUID, Name: x.Name, Description: strings.TrimSpace(x.Description),
		CreatingUser: x.CreatingUser, Codings: codings(x.Codings)}
}

func parseInt(s string) (int64, error) {
	return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
}
