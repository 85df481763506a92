package ppocr

import (
	"image"
	"math"
	"slices"
)

// fpt is a point with float coordinates.
type fpt struct{ x, y float64 }

func (a fpt) dist(b fpt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

func (a fpt) lerp(b fpt, t float64) fpt { return fpt{a.x + (b.x-a.x)*t, a.y + (b.y-a.y)*t} }

func cross(o, a, b fpt) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }

// convexHull returns the hull of ps counter-clockwise (Andrew's monotone chain). It sorts ps.
func convexHull(ps []fpt) []fpt {
	slices.SortFunc(ps, func(a, b fpt) int {
		if a.x != b.x {
			return cmp(a.x, b.x)
		}
		return cmp(a.y, b.y)
	})
	ps = slices.Compact(ps)
	if len(ps) < 3 {
		return ps
	}
	hull := make([]fpt, 0, 2*len(ps))
	for _, p := range ps {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull[:len(hull)-1]
}

func cmp(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rotRect is a rectangle of size w×h centred on c, its w side along angle a (radians).
type rotRect struct {
	c    fpt
	w, h float64
	a    float64
}

// minAreaRect returns the smallest rectangle enclosing the convex polygon hull: one of its
// sides lies along a hull edge, so trying each edge finds it.
func minAreaRect(hull []fpt) rotRect {
	best := rotRect{w: math.Inf(1), h: 1}
	if len(hull) == 0 {
		return rotRect{}
	}
	for i := range hull {
		p, q := hull[i], hull[(i+1)%len(hull)]
		a := math.Atan2(q.y-p.y, q.x-p.x)
		s, c := math.Sincos(a)
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, h := range hull {
			u, v := h.x*c+h.y*s, -h.x*s+h.y*c
			minU, maxU = math.Min(minU, u), math.Max(maxU, u)
			minV, maxV = math.Min(minV, v), math.Max(maxV, v)
		}
		if w, h := maxU-minU, maxV-minV; w*h < best.w*best.h {
			cu, cv := (minU+maxU)/2, (minV+maxV)/2
			best = rotRect{c: fpt{cu*c - cv*s, cu*s + cv*c}, w: w, h: h, a: a}
		}
	}
	return best.normalize()
}

// normalize makes w the side closest to horizontal, so text boxes read left to right.
func (r rotRect) normalize() rotRect {
	for r.a > math.Pi/4 {
		r.a -= math.Pi / 2
		r.w, r.h = r.h, r.w
	}
	for r.a <= -math.Pi/4 {
		r.a += math.Pi / 2
		r.w, r.h = r.h, r.w
	}
	return r
}

// quad returns r's corners clockwise from top-left, scaled by (sx, sy).
func (r rotRect) quad(sx, sy float64) Quad {
	s, c := math.Sincos(r.a)
	hw, hh := r.w/2, r.h/2
	var q Quad
	for i, d := range [4]fpt{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}} {
		x := r.c.x + d.x*c - d.y*s
		y := r.c.y + d.x*s + d.y*c
		q[i] = image.Pt(int(math.Round(x*sx)), int(math.Round(y*sy)))
	}
	return q
}
