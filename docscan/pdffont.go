package docscan

import (
	"slices"
	"strings"
)

// pdfFont turns the bytes of a shown string into characters and advance widths.
type pdfFont struct {
	composite bool
	enc       [256]string // simple fonts: code → text, from the encoding and /Differences
	toUni     *cmap       // ToUnicode, which wins over the encoding when it knows a code
	codes     *cmap       // composite fonts: codespace and CIDs (nil: Identity, two bytes)
	ucs2      bool        // composite font on a UCS-2 CMap: the code is the character
	first     int
	widths    []float64 // simple fonts: /Widths from /FirstChar
	missing   float64
	cidW      []cidWidth // composite fonts: /W
	dw        float64
	scale     float64 // glyph space → text space: 1/1000, or FontMatrix for Type 3
	std       stdMetrics
	hasWidths bool
}

type cidWidth struct {
	lo, hi uint32
	w      float64
}

// glyph is one shown code: its text (possibly "" or several characters), its advance in
// text-space units per unit of font size, and whether it is the one-byte code 32 that word
// spacing (Tw) applies to.
type glyph struct {
	text  string
	w     float64
	space bool
}

// fallbackFont reads text shown before any Tf, or with a font that cannot be loaded, as
// WinAnsi Helvetica: right for most such files, and harmless for the rest.
var fallbackFont = func() *pdfFont {
	f := &pdfFont{scale: 0.001, std: metricsFor("Helvetica")}
	for c := range 256 {
		if winAnsi[c] != 0 {
			f.enc[c] = string(winAnsi[c])
		}
	}
	return f
}()

// font loads the font a /Font resource entry points to, once per object.
func (d *pdfDoc) font(v any) *pdfFont {
	ref, isRef := v.(pdfRef)
	if isRef {
		if f, ok := d.fonts[ref]; ok {
			return f
		}
	}
	f := d.loadFont(asDict(d.resolve(v)))
	if isRef {
		d.fonts[ref] = f
	}
	return f
}

func (d *pdfDoc) loadFont(fd pdfDict) *pdfFont {
	if fd == nil {
		return fallbackFont
	}
	f := &pdfFont{scale: 0.001}
	base, _ := d.get(fd, "BaseFont").(pdfName)
	f.std = metricsFor(string(base))
	if ts, ok := d.get(fd, "ToUnicode").(*pdfStream); ok {
		if data, err := d.decode(ts); err == nil {
			f.toUni = d.parseCMap(data)
		}
	}
	if d.get(fd, "Subtype") == pdfName("Type0") {
		d.loadComposite(f, fd)
		return f
	}
	if d.get(fd, "Subtype") == pdfName("Type3") {
		if fm := asArray(d.get(fd, "FontMatrix")); len(fm) == 6 {
			if s, ok := asFloat(d.resolve(fm[0])); ok && s > 0 {
				f.scale = s
			}
		}
	}
	d.loadEncoding(f, fd, string(base))
	f.first = int(asInt(d.get(fd, "FirstChar")))
	for _, w := range asArray(d.get(fd, "Widths")) {
		x, _ := asFloat(d.resolve(w))
		f.widths = append(f.widths, x)
		if len(f.widths) > 256 {
			break
		}
	}
	f.hasWidths = len(f.widths) > 0
	if desc := asDict(d.get(fd, "FontDescriptor")); desc != nil {
		f.missing, _ = asFloat(d.get(desc, "MissingWidth"))
	}
	return f
}

// loadEncoding fills the code → text table of a simple font: the base encoding (named, or
// WinAnsi for TrueType and Standard for Type 1 when none is named), then /Differences.
func (d *pdfDoc) loadEncoding(f *pdfFont, fd pdfDict, base string) {
	table := &standardEnc
	if d.get(fd, "Subtype") == pdfName("TrueType") {
		table = &winAnsi
	}
	var diffs pdfArray
	pick := func(n pdfName) {
		switch n {
		case "WinAnsiEncoding":
			table = &winAnsi
		case "MacRomanEncoding":
			table = &macRoman
		case "StandardEncoding":
			table = &standardEnc
		}
	}
	switch e := d.get(fd, "Encoding").(type) {
	case pdfName:
		pick(e)
	case pdfDict:
		if n, ok := d.get(e, "BaseEncoding").(pdfName); ok {
			pick(n)
		}
		diffs = asArray(d.get(e, "Differences"))
	}
	symbol := strings.Contains(base, "Symbol") || strings.Contains(base, "Dingbats")
	for c := range 256 {
		if table[c] != 0 && !symbol {
			f.enc[c] = string(table[c])
		}
	}
	code := 0
	for _, v := range diffs {
		switch t := d.resolve(v).(type) {
		case int64:
			code = int(t)
		case pdfName:
			if code >= 0 && code < 256 {
				f.enc[code] = cleanText(glyphText(string(t)))
			}
			code++
		}
	}
}

func (d *pdfDoc) loadComposite(f *pdfFont, fd pdfDict) {
	f.composite = true
	f.dw = 1000
	switch e := d.get(fd, "Encoding").(type) {
	case pdfName:
		f.ucs2 = strings.Contains(string(e), "UCS2") || strings.Contains(string(e), "UTF16")
	case *pdfStream:
		if data, err := d.decode(e); err == nil {
			f.codes = d.parseCMap(data)
		}
	}
	desc := asArray(d.get(fd, "DescendantFonts"))
	if len(desc) == 0 {
		return
	}
	cf := asDict(d.resolve(desc[0]))
	if w, ok := asFloat(d.get(cf, "DW")); ok {
		f.dw = w
	}
	w := asArray(d.get(cf, "W"))
	for i := 0; i+1 < len(w) && len(f.cidW) < maxCMapEntries; {
		lo := uint32(asInt(d.resolve(w[i])))
		if arr, ok := d.resolve(w[i+1]).(pdfArray); ok {
			for j, x := range arr {
				v, _ := asFloat(d.resolve(x))
				f.cidW = append(f.cidW, cidWidth{lo + uint32(j), lo + uint32(j), v})
			}
			i += 2
			continue
		}
		if i+2 >= len(w) {
			break
		}
		hi := uint32(asInt(d.resolve(w[i+1])))
		v, _ := asFloat(d.resolve(w[i+2]))
		f.cidW = append(f.cidW, cidWidth{lo, hi, v})
		i += 3
	}
	slices.SortStableFunc(f.cidW, func(a, b cidWidth) int { return cmpU32(a.lo, b.lo) })
	f.hasWidths = true
}

// glyphs calls fn for each code in s, at most limit times, and returns how many it called.
func (f *pdfFont) glyphs(s []byte, limit int, fn func(glyph)) int {
	n := 0
	for len(s) > 0 && n < limit {
		n++
		if !f.composite {
			c := s[0]
			s = s[1:]
			t, ok := "", false
			if f.toUni != nil {
				t, ok = f.toUni.text(uint32(c))
			}
			if !ok {
				t = f.enc[c]
			}
			fn(glyph{text: t, w: f.simpleWidth(int(c), t) * f.scale, space: c == 32})
			continue
		}
		k := f.codes.codeLen(s, 2)
		code := codeOf(s[:k])
		s = s[k:]
		t, ok := "", false
		if f.toUni != nil {
			t, ok = f.toUni.text(code)
		}
		if !ok && f.ucs2 {
			t = cleanText(string(rune(code)))
		}
		cid := code
		if f.codes != nil {
			cid = f.codes.cid(code)
		}
		fn(glyph{text: t, w: f.cidWidth(cid) * f.scale, space: k == 1 && code == 32})
	}
	return n
}

func (f *pdfFont) simpleWidth(code int, text string) float64 {
	if i := code - f.first; f.hasWidths && i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	if f.missing > 0 {
		return f.missing
	}
	r := ' '
	for _, x := range text {
		r = x
		break
	}
	return f.std.width(r)
}

func (f *pdfFont) cidWidth(cid uint32) float64 {
	if i := findRange(len(f.cidW), cid, func(i int) (uint32, uint32) { return f.cidW[i].lo, f.cidW[i].hi }); i >= 0 {
		return f.cidW[i].w
	}
	return f.dw
}
