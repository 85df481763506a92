package docscan

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// pdfPage is a leaf of the page tree with its inherited resources and rotation.
type pdfPage struct {
	dict   pdfDict
	res    pdfDict
	rotate int64
}

// pages walks the page tree in order, up to MaxPages, skipping cycles. A document whose tree
// is broken falls back to every /Type /Page object in object-number order.
func (d *pdfDoc) pages() []pdfPage {
	var out []pdfPage
	seen := map[pdfRef]bool{}
	var walk func(v any, res pdfDict, rot int64, depth int)
	walk = func(v any, res pdfDict, rot int64, depth int) {
		if r, ok := v.(pdfRef); ok {
			if seen[r] {
				return
			}
			seen[r] = true
		}
		node := asDict(d.resolve(v))
		if node == nil || depth > d.lim.MaxDepth || len(out) >= d.lim.MaxPages || d.stop() {
			return
		}
		if r := asDict(d.get(node, "Resources")); r != nil {
			res = r
		}
		if r, ok := d.get(node, "Rotate").(int64); ok {
			rot = r
		}
		if kids, ok := d.get(node, "Kids").(pdfArray); ok && node["Type"] != pdfName("Page") {
			for _, k := range kids {
				walk(k, res, rot, depth+1)
			}
			return
		}
		out = append(out, pdfPage{dict: node, res: res, rotate: rot})
	}
	root := asDict(d.resolve(d.trailer["Root"]))
	walk(root["Pages"], nil, 0, 0)
	if len(out) == 0 {
		d.scan()
		nums := make([]int, 0, len(d.scanned))
		for n := range d.scanned {
			nums = append(nums, n)
		}
		slices.Sort(nums)
		for _, n := range nums {
			if len(out) >= d.lim.MaxPages || d.stop() {
				break
			}
			if p := asDict(d.lookup(n)); p != nil && p["Type"] == pdfName("Page") {
				out = append(out, pdfPage{dict: p, res: asDict(d.get(p, "Resources"))})
			}
		}
	}
	return out
}

// contents concatenates a page's content streams; one that cannot be decoded is skipped.
func (d *pdfDoc) contents(page pdfDict) []byte {
	var parts []any
	switch c := d.get(page, "Contents").(type) {
	case *pdfStream:
		parts = []any{c}
	case pdfArray:
		parts = c
	}
	var out []byte
	for _, p := range parts {
		s, ok := d.resolve(p).(*pdfStream)
		if !ok {
			continue
		}
		if data, err := d.decode(s); err == nil {
			out = append(out, data...)
			out = append(out, '\n')
		}
		if d.stop() {
			break
		}
	}
	return out
}

// text reads the pages in order until maxBytes of text (when > 0) or a limit.
func (d *pdfDoc) text(maxBytes int) string {
	var sb strings.Builder
	for _, p := range d.pages() {
		if d.stop() {
			break
		}
		in := newInterp(d, rotation(p.rotate))
		in.run(d.contents(p.dict), p.res, 0)
		d.pagesRead++
		t := layout(in.runs)
		if t == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(t)
		if maxBytes > 0 && sb.Len() >= maxBytes {
			break
		}
	}
	return sb.String()
}

// rotation turns page space so that a page shown rotated by /Rotate (clockwise) reads
// upright: text then runs left to right whatever the scanner or writer did.
func rotation(deg int64) matrix {
	switch ((deg%360 + 360) % 360) / 90 {
	case 1:
		return matrix{0, -1, 1, 0, 0, 0}
	case 2:
		return matrix{-1, 0, 0, -1, 0, 0}
	case 3:
		return matrix{0, 1, -1, 0, 0, 0}
	}
	return identity
}

// Layout thresholds, in multiples of the font size: a gap wider than wordGap is a space,
// wider than cellGap separates cells (a tab), and baselines closer than sameLine are one line.
const (
	wordGap   = 0.15
	cellGap   = 2.0
	sameLine  = 0.5
	blankLine = 2.2
)

// layout orders a page's runs into lines: top to bottom, then left to right. Rotated runs
// (margin notes, vertical codes) follow as lines of their own, in drawing order.
func layout(runs []*textRun) string {
	var flat, rot []*textRun
	for _, r := range runs {
		if strings.TrimSpace(r.text.String()) == "" {
			continue
		}
		if r.rotated {
			rot = append(rot, r)
		} else {
			flat = append(flat, r)
		}
	}
	slices.SortStableFunc(flat, func(a, b *textRun) int {
		if c := cmp.Compare(b.y0, a.y0); c != 0 {
			return c
		}
		return cmp.Compare(a.x0, b.x0)
	})
	var sb strings.Builder
	lastY, lastH := math.NaN(), 0.0
	for i := 0; i < len(flat); {
		j := i + 1
		for j < len(flat) && flat[i].y0-flat[j].y0 <= sameLine*min(flat[i].h, flat[j].h) {
			j++
		}
		line := flat[i:j]
		slices.SortStableFunc(line, func(a, b *textRun) int { return cmp.Compare(a.x0, b.x0) })
		if sb.Len() > 0 {
			sb.WriteByte('\n')
			if lastY-line[0].y0 > blankLine*max(lastH, line[0].h) {
				sb.WriteByte('\n')
			}
		}
		writeLine(&sb, line)
		lastY, lastH = line[0].y0, line[0].h
		i = j
	}
	for _, r := range rot {
		if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(strings.TrimSpace(r.text.String()))
	}
	return sb.String()
}

func writeLine(sb *strings.Builder, line []*textRun) {
	var prev *textRun
	for _, r := range line {
		t := r.text.String()
		if prev != nil {
			h := max(prev.h, r.h)
			// The same text drawn twice a hair apart is a writer's fake bold or a shadow.
			if t == prev.text.String() && math.Abs(r.x0-prev.x0) < 0.3*h {
				continue
			}
			gap := r.x0 - prev.x1
			ps := prev.text.String()
			switch {
			case gap > cellGap*h:
				sb.WriteByte('\t')
				t = strings.TrimLeft(t, " ")
			case gap > wordGap*h && !strings.HasSuffix(ps, " ") && !strings.HasPrefix(t, " "):
				sb.WriteByte(' ')
			}
		} else {
			t = strings.TrimLeft(t, " ")
		}
		sb.WriteString(t)
		prev = r
	}
}
