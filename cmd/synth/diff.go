package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/export"
	"github.com/synth-qda/synth/synthesis"
	"go.yaml.in/yaml/v3"
)

type diffOptions struct {
	buildFlags
	format string
}

func newDiffCmd(g *globals) *cobra.Command {
	o := &diffOptions{}
	c := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changed between two codebooks, or two projects",
		Long: `Diff compares two codebooks (codebook.yaml files) or two projects (folders
or synth.yaml files), typically before and after a round of revision. It lists
the codes and themes added, removed, renamed, moved, merged and split, codes
whose definition changed and themes whose own codes changed; given two
projects it also finds renames, merges and splits from the codes' extracts,
and shows each theme's supporting studies and extracts before and after, and
which studies came and went.

The rules are those of codebook.Compare; in short: codes are the same code
when their names match, themes when their ids match; a NEW code listing an
OLD code's name as an alias took it in (a rename, or a merge); an OLD code
listing NEW codes' names as aliases was split into them; themes are followed
by the codes under them.

Exit 0 whatever the difference; 1 when an input cannot be read.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return diffRun(g, o, args[0], args[1])
		},
	}
	o.add(c)
	c.Flags().StringVarP(&o.format, "format", "f", "table", "table, md or json")
	return c
}

// diffSide is one side of a diff: a codebook, or a project's build.
type diffSide struct {
	codebook *codebook.Codebook
	result   *synthesis.Result // nil for a bare codebook
}

func diffRun(g *globals, o *diffOptions, oldArg, newArg string) error {
	switch o.format {
	case "table", "md", "json":
	default:
		return usagef("--format: %q is not a format of synth diff; use table, md or json", o.format)
	}
	var sides [2]diffSide
	var errs []error
	for i, arg := range []string{oldArg, newArg} {
		s, err := g.diffSide(arg, &o.buildFlags)
		if err != nil {
			errs = append(errs, err)
		}
		sides[i] = s
	}
	if len(errs) > 0 {
		// Both inputs' problems at once.
		for _, err := range errs[:len(errs)-1] {
			g.report(err)
		}
		return errs[len(errs)-1]
	}
	var d *synthesis.Diff
	if sides[0].result != nil && sides[1].result != nil {
		d = synthesis.CompareResults(sides[0].result, sides[1].result)
	} else {
		if sides[0].result != nil || sides[1].result != nil {
			g.notef("one side is a codebook, so only the codebooks are compared")
		}
		d = &synthesis.Diff{Codebook: codebook.Compare(sides[0].codebook, sides[1].codebook, nil, nil)}
	}
	w := g.io.Out
	switch o.format {
	case "json":
		return export.DiffJSON(w, d, oldArg, newArg)
	case "md":
		return export.DiffMarkdown(w, d, oldArg, newArg)
	}
	fmt.Fprintf(w, "%s → %s: %s\n", printable(oldArg), printable(newArg), export.DiffSummary(d))
	for _, t := range export.DiffTables(d) {
		if len(t.Rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", t.Title)
		if err := table(w, t.Header, t.Rows); err != nil {
			return err
		}
	}
	return nil
}

// diffSide reads one input of synth diff: a folder or a synth.yaml is a
// project, built as synth build would; any other file is a codebook. A
// file is taken for a project file when it is named synth.yaml or
// synth.yml, or its top-level keys include "extracts".
func (g *globals) diffSide(arg string, bf *buildFlags) (diffSide, error) {
	st, err := os.Stat(arg)
	if err != nil {
		return diffSide{}, fmt.Errorf("%s: no such file or folder", arg)
	}
	if st.IsDir() || isProjectFile(arg) {
		path, err := synthesis.FindProject(arg)
		if err != nil {
			return diffSide{}, err
		}
		r, err := g.load(path, bf)
		if err != nil {
			return diffSide{}, &inProject{dir: filepath.Dir(path), err: err}
		}
		return diffSide{codebook: r.Codebook, result: r}, nil
	}
	cb, err := codebook.Load(arg)
	return diffSide{codebook: cb}, err
}

func isProjectFile(path string) bool {
	switch strings.ToLower(filepath.Base(path)) {
	case "synth.yaml", "synth.yml":
		return true
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var top map[string]yaml.Node
	if yaml.Unmarshal(data, &top) != nil {
		return false
	}
	_, ok := top["extracts"]
	return ok
}
