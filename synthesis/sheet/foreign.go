package sheet

// Telling a qualitative-analysis program's project file from a spreadsheet.
// Reviewers who code in NVivo, ATLAS.ti, MAXQDA or QualCoder often name the
// project file itself as their extracts, or its REFI-QDA export (DESIGN
// §1.2a); "not a zip" or "open it in Excel" would send them the wrong way,
// so such a file gets one sentence saying what it is and how to bring its
// coded text in.

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// A program whose project files are known by their extension.
type qdaTool struct {
	name   string // with its article: "an NVivo"
	export string // where its REFI-QDA export is
}

var (
	nvivo     = qdaTool{"an NVivo", "Share › Export Project › REFI-QDA Project; on a Mac, File › Export Project"}
	maxqda    = qdaTool{"a MAXQDA", "its export of the project as a REFI-QDA project"}
	atlasti   = qdaTool{"an ATLAS.ti", "File › Export › REFI-QDA Project"}
	qualcoder = qdaTool{"a QualCoder", "Project › Exports › REFI-QDA project"}
)

var (
	maxqdaExt  = regexp.MustCompile(`^\.(mx\d\d|mex.*)$`)
	atlastiExt = regexp.MustCompile(`^\.(atlproj|hpr.*)$`)
)

// toolByExt returns the program whose project files have the extension ext
// (lower case, with its dot).
func toolByExt(ext string) (qdaTool, bool) {
	switch {
	case ext == ".nvp" || ext == ".nvpx":
		return nvivo, true
	case maxqdaExt.MatchString(ext):
		return maxqda, true
	case atlastiExt.MatchString(ext):
		return atlasti, true
	case ext == ".qda":
		return qualcoder, true
	}
	return qdaTool{}, false
}

// foreignFile returns a *FileError when path is not a spreadsheet but a
// REFI-QDA project (.qdpx or .qde, by extension or by content: a zip holding
// a .qde and no [Content_Types].xml, or XML whose root element is
// <Project>), a REFI-QDA codebook (.qdc, or XML whose root is <CodeBook>),
// or the project file of NVivo, MAXQDA, ATLAS.ti or QualCoder (by
// extension). Otherwise, and when the file cannot be read (the reader that
// follows says why), it returns nil.
func foreignFile(path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	fail := func(msg string) error { return &FileError{File: path, Msg: msg} }
	if tool, ok := toolByExt(ext); ok {
		return fail(toolMessage(tool, path))
	}
	switch ext {
	case ".qdpx", ".qde":
		return fail(refiProjectMessage(path))
	case ".qdc":
		return fail(refiCodebookMessage(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return nil
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, zipMagic):
		if zipHoldsQDE(f, st.Size()) {
			return fail(refiProjectMessage(path))
		}
	default:
		switch xmlRoot(head) {
		case "Project":
			return fail(refiProjectMessage(path))
		case "CodeBook":
			return fail(refiCodebookMessage(path))
		}
	}
	return nil
}

func refiProjectMessage(path string) string {
	return `this is a REFI-QDA project, not a spreadsheet; bring it in with "synth import qdpx ` + ShellWord(path) + ` --out DIR"`
}

func refiCodebookMessage(path string) string {
	return `this is a REFI-QDA codebook (.qdc), not a spreadsheet: it holds codes but no coded extracts; bring its codes into codebook.yaml with "synth import qdc ` + ShellWord(path) + ` --out DIR"`
}

func toolMessage(t qdaTool, path string) string {
	program := t.name[strings.IndexByte(t.name, ' ')+1:]
	return "this is " + t.name + " project, not a spreadsheet; export it from " + program + " as a REFI-QDA project (" + t.export +
		`) and run "synth import qdpx FILE.qdpx --out DIR", or export the coded segments to Excel (see the README)`
}

// ShellWord writes a path as a shell word that can be pasted into a
// command line: as it is when it is made of letters, digits and
// ./_-+,:@=, else in single quotes (a quote inside written '\”).
func ShellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("./_-+,:@=", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// zipHoldsQDE reports whether the zip holds a .qde file and is not an
// Office package. Only the central directory is read.
func zipHoldsQDE(r io.ReaderAt, size int64) bool {
	zr, err := zip.NewReader(r, size)
	if err != nil && zr == nil {
		return false
	}
	qde := false
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case name == "[content_types].xml":
			return false
		case strings.HasSuffix(name, ".qde"):
			qde = true
		}
	}
	return qde
}

// xmlRoot returns the local name of the root element of the XML document
// that head begins, or "" when head does not begin one: after an optional
// byte-order mark and white space, only declarations, processing
// instructions, comments and a doctype may come before the root.
func xmlRoot(head []byte) string {
	b := bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) < 2 || b[0] != '<' {
			return ""
		}
		var end []byte
		switch {
		case b[1] == '?':
			end = []byte("?>")
		case bytes.HasPrefix(b, []byte("<!--")):
			end = []byte("-->")
		case b[1] == '!':
			end = []byte(">")
		default:
			name := b[1:]
			if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
				name = name[:i]
			}
			if i := bytes.LastIndexByte(name, ':'); i >= 0 {
				name = name[i+1:]
			}
			return string(name)
		}
		i := bytes.Index(b, end)
		if i < 0 {
			return ""
		}
		b = b[i+len(end):]
	}
}
