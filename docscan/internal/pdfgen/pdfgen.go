// Package pdfgen writes small PDFs shaped like the documents users upload (bills and
// statements made by report generators), for tests of text extraction. It covers the ways
// writers draw text that a reader must understand: plain Tj lines, words spaced by TJ kerning
// instead of space characters, words placed one by one with Tm, and composite (Type0,
// Identity-H) fonts with a ToUnicode map; uncompressed or Flate content; classic xref tables
// or object and xref streams.
package pdfgen

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Text is one line of text: its baseline start in points from the bottom-left corner, its
// size in points, and whether it is bold.
type Text struct {
	X, Y, Size float64
	S          string
	Bold       bool
}

// Page is the text of one US Letter page (612×792 points).
type Page []Text

// Style is how the content stream draws text.
type Style int

// The drawing styles, after common writers.
const (
	StyleTj     Style = iota // BT /F1 10 Tf x y Td (line) Tj ET: word processors, simple reports
	StyleTJKern              // words in one TJ array, spaced by kerning numbers (pdfTeX and others)
	StyleTmWord              // each word placed with its own Tm (many report engines)
	StyleType0               // Identity-H composite font with ToUnicode, one TJ per line (browsers, Skia)
)

// Options choose the file's structure.
type Options struct {
	Style         Style
	Compress      bool // FlateDecode content streams (and object streams)
	ObjectStreams bool // PDF 1.5 object stream and xref stream instead of an xref table
}

// Build writes a PDF with the given pages.
func Build(pages []Page, opt Options) []byte {
	w := &writer{opt: opt}
	// Objects: 1 catalog, 2 pages, 3 regular font, 4 bold font, [5 ToUnicode], then page and
	// content pairs.
	w.reserve(4)
	var uni int
	if opt.Style == StyleType0 {
		uni = w.reserve(1)
	}
	var kids []string
	for _, p := range pages {
		pn := w.reserve(2)
		kids = append(kids, fmt.Sprintf("%d 0 R", pn))
		w.set(pn, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>", pn+1))
		w.setStream(pn+1, "", w.content(p), opt.Compress)
	}
	w.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
	w.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	if opt.Style == StyleType0 {
		for i, name := range []string{"ArialMT", "Arial-BoldMT"} {
			w.set(3+i, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+%s /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 556 /W %s >>] /ToUnicode %d 0 R >>",
				name, name, w.cidWidths(), uni))
		}
		w.setStream(uni, "", w.toUnicode(), opt.Compress)
	} else {
		w.set(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
		w.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	}
	return w.finish()
}

type object struct {
	dict   string
	stream []byte // nil: not a stream
}

type writer struct {
	opt  Options
	objs []object // objs[i] is object i+1
	gids map[rune]int
	runs []rune // gid-1 → rune
}

func (w *writer) reserve(n int) int {
	first := len(w.objs) + 1
	w.objs = append(w.objs, make([]object, n)...)
	return first
}

func (w *writer) set(num int, dict string) { w.objs[num-1] = object{dict: dict} }

func (w *writer) setStream(num int, dict string, data []byte, compress bool) {
	if compress {
		data = deflate(data)
		dict += " /Filter /FlateDecode"
	}
	w.objs[num-1] = object{dict: fmt.Sprintf("<< /Length %d%s >>", len(data), dict), stream: data}
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// content draws a page's text in the chosen style.
func (w *writer) content(p Page) []byte {
	var b bytes.Buffer
	b.WriteString("q 0 0 0 rg\n") // writers wrap pages in graphics state
	for _, t := range p {
		font := "F1"
		if t.Bold {
			font = "F2"
		}
		switch w.opt.Style {
		case StyleTj:
			fmt.Fprintf(&b, "BT /%s %g Tf %g %g Td (%s) Tj ET\n", font, t.Size, t.X, t.Y, winAnsi(t.S))
		case StyleTJKern:
			// Letters kerned a little, words separated by kerning alone, no space characters.
			fmt.Fprintf(&b, "BT /%s %g Tf 1 0 0 1 %g %g Tm [", font, t.Size, t.X, t.Y)
			for i, word := range strings.Fields(t.S) {
				if i > 0 {
					b.WriteString(" -278 ")
				}
				if rs := []rune(word); len(rs) > 3 {
					fmt.Fprintf(&b, "(%s) 15 (%s)", winAnsi(string(rs[:2])), winAnsi(string(rs[2:])))
				} else {
					fmt.Fprintf(&b, "(%s)", winAnsi(word))
				}
			}
			b.WriteString("] TJ ET\n")
		case StyleTmWord:
			b.WriteString("BT\n")
			fmt.Fprintf(&b, "/%s %g Tf\n", font, t.Size)
			x, scale := t.X, 1.0
			if t.Bold {
				scale = 1.1 // Helvetica-Bold is about a tenth wider
			}
			for _, word := range strings.Fields(t.S) {
				fmt.Fprintf(&b, "1 0 0 1 %.2f %.2f Tm (%s) Tj\n", x, t.Y, winAnsi(word))
				x += (width(word) + width(" ")) * scale * t.Size / 1000
			}
			b.WriteString("ET\n")
		case StyleType0:
			fmt.Fprintf(&b, "BT /%s %g Tf %g %g Td [<", font, t.Size, t.X, t.Y)
			for _, r := range t.S {
				fmt.Fprintf(&b, "%04X", w.gid(r))
			}
			b.WriteString(">] TJ ET\n")
		}
	}
	b.WriteString("Q\n")
	return b.Bytes()
}

// gid gives each character a glyph id in order of first use, as font subsetters do.
func (w *writer) gid(r rune) int {
	if w.gids == nil {
		w.gids = map[rune]int{}
	}
	if g, ok := w.gids[r]; ok {
		return g
	}
	w.runs = append(w.runs, r)
	w.gids[r] = len(w.runs)
	return len(w.runs)
}

func (w *writer) cidWidths() string {
	var b strings.Builder
	b.WriteString("[1 [")
	for _, r := range w.runs {
		fmt.Fprintf(&b, "%d ", int(width(string(r))))
	}
	b.WriteString("]]")
	return b.String()
}

func (w *writer) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	fmt.Fprintf(&b, "%d beginbfchar\n", len(w.runs))
	for i, r := range w.runs {
		fmt.Fprintf(&b, "<%04X> <%04X>\n", i+1, r)
	}
	b.WriteString("endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// winAnsi encodes s for a WinAnsiEncoding font inside a literal string: Latin-1 characters
// as octal escapes, parentheses and backslashes escaped, and typographic quotes mapped.
func winAnsi(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7F:
			b.WriteRune(r)
		case r == '’':
			b.WriteString(`\222`)
		case r == '–':
			b.WriteString(`\226`)
		case r >= 0xA0 && r <= 0xFF:
			fmt.Fprintf(&b, `\%03o`, r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// helvetica holds Helvetica's widths for 0x20–0x7E, to place words as a writer would.
var helvetica = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

func width(s string) float64 {
	total := 0
	for _, r := range s {
		if r >= 0x20 && r <= 0x7E {
			total += helvetica[r-0x20]
		} else {
			total += 556
		}
	}
	return float64(total)
}

// finish lays out the file: header, objects, then an xref table and trailer, or an object
// stream holding the non-stream objects and an xref stream.
func (w *writer) finish() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	n := len(w.objs)
	type loc struct{ kind, a, b int }
	locs := make([]loc, n+3)
	if !w.opt.ObjectStreams {
		for i, o := range w.objs {
			locs[i+1] = loc{1, b.Len(), 0}
			writeObj(&b, i+1, o)
		}
		xref := b.Len()
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", n+1)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%010d 00000 n \n", locs[i].a)
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", n+1, xref)
		return b.Bytes()
	}
	stmNum, xrefNum := n+1, n+2
	var head, body bytes.Buffer
	idx := 0
	for i, o := range w.objs {
		if o.stream != nil {
			locs[i+1] = loc{1, b.Len(), 0}
			writeObj(&b, i+1, o)
			continue
		}
		fmt.Fprintf(&head, "%d %d ", i+1, body.Len())
		body.WriteString(o.dict + "\n")
		locs[i+1] = loc{2, stmNum, idx}
		idx++
	}
	data := append(head.Bytes(), body.Bytes()...)
	locs[stmNum] = loc{1, b.Len(), 0}
	writeObj(&b, stmNum, object{dict: fmt.Sprintf("<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>", idx, head.Len(), len(deflate(data))), stream: deflate(data)})
	locs[xrefNum] = loc{1, b.Len(), 0}
	// Rows of W [1 4 2] with the PNG Up predictor, as Acrobat and qpdf write them.
	var rows []byte
	prev := make([]byte, 7)
	for i := 0; i <= xrefNum; i++ {
		row := make([]byte, 7)
		l := locs[i]
		if i == 0 {
			l = loc{0, 0, 0xFFFF}
		}
		row[0] = byte(l.kind)
		row[1], row[2], row[3], row[4] = byte(l.a>>24), byte(l.a>>16), byte(l.a>>8), byte(l.a)
		row[5], row[6] = byte(l.b>>8), byte(l.b)
		rows = append(rows, 2)
		for j := range row {
			rows = append(rows, row[j]-prev[j])
		}
		prev = row
	}
	z := deflate(rows)
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length %d >>\nstream\n", xrefNum, xrefNum+1, len(z))
	b.Write(z)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", locs[xrefNum].a)
	return b.Bytes()
}

func writeObj(b *bytes.Buffer, num int, o object) {
	fmt.Fprintf(b, "%d 0 obj\n%s\n", num, o.dict)
	if o.stream != nil {
		b.WriteString("stream\n")
		b.Write(o.stream)
		b.WriteString("\nendstream\n")
	}
	b.WriteString("endobj\n")
}
