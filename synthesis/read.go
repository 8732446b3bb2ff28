package synthesis

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// Error is a data problem at a place: file:Sheet!D14 for a cell,
// file:line:col for YAML, or just a file.
type Error struct {
	Where string
	Msg   string
}

func (e *Error) Error() string { return e.Where + ": " + e.Msg }

func errorAt(where, format string, args ...any) error {
	return &Error{Where: where, Msg: fmt.Sprintf(format, args...)}
}

// table is a sheet read into memory as rows of the columns asked for.
type table struct {
	file, sheet  string // project-relative file, sheet name
	headerRow    int
	headerFields int      // fields of the header record, for CSV; 0 for workbooks
	headers      []string // every header found, as written, in column order
	headerCols   []int    // their columns
	blankCols    []int    // columns inside the header's span whose header cell is blank
	rows         []tableRow
	warnings     []Warning // ragged records and the like, in row order
	// strs is, for a workbook with a shared-string table, the table as far
	// as read, and more returns it as far as read now: it holds the texts
	// of the table's extracts (store.text).
	strs sheet.Strings
	more func() sheet.Strings
}

// rowChunk is how many rows' values a table allocates at once.
const rowChunk = 4096

type tableRow struct {
	num     int
	vals    []string // aligned with the wanted columns
	dates   []bool   // aligned with vals when a wanted cell held a date; else nil
	textSST int32    // 1 + the place of vals[fText] in its workbook's shared-string table (sheet.Cell.Shared); 0 if none
	heading bool     // the row is a section heading merged across mapped columns
}

// sealStrings lets the workbook go once the table's rows are read: strs
// already holds every string an extract of the table refers to (hasShared
// took it as far as needed), and a table none refers to keeps none.
func (t *table) sealStrings() { t.more = nil }

// hasShared reports whether strs holds string i of the workbook's
// shared-string table, taking the table as far as it is read if not.
func (t *table) hasShared(i int32) bool {
	if int(i) >= t.strs.Len() && t.more != nil {
		t.strs = t.more()
	}
	return int(i) < t.strs.Len()
}

func (t *table) where(col, row int) string { return sheet.Where(t.file, t.sheet, col, row) }

// headerWhere is the place of the header row: file:Sheet!3.
func (t *table) headerWhere() string { return t.file + ":" + t.sheet + "!" + fmt.Sprint(t.headerRow) }

// column finds a column for a name from synth.yaml: a letter reference
// written "$C", else a header by folded name. It returns 0 when absent, and
// an error when the header names two columns.
func (t *table) column(name string) (int, error) {
	if c, ok := letterRef(name); ok {
		return c, nil
	}
	k := fold.Key(name)
	found := 0
	for i, h := range t.headers {
		if fold.Key(h) != k {
			continue
		}
		if found != 0 {
			return 0, errorAt(t.headerWhere(), "the header %q heads two columns, %s and %s; name the one you mean by its letter, e.g. $%s",
				strings.TrimSpace(name), sheet.ColName(found), sheet.ColName(t.headerCols[i]), sheet.ColName(found))
		}
		found = t.headerCols[i]
	}
	return found, nil
}

// header returns the header written above col, or its letter when blank.
func (t *table) header(col int) string {
	for i, c := range t.headerCols {
		if c == col {
			return t.headers[i]
		}
	}
	return "$" + sheet.ColName(col)
}

// letterRef reads a column letter reference "$C" (1-based column; XFD is the
// last column Excel has).
func letterRef(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || len(s) > 4 || s[0] != '$' {
		return 0, false
	}
	col := 0
	for _, r := range s[1:] {
		switch {
		case r >= 'A' && r <= 'Z':
			col = col*26 + int(r-'A') + 1
		case r >= 'a' && r <= 'z':
			col = col*26 + int(r-'a') + 1
		default:
			return 0, false
		}
	}
	return col, col <= 16384
}

// missingColumn is the error for a required header that is not there.
// A letter reference ($C) always names a column, so it never reaches here.
// No header named in taken (another field's, as folded) is suggested for
// it: a deleted Codes column is not "Coder".
func (t *table) missingColumn(name, what string, taken ...string) error {
	var found []string
	for _, h := range t.headers {
		found = append(found, fmt.Sprintf("%q", h))
	}
	msg := fmt.Sprintf("no %s column %q in the header row %d", what, name, t.headerRow)
	if len(t.blankCols) > 0 {
		// A blank header cell is the likeliest place of a missing header.
		var letters []string
		for _, c := range t.blankCols {
			letters = append(letters, sheet.ColName(c))
		}
		msg += fmt.Sprintf("; the header cell of column %s is blank: write %q in %s%d, or name the column by its letter (%s: $%s)",
			strings.Join(letters, ", "), name, letters[0], t.headerRow, what, letters[0])
	} else if s := fold.Suggest(name, slices.DeleteFunc(slices.Clone(t.headers), func(h string) bool {
		return slices.ContainsFunc(taken, func(o string) bool { return fold.Key(o) == fold.Key(h) })
	})); s != "" {
		msg += fmt.Sprintf(`; did you mean %q?`, s)
	}
	if len(found) == 0 {
		msg += "; the header row is empty"
	} else {
		msg += "; found " + strings.Join(found, ", ")
	}
	return errorAt(t.headerWhere(), "%s", msg)
}

// workbook opens a spreadsheet of the project, naming it project-relative in
// errors.
type source struct {
	rel string
	wb  sheet.Workbook
}

func openSource(p *Project, rel string, opts sheet.Options) (*source, error) {
	// readRows copies every value it keeps out of a row's cells, and
	// clones the cells of a short CSV record it holds on to. The values
	// are made in shared blocks: a source's values are all kept while
	// its rows are, and what outlives the rows (a study's, a coder's or a
	// code's spelling, a remembered codes cell, a warning's example) is
	// copied where it is kept.
	opts.ReuseCells, opts.ValueBlocks = true, true
	wb, err := sheet.Open(p.Path(rel), opts)
	if err != nil {
		return nil, relabel(err, p.Path(rel), rel)
	}
	return &source{rel: filepath.ToSlash(filepath.Clean(rel)), wb: wb}, nil
}

// relabel rewrites a sheet error to name the file as the project does.
func relabel(err error, path, rel string) error {
	var fe *sheet.FileError
	if errors.As(err, &fe) {
		c := *fe
		c.File = filepath.ToSlash(filepath.Clean(rel))
		c.Msg = strings.ReplaceAll(c.Msg, path, c.File)
		return &c
	}
	return err
}

// pickSheet chooses the sheet to read: the one named (matched exactly, then by
// folded name), else the result of fallback.
func (s *source) pickSheet(name string, fallback func([]sheet.Info) (string, bool)) (string, error) {
	infos := s.wb.Sheets()
	if name != "" {
		for _, in := range infos {
			if in.Name == name {
				return in.Name, nil
			}
		}
		for _, in := range infos {
			if fold.Key(in.Name) == fold.Key(name) {
				return in.Name, nil
			}
		}
		return "", relabel(sheet.SheetNotFound(s.rel, name, infos), s.rel, s.rel)
	}
	if n, ok := fallback(infos); ok {
		return n, nil
	}
	return "", &sheet.FileError{File: s.rel, Msg: "has no visible worksheet to read; name one with \"sheet:\" in synth.yaml"}
}

func firstVisible(infos []sheet.Info) (string, bool) {
	for _, in := range infos {
		if !in.Hidden && !in.Chart {
			return in.Name, true
		}
	}
	return "", false
}

// read reads a sheet. The header is row headerRow (1-based), or the first
// non-empty row when headerRow is 0; want(headers) returns the columns to
// keep, a column possibly more than once. Merged ranges fill the cells they
// cover; a row that is one merged range across several wanted columns is a
// section heading. A CSV record with more or fewer fields than the header
// is a ragged-row warning; two short records that together make one are
// joined (a raw line break in an unquoted field).
func (s *source) read(sheetName string, headerRow int, want func(t *table) ([]int, error)) (*table, error) {
	return s.readRows(sheetName, headerRow, want, nil)
}

// streamBatch is how many rows readRows hands to emit at a time.
const streamBatch = 512

// readRows is read, but with emit set it hands the rows to emit in batches
// of streamBatch, in order, as they are read, instead of keeping them in
// the table, and leaves merged cells to the caller: the returned table has
// the header, the warnings and no rows. emit is called on the reading
// goroutine, never after readRows returns.
func (s *source) readRows(sheetName string, headerRow int, want func(t *table) ([]int, error), emit func(*table, []tableRow)) (*table, error) {
	t := &table{file: s.rel, sheet: sheetName}
	if wb, ok := s.wb.(interface{ SharedStrings() sheet.Strings }); ok {
		t.more = wb.SharedStrings
	}
	var cols []int
	var colIndex [][]int // the wanted indexes of each 1-based column
	// joined is the join of the short CSV records in parts, which the next
	// records may complete (raw line breaks in an unquoted field).
	var joined *sheet.Row
	var parts []sheet.Row
	var probeErr error // the first header row's error, while looking for the header lower down
	probeFrom := 0
	// vals are cut from chunks of rowChunk rows: a million rows are then a
	// few hundred allocations, not a million.
	var chunk []string
	add := func(r sheet.Row) {
		if len(chunk) < len(cols) {
			chunk = make([]string, rowChunk*len(cols))
		}
		row := tableRow{num: r.Num, vals: chunk[:len(cols):len(cols)]}
		any := false
		for _, c := range r.Cells {
			if c.Col >= len(colIndex) {
				continue
			}
			for _, i := range colIndex[c.Col] {
				row.vals[i] = c.Value
				any = true
				if i == fText {
					row.textSST = c.Shared
				}
				if c.Date {
					if row.dates == nil {
						row.dates = make([]bool, len(cols))
					}
					row.dates[i] = true
				}
			}
		}
		if any {
			t.rows = append(t.rows, row)
			chunk = chunk[len(cols):] // else nothing was written there: the next row takes the place
			if emit != nil && len(t.rows) == streamBatch {
				emit(t, t.rows)
				t.rows = make([]tableRow, 0, streamBatch)
			}
		}
	}
	ragged := func(r *sheet.Row) {
		t.warnings = append(t.warnings, Warning{Kind: WarnRaggedRow, Where: fmt.Sprintf("%s:%d", t.file, r.Line),
			Message: fmt.Sprintf("line %d has %d fields where the header has %d, so its values may sit under the wrong headers; quote fields that hold line breaks or the delimiter", r.Line, r.Fields, t.headerFields)})
	}
	// flush reads short records that no later one completed as they are.
	flush := func() {
		for i := range parts {
			ragged(&parts[i])
			add(parts[i])
		}
		joined, parts = nil, nil
	}
	err := s.wb.Rows(sheetName, func(r sheet.Row) error {
		if t.headerRow == 0 {
			if headerRow > 0 && r.Num < headerRow {
				return nil
			}
			if headerRow > 0 && r.Num > headerRow {
				return errorAt(fmt.Sprintf("%s:%s!%d", t.file, sheetName, headerRow), "header_row is %d but that row is empty", headerRow)
			}
			t.headerRow, t.headerFields = r.Num, r.Fields
			last := 0
			for _, c := range r.Cells {
				for col := last + 1; col < c.Col; col++ {
					t.blankCols = append(t.blankCols, col)
				}
				last = c.Col
				t.headers = append(t.headers, fold.Clean(c.Value))
				t.headerCols = append(t.headerCols, c.Col)
			}
			for col := last + 1; col <= r.Fields; col++ {
				t.blankCols = append(t.blankCols, col) // CSV: empty trailing header fields
			}
			var err error
			if cols, err = want(t); err != nil {
				if headerRow > 0 {
					return err
				}
				// A title or a note above the header: look a few rows on
				// for a row that would do, to say which header_row to set.
				if probeErr == nil {
					probeErr = err
				} else if r.Num-probeFrom >= 10 {
					return probeErr
				}
				if probeFrom == 0 {
					probeFrom = r.Num
				}
				t.headerRow, t.headers, t.headerCols, t.blankCols = 0, nil, nil, nil
				return nil
			}
			if probeErr != nil {
				var e *Error
				if errors.As(probeErr, &e) {
					return errorAt(e.Where, "%s; row %d has the headers: add \"header_row: %d\" to this source in synth.yaml", e.Msg, r.Num, r.Num)
				}
				return probeErr
			}
			colIndex = make([][]int, slices.Max(append([]int{0}, cols...))+1)
			for i, c := range cols {
				if c > 0 {
					colIndex[c] = append(colIndex[c], i)
				}
			}
			return nil
		}
		if t.headerFields == 0 || r.Fields == 0 || r.Fields == t.headerFields {
			flush()
			add(r)
			return nil
		}
		if joined != nil {
			switch total := joined.Fields + r.Fields - 1; {
			case total == t.headerFields:
				parts = append(parts, r)
				t.warnings = append(t.warnings, Warning{Kind: WarnRaggedRow, Where: fmt.Sprintf("%s:%d", t.file, parts[0].Line),
					Message: joinedMessage(parts, t.headerFields, t.header(parts[0].Fields))})
				add(joinRecords(*joined, r))
				joined, parts = nil, nil
				return nil
			case total < t.headerFields:
				j := joinRecords(*joined, r)
				joined = &j
				p := r
				p.Cells = slices.Clone(r.Cells)
				parts = append(parts, p)
				return nil
			}
			flush()
		}
		if r.Fields < t.headerFields {
			p := r
			p.Cells = slices.Clone(r.Cells)
			joined, parts = &p, []sheet.Row{p}
			return nil
		}
		ragged(&r)
		add(r)
		return nil
	})
	if err != nil {
		return nil, relabel(err, s.rel, s.rel)
	}
	flush()
	if emit != nil {
		if len(t.rows) > 0 {
			emit(t, t.rows)
		}
		t.rows = nil // as read whole leaves it once its rows are read
	}
	if probeErr != nil && t.headerRow == 0 {
		return nil, probeErr
	}
	if t.headerRow == 0 {
		if headerRow > 0 {
			return nil, &sheet.FileError{File: s.rel, Sheet: sheetName, Msg: fmt.Sprintf("header_row is %d but the sheet has no rows from there on", headerRow)}
		}
		return nil, &sheet.FileError{File: s.rel, Sheet: sheetName, Msg: "the sheet is empty; it needs a header row and one row per extract"}
	}
	if emit == nil {
		fillMerged(t, s.wb.Merged(sheetName), cols)
	}
	return t, nil
}

// joinedMessage says which lines were read as one record.
func joinedMessage(parts []sheet.Row, header int, field string) string {
	lines := make([]string, len(parts))
	fields := make([]string, len(parts))
	for i, p := range parts {
		lines[i], fields[i] = fmt.Sprint(p.Line), fmt.Sprint(p.Fields)
	}
	and := func(xs []string) string {
		if len(xs) == 2 {
			return xs[0] + " and " + xs[1]
		}
		return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
	}
	return fmt.Sprintf("lines %s have %s fields where the header has %d; read as one record whose %s field holds a line break (quote such fields)",
		and(lines), and(fields), header, field)
}

// joinRecords joins a short CSV record with the one after it: the last
// field of a and the first of b are one field with a line break in it.
func joinRecords(a, b sheet.Row) sheet.Row {
	out := sheet.Row{Num: a.Num, Line: a.Line, Fields: a.Fields + b.Fields - 1}
	out.Cells = slices.Clone(a.Cells)
	for _, c := range b.Cells {
		c.Col += a.Fields - 1
		if c.Col == a.Fields && len(out.Cells) > 0 && out.Cells[len(out.Cells)-1].Col == a.Fields {
			out.Cells[len(out.Cells)-1].Value += "\n" + c.Value
			continue
		}
		out.Cells = append(out.Cells, c)
	}
	return out
}

// fillMerged gives every cell of a merged range the value of its top-left
// cell, as a reviewer sees it in Excel, and marks section headings: rows
// whose only content is one range merged across two or more wanted columns.
func fillMerged(t *table, merged []sheet.Range, cols []int) {
	if len(merged) == 0 {
		return
	}
	byNum := make(map[int]int, len(t.rows))
	for i, r := range t.rows {
		byNum[r.num] = i
	}
	for _, m := range merged {
		top, ok := byNum[m.FromRow]
		if !ok {
			continue // the top-left cell holds nothing we read
		}
		span, only := 0, true
		for i, c := range cols {
			in := c >= m.FromCol && c <= m.ToCol
			if in {
				span++
			} else if t.rows[top].vals[i] != "" {
				only = false
			}
		}
		if span >= 2 && only && m.ToCol > m.FromCol {
			for rn := m.FromRow; rn <= m.ToRow; rn++ {
				if ri, ok := byNum[rn]; ok {
					t.rows[ri].heading = true
				}
			}
			continue
		}
		// The value sits in the top-left cell.
		src := slices.Index(cols, m.FromCol)
		if src < 0 {
			continue
		}
		v := t.rows[top].vals[src]
		for i, c := range cols {
			if c < m.FromCol || c > m.ToCol {
				continue
			}
			for rn := m.FromRow; rn <= m.ToRow; rn++ {
				ri, ok := byNum[rn]
				if !ok || (rn == m.FromRow && c == m.FromCol) {
					continue
				}
				if t.rows[ri].vals[i] == "" {
					t.rows[ri].vals[i] = v
				}
			}
		}
	}
}
