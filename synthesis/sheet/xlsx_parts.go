package sheet

// The small parts of a package, read whole: relationships, workbook.xml,
// the shared-string table and the styles (kept only as each cell style's
// number format).

import (
	"net/url"
	"path"
	"strconv"
	"strings"
)

// relationship is one <Relationship> of a .rels part, its target resolved
// to a part name.
type relationship struct {
	id, kind, target string
	external         bool
}

// relKind is the last segment of a relationship type, lower-cased: both
// transitional (schemas.openxmlformats.org/officeDocument/2006/relationships/
// worksheet) and Strict (purl.oclc.org/ooxml/officeDocument/relationships/
// worksheet) types end in the same word.
func relKind(typ string) string {
	if i := strings.LastIndexByte(typ, '/'); i >= 0 {
		typ = typ[i+1:]
	}
	return strings.ToLower(typ)
}

// relsPartFor is the relationships part of a source part:
// xl/workbook.xml → xl/_rels/workbook.xml.rels; "" (the package) → _rels/.rels.
func relsPartFor(source string) string {
	if source == "" {
		return "_rels/.rels"
	}
	dir, base := path.Split(source)
	return dir + "_rels/" + base + ".rels"
}

// resolveTarget turns a relationship target into a part name: relative to
// the source part's folder, or from the package root when it starts with
// "/". Backslashes are taken as separators and ".." cannot climb above the
// root.
func resolveTarget(source, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	var p string
	if strings.HasPrefix(target, "/") {
		p = path.Clean(target)
	} else {
		p = path.Clean("/" + path.Join(path.Dir("/"+source), target))
	}
	return strings.TrimPrefix(p, "/")
}

func readRels(x *xmlReader, source string) ([]relationship, error) {
	var rels []relationship
	for {
		_, err := x.next()
		t := &x.tok
		if err != nil {
			return rels, err
		}
		switch t.kind {
		case xmlEOF:
			return rels, nil
		case xmlStart:
			if string(t.name) != "Relationship" {
				continue
			}
			var r relationship
			var target string
			for a := t.attrs; ; {
				k, v, rest, ok := nextAttr(a)
				if !ok {
					break
				}
				switch string(localName(k)) {
				case "Id":
					r.id = attrString(v)
				case "Type":
					r.kind = relKind(attrString(v))
				case "Target":
					target = attrString(v)
				case "TargetMode":
					r.external = strings.EqualFold(attrString(v), "External")
				}
				a = rest
			}
			if !r.external {
				r.target = resolveTarget(source, target)
			}
			rels = append(rels, r)
		}
	}
}

// findPart returns the name of the part a target names as the zip holds
// it: as written, or percent-decoded (OPC part names are URIs, so a space
// may be written %20).
func (p *zipPackage) findPart(target string) (string, bool) {
	if p.has(target) {
		return target, true
	}
	if u, err := url.PathUnescape(target); err == nil && u != target && p.has(u) {
		return u, true
	}
	return target, false
}

// workbookSheet is a <sheet> of workbook.xml.
type workbookSheet struct {
	name, state, relID string
}

type workbookXML struct {
	sheets   []workbookSheet
	date1904 bool
}

func readWorkbookXML(x *xmlReader) (workbookXML, error) {
	var wb workbookXML
	inSheets := false
	for {
		_, err := x.next()
		t := &x.tok
		if err != nil {
			return wb, err
		}
		switch t.kind {
		case xmlEOF:
			return wb, nil
		case xmlStart:
			switch string(t.name) {
			case "workbookPr":
				for a := t.attrs; ; {
					k, v, rest, ok := nextAttr(a)
					if !ok {
						break
					}
					if string(k) == "date1904" {
						s := strings.TrimSpace(attrString(v))
						wb.date1904 = s == "1" || strings.EqualFold(s, "true")
					}
					a = rest
				}
			case "sheets":
				inSheets = !t.selfClosing
			case "sheet":
				if !inSheets {
					continue
				}
				var s workbookSheet
				var plainID string
				for a := t.attrs; ; {
					k, v, rest, ok := nextAttr(a)
					if !ok {
						break
					}
					switch {
					case string(k) == "name":
						s.name = attrString(v)
					case string(k) == "state":
						s.state = attrString(v)
					case string(k) == "id":
						plainID = attrString(v)
					case string(localName(k)) == "id":
						// r:id, or any other prefix bound to the
						// relationships namespace (ns:id).
						s.relID = attrString(v)
					}
					a = rest
				}
				if s.relID == "" {
					s.relID = plainID
				}
				wb.sheets = append(wb.sheets, s)
			}
		case xmlEnd:
			if string(t.name) == "sheets" {
				inSheets = false
			}
		}
	}
}

// readStyles returns, for each cell format (<cellXfs><xf>) in order, its
// compiled number format (ECMA-376 Part 1 §18.8.10 cellXfs, §18.8.30
// numFmt): a custom <numFmt> of the same id if there is one, else the
// built-in format of that id. Only that is kept: fonts, fills and the rest
// do not change a value. The result is nil when every cell format is
// General, which keeps the common case on the reader's fast path.
func readStyles(x *xmlReader) ([]*numFmt, error) {
	custom := map[int]string{}
	var fmtIDs []int
	inNumFmts, inCellXfs := false, false
	for {
		_, err := x.next()
		t := &x.tok
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case xmlEOF:
			compiled := map[int]*numFmt{}
			formats := make([]*numFmt, len(fmtIDs))
			any := false
			for i, id := range fmtIDs {
				nf, done := compiled[id]
				if !done {
					code, ok := custom[id]
					if !ok {
						code = builtinFormat(id)
					}
					nf = compileFormat(code)
					compiled[id] = nf
				}
				formats[i] = nf
				any = any || nf != nil
			}
			if !any {
				return nil, nil
			}
			return formats, nil
		case xmlStart:
			switch string(t.name) {
			case "numFmts":
				inNumFmts = !t.selfClosing
			case "cellXfs":
				inCellXfs = !t.selfClosing
			case "numFmt":
				if !inNumFmts {
					continue // a differential format's, not a cell's
				}
				id, ok := attrInt(t.attrs, "numFmtId")
				if !ok {
					continue
				}
				code, _ := attrValue(t.attrs, "formatCode")
				custom[id] = code
			case "xf":
				if inCellXfs {
					id, _ := attrInt(t.attrs, "numFmtId")
					fmtIDs = append(fmtIDs, id)
				}
			}
		case xmlEnd:
			switch string(t.name) {
			case "numFmts":
				inNumFmts = false
			case "cellXfs":
				inCellXfs = false
			}
		}
	}
}

// attrValue returns the decoded value of the attribute named name.
func attrValue(attrs []byte, name string) (string, bool) {
	for {
		k, v, rest, ok := nextAttr(attrs)
		if !ok {
			return "", false
		}
		if string(k) == name {
			return attrString(v), true
		}
		attrs = rest
	}
}

func attrInt(attrs []byte, name string) (int, bool) {
	s, ok := attrValue(attrs, name)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
