package refi

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Options bound what reading a project may cost. Zero fields take the
// defaults.
type Options struct {
	// MaxXMLSize is the most bytes project.qde may hold (uncompressed).
	// Default 256 MiB.
	MaxXMLSize int64
	// MaxTextSize is the most bytes one source's plain text may hold
	// (uncompressed). Default 128 MiB.
	MaxTextSize int64
	// MaxTotalSize is the most bytes all the parts read from a .qdpx may
	// hold together (uncompressed). Default 1 GiB.
	MaxTotalSize int64
}

const (
	defaultMaxXMLSize   = 256 << 20
	defaultMaxTextSize  = 128 << 20
	defaultMaxTotalSize = 1 << 30
	// A part that inflates past bombSize at more than bombRatio times its
	// compressed size is a zip bomb, not a project.
	bombSize  = 10 << 20
	bombRatio = 1000
)

func (o Options) withDefaults() Options {
	if o.MaxXMLSize <= 0 {
		o.MaxXMLSize = defaultMaxXMLSize
	}
	if o.MaxTextSize <= 0 {
		o.MaxTextSize = defaultMaxTextSize
	}
	if o.MaxTotalSize <= 0 {
		o.MaxTotalSize = defaultMaxTotalSize
	}
	return o
}

// Open reads the REFI-QDA project at path: a .qdpx zip or a bare .qde, told
// apart by their first bytes, not their extension. Errors are *Error values
// with one sentence a reviewer can act on.
func Open(path string, opts Options) (*Project, error) {
	f, st, err := openExport(path, "REFI-QDA project", "project file (.qdpx or .qde)", ".qdpx")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte("PK")) {
		return ReadQDPX(f, st.Size(), path, opts)
	}
	opts = opts.withDefaults()
	if st.Size() > opts.MaxXMLSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("the file is %s, more than the %s a project.qde may hold", size(st.Size()), size(opts.MaxXMLSize))}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, &Error{File: path, Msg: openProblem(err)}
	}
	data, err := readLimited(f, path, opts.MaxXMLSize, "a project.qde")
	if err != nil {
		return nil, err
	}
	return readQDE(data, path, "", nil)
}

// openExport opens the REFI-QDA file at path, refusing a program's own
// project file and a folder: what ("REFI-QDA project") names what to export
// instead, file ("project file (.qdpx or .qde)") and ext (".qdpx") what
// synth reads.
func openExport(path, what, file, ext string) (*os.File, os.FileInfo, error) {
	if tool := nativeProject(path); tool != "" {
		return nil, nil, &Error{File: path, Msg: "this is " + tool + "'s own project file, not a REFI-QDA export; export the project from " + tool + " as a " + what + " (" + ext + ") and import that"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: openProblem(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, &Error{File: path, Msg: openProblem(err)}
	}
	if st.IsDir() {
		f.Close()
		return nil, nil, &Error{File: path, Msg: "is a folder, not a REFI-QDA " + file}
	}
	return f, st, nil
}

// ReadQDE reads a bare project.qde. There are no source files beside it, so
// a text selection's text comes from its source's PlainTextContent when the
// source has one, else from the selection's name (see FromName). name
// names the file in errors.
func ReadQDE(data []byte, name string) (*Project, error) {
	return readQDE(data, name, "", nil)
}

func readQDE(data []byte, file, part string, load loadText) (*Project, error) {
	x, err := decodeQDE(data, file, part)
	if err != nil {
		return nil, err
	}
	return x.convert(file, part, load)
}

// ReadQDPX reads a .qdpx: the zip holding project.qde and the source files
// (REFI-QDA 1.5 puts them under sources/; NVivo for Windows writes
// Sources/, and qc names them without the internal:// scheme, so folder and
// file names are matched without regard to case, and a path is looked up
// under the sources folder, then at the zip's root, then by its file name
// in the sources folder). Only the plain texts of sources that have text
// selections are read. name names the file in errors.
func ReadQDPX(r io.ReaderAt, size int64, name string, opts Options) (*Project, error) {
	opts = opts.withDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &Error{File: name, Msg: "the file is not a readable zip archive (a .qdpx is a zip); it may be damaged or cut short: " + err.Error()}
	}
	z := &qdpx{file: name, opts: opts, byPath: map[string]*zip.File{}, texts: map[*zip.File]string{}}
	var qde *zip.File
	office := false
	for _, f := range zr.File {
		p := cleanPath(f.Name)
		if p == "" || strings.HasSuffix(f.Name, "/") {
			continue
		}
		k := strings.ToLower(p)
		if z.byPath[k] == nil {
			z.byPath[k] = f
		}
		switch {
		case k == "[content_types].xml":
			office = true
		case strings.HasSuffix(k, ".qde"):
			// The shallowest .qde, project.qde first among equals.
			if qde == nil || depth(p) < depth(cleanPath(qde.Name)) ||
				depth(p) == depth(cleanPath(qde.Name)) && path.Base(k) == "project.qde" && strings.ToLower(path.Base(qde.Name)) != "project.qde" {
				qde = f
			}
		}
	}
	if qde == nil {
		if office {
			return nil, &Error{File: name, Msg: "this is an Office document or workbook (a zip with [Content_Types].xml), not a REFI-QDA project; a .qdpx holds project.qde"}
		}
		return nil, &Error{File: name, Msg: "the zip holds no project.qde, so it is not a REFI-QDA project (.qdpx)"}
	}
	if dir := path.Dir(strings.ToLower(cleanPath(qde.Name))); dir != "." {
		z.base = dir + "/"
	}
	part := cleanPath(qde.Name)
	data, err := z.read(qde, opts.MaxXMLSize)
	if err != nil {
		return nil, err
	}
	return readQDE(data, name, part, z.load)
}

type qdpx struct {
	file   string
	opts   Options
	base   string               // the folder of project.qde in the zip, lower case: "" or "dir/"
	byPath map[string]*zip.File // lower-case clean path → entry
	texts  map[*zip.File]string // texts read so far
	total  int64                // uncompressed bytes read so far
}

// read inflates one entry, counting the bytes as they come rather than
// trusting the sizes the zip declares.
func (z *qdpx) read(f *zip.File, limit int64) ([]byte, error) {
	part := cleanPath(f.Name)
	fail := func(msg string) ([]byte, error) { return nil, &Error{File: z.file, Part: part, Msg: msg} }
	if f.UncompressedSize64 > uint64(limit) {
		return fail(fmt.Sprintf("the part is %s uncompressed, more than the %s it may hold", size(int64(min(f.UncompressedSize64, 1<<62))), size(limit)))
	}
	rc, err := f.Open()
	if err != nil {
		return fail("cannot be read from the zip: " + err.Error())
	}
	defer rc.Close()
	var buf bytes.Buffer
	chunk := make([]byte, 32<<10)
	for {
		n, err := rc.Read(chunk)
		buf.Write(chunk[:n])
		got := int64(buf.Len())
		switch {
		case got > limit:
			return fail(fmt.Sprintf("the part inflates to more than the %s it may hold", size(limit)))
		case z.total+got > z.opts.MaxTotalSize:
			return fail(fmt.Sprintf("the project inflates to more than %s in all", size(z.opts.MaxTotalSize)))
		case got > bombSize && got > bombRatio*int64(max(f.CompressedSize64, 1)):
			return fail(fmt.Sprintf("the part inflates more than %d times its compressed size; this looks like a zip bomb, not a project", bombRatio))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail("the zip is damaged: " + err.Error())
		}
	}
	z.total += int64(buf.Len())
	return buf.Bytes(), nil
}

// load finds and reads the plain text a source's plainTextPath names.
func (z *qdpx) load(p string) (string, bool, error) {
	f := z.find(p)
	if f == nil {
		return "", false, nil
	}
	if t, ok := z.texts[f]; ok {
		return t, true, nil
	}
	data, err := z.read(f, z.opts.MaxTextSize)
	if err != nil {
		return "", false, err
	}
	t := decodeText(data)
	z.texts[f] = t
	return t, true, nil
}

// find looks a plainTextPath up in the zip. internal://NAME names a file in
// the sources folder; relative:// and file:// paths and bare names are
// tried there too, by their path and then by their file name.
func (z *qdpx) find(p string) *zip.File {
	p = strings.TrimSpace(strings.ReplaceAll(p, `\`, "/"))
	if i := strings.Index(p, "://"); i >= 0 {
		p = p[i+3:]
	}
	rel := cleanPath(p)
	if rel == "" {
		return nil
	}
	k := strings.ToLower(rel)
	for _, c := range []string{z.base + "sources/" + k, z.base + k, k} {
		if f := z.byPath[c]; f != nil {
			return f
		}
	}
	if f := z.byPath[z.base+"sources/"+path.Base(k)]; f != nil {
		return f
	}
	return nil
}

// cleanPath turns a zip entry name or a plainTextPath into a clean relative
// path: forward slashes, no leading "/" or "./", no ".." escaping the root.
func cleanPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	p = path.Clean("/" + p)
	return strings.TrimPrefix(p, "/")
}

func depth(p string) int { return strings.Count(p, "/") }

var (
	maxqdaExt  = regexp.MustCompile(`^\.(mx\d\d|mex.*)$`)
	atlastiExt = regexp.MustCompile(`^\.(atlproj|hpr.*)$`)
)

// nativeProject names the program whose own project file path is, by its
// extension, or returns "".
func nativeProject(path string) string {
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".nvp" || ext == ".nvpx":
		return "NVivo"
	case maxqdaExt.MatchString(ext):
		return "MAXQDA"
	case atlastiExt.MatchString(ext):
		return "ATLAS.ti"
	case ext == ".qda":
		return "QualCoder"
	}
	return ""
}

func openProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "cannot be opened: permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot be read: " + err.Error()
}

// size writes a byte count for a message: 512 MiB, 3.2 GiB, 900 KiB.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<30))) + " GiB"
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
