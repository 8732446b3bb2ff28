// Package export turns a computed synthesis (*synthesis.Result) into the
// files a review and its journal supplement need: synthesis.json,
// synthesis.md, csv/<table>.csv, synthesis.xlsx, theme-map.dot and
// theme-map.mmd. It writes bytes to writers and never touches the file
// system; the command decides where files go.
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
package export

import (
	"bytes"
	"fmt"
	"io"
	"os"
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

// Implemented reports the formats this package can render, in a fixed order.
var Implemented = []string{"json", "md", "csv", "xlsx", "dot", "mermaid"}

// Files renders one format ("json", "md", "csv", "xlsx", "dot", "mermaid")
// into its files.
func Files(format string, r *synthesis.Result) ([]File, error) {
	if format == "csv" {
		return CSV(r)
	}
	var (
		name   string
		render func(io.Writer, *synthesis.Result) error
	)
	switch format {
	case "json":
		name, render = "synthesis.json", JSON
	case "md":
		name, render = "synthesis.md", Markdown
	case "xlsx":
		name, render = "synthesis.xlsx", XLSX
	case "dot":
		name, render = "theme-map.dot", DOT
	case "mermaid":
		name, render = "theme-map.mmd", Mermaid
	default:
		if synthesis.KnownFormat(format) {
			return nil, fmt.Errorf("format %q is not implemented yet; implemented formats are %s", format, strings.Join(Implemented, ", "))
		}
		return nil, fmt.Errorf("unknown format %q; formats are %s", format, strings.Join(Implemented, ", "))
	}
	var b bytes.Buffer
	if format == "json" || format == "md" {
		// Grow once: doubling a buffer of tens of megabytes costs more in
		// copying and zeroing than writing the text does.
		text := 0
		for _, e := range r.Extracts {
			text += len(e.Text)
		}
		b.Grow(2*text + 512*len(r.Extracts) + 64<<10)
	}
	if err := render(&b, r); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return []File{{Name: name, Data: b.Bytes()}}, nil
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
