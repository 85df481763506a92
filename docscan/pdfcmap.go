package docscan

import (
	"slices"
	"unicode/utf16"
)

// cmap is a parsed CMap: a ToUnicode map (code → text) or an encoding CMap of a composite
// font (code → CID). Ranges are kept as ranges, so a hostile <0000> <FFFFFFFF> costs nothing.
type cmap struct {
	space     []codeSpace
	chars     map[uint32]string
	ranges    []bfRange
	cidChars  map[uint32]uint32
	cidRanges []cidRange
}

type codeSpace struct {
	n      int
	lo, hi [4]byte
}

type bfRange struct {
	lo, hi uint32
	base   []uint16 // UTF-16 of lo's text; the last unit counts up through the range
	arr    []string // or one text per code
}

type cidRange struct{ lo, hi, cid uint32 }

// maxCMapEntries bounds one CMap; real ones have at most a few tens of thousands.
const maxCMapEntries = 1 << 17

// parseCMap reads the parts of a CMap that matter for text: codespace ranges, bfchar/bfrange
// and cidchar/cidrange blocks. Everything else (PostScript procedures, dictionaries) is skipped.
func (d *pdfDoc) parseCMap(data []byte) *cmap {
	m := &cmap{chars: map[uint32]string{}, cidChars: map[uint32]uint32{}}
	l := &lexer{b: data, maxDepth: d.lim.MaxDepth}
	var ops []any
	entries := 0
	for d.spend(1) {
		v, err := l.object()
		if err == errEOF {
			break
		}
		if err != nil {
			continue
		}
		kw, isKw := v.(pdfKeyword)
		if !isKw {
			if len(ops) < 3*maxCMapEntries {
				ops = append(ops, v)
			}
			continue
		}
		switch kw {
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, _ := ops[i].(pdfString)
				hi, _ := ops[i+1].(pdfString)
				if len(lo) >= 1 && len(lo) <= 4 && len(lo) == len(hi) {
					cs := codeSpace{n: len(lo)}
					copy(cs.lo[:], lo)
					copy(cs.hi[:], hi)
					m.space = append(m.space, cs)
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops) && entries < maxCMapEntries; i += 2 {
				src, ok := ops[i].(pdfString)
				if !ok || len(src) > 4 {
					continue
				}
				if t := dstText(ops[i+1]); t != "" {
					m.chars[codeOf(src)] = t
					entries++
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops) && entries < maxCMapEntries; i += 3 {
				lo, ok1 := ops[i].(pdfString)
				hi, ok2 := ops[i+1].(pdfString)
				if !ok1 || !ok2 || len(lo) > 4 || len(hi) > 4 || codeOf(lo) > codeOf(hi) {
					continue
				}
				r := bfRange{lo: codeOf(lo), hi: codeOf(hi)}
				switch dst := ops[i+2].(type) {
				case pdfString:
					r.base = utf16Units(dst)
				case pdfArray:
					for _, e := range dst {
						r.arr = append(r.arr, dstText(e))
					}
				}
				m.ranges = append(m.ranges, r)
				entries++
			}
		case "endcidchar":
			for i := 0; i+1 < len(ops) && entries < maxCMapEntries; i += 2 {
				src, ok := ops[i].(pdfString)
				cid, isInt := ops[i+1].(int64)
				if ok && isInt && len(src) <= 4 && cid >= 0 {
					m.cidChars[codeOf(src)] = uint32(cid)
					entries++
				}
			}
		case "endcidrange":
			for i := 0; i+2 < len(ops) && entries < maxCMapEntries; i += 3 {
				lo, ok1 := ops[i].(pdfString)
				hi, ok2 := ops[i+1].(pdfString)
				cid, isInt := ops[i+2].(int64)
				if ok1 && ok2 && isInt && len(lo) <= 4 && len(hi) <= 4 && cid >= 0 {
					m.cidRanges = append(m.cidRanges, cidRange{codeOf(lo), codeOf(hi), uint32(cid)})
					entries++
				}
			}
		}
		ops = ops[:0]
	}
	// Sorted for binary search. The sort is stable and lookups search backwards, so of two
	// ranges that start alike the later one wins, as when a CMap overrides an earlier range.
	slices.SortStableFunc(m.ranges, func(a, b bfRange) int { return cmpU32(a.lo, b.lo) })
	slices.SortStableFunc(m.cidRanges, func(a, b cidRange) int { return cmpU32(a.lo, b.lo) })
	return m
}

func codeOf(b []byte) uint32 {
	var c uint32
	for _, x := range b {
		c = c<<8 | uint32(x)
	}
	return c
}

// utf16Units reads big-endian UTF-16; an odd byte count (a broken writer) reads as bytes.
func utf16Units(b []byte) []uint16 {
	u := make([]uint16, 0, (len(b)+1)/2)
	if len(b)%2 == 1 {
		for _, c := range b {
			u = append(u, uint16(c))
		}
		return u
	}
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return u
}

func dstText(v any) string {
	switch t := v.(type) {
	case pdfString:
		return cleanText(string(utf16.Decode(utf16Units(t))))
	case pdfName:
		return cleanText(glyphText(string(t)))
	}
	return ""
}

// text maps a code to its characters.
func (m *cmap) text(code uint32) (string, bool) {
	if t, ok := m.chars[code]; ok {
		return t, true
	}
	if i := findRange(len(m.ranges), code, func(i int) (uint32, uint32) { return m.ranges[i].lo, m.ranges[i].hi }); i >= 0 {
		r := m.ranges[i]
		off := code - r.lo
		if r.arr != nil {
			if int(off) < len(r.arr) {
				return r.arr[off], true
			}
			return "", false
		}
		if len(r.base) == 0 {
			return "", false
		}
		u := slices.Clone(r.base)
		u[len(u)-1] += uint16(off)
		return cleanText(string(utf16.Decode(u))), true
	}
	return "", false
}

// cid maps a code of a composite font to its CID (Identity when the CMap does not say).
func (m *cmap) cid(code uint32) uint32 {
	if c, ok := m.cidChars[code]; ok {
		return c
	}
	if i := findRange(len(m.cidRanges), code, func(i int) (uint32, uint32) { return m.cidRanges[i].lo, m.cidRanges[i].hi }); i >= 0 {
		return m.cidRanges[i].cid + code - m.cidRanges[i].lo
	}
	return code
}

// codeLen is how many bytes of s make the next code: the codespace ranges decide, and def
// applies when none matches (or none was declared).
func (m *cmap) codeLen(s []byte, def int) int {
	if m != nil {
		for n := 1; n <= 4 && n <= len(s); n++ {
			for _, cs := range m.space {
				if cs.n != n {
					continue
				}
				in := true
				for i := range n {
					if s[i] < cs.lo[i] || s[i] > cs.hi[i] {
						in = false
						break
					}
				}
				if in {
					return n
				}
			}
		}
		if len(m.space) > 0 {
			def = m.space[0].n
		}
	}
	return max(1, min(def, len(s)))
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// findRange returns the index of a range holding code among n ranges sorted by their start,
// or -1. It looks back over a few earlier ranges, enough for the nesting real CMaps have,
// while a lookup stays O(log n) on hostile ones.
func findRange(n int, code uint32, at func(int) (lo, hi uint32)) int {
	i, j := 0, n
	for i < j { // first range that starts after code
		h := int(uint(i+j) >> 1)
		if lo, _ := at(h); lo <= code {
			i = h + 1
		} else {
			j = h
		}
	}
	for k := i - 1; k >= 0 && k >= i-8; k-- {
		if lo, hi := at(k); code >= lo && code <= hi {
			return k
		}
	}
	return -1
}
