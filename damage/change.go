package damage

import (
	"image"
	"math"
)

// tolerance is the neighbourhood radius, as a share of the long side, within which a pixel
// may find its counterpart: registration is rough (a similarity cannot follow parallax) and
// one picture may be sharper than the other.
const tolerance = 0.004

// detect scores the change on a grid over the after picture a, with b mapped onto it by sim.
// Rects are in work coordinates.
func detect(a, b plane, sim similarity, opt Options) []Cell {
	long := float64(max(a.w, a.h))
	// A light blur first: sensor noise and JPEG blocks should not count as change.
	a, b = blur(a, 1), blur(b, 1)
	bw, valid := warp(a, b, sim, opt.Border*long)
	matchTone(bw, a, valid)
	cs := int(math.Ceil(long / float64(opt.Grid)))
	matchShade(bw, a, valid, cs)

	r := max(1, int(math.Round(tolerance*long)))
	loA, hiA := minMax(a, r)
	loB, hiB := minMax(bw, r)
	ax, ay := gradients(a)
	bx, by := gradients(bw)

	cols, rows := (a.w+cs-1)/cs, (a.h+cs-1)/cs
	changed := make([]bool, len(a.pix))
	for i, ok := range valid {
		if ok {
			d := max(outside(a.pix[i], loB.pix[i], hiB.pix[i]), outside(bw.pix[i], loA.pix[i], hiA.pix[i]))
			changed[i] = float64(d) > opt.PixelThreshold
		}
	}
	type acc struct {
		n, changed int
		texA, texB float64
	}
	grid := make([]acc, cols*rows)
	for y := 0; y < a.h; y++ {
		for x := 0; x < a.w; x++ {
			i := y*a.w + x
			if !valid[i] {
				continue
			}
			c := &grid[(y/cs)*cols+x/cs]
			c.n++
			if changed[i] && coherent(changed, a.w, a.h, x, y) {
				c.changed++
			}
			c.texA += math.Hypot(float64(ax.pix[i]), float64(ay.pix[i]))
			c.texB += math.Hypot(float64(bx.pix[i]), float64(by.pix[i]))
		}
	}

	scored := make([]bool, len(grid))
	flat := make([]bool, len(grid))
	for i, c := range grid {
		cx, cy := i%cols, i/cols
		area := (min((cx+1)*cs, a.w) - cx*cs) * (min((cy+1)*cs, a.h) - cy*cs)
		scored[i] = c.n*2 >= area
		flat[i] = scored[i] && c.texA/float64(c.n) < opt.MinTexture && c.texB/float64(c.n) < opt.MinTexture
	}
	background := skyAndGround(scored, flat, cols, rows)

	var cells []Cell
	for i, c := range grid {
		if !scored[i] || background[i] {
			continue
		}
		cx, cy := i%cols, i/cols
		rect := image.Rect(cx*cs, cy*cs, min((cx+1)*cs, a.w), min((cy+1)*cs, a.h))
		cells = append(cells, Cell{
			Rect:   rect,
			Before: beforeRect(a, b, sim, rect),
			Score:  float64(c.changed) / float64(c.n),
		})
	}
	return cells
}

// coherent reports whether at least two of the 8 neighbours of (x, y) changed too: damage
// is a connected mark (even a scratch continues both ways), while the misfits of fine texture,
// noise and JPEG blocks are scattered pixels.
func coherent(changed []bool, w, h, x, y int) bool {
	n := 0
	for yy := max(y-1, 0); yy <= min(y+1, h-1); yy++ {
		for xx := max(x-1, 0); xx <= min(x+1, w-1); xx++ {
			if changed[yy*w+xx] {
				n++
			}
		}
	}
	return n >= 3 // the pixel itself and two neighbours
}

// outside is how far v lies outside [lo, hi].
func outside(v, lo, hi float32) float32 {
	switch {
	case v < lo:
		return lo - v
	case v > hi:
		return v - hi
	}
	return 0
}

// warp resamples b onto a's frame through sim. valid marks the pixels that lie at least
// border pixels inside both pictures.
func warp(a, b plane, sim similarity, border float64) (plane, []bool) {
	m, _, _ := inverseMap(sim, 1, float64(a.w)/2, float64(a.h)/2, float64(b.w)/2, float64(b.h)/2)
	bb := border / math.Exp(sim.ls)
	out := newPlane(a.w, a.h)
	valid := make([]bool, a.w*a.h)
	for y := 0; y < a.h; y++ {
		v := float64(y) + 0.5
		inY := v >= border && v <= float64(a.h)-border
		for x := 0; x < a.w; x++ {
			u := float64(x) + 0.5
			pu := m[0]*u + m[1]*v + m[2]
			pv := m[3]*u + m[4]*v + m[5]
			val, ok := b.sample(pu, pv)
			if !ok {
				continue
			}
			i := y*a.w + x
			out.pix[i] = val
			valid[i] = inY && u >= border && u <= float64(a.w)-border &&
				pu >= bb && pv >= bb && pu <= float64(b.w)-bb && pv <= float64(b.h)-bb
		}
	}
	return out, valid
}

// toneBins is the resolution of the tone curve matchTone fits: 8 gray levels a bin.
const toneBins = 32

// matchTone maps the values of p onto the tone of ref with a monotone curve fitted over mask
// from the registered pixel pairs: for each band of p's values, the median of ref's values at
// the same places. Exposure, contrast, gamma and white balance differ between two days; a
// curve fitted from pairs, unlike histogram matching, is not bent by the damage itself, whose
// pixels are a minority in every band.
func matchTone(p, ref plane, mask []bool) {
	var hist [toneBins][256]int32
	var count [toneBins]float64
	for i, ok := range mask {
		if ok {
			b := min(max(int(p.pix[i]), 0), 255) * toneBins / 256
			hist[b][bin(ref.pix[i])]++
			count[b]++
		}
	}
	total := 0.0
	for _, c := range count {
		total += c
	}
	if total == 0 {
		return
	}
	// Median of each band with enough support; the others are left to interpolation.
	var level [toneBins]float64
	var weight [toneBins]float64
	for b := range toneBins {
		if count[b] < max(20, total*0.0005) {
			continue
		}
		half, acc := count[b]/2, 0.0
		for v, n := range hist[b] {
			acc += float64(n)
			if acc >= half {
				level[b] = float64(v)
				break
			}
		}
		weight[b] = count[b]
	}
	curve := isotonic(level[:], weight[:], 256.0/toneBins)
	step := 256.0 / toneBins
	for i := range p.pix {
		x := float64(p.pix[i])/step - 0.5
		k := min(max(int(math.Floor(x)), 0), toneBins-2)
		f := min(max(x-float64(k), 0), 1)
		p.pix[i] = float32(curve[k]*(1-f) + curve[k+1]*f)
	}
}

// isotonic returns the non-decreasing sequence closest to level in the weighted least-squares
// sense (pool adjacent violators). Entries of weight 0 are interpolated between their
// neighbours, or continue the nearest known entry with slope endSlope at either end: a few
// highlight pixels too rare to fit must keep their contrast, not be clipped to the last fit.
func isotonic(level, weight []float64, endSlope float64) []float64 {
	type block struct {
		sum, w float64
		n      int
	}
	var blocks []block
	for i, v := range level {
		if weight[i] == 0 {
			blocks = append(blocks, block{n: 1})
			continue
		}
		blocks = append(blocks, block{sum: v * weight[i], w: weight[i], n: 1})
		for len(blocks) > 1 {
			// Merge backwards over violators, skipping empty blocks between them.
			j := len(blocks) - 2
			for j >= 0 && blocks[j].w == 0 {
				j--
			}
			last := blocks[len(blocks)-1]
			if j < 0 || blocks[j].sum/blocks[j].w <= last.sum/last.w {
				break
			}
			m := block{}
			for _, b := range blocks[j:] {
				m.sum += b.sum
				m.w += b.w
				m.n += b.n
			}
			blocks = append(blocks[:j], m)
		}
	}
	out := make([]float64, 0, len(level))
	for _, b := range blocks {
		v := math.NaN()
		if b.w > 0 {
			v = b.sum / b.w
		}
		for range b.n {
			out = append(out, v)
		}
	}
	// Fill the empty ends and gaps by linear interpolation between known values.
	prev := -1
	for i := range out {
		if math.IsNaN(out[i]) {
			continue
		}
		switch {
		case prev < 0:
			for k := range i {
				out[k] = out[i] - float64(i-k)*endSlope
			}
		case i-prev > 1:
			for k := prev + 1; k < i; k++ {
				f := float64(k-prev) / float64(i-prev)
				out[k] = out[prev]*(1-f) + out[i]*f
			}
		}
		prev = i
	}
	if prev < 0 {
		// No band had support: keep values as they are.
		for i := range out {
			out[i] = (float64(i) + 0.5) * 256 / float64(len(out))
		}
		return out
	}
	for k := prev + 1; k < len(out); k++ {
		out[k] = out[prev] + float64(k-prev)*endSlope
	}
	return out
}

func bin(v float32) int { return min(max(int(v+0.5), 0), 255) }

// skyAndGround marks the featureless cells joined, through featureless cells, to the top or
// the bottom of the scored area: large smooth regions at the edges are sky, ground or wall,
// whose brightness changes with the weather, not with the vehicle.
func skyAndGround(scored, flat []bool, cols, rows int) []bool {
	bg := make([]bool, len(flat))
	var stack []int
	for x := range cols {
		for _, dir := range []int{1, -1} {
			y := 0
			if dir < 0 {
				y = rows - 1
			}
			for ; y >= 0 && y < rows && !scored[y*cols+x]; y += dir {
			}
			if y >= 0 && y < rows && flat[y*cols+x] && !bg[y*cols+x] {
				bg[y*cols+x] = true
				stack = append(stack, y*cols+x)
			}
		}
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := i%cols, i/cols
		for _, n := range [][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
			if n[0] < 0 || n[1] < 0 || n[0] >= cols || n[1] >= rows {
				continue
			}
			j := n[1]*cols + n[0]
			if flat[j] && !bg[j] {
				bg[j] = true
				stack = append(stack, j)
			}
		}
	}
	return bg
}

// beforeRect is the bounding box in b of the cell r of a.
func beforeRect(a, b plane, sim similarity, r image.Rectangle) image.Rectangle {
	m, _, _ := inverseMap(sim, 1, float64(a.w)/2, float64(a.h)/2, float64(b.w)/2, float64(b.h)/2)
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, q := range [][2]float64{
		{float64(r.Min.X), float64(r.Min.Y)}, {float64(r.Max.X), float64(r.Min.Y)},
		{float64(r.Min.X), float64(r.Max.Y)}, {float64(r.Max.X), float64(r.Max.Y)},
	} {
		u := m[0]*q[0] + m[1]*q[1] + m[2]
		v := m[3]*q[0] + m[4]*q[1] + m[5]
		minX, maxX = min(minX, u), max(maxX, u)
		minY, maxY = min(minY, v), max(maxY, v)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY))).
		Intersect(image.Rect(0, 0, b.w, b.h))
}
