package hugepage

import (
	"bytes"
	"testing"
)

// TestAligned checks the huge pages found inside a range, worked out by
// hand for 2 MB pages.
func TestAligned(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		p      uintptr
		n      int
		lo, hi int
	}{
		{0, 4 * mb, 0, 4 * mb},                          // two whole pages
		{2 * mb, 4*mb + 5, 0, 4 * mb},                   // two, and 5 bytes of a third
		{1, 4 * mb, 2*mb - 1, 4*mb - 1},                 // starts 1 byte in: the page at 2 MB only
		{3 * mb, 4 * mb, mb, 3 * mb},                    // from 3 MB to 7 MB: the page at 4 MB
		{mb, 2 * mb, mb, mb},                            // 1 MB to 3 MB: no whole page
		{6*mb + 4096, 5 * mb, 2*mb - 4096, 4*mb - 4096}, // the page at 8 MB
	} {
		lo, hi := aligned(c.p, c.n)
		if lo != c.lo || hi != c.hi {
			t.Errorf("aligned(%#x, %d) = %d, %d; want %d, %d", c.p, c.n, lo, hi, c.lo, c.hi)
		}
		if hi > lo && ((c.p+uintptr(lo))%hugeSize != 0 || (c.p+uintptr(hi))%hugeSize != 0 || hi > c.n || lo < 0) {
			t.Errorf("aligned(%#x, %d): %d..%d is not whole pages inside the range", c.p, c.n, lo, hi)
		}
	}
}

// TestAdviseKeepsData advises slices of several sizes and offsets, before
// and after they are written: what they hold does not change.
func TestAdviseKeepsData(t *testing.T) {
	for _, n := range []int{0, 1, 4<<20 - 1, 4 << 20, 9<<20 + 3} {
		b := make([]byte, n+1)[1:] // most often not aligned to anything
		Advise(b)
		for i := range b {
			b[i] = byte(i * 7)
		}
		want := bytes.Clone(b)
		Advise(b)
		if !bytes.Equal(b, want) {
			t.Fatalf("%d bytes changed by Advise", n)
		}
	}
	s := make([]uint64, 1<<20)
	AdviseSlice(s)
	for i := range s {
		s[i] = uint64(i)
	}
	for i, v := range s {
		if v != uint64(i) {
			t.Fatalf("s[%d] = %d", i, v)
		}
	}
	AdviseSlice([]uint64(nil))
}
