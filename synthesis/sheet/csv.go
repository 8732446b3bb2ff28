package sheet

// Placeholder: a plain encoding/csv reader, to be replaced by the sniffing,
// encoding-aware reader.

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
)

type csvWorkbook struct {
	path string
	name string
}

// OpenCSV opens a delimited text file as a workbook of one sheet named after
// the file (without its extension).
func OpenCSV(path string) (Workbook, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, &FileError{File: path, Msg: "cannot be read: " + err.Error()}
	}
	base := filepath.Base(path)
	return &csvWorkbook{path: path, name: strings.TrimSuffix(base, filepath.Ext(base))}, nil
}

func (c *csvWorkbook) Sheets() []Info { return []Info{{Name: c.name}} }

func (c *csvWorkbook) Rows(sheet string, fn func(Row) error) error {
	if sheet != c.name {
		return SheetNotFound(c.path, sheet, c.Sheets())
	}
	f, err := os.Open(c.path)
	if err != nil {
		return &FileError{File: c.path, Msg: err.Error()}
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	if strings.HasSuffix(strings.ToLower(c.path), ".tsv") {
		r.Comma = '\t'
	}
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &FileError{File: c.path, Msg: err.Error()}
		}
		n++
		row := Row{Num: n}
		for i, v := range rec {
			if v != "" {
				row.Cells = append(row.Cells, Cell{Col: i + 1, Value: v})
			}
		}
		if len(row.Cells) > 0 {
			if err := fn(row); err != nil {
				return err
			}
		}
	}
}

func (c *csvWorkbook) Merged(string) []Range { return nil }
func (c *csvWorkbook) Warnings() []Warning   { return nil }
func (c *csvWorkbook) Close() error          { return nil }
