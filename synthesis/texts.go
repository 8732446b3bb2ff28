package synthesis

import (
	"sort"
	"sync"
	"unsafe"

	"github.com/synth-qda/synth/internal/hugepage"
	"github.com/synth-qda/synth/internal/scratch"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// The extracts' texts are most of what a large synthesis holds: about 200
// MB at a million extracts of 200 characters, and twice that at 400. A
// textLog keeps the first 64 MiB of them (Options.TextsInMemory) in memory
// and writes the rest, a block at a time, to a temporary file, so that a
// build's memory does not grow with the length of its texts. Writing a
// block costs about what a block of fresh memory costs to touch (0.3–0.9
// ms per MB here); reading the texts back for the outputs is one read per
// textWindow of consecutive texts. A project of some tens of megabytes of
// text never makes the file.

// defaultTextsInMemory is how many bytes of texts a textLog holds in
// memory before it writes them to its file, unless Options.TextsInMemory
// says.
const defaultTextsInMemory = 64 << 20

const (
	textBlock  = 4 << 20  // the most a block holds: 4 MB, which holds at least one whole 2 MB page that can be huge
	textFirst  = 4 << 10  // the first block: a small project holds no megabyte
	textWindow = 1 << 20  // the most one read ahead takes from the file
	textGap    = 16 << 10 // the most bytes of texts not asked for that a read ahead takes between two that are
)

// textLog holds texts back to back, each found by where it starts and ends
// in the log. Blocks are filled in order; a full block is kept in memory
// while the log holds fewer than limit bytes in memory, else it is
// written to the file and its buffer reused for the next. The last block,
// being filled, is always in memory, so that the rows of one segment,
// which follow one another, compare their texts without reading the file.
//
// add is for one goroutine, while the texts are read; get and readAt may
// run on several at once after that. A text of the block being filled
// that get returns is valid until the next add.
type textLog struct {
	limit  int64 // the most bytes of full blocks to hold in memory
	blocks []logBlock
	n      int64         // bytes in the log
	inMem  int64         // bytes of full blocks held in memory
	file   *scratch.File // nil until a block is to be written

	mu  sync.Mutex
	err error // the first failure to read the file back
}

// logBlock is a run of the log's bytes from start: data while in memory,
// else n bytes at at in the file.
type logBlock struct {
	start int64
	data  []byte
	at    int64
	n     int
}

// add appends s to the log.
func (l *textLog) add(s string) {
	for len(s) > 0 {
		last := len(l.blocks) - 1
		if last < 0 || len(l.blocks[last].data) == cap(l.blocks[last].data) {
			l.addBlock()
			last = len(l.blocks) - 1
		}
		b := &l.blocks[last]
		k := min(len(s), cap(b.data)-len(b.data))
		b.data = append(b.data, s[:k]...)
		b.n += k
		l.n += int64(k)
		s = s[k:]
	}
}

// addBlock begins a block after the full last one, which it keeps in
// memory or writes to the file.
func (l *textLog) addBlock() {
	size, start := textFirst, l.n
	var spare []byte
	if last := len(l.blocks) - 1; last >= 0 {
		b := &l.blocks[last]
		size = min(2*cap(b.data), textBlock)
		if full := b.data; l.inMem+int64(b.n) > l.limit && l.spill(b) {
			spare = full[:0]
		} else {
			l.inMem += int64(b.n)
		}
	}
	if cap(spare) != size {
		spare = make([]byte, 0, size)
		// Written from end to end as texts are read: a 4 KB page fault
		// each, unless in huge pages (at 100,000 extracts some 2,500 of
		// a build's 27,000 page faults).
		hugepage.Advise(spare[:size])
	}
	l.blocks = append(l.blocks, logBlock{start: start, data: spare})
}

// spill writes block b to the file and reports whether it did. A file
// that cannot be made or written leaves b, and every block after it, in
// memory: the build then takes more memory, but its outputs are the same.
func (l *textLog) spill(b *logBlock) bool {
	if l.file == nil {
		l.file = scratch.New("synth-texts-*", "the extracts' texts")
	}
	at, ok := l.file.Append(b.data)
	if ok {
		b.data, b.at = nil, at
	}
	return ok
}

// block is the place in l.blocks of the block holding byte pos < l.n.
func (l *textLog) block(pos int64) int {
	return sort.Search(len(l.blocks), func(i int) bool { return l.blocks[i].start > pos }) - 1
}

// get is the text at [start, end) of the log: a view of its bytes when
// they are in one block in memory, else a copy.
func (l *textLog) get(start, end int64) string {
	if start >= end {
		return ""
	}
	if b := &l.blocks[l.block(start)]; b.data != nil && end <= b.start+int64(b.n) {
		return unsafe.String(&b.data[start-b.start], end-start)
	}
	p := make([]byte, end-start)
	l.readAt(p, start)
	return unsafe.String(&p[0], len(p))
}

// readAt fills p with the log's bytes from pos on (pos+len(p) <= l.n),
// reading a run of blocks in the file with one read. A failed read leaves
// zeros and sets the log's error (Err).
func (l *textLog) readAt(p []byte, pos int64) {
	for i := l.block(pos); len(p) > 0; {
		b := &l.blocks[i]
		off := pos - b.start
		if b.data != nil {
			k := copy(p, b.data[off:])
			p, pos, i = p[k:], pos+int64(k), i+1
			continue
		}
		// Blocks written one after another lie one after another in the
		// file.
		j, k := i+1, int64(b.n)-off
		for j < len(l.blocks) && l.blocks[j].data == nil && k < int64(len(p)) {
			k += int64(l.blocks[j].n)
			j++
		}
		k = min(k, int64(len(p)))
		if err := l.file.ReadAt(p[:k], b.at+off); err != nil {
			l.fail(err)
			clear(p[:k])
		}
		p, pos, i = p[k:], pos+k, j
	}
}

func (l *textLog) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

// Err is the first failure to read the log's file back.
func (l *textLog) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// close removes the file, if the log made one.
func (l *textLog) close() error {
	if l.file == nil {
		return nil
	}
	return l.file.Close()
}

// textReader reads texts ahead for a run of extracts: a text in the file
// comes with those of the extracts after it in the run, up to textWindow
// bytes in one read. Each read fills a new buffer, so that a text it
// returns stays valid however long it is kept.
type textReader struct {
	buf []byte // the log's bytes [lo, lo+len(buf))
	lo  int64
	// Texts that are shared strings in their table's file are read
	// through sst, the last block taken of table sstTable's.
	sst      sheet.StringsCache
	sstTable int32
}

// text is the text of the j-th of n extracts of a run, whose places in s
// place gives, in order.
func (r *textReader) text(s *store, place func(j int) int32, j, n int) string {
	i := place(j)
	start, end, ok := s.textSpan(i)
	switch {
	case !ok:
		if k := ^s.ref(i); k < refHeld {
			if t := s.rec(i).table; t != r.sstTable {
				r.sst, r.sstTable = sheet.StringsCache{}, t
			}
			return s.sharedText(i, int(k), &r.sst)
		}
		return s.text(i)
	case start >= end:
		return ""
	case start >= r.lo && end <= r.lo+int64(len(r.buf)):
		return unsafe.String(&r.buf[start-r.lo], end-start)
	}
	l := s.log
	if b := &l.blocks[l.block(start)]; b.data != nil && end <= b.start+int64(b.n) {
		return unsafe.String(&b.data[start-b.start], end-start)
	}
	hi := end
	for m := j + 1; m < n; m++ {
		s2, e2, ok := s.textSpan(place(m))
		if !ok || s2 < hi || e2-start > textWindow || s2-hi > textGap {
			break
		}
		hi = e2
	}
	r.buf, r.lo = make([]byte, hi-start), start
	l.readAt(r.buf, start)
	return unsafe.String(&r.buf[0], end-start)
}
