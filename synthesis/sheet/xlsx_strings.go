package sheet

// The shared-string table, read by a goroutine of its own while the sheet
// streams.
//
// Excel keeps every text cell in xl/sharedStrings.xml and writes the sheet
// with numbers into it, so a workbook of coded extracts holds more XML in
// its string table than in its sheet. Reading the table first and the
// sheet after costs the sum of the two; reading them side by side costs the
// larger. The sheet reader only waits when a cell refers to a string the
// loader has not reached: writers number strings in order of first use,
// so the loader is normally ahead.
//
// Strings are cut out of 64 KB blocks converted to string once each, not
// allocated one by one, and each is found by one integer (its block, where
// it starts there and its length), not by a string header: a million
// extracts are then some thousands of allocations and 8 bytes of index
// each, which the garbage collector does not scan, instead of a million
// strings and 16 bytes each that it does.

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/synth-qda/synth/internal/scratch"
)

type sharedStrings struct {
	mu   sync.Mutex
	cond *sync.Cond
	strs stringTable
	done bool
	err  error

	stop     atomic.Bool
	finished chan struct{}

	// The loader's: the most bytes of blocks to hold in memory
	// (Options.StringsInMemory), those held, and the file.
	limit int64
	inMem int64
	file  *scratch.File
}

// emptyStrings is the table of a workbook without a shared-string part.
func emptyStrings() *sharedStrings {
	t := newSharedStrings()
	t.done = true
	close(t.finished)
	return t
}

func newSharedStrings() *sharedStrings {
	t := &sharedStrings{finished: make(chan struct{}), limit: sstInMemory}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// A table of a million extracts' texts is hundreds of megabytes, and
// grows with the texts' length. Past the first sstInMemory bytes of
// blocks, a table writes each block to a temporary file as it is read
// (removed as soon as it is made, on systems that allow it) and keeps of
// it in memory only its short strings: the codes, studies, coders and IDs
// that rows name again and again are short; an extract's text, which one
// row names, is long, and rows name texts in about the order the table
// holds them, so a reader takes a block from the file once (sstCache).

// sstInMemory is how many bytes of blocks a table holds in memory before
// it writes them to its file, unless Options.StringsInMemory says.
const sstInMemory = 64 << 20

// sstShort is the longest string that a block written to the file leaves
// in memory too.
const sstShort = 128

// stringTable is the shared strings loaded so far: string i is at[i]&(1<<24-1)
// bytes at offset at[i]>>24&0xffff of block at[i]>>40 (sstEntry). A block
// in the file is "" in blocks, and in inFile its place and length there.
// A block is published whole, with every string in it, so a table taken at
// any time is consistent; its slices are only ever appended to.
type stringTable struct {
	blocks []string
	at     []uint64
	inFile []filePlace // aligned with blocks once one is in the file; else nil
	file   *scratch.File
}

// filePlace is where a block is in the table's file: n bytes at at; n is
// 0 for a block in memory.
type filePlace struct {
	at int64
	n  int
}

func sstEntry(block, off, n int) uint64 { return uint64(block)<<40 | uint64(off)<<24 | uint64(n) }

// len is the number of strings in the table.
func (st stringTable) len() int { return len(st.at) }

// held reports whether string i is in memory (an empty one always is).
func (st stringTable) held(i int) bool {
	return st.inFile == nil || st.at[i]&(1<<24-1) == 0 || st.inFile[st.at[i]>>40].n == 0
}

// str is string i, i < st.len(): a slice of its block (no copy) when that
// is in memory, else a copy read from the file.
func (st stringTable) str(i int) (string, error) { return st.strVia(i, nil) }

// sstCache is the last block a reader took from a table's file.
type sstCache struct {
	block int // 1 + its place; 0: none
	data  []byte
	alone int // 1 + the block of the last string read alone
}

// strVia is str, taking a block in the file through c, unless c is nil:
// a copy of the string, so that keeping it keeps no block. A reader going
// through the table in order takes each block once; one that jumps about
// (a sheet sorted after its table was made) reads just the string it
// wants, not a block of 64 KB for it, until it wants two strings of one
// block running.
func (st stringTable) strVia(i int, c *sstCache) (string, error) {
	e := st.at[i]
	b, off, n := int(e>>40), int(e>>24&0xffff), int(e&(1<<24-1))
	if st.inFile == nil || n == 0 || st.inFile[b].n == 0 {
		return st.blocks[b][off : off+n], nil
	}
	if c == nil || c.block != b+1 && c.block != 0 && c.block != b && c.alone != b+1 {
		if c != nil {
			c.alone = b + 1 // not the cached block, nor the next
		}
		p := make([]byte, n)
		if err := st.file.ReadAt(p, st.inFile[b].at+int64(off)); err != nil {
			return "", err
		}
		return unsafe.String(&p[0], n), nil
	}
	if c.block != b+1 {
		p := st.inFile[b]
		c.block, c.data = 0, slices.Grow(c.data[:0], p.n)[:p.n]
		if err := st.file.ReadAt(c.data, p.at); err != nil {
			return "", err
		}
		c.block = b + 1
	}
	return string(c.data[off : off+n]), nil
}

// get returns the table as far as it is loaded once it holds string i or
// is complete; err is the loader's error, if it stopped short of i.
func (t *sharedStrings) get(i int) (stringTable, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i >= t.strs.len() && !t.done {
		t.cond.Wait()
	}
	if i < t.strs.len() {
		return t.strs, nil
	}
	return t.strs, t.err
}

// wait returns the loader's error once it has finished.
func (t *sharedStrings) wait() error {
	<-t.finished
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// cancel stops the loader and waits for it.
func (t *sharedStrings) cancel() {
	t.stop.Store(true)
	<-t.finished
}

// publish adds a block of strings, ends[k] being where the k-th of them
// ends in block.
//
// Once the table holds sstInMemory bytes of blocks, a block is written to
// the file instead, and its strings of up to sstShort bytes are kept in a
// block of their own. A file that cannot be made or written leaves the
// blocks in memory: more memory, the same strings.
func (t *sharedStrings) publish(block []byte, ends []int, err error, done bool) {
	var place filePlace
	var short []byte
	spill := false
	if len(ends) > 0 && t.inMem >= t.limit {
		if t.file == nil {
			t.file = scratch.New("synth-strings-*", "the shared strings")
		}
		place.at, spill = t.file.Append(block)
		place.n = len(block)
	}
	if spill {
		start := 0
		for _, end := range ends {
			if end-start <= sstShort {
				short = append(short, block[start:end]...)
			}
			start = end
		}
	} else {
		t.inMem += int64(len(block))
	}
	t.mu.Lock()
	if len(ends) > 0 {
		st := &t.strs
		if spill && st.inFile == nil {
			st.inFile, st.file = make([]filePlace, len(st.blocks), cap(st.blocks)), t.file
		}
		b, bs := len(st.blocks), -1 // the block's place, and its short strings'
		if spill {
			st.blocks = append(st.blocks, "")
			if len(short) > 0 {
				bs = b + 1
				st.blocks = append(st.blocks, string(short))
			}
		} else {
			st.blocks = append(st.blocks, string(block))
		}
		for st.inFile != nil && len(st.inFile) < len(st.blocks) {
			st.inFile = append(st.inFile, filePlace{})
		}
		if spill {
			st.inFile[b] = place
		}
		start, soff := 0, 0
		for _, end := range ends {
			n := end - start
			switch {
			case n == 0:
				st.at = append(st.at, sstEntry(b, 0, 0))
			case spill && n <= sstShort:
				st.at = append(st.at, sstEntry(bs, soff, n))
				soff += n
			default:
				st.at = append(st.at, sstEntry(b, start, n))
			}
			start = end
		}
	}
	if done {
		t.done, t.err = true, err
	}
	t.mu.Unlock()
	t.cond.Broadcast()
}

var errStopped = errors.New("stopped")

// reserve sizes the table from <sst uniqueCount>, so that it is not
// copied as it grows. Both the count and the part's declared size are the
// file's word, so the reservation is capped by what the declared size
// could hold (a string takes at least "<si/>") and by 4M strings.
func (t *sharedStrings) reserve(attrs []byte, sizeHint int64) {
	n, ok := attrInt(attrs, "uniqueCount")
	if !ok || n <= 0 || sizeHint <= 0 {
		return
	}
	n = int(min(int64(n), sizeHint/5, 4<<20))
	t.mu.Lock()
	if cap(t.strs.at) == 0 {
		t.strs.at = make([]uint64, 0, n)
	}
	t.mu.Unlock()
}

// load reads the table from x, publishing strings as blocks fill, and
// closes the part when done. Each <si> is the text of its <t> elements,
// whether one plain <t> or rich-text runs (<r><t>), in order; phonetic
// guides (<rPh>, furigana over Japanese text) are left out because they are
// reading aids, not part of the value.
func (t *sharedStrings) load(x *xmlReader, closer interface{ Close() error }, sizeHint int64, fast bool) {
	defer close(t.finished)
	defer closer.Close()
	var (
		block   []byte // decoded text of the strings not yet published
		ends    []int  // where each of them ends in block
		buf     []byte
		inSI    bool
		inT     bool
		rph     int
		tooLong bool // the string being read passed maxCellText
		added   int  // strings read so far
	)
	// A block is published before a string would take it past blockSize
	// (unless the string alone is longer): the runtime gives an object this
	// large whole 8 KB pages, so a block just past 64 KB would hold a page
	// it does not use, 12% of a table of a million extracts.
	const blockSize = 64 << 10
	flush := func(done bool, err error) {
		t.publish(block, ends, err, done)
		block, ends = block[:0], ends[:0]
	}
	add := func(text []byte) bool {
		added++
		text = decodeEscapes(text)
		if len(text) > maxCellText { // an entry's length has 24 bits
			flush(true, errors.New(cellTooLong(fmt.Sprintf("shared string %d (counting from 0)", added-1))))
			return false
		}
		if len(block) > 0 && len(block)+len(text) > blockSize {
			flush(false, nil)
		}
		block = append(block, text...)
		ends = append(ends, len(block))
		if len(ends) >= 4096 {
			flush(false, nil)
		}
		return true
	}
	for {
		if t.stop.Load() {
			flush(true, errStopped)
			return
		}
		if !inSI && fast {
			if text, ok := fastSI(x); ok {
				if indexAmpOrCR(text) >= 0 {
					buf = appendUnescaped(buf[:0], text)
					text = buf
				}
				if !add(text) {
					return
				}
				continue
			}
		}
		_, err := x.next()
		tok := &x.tok
		if err != nil {
			flush(true, err)
			return
		}
		switch tok.kind {
		case xmlEOF:
			if inSI {
				err = errors.New("the shared-string table ends in the middle of a string")
			}
			flush(true, err)
			return
		case xmlStart:
			switch string(tok.name) {
			case "sst":
				t.reserve(tok.attrs, sizeHint)
			case "si":
				if tok.selfClosing {
					add(nil) // never too long
					continue
				}
				inSI, inT, rph = true, false, 0
				buf = buf[:0]
			case "rPh":
				if inSI && !tok.selfClosing {
					rph++
				}
			case "t":
				inT = inSI && rph == 0 && !tok.selfClosing
			}
		case xmlEnd:
			switch string(tok.name) {
			case "si":
				if tooLong {
					// Read to its end, so that a part that is one giant
					// string meets the part's size limit first.
					flush(true, errors.New(cellTooLong(fmt.Sprintf("shared string %d (counting from 0)", added))))
					return
				}
				if inSI && !add(buf) {
					return
				}
				inSI, inT = false, false
			case "rPh":
				if rph > 0 {
					rph--
				}
			case "t":
				inT = false
			}
		case xmlText:
			if inT {
				var ok bool
				if buf, ok = appendCellText(buf, tok.text); !ok {
					tooLong = true
				}
			}
		case xmlCDATA:
			if inT {
				buf = normaliseCRTail(append(buf, tok.text...), len(buf))
			}
		}
	}
}

// fastSI reads a shared string written the plain way, <si><t>text</t></si>
// or <si><t xml:space="preserve">text</t></si>, straight out of the
// tokenizer's window, and returns its raw text. Anything else (rich text,
// phonetic runs, prefixes, a string longer than the window) is left
// unconsumed for the general path.
func fastSI(x *xmlReader) ([]byte, bool) {
	if x.end-x.pos < 1024 {
		x.more(1024)
	}
	text, n, ok := plainText(x.buf[x.pos:x.end], "si")
	if !ok {
		return nil, false
	}
	x.pos += n
	return text, true
}

// plainText reads, at the start of w, a <t> element alone in an element
// named parent (<si> of the shared strings, <is> of an inline string),
// written the plain way, <parent><t>text</t></parent> or with
// xml:space="preserve" on the <t>: it returns the raw text and the bytes the
// whole takes. Anything else (rich text, phonetic runs, markup in the text,
// a string running past w) is not ok.
func plainText(w []byte, parent string) (text []byte, n int, ok bool) {
	if len(w) < 2+len(parent) || w[0] != '<' || string(w[1:1+len(parent)]) != parent {
		return nil, 0, false
	}
	rest := w[1+len(parent):]
	switch {
	case bytes.HasPrefix(rest, []byte("><t>")):
		n = 1 + len(parent) + len("><t>")
	case bytes.HasPrefix(rest, []byte(`><t xml:space="preserve">`)):
		n = 1 + len(parent) + len(`><t xml:space="preserve">`)
	default:
		return nil, 0, false
	}
	i := bytes.IndexByte(w[n:], '<')
	if i < 0 {
		return nil, 0, false
	}
	end := w[n+i:]
	if !bytes.HasPrefix(end, []byte("</t></")) || len(end) < 7+len(parent) ||
		string(end[6:6+len(parent)]) != parent || end[6+len(parent)] != '>' {
		return nil, 0, false
	}
	return w[n : n+i], n + i + 7 + len(parent), true
}
