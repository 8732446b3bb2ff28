package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/export"
	"github.com/synth-qda/synth/synthesis"
)

func newAgreementCmd(g *globals) *cobra.Command {
	bf := &buildFlags{}
	var format string
	c := &cobra.Command{
		Use:   "agreement [PROJECT]",
		Short: "Show inter-coder agreement on double-coded extracts: Cohen's κ per code, Krippendorff's α",
		Long: `Agreement compares the codes that two or more coders applied to the same
extracts. One unit is an (extract, code) pair: the code is present or absent
for each coder who coded the extract. A coder coded an extract when a row of
the extract names the coder, even a row with no codes (the coder found none
to apply); a coder with no row for an extract is missing there. Extracts
coded by one coder only are left out and counted.

For each code: the 2×2 counts (present for both coders, for one only, for
neither), percent agreement and Cohen's κ; with three or more coders, each
pair of coders and the mean of their κ. Over all units and for each study:
the same, and Krippendorff's α for nominal data. A κ or α that is undefined
(a code applied to every unit or to none) is shown as n/a (null in JSON).

Formats: table (the terminal), csv, json, md; all on stdout.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "csv", "json", "md":
			default:
				return usagef("--format %q: use table, csv, json or md", format)
			}
			r, err := g.load(projectArg(args, 0), bf)
			if err != nil {
				return err
			}
			var reading []synthesis.Warning
			for _, w := range r.Warnings {
				if w.Kind.FromReading() {
					reading = append(reading, w) // a misspelt code counts as a disagreement: say so
				}
			}
			g.warnings(reading, false)
			a, err := r.Agreement()
			if err != nil {
				return err
			}
			w := g.io.Out
			switch format {
			case "csv":
				return export.AgreementCSV(w, a)
			case "json":
				return export.AgreementJSON(w, a)
			case "md":
				return export.AgreementMarkdown(w, a)
			}
			for _, l := range export.AgreementSummary(a) {
				fmt.Fprintln(w, printable(l))
			}
			for _, t := range export.AgreementTables(a) {
				fmt.Fprintf(w, "\n%s\n", t.Title)
				if err := table(w, t.Header, t.Rows); err != nil {
					return err
				}
			}
			fmt.Fprintf(w, "\n%s\n", printable(export.AgreementNote(a)))
			return nil
		},
	}
	bf.add(c)
	c.Flags().StringVarP(&format, "format", "f", "table", "output format: table, csv, json or md")
	return c
}
