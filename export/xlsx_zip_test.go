package export

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"
)

// TestSortedZip writes parts out of order through sortedZip, as excelize
// does: the zip holds them in the fixed order with the fixed time, each
// inflating to what was written; a part written to after the next began
// is an error, as with archive/zip, not a panic or a wrong checksum.
func TestSortedZip(t *testing.T) {
	var buf bytes.Buffer
	mod := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	z := &sortedZip{w: &buf, mod: mod}
	parts := map[string]string{"xl/b.xml": "bbb", "[Content_Types].xml": "types", "xl/a.xml": string(bytes.Repeat([]byte("a"), 100000)), "_rels/.rels": ""}
	var late io.Writer
	for _, name := range []string{"xl/b.xml", "[Content_Types].xml", "xl/a.xml", "_rels/.rels"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, parts[name]); err != nil {
			t.Fatal(err)
		}
		if name == "xl/b.xml" {
			late = w
		}
	}
	if _, err := late.Write([]byte("late")); err == nil {
		t.Error("writing to a part after the next began: no error")
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Modified.Year() != 2000 || f.Method != zip.Deflate {
			t.Errorf("%s: modified %v, method %d", f.Name, f.Modified, f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC-32 and the size
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if string(got) != parts[f.Name] {
			t.Errorf("%s holds %d bytes, want %d", f.Name, len(got), len(parts[f.Name]))
		}
	}
	want := []string{"[Content_Types].xml", "_rels/.rels", "xl/a.xml", "xl/b.xml"}
	if len(names) != len(want) {
		t.Fatalf("parts %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("parts %q, want %q", names, want)
		}
	}
}
