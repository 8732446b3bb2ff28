package export

import (
	"bufio"
	"io"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/synth-qda/synth/synthesis"
)

// SchemaVersion is the version of the synthesis.json schema.
const SchemaVersion = 1

// JSON writes synthesis.json (schema_version 1, DESIGN.md §3.1):
// everything computed, with the exact text of every extract and name.
//
// Layout, fixed so that the same Result gives the same bytes:
//
//	schema_version, title, study_columns,
//	studies[]  {id, label, extracts, fields{column: value}, excluded, where?}
//	codes[]    {name, definition?, aliases, in_codebook, extracts, studies, themes}
//	themes[]   {id, name, level, depth, parents, children, codes, closure,
//	            extracts, studies, extracts_per_study{study: n > 0},
//	            participant, author, share, quotes, finding?, cerqual?, sensitivity?}
//	extracts[] {id, study, type, location, coder, codes, codings[{code, coder, where}], themes, text, where}
//	casp[]     {number, label, answers{study: Yes|Can't tell|No|as written}}
//	sensitivity? {column, values, excluded}
//	prisma?    {identified, databases{}, …, included, reports}
//	warnings[] {kind, message, where}
//	inputs, counts{studies, extracts, participant, author, codes, themes, warnings}
//
// Keys marked ? are left out when empty or absent; lists are [] (never
// null); object keys of maps are sorted. themes[].codes are the theme's own
// codes, .extracts (a count) and .studies are over its code closure; share is
// rounded to 4 decimals. It is written as encoding/json's MarshalIndent
// with two spaces would write it, without HTML escaping, but streamed: the
// file can hold a million extracts. Each extract is one line, in
// encoding/json's Compact layout: indented, a million extracts were 889 MB,
// and writing them took longer than reading the workbook; one a line, they
// are 630 MB and a line-oriented tool (grep, wc -l, jq) reads one extract
// per line.
func JSON(w io.Writer, r *synthesis.Result) error {
	j := &jsonWriter{w: bufio.NewWriterSize(w, 64<<10)}
	j.beginObject()
	j.key("schema_version")
	j.int(SchemaVersion)
	j.key("title")
	j.str(r.Title)
	j.key("study_columns")
	j.strs(r.StudyColumns)

	j.key("studies")
	j.beginArray()
	keys := fieldKeys(r.StudyColumns)
	order := sortedIndex(keys)
	for _, s := range r.Studies {
		j.item()
		j.beginObject()
		j.key("id")
		j.str(s.ID)
		j.key("label")
		j.str(s.Label)
		j.key("extracts")
		j.int(s.Extracts)
		j.key("fields")
		j.beginObject()
		for _, i := range order {
			j.key(keys[i])
			if i < len(s.Fields) {
				j.str(s.Fields[i])
			} else {
				j.str("")
			}
		}
		j.endObject()
		j.key("excluded")
		j.bool(s.Excluded)
		if s.Where != "" {
			j.key("where")
			j.str(s.Where)
		}
		j.endObject()
	}
	j.endArray()

	j.key("codes")
	j.beginArray()
	for _, c := range r.Codes {
		j.item()
		j.beginObject()
		j.key("name")
		j.str(c.Name)
		if c.Definition != "" {
			j.key("definition")
			j.str(c.Definition)
		}
		j.key("aliases")
		j.strs(c.Aliases)
		j.key("in_codebook")
		j.bool(c.InCodebook)
		j.key("extracts")
		j.int(c.Extracts)
		j.key("studies")
		j.strs(studyIDs(c.Studies))
		j.key("themes")
		j.strs(c.Themes)
		j.endObject()
	}
	j.endArray()

	j.key("themes")
	j.beginArray()
	for _, t := range r.Themes {
		jsonTheme(j, r, t)
	}
	j.endArray()

	j.key("extracts")
	j.beginArray()
	j.extracts(r.Extracts)
	j.endArray()

	j.key("casp")
	j.beginArray()
	ids := studyIDs(r.Studies)
	byID := sortedIndex(ids)
	for qi, q := range r.CASP {
		j.item()
		j.beginObject()
		j.key("number")
		j.int(q.Number)
		j.key("label")
		j.str(q.Label)
		j.key("answers")
		j.beginObject()
		for _, i := range byID {
			if a := r.Studies[i].CASP; qi < len(a) {
				j.key(ids[i])
				j.str(a[qi])
			}
		}
		j.endObject()
		j.endObject()
	}
	j.endArray()

	if s := r.Sensitivity; s != nil {
		j.key("sensitivity")
		j.beginObject()
		j.key("column")
		j.str(s.Column)
		j.key("values")
		j.strs(s.Values)
		j.key("excluded")
		j.strs(studyIDs(s.Excluded))
		j.endObject()
	}
	if p := r.PRISMA; p != nil {
		j.key("prisma")
		j.beginObject()
		for _, f := range []struct {
			key string
			n   int
			m   map[string]int
		}{
			{"identified", p.Identified, nil}, {"databases", 0, p.Databases}, {"registers", p.Registers, nil},
			{"duplicates", p.Duplicates, nil}, {"other_removed", p.OtherRemoved, nil}, {"screened", p.Screened, nil},
			{"excluded_screening", p.ExcludedScreening, nil}, {"not_retrieved", p.NotRetrieved, nil},
			{"full_text", p.FullText, nil}, {"excluded_full_text", p.ExcludedFullText, nil},
			{"exclusion_reasons", 0, p.ExclusionReasons}, {"included", p.Included, nil}, {"reports", p.Reports, nil},
		} {
			j.key(f.key)
			if f.key == "databases" || f.key == "exclusion_reasons" {
				j.counts(f.m)
			} else {
				j.int(f.n)
			}
		}
		j.endObject()
	}

	j.key("warnings")
	j.beginArray()
	for _, w := range r.Warnings {
		j.item()
		j.beginObject()
		j.key("kind")
		j.str(string(w.Kind))
		j.key("message")
		j.str(w.Message)
		j.key("where")
		j.str(w.Where)
		j.endObject()
	}
	j.endArray()

	j.key("inputs")
	j.strs(r.Inputs)
	j.key("counts")
	j.beginObject()
	for _, c := range []struct {
		key string
		n   int
	}{
		{"studies", len(r.Studies)}, {"extracts", r.Extracts.Len()}, {"participant", r.Totals.Participant},
		{"author", r.Totals.Author}, {"codes", len(r.Codes)}, {"themes", len(r.Themes)},
		{"warnings", len(r.Warnings)},
	} {
		j.key(c.key)
		j.int(c.n)
	}
	j.endObject()
	j.endObject()
	j.raw("\n")
	return j.w.Flush()
}

func jsonTheme(j *jsonWriter, r *synthesis.Result, t *synthesis.ThemeStat) {
	j.item()
	j.beginObject()
	j.key("id")
	j.str(t.ID)
	j.key("name")
	j.str(t.Name)
	j.key("level")
	j.str(t.Level)
	j.key("depth")
	j.int(t.Depth)
	j.key("parents")
	j.strs(t.Parents)
	j.key("children")
	j.strs(t.Children)
	j.key("codes")
	j.strs(t.Codes)
	j.key("closure")
	j.strs(t.Closure)
	j.key("extracts")
	j.int(t.Extracts.Len())
	j.key("studies")
	j.strs(studyIDs(t.Studies))
	j.key("extracts_per_study")
	per := map[string]int{}
	for i, n := range t.PerStudy {
		if n > 0 {
			per[r.Studies[i].ID] = n
		}
	}
	j.counts(per)
	j.key("participant")
	j.int(t.Participant)
	j.key("author")
	j.int(t.Author)
	j.key("share")
	j.float(math.Round(t.Share*1e4) / 1e4)
	j.key("quotes")
	j.beginArray()
	for _, e := range t.Quotes {
		j.item()
		j.str(e.ID)
	}
	j.endArray()
	if t.Finding != "" {
		j.key("finding")
		j.str(t.Finding)
	}
	if c := t.CERQual; c != nil {
		j.key("cerqual")
		j.beginObject()
		for _, comp := range []struct {
			key string
			c   synthesis.CERQualComponent
		}{
			{"methodological_limitations", c.MethodologicalLimitations}, {"coherence", c.Coherence},
			{"adequacy", c.Adequacy}, {"relevance", c.Relevance},
		} {
			j.key(comp.key)
			j.beginObject()
			j.key("concern")
			j.str(comp.c.Concern)
			if comp.c.Explanation != "" {
				j.key("explanation")
				j.str(comp.c.Explanation)
			}
			j.endObject()
		}
		j.key("confidence")
		j.str(c.Confidence)
		if c.Explanation != "" {
			j.key("explanation")
			j.str(c.Explanation)
		}
		// Studies contributing to the finding: computed, never typed.
		j.key("studies")
		j.strs(studyIDs(t.Studies))
		j.endObject()
	}
	if s := t.Sensitive; s != nil {
		j.key("sensitivity")
		j.beginObject()
		j.key("studies")
		j.int(s.Studies)
		j.key("extracts")
		j.int(s.Extracts)
		j.key("flag")
		j.str(s.Flag)
		j.endObject()
	}
	j.endObject()
}

// fieldKeys are the keys of studies[].fields: the study columns, with a
// repeated or empty header made unique ("Quality (2)", "Column 3") so that
// no value is lost.
func fieldKeys(cols []string) []string {
	keys := make([]string, len(cols))
	seen := map[string]bool{}
	for i, c := range cols {
		base := c
		if base == "" {
			base = "Column " + itoa(i+1)
		}
		k := base
		for n := 2; seen[k]; n++ {
			k = base + " (" + itoa(n) + ")"
		}
		seen[k] = true
		keys[i] = k
	}
	return keys
}

// sortedIndex returns the indexes of keys in sorted key order (JSON object
// keys are sorted, as encoding/json sorts map keys).
func sortedIndex(keys []string) []int {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	return idx
}

// appendExtract appends e as one line of JSON (encoding/json's Compact
// layout): id, study, type, location, coder, codes, codings, themes, text
// and where, in that order. The places are made in where, a scratch
// buffer returned for the next call.
func appendExtract(b, where []byte, e *synthesis.Extract) ([]byte, []byte) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, e.ID)
	b = append(b, `,"study":`...)
	b = appendJSONString(b, studyID(e.Study))
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(e.Type))
	b = append(b, `,"location":`...)
	b = appendJSONString(b, e.Location)
	b = append(b, `,"coder":`...)
	b = appendJSONString(b, e.Coder)
	b = append(b, `,"codes":`...)
	b = appendJSONStrings(b, e.Codes)
	b = append(b, `,"codings":[`...)
	for i, c := range e.Codings {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendJSONString(b, c.Code)
		b = append(b, `,"coder":`...)
		b = appendJSONString(b, c.Coder)
		b = append(b, `,"where":`...)
		where = c.AppendWhere(where[:0])
		b = appendJSONBytes(b, where)
		b = append(b, '}')
	}
	b = append(b, `],"themes":`...)
	b = appendJSONStrings(b, e.Themes)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, e.Text)
	b = append(b, `,"where":`...)
	where = e.AppendWhere(where[:0])
	b = appendJSONBytes(b, where)
	return append(b, '}'), where
}

// extractsChunk is how many extracts one goroutine encodes at a time
// (about 600 KB of JSON at the bench's texts).
const extractsChunk = 1024

// extracts writes the elements of the extracts array, an extract a line in
// encoding/json's Compact layout (a million of them, indented, would be 2.6
// times the size). The lines are made in chunks of extractsChunk, on as
// many goroutines as Go may run at once, and written in order: encoding a
// million extracts takes longer than writing them, and one goroutine left
// a core idle for a second and a half. The bytes do not depend on how many
// goroutines there are.
func (j *jsonWriter) extracts(x synthesis.Extracts) {
	n := x.Len()
	if n == 0 {
		return
	}
	// What item would write before each element, as in j.item.
	indent := "\n" + strings.Repeat("  ", len(j.empty))
	first, next := indent, ","+indent
	j.empty[len(j.empty)-1] = false
	encode := func(lo, hi int, b, where []byte) ([]byte, []byte) {
		x.EachIn(lo, hi, func(i int, e *synthesis.Extract) {
			if i == 0 {
				b = append(b, first...)
			} else {
				b = append(b, next...)
			}
			b, where = appendExtract(b, where, e)
		})
		return b, where
	}
	workers := min(runtime.GOMAXPROCS(0), (n+extractsChunk-1)/extractsChunk)
	if workers <= 1 {
		for lo := 0; lo < n; lo += extractsChunk {
			j.buf, j.where = encode(lo, min(lo+extractsChunk, n), j.buf[:0], j.where)
			j.w.Write(j.buf)
		}
		return
	}
	type chunk struct {
		lo, hi int
		out    chan []byte
	}
	jobs := make(chan chunk)
	inOrder := make(chan chunk, 2*workers)
	free := make(chan []byte, 3*workers)
	go func() {
		for lo := 0; lo < n; lo += extractsChunk {
			c := chunk{lo, min(lo+extractsChunk, n), make(chan []byte, 1)}
			inOrder <- c
			jobs <- c
		}
		close(jobs)
		close(inOrder)
	}()
	for range workers {
		go func() {
			var b, where []byte
			for c := range jobs {
				select {
				case b = <-free:
				default:
					b = nil
				}
				b, where = encode(c.lo, c.hi, b[:0], where)
				c.out <- b
			}
		}()
	}
	for c := range inOrder {
		b := <-c.out
		j.w.Write(b)
		select {
		case free <- b:
		default:
		}
	}
}

// appendJSONBytes is appendJSONString of s's bytes, which it does not keep.
func appendJSONBytes(b, s []byte) []byte {
	if len(s) == 0 {
		return append(b, `""`...)
	}
	return appendJSONString(b, unsafe.String(&s[0], len(s)))
}

// appendJSONStrings appends a list of strings on one line; nil is [].
func appendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// jsonWriter streams indented JSON in the layout of encoding/json's
// MarshalIndent(v, "", "  "): one member or element per line, empty
// containers as {} and [] (an extract's line, in encoding/json's Compact
// layout, is appendExtract's). Write errors stick in the bufio.Writer and
// are reported by Flush.
type jsonWriter struct {
	w     *bufio.Writer
	empty []bool // per open container: nothing written in it yet
	buf   []byte
	where []byte // scratch for extracts' places
}

func (j *jsonWriter) raw(s string) { j.w.WriteString(s) }

func (j *jsonWriter) newline() {
	j.w.WriteByte('\n')
	for range len(j.empty) {
		j.w.WriteString("  ")
	}
}

// item starts the next element of an array, or the next member of an
// object (key calls it).
func (j *jsonWriter) item() {
	top := len(j.empty) - 1
	if !j.empty[top] {
		j.w.WriteByte(',')
	}
	j.empty[top] = false
	j.newline()
}

func (j *jsonWriter) key(k string) {
	j.item()
	j.str(k)
	j.w.WriteString(": ")
}

func (j *jsonWriter) begin(c byte) {
	j.w.WriteByte(c)
	j.empty = append(j.empty, true)
}

func (j *jsonWriter) end(c byte) {
	top := len(j.empty) - 1
	wasEmpty := j.empty[top]
	j.empty = j.empty[:top]
	if !wasEmpty {
		j.newline()
	}
	j.w.WriteByte(c)
}

func (j *jsonWriter) beginObject() { j.begin('{') }
func (j *jsonWriter) endObject()   { j.end('}') }
func (j *jsonWriter) beginArray()  { j.begin('[') }
func (j *jsonWriter) endArray()    { j.end(']') }

func (j *jsonWriter) int(n int) {
	j.buf = strconv.AppendInt(j.buf[:0], int64(n), 10)
	j.w.Write(j.buf)
}

func (j *jsonWriter) float(f float64) {
	j.buf = strconv.AppendFloat(j.buf[:0], f, 'f', -1, 64)
	j.w.Write(j.buf)
}

func (j *jsonWriter) bool(b bool) {
	if b {
		j.w.WriteString("true")
	} else {
		j.w.WriteString("false")
	}
}

func (j *jsonWriter) str(s string) {
	j.buf = appendJSONString(j.buf[:0], s)
	j.w.Write(j.buf)
}

// strs writes a list of strings; nil is [].
func (j *jsonWriter) strs(ss []string) {
	j.beginArray()
	for _, s := range ss {
		j.item()
		j.str(s)
	}
	j.endArray()
}

// counts writes a map of counts with sorted keys; nil is {}.
func (j *jsonWriter) counts(m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	j.beginObject()
	for _, k := range keys {
		j.key(k)
		j.int(m[k])
	}
	j.endObject()
}

const hexDigits = "0123456789abcdef"

// plain8 reports whether none of the eight bytes of x is a control
// character, '"', '\\' or past ASCII: the bytes appendJSONString copies as
// they are without a look of their own. Past the high-bit test, each is a
// classic bit trick on words of ASCII bytes (Anderson, "Bit Twiddling
// Hacks": haszero, hasless): (v - n·0x01…) &^ v & 0x80… is not zero exactly
// when a byte of v is less than n, and n = 1 on x xor'ed with '"' or '\\'
// finds that byte.
func plain8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	return (x&highs | (x-0x20*ones)&^x&highs | hasZero(x^('"'*ones)) | hasZero(x^('\\'*ones))) == 0
}

// appendJSONString quotes s exactly as encoding/json does without HTML
// escaping: ", \ and control characters escaped, invalid UTF-8 as \ufffd,
// U+2028 and U+2029 escaped; everything else, < > & included, as is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while none needs a look of its own: an
		// extract's text is mostly plain ASCII, and this loop is most of
		// the time of writing a million of them.
		for i+8 <= len(s) && plain8(uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(dst, s[start:]...), '"')
}
