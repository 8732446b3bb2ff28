// Package example holds synth's worked example, a thematic synthesis modelled
// on a UK review of patients' experiences of social prescribing (Handayani,
// Wanat & Tierney, BJGP 2024, doi 10.3399/BJGP.2024.0179), and writes it as a
// project folder: synth.yaml, codebook.yaml, README.md and extracts.xlsx.
//
// The sources are in data/: the project file, codebook and README are copied
// as they are; the workbook is generated from two tab-separated files that
// are easy to read and diff:
//
//   - data/extracts.tsv: ID, Study, Extract, Codes, Type, Page, Coder. Every
//     row names its study; the workbook writes the study only on the first
//     row of each study (the project reads it with fill_down).
//   - data/studies.tsv: the studies table, written to the Studies sheet as is.
//
// Fields hold no tabs or newlines. The committed copy in
// testdata/social-prescribing is refreshed with `go generate` and checked by
// this package's tests.
package example

//go:generate go run ./mkexample ../../testdata/social-prescribing

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Name is the example's name, as in `synth init --example social-prescribing`.
const Name = "social-prescribing"

// Names lists the worked examples, for "synth init --example".
func Names() []string { return []string{Name} }

// Timestamp is the fixed creation and modification time of the workbook.
const Timestamp = "2024-09-12T00:00:00Z"

//go:embed data/synth.yaml data/codebook.yaml data/README.md data/extracts.tsv data/studies.tsv
var data embed.FS

// File is one file of the example project.
type File struct {
	Name string // relative to the project folder
	Data []byte
}

// Project returns the files of the worked example called name, as Files
// does; an unknown name is an error that lists the examples.
func Project(name string) ([]File, error) {
	if name != Name {
		return nil, fmt.Errorf("no example %q; examples are %s", name, strings.Join(Names(), ", "))
	}
	return Files()
}

// Files returns the example project's files, in a fixed order.
func Files() ([]File, error) {
	var files []File
	for _, name := range []string{"synth.yaml", "codebook.yaml", "README.md"} {
		b, err := data.ReadFile("data/" + name)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: name, Data: b})
	}
	var buf bytes.Buffer
	if err := Workbook(&buf); err != nil {
		return nil, err
	}
	files = append(files, File{Name: "extracts.xlsx", Data: buf.Bytes()})
	return files, nil
}

// Write writes the example project into dir, creating it if needed and
// overwriting the example's files.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Table is a header and rows of cells read from one of the TSV sources.
type Table struct {
	Header []string
	Rows   [][]string
}

// Col returns the index of the column named name, or -1.
func (t *Table) Col(name string) int {
	for i, h := range t.Header {
		if h == name {
			return i
		}
	}
	return -1
}

// Extracts returns data/extracts.tsv.
func Extracts() (*Table, error) { return readTSV("data/extracts.tsv") }

// Studies returns data/studies.tsv.
func Studies() (*Table, error) { return readTSV("data/studies.tsv") }

func readTSV(name string) (*Table, error) {
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	t := &Table{Header: strings.Split(lines[0], "\t")}
	for i, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		if len(cells) != len(t.Header) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d", name, i+2, len(cells), len(t.Header))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, nil
}

// column widths of the two sheets, by header
var widths = map[string]float64{
	"ID": 7, "Study": 7, "Extract": 80, "Codes": 36, "Type": 12, "Page": 7, "Coder": 7,
	"Study ID": 9, "Label": 10, "Region": 18, "Setting": 44, "Design": 24,
	"Data collection": 28, "Analysis": 22, "Participants": 24, "Population": 32,
	"Quality": 10,
}

// Workbook writes extracts.xlsx: the sheet Extracts, then Studies. The output
// is the same, byte for byte, on every run.
func Workbook(w io.Writer) error {
	ex, err := Extracts()
	if err != nil {
		return err
	}
	st, err := Studies()
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()

	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E2F3"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	if err != nil {
		return err
	}
	body, err := f.NewStyle(&excelize.Style{
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	if err != nil {
		return err
	}

	// Extracts: the study only on the first row of each study.
	study := ex.Col("Study")
	rows := make([][]string, len(ex.Rows))
	prev := ""
	for i, r := range ex.Rows {
		rows[i] = append([]string(nil), r...)
		if r[study] == prev {
			rows[i][study] = ""
		}
		prev = r[study]
	}
	if err := f.SetSheetName("Sheet1", "Extracts"); err != nil {
		return err
	}
	if err := writeSheet(f, "Extracts", ex.Header, rows, header, body); err != nil {
		return err
	}
	if _, err := f.NewSheet("Studies"); err != nil {
		return err
	}
	if err := writeSheet(f, "Studies", st.Header, st.Rows, header, body); err != nil {
		return err
	}
	f.SetActiveSheet(0)

	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          "Experiences of social prescribing among patients in the UK: coded extracts (illustrative)",
		Subject:        "Worked example for synth, modelled on Handayani, Wanat & Tierney, BJGP 2024, doi 10.3399/BJGP.2024.0179",
		Description:    "Illustrative studies and extracts written for the synth worked example; not data from the review.",
		Creator:        "synth example",
		LastModifiedBy: "synth example",
		Created:        Timestamp,
		Modified:       Timestamp,
		Language:       "en-GB",
	}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func writeSheet(f *excelize.File, sheet string, head []string, rows [][]string, headerStyle, bodyStyle int) error {
	for c, h := range head {
		cell, err := excelize.CoordinatesToCellName(c+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(c + 1)
		width, ok := widths[h]
		if !ok {
			width = 10 // CASP 1 … CASP 10
		}
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue // a blank cell, not an empty string
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+2)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	last, err := excelize.CoordinatesToCellName(len(head), len(rows)+1)
	if err != nil {
		return err
	}
	lastHead, _ := excelize.CoordinatesToCellName(len(head), 1)
	if err := f.SetCellStyle(sheet, "A1", lastHead, headerStyle); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A2", last, bodyStyle); err != nil {
		return err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}
