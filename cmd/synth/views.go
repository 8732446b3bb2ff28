package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/synthesis"
)

// table renders rows for the terminal.
func table(w io.Writer, header []string, rows [][]string) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithMaxWidth(160),
	)
	t.Header(header)
	for _, row := range rows {
		for i, cell := range row {
			row[i] = printable(cell)
		}
	}
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}

// printable drops control characters (escape sequences a cell could carry)
// so that nothing a user wrote can drive the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == 0x9b {
			return -1
		}
		return r
	}, s)
}

// indent marks a theme's depth in a way tables do not trim away.
func indent(depth int) string {
	if depth == 0 {
		return ""
	}
	return strings.Repeat("\u00a0\u00a0", depth-1) + "└\u00a0"
}

func newThemesCmd(g *globals) *cobra.Command {
	bf := &buildFlags{}
	c := &cobra.Command{
		Use:   "themes [PROJECT]",
		Short: "Show the theme hierarchy with its support",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := g.load(projectArg(args, 0), bf)
			if err != nil {
				return err
			}
			var rows [][]string
			for _, ts := range r.Themes {
				rows = append(rows, []string{
					indent(ts.Depth) + ts.Name, ts.ID, ts.Level,
					fmt.Sprintf("%d (%.0f%%)", len(ts.Studies), 100*ts.Share),
					strconv.Itoa(ts.Extracts.Len()),
					fmt.Sprintf("%d/%d", ts.Participant, ts.Author),
				})
			}
			return table(g.io.Out, []string{"Theme", "ID", "Level", "Studies", "Extracts", "Participant/author"}, rows)
		},
	}
	bf.add(c)
	return c
}

func newMatrixCmd(g *globals) *cobra.Command {
	bf := &buildFlags{}
	var level string
	c := &cobra.Command{
		Use:   "matrix [PROJECT]",
		Short: "Show the theme × study matrix of extract counts",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := g.load(projectArg(args, 0), bf)
			if err != nil {
				return err
			}
			header := []string{"Theme"}
			for _, s := range r.Studies {
				header = append(header, s.ID)
			}
			header = append(header, "N") // studies supporting the theme; short, so wide matrices are not cut
			var rows [][]string
			for _, ts := range r.Themes {
				if level != "" && !strings.EqualFold(ts.Level, level) {
					continue
				}
				row := []string{ts.ID}
				for _, n := range ts.PerStudy {
					cell := "·"
					if n > 0 {
						cell = strconv.Itoa(n)
					}
					row = append(row, cell)
				}
				rows = append(rows, append(row, strconv.Itoa(len(ts.Studies))))
			}
			return table(g.io.Out, header, rows)
		},
	}
	bf.add(c)
	c.Flags().StringVar(&level, "level", "", "show only themes of this level (e.g. analytical)")
	return c
}

// findTheme resolves a THEME argument by id or name.
func findTheme(r *synthesis.Result, arg string) (*synthesis.ThemeStat, error) {
	t := r.Codebook.FindTheme(arg)
	if t == nil {
		var ids []string
		for _, ts := range r.Themes {
			ids = append(ids, ts.ID)
		}
		return nil, usagef("no theme %q in %s; themes are %s", arg, r.Codebook.File, joinShort(ids, 12))
	}
	for _, ts := range r.Themes {
		if ts.Theme == t {
			return ts, nil
		}
	}
	return nil, usagef("no theme %q", arg)
}

// loadTheme builds the project named by args[1] and finds the theme
// args[0] names.
func (g *globals) loadTheme(args []string, bf *buildFlags) (*synthesis.Result, *synthesis.ThemeStat, error) {
	r, err := g.load(projectArg(args, 1), bf)
	if err != nil {
		return nil, nil, err
	}
	ts, err := findTheme(r, args[0])
	return r, ts, err
}

func newQuotesCmd(g *globals) *cobra.Command {
	bf := &buildFlags{}
	var all bool
	c := &cobra.Command{
		Use:   "quotes THEME [PROJECT]",
		Short: "Show a theme's illustrative quotes (or every supporting extract with --all)",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, ts, err := g.loadTheme(args, bf)
			if err != nil {
				return err
			}
			list := ts.Quotes
			if all {
				list = ts.Extracts.Slice()
			}
			var rows [][]string
			for _, e := range list {
				rows = append(rows, []string{e.Study.ID, e.ID, string(e.Type), e.Location, e.Text})
			}
			if err := ts.Extracts.Err(); err != nil {
				return err
			}
			fmt.Fprintf(g.io.Out, "%s (%s): %d studies, %d extracts\n", ts.Name, ts.ID, len(ts.Studies), ts.Extracts.Len())
			return table(g.io.Out, []string{"Study", "Extract", "Type", "Location", "Text"}, rows)
		},
	}
	bf.add(c)
	c.Flags().BoolVar(&all, "all", false, "show every supporting extract")
	return c
}

func newTraceCmd(g *globals) *cobra.Command {
	bf := &buildFlags{}
	c := &cobra.Command{
		Use:   "trace THEME [PROJECT]",
		Short: "Show the chain from a theme to its codes and their extracts",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ts, err := g.loadTheme(args, bf)
			if err != nil {
				return err
			}
			w := g.io.Out
			fmt.Fprintf(w, "%s %q (%s): %d studies, %d extracts\n", ts.Level, ts.Name, ts.ID, len(ts.Studies), ts.Extracts.Len())
			byID := map[string]*synthesis.ThemeStat{}
			for _, t := range r.Themes {
				byID[t.ID] = t
			}
			var walk func(t *synthesis.ThemeStat, indent string)
			walk = func(t *synthesis.ThemeStat, indent string) {
				for _, id := range t.Children {
					c := byID[id]
					fmt.Fprintf(w, "%s└ %s %q (%s): %d studies, %d extracts\n", indent, c.Level, c.Name, c.ID, len(c.Studies), c.Extracts.Len())
					walk(c, indent+"  ")
				}
			}
			walk(ts, "  ")
			var rows [][]string
			for _, code := range ts.Closure {
				for _, e := range ts.Extracts.All() {
					for _, c := range e.Codes {
						if c == code {
							rows = append(rows, []string{code, e.ID, e.Study.ID, e.Where(), e.Text})
						}
					}
				}
			}
			if err := ts.Extracts.Err(); err != nil {
				return err
			}
			return table(w, []string{"Code", "Extract", "Study", "Where", "Text"}, rows)
		},
	}
	bf.add(c)
	return c
}
