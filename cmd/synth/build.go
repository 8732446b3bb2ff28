package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/export"
	"github.com/synth-qda/synth/synthesis"
)

type buildOptions struct {
	buildFlags
	out     string
	formats []string
	strict  bool
	check   bool
}

func newBuildCmd(g *globals) *cobra.Command {
	o := &buildOptions{}
	c := &cobra.Command{
		Use:   "build [PROJECT]",
		Short: "Compute the synthesis and write its tables and figures",
		Long: `Build reads PROJECT (a folder with synth.yaml, or the synth.yaml itself;
default the current folder), computes the synthesis and writes the outputs to
the output folder (output.dir in synth.yaml, default "out").

Formats: ` + strings.Join(export.Implemented, ", ") + `. Without --format and without
output.formats in synth.yaml, every format is written. manifest.json, with the
SHA-256 of every input and output, is always written.

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
	c.Flags().StringSliceVarP(&o.formats, "format", "f", nil, "formats to write, comma-separated: "+strings.Join(export.Implemented, ","))
	c.Flags().BoolVar(&o.strict, "strict", false, "treat warnings as errors")
	c.Flags().BoolVar(&o.check, "check", false, "write nothing; exit 1 if the outputs are stale")
	return c
}

func buildRun(g *globals, o *buildOptions, arg string) error {
	formats, err := chooseFormats(g, o.formats, nil)
	if err != nil {
		return err
	}
	r, err := g.load(arg, &o.buildFlags)
	if err != nil {
		return err
	}
	if o.formats == nil {
		if formats, err = chooseFormats(g, nil, r.Project.Output.Formats); err != nil {
			return err
		}
	}
	g.warnings(r.Warnings, o.strict)
	if o.strict && len(r.Warnings) > 0 {
		return fmt.Errorf("%d warning(s) with --strict; nothing written", len(r.Warnings))
	}
	outDir := o.out
	if outDir == "" {
		outDir = r.Project.Path(r.Project.Output.Dir)
	}
	files, err := render(r, formats)
	if err != nil {
		return err
	}
	files = append(files, manifest(r, files))
	if err := refuseInputs(r, outDir, files); err != nil {
		return err
	}
	if o.check {
		stale := staleFiles(outDir, files)
		if len(stale) > 0 {
			return fmt.Errorf("%s is stale: %s differ from what synth build writes now; run synth build", outDir, joinShort(stale, 5))
		}
		g.notef("%s is up to date (%d files)", outDir, len(files))
		return nil
	}
	for _, f := range files {
		if err := writeAtomic(filepath.Join(outDir, filepath.FromSlash(f.Name)), f.Data); err != nil {
			return err
		}
	}
	g.notef("wrote %d files to %s: %d studies, %d extracts, %d themes, %d warnings",
		len(files), outDir, len(r.Studies), len(r.Extracts), len(r.Themes), len(r.Warnings))
	return nil
}

// chooseFormats resolves --format (flag) or output.formats (config) to the
// formats to render. Formats the design names but this version cannot write
// yet are skipped with a note; unknown names are usage errors.
func chooseFormats(g *globals, flag, config []string) ([]string, error) {
	asked := flag
	if asked == nil {
		asked = config
	}
	if asked == nil {
		return export.Implemented, nil
	}
	var out []string
	for _, f := range asked {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "mmd" {
			f = "mermaid"
		}
		switch {
		case slices.Contains(export.Implemented, f):
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		case synthesis.KnownFormat(f):
			g.notef("format %s is not available in this version of synth; skipped", f)
		case flag != nil:
			return nil, usagef("--format: unknown format %q; formats are %s", f, strings.Join(export.Implemented, ", "))
		}
	}
	// Keep the fixed order so manifests do not depend on how formats were listed.
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(export.Implemented, a) - slices.Index(export.Implemented, b)
	})
	return out, nil
}

func render(r *synthesis.Result, formats []string) ([]export.File, error) {
	var files []export.File
	for _, f := range formats {
		fs, err := export.Files(f, r)
		if err != nil {
			return nil, fmt.Errorf("writing %s: %w", f, err)
		}
		files = append(files, fs...)
	}
	return files, nil
}

// manifest lists the SHA-256 of every input and output, so that a published
// supplement can be traced to the exact data it came from.
func manifest(r *synthesis.Result, files []export.File) export.File {
	type entry struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
		Bytes  int64  `json:"bytes"`
	}
	m := struct {
		Synth   string  `json:"synth"`
		Inputs  []entry `json:"inputs"`
		Outputs []entry `json:"outputs"`
	}{Synth: versionString(), Inputs: []entry{}, Outputs: []entry{}}
	for _, in := range r.Inputs {
		data, err := os.ReadFile(r.Project.Path(in))
		if err != nil {
			continue
		}
		m.Inputs = append(m.Inputs, entry{in, sum(data), int64(len(data))})
	}
	for _, f := range files {
		m.Outputs = append(m.Outputs, entry{f.Name, sum(f.Data), int64(len(f.Data))})
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return export.File{Name: "manifest.json", Data: append(b, '\n')}
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// refuseInputs stops a build whose outputs would overwrite one of its inputs.
func refuseInputs(r *synthesis.Result, outDir string, files []export.File) error {
	for _, in := range r.Inputs {
		ist, err := os.Stat(r.Project.Path(in))
		if err != nil {
			continue
		}
		for _, f := range files {
			p := filepath.Join(outDir, filepath.FromSlash(f.Name))
			if ost, err := os.Stat(p); err == nil && os.SameFile(ist, ost) {
				return fmt.Errorf("%s: refusing to write over the input %s; choose another output folder with --out", p, in)
			}
		}
	}
	return nil
}

func staleFiles(outDir string, files []export.File) []string {
	var stale []string
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join(outDir, filepath.FromSlash(f.Name)))
		if err != nil || !bytes.Equal(old, f.Data) {
			stale = append(stale, f.Name)
		}
	}
	return stale
}

func joinShort(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// writeAtomic writes data to a temporary file beside path and renames it into
// place, so that a reader never sees half a file.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s: is a folder; remove it or choose another output folder", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o644); err != nil && !errors.Is(err, fs.ErrNotExist) {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
