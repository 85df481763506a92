package synth

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
)

// homography maps points of one plane to another: (x, y) → ((a·x+b·y+c)/(g·x+h·y+1), …).
type homography [8]float64

// solveHomography returns the homography taking from[i] to to[i], or false when the points are
// degenerate (three on a line).
func solveHomography(from, to [4]pt) (homography, bool) {
	var m [8][9]float64
	for i := range 4 {
		x, y, u, v := from[i].x, from[i].y, to[i].x, to[i].y
		m[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		m[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := range 8 {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return homography{}, false
		}
		m[c], m[p] = m[p], m[c]
		for r := range 8 {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k < 9; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	var h homography
	for i := range 8 {
		h[i] = m[i][8] / m[i][i]
	}
	return h, true
}

func (h homography) apply(x, y float64) (float64, float64) {
	d := h[6]*x + h[7]*y + 1
	return (h[0]*x + h[1]*y + h[2]) / d, (h[3]*x + h[4]*y + h[5]) / d
}

// composite draws src, warped so its corners land on quad (clockwise from top-left), over dst
// with bilinear sampling and src's alpha. src is first shrunk when the warp would minify it by
// more than 1.5×, so thin strokes do not alias away.
func composite(dst *image.RGBA, src *image.RGBA, quad [4]pt) {
	sw, sh := float64(src.Bounds().Dx()), float64(src.Bounds().Dy())
	dw := math.Max(dist(quad[0], quad[1]), dist(quad[3], quad[2]))
	if k := dw / sw; k < 1/1.5 {
		small := image.NewRGBA(image.Rect(0, 0, max(1, int(sw*k*1.2)), max(1, int(sh*k*1.2))))
		xdraw.CatmullRom.Scale(small, small.Bounds(), src, src.Bounds(), xdraw.Src, nil)
		src = small
		sw, sh = float64(src.Bounds().Dx()), float64(src.Bounds().Dy())
	}
	h, ok := solveHomography(quad, [4]pt{{0, 0}, {sw, 0}, {sw, sh}, {0, sh}})
	if !ok {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range quad {
		minX, minY = math.Min(minX, p.x), math.Min(minY, p.y)
		maxX, maxY = math.Max(maxX, p.x), math.Max(maxY, p.y)
	}
	r := image.Rect(int(minX)-1, int(minY)-1, int(maxX)+2, int(maxY)+2).Intersect(dst.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			u, v := h.apply(float64(x)+0.5, float64(y)+0.5)
			c, a := sample(src, u-0.5, v-0.5)
			if a <= 0 {
				continue
			}
			o := dst.PixOffset(x, y)
			p := dst.Pix[o : o+4 : o+4]
			// src is premultiplied, so "over" is src + dst·(1-a).
			for i := range 3 {
				p[i] = clamp8(c[i] + float64(p[i])*(1-a))
			}
			p[3] = clamp8(255*a + float64(p[3])*(1-a))
		}
	}
}

// sample returns src's premultiplied colour and alpha (0..1) at (u, v) by bilinear
// interpolation; outside src it is transparent.
func sample(src *image.RGBA, u, v float64) ([3]float64, float64) {
	var c [3]float64
	a := 0.0
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	fx, fy := u-float64(x0), v-float64(y0)
	b := src.Bounds()
	for j := range 2 {
		for i := range 2 {
			x, y := x0+i, y0+j
			if x < b.Min.X || y < b.Min.Y || x >= b.Max.X || y >= b.Max.Y {
				continue
			}
			w := (1 - math.Abs(float64(i)-fx)) * (1 - math.Abs(float64(j)-fy))
			o := src.PixOffset(x, y)
			c[0] += w * float64(src.Pix[o])
			c[1] += w * float64(src.Pix[o+1])
			c[2] += w * float64(src.Pix[o+2])
			a += w * float64(src.Pix[o+3]) / 255
		}
	}
	return c, a
}

func dist(a, b pt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

// placeQuad returns where a w×h picture lands when scaled to width pw, rotated by deg degrees
// about (cx, cy), and its corners jittered by up to persp of its size (perspective).
func (g *Generator) placeQuad(w, h, pw, cx, cy, deg, persp float64) [4]pt {
	k := pw / w
	hw, hh := w*k/2, h*k/2
	corners := [4]pt{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}}
	// A camera looking from one side shrinks the far edge: a perspective pinch, plus small
	// independent corner jitter.
	pinchX := (g.rng.Float64()*2 - 1) * persp
	pinchY := (g.rng.Float64()*2 - 1) * persp
	for i := range corners {
		c := &corners[i]
		c.y *= 1 - pinchX*math.Copysign(1, c.x)
		c.x *= 1 - pinchY*math.Copysign(1, c.y)
		c.x += (g.rng.Float64()*2 - 1) * persp * 0.3 * hw
		c.y += (g.rng.Float64()*2 - 1) * persp * 0.3 * hh
	}
	s, co := math.Sincos(deg * math.Pi / 180)
	for i := range corners {
		c := corners[i]
		corners[i] = pt{cx + c.x*co - c.y*s, cy + c.x*s + c.y*co}
	}
	return corners
}
