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
	// overlong is set while a tag, comment or CDATA section longer than
	// maxToken is skipped rather than held.
	overlong bool
}

// maxToken bounds what the window holds of one tag, comment, processing
// instruction or CDATA section; character data is handed out in pieces of
// at most textPiece bytes instead. So a crafted part (a run of gigabytes of
// blanks, one giant text node or attribute) never makes the window grow
// past a few times maxToken: the bytes stream through it until the part's
// size limit (xlsx_zip.go) refuses the part, or the token ends and is
// refused as overlong. No spreadsheet writer writes a tag anywhere near
// this long; Excel's longest cell is 32,767 characters.
const (
	maxToken  = 8 << 20
	textPiece = xmlBufSize
)

// errOverlong is a tag, comment or CDATA section longer than maxToken.
var errOverlong = fmt.Errorf("%w: it holds a tag, comment or CDATA section longer than %s, which no spreadsheet writer produces", errXMLSyntax, byteSize(maxToken, " "))

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
				if scanned >= textPiece {
					// A long run of text goes out in pieces, never
					// held whole: consumers append them.
					n := textCut(w)
					x.pos += n
					*t = xmlToken{kind: xmlText, text: w[:n]}
					return xmlText, nil
				}
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
			if x.overlong {
				return x.refuseOverlong()
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
			if x.overlong {
				return x.refuseOverlong()
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
				if x.overlong {
					return x.refuseOverlong()
				}
				x.pos += end + 3
				continue
			case bytes.HasPrefix(w, []byte("<![")):
				end, ok := x.find(3, "]]>")
				if !ok {
					return x.fail()
				}
				if x.overlong {
					return x.refuseOverlong()
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
			if x.overlong {
				return x.refuseOverlong()
			}
			x.pos += end + 1
			continue
		}
		if x.shortStart() {
			return xmlStart, nil
		}
		end, ok := x.findTagEnd()
		if !ok {
			return x.fail()
		}
		if x.overlong {
			return x.refuseOverlong()
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
		if !x.fillToken(&from) {
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
		if !x.fillToken(&i) {
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
		if !x.fillToken(&i) {
			return 0, false
		}
	}
}

// fillToken is fill for a token being scanned from pos, whose scan has
// reached pos+*i. Once the token passes maxToken, its middle is dropped
// (its first and last tokenKeep bytes stay, for the scanners' prefix checks
// and separators split across reads) and overlong is set, so the window
// stays bounded however long the token runs.
func (x *xmlReader) fillToken(i *int) bool {
	if x.end-x.pos >= maxToken {
		if drop := *i - 2*tokenKeep; drop > 0 {
			head := x.pos + tokenKeep
			x.end = head + copy(x.buf[head:], x.buf[head+drop:x.end])
			*i -= drop
			x.overlong = true
		}
	}
	return x.fill()
}

const tokenKeep = 16

func (x *xmlReader) refuseOverlong() (xmlKind, error) {
	x.overlong = false
	x.err = errOverlong
	return xmlEOF, errOverlong
}

// textCut is how much of the text w to hand out as one piece: all of it
// but a trailing entity or character reference that may be incomplete,
// and a trailing CR whose LF may follow, so that decoding the pieces one
// by one gives what decoding the whole would.
func textCut(w []byte) int {
	n := len(w)
	tail := max(0, n-12)
	if i := bytes.LastIndexByte(w[tail:], '&'); i >= 0 {
		n = tail + i
	}
	if n > 0 && w[n-1] == '\r' {
		n--
	}
	return n
}

// nameEnd marks the bytes that end a tag's name.
var nameEnd = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, '>': true, '/': true, '<': true, '"': true, '\'': true}

// shortStart reads a start tag without attributes, <name> or <name/>, at
// pos, the commonest tag of all (<row>, <is>, <t>, <v>), in one pass:
// a part of nothing but such tags (a crafted one) must still stream at
// hundreds of MB a second. It reports false, consuming nothing, for any
// other tag.
func (x *xmlReader) shortStart() bool {
	w := x.buf[x.pos:x.end]
	i := 1
	for i < len(w) && !nameEnd[w[i]] {
		i++
	}
	if i+1 >= len(w) || i == 1 {
		return false
	}
	t := &x.tok
	switch {
	case w[i] == '>':
		*t = xmlToken{kind: xmlStart, name: shortLocalName(w[1:i])}
		x.pos += i + 1
	case w[i] == '/' && w[i+1] == '>':
		*t = xmlToken{kind: xmlStart, name: shortLocalName(w[1:i]), selfClosing: true}
		x.pos += i + 2
	default:
		return false
	}
	return true
}

// shortLocalName is localName for a short name, without the call into the
// vectorised search.
func shortLocalName(b []byte) []byte {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == ':' {
			return b[i+1:]
		}
	}
	return b
}
