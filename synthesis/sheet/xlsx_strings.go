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
// allocated one by one, and each is found by one integer (its block and
// where it starts there), not by a string header: a million extracts are
// then some thousands of allocations and 8 bytes of index each, which the
// garbage collector does not scan, instead of a million strings and 16
// bytes each that it does.

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

type sharedStrings struct {
	mu   sync.Mutex
	cond *sync.Cond
	strs stringTable
	done bool
	err  error

	stop     atomic.Bool
	finished chan struct{}
}

// emptyStrings is the table of a workbook without a shared-string part.
func emptyStrings() *sharedStrings {
	t := newSharedStrings()
	t.done = true
	close(t.finished)
	return t
}

func newSharedStrings() *sharedStrings {
	t := &sharedStrings{finished: make(chan struct{})}
	t.cond = sync.NewCond(&t.mu)
	return t
}

// stringTable is the shared strings loaded so far: string i is
// blocks[at[i]>>32][uint32(at[i]):end], where end is where string i+1
// starts if it is in the same block, else the block's end. A block is
// published whole, with every string in it, so a table taken at any time
// is consistent; its slices are only ever appended to.
type stringTable struct {
	blocks []string
	at     []uint64
}

// len is the number of strings in the table.
func (st stringTable) len() int { return len(st.at) }

// str is string i, a slice of its block (no copy); i < st.len().
func (st stringTable) str(i int) string {
	e := st.at[i]
	b := st.blocks[e>>32]
	end := len(b)
	if i+1 < len(st.at) && st.at[i+1]>>32 == e>>32 {
		end = int(uint32(st.at[i+1]))
	}
	return b[uint32(e):end]
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
func (t *sharedStrings) publish(block string, ends []int, err error, done bool) {
	t.mu.Lock()
	if len(ends) > 0 {
		b := uint64(len(t.strs.blocks)) << 32
		t.strs.blocks = append(t.strs.blocks, block)
		start := 0
		for _, end := range ends {
			t.strs.at = append(t.strs.at, b|uint64(start))
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
		t.publish(string(block), ends, err, done)
		block, ends = block[:0], ends[:0]
	}
	add := func(text []byte) {
		added++
		text = decodeEscapes(text)
		if len(block) > 0 && len(block)+len(text) > blockSize {
			flush(false, nil)
		}
		block = append(block, text...)
		ends = append(ends, len(block))
		if len(ends) >= 4096 {
			flush(false, nil)
		}
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
				add(text)
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
					add(nil)
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
				if inSI {
					add(buf)
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
