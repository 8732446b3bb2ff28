package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

type validateOptions struct {
	buildFlags
	strict bool
}

func newValidateCmd(g *globals) *cobra.Command {
	o := &validateOptions{}
	c := &cobra.Command{
		Use:   "validate [PROJECT]",
		Short: "Read and check the project; print problems with their place",
		Long: `Validate reads synth.yaml, the codebook, the studies table and every extracts
source, computes the synthesis and prints each problem with its place
(file:line:col or file:Sheet!D14). It writes nothing. Exit 1 on errors, and
on warnings with --strict.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := g.load(projectArg(args, 0), &o.buildFlags)
			if err != nil {
				return err
			}
			g.warnings(r.Warnings, o.strict)
			if o.strict && len(r.Warnings) > 0 {
				return fmt.Errorf("%d warning(s) with --strict", len(r.Warnings))
			}
			g.notef("%s: ok: %s, %s, %s, %s, %s", r.Project.File,
				countNoun(len(r.Studies), "study", "studies"), countNoun(r.Extracts.Len(), "extract", "extracts"),
				countNoun(len(r.Codes), "code", "codes"), countNoun(len(r.Themes), "theme", "themes"),
				countNoun(len(r.Warnings), "warning", "warnings"))
			return nil
		},
	}
	o.add(c)
	c.Flags().BoolVar(&o.strict, "strict", false, "treat warnings as errors")
	return c
}
