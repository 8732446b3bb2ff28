package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/internal/example"
	"github.com/xuri/excelize/v2"
)

type initOptions struct {
	example string
	force   bool
}

func newInitCmd(g *globals) *cobra.Command {
	o := &initOptions{}
	c := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a project: synth.yaml, codebook.yaml and an extracts workbook",
		Long: `Init writes a new project into DIR (default the current folder): synth.yaml,
a starter codebook.yaml and extracts.xlsx, a workbook with an Extracts sheet
and a Studies sheet whose headers synth reads by default. Replace the example
rows with your own, then run "synth validate" and "synth build".

With --example social-prescribing it writes the worked example instead: a
19-study synthesis modelled on a UK review of patients' experiences of social
prescribing.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := projectArg(args, 0)
			if dir == "" {
				dir = "."
			}
			return initRun(g, o, dir)
		},
	}
	c.Flags().StringVar(&o.example, "example", "", "write a worked example instead: "+strings.Join(example.Names(), ", "))
	c.Flags().BoolVar(&o.force, "force", false, "overwrite files that already exist")
	return c
}

func initRun(g *globals, o *initOptions, dir string) error {
	var files map[string][]byte
	if o.example != "" {
		project, err := example.Project(o.example)
		if err != nil {
			return usagef("--example: %v", err)
		}
		files = map[string][]byte{}
		for _, f := range project {
			files[f.Name] = f.Data
		}
	} else {
		tmpl, err := templateWorkbook()
		if err != nil {
			return err
		}
		files = map[string][]byte{
			"synth.yaml":    []byte(starterProject),
			"codebook.yaml": []byte(starterCodebook),
			"extracts.xlsx": tmpl,
		}
	}
	names := slices.Sorted(maps.Keys(files))
	if !o.force {
		for _, name := range names {
			p := filepath.Join(dir, name)
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s already exists; use --force to overwrite it, or choose another folder", p)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	for _, name := range names {
		if err := writeAtomic(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	g.notef("wrote %s to %s; next: synth validate %s && synth build %s", strings.Join(names, ", "), dir, dir, dir)
	return nil
}

const starterProject = `# synth project: see "synth build --help".
version: 1
title: My thematic synthesis
codebook: codebook.yaml
studies:
  file: extracts.xlsx
  sheet: Studies
extracts:
  - file: extracts.xlsx
    sheet: Extracts
    separator: ";"
    fill_down: [study]
output:
  dir: out
`

const starterCodebook = `# Codes, descriptive themes and analytical themes (Thomas & Harden 2008).
version: 1
levels: [analytical, descriptive]
codes:
  - name: Example code
    definition: What the code means, so that a second coder applies it the same way.
themes:
  - name: Example analytical theme
    finding: One or two sentences that state the review finding.
    themes:
      - name: Example descriptive theme
        codes: [Example code]
`

// templateWorkbook is an extracts workbook with the default headers, one
// example row per sheet, and drop-down lists for the type and CASP columns.
func templateWorkbook() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Extracts"); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("Studies"); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	sheets := []struct {
		name   string
		header []string
		row    []string
		widths []float64
	}{
		{"Extracts",
			[]string{"ID", "Study", "Extract", "Codes", "Type", "Location", "Coder"},
			[]string{"E001", "S01", "Replace this row with a participant quotation or an author interpretation from the study.", "Example code", "participant", "p. 1", "AB"},
			[]float64{8, 8, 70, 30, 12, 10, 8}},
		{"Studies",
			append([]string{"ID", "Author", "Year", "Country", "Setting", "Design", "Participants", "Quality"}, caspHeaders()...),
			append([]string{"S01", "Example author", "2024", "UK", "Primary care", "Semi-structured interviews", "20", "high"}, repeat("Yes", 10)...),
			nil},
	}
	for _, s := range sheets {
		for i, h := range s.header {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			if err := f.SetCellStr(s.name, cell, h); err != nil {
				return nil, err
			}
			cell2, _ := excelize.CoordinatesToCellName(i+1, 2)
			if err := f.SetCellStr(s.name, cell2, s.row[i]); err != nil {
				return nil, err
			}
			col, _ := excelize.ColumnNumberToName(i + 1)
			w := 14.0
			if i < len(s.widths) {
				w = s.widths[i]
			}
			if err := f.SetColWidth(s.name, col, col, w); err != nil {
				return nil, err
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(s.header), 1)
		if err := f.SetCellStyle(s.name, "A1", last, bold); err != nil {
			return nil, err
		}
		lastCol, _ := excelize.ColumnNumberToName(len(s.header))
		if err := f.SetColStyle(s.name, "A:"+lastCol, wrap); err != nil {
			return nil, err
		}
		if err := f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
	}
	typ := excelize.NewDataValidation(true)
	typ.Sqref = "E2:E10000"
	if err := typ.SetDropList([]string{"participant", "author"}); err != nil {
		return nil, err
	}
	if err := f.AddDataValidation("Extracts", typ); err != nil {
		return nil, err
	}
	casp := excelize.NewDataValidation(true)
	casp.Sqref = "I2:R1000"
	if err := casp.SetDropList([]string{"Yes", "Can't tell", "No"}); err != nil {
		return nil, err
	}
	if err := f.AddDataValidation("Studies", casp); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "synth", Title: "Extracts", Created: "2000-01-01T00:00:00Z", Modified: "2000-01-01T00:00:00Z"}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func caspHeaders() []string {
	h := make([]string, 10)
	for i := range h {
		h[i] = fmt.Sprintf("CASP %d", i+1)
	}
	return h
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
