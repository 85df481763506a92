package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"

	"golang.org/x/image/draw"
)

// The picture operations the calibration applies, on *image.RGBA pictures at the origin.

func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

func encodeJPEG(img image.Image, q int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// withOrientation inserts an EXIF APP1 segment holding only the Orientation tag after the SOI
// marker of a JPEG.
func withOrientation(data []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01") // header, IFD0 at 8, one entry
	tiff = binary.BigEndian.AppendUint16(tiff, 0x0112)   // Orientation
	tiff = binary.BigEndian.AppendUint16(tiff, 3)        // SHORT
	tiff = binary.BigEndian.AppendUint32(tiff, 1)        // count
	tiff = binary.BigEndian.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // padding, no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(len(payload)+2))
	out := append([]byte(nil), data[:2]...)
	out = append(out, append(seg, payload...)...)
	return append(out, data[2:]...)
}

// gaussian blurs img with a Gaussian of sigma pixels, edges extended.
func gaussian(img *image.RGBA, sigma float64) *image.RGBA {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := range k {
		x := float64(i - r)
		k[i] = float32(math.Exp(-x * x / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]float32, w*h*3)
	for y := range h {
		row := img.Pix[y*img.Stride:]
		for x := range w {
			var a [3]float32
			for i, kv := range k {
				p := row[4*min(max(x+i-r, 0), w-1):]
				a[0] += kv * float32(p[0])
				a[1] += kv * float32(p[1])
				a[2] += kv * float32(p[2])
			}
			copy(tmp[(y*w+x)*3:], a[:])
		}
	}
	out := image.NewRGBA(img.Rect)
	for y := range h {
		for x := range w {
			var a [3]float32
			for i, kv := range k {
				p := tmp[(min(max(y+i-r, 0), h-1)*w+x)*3:]
				a[0] += kv * p[0]
				a[1] += kv * p[1]
				a[2] += kv * p[2]
			}
			o := out.Pix[y*out.Stride+4*x:]
			o[0], o[1], o[2], o[3] = round8(a[0]), round8(a[1]), round8(a[2]), 255
		}
	}
	return out
}

func round8(v float32) uint8 { return uint8(min(max(v+0.5, 0), 255)) }

// resize scales img to w×h with Catmull-Rom.
func resize(img image.Image, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	draw.CatmullRom.Scale(out, out.Rect, img, img.Bounds(), draw.Src, nil)
	return out
}

func scaleBy(img *image.RGBA, f float64) *image.RGBA {
	return resize(img, int(math.Round(float64(img.Rect.Dx())*f)), int(math.Round(float64(img.Rect.Dy())*f)))
}

// levels maps every channel value v to ((v−128)·contrast + 128)·gain, clamped: gain < 1
// darkens, > 1 brightens (and clips), contrast stretches or flattens around mid-grey.
func levels(img *image.RGBA, gain, contrast float64) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	var lut [256]uint8
	for v := range lut {
		lut[v] = round8(float32(((float64(v)-128)*contrast + 128) * gain))
	}
	for i, v := range img.Pix {
		if i%4 == 3 {
			out.Pix[i] = 255
			continue
		}
		out.Pix[i] = lut[v]
	}
	return out
}

func crop(img *image.RGBA, r image.Rectangle) *image.RGBA {
	return toRGBA(img.SubImage(r))
}

// rotate90 turns img a quarter turn clockwise.
func rotate90(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			copy(out.Pix[x*out.Stride+4*(h-1-y):][:4], img.Pix[y*img.Stride+4*x:][:4])
		}
	}
	return out
}

// screenShot renders src as shown on an RGB-stripe screen and photographed by a camera of w×h
// pixels: m camera pixels per screen pixel, the screen turned by deg degrees, each camera
// pixel the mean of 3×3 point samples (the sensor's area, which does not stop aliasing).
// Each screen pixel is three vertical stripes, red, green and blue, with dark gaps between
// them and below.
func screenShot(src *image.RGBA, w, h int, m, deg float64) *image.RGBA {
	const ss = 3
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	th := deg * math.Pi / 180
	cs, sn := math.Cos(th), math.Sin(th)
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	scrW, scrH := float64(w)/m, float64(h)/m
	scale := math.Max(float64(sw)/scrW, float64(sh)/scrH)
	for Y := range h {
		for X := range w {
			var acc [3]float64
			for j := range ss {
				for i := range ss {
					x := float64(X) + (float64(i)+0.5)/ss - float64(w)/2
					y := float64(Y) + (float64(j)+0.5)/ss - float64(h)/2
					sx := (cs*x+sn*y)/m + scrW/2
					sy := (-sn*x+cs*y)/m + scrH/2
					px, py := math.Floor(sx), math.Floor(sy)
					fx, fy := sx-px, sy-py
					c := int(fx * 3)
					if fy > 0.85 || fx*3-float64(c) > 0.8 { // the dark gaps
						continue
					}
					ix := min(max(int(px*scale), 0), sw-1)
					iy := min(max(int(py*scale), 0), sh-1)
					acc[c] += float64(src.Pix[iy*src.Stride+4*ix+c]) * 2.2 // stripes are bright
				}
			}
			o := out.Pix[Y*out.Stride+4*X:]
			for c := range 3 {
				o[c] = uint8(min(acc[c]/ss/ss, 255))
			}
			o[3] = 255
		}
	}
	return out
}

// embed draws fg over the centre of bg, covering share of its area.
func embed(bg, fg *image.RGBA, share float64) *image.RGBA {
	out := toRGBA(bg)
	w, h := bg.Rect.Dx(), bg.Rect.Dy()
	fw, fh := int(float64(w)*math.Sqrt(share)), int(float64(h)*math.Sqrt(share))
	r := image.Rect((w-fw)/2, (h-fh)/2, (w-fw)/2+fw, (h-fh)/2+fh)
	draw.Draw(out, r, fg, r.Min, draw.Src)
	return out
}

// dashboard draws a dark instrument cluster: a few round gauges with ticks and a needle, and
// an odometer of seven-segment digits. layout seeds the positions and sizes; reading seeds the
// needles and digits, so two dashboards of one layout differ only in what they show.
func dashboard(w, h int, layout, reading uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	lr := rand.New(rand.NewPCG(layout, 1))
	rr := rand.New(rand.NewPCG(reading, 2))
	base := 10 + lr.IntN(20)
	for y := range h {
		for x := range w {
			v := uint8(base + 8*y/h + lr.IntN(3))
			img.SetRGBA(x, y, color.RGBA{v, v, v + 2, 255})
		}
	}
	glow := color.RGBA{uint8(150 + lr.IntN(100)), uint8(120 + lr.IntN(120)), uint8(60 + lr.IntN(190)), 255}
	disc := func(cx, cy, r float64, c color.RGBA, ring bool) {
		for y := int(cy - r); y <= int(cy+r); y++ {
			for x := int(cx - r); x <= int(cx+r); x++ {
				d := math.Hypot(float64(x)-cx, float64(y)-cy)
				if d <= r && (!ring || d >= r-2) && image.Pt(x, y).In(img.Rect) {
					img.SetRGBA(x, y, c)
				}
			}
		}
	}
	line := func(x0, y0, x1, y1 float64, c color.RGBA, width float64) {
		n := int(math.Hypot(x1-x0, y1-y0)) + 1
		for i := 0; i <= n; i++ {
			t := float64(i) / float64(n)
			disc(x0+(x1-x0)*t, y0+(y1-y0)*t, width/2, c, false)
		}
	}
	gauges := 1 + lr.IntN(3)
	for g := range gauges {
		r := float64(h) * (0.18 + 0.12*lr.Float64())
		cx := float64(w) * (float64(g) + 0.5 + 0.2*(lr.Float64()-0.5)) / float64(gauges)
		cy := float64(h) * (0.35 + 0.15*lr.Float64())
		disc(cx, cy, r, glow, true)
		for t := 0; t <= 10; t++ {
			a := math.Pi*0.75 + float64(t)/10*math.Pi*1.5
			line(cx+math.Cos(a)*r*0.85, cy+math.Sin(a)*r*0.85, cx+math.Cos(a)*r*0.97, cy+math.Sin(a)*r*0.97, glow, 2)
		}
		a := math.Pi*0.75 + rr.Float64()*math.Pi*1.5
		line(cx, cy, cx+math.Cos(a)*r*0.8, cy+math.Sin(a)*r*0.8, color.RGBA{230, 60, 30, 255}, 3)
	}
	// The odometer: seven-segment digits in a box.
	dh := float64(h) * 0.08
	ox, oy := float64(w)*(0.35+0.1*lr.Float64()), float64(h)*0.78
	segs := [10]uint8{0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07, 0x7f, 0x6f}
	for i := range 6 {
		d := segs[rr.IntN(10)]
		x := ox + float64(i)*dh*0.7
		pts := [7][4]float64{{0, 0, 1, 0}, {1, 0, 1, 1}, {1, 1, 1, 2}, {0, 2, 1, 2}, {0, 1, 0, 2}, {0, 0, 0, 1}, {0, 1, 1, 1}}
		for s, p := range pts {
			if d&(1<<s) != 0 {
				line(x+p[0]*dh*0.45, oy+p[1]*dh*0.5, x+p[2]*dh*0.45, oy+p[3]*dh*0.5, glow, 2)
			}
		}
	}
	return img
}

// scene draws a random picture: a sky-to-ground gradient, shapes of random colours, and
// texture.
func scene(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 3))
	top := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	bottom := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	for y := range h {
		t := float64(y) / float64(h)
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{
				uint8(float64(top.R)*(1-t) + float64(bottom.R)*t),
				uint8(float64(top.G)*(1-t) + float64(bottom.G)*t),
				uint8(float64(top.B)*(1-t) + float64(bottom.B)*t), 255})
		}
	}
	for range 3 + r.IntN(8) {
		c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		x0, y0 := r.IntN(w), r.IntN(h)
		rect := image.Rect(x0, y0, x0+w/10+r.IntN(w/2), y0+h/10+r.IntN(h/2))
		if r.IntN(2) == 0 {
			draw.Draw(img, rect, image.NewUniform(c), image.Point{}, draw.Src)
			continue
		}
		cx, cy, rad := float64(x0), float64(y0), float64(h/10+r.IntN(h/3))
		for y := max(0, int(cy-rad)); y < min(h, int(cy+rad)); y++ {
			for x := max(0, int(cx-rad)); x < min(w, int(cx+rad)); x++ {
				if math.Hypot(float64(x)-cx, float64(y)-cy) < rad {
					img.SetRGBA(x, y, c)
				}
			}
		}
	}
	for i := 0; i < len(img.Pix); i += 4 {
		n := r.IntN(9) - 4
		for c := range 3 {
			img.Pix[i+c] = uint8(min(max(int(img.Pix[i+c])+n, 0), 255))
		}
	}
	return img
}
