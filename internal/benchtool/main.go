// Command benchtool generates the synthetic projects synth's performance is
// measured on and times synth against the floor of unzipping the sheet XML
// and against excelize, in the same run on the same machine. scripts/bench.sh
// drives it; see the README's Performance section for the numbers.
//
//	benchtool gen -rows 100000 -dir DIR         write DIR/{synth.yaml,codebook.yaml,extracts.xlsx}
//	benchtool measure -dir DIR -synth BIN       time the floor, synth build --format json (into an empty folder and over its last output), excelize Rows(), R, pandas
//	benchtool excelize FILE                     walk every row with excelize Rows() (run by measure)
//	benchtool read FILE                         stream every row with synth's reader (run by measure)
//	benchtool bombs -synth BIN [-size BYTES]    time synth refusing a zip bomb of each shape
package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/synth-qda/synth/internal/benchdata"
	"github.com/synth-qda/synth/synthesis/sheet"
	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool gen|measure|excelize|read ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "measure":
		err = measure(os.Args[2:])
	case "excelize":
		err = walkExcelize(os.Args[2])
	case "read":
		err = walkSynth(os.Args[2])
	case "bombs":
		err = bombs(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

const seed = 1

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	rows := fs.Int("rows", 100000, "extract rows")
	dir := fs.String("dir", "", "project folder to write")
	inline := fs.Bool("inline", false, "the rows' text as inline strings in the sheet XML, not shared strings")
	fs.Parse(args)
	if *dir == "" {
		return errors.New("gen: -dir is required")
	}
	return benchdata.WriteProject(*dir, *rows, seed, *inline)
}

// run times a command and reads its peak resident set size.
func run(name string, args ...string) (time.Duration, int64, error) {
	d, rss, stderr, err := runStatus(name, args...)
	if err != nil {
		return 0, 0, fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr)
	}
	return d, rss, nil
}

// runStatus times a command that may fail, and returns its stderr.
func runStatus(name string, args ...string) (time.Duration, int64, string, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	return d, peakRSS(cmd.ProcessState), stderr.String(), err
}

// bombs writes a workbook of each zip-bomb shape that inflates past the
// default 2 GiB limit while packing under the 1000:1 ratio check, and times
// synth build refusing it, with its peak RSS. Each must exit 1 with the
// part-size message.
func bombs(args []string) error {
	fs := flag.NewFlagSet("bombs", flag.ExitOnError)
	synthBin := fs.String("synth", "synth", "synth binary")
	size := fs.Int64("size", sheet.DefaultMaxPartSize+64<<20, "bytes each bomb inflates to")
	only := fs.String("shapes", strings.Join(benchdata.BombShapes, ","), "comma-separated shapes to try")
	fs.Parse(args)
	dir, err := os.MkdirTemp("", "synth-bombs")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Printf("%-14s | %9s | %8s | %8s | %s\n", "zip bomb", "file", "time", "peak RSS", "synth's message")
	failed := false
	for _, shape := range strings.Split(*only, ",") {
		project := filepath.Join(dir, shape)
		if err := os.MkdirAll(project, 0o755); err != nil {
			return err
		}
		book := filepath.Join(project, "extracts.xlsx")
		f, err := os.Create(book)
		if err != nil {
			return err
		}
		if err := benchdata.WriteBomb(f, shape, *size); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		st, err := os.Stat(book)
		if err != nil {
			return err
		}
		yaml := "version: 1\ntitle: Bomb\nextracts:\n  - file: extracts.xlsx\n"
		if err := os.WriteFile(filepath.Join(project, "synth.yaml"), []byte(yaml), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(project, "codebook.yaml"), []byte("version: 1\nthemes:\n  - name: Theme\n    codes: [Code]\n"), 0o644); err != nil {
			return err
		}
		d, rss, stderr, err := runStatus(*synthBin, "build", "--quiet", "--format", "json", project)
		var exit *exec.ExitError
		msg := strings.TrimSpace(stderr)
		if i := strings.Index(msg, "extracts.xlsx"); i >= 0 {
			msg = msg[i:]
		}
		if len(msg) > 90 {
			msg = msg[:90] + "…"
		}
		ok := errors.As(err, &exit) && exit.ExitCode() == 1 && strings.Contains(stderr, "uncompressed")
		verdict := ""
		if !ok || d > 10*time.Second || rss > 200<<20 {
			verdict, failed = "  ← NOT WITHIN BOUNDS (exit 1, the size message, < 10 s, < 200 MB)", true
		}
		fmt.Printf("%-14s | %6.1f MB | %7.2fs | %5d MB | %s%s\n", shape, float64(st.Size())/1e6, d.Seconds(), rss>>20, msg, verdict)
		os.RemoveAll(project)
	}
	if failed {
		return errors.New("a zip bomb was not refused within the bounds")
	}
	return nil
}

// command is one thing measure times.
type command struct {
	label string
	argv  []string
	// before runs, untimed, before each run of the command.
	before func() error
	times  []time.Duration
	rss    int64
}

// spread is "median (min–max)" of xs, with the unit after each.
func spread(xs []float64, format string) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	if len(s) == 1 {
		return fmt.Sprintf(format, med)
	}
	return fmt.Sprintf(format+" ("+format+"–"+format+")", med, s[0], s[len(s)-1])
}

func measure(args []string) error {
	fs := flag.NewFlagSet("measure", flag.ExitOnError)
	dir := fs.String("dir", "", "project folder made by gen")
	synthBin := fs.String("synth", "synth", "synth binary")
	runs := fs.Int("runs", 5, "runs of each command, interleaved")
	skipOthers := fs.Bool("skip-others", false, "do not time excelize, R readxl and pandas (slow at 1M rows)")
	rScript := fs.String("readxl", "", "R script counting extracts per code and study with readxl + dplyr; empty: skip")
	pyScript := fs.String("pandas", "", "Python script doing the same with pandas.read_excel (openpyxl); empty: skip")
	python := fs.String("python", "/usr/bin/python3", "the Python that has pandas")
	fs.Parse(args)
	book := filepath.Join(*dir, "extracts.xlsx")
	xmlSize, err := partSize(book, benchdata.SheetPart)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	// A build into an empty folder, and one that replaces the output of
	// the build before it: a file system that frees a replaced file's
	// blocks at once (ext4 mounted with discard, as the machine of the
	// README's table is) makes the rename over a 630 MB synthesis.json
	// wait while it does, with both cores idle.
	build := func(out string) []string {
		return []string{*synthBin, "build", "--quiet", "--format", "json", "--out", out, *dir}
	}
	fresh, again := filepath.Join(*dir, "out"), filepath.Join(*dir, "out-again")
	cmds := []*command{
		{label: "floor: unzip -p sheet1.xml", argv: []string{"sh", "-c", "unzip -p \"$0\" " + benchdata.SheetPart + " > /dev/null", book}},
		{label: "synth build --format json", argv: build(fresh), before: func() error { return os.RemoveAll(fresh) }},
		{label: "  same, over its last output", argv: build(again)},
		{label: "synth reader alone", argv: []string{self, "read", book}},
	}
	// The first run of the replacing build has an output to replace too.
	first := build(again)
	if _, _, err := run(first[0], first[1:]...); err != nil {
		return err
	}
	if !*skipOthers {
		cmds = append(cmds, &command{label: "excelize Rows()", argv: []string{self, "excelize", book}})
		if *rScript != "" {
			cmds = append(cmds, &command{label: "R readxl + dplyr count", argv: []string{"Rscript", *rScript, book}})
		}
		if *pyScript != "" {
			cmds = append(cmds, &command{label: "pandas read_excel + groupby", argv: []string{*python, *pyScript, book}})
		}
	}
	// Interleaved, so that each run's ratio to the floor compares
	// commands timed under the same load. Before each, untimed, the page
	// cache's dirty pages go to disk (after the last build's output, if it
	// is to be removed, is): a build writes hundreds of megabytes,
	// and the kernel writing the last run's back would otherwise take CPU
	// from the next command.
	for range *runs {
		for _, c := range cmds {
			if c.before != nil {
				if err := c.before(); err != nil {
					return err
				}
			}
			syncDisks()
			d, rss, err := run(c.argv[0], c.argv[1:]...)
			if err != nil {
				return err
			}
			c.times = append(c.times, d)
			c.rss = max(c.rss, rss)
		}
	}
	floor := cmds[0]
	fmt.Printf("%s extracts, sheet XML %.1f MB, %d runs: median (min–max)\n", countRowsHint(*dir), float64(xmlSize)/1e6, *runs)
	for _, c := range cmds {
		var secs, ratios []float64
		for i, d := range c.times {
			secs = append(secs, d.Seconds())
			ratios = append(ratios, d.Seconds()/floor.times[i].Seconds())
		}
		fmt.Printf("  %-28s %-26s %-24s peak RSS %5d MB\n", c.label, spread(secs, "%.2f s"), spread(ratios, "%.1f×"), c.rss>>20)
	}
	return nil
}

func countRowsHint(dir string) string { return filepath.Base(dir) }

func partSize(book, part string) (int64, error) {
	zr, err := zip.OpenReader(book)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == part {
			return int64(f.UncompressedSize64), nil
		}
	}
	return 0, fmt.Errorf("%s: no part %s", book, part)
}

func walkExcelize(path string) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := f.Rows(benchdata.SheetName)
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		n += len(cols)
	}
	fmt.Println(n)
	return rows.Close()
}

func walkSynth(path string) error {
	wb, err := sheet.Open(path, sheet.Options{})
	if err != nil {
		return err
	}
	defer wb.Close()
	n := 0
	err = wb.Rows(benchdata.SheetName, func(r sheet.Row) error {
		n += len(r.Cells)
		return nil
	})
	fmt.Println(n)
	return err
}
