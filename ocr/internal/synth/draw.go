package synth

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// pt is a point in canvas pixels.
type pt struct{ x, y float64 }

// fillPolygon fills the closed polygon ps on dst with an anti-aliased edge. The rasterizer
// covers only the polygon's bounding box: a full-canvas one per segment is what made drawing slow.
func fillPolygon(dst *image.RGBA, ps []pt, c color.Color) {
	if len(ps) < 3 {
		return
	}
	minX, minY, maxX, maxY := ps[0].x, ps[0].y, ps[0].x, ps[0].y
	for _, p := range ps[1:] {
		minX, minY = math.Min(minX, p.x), math.Min(minY, p.y)
		maxX, maxY = math.Max(maxX, p.x), math.Max(maxY, p.y)
	}
	r := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	z.MoveTo(float32(ps[0].x-ox), float32(ps[0].y-oy))
	for _, p := range ps[1:] {
		z.LineTo(float32(p.x-ox), float32(p.y-oy))
	}
	z.ClosePath()
	z.Draw(dst, r, image.NewUniform(c), image.Point{})
}

// roundRect returns the outline of a rectangle with rounded corners of radius r.
func roundRect(x0, y0, x1, y1, r float64) []pt {
	r = math.Min(r, math.Min(x1-x0, y1-y0)/2)
	var ps []pt
	corner := func(cx, cy, from float64) {
		for i := 0; i <= 6; i++ {
			a := from + float64(i)*math.Pi/12
			ps = append(ps, pt{cx + r*math.Cos(a), cy + r*math.Sin(a)})
		}
	}
	corner(x1-r, y0+r, -math.Pi/2)
	corner(x1-r, y1-r, 0)
	corner(x0+r, y1-r, math.Pi/2)
	corner(x0+r, y0+r, math.Pi)
	return ps
}

// ellipse returns a polygon approximating an ellipse.
func ellipse(cx, cy, rx, ry float64) []pt {
	ps := make([]pt, 24)
	for i := range ps {
		a := float64(i) * 2 * math.Pi / float64(len(ps))
		ps[i] = pt{cx + rx*math.Cos(a), cy + ry*math.Sin(a)}
	}
	return ps
}

// fonts holds the faces' sources: the Go fonts always, DejaVu and DSEG when found on disk.
type fonts struct {
	regular, bold, medium *opentype.Font
	condensed             *opentype.Font // plate characters; gobold when DejaVu is missing
	seg                   []*opentype.Font
}

func loadFonts(dejavuDir, dsegDir string) (*fonts, error) {
	f := &fonts{}
	var err error
	for _, x := range []struct {
		dst *(*opentype.Font)
		ttf []byte
	}{{&f.regular, goregular.TTF}, {&f.bold, gobold.TTF}, {&f.medium, gomedium.TTF}} {
		if *x.dst, err = opentype.Parse(x.ttf); err != nil {
			return nil, fmt.Errorf("parse go font: %w", err)
		}
	}
	f.condensed = f.bold
	if dejavuDir != "" {
		if c, err := parseFontFile(dejavuDir + "/DejaVuSansCondensed-Bold.ttf"); err == nil {
			f.condensed = c
		}
	}
	if dsegDir != "" {
		for _, name := range []string{"DSEG7-Classic/DSEG7Classic-Bold.ttf", "DSEG7-Classic/DSEG7Classic-BoldItalic.ttf",
			"DSEG7-Modern/DSEG7Modern-Bold.ttf", "DSEG7-Classic/DSEG7Classic-Regular.ttf"} {
			if c, err := parseFontFile(dsegDir + "/" + name); err == nil {
				f.seg = append(f.seg, c)
			}
		}
	}
	return f, nil
}

func parseFontFile(path string) (*opentype.Font, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return opentype.Parse(b)
}

// face returns a face of f at a pixel size (the em height).
func face(f *opentype.Font, px float64) font.Face {
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// NewFace fails only on invalid options, which the callers never pass.
		panic(fmt.Sprintf("synth: new face: %v", err))
	}
	return fc
}

// textWidth is the advance width of s in fc, in pixels.
func textWidth(fc font.Face, s string) float64 {
	return float64(font.MeasureString(fc, s)) / 64
}

// drawText draws s with its baseline starting at (x, y).
func drawText(dst *image.RGBA, fc font.Face, x, y float64, s string, c color.Color) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: fc,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
}

// capHeight estimates the height of capitals and digits in fc.
func capHeight(fc font.Face) float64 {
	b, _, ok := fc.GlyphBounds('8')
	if !ok {
		return float64(fc.Metrics().Ascent) / 64 * 0.7
	}
	return float64(b.Max.Y-b.Min.Y) / 64
}

// newCanvas returns a transparent RGBA canvas.
func newCanvas(w, h int) *image.RGBA {
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// fill paints the whole of dst with c.
func fill(dst *image.RGBA, c color.Color) {
	draw.Draw(dst, dst.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
}

func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// shade returns c with each channel scaled by k (k > 1 lightens, clamped).
func shade(c color.RGBA, k float64) color.RGBA {
	return color.RGBA{clamp8(float64(c.R) * k), clamp8(float64(c.G) * k), clamp8(float64(c.B) * k), c.A}
}

// mix returns a·(1-t) + b·t.
func mix(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return clamp8(float64(x)*(1-t) + float64(y)*t) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}
