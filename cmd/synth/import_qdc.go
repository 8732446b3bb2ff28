package main

// synth import qdc: a REFI-QDA codebook (.qdc, REFI-QDA 1.5 Codebook.xsd)
// becomes codebook.yaml (see codeTree for the mapping). Into a folder with
// no project it writes a project that validates: synth.yaml, codebook.yaml
// and an extracts.xlsx with the default headers and no rows. Into a
// project, it writes the project's codebook only: a new one, or with
// --merge the changes brought into the one there (codebook.Merge), or with
// --force a replacement.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/refi"
	"github.com/synth-qda/synth/synthesis"
	"github.com/synth-qda/synth/synthesis/sheet"
)

type importQDCOptions struct {
	out          string
	force, merge bool
}

func newImportQDCCmd(g *globals) *cobra.Command {
	o := &importQDCOptions{}
	c := &cobra.Command{
		Use:   "qdc FILE --out DIR",
		Short: "Bring in a REFI-QDA codebook (.qdc) as codebook.yaml",
		Long: `Import qdc reads a REFI-QDA codebook, the codebook exchange file that NVivo,
ATLAS.ti, MAXQDA, QualCoder and Taguette export (and synth export qdc
writes), and writes it as codebook.yaml.

Every code that may be applied is a code, with its description as its
definition; a code with sub-codes, or one that only groups others
(isCodable="false"), is a theme over them. Names, descriptions, colours and
GUIDs are kept (guid: and color: in codebook.yaml), so that synth export qdc
gives the codebook back as it came. Codes that share a name under different
parents are told apart as "Parent › Name". A code set named after a theme
and starting with it, as synth export qdc writes one, lists the theme's
codes and sub-themes; any other set is a top-level theme over its members.

Into a folder with no synth.yaml it writes a new project: synth.yaml,
codebook.yaml and an empty extracts.xlsx. Into a project, only its codebook:
an existing codebook is kept unless --merge (bring the .qdc's codes and
themes into it: matched by GUID, else by name; findings, CERQual, quotes,
aliases, ids and comments stay; a renamed code keeps its old name as an
alias; what only codebook.yaml has is kept and listed) or --force (replace
it).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("import qdc: give one REFI-QDA codebook file (.qdc), e.g. synth import qdc codebook.qdc --out my-review")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return importQDCRun(g, o, args[0])
		},
	}
	c.Flags().StringVarP(&o.out, "out", "o", "", "the folder (a project, or where to start one) to write codebook.yaml into (required)")
	c.Flags().BoolVar(&o.merge, "merge", false, "bring the codebook's changes into the codebook.yaml there")
	c.Flags().BoolVar(&o.force, "force", false, "replace files that already exist")
	return c
}

func importQDCRun(g *globals, o *importQDCOptions, file string) error {
	if strings.TrimSpace(o.out) == "" {
		return usagef("import qdc: --out DIR is required: the project folder to write codebook.yaml into, or where to start a project")
	}
	if err := outIsFolder(o.out, "codebook.yaml"); err != nil {
		return err
	}
	if o.merge && o.force {
		return usagef("import qdc: --merge and --force do not go together: --merge keeps the codebook there and brings the changes in, --force replaces it")
	}
	cb, err := refi.OpenQDC(file, refi.Options{})
	if err != nil {
		return err
	}
	tree := newCodeTree(cb, true)
	head := fmt.Sprintf("# Imported from %s (REFI-QDA codebook", filepath.Base(file))
	if o := importName(cb.Origin); o != "" {
		head += ", exported by " + o
	}
	head += ").\n# Every code that may be applied is a code here; a code with sub-codes, or one that\n" +
		"# only groups others, is a theme. guid and color keep each code's REFI-QDA identity\n" +
		"# and colour for synth export qdc."
	fresh, err := tree.yaml(head)
	if err != nil {
		return err
	}
	if _, err := codebook.Parse("codebook.yaml", fresh); err != nil {
		return fmt.Errorf("the codebook made from %s does not read back (%v); please report this", file, err)
	}

	in, _ := os.Stat(file)
	project := filepath.Join(o.out, synthesis.ProjectFile)
	cbPath := filepath.Join(o.out, "codebook.yaml")
	haveProject := exists(project)
	if haveProject {
		p, err := synthesis.LoadProject(project)
		if err != nil {
			return err
		}
		cbPath = p.Path(p.Codebook)
	}
	written := []string{cbPath}
	files := map[string][]byte{cbPath: fresh}
	summary := fmt.Sprintf("%s, %s", countNoun(tree.codes, "code", "codes"), countNoun(tree.themes, "theme", "themes"))
	switch old, err := os.ReadFile(cbPath); {
	case err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("%s: cannot read it: %v", cbPath, unwrapPath(err))
	case err == nil && in != nil && sameFile(in, cbPath):
		return fmt.Errorf("%s is the codebook being imported; choose another --out folder", cbPath)
	case err == nil && o.merge:
		merged, rep, err := codebook.Merge(cbPath, old, fresh)
		if err != nil {
			return err
		}
		files[cbPath] = merged
		summary = fmt.Sprintf("%d codes and themes updated, %d added", rep.Updated, rep.Added)
		if rep.Renamed > 0 {
			summary += fmt.Sprintf(", %s kept as %s", countNoun(rep.Renamed, "old code name", "old code names"), pluralOf(rep.Renamed, "an alias", "aliases"))
		}
		if len(rep.Kept) > 0 {
			g.importWarning(file, "kept-in-codebook", fmt.Sprintf("kept %s of %s that %s not in %s (delete by hand what was removed on purpose): %s",
				countNoun(len(rep.Kept), "code or theme", "codes and themes"), cbPath, pluralOf(len(rep.Kept), "is", "are"), filepath.Base(file),
				strings.Join(rep.Kept[:min(3, len(rep.Kept))], ", ")+more(len(rep.Kept), 3)))
		}
	case err == nil && !o.force:
		return fmt.Errorf("%s already exists; use --merge to bring the codebook's changes into it, or --force to replace it", cbPath)
	case !haveProject:
		pl, err := planImport(&refi.Project{Name: "", Origin: cb.Origin}, file, "document")
		if err != nil {
			return err
		}
		pl.command = "qdc"
		proj, err := pl.projectYAML()
		if err != nil {
			return err
		}
		wb, err := pl.workbook()
		if err != nil {
			return err
		}
		for name, data := range map[string][]byte{"extracts.xlsx": wb, synthesis.ProjectFile: proj} {
			path := filepath.Join(o.out, name)
			if exists(path) && !o.force {
				return fmt.Errorf("%s already exists; use --force to overwrite it, or choose another --out folder", path)
			}
			files[path] = data
		}
		written = []string{cbPath, filepath.Join(o.out, "extracts.xlsx"), project}
	}
	for _, path := range written {
		if err := writeFile(path, files[path]); err != nil {
			return err
		}
	}
	if w, ok := tree.warning(); ok {
		g.importWarning(file, w.kind, w.msg)
	}
	names := make([]string, len(written))
	for i, p := range written {
		names[i] = filepath.Base(p)
	}
	g.notef("wrote %s to %s: %s; next: synth validate %s", strings.Join(names, ", "), o.out, summary, sheet.ShellWord(o.out))
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func sameFile(a os.FileInfo, path string) bool {
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// more is ", …" when n things were named but only shown are.
func more(n, shown int) string {
	if n > shown {
		return ", …"
	}
	return ""
}
