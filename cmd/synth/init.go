package main

import (
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
	"github.com/synth-qda/synth/internal/workbook"
	"github.com/synth-qda/synth/synthesis/sheet"
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
		if err := writeFile(filepath.Join(dir, name), files[name]); err != nil {
			return err
		}
	}
	g.notef("wrote %s to %s; next: synth validate %s && synth build %s", strings.Join(names, ", "), dir, sheet.ShellWord(dir), sheet.ShellWord(dir))
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

// templateWorkbook is the starter extracts workbook: synth template's, for
// the starter project and codebook, with one example row per sheet.
func templateWorkbook() ([]byte, error) {
	return workbook.Write(templateBook("Extracts", newTemplateLayout(nil), []string{"Example code"}, true))
}
