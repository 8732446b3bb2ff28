package sheet

// The tokenizer: a sliding window over the part, scanned with
// bytes.IndexByte for '<' and a short loop over each tag. The current token
// is kept in the reader (tok) rather than returned, since copying it out on
// every one of millions of tokens shows in profiles.

import (
	"bytes"
	"fmt"
	"io"
)

type xmlReader struct {
	r   io.Reader
	buf []byte
	pos int   // first unread byte
	end int   // end of the data in buf
	err error // the reader's error, once it has returned one
	tok xmlToken
}

// fill reads more data into the window, keeping buf[pos:end]. It reports
// whether any was added.
func (x *xmlReader) fill() bool {
	if x.err != nil {
		return false
	}
	if x.pos > 0 && x.pos >= len(x.buf)/2 || x.end == len(x.buf) && x.pos > 0 {
		n := copy(x.buf, x.buf[x.pos:x.end])
		x.pos, x.end = 0, n
	}
	if x.end == len(x.buf) {
		nb := make([]byte, 2*len(x.buf))
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err != nil {
			x.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	x.err = io.ErrNoProgress
	return false
}

// more makes at least n bytes available from pos, if the part has them.
func (x *xmlReader) more(n int) bool {
	for x.end-x.pos < n {
		if !x.fill() {
			return false
		}
	}
	return true
}

func (x *xmlReader) fail() (xmlKind, error) {
	if x.err != nil && x.err != io.EOF {
		return xmlEOF, x.err
	}
	return xmlEOF, fmt.Errorf("%w: it ends in the middle of a tag", errXMLSyntax)
}

// next reads the next start tag, end tag, text or CDATA token into x.tok,
// skipping comments, processing instructions and DOCTYPE, and returns its
// kind. The token's slices are valid until the next call.
func (x *xmlReader) next() (xmlKind, error) {
	t := &x.tok
	for {
		if x.pos == x.end && !x.fill() {
			if x.err == io.EOF {
				*t = xmlToken{kind: xmlEOF}
				return xmlEOF, nil
			}
			return xmlEOF, x.err
		}
		if x.buf[x.pos] != '<' {
			// Text up to the next '<' or the end of the part.
			scanned := 0
			for {
				w := x.buf[x.pos:x.end]
				if i := bytes.IndexByte(w[scanned:], '<'); i >= 0 {
					x.pos += scanned + i
					*t = xmlToken{kind: xmlText, text: w[:scanned+i]}
					return xmlText, nil
				}
				scanned = len(w)
				if !x.fill() {
					if x.err != io.EOF {
						return xmlEOF, x.err
					}
					w = x.buf[x.pos:x.end]
					x.pos = x.end
					*t = xmlToken{kind: xmlText, text: w}
					return xmlText, nil
				}
			}
		}
		if !x.more(2) {
			return x.fail()
		}
		switch x.buf[x.pos+1] {
		case '/':
			end, ok := x.find(2, ">")
			if !ok {
				return x.fail()
			}
			w := x.buf[x.pos : x.pos+end]
			x.pos += end + 1
			*t = xmlToken{kind: xmlEnd, name: localName(tagName(w[2:]))}
			return xmlEnd, nil
		case '?':
			end, ok := x.find(2, "?>")
			if !ok {
				return x.fail()
			}
			x.pos += end + 2
			continue
		case '!':
			if !x.more(4) {
				return x.fail()
			}
			w := x.buf[x.pos:x.end]
			switch {
			case bytes.HasPrefix(w, []byte("<!--")):
				end, ok := x.find(4, "-->")
				if !ok {
					return x.fail()
				}
				x.pos += end + 3
				continue
			case bytes.HasPrefix(w, []byte("<![")):
				end, ok := x.find(3, "]]>")
				if !ok {
					return x.fail()
				}
				w = x.buf[x.pos : x.pos+end]
				x.pos += end + 3
				if bytes.HasPrefix(w, []byte("<![CDATA[")) {
					*t = xmlToken{kind: xmlCDATA, text: w[9:]}
					return xmlCDATA, nil
				}
				continue // <![IGNORE[ and the like
			}
			// <!DOCTYPE ...> with an optional [internal subset].
			end, ok := x.findDeclEnd()
			if !ok {
				return x.fail()
			}
			x.pos += end + 1
			continue
		}
		end, ok := x.findTagEnd()
		if !ok {
			return x.fail()
		}
		w := x.buf[x.pos : x.pos+end+1]
		x.pos += end + 1
		setStart(t, w)
		return xmlStart, nil
	}
}

// find returns the offset from pos of sep, searching from pos+from.
func (x *xmlReader) find(from int, sep string) (int, bool) {
	for {
		w := x.buf[x.pos:x.end]
		if from <= len(w) {
			if i := bytes.Index(w[from:], []byte(sep)); i >= 0 {
				return from + i, true
			}
			from = max(from, len(w)-len(sep)+1)
		}
		if !x.fill() {
			return 0, false
		}
	}
}

// findTagEnd returns the offset from pos of the '>' that ends the start
// tag at pos; a '>' inside a quoted attribute value does not.
func (x *xmlReader) findTagEnd() (int, bool) {
	i := 1
	var quote byte
	for {
		w := x.buf[x.pos:x.end]
		for ; i < len(w); i++ {
			c := w[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '>':
				return i, true
			case c == '"' || c == '\'':
				quote = c
			}
		}
		if !x.fill() {
			return 0, false
		}
	}
}

// findDeclEnd returns the offset from pos of the '>' that ends a <!...>
// declaration, skipping a bracketed internal subset and quoted strings.
func (x *xmlReader) findDeclEnd() (int, bool) {
	i := 2
	depth := 0
	var quote byte
	for {
		w := x.buf[x.pos:x.end]
		for ; i < len(w); i++ {
			c := w[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[':
				depth++
			case c == ']':
				if depth > 0 {
					depth--
				}
			case c == '>' && depth == 0:
				return i, true
			}
		}
		if !x.fill() {
			return 0, false
		}
	}
}
