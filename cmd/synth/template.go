package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/synth-qda/synth/codebook"
	"github.com/synth-qda/synth/internal/fold"
	"github.com/synth-qda/synth/internal/workbook"
	"github.com/synth-qda/synth/synthesis"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// TemplateFile is the name synth template writes next to synth.yaml when
// --out is not given.
const TemplateFile = "extracts-template.xlsx"

// codeList is the hidden sheet of a template that holds the codebook's
// codes, and the defined name its Codes drop-down reads.
var codeList = workbook.ListSheet{Sheet: "Code list", Name: "SynthCodes", Header: "Code"}

// lastRow is the last row the drop-downs cover: Excel's last.
const lastRow = 1048576

type templateOptions struct {
	out    string
	update string
	force  bool
}

func newTemplateCmd(g *globals) *cobra.Command {
	o := &templateOptions{}
	c := &cobra.Command{
		Use:   "template [PROJECT]",
		Short: "Write an extracts workbook with the codebook's codes as a drop-down",
		Long: `Template writes an empty extracts workbook for PROJECT (default the current
folder): an Extracts sheet and a Studies sheet with the headers synth.yaml
names (else synth's defaults), an Instructions sheet, and the codebook's
codes as a drop-down on the Codes column, read from a hidden "Code list"
sheet so that any number of codes fits. The drop-down is help, not a lock:
a cell may hold several codes separated by ";", so a value not in the list
is allowed with a note, and synth validate checks every code. Type and CASP
columns have their own drop-downs.

It writes extracts-template.xlsx next to synth.yaml, or --out FILE, and
never overwrites a file without --force, nor a workbook the project reads.

After a codebook change, --update FILE refreshes the code list of a workbook
made by synth template and filled in since: only the hidden list is
rewritten, every other part of the file is copied byte for byte. It writes
the copy to --out (never over another workbook the project reads), or
replaces FILE itself with --force.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return templateRun(g, o, projectArg(args, 0))
		},
	}
	c.Flags().StringVarP(&o.out, "out", "o", "", "the workbook to write (default "+TemplateFile+" next to synth.yaml)")
	c.Flags().StringVar(&o.update, "update", "", "refresh the code list of this workbook instead of writing an empty one")
	c.Flags().BoolVar(&o.force, "force", false, "overwrite --out if it exists; with --update and no --out, replace the workbook itself")
	return c
}

func templateRun(g *globals, o *templateOptions, arg string) error {
	p, err := loadProjectAt(arg)
	if err != nil {
		return err
	}
	cb, err := codebook.Load(p.Path(p.Codebook))
	if err != nil {
		return err
	}
	codes := make([]string, len(cb.Codes))
	for i, c := range cb.Codes {
		codes[i] = c.Name
	}
	if o.update != "" {
		return updateTemplate(g, o, p, codes)
	}
	out := o.out
	if out == "" {
		out = filepath.Join(p.Dir, TemplateFile)
	}
	if err := refuseProjectInput(p, out); err != nil {
		return err
	}
	if err := refuseExisting(out, o.force); err != nil {
		return err
	}
	data, err := workbook.Write(templateBook(p.Title, newTemplateLayout(p), codes, false))
	if err != nil {
		return err
	}
	if err := writeFile(out, data); err != nil {
		return err
	}
	g.notef("wrote %s: %s in the drop-down", out, countNoun(len(codes), "code", "codes"))
	return nil
}

// updateTemplate refreshes the code list of the workbook o.update, one
// of project p's or not.
func updateTemplate(g *globals, o *templateOptions, p *synthesis.Project, codes []string) error {
	out := o.out
	if out == "" {
		if !o.force {
			return usagef("--update %s: give --out FILE for the updated copy, or --force to replace %s itself", o.update, o.update)
		}
		out = o.update
	} else if err := refuseExisting(out, o.force); err != nil {
		return err
	}
	// A copy of one coder's workbook must not replace another's.
	if in, err := os.Stat(o.update); err == nil && !sameFile(in, out) {
		if f := projectInput(p, out); f != "" {
			return fmt.Errorf("%s: refusing to write a copy of %s over %s, which the project reads; use --update %s --force to refresh it in place", out, o.update, f, sheet.ShellWord(out))
		}
	}
	data, err := os.ReadFile(o.update)
	if err != nil {
		return fmt.Errorf("%s: cannot read the workbook: %v", o.update, unwrapPath(err))
	}
	updated, err := workbook.UpdateList(data, codeList, codes)
	if err != nil {
		return fmt.Errorf("%s: %v", o.update, err)
	}
	if err := writeFile(out, updated); err != nil {
		return err
	}
	g.notef("wrote %s: %s in the drop-down; no other cell changed", out, countNoun(len(codes), "code", "codes"))
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func refuseExisting(path string, force bool) error {
	if force {
		return nil
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; use --force to overwrite it, or --out to choose another file", path)
	}
	return nil // any other trouble with path is the write's to report
}

// refuseProjectInput stops a template from being written over a workbook
// the project reads, even with --force: that is what --update is for.
func refuseProjectInput(p *synthesis.Project, out string) error {
	if f := projectInput(p, out); f != "" {
		return fmt.Errorf("%s: refusing to write an empty template over %s, which the project reads; use --update %s to refresh its code list", out, f, sheet.ShellWord(out))
	}
	return nil
}

// projectInput is the workbook of project p that path is, as synth.yaml
// names it, or "".
func projectInput(p *synthesis.Project, path string) string {
	ost, err := os.Stat(path)
	if err != nil {
		return ""
	}
	files := []string{}
	for _, s := range p.Extracts {
		files = append(files, s.File)
	}
	if p.Studies != nil {
		files = append(files, p.Studies.File)
	}
	for _, f := range files {
		if ist, err := os.Stat(p.Path(f)); err == nil && os.SameFile(ist, ost) {
			return f
		}
	}
	return ""
}

// templateLayout is what a template's sheets are called and which headers
// they have.
type templateLayout struct {
	extractsSheet, studiesSheet string
	// extracts are the Extracts headers; codes and typ index the Codes
	// and Type columns.
	extracts   []string
	fields     []string // the field of each Extracts column: id, study, text, codes, type, location, coder
	codes, typ int
	// studies are the Studies headers; the CASP columns are last.
	studies []string
	casp    int // the number of CASP columns
}

// newTemplateLayout follows synth.yaml: the first extracts source's sheet
// and columns, the studies table's sheet and id and label columns, the
// sensitivity rule's column; DESIGN §1.2 and §1.3's defaults for the rest
// (a column named by letter, $H, takes the default name). p may be nil.
func newTemplateLayout(p *synthesis.Project) templateLayout {
	var cols synthesis.ExtractColumns
	l := templateLayout{extractsSheet: "Extracts", studiesSheet: "Studies"}
	var idCol, labelCol, sensitivity string
	if p != nil {
		if len(p.Extracts) > 0 {
			cols = p.Extracts[0].Columns
			l.extractsSheet = orHeader(p.Extracts[0].Sheet, l.extractsSheet)
		}
		if p.Studies != nil {
			l.studiesSheet = orHeader(p.Studies.Sheet, l.studiesSheet)
			idCol, labelCol = p.Studies.Columns.ID, p.Studies.Columns.Label
		}
		if p.Sensitivity != nil {
			sensitivity = p.Sensitivity.Exclude.Column
		}
	}
	seen := map[string]bool{}
	add := func(list *[]string, name string) int {
		k := fold.Key(name)
		if seen[k] {
			return -1
		}
		seen[k] = true
		*list = append(*list, name)
		return len(*list) - 1
	}
	l.codes, l.typ = -1, -1
	for _, f := range []struct{ field, name, def string }{
		{"id", cols.ID, "ID"}, {"study", cols.Study, "Study"}, {"text", cols.Text, "Extract"},
		{"codes", cols.Codes, "Codes"}, {"type", cols.Type, "Type"},
		{"location", cols.Location, "Location"}, {"coder", cols.Coder, "Coder"},
	} {
		i := add(&l.extracts, orHeader(f.name, f.def))
		if i < 0 {
			continue
		}
		l.fields = append(l.fields, f.field)
		switch f.field {
		case "codes":
			l.codes = i
		case "type":
			l.typ = i
		}
	}
	seen = map[string]bool{}
	for _, h := range []string{orHeader(idCol, "ID"), orHeader(labelCol, "Label"), "Author", "Year", "Country", "Setting", "Design", "Participants", "Quality"} {
		add(&l.studies, h)
	}
	if sensitivity != "" {
		add(&l.studies, fold.Clean(sensitivity))
	}
	for i := 1; i <= 10; i++ {
		if add(&l.studies, fmt.Sprintf("CASP %d", i)) >= 0 {
			l.casp++
		}
	}
	return l
}

// orHeader is s unless it is blank or a column letter ($H), else def.
func orHeader(s, def string) string {
	if s = fold.Clean(s); s == "" || strings.HasPrefix(s, "$") {
		return def
	}
	return s
}

// columnRange is a column's cells below the header: D2:D1048576.
func columnRange(i int) string {
	c := sheet.ColName(i + 1)
	return fmt.Sprintf("%s2:%s%d", c, c, lastRow)
}

// templateBook is the extracts workbook of synth template and synth init:
// the Extracts and Studies sheets (with one example row each when
// example), the Instructions sheet and the hidden code list.
//
// The Codes drop-down reads the defined name SynthCodes, which refers to
// the hidden sheet's range, so that it holds any number of codes (Excel
// limits an inline list to 255 characters) and --update can renew it
// without touching the Extracts sheet. It is of the Information style: a
// value not in the list is kept after a note, because a cell may hold
// several codes separated by ";", which no list validation can check
// (synth validate checks each code). Type and CASP drop-downs are of the
// Warning style: Excel asks before keeping another value, since synth
// accepts other spellings (quote, 1st order…).
func templateBook(title string, l templateLayout, codes []string, example bool) workbook.Book {
	extracts := workbook.Sheet{Name: l.extractsSheet, Header: l.extracts, DefaultWidth: 12}
	widths := map[int]float64{2: 70, l.codes: 30}
	for i := range l.extracts {
		w, ok := widths[i]
		if !ok {
			w = 12
		}
		extracts.Widths = append(extracts.Widths, w)
	}
	extracts.Lists = append(extracts.Lists, workbook.List{
		Range: columnRange(max(l.codes, 0)), Source: codeList.Name, Style: workbook.Information,
		Prompt: "Pick a code, or type several separated by ;",
		Error:  "Not one code of the codebook. Several codes separated by ; are fine; synth validate checks each of them.",
	})
	if l.typ >= 0 {
		extracts.Lists = append(extracts.Lists, workbook.List{Range: columnRange(l.typ),
			Values: []string{"participant", "author"}, Style: workbook.Warning,
			Error: "synth reads participant (a quotation) or author (an interpretation)."})
	}
	studies := workbook.Sheet{Name: l.studiesSheet, Header: l.studies, DefaultWidth: 14}
	if l.casp > 0 {
		first := len(l.studies) - l.casp
		studies.Lists = append(studies.Lists, workbook.List{
			Range:  fmt.Sprintf("%s2:%s%d", sheet.ColName(first+1), sheet.ColName(len(l.studies)), lastRow),
			Values: []string{"Yes", "No", "Can't tell"}, Style: workbook.Warning,
			Error: "CASP answers are Yes, No or Can't tell."})
	}
	if example {
		byField := map[string]string{
			"id": "E001", "study": "S01", "text": "Replace this row with a participant quotation or an author interpretation from the study.",
			"codes": firstOr(codes, ""), "type": "participant", "location": "p. 1", "coder": "AB"}
		row := make([]string, len(l.fields))
		for i, f := range l.fields {
			row[i] = byField[f]
		}
		extracts.Rows = [][]string{row}
		study := []string{"S01", "Example author 2024", "Example author", "2024", "UK", "Primary care", "Semi-structured interviews", "20", "high"}
		for len(study) < len(l.studies)-l.casp {
			study = append(study, "")
		}
		for range l.casp {
			study = append(study, "Yes")
		}
		studies.Rows = [][]string{study}
	}
	return workbook.Book{
		Title:  orHeader(title, "Extracts"),
		Sheets: []workbook.Sheet{extracts, studies, instructions(l), codeList.SheetOf(codes)},
		Names:  []workbook.Name{{Name: codeList.Name, RefersTo: codeList.Range(len(codes))}},
	}
}

func firstOr(xs []string, def string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return def
}

// instructions is the Instructions sheet: how to fill the workbook in.
func instructions(l templateLayout) workbook.Sheet {
	codes := "Codes"
	if l.codes >= 0 {
		codes = l.extracts[l.codes]
	}
	lines := []string{
		"Sheet " + l.extractsSheet + ": one row per coded extract (a participant quotation or an author interpretation).",
		"Columns: " + strings.Join(l.extracts, ", ") + ". The study, the extract's text and its codes are required.",
		"Column " + codes + ": pick a code from the drop-down, or type several separated by ; (for example: Loneliness; Low mood). Codes are matched ignoring case and extra spaces, and by their aliases.",
		"A code that is not in the list is kept after a note: the list is help, not a lock. synth validate names every code it does not know, with the nearest one.",
		"Rows with the same ID are one extract whose codes are joined; a row per code, or per coder, is fine.",
		"Sheet " + l.studiesSheet + ": one row per included study. " + l.studies[0] + " is the value the " + l.extracts[1] + " column uses; " + l.studies[1] + " is how the supplement cites the study (e.g. Okafor 2019).",
		"CASP columns take Yes, No or Can't tell.",
		"The codes in the drop-down are on the hidden sheet " + codeList.Sheet + ". After the codebook changes, run: synth template --update THIS-FILE --out NEW-FILE (or --force to update this file). Only that hidden sheet is rewritten; your rows are not touched.",
		"Then run synth validate and synth build on the project.",
	}
	rows := make([][]string, len(lines))
	for i, s := range lines {
		rows[i] = []string{s}
	}
	return workbook.Sheet{Name: "Instructions", Header: []string{"How to fill in this workbook"}, Rows: rows, Widths: []float64{120}}
}
