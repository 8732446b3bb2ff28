package sheet

// Streaming one worksheet: <sheetData><row><c><v>… into Rows, and
// <mergeCells> into ranges.
//
// Positions: a <row> or <c> without r= is the one after the previous (as
// SpreadsheetGear, LibreOffice hand-edits and some Chinese writers produce).
// The <dimension> element is never read: it is missing or wrong too often
// (A1:XFD1048576 for two rows of Gnumeric data), and rows are only ever
// visited when they are in the file, so <row r="1048576"> costs one row,
// not a million.

import (
	"bytes"
	"fmt"
	"slices"
	"unsafe"
)

// Excel's sheet size.
const (
	maxRows = 1 << 20
	maxCols = 1 << 14
)

type cellType uint8

const (
	ctNumber cellType = iota
	ctShared
	ctInline
	ctFormulaStr
	ctBool
	ctError
	ctDate
	ctOther
)

// textTarget is where character data goes.
type textTarget uint8

const (
	toNowhere textTarget = iota
	toV
	toIs
)

type sheetReader struct {
	file, sheet, part string
	reuseCells        bool   // hand every row's cells in s.cells (Options.ReuseCells)
	blocks            bool   // make values in shared blocks (Options.ValueBlocks)
	block             []byte // the block being filled
	stringsPart       string
	x                 *xmlReader
	sst               *sharedStrings
	strs              stringTable // what sst held when last asked
	sstCache          sstCache    // the last block of strs taken from its file
	styles            []*numFmt
	date1904          bool
	fast              bool // use fastCell

	merged []Range
	// tooManyMerges is set once maxMerges ranges are held; the rest are
	// read and dropped, so that the part's size limit can refuse a sheet
	// of endless merges before this does.
	tooManyMerges bool

	// the row being read
	inSheetData, inRow bool
	rowNum             int // 0 until known
	lastRow            int
	lastCol            int
	cells              []Cell
	unsorted           bool

	// the cell being read
	inCell      bool
	col         int
	ctype       cellType
	style       int
	v, is       []byte
	hasV, hasIs bool
	inIs        bool
	rph         int
	target      textTarget
	date        bool  // the value just made is a date or time
	shared      int32 // 1 + the shared-string place of the value just made; 0 if none
	tooLong     bool  // the cell's text passed maxCellText and was dropped
}

// maxCellText bounds the text kept of one cell or shared string (bytes of
// XML, before entities are decoded). Excel holds at most 32,767 characters
// in a cell, so only a crafted file passes it; the rest of such a text is
// read and dropped, so that a part that is one giant text node is refused
// by its size limit, or, if it ends first, by this one, never held whole.
const maxCellText = 8 << 20

// maxMerges bounds the merged ranges kept of one sheet (32 bytes each).
const maxMerges = 1 << 20

// appendCellText appends raw text to a cell's, or reports false when that
// would pass maxCellText.
func appendCellText(dst, raw []byte) ([]byte, bool) {
	if len(dst)+len(raw) > maxCellText {
		return dst, false
	}
	return appendUnescaped(dst, raw), true
}

func (s *sheetReader) appendText(dst, raw []byte) []byte {
	dst, ok := appendCellText(dst, raw)
	if !ok {
		s.tooLong = true
	}
	return dst
}

// cellTooLong is the message for a cell past maxCellText.
func cellTooLong(what string) string {
	return fmt.Sprintf("%s holds more than %s of text, and a cell holds at most 32,767 characters in Excel; the file is damaged or crafted", what, byteSize(maxCellText, " "))
}

func (s *sheetReader) fail(col, row int, msg string) error {
	e := &FileError{File: s.file, Sheet: s.sheet, Msg: msg}
	if col > 0 && row > 0 {
		e.Ref = Ref(col, row)
	}
	return e
}

func (s *sheetReader) read(fn func(Row) error) error {
	for {
		if s.inRow && !s.inCell && s.fast {
			done, err := s.fastCell()
			if err != nil {
				return err
			}
			if done {
				continue
			}
		}
		_, err := s.x.next()
		t := &s.x.tok
		if err != nil {
			return s.fail(0, 0, partProblem(s.part, err))
		}
		switch t.kind {
		case xmlEOF:
			// A well-formed sheet has closed everything; a damaged one
			// that simply stops still gives the rows it has.
			if s.tooManyMerges {
				return s.fail(0, 0, fmt.Sprintf("the sheet has more than %d merged ranges, which only a damaged or crafted file has", maxMerges))
			}
			return s.endRow(fn)
		case xmlStart:
			if err := s.start(t, fn); err != nil {
				return err
			}
		case xmlEnd:
			if err := s.end(t.name, fn); err != nil {
				return err
			}
		case xmlText:
			switch s.target {
			case toV:
				s.v = s.appendText(s.v, t.text)
			case toIs:
				s.is = s.appendText(s.is, t.text)
			}
		case xmlCDATA:
			switch s.target {
			case toV:
				s.v = normaliseCRTail(append(s.v, t.text...), len(s.v))
			case toIs:
				s.is = normaliseCRTail(append(s.is, t.text...), len(s.is))
			}
		}
	}
}

// noFastPaths turns off fastCell and fastSI for the sheets and string
// tables read from then on, so that tests can check that they give what
// the general path gives. Only tests set it, between reads.
var noFastPaths = false

// fastCell reads a cell written the way nearly every writer writes one,
// <c attrs><f>…</f><v>text</v></c> (the formula optional),
// <c attrs><is><t>text</t></is></c>, <c attrs/> or <c attrs></c>,
// straight out of the tokenizer's window, sparing the five to nine tokens
// and their dispatch that the general path spends on it. It consumes the
// start tag and then as much of that shape as is there, and leaves
// whatever else follows (rich text, a prefix, a comment, the end of the
// window) to the general path, with the state the general path would have
// had at that point. done reports whether it consumed anything.
func (s *sheetReader) fastCell() (done bool, err error) {
	x := s.x
	if x.end-x.pos < 1024 {
		x.more(1024) // at the end of the part, what there is
	}
	w := x.buf[x.pos:x.end]
	if len(w) < 4 || w[0] != '<' || w[1] != 'c' || !(w[2] == ' ' || w[2] == '>' || w[2] == '/') {
		return false, nil
	}
	// The attributes, in one pass that also finds the end of the tag;
	// anything unusual (spaces around '=', more than 8 attributes, a tag
	// running past the window) is left to the general path untouched.
	var attrs [8][4]int32 // key start, key end, value start, value end
	nattr := 0
	i := 2
	selfClosing := false
	for {
		for i < len(w) && isXMLSpace(w[i]) {
			i++
		}
		if i >= len(w) {
			return false, nil
		}
		if w[i] == '>' {
			break
		}
		if w[i] == '/' {
			if i+1 >= len(w) || w[i+1] != '>' {
				return false, nil
			}
			selfClosing = true
			i++
			break
		}
		k := i
		for i < len(w) && w[i] != '=' && w[i] != '>' && w[i] != '/' && !isXMLSpace(w[i]) {
			if w[i] == '"' || w[i] == '\'' {
				// Not an attribute name: where the tag ends is the
				// general path's business.
				return false, nil
			}
			i++
		}
		if i+1 >= len(w) || w[i] != '=' || (w[i+1] != '"' && w[i+1] != '\'') || nattr == len(attrs) {
			return false, nil
		}
		j := indexShort(w[i+2:], w[i+1])
		if j < 0 {
			return false, nil
		}
		attrs[nattr] = [4]int32{int32(k), int32(i), int32(i + 2), int32(i + 2 + j)}
		nattr++
		i += 2 + j + 1
	}
	end := i
	x.pos += end + 1
	s.beginCell()
	for _, a := range attrs[:nattr] {
		if err := s.cellAttr(w[a[0]:a[1]], w[a[2]:a[3]]); err != nil {
			return true, err
		}
	}
	if err := s.cellStarted(selfClosing); err != nil || selfClosing {
		return true, err
	}
	rest := w[end+1:]
	if len(rest) >= 2 && rest[0] == '<' && rest[1] == 'f' && len(rest) > 2 && (rest[2] == '>' || rest[2] == ' ' || rest[2] == '/') {
		fend := tagEnd(rest)
		if fend < 0 {
			return true, nil
		}
		n := fend + 1
		if rest[fend-1] != '/' {
			close := bytes.Index(rest[n:], []byte("</f>"))
			if close < 0 || bytes.IndexByte(rest[n:n+close], '<') >= 0 {
				// Not there yet, or markup (CDATA, a comment, or a stray
				// '<' that makes the part malformed) inside the formula:
				// the general path reads it, and fails where it must.
				return true, nil
			}
			n += close + 4
		}
		x.pos += n
		rest = rest[n:]
	}
	switch {
	case bytes.HasPrefix(rest, []byte("</c>")):
		x.pos += 4
		return true, s.endCell()
	case bytes.HasPrefix(rest, []byte("<v>")):
		text := rest[3:]
		i := indexShort(text, '<')
		if i < 0 || !bytes.HasPrefix(text[i:], []byte("</v>")) {
			return true, nil
		}
		s.hasV = true
		s.v = appendUnescaped(s.v[:0], text[:i])
		x.pos += 3 + i + 4
		if !bytes.HasPrefix(text[i+4:], []byte("</c>")) {
			return true, nil
		}
		x.pos += 4
		return true, s.endCell()
	case bytes.HasPrefix(rest, []byte("<is>")):
		// An inline string, as openpyxl writes every text cell.
		text, n, ok := plainText(rest, "is")
		if !ok {
			return true, nil
		}
		s.hasIs = true
		s.is = s.appendText(s.is[:0], text)
		x.pos += n
		if !bytes.HasPrefix(rest[n:], []byte("</c>")) {
			return true, nil
		}
		x.pos += 4
		return true, s.endCell()
	}
	return true, nil
}

// indexShort is bytes.IndexByte for the short values of cell attributes
// and numbers, where a plain loop beats the call into the vector routine.
func indexShort(b []byte, c byte) int {
	for i := 0; i < len(b) && i < 16; i++ {
		if b[i] == c {
			return i
		}
	}
	if len(b) <= 16 {
		return -1
	}
	if i := bytes.IndexByte(b[16:], c); i >= 0 {
		return 16 + i
	}
	return -1
}

// tagEnd returns the index in w of the '>' that ends the tag w starts
// with, or -1 if it is not in w. A '>' in a quoted value does not end it.
func tagEnd(w []byte) int {
	var quote byte
	for i := 1; i < len(w); i++ {
		c := w[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '>':
			return i
		case c == '"' || c == '\'':
			quote = c
		}
	}
	return -1
}

// normaliseCRTail applies XML line-end handling to b[from:].
func normaliseCRTail(b []byte, from int) []byte {
	return append(b[:from], normaliseCR(b[from:])...)
}

func (s *sheetReader) start(t *xmlToken, fn func(Row) error) error {
	name := t.name
	switch {
	case s.inCell:
		switch string(name) {
		case "v":
			s.hasV = true
			if !t.selfClosing {
				s.target = toV
			}
		case "is":
			s.hasIs = true
			s.inIs = !t.selfClosing
		case "t":
			if s.inIs && s.rph == 0 && !t.selfClosing {
				s.target = toIs
			}
		case "rPh":
			if s.inIs && !t.selfClosing {
				s.rph++
			}
		case "c":
			// A cell not closed before the next: close it.
			if err := s.endCell(); err != nil {
				return err
			}
			return s.startCell(t)
		case "row":
			if err := s.endRow(fn); err != nil {
				return err
			}
			return s.startRow(t, fn)
		}
	case s.inRow:
		switch string(name) {
		case "c":
			return s.startCell(t)
		case "row":
			if err := s.endRow(fn); err != nil {
				return err
			}
			return s.startRow(t, fn)
		}
	case s.inSheetData:
		if string(name) == "row" {
			return s.startRow(t, fn)
		}
	default:
		switch string(name) {
		case "sheetData":
			s.inSheetData = !t.selfClosing
		case "mergeCell":
			if len(s.merged) == maxMerges {
				s.tooManyMerges = true
				break
			}
			if ref, ok := attrValue(t.attrs, "ref"); ok {
				if r, ok := parseRange(ref); ok {
					if len(s.merged) == cap(s.merged) && len(s.merged) >= 1024 {
						// Double, not the 1.25× append grows large
						// slices by, which would allocate five times
						// the ranges over a sheet of a million of them.
						s.merged = slices.Grow(s.merged, len(s.merged))
					}
					s.merged = append(s.merged, r)
				}
			}
		}
	}
	return nil
}

func (s *sheetReader) end(name []byte, fn func(Row) error) error {
	switch string(name) {
	case "v":
		if s.target == toV {
			s.target = toNowhere
		}
	case "t":
		if s.target == toIs {
			s.target = toNowhere
		}
	case "rPh":
		if s.rph > 0 {
			s.rph--
		}
	case "is":
		s.inIs = false
		if s.target == toIs {
			s.target = toNowhere
		}
	case "c":
		if s.inCell {
			return s.endCell()
		}
	case "row":
		return s.endRow(fn)
	case "sheetData":
		err := s.endRow(fn)
		s.inSheetData = false
		return err
	}
	return nil
}

func (s *sheetReader) startRow(t *xmlToken, fn func(Row) error) error {
	s.inRow = true
	s.rowNum = 0
	s.lastCol = 0
	s.cells = s.cells[:0]
	s.unsorted = false
	for a := t.attrs; ; {
		k, v, rest, ok := nextAttr(a)
		if !ok {
			break
		}
		a = rest
		if len(k) == 1 && k[0] == 'r' {
			n, ok := parseIndex(v)
			if !ok || n < 1 || n > maxRows {
				return s.fail(0, 0, fmt.Sprintf("a row has the number %q, which is not a row of a sheet (1 to %d); the file is damaged: open it in Excel and save it again", v, maxRows))
			}
			s.rowNum = n
			break
		}
	}
	if t.selfClosing {
		return s.endRow(fn)
	}
	return nil
}

// endRow hands the row to fn if it has a non-empty cell.
func (s *sheetReader) endRow(fn func(Row) error) error {
	if s.inCell {
		if err := s.endCell(); err != nil {
			return err
		}
	}
	if !s.inRow {
		return nil
	}
	s.inRow = false
	num, err := s.currentRow()
	if err != nil {
		return err
	}
	s.lastRow = num
	if len(s.cells) == 0 {
		return nil
	}
	cells := s.cells // reused for the next row (Options.ReuseCells)
	if !s.reuseCells {
		cells = make([]Cell, len(s.cells))
		copy(cells, s.cells)
	}
	if s.unsorted {
		cells = sortCells(cells)
	}
	return fn(Row{Num: num, Cells: cells})
}

// currentRow settles the number of a row without r=: from its first cell's
// reference, else the row after the previous.
func (s *sheetReader) currentRow() (int, error) {
	if s.rowNum == 0 {
		s.rowNum = s.lastRow + 1
		if s.rowNum > maxRows {
			return 0, s.fail(0, 0, fmt.Sprintf("the sheet has more than %d rows, the most a sheet can have; the file is damaged", maxRows))
		}
	}
	return s.rowNum, nil
}

// sortCells puts cells written out of order in column order; of two cells
// at the same column the later one wins, as when Excel reads the file.
func sortCells(cells []Cell) []Cell {
	slices.SortStableFunc(cells, func(a, b Cell) int { return a.Col - b.Col })
	out := cells[:0]
	for i, c := range cells {
		if i+1 < len(cells) && cells[i+1].Col == c.Col {
			continue
		}
		out = append(out, c)
	}
	return out
}

func (s *sheetReader) startCell(t *xmlToken) error {
	s.beginCell()
	for a := t.attrs; ; {
		k, v, rest, ok := nextAttr(a)
		if !ok {
			break
		}
		a = rest
		if err := s.cellAttr(k, v); err != nil {
			return err
		}
	}
	return s.cellStarted(t.selfClosing)
}

// beginCell resets the cell state for a new <c>.
func (s *sheetReader) beginCell() {
	if !s.inRow {
		// A <c> straight inside <sheetData>: give it a row of its own.
		s.inRow = true
		s.rowNum, s.lastCol, s.cells, s.unsorted = 0, 0, s.cells[:0], false
	}
	s.inCell = true
	s.col = 0
	s.ctype = ctNumber
	s.style = 0
	s.v, s.is = s.v[:0], s.is[:0]
	s.hasV, s.hasIs, s.inIs = false, false, false
	s.tooLong = false
	s.rph = 0
	s.target = toNowhere
}

// cellAttr takes one attribute of a <c>: r, t and s matter.
func (s *sheetReader) cellAttr(k, v []byte) error {
	if len(k) != 1 {
		return nil
	}
	switch k[0] {
	case 'r':
		col, row, ok := parseRef(v)
		if !ok || col == 0 {
			return s.badRef(v)
		}
		s.col = col
		if s.rowNum == 0 && row > 0 {
			s.rowNum = row
		}
	case 't':
		s.ctype = parseCellType(v)
	case 's':
		if n, ok := parseIndex(v); ok {
			s.style = n
		}
	}
	return nil
}

func (s *sheetReader) badRef(v []byte) error {
	return s.fail(0, 0, fmt.Sprintf("a cell has the reference %q, which is not a cell of a sheet; the file is damaged: open it in Excel and save it again", v))
}

// cellStarted completes the start of a cell once its attributes are read.
func (s *sheetReader) cellStarted(selfClosing bool) error {
	if s.col == 0 {
		s.col = s.lastCol + 1
		if s.col > maxCols {
			row, _ := s.currentRow()
			return s.fail(0, 0, fmt.Sprintf("row %d has more than %d columns, the most a sheet can have; the file is damaged", row, maxCols))
		}
	}
	if selfClosing {
		return s.endCell()
	}
	return nil
}

func parseCellType(t []byte) cellType {
	switch string(t) {
	case "", "n":
		return ctNumber
	case "s":
		return ctShared
	case "inlineStr":
		return ctInline
	case "str":
		return ctFormulaStr
	case "b":
		return ctBool
	case "e":
		return ctError
	case "d":
		return ctDate
	}
	return ctOther
}

func (s *sheetReader) endCell() error {
	s.inCell = false
	s.target = toNowhere
	s.inIs = false
	if s.col <= s.lastCol {
		s.unsorted = true
	}
	s.lastCol = max(s.lastCol, s.col)
	if s.tooLong {
		row, _ := s.currentRow()
		return s.fail(s.col, row, cellTooLong("the cell"))
	}
	val, err := s.value()
	if err != nil {
		return err
	}
	if val != "" {
		s.cells = append(s.cells, Cell{Col: s.col, Value: val, Date: s.date, Shared: s.shared})
		if s.unsorted && len(s.cells) >= 2*maxCols {
			// The same cells written again and again: keep the last of
			// each, so that a row holds at most a sheet's width.
			s.cells = sortCells(s.cells)
		}
	}
	return nil
}

// valueBlock is the size of the blocks Options.ValueBlocks copies values
// into; a value of more than a quarter of it gets a string of its own.
const valueBlock = 16 << 10

// keep is b as a string that stays valid: a copy, in the block being
// filled when Options.ValueBlocks asks for blocks.
func (s *sheetReader) keep(b []byte) string {
	if !s.blocks || len(b) == 0 || len(b) > valueBlock/4 {
		return string(b)
	}
	if cap(s.block)-len(s.block) < len(b) {
		s.block = make([]byte, 0, valueBlock)
	}
	n := len(s.block)
	s.block = append(s.block, b...)
	return unsafe.String(&s.block[n], len(b))
}

// value is the text of the cell just read, as Excel shows it; it sets
// s.date when that is a date or time, and s.shared when a shared string.
func (s *sheetReader) value() (string, error) {
	s.date, s.shared = false, 0
	text := func(b []byte) string { return s.keep(decodeEscapes(b)) }
	switch s.ctype {
	case ctShared:
		raw := trimXMLSpace(s.v)
		if len(raw) == 0 {
			if s.hasIs {
				return text(s.is), nil
			}
			return "", nil
		}
		i, ok := parseIndex(raw)
		if ok && i >= s.strs.len() {
			var err error
			if s.strs, err = s.sst.get(i); err != nil {
				return "", &FileError{File: s.file, Msg: partProblem(s.stringsPart, err)}
			}
		}
		if !ok || i >= s.strs.len() {
			row, _ := s.currentRow()
			return "", s.fail(s.col, row, fmt.Sprintf("the cell refers to shared string %q, but the workbook's shared-string table has %d strings; the file is damaged: open it in Excel and save it again", raw, s.strs.len()))
		}
		if i < 1<<31-1 {
			s.shared = int32(i + 1)
		}
		v, err := s.strs.strVia(i, &s.sstCache)
		if err != nil {
			return "", &FileError{File: s.file, Msg: err.Error()}
		}
		return v, nil
	case ctInline:
		if s.hasIs {
			return text(s.is), nil
		}
		return text(s.v), nil
	case ctFormulaStr:
		if s.hasV || !s.hasIs {
			return text(s.v), nil
		}
		return text(s.is), nil
	}
	raw := trimXMLSpace(s.v)
	if len(raw) == 0 {
		if s.hasIs {
			return text(s.is), nil
		}
		return "", nil
	}
	switch s.ctype {
	case ctBool:
		switch string(raw) {
		case "1", "true", "TRUE", "True":
			return "TRUE", nil
		case "0", "false", "FALSE", "False":
			return "FALSE", nil
		}
		return string(raw), nil
	case ctError:
		return string(raw), nil
	case ctDate:
		return s.dateValue(raw), nil
	case ctNumber:
		if s.style < len(s.styles) {
			if nf := s.styles[s.style]; nf != nil {
				if f, ok := parseNumber(raw); ok {
					v, date := nf.format(f, s.date1904)
					s.date = date
					return v, nil
				}
			}
		}
		return formatNumber(raw), nil
	}
	return text(s.v), nil
}

// dateValue is the text of a t="d" cell (an ISO 8601 date, time or both,
// as openpyxl and streaming writers put it): shown with the cell's number
// format when that is a date format, as Excel does once it has read the
// cell as a serial; else in ISO 8601 (formatISODate), since a date in
// General would show as a bare serial number. Text that is not a date is
// kept as written and is not a date.
func (s *sheetReader) dateValue(raw []byte) string {
	serial, isDate, ok := isoSerialOf(raw, s.date1904)
	s.date = isDate
	if ok && s.style < len(s.styles) {
		if nf := s.styles[s.style]; nf.isDate() {
			if v, date := nf.format(serial, s.date1904); date {
				return v
			}
		}
	}
	return formatISODate(raw)
}

// parseIndex reads a shared-string index: digits only, below 2^31.
func parseIndex(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n < 1<<31
}

// parseRef reads an A1 reference; the row part may be absent (row 0).
// A '$' before the letters or the digits is allowed.
func parseRef(b []byte) (col, row int, ok bool) {
	i := 0
	if i < len(b) && b[i] == '$' {
		i++
	}
	for ; i < len(b); i++ {
		c := b[i] | 0x20 // lower case; digits and '$' stay out of a–z
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxCols {
			return 0, 0, false
		}
	}
	if i < len(b) && b[i] == '$' {
		i++
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
		if row > maxRows {
			return 0, 0, false
		}
	}
	if col == 0 && row == 0 {
		return 0, 0, false
	}
	return col, row, true
}

// parseRange reads A1:B2 (or a single cell) into a range.
func parseRange(ref string) (Range, bool) {
	a, b := ref, ref
	for i := 0; i < len(ref); i++ {
		if ref[i] == ':' {
			a, b = ref[:i], ref[i+1:]
			break
		}
	}
	c1, r1, ok1 := parseRef([]byte(a))
	c2, r2, ok2 := parseRef([]byte(b))
	if !ok1 || !ok2 || c1 == 0 || c2 == 0 || r1 == 0 || r2 == 0 {
		return Range{}, false
	}
	return Range{FromCol: min(c1, c2), FromRow: min(r1, r2), ToCol: max(c1, c2), ToRow: max(r1, r2)}, true
}
