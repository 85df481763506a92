package docscan

import (
	"bytes"
	"math"
	"strings"
)

// matrix is a PDF transformation [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// gstate is the part of the graphics state that text positions depend on.
type gstate struct {
	ctm                      matrix
	font                     *pdfFont
	size, tc, tw, th, tl, ts float64
}

// textRun is text drawn contiguously: glyph after glyph, each starting where the previous
// one ended. Gaps and jumps start a new run; the layout turns them into spaces and lines.
type textRun struct {
	x0, y0, x1, y1 float64 // start and end of the baseline, in page space
	h              float64 // font size in page space
	rotated        bool    // baseline not left-to-right horizontal
	text           strings.Builder
	seq            int // order drawn, to keep stream order among equals
}

// interp runs content streams and collects text runs.
type interp struct {
	d      *pdfDoc
	gs     gstate
	stack  []gstate
	extra  int // q operators past the stack cap, so that their Q do not pop real states
	tm     matrix
	tlm    matrix
	runs   []*textRun
	forms  map[*pdfStream]bool
	glyphs int
}

// maxStack bounds q nesting; real files rarely pass 10.
const maxStack = 64

func newInterp(d *pdfDoc, ctm matrix) *interp {
	return &interp{d: d, gs: gstate{ctm: ctm, th: 1, font: nil}, tm: identity, tlm: identity, forms: map[*pdfStream]bool{}}
}

// run interprets one content stream with its resources.
func (in *interp) run(content []byte, res pdfDict, depth int) {
	l := &lexer{b: content, maxDepth: in.d.lim.MaxDepth}
	var ops []any
	for in.d.spend(1) {
		v, err := l.object()
		if err == errEOF {
			return
		}
		if err != nil { // nesting past the limit: skip the token and go on
			l.pos++
			ops = ops[:0]
			continue
		}
		op, isOp := v.(pdfKeyword)
		if !isOp {
			if len(ops) >= 64 {
				ops = ops[:0] // junk operands: real operators take at most a few
			}
			ops = append(ops, v)
			continue
		}
		in.exec(op, ops, res, depth, l)
		ops = ops[:0]
	}
}

func nums(ops []any, n int) ([]float64, bool) {
	if len(ops) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i, v := range ops[len(ops)-n:] {
		f, ok := asFloat(v)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func (in *interp) exec(op pdfKeyword, ops []any, res pdfDict, depth int, l *lexer) {
	gs := &in.gs
	switch op {
	case "q":
		if len(in.stack) >= maxStack {
			in.extra++
			return
		}
		in.stack = append(in.stack, *gs)
	case "Q":
		if in.extra > 0 {
			in.extra--
		} else if n := len(in.stack); n > 0 {
			*gs = in.stack[n-1]
			in.stack = in.stack[:n-1]
		}
	case "cm":
		if v, ok := nums(ops, 6); ok {
			gs.ctm = matrix(v).mul(gs.ctm)
		}
	case "BT":
		in.tm, in.tlm = identity, identity
	case "Tf":
		if len(ops) >= 2 {
			name, _ := ops[len(ops)-2].(pdfName)
			gs.size, _ = asFloat(ops[len(ops)-1])
			fonts := asDict(in.d.get(res, "Font"))
			gs.font = in.d.font(fonts[name])
		}
	case "Tc", "Tw", "Tz", "TL", "Ts":
		if v, ok := nums(ops, 1); ok {
			switch op {
			case "Tc":
				gs.tc = v[0]
			case "Tw":
				gs.tw = v[0]
			case "Tz":
				gs.th = v[0] / 100
			case "TL":
				gs.tl = v[0]
			case "Ts":
				gs.ts = v[0]
			}
		}
	case "Td", "TD":
		if v, ok := nums(ops, 2); ok {
			if op == "TD" {
				gs.tl = -v[1]
			}
			in.newLine(v[0], v[1])
		}
	case "Tm":
		if v, ok := nums(ops, 6); ok {
			in.tm, in.tlm = matrix(v), matrix(v)
		}
	case "T*":
		in.newLine(0, -gs.tl)
	case "Tj", "'", "\"":
		if len(ops) == 0 {
			return
		}
		if op == "\"" {
			if v, ok := nums(ops[:len(ops)-1], 2); ok {
				gs.tw, gs.tc = v[0], v[1]
			}
		}
		if op != "Tj" {
			in.newLine(0, -gs.tl)
		}
		if s, ok := ops[len(ops)-1].(pdfString); ok {
			in.show(s)
		}
	case "TJ":
		if len(ops) == 0 {
			return
		}
		arr, _ := ops[len(ops)-1].(pdfArray)
		for _, e := range arr {
			switch t := e.(type) {
			case pdfString:
				in.show(t)
			default:
				if n, ok := asFloat(t); ok {
					in.advance(-n / 1000 * gs.size * gs.th)
				}
			}
		}
	case "Do":
		if len(ops) > 0 {
			name, _ := ops[len(ops)-1].(pdfName)
			in.form(asDict(in.d.get(res, "XObject"))[name], res, depth)
		}
	case "BI":
		skipInlineImage(l)
	}
}

func (in *interp) newLine(tx, ty float64) {
	in.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(in.tlm)
	in.tm = in.tlm
}

func (in *interp) advance(tx float64) {
	in.tm = matrix{1, 0, 0, 1, tx, 0}.mul(in.tm)
}

// show draws a string: each glyph continues the last run when it starts where that run ended.
func (in *interp) show(s []byte) {
	gs := &in.gs
	f := gs.font
	if f == nil {
		f = fallbackFont
	}
	m := in.tm.mul(gs.ctm)
	h := math.Abs(gs.size) * math.Hypot(m[2], m[3])
	if h == 0 || math.IsNaN(h) || math.IsInf(h, 0) {
		h = math.Abs(gs.size)
	}
	rotated := m[0] <= 0 || math.Abs(m[1]) > math.Abs(m[0])*0.2
	tx := 0.0
	room := in.d.lim.MaxOps - in.d.ops
	n := f.glyphs(s, room, func(g glyph) {
		x, y := m.apply(tx, gs.ts)
		adv := (g.w*gs.size + gs.tc) * gs.th
		if g.space {
			adv += gs.tw * gs.th
		}
		tx += adv
		if g.text == "" {
			return
		}
		x1, y1 := m.apply(tx, gs.ts)
		in.add(g.text, x, y, x1, y1, h, rotated)
	})
	in.d.spend(n)
	in.advance(tx)
}

// add appends text at (x, y)–(x1, y1) to the last run when it continues it.
func (in *interp) add(text string, x, y, x1, y1, h float64, rotated bool) {
	if n := len(in.runs); n > 0 {
		r := in.runs[n-1]
		tol := 0.12 * max(h, r.h)
		if r.rotated == rotated && math.Abs(x-r.x1) <= tol && math.Abs(y-r.y1) <= tol && math.Abs(h-r.h) <= 0.2*r.h {
			r.text.WriteString(text)
			r.x1, r.y1 = x1, y1
			return
		}
	}
	r := &textRun{x0: x, y0: y, x1: x1, y1: y1, h: h, rotated: rotated, seq: len(in.runs)}
	r.text.WriteString(text)
	in.runs = append(in.runs, r)
}

// form runs a form XObject, guarding against forms that draw themselves.
func (in *interp) form(v any, res pdfDict, depth int) {
	s, ok := in.d.resolve(v).(*pdfStream)
	if !ok || s.dict["Subtype"] != pdfName("Form") || in.forms[s] || depth >= min(in.d.lim.MaxDepth, 16) {
		return
	}
	data, err := in.d.decode(s)
	if err != nil {
		return
	}
	in.forms[s] = true
	defer delete(in.forms, s)
	saved, tm, tlm, stack := in.gs, in.tm, in.tlm, len(in.stack)
	if fm := asArray(in.d.get(s.dict, "Matrix")); len(fm) == 6 {
		var mx matrix
		okAll := true
		for i := range 6 {
			mx[i], ok = asFloat(in.d.resolve(fm[i]))
			okAll = okAll && ok
		}
		if okAll {
			in.gs.ctm = mx.mul(in.gs.ctm)
		}
	}
	if r := asDict(in.d.get(s.dict, "Resources")); r != nil {
		res = r
	}
	in.run(data, res, depth+1)
	in.gs, in.tm, in.tlm = saved, tm, tlm
	in.stack = in.stack[:min(stack, len(in.stack))]
}

// skipInlineImage moves past "<dict> ID <binary> EI" after BI: the binary data could look like
// anything, including operators.
func skipInlineImage(l *lexer) {
	i := bytes.Index(l.b[l.pos:], []byte("ID"))
	if i < 0 {
		l.pos = len(l.b)
		return
	}
	p := l.pos + i + 2
	for {
		j := bytes.Index(l.b[p:], []byte("EI"))
		if j < 0 {
			l.pos = len(l.b)
			return
		}
		e := p + j
		before := e > 0 && isSpace(l.b[e-1])
		after := e+2 == len(l.b) || isSpace(l.b[e+2]) || isDelim(l.b[e+2])
		if before && after {
			l.pos = e + 2
			return
		}
		p = e + 2
	}
}
