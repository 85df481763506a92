package ocr

import (
	"image"
	"image/color"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// gray returns the luminance of img restricted to r. A JPEG's Y plane is used as it is, which
// is both the cheapest and the exact luminance the camera stored.
func gray(img image.Image, r image.Rectangle) *image.Gray {
	r = r.Intersect(img.Bounds())
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	switch src := img.(type) {
	case *image.YCbCr:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			o := src.YOffset(r.Min.X, y)
			copy(out.Pix[(y-r.Min.Y)*out.Stride:], src.Y[o:o+r.Dx()])
		}
	case *image.Gray:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			o := src.PixOffset(r.Min.X, y)
			copy(out.Pix[(y-r.Min.Y)*out.Stride:], src.Pix[o:o+r.Dx()])
		}
	case *image.RGBA:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			o := src.PixOffset(r.Min.X, y)
			row := out.Pix[(y-r.Min.Y)*out.Stride:]
			for x := range r.Dx() {
				p := src.Pix[o+4*x:]
				row[x] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
			}
		}
	default:
		draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	}
	return out
}

// resizeGray scales g by k with a filter suited to the direction: Catmull-Rom to enlarge small
// text (keeps strokes crisp), averaging to shrink (keeps thin strokes from vanishing).
func resizeGray(g *image.Gray, k float64) *image.Gray {
	if k == 1 {
		return g
	}
	w := max(1, int(float64(g.Bounds().Dx())*k+0.5))
	h := max(1, int(float64(g.Bounds().Dy())*k+0.5))
	out := image.NewGray(image.Rect(0, 0, w, h))
	var s xdraw.Scaler = xdraw.CatmullRom
	if k < 0.5 {
		s = xdraw.ApproxBiLinear
		// ApproxBiLinear skips pixels when shrinking a lot; box-average first to a 2× size.
		g = boxShrink(g, int(1/(2*k)))
	}
	s.Scale(out, out.Bounds(), g, g.Bounds(), xdraw.Src, nil)
	return out
}

// boxShrink averages n×n blocks (n ≥ 2), or returns g when n < 2.
func boxShrink(g *image.Gray, n int) *image.Gray {
	if n < 2 {
		return g
	}
	b := g.Bounds()
	w, h := b.Dx()/n, b.Dy()/n
	out := image.NewGray(image.Rect(0, 0, max(w, 1), max(h, 1)))
	for y := range h {
		for x := range w {
			sum := 0
			for j := range n {
				row := g.Pix[(y*n+j)*g.Stride+x*n:]
				for i := range n {
					sum += int(row[i])
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / (n * n))
		}
	}
	return out
}

// stretch maps g's 2nd..98th luminance percentiles to 0..255 in place: glare and dim cabins
// leave text at a fraction of the range. It reports whether the text looks light on a dark
// background (the median is nearer the dark end), which tesseract reads poorly.
func stretch(g *image.Gray) (lightOnDark bool) {
	var hist [256]int
	for y := range g.Bounds().Dy() {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+g.Bounds().Dx()] {
			hist[v]++
		}
	}
	n := g.Bounds().Dx() * g.Bounds().Dy()
	lo, hi, med := percentile(&hist, n, 0.02), percentile(&hist, n, 0.98), percentile(&hist, n, 0.5)
	if hi-lo >= 16 {
		var lut [256]uint8
		for i := range lut {
			lut[i] = uint8(min(max((i-lo)*255/(hi-lo), 0), 255))
		}
		for i, v := range g.Pix {
			g.Pix[i] = lut[v]
		}
	}
	return med-lo < hi-med
}

func percentile(hist *[256]int, n int, p float64) int {
	want, seen := int(float64(n)*p), 0
	for i, c := range hist {
		seen += c
		if seen > want {
			return i
		}
	}
	return 255
}

// invert turns g into its negative in place.
func invert(g *image.Gray) {
	for i, v := range g.Pix {
		g.Pix[i] = 255 - v
	}
}

// pad returns g with a border of n pixels of colour c around it: recognisers read text that
// touches the edge badly.
func pad(g *image.Gray, n int, c uint8) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()+2*n, b.Dy()+2*n))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.Gray{Y: c}), image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(n, n, n+b.Dx(), n+b.Dy()), g, b.Min, draw.Src)
	return out
}

// grow enlarges r by dx and dy on each side, clipped to bounds.
func grow(r image.Rectangle, dx, dy int, bounds image.Rectangle) image.Rectangle {
	return image.Rect(r.Min.X-dx, r.Min.Y-dy, r.Max.X+dx, r.Max.Y+dy).Intersect(bounds)
}
