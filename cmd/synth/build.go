package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/export"
	"github.com/synth-qda/synth/synthesis"
)

type buildOptions struct {
	buildFlags
	out      string
	formats  []string
	strict   bool
	check    bool
	csvBOM   bool
	mapCodes bool
}

func newBuildCmd(g *globals) *cobra.Command {
	o := &buildOptions{}
	c := &cobra.Command{
		Use:   "build [PROJECT]",
		Short: "Compute the synthesis and write its tables and figures",
		Long: `Build reads PROJECT (a folder with synth.yaml, or the synth.yaml itself;
default the current folder), computes the synthesis and writes the outputs to
the output folder (output.dir in synth.yaml, default "out").

Formats, and the files each writes:
` + formatsHelp() + `
Without --format and without output.formats in synth.yaml, every format is
written. manifest.json, with the SHA-256 of every input and output, is always
written.

--check writes nothing and exits 1 when the output folder is not what a build
would write now, e.g. in CI to check that a published supplement still matches
the data.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return buildRun(g, o, projectArg(args, 0))
		},
	}
	o.add(c)
	c.Flags().StringVarP(&o.out, "out", "o", "", "output folder (default output.dir of synth.yaml, else out)")
	c.Flags().StringSliceVarP(&o.formats, "format", "f", nil, "formats to write, comma-separated: "+strings.Join(export.Names(), ","))
	c.Flags().BoolVar(&o.strict, "strict", false, "treat warnings as errors")
	c.Flags().BoolVar(&o.check, "check", false, "write nothing; exit 1 if the outputs are stale")
	c.Flags().BoolVar(&o.csvBOM, "csv-bom", false, "start each CSV file with a UTF-8 byte-order mark, for Excel on Windows (also output.csv_bom in synth.yaml)")
	c.Flags().BoolVar(&o.mapCodes, "map-codes", false, "draw each theme's codes in the theme maps (dot, mermaid, svg, png; also output.map_codes in synth.yaml)")
	return c
}

func buildRun(g *globals, bo *buildOptions, arg string) error {
	formats, err := chooseFormats(bo.formats, nil, "")
	if err != nil {
		return err
	}
	if laysOut(bo.formats == nil, formats, arg) {
		go export.WarmLayout()
	}
	r, err := g.load(arg, &bo.buildFlags)
	if err != nil {
		return err
	}
	if bo.formats == nil {
		out := r.Project.Output
		where := fmt.Sprintf("%s:%d:%d: ", filepath.Base(r.Project.File), out.At.Line, out.At.Col)
		if formats, err = chooseFormats(nil, out.Formats, where); err != nil {
			return err
		}
	}
	if n := r.Extracts.Len(); n >= largeBuild && slices.ContainsFunc(formats, func(f export.Format) bool { return f.Name != "json" }) {
		g.notef("%s: every format but json is made whole in memory (all of them took 2.8 GB at 300,000 extracts); --format json, or output.formats in synth.yaml, writes only what you need",
			countNoun(n, "extract", "extracts"))
	}
	g.warnings(r.Warnings, bo.strict)
	if bo.strict && len(r.Warnings) > 0 {
		return fmt.Errorf("%d warning(s) with --strict; nothing written", len(r.Warnings))
	}
	outDir := bo.out
	if outDir == "" {
		outDir = r.Project.Path(r.Project.Output.Dir)
	}
	outs, err := render(r, formats, export.Options{
		CSVBOM:   bo.csvBOM || r.Project.Output.CSVBOM,
		MapCodes: bo.mapCodes || r.Project.Output.MapCodes,
	})
	if err != nil {
		return err
	}
	if err := refuseInputs(r, outDir, outs); err != nil {
		return err
	}
	// A folder that cannot be made, or a folder where an output goes, stops
	// the build before any of the last build's files is replaced.
	if !bo.check {
		for _, o := range outs {
			if err := canWrite(filepath.Join(outDir, filepath.FromSlash(o.name))); err != nil {
				return err
			}
		}
	}
	// The inputs are hashed for the manifest while the outputs are
	// written: after them, a million extracts' 100 MB workbook was read
	// again with both cores idle.
	var inputs []manifestEntry
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		inputs = hashInputs(r)
	}()
	// The outputs are written a few at a time: a file's create, rename and
	// close wait on the file system more than they use a core. Once one
	// fails, no other is begun, so that a failed build leaves as few of
	// the last build's files replaced as it can.
	done := make([]written, len(outs))
	errs := make([]error, len(outs))
	sem := make(chan struct{}, outputWriters)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for i, o := range outs {
		o.check = o.check || bo.check
		sem <- struct{}{}
		if failed.Load() {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if done[i], errs[i] = emit(outDir, o); errs[i] != nil {
				failed.Store(true)
			}
		}()
	}
	wg.Wait()
	<-hashed
	// The first failure, in the outputs' order: the others almost always
	// share its cause (a folder that cannot be made or written to).
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	m := manifest(inputs, done)
	m.check = bo.check
	w, err := emit(outDir, m)
	if err != nil {
		return err
	}
	done = append(done, w)
	if bo.check {
		var stale []string
		for _, w := range done {
			if w.stale {
				stale = append(stale, w.name)
			}
		}
		if len(stale) > 0 {
			return fmt.Errorf("%s is stale: %s differ from what synth build writes now; run synth build", outDir, joinShort(stale, 5))
		}
		g.notef("%s is up to date (%d files)", outDir, len(done))
		return nil
	}
	g.notef("wrote %s to %s: %s, %s, %s, %s", countNoun(len(done), "file", "files"), outDir,
		countNoun(len(r.Studies), "study", "studies"), countNoun(r.Extracts.Len(), "extract", "extracts"),
		countNoun(len(r.Themes), "theme", "themes"), countNoun(len(r.Warnings), "warning", "warnings"))
	return nil
}

// largeBuild is how many extracts make a build that writes a format other
// than json say, before it renders them, that those formats are made whole
// in memory: every format of 300,000 extracts took 60.6 s and 2.83 GB
// (README, Performance), while --format json stays under 512 MB at a
// million. A variable, so that tests can lower it.
var largeBuild = 50000

// laysOut says whether a format the build writes lays out the theme map,
// so that Graphviz is started in the background as the project is read.
// Without --format (fromConfig) the formats are synth.yaml's
// output.formats, every one when it names none: the project file is read
// for them here, and nothing is started when it cannot be (the build then
// says why).
func laysOut(fromConfig bool, formats []export.Format, arg string) bool {
	if fromConfig {
		p, err := loadProjectAt(arg)
		if err != nil {
			return false
		}
		if formats, err = chooseFormats(nil, p.Output.Formats, ""); err != nil {
			return false
		}
	}
	return slices.ContainsFunc(formats, func(f export.Format) bool { return f.LaysOut })
}

// loadProjectAt reads the project that arg (a folder or a project file)
// names: synth.yaml, not its data.
func loadProjectAt(arg string) (*synthesis.Project, error) {
	path, err := synthesis.FindProject(arg)
	if err != nil {
		return nil, err
	}
	return synthesis.LoadProject(path)
}

// chooseFormats resolves --format (flag) or output.formats (config, whose
// place in synth.yaml is where) to the formats to render, in the registry's
// order. A format synth does not know, or knows but cannot write yet, is a
// usage error (exit 2): a build never exits 0 having written less than was
// asked.
func chooseFormats(flag, config []string, where string) ([]export.Format, error) {
	asked, what := flag, "--format"
	if asked == nil {
		asked, what = config, where+"output.formats"
	}
	formats, err := export.Choose(asked)
	if err != nil {
		return nil, usagef("%s: %v", what, err)
	}
	return formats, nil
}

// formatsHelp lists the formats with the files each writes.
func formatsHelp() string {
	var b strings.Builder
	for _, f := range export.Formats {
		fmt.Fprintf(&b, "  %-8s %s\n", f.Name, strings.Join(f.Files, ", "))
	}
	return b.String()
}

// output is one file to write or check: a function that streams its bytes,
// so that synthesis.json, hundreds of megabytes for a large review, never
// sits in memory whole.
type output struct {
	name  string
	write func(io.Writer) error
	check bool // compare with the file on disk instead of writing it
}

// written is what was written (or checked): for the manifest.
type written struct {
	name  string
	sum   string
	size  int64
	stale bool // checked, and the file on disk differs
}

// outputWriters is how many outputs are written at once.
const outputWriters = 4

// emit writes o into outDir, or with o.check compares it with the file
// there.
func emit(outDir string, o output) (written, error) {
	path := filepath.Join(outDir, filepath.FromSlash(o.name))
	var w written
	var err error
	if o.check {
		same := false
		w, same, err = compareStream(path, o.write)
		w.stale = err == nil && !same
	} else {
		w, err = writeStream(path, o.write)
	}
	w.name = o.name
	return w, err
}

func bytesOutput(name string, data []byte) output {
	return output{name: name, write: func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}}
}

// render renders the formats at once, as many at a time as there are CPUs
// (a format only reads the Result), and returns their files in the
// registry's order; the first format to fail, in that order, is the error.
func render(r *synthesis.Result, formats []export.Format, opt export.Options) ([]output, error) {
	files := make([][]export.Output, len(formats))
	errs := make([]error, len(formats))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range formats {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			files[i], errs[i] = f.Render(r, opt)
		}()
	}
	wg.Wait()
	var outs []output
	for i, f := range formats {
		if errs[i] != nil {
			return nil, fmt.Errorf("writing %s: %w", f.Name, errs[i])
		}
		for _, file := range files[i] {
			// A text that could not be read back from the file of a large
			// synthesis's texts fails the output it was in.
			write := func(w io.Writer) error { return errors.Join(file.Write(w), r.Extracts.Err()) }
			outs = append(outs, output{name: file.Name, write: write})
		}
	}
	if err := r.Extracts.Err(); err != nil {
		return nil, err
	}
	return outs, nil
}

// manifestEntry is a file of the manifest: its path (an input's as
// synth.yaml gives it, an output's within the output folder), SHA-256 and
// size in bytes.
type manifestEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// hashInputs hashes the project's inputs that can be read, in order.
func hashInputs(r *synthesis.Result) []manifestEntry {
	entries := []manifestEntry{}
	for _, in := range r.Inputs {
		sum, size, err := hashFile(r.Project.Path(in))
		if err != nil {
			continue
		}
		entries = append(entries, manifestEntry{in, sum, size})
	}
	return entries
}

// manifest lists the SHA-256 of every input and output, so that a published
// supplement can be traced to the exact data it came from.
func manifest(inputs []manifestEntry, outs []written) output {
	m := struct {
		Synth   string          `json:"synth"`
		Inputs  []manifestEntry `json:"inputs"`
		Outputs []manifestEntry `json:"outputs"`
	}{Synth: versionString(), Inputs: inputs, Outputs: []manifestEntry{}}
	for _, o := range outs {
		m.Outputs = append(m.Outputs, manifestEntry{o.name, o.sum, o.size})
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return bytesOutput("manifest.json", append(b, '\n'))
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// refuseInputs stops a build whose outputs would overwrite one of its inputs.
func refuseInputs(r *synthesis.Result, outDir string, outs []output) error {
	for _, in := range r.Inputs {
		ist, err := os.Stat(r.Project.Path(in))
		if err != nil {
			continue
		}
		for _, o := range append(outs, output{name: "manifest.json"}) {
			p := filepath.Join(outDir, filepath.FromSlash(o.name))
			if ost, err := os.Stat(p); err == nil && os.SameFile(ist, ost) {
				return fmt.Errorf("%s: refusing to write over the input %s; choose another output folder with --out", p, in)
			}
		}
	}
	return nil
}

func joinShort(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// writeAtomic writes data to path through a temporary file.
func writeAtomic(path string, data []byte) error {
	_, err := writeStream(path, bytesOutput("", data).write)
	return err
}

// canWrite makes path's folder and reports whether a file can be put at
// path: not when the folder cannot be made or path is a folder.
func canWrite(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return writeError(path, err)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s: is a folder; remove it or choose another output folder", path)
	}
	return nil
}

// writeStream writes what write produces to a temporary file beside path,
// hashing it on the way, and renames it into place, so that a reader never
// sees half a file.
func writeStream(path string, write func(io.Writer) error) (written, error) {
	if err := canWrite(path); err != nil {
		return written{}, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return written{}, writeError(path, err)
	}
	name := tmp.Name()
	h := sha256.New()
	aw := newAsyncWriter(1<<20, &writeback{f: tmp}, h)
	cw := &countingWriter{w: aw}
	err = write(cw)
	err = errors.Join(err, aw.Close(), tmp.Close())
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return written{}, writeError(path, err)
	}
	return written{sum: hex.EncodeToString(h.Sum(nil)), size: cw.n}, nil
}

// compareStream reports whether the file at path holds exactly what write
// produces, reading both as a stream.
func compareStream(path string, write func(io.Writer) error) (written, bool, error) {
	h := sha256.New()
	cmp := &comparingWriter{}
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		cmp.old = bufio.NewReaderSize(f, 1<<20)
	} else {
		cmp.differs = true
	}
	cw := &countingWriter{w: io.MultiWriter(h, cmp)}
	if err := write(cw); err != nil {
		return written{}, false, err
	}
	same := !cmp.differs
	if same {
		if _, err := cmp.old.ReadByte(); err != io.EOF {
			same = false // the old file is longer
		}
	}
	return written{sum: hex.EncodeToString(h.Sum(nil)), size: cw.n}, same, nil
}

// asyncWriter passes what is written, in buffers of a fixed size, through
// a goroutine per writer in turn: an output is then encoded on one core
// while others write it to the file and hash it for the manifest, each
// buffer in both at once (for a 630 MB synthesis.json, writing and hashing
// in one goroutine took longer than encoding it). The first error of a
// writer is returned by Close.
//
// Buffers are made as they are needed, up to asyncBuffers, and kept for
// the next output (asyncPool): a small file uses one, and the two dozen
// files of a build do not each clear four megabytes.
type asyncWriter struct {
	size int
	buf  []byte
	full chan []byte
	free chan []byte
	made int // buffers taken
	errc chan error
	n    int // writers
}

// asyncBuffers is how many buffers are in flight: one filling, one in each
// writer and one spare.
const asyncBuffers = 4

// asyncPool keeps the buffers of finished asyncWriters (*[]byte).
var asyncPool sync.Pool

func newAsyncWriter(size int, ws ...io.Writer) *asyncWriter {
	a := &asyncWriter{size: size, full: make(chan []byte, 1), free: make(chan []byte, asyncBuffers),
		errc: make(chan error, len(ws)), n: len(ws)}
	a.buf = a.take()
	in := a.full
	for i, w := range ws {
		out := a.free
		if i < len(ws)-1 {
			out = make(chan []byte, 1)
		}
		go func(in <-chan []byte, out chan<- []byte) {
			var err error
			for b := range in {
				if err == nil {
					_, err = w.Write(b)
				}
				if out == a.free {
					b = b[:0]
				}
				out <- b
			}
			if out != a.free {
				close(out)
			}
			a.errc <- err
		}(in, out)
		in = out
	}
	return a
}

// take returns an empty buffer of a.size: a finished one when the writers
// have handed one back, else a new one (from asyncPool) while fewer than
// asyncBuffers are taken, else the next one the writers hand back.
func (a *asyncWriter) take() []byte {
	select {
	case b := <-a.free:
		return b
	default:
	}
	if a.made == asyncBuffers {
		return <-a.free
	}
	a.made++
	if p, ok := asyncPool.Get().(*[]byte); ok && cap(*p) == a.size {
		return (*p)[:0]
	}
	return make([]byte, 0, a.size)
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := copy(a.buf[len(a.buf):cap(a.buf)], p)
		a.buf = a.buf[:len(a.buf)+k]
		p = p[k:]
		if len(a.buf) == cap(a.buf) {
			a.full <- a.buf
			a.buf = a.take()
		}
	}
	return n, nil
}

// Close writes what is buffered, waits for the writers, keeps the buffers
// for the next asyncWriter and returns the first error of a writer.
func (a *asyncWriter) Close() error {
	kept := 0
	if len(a.buf) > 0 {
		a.full <- a.buf
	} else {
		b := a.buf
		asyncPool.Put(&b)
		kept++
	}
	close(a.full)
	var err error
	for range a.n {
		if e := <-a.errc; err == nil {
			err = e
		}
	}
	// Every writer has finished, so each buffer taken is back in a.free.
	for ; kept < a.made; kept++ {
		b := <-a.free
		asyncPool.Put(&b)
	}
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// comparingWriter compares what is written with an old file's bytes.
type comparingWriter struct {
	old     *bufio.Reader
	buf     []byte
	differs bool
}

func (c *comparingWriter) Write(p []byte) (int, error) {
	if c.differs {
		return len(p), nil
	}
	if cap(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	b := c.buf[:len(p)]
	if _, err := io.ReadFull(c.old, b); err != nil || !bytes.Equal(b, p) {
		c.differs = true
	}
	return len(p), nil
}
