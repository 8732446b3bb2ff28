package refi

// Reading a REFI-QDA codebook exchange file (.qdc): the CodeBook element of
// Codebook.xsd (namespace urn:QDA-XML:codebook:1.0), holding Codes and,
// optionally, Sets of codes. As in project.qde, elements and attributes are
// matched by local name, so any namespace (or none) reads the same.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

type codebookXML struct {
	XMLName xml.Name
	Origin  string      `xml:"origin,attr"`
	Codes   *[]codeXML  `xml:"Codes>Code"`
	Sets    []qdcSetXML `xml:"Sets>Set"`
}

// qdcSetXML is a Set of a .qdc. Codebook.xsd names its members with
// MemberCode/@guid; Project.xsd with MemberCode/@targetGUID, which some
// programs write in a .qdc too, so both are read.
type qdcSetXML struct {
	GUID        string `xml:"guid,attr"`
	Name        string `xml:"name,attr"`
	Description string `xml:"Description"`
	Members     []struct {
		GUID       string `xml:"guid,attr"`
		TargetGUID string `xml:"targetGUID,attr"`
	} `xml:"MemberCode"`
}

// OpenQDC reads the REFI-QDA codebook at path. A file larger than
// opts.MaxXMLSize (default 256 MiB) is refused. Errors are *Error values
// naming the file and, for XML mistakes, the line.
func OpenQDC(path string, opts Options) (*Codebook, error) {
	opts = opts.withDefaults()
	f, _, err := openExport(path, "REFI-QDA codebook", "codebook file (.qdc)", ".qdc")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readLimited(f, path, opts.MaxXMLSize, "a codebook")
	if err != nil {
		return nil, err
	}
	return ReadQDC(data, path)
}

// ReadQDC reads the XML of a REFI-QDA codebook (.qdc); file names it in
// errors. Codes keep their order, hierarchy, names, descriptions, colours
// (when they are RGB values) and GUIDs as written; Sets keep their members'
// GUIDs as written. A project (root <Project>) or a zipped project is one
// error saying to use synth import qdpx; a file without <Codes> is an
// error, as the schema requires it.
func ReadQDC(data []byte, file string) (*Codebook, error) {
	if bytes.HasPrefix(data, []byte("PK")) {
		return nil, &Error{File: file, Msg: `this is a zip file (a REFI-QDA project, .qdpx?), not a REFI-QDA codebook; bring a project in with "synth import qdpx"`}
	}
	var x codebookXML
	if err := decodeXML(data, file, "", "codebook", &x); err != nil {
		return nil, err
	}
	switch x.XMLName.Local {
	case "CodeBook":
	case "Project":
		return nil, &Error{File: file, Msg: `this is a REFI-QDA project (.qde), not a codebook; bring it in with "synth import qdpx"`}
	default:
		return nil, &Error{File: file, Msg: fmt.Sprintf("the XML's root element is <%s>, not <CodeBook>; this is not a REFI-QDA codebook", x.XMLName.Local)}
	}
	if x.Codes == nil {
		return nil, &Error{File: file, Msg: "the <CodeBook> has no <Codes> element, which a REFI-QDA codebook must have"}
	}
	codes, err := convertCodes(*x.Codes, nil, 0)
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	cb := &Codebook{Origin: x.Origin, Codes: codes}
	for _, s := range x.Sets {
		set := Set{GUID: s.GUID, Name: s.Name, Description: strings.TrimSpace(s.Description)}
		for _, m := range s.Members {
			g := m.GUID
			if g == "" {
				g = m.TargetGUID
			}
			set.Codes = append(set.Codes, g)
		}
		cb.Sets = append(cb.Sets, set)
	}
	return cb, nil
}
