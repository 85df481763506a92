package docscan

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Widths (1/1000 em) of the printable ASCII characters 0x20–0x7E in the standard 14 fonts,
// from Adobe's AFM files. Writers need not give /Widths for these fonts, and without widths
// the gaps between words could not be told from letters. Bold faces are close enough to
// their regular faces for finding gaps; Courier is 600 throughout.
var helveticaWidths = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

var timesWidths = [95]uint16{
	250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
	500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
	921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
	556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
	333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
	500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
}

// stdMetrics estimates glyph widths for a font given only by name.
type stdMetrics struct {
	table *[95]uint16 // nil: fixed pitch
	fixed float64
}

func (m stdMetrics) width(r rune) float64 {
	if m.table == nil {
		return m.fixed
	}
	if r >= 0x20 && r <= 0x7E {
		return float64(m.table[r-0x20])
	}
	return float64(m.table['n'-0x20]) // an average lower-case width for the rest
}

// metricsFor picks metrics by base-font name: Courier and monospaced faces, Times and other
// serif faces, and Helvetica (or Arial, which shares its widths) for everything else.
func metricsFor(base string) stdMetrics {
	if i := strings.IndexByte(base, '+'); i == 6 {
		base = base[i+1:] // subset prefix "ABCDEF+"
	}
	b := strings.ToLower(base)
	switch {
	case strings.Contains(b, "courier") || strings.Contains(b, "mono"):
		return stdMetrics{fixed: 600}
	case strings.Contains(b, "times") || strings.Contains(b, "serif") && !strings.Contains(b, "sans") ||
		strings.Contains(b, "georgia") || strings.Contains(b, "garamond"):
		return stdMetrics{table: &timesWidths}
	}
	return stdMetrics{table: &helveticaWidths}
}

// glyphRune maps a glyph name to its character, or 0.
func glyphRune(name string) rune {
	if r, ok := glyphNames[name]; ok {
		return r
	}
	if i := strings.IndexByte(name, '.'); i > 0 { // "a.sc", "one.oldstyle"
		return glyphRune(name[:i])
	}
	hex := ""
	if h, ok := strings.CutPrefix(name, "uni"); ok && len(h) >= 4 {
		hex = h[:4] // "uni00410042" spells two characters; the first is enough here
	} else if h, ok := strings.CutPrefix(name, "u"); ok && len(h) >= 4 && len(h) <= 6 {
		hex = h
	}
	if v, err := strconv.ParseUint(hex, 16, 32); hex != "" && err == nil && utf8.ValidRune(rune(v)) {
		return rune(v)
	}
	return 0
}

// glyphText is glyphRune for names that stand for several characters ("f_f_i").
func glyphText(name string) string {
	if r := glyphRune(name); r != 0 {
		return string(r)
	}
	if strings.Contains(name, "_") {
		var sb strings.Builder
		for p := range strings.SplitSeq(name, "_") {
			r := glyphRune(p)
			if r == 0 {
				return ""
			}
			sb.WriteRune(r)
		}
		return sb.String()
	}
	return ""
}

// cleanText makes a glyph's text plain: ligatures spelled out, no-break spaces as spaces,
// soft hyphens and control characters dropped, and the U+F0xx code points of symbol fonts
// moved back to Latin-1.
func cleanText(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7F {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xF020 && r <= 0xF0FF:
			r -= 0xF000
		case r == '\t' || r == '\n' || r == '\r':
			r = ' '
		}
		switch {
		case r == 0x2010 || r == 0x2011 || r == 0x2212: // hyphens and the minus sign of symbol encodings
			sb.WriteByte('-')
		case r == 0xA0 || r == 0x2007 || r == 0x202F || r >= 0x2000 && r <= 0x200A:
			sb.WriteByte(' ')
		case r == 0xAD || r < 0x20 || r == 0x7F || r >= 0x80 && r < 0xA0 || r == 0xFFFD || r == 0xFEFF || r >= 0x200B && r <= 0x200F:
		case r >= 0xFB00 && r <= 0xFB06:
			sb.WriteString([]string{"ff", "fi", "fl", "ffi", "ffl", "st", "st"}[r-0xFB00])
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
