package sheet

// Access to the parts of the zip package, with the zip-bomb limits.
//
// Part names are matched the way OPC says they compare: case-insensitively,
// with "/" separators. Some writers use backslashes (calamine issue_530) or
// a leading slash in the zip entry names, so both are normalised away when
// the index is built.
//
// The limits count the bytes actually inflated, not the size the zip
// declares (a declared size is whatever the file's author wrote): a part is
// refused once it passes the size limit, or, under the default limit, once
// it passes 10 MB and more than 1000 bytes came out of each compressed byte.
// Deflate cannot do much better than 1032:1, so only crafted data reaches
// that ratio. When the caller sets Options.MaxPartSize (--max-xml-size) the
// ratio check is off: the reviewer has said how much is acceptable, and the
// size limit still bounds the work.

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"
)

const (
	bombRatio    = 1000
	bombMinBytes = 10 << 20
)

// partLimits is how much one part may inflate to.
type partLimits struct {
	max        int64
	checkRatio bool
}

// trustDeclared refuses a part whose size, as the zip's central directory
// declares it, passes a limit before a byte of it is inflated. It is safe
// because archive/zip never reads past the declared size (a part that
// inflates further is a format error), so a part that declares more than
// the limit either passes it or is not a valid part; a bomb of honest
// headers is refused in microseconds instead of after inflating the limit.
// Tests turn it off to check that inflating stays bounded without it.
var trustDeclared = true

func limitsFor(opts Options) partLimits {
	if opts.MaxPartSize > 0 {
		return partLimits{max: opts.MaxPartSize}
	}
	return partLimits{max: DefaultMaxPartSize, checkRatio: true}
}

// check returns the error for a part that has inflated (or declares) n
// bytes from compressed ones, when that passes a limit; else nil.
func (l partLimits) check(part string, n, compressed uint64) *partTooBig {
	if n > uint64(l.max) {
		return &partTooBig{part: part, limit: l.max}
	}
	if l.checkRatio && n > bombMinBytes && n > bombRatio*max(compressed, 1) {
		return &partTooBig{part: part, ratio: true}
	}
	return nil
}

// partTooBig is the error for a part that passes a limit.
type partTooBig struct {
	part  string
	limit int64
	ratio bool // the compression ratio, not the size, was passed
}

func (e *partTooBig) Error() string {
	if e.ratio {
		return fmt.Sprintf("the part %s inflates to more than %d times its compressed size (past %s), which is how a zip bomb looks; if the file is genuine, set an explicit limit with --max-xml-size (for example --max-xml-size %s)",
			e.part, bombRatio, byteSize(bombMinBytes, " "), byteSize(2*DefaultMaxPartSize, ""))
	}
	return fmt.Sprintf("the part %s is larger than %s uncompressed; if the file is genuine, raise the limit with --max-xml-size (for example --max-xml-size %s)",
		e.part, byteSize(e.limit, " "), byteSize(suggestLimit(e.limit), ""))
}

func suggestLimit(limit int64) int64 {
	if limit > 1<<61 {
		return limit
	}
	return limit * 2
}

// byteSize writes n bytes for a message in the units --max-xml-size takes:
// 2 GiB, 10 MiB, 512 bytes; sep goes between number and unit.
func byteSize(n int64, sep string) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d%sGiB", n>>30, sep)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d%sMiB", n>>20, sep)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d%sKiB", n>>10, sep)
	}
	if sep == "" {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d%sbytes", n, sep)
}

// countingReader counts what it inflates and fails once a limit is passed.
type countingReader struct {
	r          io.Reader
	name       string
	n          int64
	compressed int64
	lim        partLimits
	prog       *Progress
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n > c.lim.max {
		return 0, &partTooBig{part: c.name, limit: c.lim.max}
	}
	// Never read more than one byte past the limit, so the limit holds
	// even for a single huge read.
	if room := c.lim.max - c.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	k, err := c.r.Read(p)
	c.n += int64(k)
	c.prog.add(int64(k))
	if e := c.lim.check(c.name, uint64(c.n), uint64(c.compressed)); e != nil {
		return 0, e
	}
	return k, err
}

// zipPackage indexes the entries of an opened zip.
type zipPackage struct {
	zr    *zip.Reader
	parts map[string]*zip.File // by normalised, lower-cased name
	lim   partLimits
	prog  *Progress
}

func newZipPackage(zr *zip.Reader, lim partLimits) *zipPackage {
	p := &zipPackage{zr: zr, parts: make(map[string]*zip.File, len(zr.File)), lim: lim}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") || strings.HasSuffix(f.Name, `\`) {
			continue // a directory entry
		}
		key := partKey(f.Name)
		if _, dup := p.parts[key]; !dup {
			p.parts[key] = f
		}
	}
	return p
}

// partKey normalises a zip entry or part name for lookup.
func partKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimLeft(name, "/")
	return strings.ToLower(name)
}

func (p *zipPackage) file(name string) *zip.File {
	return p.parts[partKey(name)]
}

func (p *zipPackage) has(name string) bool {
	return p.file(name) != nil
}

// open opens a part for reading as UTF-8 XML text, with the limits applied.
// The returned closer must be closed.
func (p *zipPackage) open(name string) (io.Reader, io.Closer, error) {
	f := p.file(name)
	if f == nil {
		return nil, nil, errPartMissing
	}
	if trustDeclared {
		if e := p.lim.check(displayPart(f.Name), f.UncompressedSize64, f.CompressedSize64); e != nil {
			return nil, nil, e
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	var r io.Reader = &countingReader{r: rc, name: displayPart(f.Name), compressed: int64(f.CompressedSize64), lim: p.lim, prog: p.prog}
	p.prog.expect(int64(f.UncompressedSize64))
	var closer io.Closer = rc
	if f.UncompressedSize64 >= readAheadMin {
		a := newReadAhead(r)
		r, closer = a, closers{a, rc}
	}
	text, err := partText(r)
	if err != nil {
		closer.Close()
		return nil, nil, err
	}
	return text, closer, nil
}

// closers closes each in turn: a read-ahead before the part it reads.
type closers []io.Closer

func (cs closers) Close() error {
	var err error
	for _, c := range cs {
		if e := c.Close(); err == nil {
			err = e
		}
	}
	return err
}

var errPartMissing = errors.New("part missing")

// sizeHint is the uncompressed size a part declares, or -1. Only for
// sizing buffers: the limits never trust it.
func (p *zipPackage) sizeHint(name string) int64 {
	f := p.file(name)
	if f == nil || f.UncompressedSize64 > 1<<40 {
		return -1
	}
	return int64(f.UncompressedSize64)
}

// displayPart is a part name as a reviewer would look for it in the zip.
func displayPart(name string) string {
	return strings.TrimLeft(strings.ReplaceAll(name, `\`, "/"), "/")
}
