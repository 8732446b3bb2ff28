package synthesis

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/synth-qda/synth/internal/benchdata"
	"github.com/synth-qda/synth/synthesis/sheet"
)

// randomTexts are n texts of 0 to 5,000 bytes, some of several-byte
// characters, so that texts cross blocks of every size.
func randomTexts(rng *rand.Rand, n int) []string {
	words := []string{"alone", "link worker", "café", "–", "“felt heard”", "日本語", "🙂", "a"}
	texts := make([]string, n)
	for i := range texts {
		var b strings.Builder
		for want := rng.IntN(5000); b.Len() < want; {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		texts[i] = b.String()
	}
	return texts
}

// A log that holds from none to all of its texts in memory gives back
// each, in any order, and any run of its bytes, as added.
func TestTextLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := randomTexts(rng, 3000)
	all := strings.Join(texts, "")
	for _, limit := range []int64{0, 1 << 20, int64(len(all)) / 2, 1 << 40} {
		l := &textLog{limit: limit}
		starts := make([]int64, len(texts)+1)
		for i, s := range texts {
			starts[i] = l.n
			l.add(s)
		}
		starts[len(texts)] = l.n
		if l.n != int64(len(all)) {
			t.Fatalf("limit %d: the log holds %d bytes, want %d", limit, l.n, len(all))
		}
		inFile := 0
		for _, b := range l.blocks {
			if b.data == nil {
				inFile += b.n
			}
		}
		// The texts take about 7 MB; the last block is always in memory.
		switch {
		case limit < 1<<40 && inFile == 0:
			t.Fatalf("limit %d: no block was written to the file", limit)
		case limit == 1<<40 && inFile > 0:
			t.Fatalf("limit %d: %d bytes were written to the file", limit, inFile)
		case limit == 0 && int64(inFile) < l.n-textBlock:
			t.Fatalf("limit 0: %d of %d bytes in the file", inFile, l.n)
		}
		for _, i := range rng.Perm(len(texts)) {
			if got := l.get(starts[i], starts[i+1]); got != texts[i] {
				t.Fatalf("limit %d: text %d is %.40q…, want %.40q…", limit, i, got, texts[i])
			}
		}
		for range 200 {
			lo := rng.Int64N(l.n)
			hi := lo + rng.Int64N(min(l.n-lo, 3<<20)+1)
			p := make([]byte, hi-lo)
			l.readAt(p, lo)
			if string(p) != all[lo:hi] {
				t.Fatalf("limit %d: bytes %d to %d differ", limit, lo, hi)
			}
		}
		if err := l.Err(); err != nil {
			t.Fatal(err)
		}
		if err := l.close(); err != nil {
			t.Fatal(err)
		}
	}
}

// A text that cannot be read back from the file sets the error a writer
// returns (Extracts.Err), rather than passing as some other text.
func TestTextLogReadError(t *testing.T) {
	l := &textLog{}
	l.add(strings.Repeat("x", 3*textBlock))
	if l.file == nil {
		t.Fatal("the log made no file")
	}
	l.file.Close()
	if got := l.get(0, 10); got == "xxxxxxxxxx" {
		t.Fatal("a text was read from a closed file")
	}
	if err := l.Err(); err == nil || !strings.Contains(err.Error(), "reading back the extracts' texts") {
		t.Fatalf("the error is %v", err)
	}
}

// The texts of a store whose texts are all in the file come back the same
// through At, All, Each and EachIn over runs and over sparse subsets, and a
// text kept from one read stays the same after the next.
func TestStoreTextsInFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	texts := randomTexts(rng, 4000)
	x, st := newStore(-1), &Study{ID: "S1"}
	x.studies = []*Study{st}
	tb := &table{file: "x.csv", sheet: "x"}
	for i, s := range texts {
		x.newExtract("", s, 0, "", st, Participant, "", tb, 2, 3, i+2)
	}
	if x.log.file == nil || !x.log.file.Made() {
		t.Fatal("the store's texts are not in a file")
	}
	all := Extracts{s: x}
	for i := range texts {
		if got := all.At(i).Text; got != texts[i] {
			t.Fatalf("At(%d).Text = %.30q…", i, got)
		}
		if got, want := x.textRunes(int32(i)), utf8.RuneCountInString(texts[i]); int(got) != want {
			t.Fatalf("text %d has %d characters, not %d", i, got, want)
		}
	}
	var kept []string
	for i, e := range all.All() {
		if e.Text != texts[i] {
			t.Fatalf("All: extract %d's text differs", i)
		}
		kept = append(kept, e.Text)
	}
	for _, sub := range [][]int32{nil, pick(rng, len(texts), 0.5), pick(rng, len(texts), 0.01), {0, int32(len(texts) - 1)}} {
		x := Extracts{s: x, idx: sub}
		lo := x.Len() / 3
		x.EachIn(lo, x.Len(), func(i int, e *Extract) {
			if want := texts[x.place(i)]; e.Text != want {
				t.Fatalf("EachIn over %d of %d: extract %d's text differs", x.Len(), len(texts), i)
			}
		})
	}
	if !reflect.DeepEqual(kept, texts) {
		t.Fatal("texts kept from All changed as later texts were read")
	}
	if err := all.Err(); err != nil {
		t.Fatal(err)
	}
}

// pick is a random subset of 0..n-1 of about share of them, in order.
func pick(rng *rand.Rand, n int, share float64) []int32 {
	var out []int32
	for i := range n {
		if rng.Float64() < share {
			out = append(out, int32(i))
		}
	}
	return out
}

// A build whose texts all go through the files, from a workbook of inline
// strings (the store's) and from one of shared strings (the table's, read
// from there in order and one by one), makes
// the same extracts, quotes and support as one that holds them in memory,
// and leaves no file behind.
func TestBuildTextsInFile(t *testing.T) {
	for _, inline := range []bool{true, false} {
		dir := t.TempDir()
		if err := benchdata.WriteProject(dir, 5000, 7, inline); err != nil {
			t.Fatal(err)
		}
		project := filepath.Join(dir, "synth.yaml")
		r1, err := Build(project, Options{})
		if err != nil {
			t.Fatal(err)
		}
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		r2, err := Build(project, Options{TextsInMemory: -1, Sheet: sheet.Options{StringsInMemory: -1}})
		if err != nil {
			t.Fatal(err)
		}
		// The file is removed as soon as it is made (but on Windows).
		if left, _ := os.ReadDir(tmp); len(left) > 0 && runtime.GOOS != "windows" {
			t.Fatalf("the temporary folder holds %s", left[0].Name())
		}
		// Inline texts go to the store's file; shared strings' texts stay
		// in the table's, where the store reads them.
		x := r2.Extracts.s
		inTable := 0
		for i := range int32(x.len()) {
			if k := ^x.ref(i); k >= 0 && k < refHeld && !x.tables[x.rec(i).table].strs.Held(int(k)) {
				inTable++
			}
		}
		made := x.log.file != nil && x.log.file.Made()
		if inline && (!made || inTable > 0) || !inline && (made || inTable < x.len()/2) {
			t.Fatalf("inline=%v: the store's file made: %v; %d texts in the table's file", inline, made, inTable)
		}
		if r1.Extracts.s.log.file != nil && r1.Extracts.s.log.file.Made() {
			t.Fatalf("inline=%v: 5,000 extracts' texts went to a file by default", inline)
		}
		if a, b := plainExtracts(r1.Extracts.Slice()), plainExtracts(r2.Extracts.Slice()); !reflect.DeepEqual(a, b) {
			t.Fatalf("inline=%v: the extracts differ", inline)
		}
		for i := range r1.Themes {
			a, b := r1.Themes[i], r2.Themes[i]
			if !reflect.DeepEqual(plainExtracts(a.Quotes), plainExtracts(b.Quotes)) ||
				!reflect.DeepEqual(plainExtracts(a.Extracts.Slice()), plainExtracts(b.Extracts.Slice())) || a.Participant != b.Participant {
				t.Fatalf("inline=%v: theme %s differs", inline, a.ID)
			}
		}
	}
}

// plainExtract is what an Extract says, its cells as text: two builds'
// extracts compare equal without comparing their tables.
type plainExtract struct {
	ID, Study, Text, Type, Location, Coder, Where string
	Codes, Coders, Themes, Codings                []string
}

func plainExtracts(es []*Extract) []plainExtract {
	out := make([]plainExtract, len(es))
	for i, e := range es {
		p := plainExtract{ID: e.ID, Study: e.Study.ID, Text: e.Text, Type: string(e.Type), Location: e.Location, Coder: e.Coder,
			Where: e.Where(), Codes: e.Codes, Coders: e.Coders, Themes: e.Themes}
		for _, c := range e.Codings {
			p.Codings = append(p.Codings, c.Code+"|"+c.Coder+"|"+c.Where())
		}
		out[i] = p
	}
	return out
}

// Undoing a streamed source (merged cells found at its end) keeps the
// build's limit and closes the dropped store's file.
func TestUndoKeepsTextLimit(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for _, opt := range []int64{-1, 0, 1 << 20} {
		in := &input{byKey: map[string]*Study{}, where: map[*Study]string{}, unknown: map[string]*unknownCode{}, store: newStore(opt)}
		before := in.store.log.limit
		m := in.mark()
		st, tb := &Study{ID: "S1"}, &table{file: "x.csv", sheet: "x"}
		for i := range 40 {
			in.store.newExtract("", strings.Repeat("x", 100<<10), 0, "", st, Participant, "", tb, 2, 3, i+2)
		}
		old := in.store.log
		in.undo(m)
		if got := in.store.log.limit; got != before {
			t.Errorf("TextsInMemory %d: a limit of %d before undo, %d after", opt, before, got)
		}
		if old.file != nil && old.file.ReadAt(make([]byte, 1), 0) == nil {
			t.Errorf("TextsInMemory %d: the dropped store's file is still open", opt)
		}
	}
}

// A block written to the file gives its buffer to the next: 16 MiB of
// texts through the file allocate the blocks growing to textBlock and one
// of that size, about two textBlocks (8 MiB), not 16 MiB.
func TestTextLogReusesBlocks(t *testing.T) {
	l := &textLog{}
	text := strings.Repeat("y", 1000)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range 16 << 10 {
		l.add(text)
	}
	runtime.ReadMemStats(&m1)
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 2*textBlock+1<<20 {
		t.Errorf("adding 16 MiB allocated %d MiB", got>>20)
	}
	l.close()
}
