package docscan

import (
	"errors"
	"strconv"
)

// The PDF object model, as plain Go values: nil (null), bool, int64, float64, pdfString,
// pdfName, pdfArray, pdfDict, pdfRef, *pdfStream and pdfKeyword (an operator or a bare word).
type (
	pdfName    string
	pdfString  []byte
	pdfKeyword string
	pdfArray   []any
	pdfDict    map[pdfName]any
	pdfRef     struct{ num, gen int }
	pdfStream  struct {
		dict pdfDict
		raw  []byte // still encoded: a slice of the file, or of a decoded object stream
	}
)

var (
	errEOF     = errors.New("unexpected end of data")
	errSyntax  = errors.New("syntax error")
	errNesting = errors.New("arrays or dictionaries nested too deeply")
)

// lexer reads PDF objects from b. It never panics on bad input: every fault is an error, and
// nesting is bounded by maxDepth so a hostile "[[[[..." cannot exhaust the stack.
type lexer struct {
	b        []byte
	pos      int
	maxDepth int
	refs     bool // recognise "N G R"; off for content streams, which have no references
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// object reads the next object. Keywords (operators, "obj", "stream", "endobj", "]" left
// over...) come back as pdfKeyword so callers decide what they mean.
func (l *lexer) object() (any, error) { return l.value(0) }

func (l *lexer) value(depth int) (any, error) {
	if depth > l.maxDepth {
		return nil, errNesting
	}
	l.skipSpace()
	if l.pos >= len(l.b) {
		return nil, errEOF
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		return l.name(), nil
	case c == '(':
		return l.literal(), nil
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		return l.dict(depth)
	case c == '<':
		return l.hex(), nil
	case c == '[':
		l.pos++
		return l.array(depth)
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		// Stray closers and PostScript braces (in CMaps) are returned as keywords.
		l.pos++
		if c == '>' && l.pos < len(l.b) && l.b[l.pos] == '>' {
			l.pos++
			return pdfKeyword(">>"), nil
		}
		return pdfKeyword(string(c)), nil
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.number()
	}
	start := l.pos
	for l.pos < len(l.b) && isRegular(l.b[l.pos]) {
		l.pos++
	}
	switch w := string(l.b[start:l.pos]); w {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	default:
		return pdfKeyword(w), nil
	}
}

func (l *lexer) number() (any, error) {
	start := l.pos
	l.pos++
	for l.pos < len(l.b) && (l.b[l.pos] >= '0' && l.b[l.pos] <= '9' || l.b[l.pos] == '.' || l.b[l.pos] == '-') {
		l.pos++
	}
	tok := string(l.b[start:l.pos])
	if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
		if l.refs && n >= 0 {
			if r, ok := l.refAfter(n); ok {
				return r, nil
			}
		}
		return n, nil
	}
	if f, err := strconv.ParseFloat(tok, 64); err == nil {
		return f, nil
	}
	// Readers accept junk such as "--3" or "1.2.3"; keep the leading part that parses.
	for end := len(tok) - 1; end > 0; end-- {
		if f, err := strconv.ParseFloat(tok[:end], 64); err == nil {
			return f, nil
		}
	}
	return 0.0, nil
}

// refAfter recognises "gen R" after the object number n, leaving pos unchanged otherwise.
func (l *lexer) refAfter(n int64) (pdfRef, bool) {
	save := l.pos
	l.skipSpace()
	g := l.pos
	for l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '9' {
		l.pos++
	}
	if l.pos > g && l.pos-g < 6 {
		gen, _ := strconv.Atoi(string(l.b[g:l.pos]))
		l.skipSpace()
		if l.pos < len(l.b) && l.b[l.pos] == 'R' && (l.pos+1 == len(l.b) || !isRegular(l.b[l.pos+1])) && n < 1<<31 {
			l.pos++
			return pdfRef{int(n), gen}, true
		}
	}
	l.pos = save
	return pdfRef{}, false
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *lexer) name() pdfName {
	l.pos++ // '/'
	var out []byte
	for l.pos < len(l.b) && isRegular(l.b[l.pos]) {
		c := l.b[l.pos]
		if c == '#' && l.pos+2 < len(l.b) {
			hi, ok1 := unhex(l.b[l.pos+1])
			lo, ok2 := unhex(l.b[l.pos+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				l.pos += 3
				continue
			}
		}
		out = append(out, c)
		l.pos++
	}
	return pdfName(out)
}

func (l *lexer) hex() pdfString {
	l.pos++ // '<'
	var out []byte
	var cur byte
	half := false
	for l.pos < len(l.b) && l.b[l.pos] != '>' {
		if v, ok := unhex(l.b[l.pos]); ok {
			if half {
				out = append(out, cur|v)
			} else {
				cur = v << 4
			}
			half = !half
		}
		l.pos++
	}
	if half {
		out = append(out, cur)
	}
	if l.pos < len(l.b) {
		l.pos++
	}
	return pdfString(out)
}

func (l *lexer) literal() pdfString {
	l.pos++ // '('
	var out []byte
	nest := 0
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			nest++
		case ')':
			if nest == 0 {
				return pdfString(out)
			}
			nest--
		case '\\':
			if l.pos >= len(l.b) {
				return pdfString(out)
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r': // line continuation
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return pdfString(out)
}

func (l *lexer) array(depth int) (pdfArray, error) {
	var a pdfArray
	for {
		l.skipSpace()
		if l.pos >= len(l.b) {
			return a, nil // unterminated: keep what was read
		}
		if l.b[l.pos] == ']' {
			l.pos++
			return a, nil
		}
		v, err := l.value(depth + 1)
		if err != nil {
			return a, err
		}
		if k, ok := v.(pdfKeyword); ok && (k == ">>" || endsObject(k)) {
			return a, errSyntax
		}
		a = append(a, v)
	}
}

func (l *lexer) dict(depth int) (pdfDict, error) {
	d := pdfDict{}
	for {
		l.skipSpace()
		if l.pos >= len(l.b) {
			return d, nil
		}
		if l.b[l.pos] == '>' {
			l.pos++
			if l.pos < len(l.b) && l.b[l.pos] == '>' {
				l.pos++
			}
			return d, nil
		}
		k, err := l.value(depth + 1)
		if err != nil {
			return d, err
		}
		key, ok := k.(pdfName)
		if !ok {
			if kw, isKw := k.(pdfKeyword); isKw && endsObject(kw) {
				return d, errSyntax
			}
			continue // skip junk where a key should be
		}
		v, err := l.value(depth + 1)
		if err != nil {
			return d, err
		}
		if kw, isKw := v.(pdfKeyword); isKw {
			if kw == ">>" {
				return d, nil
			}
			if endsObject(kw) {
				return d, errSyntax
			}
		}
		d[key] = v
	}
}

// endsObject reports keywords that cannot occur inside an array or dictionary: meeting one
// means the object was never closed, and reading on would swallow the rest of the file.
func endsObject(k pdfKeyword) bool {
	switch k {
	case "endobj", "stream", "endstream", "obj", "xref", "trailer", "startxref":
		return true
	}
	return false
}
