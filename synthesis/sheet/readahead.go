package sheet

import (
	"io"
	"sync"
)

// readAheadMin is the declared size from which a part is inflated ahead of
// the tokenizer, on a goroutine of its own: below it, the goroutine costs
// more than the overlap gains.
const readAheadMin = 4 << 20

// readAheadChunk is the size of each inflated chunk handed over, and
// readAheadChunks how many may wait: 1 MiB of inflated XML at most.
const (
	readAheadChunk  = 256 << 10
	readAheadChunks = 4
)

// readAhead inflates a part on its own goroutine while the tokenizer reads
// what was inflated before: on two cores, a workbook's sheet is read in
// about the time of the slower of the two rather than their sum. Read
// returns the bytes and then the error of the underlying reader, in order;
// Close stops the goroutine and waits for it, so that the underlying reader
// may be closed after it.
type readAhead struct {
	full chan chunk
	free chan []byte
	stop chan struct{}
	done sync.WaitGroup
	cur  []byte // what is left of the chunk being read
	buf  []byte // cur's whole buffer, handed back when cur is read
	err  error  // the underlying reader's error, once its chunks are read
}

type chunk struct {
	b   []byte
	err error
}

func newReadAhead(r io.Reader) *readAhead {
	a := &readAhead{full: make(chan chunk, readAheadChunks), free: make(chan []byte, readAheadChunks+1), stop: make(chan struct{})}
	for range readAheadChunks + 1 {
		a.free <- make([]byte, readAheadChunk)
	}
	a.done.Add(1)
	go func() {
		defer a.done.Done()
		defer close(a.full)
		for {
			select {
			case <-a.stop:
				return // before another read, whatever else is ready
			default:
			}
			var b []byte
			select {
			case b = <-a.free:
			case <-a.stop:
				return
			}
			n, err := fill(r, b)
			select {
			case a.full <- chunk{b[:n], err}:
			case <-a.stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return a
}

func (a *readAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return 0, a.err
		}
		if a.buf != nil {
			a.free <- a.buf[:cap(a.buf)]
			a.buf = nil
		}
		c, ok := <-a.full
		if !ok {
			a.err = io.ErrClosedPipe // read after Close
			return 0, a.err
		}
		a.cur, a.buf = c.b, c.b
		if c.err != nil {
			a.err = c.err
		}
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits until it has left the underlying
// reader.
func (a *readAhead) Close() error {
	select {
	case <-a.stop:
	default:
		close(a.stop)
	}
	a.done.Wait()
	return nil
}

// fill reads into b until it is full or r fails, and returns r's error as
// it is: io.ReadFull would turn a part cut short (flate's and archive/zip's
// io.ErrUnexpectedEOF) into a chunk that merely ends, and drop an error
// that comes with the bytes that fill b.
func fill(r io.Reader, b []byte) (int, error) {
	n, idle := 0, 0
	for n < len(b) {
		k, err := r.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
		if k > 0 {
			idle = 0
		} else if idle++; idle == 100 {
			return n, io.ErrNoProgress // as the tokenizer's own fill gives up
		}
	}
	return n, nil
}
