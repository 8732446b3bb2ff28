package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"testing"
)

// failAfter fails every write once n bytes have been written.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestAsyncWriter writes in pieces of random sizes, across buffer ends,
// through an asyncWriter to a buffer and a hash: both receive exactly what
// was written, in order; a writer's error is Close's.
func TestAsyncWriter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	want := make([]byte, 200_000)
	for i := range want {
		want[i] = byte(rng.IntN(256))
	}
	var got bytes.Buffer
	h := sha256.New()
	a := newAsyncWriter(1000, &got, h)
	for p := want; len(p) > 0; {
		n := min(len(p), rng.IntN(3000))
		if k, err := a.Write(p[:n]); k != n || err != nil {
			t.Fatalf("Write = %d, %v", k, err)
		}
		p = p[n:]
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if a.made > asyncBuffers {
		t.Errorf("%d buffers taken, at most %d may be", a.made, asyncBuffers)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("the file got %d bytes, not the %d written", got.Len(), len(want))
	}
	if sum := sha256.Sum256(want); !bytes.Equal(h.Sum(nil), sum[:]) {
		t.Errorf("the hash is not of what was written")
	}

	a = newAsyncWriter(1000, &failAfter{n: 5000}, sha256.New())
	a.Write(want)
	if err := a.Close(); err == nil || err.Error() != "disk full" {
		t.Errorf("Close = %v, want the writer's error", err)
	}

	// A small output takes one buffer, and gives it back for the next.
	for range 3 {
		var small bytes.Buffer
		a = newAsyncWriter(1000, &small, sha256.New())
		a.Write([]byte("small"))
		if err := a.Close(); err != nil || small.String() != "small" || a.made != 1 {
			t.Errorf("a 5-byte output: %q, %v, %d buffers taken; want \"small\", nil, 1", small.String(), err, a.made)
		}
	}
}
