package damage

import (
	"image"
	"math"
)

// plane is a grayscale picture in float32, the working form of every step: arithmetic on
// uint8 would clip the intermediate values of blurs, gradients and warps.
type plane struct {
	w, h int
	pix  []float32
}

func newPlane(w, h int) plane {
	return plane{w: w, h: h, pix: make([]float32, w*h)}
}

func (p plane) at(x, y int) float32 { return p.pix[y*p.w+x] }

// fromGray copies g into a plane, honouring its bounds and stride (g may be a sub-image).
func fromGray(g *image.Gray) plane {
	b := g.Bounds()
	p := newPlane(b.Dx(), b.Dy())
	for y := 0; y < p.h; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+p.w]
		out := p.pix[y*p.w : (y+1)*p.w]
		for x, v := range row {
			out[x] = float32(v)
		}
	}
	return p
}

// half averages 2×2 blocks: the box filter is enough anti-aliasing for a pyramid whose levels
// are only compared with each other, and it keeps coordinates exactly halved.
func half(p plane) plane {
	q := newPlane(p.w/2, p.h/2)
	for y := 0; y < q.h; y++ {
		r0 := p.pix[2*y*p.w:]
		r1 := p.pix[(2*y+1)*p.w:]
		out := q.pix[y*q.w : (y+1)*q.w]
		for x := range out {
			out[x] = 0.25 * (r0[2*x] + r0[2*x+1] + r1[2*x] + r1[2*x+1])
		}
	}
	return q
}

// shrink halves p until its long side is at most maxSide, returning the plane and the factor
// by which coordinates were divided.
func shrink(p plane, maxSide int) (plane, float64) {
	f := 1.0
	for max(p.w, p.h) > maxSide && min(p.w, p.h) >= 16 {
		p = half(p)
		f *= 2
	}
	return p, f
}

// blur is a separable Gaussian with clamped edges.
func blur(p plane, sigma float64) plane {
	if sigma <= 0 {
		return p
	}
	r := int(math.Ceil(2.5 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		d := float64(i - r)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := newPlane(p.w, p.h)
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.w : (y+1)*p.w]
		out := tmp.pix[y*p.w : (y+1)*p.w]
		for x := range out {
			var s float32
			for i, kv := range k {
				xx := min(max(x+i-r, 0), p.w-1)
				s += kv * row[xx]
			}
			out[x] = s
		}
	}
	q := newPlane(p.w, p.h)
	for y := 0; y < p.h; y++ {
		out := q.pix[y*p.w : (y+1)*p.w]
		for i, kv := range k {
			yy := min(max(y+i-r, 0), p.h-1)
			row := tmp.pix[yy*p.w : (yy+1)*p.w]
			for x := range out {
				out[x] += kv * row[x]
			}
		}
	}
	return q
}

// gradients returns central-difference derivatives; the outermost pixels get zero so that
// the picture's frame never looks like an edge.
func gradients(p plane) (gx, gy plane) {
	gx, gy = newPlane(p.w, p.h), newPlane(p.w, p.h)
	for y := 1; y < p.h-1; y++ {
		i := y * p.w
		for x := 1; x < p.w-1; x++ {
			gx.pix[i+x] = 0.5 * (p.pix[i+x+1] - p.pix[i+x-1])
			gy.pix[i+x] = 0.5 * (p.pix[i+x+p.w] - p.pix[i+x-p.w])
		}
	}
	return gx, gy
}

// sample interpolates p bilinearly at the continuous position (u, v), where pixel (x, y)
// covers [x, x+1)×[y, y+1) and has its centre at (x+0.5, y+0.5). ok is false outside the
// centres of the outermost pixels.
func (p plane) sample(u, v float64) (float32, bool) {
	u -= 0.5
	v -= 0.5
	if u < 0 || v < 0 || u > float64(p.w-1) || v > float64(p.h-1) {
		return 0, false
	}
	x0, y0 := int(u), int(v)
	x1, y1 := min(x0+1, p.w-1), min(y0+1, p.h-1)
	fx, fy := float32(u-float64(x0)), float32(v-float64(y0))
	a := p.pix[y0*p.w+x0]*(1-fx) + p.pix[y0*p.w+x1]*fx
	b := p.pix[y1*p.w+x0]*(1-fx) + p.pix[y1*p.w+x1]*fx
	return a*(1-fy) + b*fy, true
}

// minMax returns the minimum and maximum of p over the (2r+1)² window around each pixel,
// separably: the change detector compares a pixel with the range of its neighbourhood in the
// other picture, which forgives the few pixels of residual misregistration.
func minMax(p plane, r int) (lo, hi plane) {
	tlo, thi := newPlane(p.w, p.h), newPlane(p.w, p.h)
	for y := 0; y < p.h; y++ {
		row := p.pix[y*p.w : (y+1)*p.w]
		for x := range row {
			mn, mx := row[x], row[x]
			for xx := max(x-r, 0); xx <= min(x+r, p.w-1); xx++ {
				mn = min(mn, row[xx])
				mx = max(mx, row[xx])
			}
			tlo.pix[y*p.w+x], thi.pix[y*p.w+x] = mn, mx
		}
	}
	lo, hi = newPlane(p.w, p.h), newPlane(p.w, p.h)
	for y := 0; y < p.h; y++ {
		y0, y1 := max(y-r, 0), min(y+r, p.h-1)
		for x := 0; x < p.w; x++ {
			mn, mx := tlo.pix[y0*p.w+x], thi.pix[y0*p.w+x]
			for yy := y0 + 1; yy <= y1; yy++ {
				mn = min(mn, tlo.pix[yy*p.w+x])
				mx = max(mx, thi.pix[yy*p.w+x])
			}
			lo.pix[y*p.w+x], hi.pix[y*p.w+x] = mn, mx
		}
	}
	return lo, hi
}
