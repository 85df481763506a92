package damage

import (
	"math"
	"slices"
)

// shadeRadius is the half-width, in cells, of the window over which the local brightness
// correction takes its median: wide enough that damage covering a few cells is outvoted,
// narrow enough to follow the light across a vehicle.
const shadeRadius = 2

// shadeFloor keeps the gain of near-black pixels finite: light scales what a sensor measures
// above its black level, roughly.
const shadeFloor = 8

// matchShade multiplies p by a smooth gain field that brings it to ref cell by cell: the light
// of another day is not uniform (a cloud, the sun lower, a building's shade), which one global
// tone curve cannot undo. Each cell's gain is the median ratio of its pixels; a median over
// the neighbouring cells keeps damage, a minority of cells, out of the field. A sharp shadow
// edge is narrower than a cell and stays a change.
func matchShade(p, ref plane, mask []bool, cs int) {
	cols, rows := (p.w+cs-1)/cs, (p.h+cs-1)/cs
	ratios := make([][]float32, cols*rows)
	buf := make([]float32, len(p.pix)) // one backing array: every pixel belongs to one cell
	for c := range ratios {
		x0, y0 := (c%cols)*cs, (c/cols)*cs
		n := (min(x0+cs, p.w) - x0) * (min(y0+cs, p.h) - y0)
		ratios[c], buf = buf[:0:n], buf[n:]
	}
	for i, ok := range mask {
		if ok {
			c := (i/p.w/cs)*cols + (i%p.w)/cs
			ratios[c] = append(ratios[c], (ref.pix[i]+shadeFloor)/(p.pix[i]+shadeFloor))
		}
	}
	raw := make([]float64, len(ratios))
	for c := range raw {
		raw[c] = 1
	}
	known := make([]bool, len(ratios))
	for c, d := range ratios {
		if len(d)*4 >= cs*cs {
			// Light changes by a factor of a few at most; beyond that it is not light.
			raw[c], known[c] = min(max(float64(median(d)), 0.4), 2.5), true
		}
	}
	field := make([]float64, len(raw))
	for c := range field {
		field[c] = 1
	}
	var win []float64
	for c := range field {
		cx, cy := c%cols, c/cols
		win = win[:0]
		for y := max(cy-shadeRadius, 0); y <= min(cy+shadeRadius, rows-1); y++ {
			for x := max(cx-shadeRadius, 0); x <= min(cx+shadeRadius, cols-1); x++ {
				if known[y*cols+x] {
					win = append(win, raw[y*cols+x])
				}
			}
		}
		if len(win) > 0 {
			slices.Sort(win)
			field[c] = win[len(win)/2]
		}
	}
	// Bilinear between cell centres, so the correction has no seams at cell borders.
	for y := 0; y < p.h; y++ {
		fy := (float64(y)+0.5)/float64(cs) - 0.5
		y0 := min(max(int(math.Floor(fy)), 0), rows-1)
		y1 := min(y0+1, rows-1)
		ty := min(max(fy-float64(y0), 0), 1)
		for x := 0; x < p.w; x++ {
			fx := (float64(x)+0.5)/float64(cs) - 0.5
			x0 := min(max(int(math.Floor(fx)), 0), cols-1)
			x1 := min(x0+1, cols-1)
			tx := min(max(fx-float64(x0), 0), 1)
			gain := (field[y0*cols+x0]*(1-tx)+field[y0*cols+x1]*tx)*(1-ty) +
				(field[y1*cols+x0]*(1-tx)+field[y1*cols+x1]*tx)*ty
			p.pix[y*p.w+x] = (p.pix[y*p.w+x]+shadeFloor)*float32(gain) - shadeFloor
		}
	}
}

func median(v []float32) float32 {
	slices.Sort(v)
	return v[len(v)/2]
}
