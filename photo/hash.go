package photo

import (
	"image"
	"math"
	"math/bits"
	"slices"
)

// pHash is the 64-bit DCT perceptual hash of the region r of g: it is averaged down to 32×32
// pixels (each the mean of the area it covers), transformed by a 2D DCT, and bit 63-i (i = 8v+u, from the most
// significant bit) says whether the coefficient (u, v) of the 8×8 lowest frequencies is above
// their median. The DC term (i = 0) is left out of the median and its bit is always 0, so the
// hash does not move with overall brightness: 63 bits carry information.
func pHash(g *image.Gray, r region) uint64 {
	const n = 32
	px := areaResample(g, r, n, n)
	// A separable DCT-II; only the lowest 8 frequencies of each axis are needed.
	var rows [n][8]float64 // rows[y][u]
	for y := range n {
		for u := range 8 {
			var s float64
			for x := range n {
				s += px[y*n+x] * dct32[u][x]
			}
			rows[y][u] = s
		}
	}
	var c [64]float64
	for v := range 8 {
		for u := range 8 {
			var s float64
			for y := range n {
				s += rows[y][u] * dct32[v][y]
			}
			c[v*8+u] = s
		}
	}
	sorted := slices.Clone(c[1:])
	slices.Sort(sorted)
	median := sorted[31] // the 32nd of 63
	var h uint64
	for i := 1; i < 64; i++ {
		if c[i] > median {
			h |= 1 << (63 - i)
		}
	}
	return h
}

// dct32[u][x] is the DCT-II basis of 32 points, unnormalized.
var dct32 = func() (t [8][32]float64) {
	for u := range 8 {
		for x := range 32 {
			t[u][x] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / 64)
		}
	}
	return t
}()

// dHash is the 64-bit difference hash of the region r of g: it is averaged down to 9×8 pixels
// and bit 63-i (i = 8y+x) says whether pixel (x+1, y) is brighter than pixel (x, y).
func dHash(g *image.Gray, r region) uint64 {
	px := areaResample(g, r, 9, 8)
	var h uint64
	for y := range 8 {
		for x := range 8 {
			if px[y*9+x+1] > px[y*9+x] {
				h |= 1 << (63 - (y*8 + x))
			}
		}
	}
	return h
}

// HashDistance is the number of bits in which two perceptual hashes differ (their Hamming
// distance): 0 for the same picture, about 32 for unrelated ones.
func HashDistance(a, b uint64) int {
	return bits.OnesCount64(a ^ b)
}

// region is a rectangle of a picture in pixel units, possibly fractional: the part of a
// 1/8-scale picture that the photo covers, without the padding of its edge blocks.
type region struct{ x0, y0, x1, y1 float64 }

// whole is the region of all of g.
func whole(g *image.Gray) region {
	return region{0, 0, float64(g.Rect.Dx()), float64(g.Rect.Dy())}
}

// areaResample returns the region r of g resized to w×h (row-major floats): each output pixel
// is the mean of the part of r it covers, counting partly covered pixels by the share
// covered. It is the downscale that least depends on the input size, so hashes of the same
// picture at different sizes agree.
func areaResample(g *image.Gray, r region, w, h int) []float64 {
	sw := g.Rect.Dx()
	xs, ys := spans(r.x0, r.x1, w, sw), spans(r.y0, r.y1, h, g.Rect.Dy())
	pix := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):]
	y0, y1 := ys[0].first, ys[len(ys)-1].first+len(ys[len(ys)-1].w)
	tmp := make([]float64, w*(y1-y0)) // the rows of r resampled
	for y := y0; y < y1; y++ {
		row := pix[y*g.Stride : y*g.Stride+sw]
		for x, s := range xs {
			var a float64
			for i, wt := range s.w {
				a += wt * float64(row[s.first+i])
			}
			tmp[(y-y0)*w+x] = a
		}
	}
	out := make([]float64, w*h)
	for y, s := range ys {
		for x := range w {
			var a float64
			for i, wt := range s.w {
				a += wt * tmp[(s.first+i-y0)*w+x]
			}
			out[y*w+x] = a
		}
	}
	return out
}

// span is the source pixels an output pixel covers, from first, with their weights (summing
// to 1).
type span struct {
	first int
	w     []float64
}

// spans maps the interval [lo, hi) of n source pixels onto m output pixels by area.
func spans(lo, hi float64, m, n int) []span {
	out := make([]span, m)
	scale := (hi - lo) / float64(m)
	for i := range out {
		a, b := lo+float64(i)*scale, lo+float64(i+1)*scale
		// Clamped: rounding may put b a hair past hi.
		first := min(int(a), n-1)
		last := min(max(first, int(math.Ceil(b))-1), n-1)
		s := span{first: first, w: make([]float64, last-first+1)}
		for j := first; j <= last; j++ {
			s.w[j-first] = (min(b, float64(j+1)) - max(a, float64(j))) / scale
		}
		out[i] = s
	}
	return out
}
