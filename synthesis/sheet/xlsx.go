package sheet

// The xlsx/xlsm reader. It streams each sheet's XML out of the zip through
// a fast tokenizer and never holds a sheet in memory: what it keeps is the
// shared-string table (cells refer to it by number, in any order), each
// cell style's number format (xlsx_numfmt.go), and the sheet list. A row is handed to the
// caller as soon as its </row> is read.
//
// The package is found the way the OPC rules say, through relationships
// (_rels/.rels → workbook → workbook rels → sheets, shared strings, styles),
// so parts under unusual folders (wtf/), at the zip root, with absolute
// targets or oddly cased names are found too, with fallbacks to the usual
// names only where a writer left a relationship out.
//
// What is not an xlsx workbook is told apart before the zip is opened
// (xlsx_sniff.go), and every failure is a *FileError with one sentence a
// reviewer can act on.

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	kflate "github.com/klauspost/compress/flate"
	"github.com/synth-qda/synth/internal/scratch"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
)

// maxSheets bounds the sheet list. Excel itself is limited only by memory,
// but no workbook a reviewer keeps has thousands of sheets, and a list of a
// million (a few KB of deflated XML) would make every lookup and warning
// cost something.
const maxSheets = 10000

// sheetKind is what a sheet's part holds.
type sheetKind uint8

const (
	kindWorksheet sheetKind = iota
	kindChartsheet
)

type xlsxSheet struct {
	info Info
	part string // part name; "" when the workbook's relationship is missing
	kind sheetKind
	// missing is why the sheet cannot be read, or "".
	missing string
}

type xlsxWorkbook struct {
	sstLimit   int64 // Options.StringsInMemory, resolved
	reuseCells bool  // Options.ReuseCells
	blocks     bool  // Options.ValueBlocks
	path       string
	f          *os.File
	pkg        *zipPackage
	sheets     []xlsxSheet

	date1904    bool
	stringsPart string // "" when there is none
	stylesPart  string

	byName   map[string]int // sheet name → index in sheets; the first of duplicates
	byFolded map[string]int // the same by lower-case name

	mu           sync.Mutex
	stylesLoaded bool
	stylesErr    error
	styles       []*numFmt // by cell style; nil when all are General
	sst          *sharedStrings
	merged       map[string][]Range
	warnings     []Warning
}

// OpenXLSX opens an xlsx or xlsm workbook and reads its sheet list. Sheet
// data is read by Rows. Errors are *FileError values.
func OpenXLSX(path string, opts Options) (Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{File: path, Msg: xlsxOpenProblem(err)}
	}
	wb, err := openXLSXFile(path, f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return wb, nil
}

func xlsxOpenProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "cannot be opened: permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot be opened: " + err.Error()
}

func openXLSXFile(path string, f *os.File, opts Options) (*xlsxWorkbook, error) {
	fail := func(msg string) (*xlsxWorkbook, error) {
		return nil, &FileError{File: path, Msg: msg}
	}
	st, err := f.Stat()
	if err != nil {
		return fail(xlsxOpenProblem(err))
	}
	if st.IsDir() {
		return fail("is a folder, not a file")
	}
	size := st.Size()
	if size == 0 {
		return fail(msgEmpty)
	}
	head := make([]byte, 512)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return fail(xlsxOpenProblem(err))
	}
	head = head[:n]

	isZip := bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, zipEmptyMagic)
	if !isZip {
		msg, sure := sniffNotZip(head, f, size)
		if sure {
			return fail(msg)
		}
		// Unknown bytes: a zip with something in front of it is still a
		// zip, so let the zip reader have a look before giving up.
		if _, err := zip.NewReader(f, size); err != nil {
			return fail(msg)
		}
	}
	zr, err := zip.NewReader(f, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fail(msgTruncated)
	}
	// klauspost's inflate is a drop-in for compress/flate and measurably
	// faster; inflating the sheet XML is most of a read (see bench.sh).
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })

	wb := &xlsxWorkbook{path: path, f: f, pkg: newZipPackage(zr, limitsFor(opts)), merged: map[string][]Range{}}
	wb.pkg.prog = opts.Progress
	wb.sstLimit = scratch.Limit(opts.StringsInMemory, sstInMemory)
	wb.reuseCells, wb.blocks = opts.ReuseCells, opts.ValueBlocks
	if msg := wb.notOOXML(); msg != "" {
		return fail(msg)
	}
	if err := wb.readStructure(); err != nil {
		return nil, err
	}
	return wb, nil
}

// notOOXML recognises zip files that are other formats.
func (wb *xlsxWorkbook) notOOXML() string {
	p := wb.pkg
	if mf := p.file("mimetype"); mf != nil {
		mime, err := readSmall(mf, 256)
		if err == nil {
			switch m := strings.TrimSpace(string(mime)); {
			case strings.HasPrefix(m, "application/vnd.oasis.opendocument.spreadsheet"):
				return msgODS
			case strings.HasPrefix(m, "application/vnd.oasis.opendocument."):
				return "this is an OpenDocument file (" + strings.TrimPrefix(m, "application/vnd.oasis.opendocument.") + "), not an xlsx workbook; put the table in a spreadsheet and save it as .xlsx"
			}
		}
	}
	return ""
}

// readSmall reads a part of at most max bytes.
func readSmall(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, max))
}

// readStructure finds the workbook part and the sheets.
func (wb *xlsxWorkbook) readStructure() error {
	p := wb.pkg
	fail := func(msg string) error { return &FileError{File: wb.path, Msg: msg} }

	// The workbook: through the package relationships, else the usual
	// places.
	var wbPart string
	if rels, err := wb.readRelsOf(""); err == nil {
		for _, r := range rels {
			if r.kind == "officedocument" && !r.external {
				if name, ok := p.findPart(r.target); ok {
					wbPart = name
				} else if strings.HasSuffix(strings.ToLower(r.target), ".bin") {
					wbPart = r.target
				}
				break
			}
		}
	} else if isLimitErr(err) {
		return wb.partError("_rels/.rels", err)
	}
	if wbPart == "" {
		for _, name := range []string{"xl/workbook.xml", "workbook.xml"} {
			if p.has(name) {
				wbPart = name
				break
			}
		}
	}
	if wbPart == "" {
		for key := range p.parts {
			if path.Base(key) == "workbook.xml" && (wbPart == "" || key < wbPart) {
				wbPart = key
			}
		}
	}
	if strings.HasSuffix(strings.ToLower(wbPart), ".bin") || p.has("xl/workbook.bin") && wbPart == "" {
		return fail("this is an Excel binary workbook (.xlsb), not an xlsx workbook; open it in Excel and save it as .xlsx")
	}
	if wbPart == "" {
		switch {
		case p.has("word/document.xml"):
			return fail("this is a Word document (.docx) renamed .xlsx, not a workbook; copy the table into Excel and save it as .xlsx")
		case p.has("ppt/presentation.xml"):
			return fail("this is a PowerPoint presentation (.pptx) renamed .xlsx, not a workbook")
		case p.has("Index/Document.iwa") || p.has("Index.zip"):
			return fail("this is an Apple Numbers document, not an xlsx workbook; in Numbers choose File › Export To › Excel")
		}
		return fail("the zip archive holds no workbook part (xl/workbook.xml), so it is not an xlsx workbook or it is damaged; open it in Excel and save it as .xlsx")
	}

	x, closer, err := wb.openPart(wbPart)
	if err != nil {
		return wb.partError(wbPart, err)
	}
	wx, err := readWorkbookXML(x)
	closer.Close()
	if err != nil {
		return wb.partError(wbPart, err)
	}
	wb.date1904 = wx.date1904
	if len(wx.sheets) == 0 {
		return fail("the workbook lists no sheets (its " + displayPart(wbPart) + " is empty or damaged); open it in Excel, check it, and save it again")
	}
	if len(wx.sheets) > maxSheets {
		return fail(fmt.Sprintf("the workbook lists %d sheets, more than the %d synth reads; this looks like a damaged file: open it in Excel, check it, and save it again", len(wx.sheets), maxSheets))
	}

	relsPart := relsPartFor(wbPart)
	rels, err := wb.readRelsOf(wbPart)
	if err != nil {
		if errors.Is(err, errPartMissing) {
			return fail("the workbook has no relationships part (" + relsPart + "), so its sheets cannot be found; the file is damaged: open it in Excel or LibreOffice and save it again")
		}
		return wb.partError(relsPart, err)
	}
	byID := map[string]relationship{}
	byFoldedID := map[string]relationship{}
	for _, r := range rels {
		if _, dup := byID[r.id]; !dup {
			byID[r.id] = r
		}
		if _, dup := byFoldedID[strings.ToLower(r.id)]; !dup {
			byFoldedID[strings.ToLower(r.id)] = r
		}
		switch r.kind {
		case "sharedstrings":
			if name, ok := p.findPart(r.target); ok && wb.stringsPart == "" {
				wb.stringsPart = name
			}
		case "styles":
			if name, ok := p.findPart(r.target); ok && wb.stylesPart == "" {
				wb.stylesPart = name
			}
		}
	}
	// Writers that leave these relationships out still put the parts next
	// to the workbook.
	dir := path.Dir(wbPart)
	if wb.stringsPart == "" && p.has(path.Join(dir, "sharedStrings.xml")) {
		wb.stringsPart = path.Join(dir, "sharedStrings.xml")
	}
	if wb.stylesPart == "" && p.has(path.Join(dir, "styles.xml")) {
		wb.stylesPart = path.Join(dir, "styles.xml")
	}

	readable := 0
	wb.byName = make(map[string]int, len(wx.sheets))
	wb.byFolded = make(map[string]int, len(wx.sheets))
	for _, s := range wx.sheets {
		sh := xlsxSheet{info: Info{Name: s.name, Hidden: strings.EqualFold(s.state, "hidden") || strings.EqualFold(s.state, "veryHidden")}}
		r, ok := byID[s.relID]
		if !ok {
			r, ok = byFoldedID[strings.ToLower(s.relID)]
		}
		switch {
		case !ok || r.external:
			sh.missing = fmt.Sprintf("the workbook lists the sheet %q, but its relationships name no part for it (id %q); the file is damaged: open it in Excel or LibreOffice and save it again", s.name, s.relID)
		default:
			if r.kind == "chartsheet" {
				sh.kind = kindChartsheet
				sh.info.Chart = true
			}
			name, found := p.findPart(r.target)
			sh.part = name
			if !found {
				sh.missing = fmt.Sprintf("the workbook lists the sheet %q, but its part %s is missing from the zip; the file is damaged: open it in Excel or LibreOffice and save it again", s.name, displayPart(r.target))
			}
		}
		if sh.missing == "" {
			readable++
		} else {
			wb.warnings = append(wb.warnings, Warning{Kind: WarnSheetUnreadable, Message: wb.path + ": " + sh.missing, Where: wb.path + ":" + s.name})
		}
		if _, dup := wb.byName[sh.info.Name]; !dup {
			wb.byName[sh.info.Name] = len(wb.sheets)
		}
		if _, dup := wb.byFolded[strings.ToLower(sh.info.Name)]; !dup {
			wb.byFolded[strings.ToLower(sh.info.Name)] = len(wb.sheets)
		}
		wb.sheets = append(wb.sheets, sh)
	}
	if readable == 0 {
		first := wb.sheets[0].missing
		if len(wb.sheets) > 1 {
			first = fmt.Sprintf("none of the %d sheets the workbook lists can be found in the zip (the first: %s)", len(wb.sheets), first)
		}
		return fail(first)
	}
	return nil
}

func (wb *xlsxWorkbook) readRelsOf(source string) ([]relationship, error) {
	name := relsPartFor(source)
	x, closer, err := wb.openPart(name)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return readRels(x, source)
}

func (wb *xlsxWorkbook) openPart(name string) (*xmlReader, io.Closer, error) {
	r, closer, err := wb.pkg.open(name)
	if err != nil {
		return nil, nil, err
	}
	return newXMLReader(r, wb.pkg.sizeHint(name)), closer, nil
}

func isLimitErr(err error) bool {
	var tb *partTooBig
	return errors.As(err, &tb)
}

// partError turns a failure to read a part into a FileError.
func (wb *xlsxWorkbook) partError(part string, err error) error {
	return &FileError{File: wb.path, Msg: partProblem(part, err)}
}

func partProblem(part string, err error) string {
	var tb *partTooBig
	switch {
	case errors.As(err, &tb):
		return tb.Error()
	case errors.Is(err, errPartMissing):
		return "the part " + displayPart(part) + " is missing from the zip; the file is damaged: open it in Excel or LibreOffice and save it again"
	case errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF),
		strings.Contains(err.Error(), "flate"):
		return "the part " + displayPart(part) + " is damaged (" + err.Error() + "); copy or download the file again, or open it in Excel and save it again"
	case errors.Is(err, zip.ErrAlgorithm):
		return "the part " + displayPart(part) + " is compressed with a method synth cannot read; open the file in Excel and save it again"
	case errors.Is(err, errXMLSyntax):
		return "the part " + displayPart(part) + " is not well-formed XML (" + err.Error() + "); open the file in Excel and save it again"
	}
	return "cannot read the part " + displayPart(part) + ": " + err.Error()
}

// loadStyles reads the styles, once.
func (wb *xlsxWorkbook) loadStyles() error {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.stylesLoaded {
		return wb.stylesErr
	}
	wb.stylesLoaded = true
	if wb.stylesPart == "" {
		return nil
	}
	x, closer, err := wb.openPart(wb.stylesPart)
	if err == nil {
		wb.styles, err = readStyles(x)
		closer.Close()
	}
	if err != nil {
		wb.stylesErr = wb.partError(wb.stylesPart, err)
	}
	return wb.stylesErr
}

// sharedStrings returns the shared-string table, starting its loader the
// first time.
func (wb *xlsxWorkbook) sharedStrings() *sharedStrings {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.sst != nil {
		return wb.sst
	}
	if wb.stringsPart == "" {
		wb.sst = emptyStrings()
		return wb.sst
	}
	wb.sst = newSharedStrings()
	wb.sst.limit = wb.sstLimit
	x, closer, err := wb.openPart(wb.stringsPart)
	if err != nil {
		wb.sst.publish(nil, nil, err, true)
		close(wb.sst.finished)
		return wb.sst
	}
	go wb.sst.load(x, closer, wb.pkg.sizeHint(wb.stringsPart), !noFastPaths)
	return wb.sst
}

// Strings is a workbook's shared-string table as far as it is loaded: every
// string a row read so far refers to (Cell.Shared).
type Strings struct{ t stringTable }

// Len is the number of strings.
func (s Strings) Len() int { return s.t.len() }

// Held reports whether string i, 0 <= i < Len(), is in memory: a table
// past 64 MiB keeps only the short strings of the rest in memory, and the
// rest in a temporary file, which stays readable while the table is kept
// (it closes when neither the workbook nor any Strings of it is).
func (s Strings) Held(i int) bool { return s.t.held(i) }

// StringsCache is the block of a table's file that a reader took last.
type StringsCache struct{ c sstCache }

// Read is string i, 0 <= i < Len(): a view of the table when Held(i),
// else a copy read from its temporary file, through c unless c is nil (a
// reader going through the table in about its order then takes each 64 KB
// block once; without c, each string is one read of its own bytes).
func (s Strings) Read(i int, c *StringsCache) (string, error) {
	if c == nil {
		return s.t.strVia(i, nil)
	}
	return s.t.strVia(i, &c.c)
}

// SharedStrings is the workbook's shared-string table as far as it is
// loaded (empty if it has none).
func (wb *xlsxWorkbook) SharedStrings() Strings {
	wb.mu.Lock()
	sst := wb.sst
	wb.mu.Unlock()
	if sst == nil {
		return Strings{}
	}
	sst.mu.Lock()
	defer sst.mu.Unlock()
	return Strings{sst.strs}
}

func (wb *xlsxWorkbook) Sheets() []Info {
	out := make([]Info, len(wb.sheets))
	for i, s := range wb.sheets {
		out[i] = s.info
	}
	return out
}

// sheet finds a sheet by its name, or failing that by its name in any case
// (Excel does not allow two names that differ only in case).
func (wb *xlsxWorkbook) sheet(name string) (*xlsxSheet, error) {
	if i, ok := wb.byName[name]; ok {
		return &wb.sheets[i], nil
	}
	if i, ok := wb.byFolded[strings.ToLower(name)]; ok {
		return &wb.sheets[i], nil
	}
	return nil, SheetNotFound(wb.path, name, wb.Sheets())
}

// Rows streams the rows of the named sheet; see Workbook. A chartsheet has
// no rows. The merged ranges are recorded once the sheet is read to its end.
func (wb *xlsxWorkbook) Rows(name string, fn func(Row) error) error {
	sh, err := wb.sheet(name)
	if err != nil {
		return err
	}
	if sh.missing != "" {
		return &FileError{File: wb.path, Sheet: sh.info.Name, Msg: sh.missing}
	}
	if sh.kind == kindChartsheet {
		wb.setMerged(sh.info.Name, nil)
		return nil
	}
	if err := wb.loadStyles(); err != nil {
		return err
	}
	sst := wb.sharedStrings()
	r, closer, err := wb.pkg.open(sh.part)
	if err != nil {
		return &FileError{File: wb.path, Sheet: sh.info.Name, Msg: partProblem(sh.part, err)}
	}
	defer closer.Close()
	sr := &sheetReader{
		file: wb.path, sheet: sh.info.Name, part: sh.part, stringsPart: wb.stringsPart,
		x: newXMLReader(r, wb.pkg.sizeHint(sh.part)), sst: sst, styles: wb.styles, date1904: wb.date1904,
		fast: !noFastPaths, reuseCells: wb.reuseCells, blocks: wb.blocks,
	}
	if err := sr.read(fn); err != nil {
		return err
	}
	// A damaged string table is reported even when this sheet did not
	// need the strings past the damage, so that the same file always
	// gives the same answer.
	if err := sst.wait(); err != nil {
		return &FileError{File: wb.path, Msg: partProblem(wb.stringsPart, err)}
	}
	wb.setMerged(sh.info.Name, sr.merged)
	return nil
}

func (wb *xlsxWorkbook) setMerged(sheet string, r []Range) {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	wb.merged[sheet] = r
}

func (wb *xlsxWorkbook) Merged(name string) []Range {
	sh, err := wb.sheet(name)
	if err != nil {
		return nil
	}
	wb.mu.Lock()
	defer wb.mu.Unlock()
	return append([]Range(nil), wb.merged[sh.info.Name]...)
}

func (wb *xlsxWorkbook) Warnings() []Warning {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	return append([]Warning(nil), wb.warnings...)
}

// Close stops the shared-string loader if a Rows call left it running (fn
// returned an error) and closes the file.
func (wb *xlsxWorkbook) Close() error {
	wb.mu.Lock()
	sst := wb.sst
	wb.mu.Unlock()
	if sst != nil {
		// The table's file, if it made one, stays: Strings taken of it
		// read from it. It closes once nothing holds it (scratch).
		sst.cancel()
	}
	return wb.f.Close()
}
