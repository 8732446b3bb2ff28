package sheet

// Tests on the shared corpus of real-world workbooks (../shared/corpus from
// the repository root, see its README): every xlsx/ file is read and
// compared with excelize's formatted values, and
// every xlsx-bad/ file must give a *FileError that says what it is.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

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

// readAllExcelize reads every sheet with excelize, values formatted by
// their number formats (Rows().Columns() without RawCellValue), so that
// excelize checks our rendering of number formats independently. Built-in
// format 14 is given excelize as Excel en-US shows it (m/d/yyyy), as we do.
func readAllExcelize(path string) (names []string, out map[string]sheetCells, err error) {
	f, err := excelize.OpenFile(path, excelize.Options{ShortDatePattern: "m/d/yyyy"})
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
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
				return nil, nil, fmt.Errorf("%s row %d: %w", name, n, err)
			}
			for i, v := range cols {
				if v != "" {
					cells[Ref(i+1, n)] = v
				}
			}
		}
		rows.Close()
	}
	return names, out, nil
}

// Deliberate differences from excelize, per corpus file.
var excelizeDiffs = map[string]struct {
	why string
	// excelizeFails: excelize cannot open the file at all.
	excelizeFails bool
	// excelizeLoses: excelize gives "" where we give a value (compare
	// only the cells excelize has, and require more of ours).
	excelizeLoses bool
	// noStyles: excelize does not find the styles, so it shows numbers
	// raw; compare only the cells excelize shows as text.
	noStyles bool
	// ours: cells we must give, worked out by hand from the raw value and
	// the number format; checked instead of excelize's.
	ours map[string]map[string]string
	// cells: how many non-empty cells we must give in all, if not 0.
	cells int
}{
	"roo__Pfand_from_windows_phone.xlsx": {
		why:           "UTF-16 XML parts: excelize fails with EOF, we decode them",
		excelizeFails: true,
		cells:         14,
		ours: map[string]map[string]string{"Blatt1": {
			// 40800 in yyyy-mm-dd; 3.81, 0.7, 3.48 and 0 in #,##0.00 "€".
			"B1": "Summe", "A2": "2011-09-14", "B2": "3.81 €", "C2": "0.70 €", "D3": "3.48 €", "B7": "0.00 €",
		}},
	},
	"test_files__wtf_path.xlsx": {
		why:           "parts under wtf/: excelize does not find the shared strings and styles through the relationships and returns \"\" for every shared-string cell (13 of 31 values) and numbers raw; we follow the relationships",
		excelizeLoses: true,
		noStyles:      true,
		cells:         31,
		ours: map[string]map[string]string{"SheetJS": {
			"B1": "200%",      // 2 in 0%
			"C3": "2/19/2014", // 41689.4375 in built-in 14
		}},
	},
	"calamine__minimal_package.xlsx": {
		why:      "styles.xml at the zip root: excelize does not find it and shows the dates in column R as serials",
		noStyles: true,
		ours: map[string]map[string]string{"Sheet1": {
			"R10":  "08/22/83", // 30550 in mm\/dd\/yy
			"R103": "12/01/15", // 5814: 1915-12-01
		}},
	},
	"calamine__issue_174.xlsx": {
		why:   "<row r=\"1048576\">: excelize's Rows() walks 1,048,576 rows; we deliver only the 2 rows with values (cells compare equal)",
		cells: 22,
	},
	"calamine__date_1904.xlsx": {
		why: "excelize adds the 1904 offset to an elapsed time",
		ours: map[string]map[string]string{"Sheet1": {
			"A3": "255:10:10", // 10.6320601851852 days in [hh]:mm:ss
		}},
	},
	"test_files__1904_1904.xlsx": {
		why: "excelize reads serials 1 and 11 of the 1904 system a day or four years off",
		ours: map[string]map[string]string{"Sheet1": {
			"B1": "1904-01-02", "B2": "1904-01-12", // in yyyy\-mm\-dd;@
		}},
	},
	"calamine__date_iso.xlsx": {
		why: "a t=\"d\" cell with a date format: excelize gives the ISO text, Excel the date in the format",
		ours: map[string]map[string]string{"Sheet": {
			"A2": "2021-01-01 10:10:10", // 2021-01-01T10:10:10 in yyyy-mm-dd h:mm:ss
		}},
	},
	"test_files__xlsx-stream-d-date-cell.xlsx": {
		why: "t=\"d\" cells with date formats, as for calamine__date_iso",
		ours: map[string]map[string]string{"Sheet1": {
			"B5": "2/14/2014", // 2014-02-14T08:27:48.765Z in built-in 14
		}},
	},
	"test_files__LONumbers.xlsx": {
		why: "excelize shows #.## without its point and AM/PM of 13:36 as AM",
		ours: map[string]map[string]string{"Sheet1": {
			"B31": "1.",                                      // 1 in [RED]#.##
			"H34": "P", "H35": "PM", "H36": "P", "H37": "PM", // 1234.567 (13:36) in A/P, AM/PM
			"J34": "P", "J35": "PM", "J36": "P", "J37": "PM", // 12345.6789 (16:17)
		}},
	},
	"test_files__number_format.xlsm": {
		why: "excelize does not render ##0.0E+0 (built-in 48), finds other nearest fractions, writes 0/2 for a whole number in # ?/2, leaves the ? padding out of # ??/16 and the _) padding out of the middle, rounds mm:ss.0 to the second, and applies conditions differently",
		ours: map[string]map[string]string{
			"SSF": {
				"B2": "1.0E+0", "C2": "-1.2E+0", "D2": "12.3E+0", "E2": "-12.3E+0", "F2": "123.5E+0",
				"G2": "-123.5E+0", "H2": "1.2E+3", "I2": "-1.2E+3", "J2": "12.3E+3", "K2": "-12.3E+3",
			},
			"Implied":         {"B28": "12.3E+3", "F28": "12.3E+3"},
			"ImpliedNegative": {"B28": "-12.3E+3"},
			"2011": {
				// # ?/? and # ??/??: the nearest fraction (LibreOffice agrees).
				"D57": "12 2/7", "G57": "-123 4/9", "G58": "-123 31/68", "H59": "1234 512/903",
				// A whole number needs no fraction.
				"B60": "1", "B61": "1", "B62": "1", "B63": "1", "B64": "1", "B65": "1", "C60": "-1",
				// ??/16 pads a one-digit numerator.
				"C63": "-1  3/16", "D63": "12  5/16", "E63": "-12  5/16", "F63": "123  7/16",
				"G63": "-123  7/16", "H63": "1234  9/16", "I63": "-1234  9/16",
				"H50": "36:28.8", // 13:36:28.8 in mm:ss.0
				// _) before a currency is a space, as wide as ")" in Excel.
				"B24": "1.00 ﷼", "D24": "12.30 ﷼", "F24": "123.45 ﷼", "H24": "1,234.57 ﷼", "J24": "12,345.68 ﷼",
				// [<=9999999]###\-####;\(###\)\ ###\-####: the first section
				// takes negative numbers too, with their minus.
				"C73": "--1", "E73": "--12", "G73": "--123", "I73": "--1235", "K73": "-1-2346",
			},
		},
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
			names, theirs, err := readAllExcelize(path)
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
				compareSheet(t, name, ours[name], theirs[name], diff.ours[name], diff.excelizeLoses, diff.noStyles)
			}
		})
	}
}

// compareSheet compares our cells with excelize's formatted cells, except
// the pinned ones, after this normalisation:
//   - line ends: excelize leaves CR (from _x000D_) in values; we turn CRLF
//     and CR into LF;
//   - _xHHHH_ escapes: excelize decodes them in shared and inline strings
//     but leaves them in formula string results (t="str", as in
//     test_files__crlf_crlf B2 "abc_x000D_\ndef" and
//     test_files__formula_stress_test Text!C38 "_x0007_7_x0007_"); we decode
//     them wherever text is stored, so excelize's text is decoded before
//     comparing;
//   - padding: excelize keeps the spaces of _) and * at the ends of a
//     number, and applies a text section (\ \ @, _(@_)) to text; we drop
//     padding at the ends and leave text as stored;
//   - General: excelize shows 15 significant digits (8.33333333333333),
//     Excel at most 11 characters (8.333333333): ours must be Excel's
//     General of excelize's number;
//   - booleans: excelize's 1/0 is our TRUE/FALSE.
func compareSheet(t *testing.T, sheet string, ours, theirs sheetCells, pinned map[string]string, theyLose, noStyles bool) {
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
		if _, ok := pinned[ref]; ok {
			continue
		}
		o, ok1 := ours[ref]
		e, ok2 := theirs[ref]
		if theyLose && !ok2 {
			continue
		}
		if noStyles {
			if _, err := strconv.ParseFloat(e, 64); err == nil {
				continue // excelize shows it raw
			}
		}
		if sameValue(o, e) {
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

func sameValue(ours, theirs string) bool {
	if ours == string(normaliseCR([]byte(theirs))) || ours == string(decodeEscapes([]byte(theirs))) {
		return true
	}
	if ours == strings.Trim(theirs, " ") {
		return true
	}
	switch {
	case ours == "TRUE" && theirs == "1", ours == "FALSE" && theirs == "0":
		return true
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(theirs), 64); err == nil {
		return ours == string(appendGeneral(nil, f))
	}
	return false
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
				t.Logf("  %s = %q date=%v", Ref(c.Col, r.Num), c.Value, c.Date)
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
