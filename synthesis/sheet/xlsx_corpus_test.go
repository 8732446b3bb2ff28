package sheet

// Tests on the shared corpus of real-world workbooks (../shared/corpus from
// the repository root,
// see its README): every xlsx/ file is read and compared with excelize, and
// every xlsx-bad/ file must give a *FileError that says what it is.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func corpusDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus folder %s is absent (%v); the corpus tests need the shared corpus checked out next to the repository", dir, err)
	}
	return dir
}

func corpusFiles(t testing.TB, sub string) []string {
	dir := corpusDir(t, sub)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// sheetCells is a sheet as reference → value.
type sheetCells map[string]string

// readAllXLSX reads every sheet of a workbook with our reader.
func readAllXLSX(t testing.TB, path string) ([]Info, map[string]sheetCells) {
	t.Helper()
	wb, err := OpenXLSX(path, Options{})
	if err != nil {
		t.Fatalf("OpenXLSX: %v", err)
	}
	defer wb.Close()
	out := map[string]sheetCells{}
	for _, info := range wb.Sheets() {
		cells := sheetCells{}
		lastRow := 0
		err := wb.Rows(info.Name, func(r Row) error {
			if r.Num <= lastRow {
				return fmt.Errorf("row %d after row %d", r.Num, lastRow)
			}
			lastRow = r.Num
			lastCol := 0
			if len(r.Cells) == 0 {
				return fmt.Errorf("row %d has no cells", r.Num)
			}
			for _, c := range r.Cells {
				if c.Col <= lastCol {
					return fmt.Errorf("row %d: column %d after %d", r.Num, c.Col, lastCol)
				}
				if c.Value == "" {
					return fmt.Errorf("row %d: empty cell %d", r.Num, c.Col)
				}
				lastCol = c.Col
				cells[Ref(c.Col, r.Num)] = c.Value
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Rows(%q): %v", info.Name, err)
		}
		out[info.Name] = cells
	}
	return wb.Sheets(), out
}

// readAllExcelize reads every sheet with excelize, raw values (no number
// formats applied), the way the corpus README's baseline was measured.
func readAllExcelize(path string) (names []string, date1904 bool, out map[string]sheetCells, err error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, false, nil, err
	}
	defer f.Close()
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	out = map[string]sheetCells{}
	names = f.GetSheetList()
	for _, name := range names {
		cells := sheetCells{}
		out[name] = cells
		rows, err := f.Rows(name)
		if err != nil {
			continue // a chartsheet
		}
		n := 0
		for rows.Next() {
			n++
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return nil, false, nil, fmt.Errorf("%s row %d: %w", name, n, err)
			}
			for i, v := range cols {
				if v != "" {
					cells[Ref(i+1, n)] = v
				}
			}
		}
		rows.Close()
	}
	return names, date1904, out, nil
}

// Deliberate differences from excelize, per corpus file.
var excelizeDiffs = map[string]struct {
	why string
	// excelizeFails: excelize cannot open the file at all.
	excelizeFails bool
	// excelizeLoses: excelize gives "" where we give a value (compare
	// only the cells excelize has, and require more of ours).
	excelizeLoses bool
	// ours: cells we must give, checked instead of or besides excelize.
	ours map[string]map[string]string
	// cells: how many non-empty cells we must give in all, if not 0.
	cells int
}{
	"roo__Pfand_from_windows_phone.xlsx": {
		why:           "UTF-16 XML parts: excelize fails with EOF, we decode them",
		excelizeFails: true,
		cells:         14,
		ours: map[string]map[string]string{"Blatt1": {
			"B1": "Summe", "A2": "2011-09-14", "B2": "3.81", "C2": "0.7", "D3": "3.48", "B7": "0",
		}},
	},
	"test_files__wtf_path.xlsx": {
		why:           "parts under wtf/: excelize does not find the shared strings and styles through the relationships and returns \"\" for every shared-string cell (13 of 31 values); we follow the relationships",
		excelizeLoses: true,
		cells:         31,
	},
	"calamine__issue_174.xlsx": {
		why:   "<row r=\"1048576\">: excelize's Rows() walks 1,048,576 rows; we deliver only the 2 rows with values (cells compare equal)",
		cells: 22,
	},
}

func TestCorpusMatchesExcelize(t *testing.T) {
	for _, path := range corpusFiles(t, "xlsx") {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			infos, ours := readAllXLSX(t, path)
			diff := excelizeDiffs[base]
			if diff.cells != 0 {
				n := 0
				for _, c := range ours {
					n += len(c)
				}
				if n != diff.cells {
					t.Errorf("%d non-empty cells, want %d", n, diff.cells)
				}
			}
			for sheet, want := range diff.ours {
				for ref, v := range want {
					if got := ours[sheet][ref]; got != v {
						t.Errorf("%s!%s = %q, want %q", sheet, ref, got, v)
					}
				}
			}
			names, date1904, theirs, err := readAllExcelize(path)
			if diff.excelizeFails {
				if err == nil {
					t.Errorf("excelize now opens this file; drop it from excelizeDiffs (%s)", diff.why)
				}
				return
			}
			if err != nil {
				t.Fatalf("excelize: %v", err)
			}
			var ourNames []string
			for _, in := range infos {
				ourNames = append(ourNames, in.Name)
			}
			if strings.Join(ourNames, "\x00") != strings.Join(names, "\x00") {
				t.Errorf("sheets = %q, excelize %q", ourNames, names)
			}
			for _, name := range names {
				compareSheet(t, name, ours[name], theirs[name], date1904, diff.excelizeLoses)
			}
		})
	}
}

// compareSheet compares our cells with excelize's raw cells after this
// normalisation:
//   - line ends: excelize leaves CR (from _x000D_) in values; we turn CRLF
//     and CR into LF;
//   - _xHHHH_ escapes: excelize decodes them in shared and inline strings
//     but leaves them in formula string results (t="str", as in
//     test_files__crlf_crlf B2 "abc_x000D_\ndef" and
//     test_files__formula_stress_test Text!C38 "_x0007_7_x0007_"); we decode
//     them wherever text is stored, so excelize's text is decoded before
//     comparing;
//   - numbers: equal as float64 (excelize returns <v> as written, we write
//     the shortest round-trip decimal);
//   - booleans: excelize's raw 1/0 is our TRUE/FALSE;
//   - dates: where we write an ISO date, time or date-time, excelize's raw
//     serial must be the same instant within a second (excelize applies no
//     format in raw mode, so this checks our style-based date detection
//     against the serial, not against excelize's rendering);
//   - t="d" cells: excelize returns the ISO text as written, we rewrite it
//     in our ISO shape; the same instant must result.
func compareSheet(t *testing.T, sheet string, ours, theirs sheetCells, date1904, theyLose bool) {
	t.Helper()
	refs := map[string]bool{}
	for r := range ours {
		refs[r] = true
	}
	for r := range theirs {
		refs[r] = true
	}
	var sorted []string
	for r := range refs {
		sorted = append(sorted, r)
	}
	sort.Strings(sorted)
	bad := 0
	for _, ref := range sorted {
		o, ok1 := ours[ref]
		e, ok2 := theirs[ref]
		if theyLose && !ok2 {
			continue
		}
		if sameValue(o, e, date1904) {
			continue
		}
		bad++
		if bad <= 10 {
			t.Errorf("%s!%s: ours %q (%v), excelize %q (%v)", sheet, ref, clip(o), ok1, clip(e), ok2)
		}
	}
	if bad > 10 {
		t.Errorf("%s: %d differences in all", sheet, bad)
	}
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func sameValue(ours, theirs string, date1904 bool) bool {
	if ours == string(normaliseCR([]byte(theirs))) || ours == string(decodeEscapes([]byte(theirs))) {
		return true
	}
	switch {
	case ours == "TRUE" && theirs == "1", ours == "FALSE" && theirs == "0":
		return true
	}
	of, err1 := strconv.ParseFloat(ours, 64)
	ef, err2 := strconv.ParseFloat(strings.TrimSpace(theirs), 64)
	if err1 == nil && err2 == nil {
		return of == ef || math.Abs(of-ef) <= 1e-15*math.Abs(ef)
	}
	if err2 == nil {
		if s, ok := isoSerial(ours, date1904); ok {
			return math.Abs(s-ef) < 1.0/86400
		}
	}
	if s1, ok := isoSerial(ours, date1904); ok {
		if s2, ok := isoSerial(formatISODate([]byte(theirs)), date1904); ok {
			return math.Abs(s1-s2) < 1.0/86400
		}
	}
	return false
}

// isoSerial turns our ISO date, date-time or time back into a serial,
// independently of formatSerial.
func isoSerial(s string, date1904 bool) (float64, bool) {
	if t, err := time.Parse("15:04:05", s); err == nil {
		return float64(t.Hour()*3600+t.Minute()*60+t.Second()) / 86400, true
	}
	if h, m, sec, ok := elapsed(s); ok {
		return float64(h*3600+m*60+sec) / 86400, true
	}
	if rest, ok := strings.CutPrefix(s, "1900-02-29"); ok && !date1904 {
		frac := 0.0
		if rest != "" {
			c, err := time.Parse("T15:04:05", rest)
			if err != nil {
				return 0, false
			}
			frac = float64(c.Hour()*3600+c.Minute()*60+c.Second()) / 86400
		}
		return 60 + frac, true
	}
	var t time.Time
	var err error
	if t, err = time.Parse("2006-01-02", s); err != nil {
		if t, err = time.Parse("2006-01-02T15:04:05", s); err != nil {
			return 0, false
		}
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	serial := t.Sub(base).Seconds() / 86400
	if !date1904 && serial < 61 {
		serial-- // before the fictitious 1900-02-29
	}
	return serial, true
}

func elapsed(s string) (h, m, sec int, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var err [3]error
	h, err[0] = strconv.Atoi(parts[0])
	m, err[1] = strconv.Atoi(parts[1])
	sec, err[2] = strconv.Atoi(parts[2])
	return h, m, sec, err[0] == nil && err[1] == nil && err[2] == nil
}

// The fast paths (fastCell, fastSI) read every corpus workbook exactly as
// the general path does.
func TestCorpusFastPathsMatchGeneralPath(t *testing.T) {
	for _, path := range corpusFiles(t, "xlsx") {
		_, fast := readAllXLSX(t, path)
		noFastPaths = true
		_, slow := readAllXLSX(t, path)
		noFastPaths = false
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: the fast paths read differently", filepath.Base(path))
		}
	}
}

// The must-fail files: each gives a *FileError with the key phrase.
func TestCorpusBadFiles(t *testing.T) {
	want := map[string]string{
		"excelize__encryptAES.xlsx":                "password-protected",
		"calamine__pass_protected.xlsx":            "password-protected",
		"roo__type_excel.xlsx":                     "legacy Excel 97–2003 .xls",
		"roo__type_openoffice.xlsx":                "OpenDocument spreadsheet (.ods)",
		"xlsx__badfile_noWorksheets.xlsx":          "missing from the zip",
		"xlsx__badfile_noWorkbookRels.xlsx":        "no relationships part",
		"excelize__BadWorkbook.xlsx":               "lists no sheets",
		"derived__truncated_rich_text_stress.xlsx": "damaged or truncated",
		"derived__empty.xlsx":                      "empty",
	}
	files := corpusFiles(t, "xlsx-bad")
	for _, path := range files {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			phrase, ok := want[base]
			if !ok {
				t.Fatalf("no expected phrase for %s; add one", base)
			}
			err := readWholeWorkbook(path)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want a *FileError", err, err)
			}
			if !strings.Contains(fe.Msg, phrase) {
				t.Errorf("error %q does not say %q", err, phrase)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}
	if len(files) != len(want) {
		t.Errorf("%d files in xlsx-bad, %d expected", len(files), len(want))
	}
}

// readWholeWorkbook opens a workbook and reads every sheet, returning the
// first error.
func readWholeWorkbook(path string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	wb, err := OpenXLSX(path, Options{})
	if err != nil {
		return err
	}
	defer wb.Close()
	for _, s := range wb.Sheets() {
		if err := wb.Rows(s.Name, func(Row) error { return nil }); err != nil {
			return err
		}
	}
	return nil
}

// TestDumpXLSX prints every cell of the workbook named by $SYNTH_DUMP_XLSX,
// for looking at a file while debugging.
func TestDumpXLSX(t *testing.T) {
	path := os.Getenv("SYNTH_DUMP_XLSX")
	if path == "" {
		t.Skip("set SYNTH_DUMP_XLSX=file.xlsx to print its cells")
	}
	wb, err := OpenXLSX(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, s := range wb.Sheets() {
		t.Logf("sheet %+v", s)
		err := wb.Rows(s.Name, func(r Row) error {
			for _, c := range r.Cells {
				t.Logf("  %s = %q", Ref(c.Col, r.Num), c.Value)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		t.Logf("  merged %v", wb.Merged(s.Name))
	}
	t.Logf("warnings %v", wb.Warnings())
}
