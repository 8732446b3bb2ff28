// Package export turns a computed synthesis (*synthesis.Result) into the
// files a review and its journal supplement need: synthesis.json,
// synthesis.md, csv/<table>.csv, synthesis.xlsx, theme-map.dot,
// theme-map.mmd, the figures theme-map.svg/.png and prisma.svg/.png,
// report.html and supplement.docx. It writes bytes to writers and never
// touches the file system; the command decides where files go. The formats are registered
// once, in Formats; everything that names formats reads it.
//
// The supplement tables (Table S1, S2, …) are built once by Tables and
// rendered by every tabular format, so md, csv and xlsx always agree.
//
// Every format renders the same Result to the same bytes: slices keep the
// Result's order, map keys are sorted, and document timestamps come from
// DocTime (SOURCE_DATE_EPOCH, or 2000-01-01T00:00:00Z).
//
// Text that reviewers wrote (extract text, names, study fields) is data,
// never markup, code or a formula:
//
//   - JSON keeps the exact text (HTML characters are not escaped).
//   - xlsx writes every user value as a string cell, never a formula; only
//     counts synth computed are numbers. A table longer than a worksheet
//     (1,048,576 rows) keeps its first rows and ends with a row saying so.
//   - CSV (RFC 4180, UTF-8 without BOM, \n line ends, one file per table)
//     prefixes a field that begins with =, +, -, @, tab or carriage return
//     with a single quote ' so that spreadsheet programs do not run it as a
//     formula (the OWASP "CSV injection" rule). The quote is the only
//     change; synthesis.json and synthesis.xlsx keep the exact text.
//   - Markdown escapes | and the inline markup characters with a backslash,
//     writes <, > and & as entities, and turns line breaks into <br>, so no
//     text becomes a link, emphasis, HTML or a script.
//   - DOT labels are quoted strings with " and \ escaped; Mermaid labels
//     use entity codes (#quot; #lt; …) and node ids are sanitised.
//   - SVG figures write names as XML text (& < > " ' escaped, control
//     characters turned into spaces), never markup; the PNGs draw them.
//   - HTML (report.html) is laid out by html/template, whose contextual
//     escaping makes every value text; anchors are [a-z0-9-] ids synth makes.
//   - supplement.docx escapes every value as XML text in runs of
//     WordprocessingML: no field, link or markup comes from user text;
//     characters XML 1.0 cannot hold become U+FFFD (see DOCX).
package export

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/synth-qda/synth/synthesis"
)

// File is one output file; Name is relative to the output folder, with
// forward slashes.
type File struct {
	Name string
	Data []byte
}

// Options are the choices of a build that change what a format writes.
type Options struct {
	// CSVBOM starts each CSV file with a UTF-8 byte-order mark (see CSVWithBOM).
	CSVBOM bool
	// MapCodes adds each theme's own codes to the theme maps (dot, mermaid,
	// svg, png): MapOptions.Codes.
	MapCodes bool
}

// Output is one file a format writes: its name, relative to the output
// folder with forward slashes, and a function that writes its bytes.
// synthesis.json streams as it is written, so that a large review's JSON
// never sits in memory whole; every other format has rendered its bytes
// when Render returns, so that its errors come before any file is written.
type Output struct {
	Name  string
	Write func(io.Writer) error
	data  []byte // the bytes, when rendered already
}

// Format is one output format of the registry.
type Format struct {
	Name  string   // as in --format and output.formats
	Files []string // the files it writes, for help text; <table> stands for each table's name
	// Render renders r into the format's files.
	Render func(r *synthesis.Result, o Options) ([]Output, error)
	// LaysOut says that it draws the theme map, which Graphviz's dot lays
	// out: synth build starts Graphviz (WarmLayout) as it reads the
	// project when a format it writes does.
	LaysOut bool
}

// Formats is the one registry of the formats this version of synth writes,
// in the order they are written, listed and recorded in the manifest.
// synth build's --format and output.formats, its help and Files all read it.
var Formats = []Format{
	{"json", []string{"synthesis.json"}, streamed("synthesis.json", JSON), false},
	{"md", []string{"synthesis.md"}, rendered("synthesis.md", Markdown), false},
	{"csv", []string{"csv/<table>.csv"}, csvOutputs, false},
	{"xlsx", []string{"synthesis.xlsx"}, rendered("synthesis.xlsx", XLSX), false},
	{"dot", []string{"theme-map.dot"}, mapRendered("theme-map.dot", DOTWith), false},
	{"mermaid", []string{"theme-map.mmd"}, mapRendered("theme-map.mmd", MermaidWith), false},
	{"svg", []string{"theme-map.svg", "prisma.svg"}, figures(ThemeMapSVG, PRISMASVG, "svg"), true},
	{"png", []string{"theme-map.png", "prisma.png"}, figures(ThemeMapPNG, PRISMAPNG, "png"), true},
	{"html", []string{"report.html"}, rendered("report.html", HTML), true},
	{"docx", []string{"supplement.docx"}, rendered("supplement.docx", DOCX), true},
}

// aliases are other names accepted for a format.
var aliases = map[string]string{"mmd": "mermaid"}

// Names are the registered formats' names, in registry order.
func Names() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return names
}

// Lookup finds the format named name, ignoring case and surrounding space
// and accepting "mmd" for mermaid. An unknown name is an error that lists
// the formats there are.
func Lookup(name string) (Format, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[n]; ok {
		n = a
	}
	for _, f := range Formats {
		if f.Name == n {
			return f, nil
		}
	}
	list := strings.Join(Names(), ", ")
	return Format{}, fmt.Errorf("unknown format %q; formats are %s", name, list)
}

// Choose resolves names to formats, distinct and in registry order, so that
// a manifest does not depend on how the formats were listed. Nil names
// choose every format. The first name that Lookup refuses is the error.
func Choose(names []string) ([]Format, error) {
	if names == nil {
		return Formats, nil
	}
	chosen := make([]bool, len(Formats))
	for _, name := range names {
		f, err := Lookup(name)
		if err != nil {
			return nil, err
		}
		chosen[slices.IndexFunc(Formats, func(g Format) bool { return g.Name == f.Name })] = true
	}
	var out []Format
	for i, f := range Formats {
		if chosen[i] {
			out = append(out, f)
		}
	}
	return out, nil
}

// Files renders the format named format into its files, in memory.
func Files(format string, r *synthesis.Result) ([]File, error) {
	f, err := Lookup(format)
	if err != nil {
		return nil, err
	}
	outs, err := f.Render(r, Options{})
	if err != nil {
		return nil, err
	}
	files := make([]File, 0, len(outs))
	for _, o := range outs {
		if o.data != nil {
			files = append(files, File{Name: o.Name, Data: o.data})
			continue
		}
		var b bytes.Buffer
		grow(&b, r)
		if err := o.Write(&b); err != nil {
			return nil, fmt.Errorf("%s: %w", o.Name, err)
		}
		files = append(files, File{Name: o.Name, Data: b.Bytes()})
	}
	return files, nil
}

// streamed is a format of one file written as it streams.
func streamed(name string, render func(io.Writer, *synthesis.Result) error) func(*synthesis.Result, Options) ([]Output, error) {
	return func(r *synthesis.Result, _ Options) ([]Output, error) {
		return []Output{{Name: name, Write: func(w io.Writer) error { return render(w, r) }}}, nil
	}
}

// rendered is a format of one file rendered in memory by Render.
func rendered(name string, render func(io.Writer, *synthesis.Result) error) func(*synthesis.Result, Options) ([]Output, error) {
	return func(r *synthesis.Result, _ Options) ([]Output, error) {
		var b bytes.Buffer
		if name == "synthesis.md" {
			grow(&b, r)
		}
		if err := render(&b, r); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []Output{bytesOutput(name, b.Bytes())}, nil
	}
}

// mapRendered is a theme map format of one file, drawn with the build's
// MapCodes.
func mapRendered(name string, render func(io.Writer, *synthesis.Result, MapOptions) error) func(*synthesis.Result, Options) ([]Output, error) {
	return func(r *synthesis.Result, o Options) ([]Output, error) {
		var b bytes.Buffer
		if err := render(&b, r, MapOptions{Codes: o.MapCodes}); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []Output{bytesOutput(name, b.Bytes())}, nil
	}
}

// figures is a figure format: theme-map.<ext>, and prisma.<ext> when the
// project gives PRISMA counts.
func figures(themeMap func(*synthesis.Result, MapOptions) ([]byte, error), prisma func(*synthesis.Result) ([]byte, error), ext string) func(*synthesis.Result, Options) ([]Output, error) {
	return func(r *synthesis.Result, o Options) ([]Output, error) {
		m, p, err, perr := drawBoth(
			func() ([]byte, error) { return themeMap(r, MapOptions{Codes: o.MapCodes}) },
			func() ([]byte, error) { return prisma(r) })
		if err != nil {
			return nil, fmt.Errorf("theme-map.%s: %w", ext, err)
		}
		outs := []Output{bytesOutput("theme-map."+ext, m)}
		if err := perr; err != nil {
			return nil, fmt.Errorf("prisma.%s: %w", ext, err)
		}
		if p != nil {
			outs = append(outs, bytesOutput("prisma."+ext, p))
		}
		return outs, nil
	}
}

// drawBoth draws the theme map and the PRISMA diagram at once, and returns
// each with its error.
func drawBoth(themeMap, prisma func() ([]byte, error)) (m, p []byte, merr, perr error) {
	drawn := make(chan struct{})
	go func() {
		defer close(drawn)
		p, perr = prisma()
	}()
	m, merr = themeMap()
	<-drawn
	return m, p, merr, perr
}

func csvOutputs(r *synthesis.Result, o Options) ([]Output, error) {
	files, err := CSVWithBOM(r, o.CSVBOM)
	if err != nil {
		return nil, err
	}
	outs := make([]Output, len(files))
	for i, f := range files {
		outs[i] = bytesOutput(f.Name, f.Data)
	}
	return outs, nil
}

func bytesOutput(name string, data []byte) Output {
	return Output{Name: name, data: data, Write: func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}}
}

// grow sizes b once for a text rendering of r: doubling a buffer of tens of
// megabytes costs more in copying and zeroing than writing the text does.
func grow(b *bytes.Buffer, r *synthesis.Result) {
	text := 0
	r.Extracts.Each(func(_ int, e *synthesis.Extract) { text += len(e.Text) }) // keeps none
	b.Grow(2*text + 512*r.Extracts.Len() + 64<<10)
}

// defaultDocTime is the document timestamp without SOURCE_DATE_EPOCH.
var defaultDocTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// DocTime is the creation and modification time written into documents
// (xlsx properties, zip entries): SOURCE_DATE_EPOCH (seconds since 1970,
// https://reproducible-builds.org/specs/source-date-epoch/) when it is set
// and valid, else 2000-01-01T00:00:00Z, so that the same input gives the
// same bytes.
func DocTime() time.Time {
	if s := strings.TrimSpace(os.Getenv("SOURCE_DATE_EPOCH")); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			return time.Unix(n, 0).UTC()
		}
	}
	return defaultDocTime
}

// studyID is the id of an extract's study, "" when it has none.
func studyID(s *synthesis.Study) string {
	if s == nil {
		return ""
	}
	return s.ID
}

// studyLabels cites studies as the supplement does.
func studyLabels(ss []*synthesis.Study) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.Label)
	}
	return out
}

func studyIDs(ss []*synthesis.Study) []string {
	ids := make([]string, 0, len(ss))
	for _, s := range ss {
		ids = append(ids, studyID(s))
	}
	return ids
}

// count formats n with its noun: "1 study", "3 studies".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// nonNil returns s, or an empty slice for nil, so JSON shows [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
