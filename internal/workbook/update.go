package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// ListSheet is a hidden sheet that holds the values of a drop-down list in
// its first column, under a header, and the defined name that points at
// them: the form a list of any length takes (Excel limits a list written
// into the validation itself to 255 characters).
type ListSheet struct {
	Sheet  string // e.g. "Code list"
	Name   string // the defined name the validations read, e.g. "SynthCodes"
	Header string // A1
}

// SheetOf is the hidden sheet holding values.
func (l ListSheet) SheetOf(values []string) Sheet {
	rows := make([][]string, len(values))
	for i, v := range values {
		rows[i] = []string{v}
	}
	return Sheet{Name: l.Sheet, Header: []string{l.Header}, Rows: rows, DefaultWidth: 40, Hidden: true}
}

// Range is the range of n values under the header, as a defined name
// refers to it: 'Code list'!$A$2:$A$501. An empty list refers to the one
// empty cell A2, so the drop-down is empty rather than broken.
func (l ListSheet) Range(n int) string {
	return "'" + strings.ReplaceAll(l.Sheet, "'", "''") + "'!$A$2:$A$" + strconv.Itoa(max(n, 1)+1)
}

// UpdateList returns a copy of the xlsx file data in which only the list
// sheet l holds values and l's defined name covers them: the sheet's part
// is written anew and the definedName's text in the workbook part is
// replaced; every other part of the package, the reviewer's sheets, shared
// strings and styles included, is copied byte for byte (compressed data
// and all). So a workbook a reviewer has filled in, and saved with Excel or
// LibreOffice, gets a new list without a cell of theirs being rewritten.
//
// Errors: data is not an xlsx package; it has no sheet named l.Sheet or no
// defined name l.Name (it was not made by Write with l); it is Strict Open
// XML (ISO/IEC 29500 Strict), whose namespaces the new sheet part would
// not match.
func UpdateList(data []byte, l ListSheet, values []string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errors.New("not an xlsx workbook (not a zip file)")
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	wbPath, err := target(parts, "_rels/.rels", "", func(r relationship) bool {
		return strings.HasSuffix(r.Type, "/officeDocument")
	})
	if err != nil {
		return nil, err
	}
	wbXML, err := readPart(parts, wbPath)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(wbXML, []byte("http://purl.oclc.org/ooxml/spreadsheetml/main")) {
		return nil, errors.New("the workbook is saved as Strict Open XML; save it as an Excel Workbook (.xlsx) and try again")
	}
	rid, err := sheetRID(wbXML, l.Sheet)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(wbPath)
	relsPath := path.Join(dir, "_rels", path.Base(wbPath)+".rels")
	sheetPath, err := target(parts, relsPath, dir, func(r relationship) bool { return r.ID == rid })
	if err != nil {
		return nil, err
	}
	for i, v := range values {
		if err := fitsCell(EscapeOOXML(v)); err != nil {
			return nil, fmt.Errorf("value %d of the list: %w", i+1, err)
		}
	}
	newWB, err := replaceDefinedName(wbXML, l.Name, l.Range(len(values)))
	if err != nil {
		return nil, err
	}
	replace := map[string][]byte{wbPath: newWB, sheetPath: listSheetXML(l.Header, values)}

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if b, ok := replace[f.Name]; ok {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(b); err != nil {
				return nil, err
			}
			continue
		}
		if err := zw.Copy(f); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

// target resolves the relationship of the rels part relsPath that match
// picks to a part name; relative targets are relative to dir.
func target(parts map[string]*zip.File, relsPath, dir string, match func(relationship) bool) (string, error) {
	data, err := readPart(parts, relsPath)
	if err != nil {
		return "", err
	}
	var rels struct {
		Rel []relationship `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &rels); err != nil {
		return "", fmt.Errorf("the workbook's part %s is not readable: %v", relsPath, err)
	}
	for _, r := range rels.Rel {
		if match(r) {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join(dir, r.Target), nil
		}
	}
	return "", fmt.Errorf("the workbook's part %s lacks a relationship it needs", relsPath)
}

func readPart(parts map[string]*zip.File, name string) ([]byte, error) {
	f := parts[name]
	if f == nil {
		return nil, fmt.Errorf("not an xlsx workbook: it has no part %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The parts read here are small (workbook.xml and rels); bound them
	// all the same.
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("the workbook's part %s is not readable: %v", name, err)
	}
	return data, nil
}

// sheetRID finds the relationship id of the sheet named name in the
// workbook part.
func sheetRID(wbXML []byte, name string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wbXML, &wb); err != nil {
		return "", fmt.Errorf("the workbook part is not readable: %v", err)
	}
	var names []string
	for _, s := range wb.Sheets {
		names = append(names, s.Name)
		if s.Name != name {
			continue
		}
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				return a.Value, nil
			}
		}
	}
	return "", fmt.Errorf("it has no sheet %q (its sheets: %s), so it was not made by synth template", name, strings.Join(names, ", "))
}

// replaceDefinedName sets the text of the definedName called name.
func replaceDefinedName(wbXML []byte, name, refersTo string) ([]byte, error) {
	re := regexp.MustCompile(`(<(?:\w+:)?definedName\b[^>]*\bname="` + regexp.QuoteMeta(xmlEscape(name)) + `"[^>]*>)[^<]*(</(?:\w+:)?definedName>)`)
	loc := re.FindSubmatchIndex(wbXML)
	if loc == nil {
		return nil, fmt.Errorf("it has no defined name %s, which its drop-down lists read, so it was not made by synth template", name)
	}
	var b bytes.Buffer
	b.Write(wbXML[:loc[3]])
	b.WriteString(xmlEscape(refersTo))
	b.Write(wbXML[loc[4]:])
	return b.Bytes(), nil
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// listSheetXML is a worksheet part with header in A1 and values below it in
// column A, as inline strings (so the shared strings part stays as it is).
func listSheetXML(header string, values []string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header[:len(xml.Header)-1])
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	b.WriteString(`<cols><col min="1" max="1" width="40" customWidth="1"/></cols><sheetData>`)
	for i, v := range append([]string{header}, values...) {
		r := strconv.Itoa(i + 1)
		b.WriteString(`<row r="` + r + `"><c r="A` + r + `" t="inlineStr"><is><t xml:space="preserve">`)
		b.WriteString(xmlEscape(EscapeOOXML(v)))
		b.WriteString(`</t></is></c></row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.Bytes()
}
