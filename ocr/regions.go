package ocr

import (
	"image"
	"math"
	"slices"
)

// textRegions proposes boxes of g likely to hold a line of text, best first, at most n. It is
// the classical detector for engines without a learned one: strong edges in both directions,
// closed horizontally so the characters of a line merge, then connected components kept when
// they are wide, not too big, and dense with edges. Boxes are in g's coordinates.
func textRegions(g *image.Gray, n int) []image.Rectangle {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	if w < 8 || h < 8 {
		return nil
	}
	edges := edgeMap(g)
	// Characters of a line are at most about a character height apart; 1/60 of the picture
	// is that for text that spans a tenth of the width or more.
	rx := max(2, w/90)
	closed := erodeH(dilateH(edges, w, h, rx), w, h, rx)
	closed = erodeV(dilateV(closed, w, h, 1), w, h, 1)
	type cand struct {
		r     image.Rectangle
		score float64
	}
	var cands []cand
	for _, c := range components(closed, w, h) {
		bw, bh := c.r.Dx(), c.r.Dy()
		if bh < 6 || bh > h/4 || bw < bh || bw > w*9/10 {
			continue
		}
		fill := float64(c.n) / float64(bw*bh)
		if fill < 0.35 {
			continue
		}
		density := float64(countIn(edges, w, c.r)) / float64(bw*bh)
		if density < 0.08 || density > 0.7 {
			continue
		}
		aspect := math.Min(float64(bw)/float64(bh), 12)
		cands = append(cands, cand{c.r, fill * density * math.Sqrt(aspect) * math.Log(float64(bh))})
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmpFloat(b.score, a.score) })
	out := make([]image.Rectangle, 0, min(n, len(cands)))
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.r)
	}
	return out
}

// edgeMap marks pixels whose horizontal or vertical gradient is strong, relative to the
// picture's own gradients so dim and bright photos behave alike.
func edgeMap(g *image.Gray) []bool {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	mag := make([]int32, w*h)
	var hist [1024]int
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			p := func(dx, dy int) int32 { return int32(g.Pix[(y+dy)*g.Stride+x+dx]) }
			gx := p(1, -1) + 2*p(1, 0) + p(1, 1) - p(-1, -1) - 2*p(-1, 0) - p(-1, 1)
			gy := p(-1, 1) + 2*p(0, 1) + p(1, 1) - p(-1, -1) - 2*p(0, -1) - p(1, -1)
			m := (abs32(gx) + abs32(gy)) / 4
			mag[y*w+x] = m
			hist[min(m, 1023)]++
		}
	}
	// Text is a small part of a photo: take the strongest 12 % of gradients, but never
	// gradients so weak they are sensor noise.
	want, seen, t := int(float64(w*h)*0.12), 0, int32(1023)
	for ; t > 0; t-- {
		seen += hist[t]
		if seen >= want {
			break
		}
	}
	t = max(t, 24)
	out := make([]bool, w*h)
	for i, m := range mag {
		out[i] = m >= t
	}
	return out
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

func dilateH(m []bool, w, h, r int) []bool { return morphH(m, w, h, r, true) }
func erodeH(m []bool, w, h, r int) []bool  { return morphH(m, w, h, r, false) }
func dilateV(m []bool, w, h, r int) []bool {
	return transpose(morphH(transpose(m, w, h), h, w, r, true), h, w)
}
func erodeV(m []bool, w, h, r int) []bool {
	return transpose(morphH(transpose(m, w, h), h, w, r, false), h, w)
}

// morphH dilates (or erodes) each row with a segment of radius r, using running counts.
func morphH(m []bool, w, h, r int, dilate bool) []bool {
	out := make([]bool, len(m))
	for y := range h {
		row := m[y*w : y*w+w]
		count := 0
		at := func(x int) bool {
			if x < 0 || x >= w {
				return !dilate // outside counts as set for erosion, so edges do not erode
			}
			return row[x]
		}
		for x := -r; x <= r; x++ {
			if at(x) {
				count++
			}
		}
		for x := range w {
			if dilate {
				out[y*w+x] = count > 0
			} else {
				out[y*w+x] = count == 2*r+1
			}
			if at(x + r + 1) {
				count++
			}
			if at(x - r) {
				count--
			}
		}
	}
	return out
}

func transpose(m []bool, w, h int) []bool {
	out := make([]bool, len(m))
	for y := range h {
		for x := range w {
			out[x*h+y] = m[y*w+x]
		}
	}
	return out
}

// component is a connected set of marked pixels: its box and pixel count.
type component struct {
	r image.Rectangle
	n int
}

// components labels the 4-connected regions of m.
func components(m []bool, w, h int) []component {
	seen := make([]bool, len(m))
	var out []component
	var stack []int
	for start := range m {
		if !m[start] || seen[start] {
			continue
		}
		seen[start] = true
		stack = append(stack[:0], start)
		c := component{r: image.Rect(start%w, start/w, start%w+1, start/w+1)}
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			c.n++
			c.r = c.r.Union(image.Rect(x, y, x+1, y+1))
			for _, j := range [4]int{i - 1, i + 1, i - w, i + w} {
				if j < 0 || j >= len(m) || seen[j] || !m[j] || (j == i-1 && x == 0) || (j == i+1 && x == w-1) {
					continue
				}
				seen[j] = true
				stack = append(stack, j)
			}
		}
		out = append(out, c)
	}
	return out
}

func countIn(m []bool, w int, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if m[y*w+x] {
				n++
			}
		}
	}
	return n
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
