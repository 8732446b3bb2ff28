package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/internal/strictyaml"
	"github.com/synth-qda/synth/synthesis"
	"github.com/synth-qda/synth/synthesis/sheet"
	"golang.org/x/term"
)

// Exit codes.
const (
	exitOK    = 0
	exitData  = 1 // the data or project has errors, or --check found stale outputs
	exitUsage = 2 // a bad flag or argument
)

// IOStreams carries the command's input and output, so that commands never
// touch os.Stdout and tests can capture them.
type IOStreams struct {
	In            io.Reader
	Out, Err      io.Writer
	ErrIsTerminal bool
}

// globals are the flags every command takes.
type globals struct {
	quiet bool
	json  bool
	io    IOStreams
	// dir is the folder of the project whose diagnostics report prints,
	// when their places (relative to its synth.yaml) need it before them.
	dir string
}

// usageError marks an error as a misuse of the command line (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// errReported means the command already printed what went wrong.
var errReported = errors.New("reported")

// Main runs synth with the process's arguments and streams and returns the
// exit code.
func Main() int {
	s := IOStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, ErrIsTerminal: term.IsTerminal(int(os.Stderr.Fd()))}
	return run(os.Args[1:], s)
}

func run(args []string, s IOStreams) int {
	g := &globals{io: s}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	err := root.Execute()
	return g.report(err)
}

// report prints err once and maps it to an exit code.
func (g *globals) report(err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errReported) {
		return exitData
	}
	var ip *inProject
	if errors.As(err, &ip) {
		g.dir, err = ip.dir, ip.err
		defer func() { g.dir = "" }()
	}
	var many *synthesis.Errors
	if errors.As(err, &many) {
		// Every error of the run, with the warnings found on the way.
		g.warnings(many.Warnings, false)
		for _, e := range many.Errs {
			if g.json {
				where, msg := splitPlace(e)
				g.diagnostic("error", "error", msg, g.inDir(where))
			} else {
				fmt.Fprintf(g.io.Err, "synth: %s\n", g.inDir(e.Error()))
			}
		}
		if !g.json {
			n := len(many.Errs) + many.More
			if many.More > 0 {
				fmt.Fprintf(g.io.Err, "synth: %d more errors not shown; %d errors in all\n", many.More, n)
			} else if n > 1 {
				fmt.Fprintf(g.io.Err, "synth: %d errors\n", n)
			}
		}
		return exitData
	}
	var ue usageError
	// cobra reports an unknown command as a plain error.
	isUsage := errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command ")
	if g.json {
		kind := "error"
		if isUsage {
			kind = "usage"
		}
		where, msg := splitPlace(err)
		if where == "" {
			msg = g.inDir(msg)
		}
		g.diagnostic("error", kind, msg, g.inDir(where))
	} else {
		msg := g.inDir(err.Error())
		fmt.Fprintf(g.io.Err, "synth: %s\n", msg)
		if isUsage {
			fmt.Fprintln(g.io.Err, "Run 'synth --help' for usage.")
		}
	}
	if isUsage {
		return exitUsage
	}
	return exitData
}

// inProject is an error of the project in folder dir, whose places are
// relative to that folder; synth diff reads two projects, often with files
// of the same names, so report prints their places from the working folder.
type inProject struct {
	dir string
	err error
}

func (e *inProject) Error() string { return e.err.Error() }
func (e *inProject) Unwrap() error { return e.err }

// inDir puts g.dir before s, a diagnostic that starts with a place relative
// to it, unless s already starts with it or with an absolute path.
func (g *globals) inDir(s string) string {
	if g.dir == "" || g.dir == "." || s == "" || filepath.IsAbs(s) || strings.HasPrefix(s, g.dir+string(filepath.Separator)) {
		return s
	}
	return g.dir + string(filepath.Separator) + s
}

// splitPlace parts a positioned error into its place and its message, for
// --json; an error without a known place keeps its whole text.
func splitPlace(err error) (where, msg string) {
	var se *synthesis.Error
	var ye *strictyaml.Error
	var fe *sheet.FileError
	switch {
	case errors.As(err, &se):
		return se.Where, se.Msg
	case errors.As(err, &ye) && ye.Line > 0:
		return fmt.Sprintf("%s:%d:%d", ye.File, ye.Line, ye.Col), ye.Msg
	case errors.As(err, &ye):
		return ye.File, ye.Msg
	case errors.As(err, &fe):
		where, rest, _ := strings.Cut(fe.Error(), ": ")
		return where, rest
	}
	return "", err.Error()
}

// diagnostic prints one machine-readable line on stderr.
func (g *globals) diagnostic(severity, kind, msg, where string) {
	b, _ := json.Marshal(struct {
		Severity string `json:"severity"`
		Kind     string `json:"kind"`
		Where    string `json:"where,omitempty"`
		Message  string `json:"message"`
	}{severity, kind, where, msg})
	fmt.Fprintf(g.io.Err, "%s\n", b)
}

// warnings prints build warnings on stderr unless --quiet.
func (g *globals) warnings(ws []synthesis.Warning, strict bool) {
	severity := "warning"
	if strict {
		severity = "error"
	}
	for _, w := range ws {
		if g.json {
			g.diagnostic(severity, string(w.Kind), w.Message, g.inDir(w.Where))
			continue
		}
		if g.quiet && !strict {
			continue
		}
		fmt.Fprintf(g.io.Err, "synth: %s: %s: %s [%s]\n", g.inDir(w.Where), severity, w.Message, w.Kind)
	}
}

func (g *globals) notef(format string, args ...any) {
	if !g.quiet && !g.json {
		fmt.Fprintf(g.io.Err, "synth: "+format+"\n", args...)
	}
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "synth",
		Short: "Thematic synthesis tables from coded spreadsheets and a YAML codebook",
		Long: `synth turns the coded study extracts of a qualitative evidence synthesis,
kept in spreadsheets, and a YAML codebook of codes, descriptive themes and
analytical themes (Thomas & Harden 2008) into the tables, theme maps and
supplement files a published review needs.

Start with "synth init --example social-prescribing demo" and "synth build demo".`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "print only errors")
	root.PersistentFlags().BoolVar(&g.json, "json", false, "print diagnostics as JSON lines on stderr")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newInitCmd(g),
		newValidateCmd(g),
		newBuildCmd(g),
		newThemesCmd(g),
		newMatrixCmd(g),
		newQuotesCmd(g),
		newTraceCmd(g),
		newVersionCmd(g),
		newImportCmd(g),
		newAgreementCmd(g),
		newDiffCmd(g),
		newTemplateCmd(g),
		newExportCmd(g),
	)
	for _, c := range root.Commands() {
		if c.Args == nil {
			c.Args = cobra.NoArgs
		}
		args := c.Args
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				// cobra's own message ("accepts at most 1 arg(s),
				// received 2") is for programmers; a user wants the usage.
				if cmd.HasAvailableSubCommands() && len(a) > 0 {
					var names []string
					for _, sub := range cmd.Commands() {
						if sub.IsAvailableCommand() {
							names = append(names, "synth "+cmd.Name()+" "+sub.Name())
						}
					}
					return usagef("%s: %q is not a command of synth %s; use %s", cmd.Name(), a[0], cmd.Name(), strings.Join(names, " or "))
				}
				given := "no argument"
				if len(a) > 0 {
					given = countNoun(len(a), "argument", "arguments")
				}
				return usagef("%s: %s given; usage: synth %s", cmd.Name(), given, cmd.Use)
			}
			return nil
		}
	}
	return root
}

// projectArg returns the PROJECT argument, "" for the current folder.
func projectArg(args []string, i int) string {
	if len(args) > i {
		return args[i]
	}
	return ""
}

// buildFlags are the flags of commands that read a project.
type buildFlags struct {
	maxXMLSize string
}

func (b *buildFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&b.maxXMLSize, "max-xml-size", "", "largest uncompressed workbook part to read, e.g. 4GiB (default 2GiB)")
}

func (b *buildFlags) options() (synthesis.Options, error) {
	var o synthesis.Options
	if b.maxXMLSize != "" {
		n, err := parseSize(b.maxXMLSize)
		if err != nil {
			return o, usagef("--max-xml-size: %v", err)
		}
		o.Sheet.MaxPartSize = n
	}
	return o, nil
}

// parseSize reads 500MB, 2GiB, 3000000 and the like.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	var n float64
	if _, err := fmt.Sscanf(t, "%g", &n); err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 4GiB or 500MB", s)
	}
	return int64(n * float64(mult)), nil
}

// load builds the project named by arg, with a progress bar on stderr
// when it is a terminal and the read takes a while.
func (g *globals) load(arg string, bf *buildFlags) (*synthesis.Result, error) {
	opts, err := bf.options()
	if err != nil {
		return nil, err
	}
	if g.io.ErrIsTerminal && !g.quiet && !g.json {
		opts.Sheet.Progress = &sheet.Progress{}
		stop := showProgress(g.io.Err, opts.Sheet.Progress)
		defer stop()
	}
	path, err := synthesis.FindProject(arg)
	if err != nil {
		return nil, err
	}
	r, err := synthesis.Build(path, opts)
	if err != nil {
		return nil, err
	}
	profileBuilt()
	for _, n := range r.Notes {
		g.notef("%s: note: %s", n.Where, n.Message)
	}
	return r, nil
}

// writeFile writes data to path through a temporary file (writeAtomic),
// and says what went wrong of path, the file asked for: the operating
// system's error names the temporary file.
func writeFile(path string, data []byte) error {
	return writeError(path, writeAtomic(path, data))
}

// writeError says what went wrong writing path, the file asked for, when
// err is the operating system's about a temporary file or a folder.
func writeError(path string, err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: cannot write it: %v", path, le.Err)
	}
	var pe *fs.PathError
	switch {
	case !errors.As(err, &pe):
		return err
	case pe.Op == "mkdir":
		return fmt.Errorf("%s: cannot make its folder %s: %v", path, pe.Path, pe.Err)
	}
	return fmt.Errorf("%s: cannot write it: %v", path, pe.Err)
}
