package main

// synth export: the project's codebook in another program's format. For
// now one format, a REFI-QDA codebook (.qdc), which NVivo, ATLAS.ti, MAXQDA
// and QualCoder import; refi.FromCodebook states the mapping.

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/refi"
	"github.com/synth-qda/synth/synthesis"
)

func newExportCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "export",
		Short: "Write the codebook for another program",
		Long: `Export writes the project's codebook in another program's format:

  synth export qdc [PROJECT] [--out FILE]   a REFI-QDA codebook (.qdc) for NVivo,
                                            ATLAS.ti, MAXQDA, QualCoder…`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("export: say what to export, e.g. synth export qdc my-review --out codebook.qdc")
		},
	}
	c.AddCommand(newExportQDCCmd(g))
	return c
}

func newExportQDCCmd(g *globals) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "qdc [PROJECT] [--out FILE]",
		Short: "Write the codebook as a REFI-QDA codebook (.qdc)",
		Long: `Export qdc writes the project's codebook as a REFI-QDA 1.5 codebook (.qdc,
valid against Codebook.xsd) on standard output, or into FILE with --out.
PROJECT is a project folder or its synth.yaml (default: the current folder),
or a codebook.yaml itself.

Themes become codes that only group others (isCodable="false") with their
codes and sub-themes under them; a theme whose first code has its own name
is one code that may be applied, with sub-codes (as synth import makes it).
A code or theme under several themes sits under the first, and each theme
whose members the tree cannot show is also written as a code set listing
them in order. Names, definitions (descriptions), colours and GUIDs come
from codebook.yaml; a code or theme with no guid: gets a name-based UUID, the
same at every export. Findings, CERQual, quotes, aliases and levels have no
place in a REFI-QDA codebook; synth import qdc --merge keeps them.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("export qdc: give at most one project (a folder, its synth.yaml, or a codebook.yaml), e.g. synth export qdc my-review --out codebook.qdc")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return exportQDCRun(g, projectArg(args, 0), out)
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "", "the .qdc file to write (default: standard output)")
	return c
}

func exportQDCRun(g *globals, arg, out string) error {
	path, project, err := codebookPath(arg)
	if err != nil {
		return err
	}
	cb, err := codebook.Load(path)
	if err != nil {
		return err
	}
	tree, err := refi.FromCodebook(cb)
	if err != nil {
		return err
	}
	data := refi.WriteQDC(tree)
	if out == "" {
		_, err := g.io.Out.Write(data)
		return err
	}
	if in, err := os.Stat(path); err == nil && sameFile(in, out) {
		return fmt.Errorf("%s is the codebook being exported; choose another --out file", out)
	}
	if project != nil {
		f := projectInput(project, out)
		if in, err := os.Stat(project.File); err == nil && sameFile(in, out) {
			f = filepath.Base(project.File)
		}
		if f != "" {
			return fmt.Errorf("%s: refusing to write the codebook over %s, which the project reads; choose another --out file", out, f)
		}
	}
	if err := writeFile(out, data); err != nil {
		return err
	}
	n := 0
	tree.Walk(func(*refi.Code, int) { n++ })
	g.notef("wrote %s: %s, %s", out, countNoun(n, "REFI-QDA code", "REFI-QDA codes"), countNoun(len(tree.Sets), "set", "sets"))
	return nil
}

// codebookPath is the codebook of PROJECT: a folder or project file's
// codebook, with the project, or PROJECT itself when it is a YAML file
// without extracts: (the project is then nil).
func codebookPath(arg string) (string, *synthesis.Project, error) {
	if st, err := os.Stat(arg); err == nil && !st.IsDir() && !isProjectFile(arg) {
		return arg, nil, nil
	}
	p, err := loadProjectAt(arg)
	if err != nil {
		return "", nil, err
	}
	return p.Path(p.Codebook), p, nil
}
