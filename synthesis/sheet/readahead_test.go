package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/synth-qda/synth/internal/benchdata"
)

// TestReadAheadOrder reads parts of many sizes through readAhead in reads of
// odd sizes and checks that the bytes come back whole and in order, then
// io.EOF, for a reader that returns a byte at a time as for one that fills.
func TestReadAheadOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, readAheadChunk - 1, readAheadChunk, readAheadChunk + 1, 5*readAheadChunk + 17, 3 << 20} {
		want := make([]byte, n)
		for i := range want {
			want[i] = byte(rng.IntN(256))
		}
		for name, r := range map[string]io.Reader{"whole": bytes.NewReader(want), "one byte": iotest.OneByteReader(bytes.NewReader(want)), "data with EOF": iotest.DataErrReader(bytes.NewReader(want))} {
			if name == "one byte" && n > readAheadChunk+1 {
				continue // slow, and no different past a chunk
			}
			a := newReadAhead(r)
			var got []byte
			p := make([]byte, 1000+rng.IntN(70000))
			for {
				k, err := a.Read(p)
				got = append(got, p[:k]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%d bytes, %s: %v", n, name, err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%d bytes, %s: read %d bytes, not the same", n, name, len(got))
			}
			if k, err := a.Read(p); k != 0 || err != io.EOF {
				t.Errorf("%d bytes, %s: a read after the end gave %d, %v", n, name, k, err)
			}
			a.Close()
		}
	}
}

// TestReadAheadError checks that an error of the underlying reader comes
// after the bytes read before it, and only then.
func TestReadAheadError(t *testing.T) {
	boom := errors.New("boom")
	data := bytes.Repeat([]byte("x"), 2*readAheadChunk+5)
	a := newReadAhead(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)))
	defer a.Close()
	got, err := io.ReadAll(a)
	if !errors.Is(err, boom) || len(got) != len(data) {
		t.Errorf("read %d of %d bytes, then %v; want all, then boom", len(got), len(data), err)
	}
}

// TestReadAheadClose checks that Close returns while the goroutine is
// ahead of the reader (all its buffers full) and that the underlying
// reader is not read after it: the part's zip reader is closed next.
func TestReadAheadClose(t *testing.T) {
	r := &countReads{r: bytes.NewReader(make([]byte, 64<<20))}
	a := newReadAhead(r)
	p := make([]byte, 10)
	if _, err := a.Read(p); err != nil {
		t.Fatal(err)
	}
	a.Close()
	after := r.reads
	if after > readAheadChunks+2 {
		t.Errorf("%d reads before Close returned; the goroutine reads at most %d chunks ahead", after, readAheadChunks+1)
	}
	if _, err := a.Read(p); err == nil {
		// The chunks already handed over may still be read; none is
		// inflated after Close.
		for err == nil {
			_, err = a.Read(p)
		}
	}
	if r.reads != after {
		t.Errorf("the underlying reader was read %d times after Close", r.reads-after)
	}
}

type countReads struct {
	r     io.Reader
	reads int
}

func (c *countReads) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

// TestReadAheadCutShort checks that a part cut short (flate and archive/zip
// say io.ErrUnexpectedEOF) stays an error: read as io.EOF, the rows before
// the cut would build a synthesis with no word of the damage.
func TestReadAheadCutShort(t *testing.T) {
	data := bytes.Repeat([]byte("y"), readAheadChunk+100)
	for _, r := range []io.Reader{
		io.MultiReader(bytes.NewReader(data), iotest.ErrReader(io.ErrUnexpectedEOF)),
		iotest.DataErrReader(io.MultiReader(bytes.NewReader(data[:readAheadChunk]), iotest.ErrReader(io.ErrUnexpectedEOF))),
	} {
		a := newReadAhead(r)
		got, err := io.ReadAll(a)
		a.Close()
		if err != io.ErrUnexpectedEOF {
			t.Errorf("after %d bytes: %v, want io.ErrUnexpectedEOF", len(got), err)
		}
	}
}

// TestBigPartCutShort cuts the deflated sheet of a workbook big enough to be
// read ahead (over readAheadMin) in half: reading it must say the part is
// damaged, as for a small part, not stop quietly at the cut.
func TestBigPartCutShort(t *testing.T) {
	var whole bytes.Buffer
	if err := benchdata.WriteExtractsWorkbook(&whole, 20000, 1); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(whole.Bytes()), int64(whole.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var cut bytes.Buffer
	zw := zip.NewWriter(&cut)
	for _, f := range zr.File {
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(raw)
		if err != nil {
			t.Fatal(err)
		}
		h := f.FileHeader
		if f.Name == benchdata.SheetPart {
			if h.UncompressedSize64 < readAheadMin {
				t.Fatalf("the sheet is %d bytes, under readAheadMin", h.UncompressedSize64)
			}
			data = data[:len(data)/2]
			h.CompressedSize64 = uint64(len(data))
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.xlsx")
	if err := os.WriteFile(path, cut.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	wb, err := OpenXLSX(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows := 0
	err = wb.Rows(benchdata.SheetName, func(Row) error { rows++; return nil })
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("after %d rows: %v; want the part named damaged", rows, err)
	}
}
