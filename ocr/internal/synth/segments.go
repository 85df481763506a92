package synth

import (
	"image"
	"image/color"
)

// segs maps a character to its lit segments, in the usual a–g order: a top, b upper right,
// c lower right, d bottom, e lower left, f upper left, g middle.
var segs = map[rune]string{
	'0': "abcdef", '1': "bc", '2': "abdeg", '3': "abcdg", '4': "bcfg",
	'5': "acdfg", '6': "acdefg", '7': "abc", '8': "abcdefg", '9': "abcdfg",
	'-': "g", ' ': "", 'A': "abcefg", 'b': "cdefg", 'C': "adef", 'E': "adefg", 'F': "aefg",
	'P': "abefg", 'r': "eg", 'n': "ceg", 'o': "cdeg", 't': "defg", 'I': "ef",
}

// segStyle is how a seven-segment display draws its digits.
type segStyle struct {
	h      float64    // digit height in pixels
	w      float64    // digit width
	t      float64    // segment thickness
	gap    float64    // gap between neighbouring segments
	slant  float64    // horizontal shift per unit of height (italic displays)
	pitch  float64    // advance from one digit to the next
	on     color.RGBA // lit segments
	ghost  color.RGBA // unlit segments of an LCD (alpha 0 when invisible)
	square bool       // square segment ends (cheap LCDs) instead of pointed ones
}

// newSegStyle returns a style for digits of height h with typical proportions.
func newSegStyle(h float64, on, ghost color.RGBA, slant, thick float64, square bool) segStyle {
	w := h * 0.55
	return segStyle{h: h, w: w, t: h * thick, gap: h * 0.018, slant: slant, pitch: w + h*0.2,
		on: on, ghost: ghost, square: square}
}

// segPolys returns the polygons of segment s of a digit whose top-left corner is (x, y).
func (st segStyle) segPolys(s byte, x, y float64) []pt {
	w, h, t, g := st.w, st.h, st.t, st.gap
	mid := h / 2
	horiz := func(yc float64) []pt {
		x0, x1 := g+t/2, w-g-t/2
		if st.square {
			return []pt{{x0, yc - t/2}, {x1, yc - t/2}, {x1, yc + t/2}, {x0, yc + t/2}}
		}
		return []pt{{x0, yc}, {x0 + t/2, yc - t/2}, {x1 - t/2, yc - t/2}, {x1, yc}, {x1 - t/2, yc + t/2}, {x0 + t/2, yc + t/2}}
	}
	vert := func(xc, y0, y1 float64) []pt {
		y0, y1 = y0+g, y1-g
		if st.square {
			return []pt{{xc - t/2, y0}, {xc + t/2, y0}, {xc + t/2, y1}, {xc - t/2, y1}}
		}
		return []pt{{xc, y0}, {xc + t/2, y0 + t/2}, {xc + t/2, y1 - t/2}, {xc, y1}, {xc - t/2, y1 - t/2}, {xc - t/2, y0 + t/2}}
	}
	var ps []pt
	switch s {
	case 'a':
		ps = horiz(t / 2)
	case 'g':
		ps = horiz(mid)
	case 'd':
		ps = horiz(h - t/2)
	case 'f':
		ps = vert(t/2, t/2, mid)
	case 'b':
		ps = vert(w-t/2, t/2, mid)
	case 'e':
		ps = vert(t/2, mid, h-t/2)
	case 'c':
		ps = vert(w-t/2, mid, h-t/2)
	}
	for i := range ps {
		// Slant leans the top to the right, as italic dashboard displays do.
		ps[i] = pt{x + ps[i].x + st.slant*(h-ps[i].y), y + ps[i].y}
	}
	return ps
}

// drawSegText draws s (digits, '-', ' ', '.', ':' and a few letters) starting at the top-left
// corner (x, y) and returns the x after the last character. '.' and ':' take little room, as on
// real displays.
func (st segStyle) drawSegText(dst *image.RGBA, x, y float64, s string) float64 {
	dot := st.t * 1.1
	for _, r := range s {
		switch r {
		case '.':
			cx := x - st.pitch + st.w + (st.pitch-st.w)/2
			fillPolygon(dst, rect(cx-dot/2, y+st.h-dot, cx+dot/2, y+st.h), st.on)
			continue
		case ':':
			cx := x + dot
			fillPolygon(dst, rect(cx-dot/2+st.slant*st.h*0.3, y+st.h*0.3-dot/2, cx+dot/2+st.slant*st.h*0.3, y+st.h*0.3+dot/2), st.on)
			fillPolygon(dst, rect(cx-dot/2+st.slant*st.h*0.3, y+st.h*0.7-dot/2, cx+dot/2+st.slant*st.h*0.3, y+st.h*0.7+dot/2), st.on)
			x += dot * 3
			continue
		}
		lit := segs[r]
		for _, s := range []byte("abcdefg") {
			c := st.ghost
			for i := 0; i < len(lit); i++ {
				if lit[i] == s {
					c = st.on
				}
			}
			if c.A > 0 {
				fillPolygon(dst, st.segPolys(s, x, y), c)
			}
		}
		x += st.pitch
	}
	return x
}

// segWidth is the width drawSegText needs for s.
func (st segStyle) segWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch r {
		case '.':
		case ':':
			w += st.t * 3.3
		default:
			w += st.pitch
		}
	}
	return w + st.slant*st.h
}

func rect(x0, y0, x1, y1 float64) []pt {
	return []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}
