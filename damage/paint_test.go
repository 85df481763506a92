package damage

import (
	"image"
	"math"
	"math/rand/v2"
)

// canvas is a float picture to paint on; only tests paint.
type canvas struct{ plane }

func toCanvas(g *image.Gray) canvas { return canvas{fromGray(g)} }

func (c canvas) gray() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, v := range c.pix {
		g.Pix[i] = clamp8(float64(v))
	}
	return g
}

// blend mixes value into the pixel (x, y) with weight a in 0..1.
func (c canvas) blend(x, y int, value, a float64) {
	if x < 0 || y < 0 || x >= c.w || y >= c.h || a <= 0 {
		return
	}
	a = min(a, 1)
	i := y*c.w + x
	c.pix[i] = float32(float64(c.pix[i])*(1-a) + value*a)
}

// fill paints value over the shape whose signed distance (negative inside) is sdf, within
// box, with one pixel of anti-aliasing.
func (c canvas) fill(box image.Rectangle, value, alpha float64, sdf func(x, y float64) float64) {
	box = box.Intersect(image.Rect(0, 0, c.w, c.h))
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			d := sdf(float64(x)+0.5, float64(y)+0.5)
			c.blend(x, y, value, alpha*min(max(0.5-d, 0), 1))
		}
	}
}

// mean is the average over the (2r+1)² window around (x, y).
func (c canvas) mean(x, y, r int) float64 {
	s, n := 0.0, 0
	for yy := max(y-r, 0); yy <= min(y+r, c.h-1); yy++ {
		for xx := max(x-r, 0); xx <= min(x+r, c.w-1); xx++ {
			s += float64(c.pix[yy*c.w+xx])
			n++
		}
	}
	return s / float64(max(n, 1))
}

func rectBox(cx, cy, rx, ry float64) image.Rectangle {
	return image.Rect(int(cx-rx)-2, int(cy-ry)-2, int(cx+rx)+3, int(cy+ry)+3)
}

func roundRect(cx, cy, hw, hh, r float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		qx, qy := math.Abs(x-cx)-hw+r, math.Abs(y-cy)-hh+r
		return math.Hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - r
	}
}

func ellipse(cx, cy, rx, ry float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		k := math.Hypot((x-cx)/rx, (y-cy)/ry)
		return (k - 1) * min(rx, ry)
	}
}

// polyline paints a stroke of the given width through pts.
func (c canvas) polyline(pts [][2]float64, width, value, alpha float64) image.Rectangle {
	var box image.Rectangle
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		seg := image.Rect(int(min(a[0], b[0])), int(min(a[1], b[1])), int(max(a[0], b[0]))+1, int(max(a[1], b[1]))+1).Inset(-int(width) - 2)
		box = box.Union(seg)
	}
	box = box.Intersect(image.Rect(0, 0, c.w, c.h))
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			d := math.Inf(1)
			for i := 1; i < len(pts); i++ {
				d = min(d, segDist(float64(x)+0.5, float64(y)+0.5, pts[i-1], pts[i]))
			}
			c.blend(x, y, value, alpha*min(max(width/2+0.5-d, 0), 1))
		}
	}
	return box
}

func segDist(x, y float64, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := dx*dx + dy*dy
	t := 0.0
	if l > 0 {
		t = min(max(((x-a[0])*dx+(y-a[1])*dy)/l, 0), 1)
	}
	return math.Hypot(x-a[0]-t*dx, y-a[1]-t*dy)
}

// The kinds of synthetic damage, each painted at three sizes (0 small, 1 medium, 2 large, in
// pixels of a 500-pixel picture).
type damageKind int

const (
	dent damageKind = iota
	scratch
	panel
	crack
)

func (k damageKind) String() string {
	return [...]string{"dent", "scratch", "panel", "crack"}[k]
}

var sizeNames = [...]string{"small", "medium", "large"}

// suits says whether a spot of mean brightness m shows the damage at all: a dark dent on a
// black tyre is invisible to anyone, so the simulation paints where a person would see it.
func (k damageKind) suits(m float64) bool {
	switch k {
	case scratch:
		return m < 170
	case panel:
		return true
	}
	return m > 80
}

// paint draws damage of kind k and size s centred at (cx, cy) and returns its bounding box.
func (c canvas) paint(k damageKind, s int, cx, cy float64, r *rand.Rand) image.Rectangle {
	switch k {
	case dent:
		rad := [...]float64{7, 13, 22}[s] * (0.9 + 0.2*r.Float64())
		ry := rad * (0.65 + 0.35*r.Float64())
		depth := 0.55 + 0.25*r.Float64()
		box := rectBox(cx, cy, rad, ry)
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				d := math.Hypot((float64(x)+0.5-cx)/rad, (float64(y)+0.5-cy)/ry)
				c.blend(x, y, 20, depth*(1-smoothstep(0.35, 1, d)))
			}
		}
		return box
	case scratch:
		l := [...]float64{45, 90, 170}[s]
		w := [...]float64{1.2, 1.8, 2.6}[s]
		phi := r.Float64() * math.Pi
		bend := (r.Float64()*2 - 1) * 0.15 * l
		var pts [][2]float64
		for i := 0; i <= 16; i++ {
			t := float64(i)/16 - 0.5
			off := bend * (1 - 4*t*t)
			pts = append(pts, [2]float64{
				cx + t*l*math.Cos(phi) - off*math.Sin(phi),
				cy + t*l*math.Sin(phi) + off*math.Cos(phi),
			})
		}
		return c.polyline(pts, w, 235, 0.85)
	case panel:
		hw := [...]float64{12, 24, 45}[s] * (0.8 + 0.4*r.Float64())
		hh := hw * (0.5 + 0.4*r.Float64())
		m := c.mean(int(cx), int(cy), int(hh))
		v := m + 70
		if m > 128 {
			v = m - 70
		}
		box := rectBox(cx, cy, hw, hh)
		c.fill(box, v, 1, roundRect(cx, cy, hw, hh, 2))
		return box
	}
	rad := [...]float64{14, 28, 48}[s]
	var box image.Rectangle
	for range 4 + r.IntN(4) {
		phi := r.Float64() * 2 * math.Pi
		x, y := cx, cy
		pts := [][2]float64{{x, y}}
		for l := 0.0; l < rad*(0.6+0.4*r.Float64()); l += 3 {
			phi += (r.Float64()*2 - 1) * 0.5
			x, y = x+3*math.Cos(phi), y+3*math.Sin(phi)
			pts = append(pts, [2]float64{x, y})
		}
		box = box.Union(c.polyline(pts, 1.2, 25, 0.9))
	}
	return box
}

func smoothstep(a, b, x float64) float64 {
	t := min(max((x-a)/(b-a), 0), 1)
	return t * t * (3 - 2*t)
}

// carScene draws a w×h side or front view of a car in a car park: a smooth body with seams,
// windows, wheels and lights, sky above and asphalt below, so that registration and change
// detection meet the large smooth panels of real vehicles, which the shared photos lack.
func carScene(seed uint64, w, h int) *image.Gray {
	r := rand.New(rand.NewPCG(seed, 7))
	c := canvas{newPlane(w, h)}
	fw, fh := float64(w), float64(h)
	horizon := fh * (0.4 + 0.1*r.Float64())
	sky0, sky1 := 170+40*r.Float64(), 210+40*r.Float64()
	ground := 80 + 50*r.Float64()
	noise := newPlane(w, h)
	for i := range noise.pix {
		noise.pix[i] = float32(r.NormFloat64() * 14)
	}
	noise = blur(noise, 0.8)
	for y := range h {
		for x := range w {
			v := sky0 + (sky1-sky0)*float64(y)/horizon
			if float64(y) >= horizon {
				v = ground + float64(noise.pix[y*w+x])
			}
			c.pix[y*w+x] = float32(v)
		}
	}
	// Buildings and trees on the horizon give the picture structure away from the car.
	for x := 0.0; x < fw; {
		bw := fw * (0.05 + 0.12*r.Float64())
		bh := fh * (0.05 + 0.2*r.Float64())
		v := 60 + 120*r.Float64()
		c.fill(image.Rect(int(x), int(horizon-bh), int(x+bw)+1, int(horizon)+1), v, 1,
			roundRect(x+bw/2, horizon-bh/2, bw/2, bh/2, 1))
		for wy := horizon - bh + 6; wy < horizon-8; wy += 12 {
			for wx := x + 5; wx < x+bw-8; wx += 11 {
				c.fill(rectBox(wx+2.5, wy+3, 3, 4), v-40, 1, roundRect(wx+2.5, wy+3, 2.5, 3, 0.5))
			}
		}
		x += bw + fw*0.02*r.Float64()
	}
	// Parking lines.
	for i := range 4 {
		x := fw * (0.1 + 0.27*float64(i) + 0.05*r.Float64())
		c.polyline([][2]float64{{x, horizon + 4}, {x - fw*0.2, fh}}, 3, 220, 0.9)
	}

	cx := fw * (0.45 + 0.1*r.Float64())
	bottom := fh * (0.78 + 0.08*r.Float64())
	bw, bh := fw*(0.3+0.08*r.Float64()), fh*(0.11+0.04*r.Float64())
	paint := 70 + 150*r.Float64()
	c.fill(rectBox(cx, bottom+4, bw*1.05, 12), 25, 0.7, ellipse(cx, bottom+4, bw*1.05, 10))
	// Body: a rounded slab shaded from top to bottom, then the cabin.
	top := bottom - 2*bh
	body := roundRect(cx, bottom-bh, bw, bh, bh*0.5)
	cabin := func(x, y float64) float64 {
		// A trapezoid from the body's top line up to the roof.
		roof := top - bh*1.3
		half := bw*0.6 - (top-y)/(top-roof)*bw*0.2
		return max(max(math.Abs(x-(cx-bw*0.05))-half, y-top-2), roof-y)
	}
	box := rectBox(cx, bottom-bh*2, bw, bh*3)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := min(body(px, py), cabin(px, py))
			shade := paint * (1.1 - 0.3*(py-(top-bh*1.3))/(bh*3.3))
			c.blend(x, y, shade, min(max(0.5-d, 0), 1))
		}
	}
	// A highlight along the body and the windows with a reflection gradient.
	c.fill(rectBox(cx, top+bh*0.5, bw, 4), min(paint+50, 250), 0.5, roundRect(cx, top+bh*0.5, bw*0.9, 2, 2))
	glass := 35 + 30*r.Float64()
	for _, wx := range []float64{-0.32, 0.18} {
		wcx := cx - bw*0.05 + wx*bw
		c.fill(rectBox(wcx, top-bh*0.6, bw*0.25, bh*0.6), glass, 1, roundRect(wcx, top-bh*0.6, bw*0.22, bh*0.5, 4))
		c.polyline([][2]float64{{wcx - bw*0.15, top - bh*0.2}, {wcx + bw*0.05, top - bh}}, 6, glass+40, 0.4)
	}
	// Door seams and handles.
	for _, sx := range []float64{-0.25, 0.2} {
		x := cx + sx*bw
		c.polyline([][2]float64{{x, top - bh}, {x + 3, bottom - bh*0.4}}, 1.2, paint*0.4, 0.9)
		c.fill(rectBox(x+bw*0.12, top+bh*0.3, 10, 3), paint*0.5, 1, roundRect(x+bw*0.12, top+bh*0.3, 8, 2, 1))
	}
	// Lights and wheels.
	c.fill(rectBox(cx+bw*0.95, top+bh*0.4, 8, 5), 245, 1, ellipse(cx+bw*0.95, top+bh*0.4, 7, 4))
	c.fill(rectBox(cx-bw*0.96, top+bh*0.4, 6, 5), 70, 1, ellipse(cx-bw*0.96, top+bh*0.4, 5, 4))
	wr := bh * 0.75
	for _, wx := range []float64{-0.62, 0.62} {
		x := cx + wx*bw
		c.fill(rectBox(x, bottom-wr*0.6, wr, wr), 22, 1, ellipse(x, bottom-wr*0.6, wr, wr))
		c.fill(rectBox(x, bottom-wr*0.6, wr, wr), 150, 1, ellipse(x, bottom-wr*0.6, wr*0.55, wr*0.55))
		c.fill(rectBox(x, bottom-wr*0.6, wr, wr), 90, 1, ellipse(x, bottom-wr*0.6, wr*0.15, wr*0.15))
	}
	return c.gray()
}
