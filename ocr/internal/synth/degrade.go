package synth

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
)

// boxBlur blurs img in place with three passes of a box filter of radius r, which approximates
// a Gaussian of sigma ≈ r (camera defocus and motion are rougher than that, but close enough).
func boxBlur(img *image.RGBA, r int) {
	if r < 1 {
		return
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	line := make([]float64, max(w, h)*4)
	for pass := 0; pass < 3; pass++ {
		for y := range h {
			blurLine(img.Pix[y*img.Stride:], 4, w, r, line)
		}
		for x := range w {
			blurLine(img.Pix[x*4:], img.Stride, h, r, line)
		}
	}
}

// blurLine box-filters n RGBA pixels that are step bytes apart, using a running sum.
func blurLine(p []byte, step, n, r int, tmp []float64) {
	for i := range n {
		copy4(tmp[i*4:], p[i*step:])
	}
	var sum [4]float64
	at := func(i int) int { return min(max(i, 0), n-1) * 4 }
	for i := -r; i <= r; i++ {
		for c := range 4 {
			sum[c] += tmp[at(i)+c]
		}
	}
	k := float64(2*r + 1)
	for i := range n {
		for c := range 4 {
			p[i*step+c] = clamp8(sum[c] / k)
			sum[c] += tmp[at(i+r+1)+c] - tmp[at(i-r)+c]
		}
	}
}

func copy4(dst []float64, src []byte) {
	dst[0], dst[1], dst[2], dst[3] = float64(src[0]), float64(src[1]), float64(src[2]), float64(src[3])
}

// addNoise adds Gaussian sensor noise of the given sigma to every channel.
func (g *Generator) addNoise(img *image.RGBA, sigma float64) {
	if sigma <= 0 {
		return
	}
	for i := 0; i < len(img.Pix); i += 4 {
		// Luminance noise dominates on phone sensors, so most of it is shared by the channels.
		l := g.rng.NormFloat64() * sigma
		for c := range 3 {
			img.Pix[i+c] = clamp8(float64(img.Pix[i+c]) + l + (g.rng.Float64()-0.5)*sigma*0.6)
		}
	}
}

// addGlare brightens an elliptical spot around (cx, cy) towards white, as a reflection of a
// window or lamp on the dashboard glass does.
func addGlare(img *image.RGBA, cx, cy, rx, ry, strength float64) {
	b := img.Bounds()
	r := image.Rect(int(cx-rx), int(cy-ry), int(cx+rx)+1, int(cy+ry)+1).Intersect(b)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			d := dx*dx + dy*dy
			if d >= 1 {
				continue
			}
			t := strength * (1 - d) * (1 - d)
			o := img.PixOffset(x, y)
			for c := range 3 {
				img.Pix[o+c] = clamp8(float64(img.Pix[o+c])*(1-t) + 255*t)
			}
		}
	}
}

// vignette darkens the picture towards its corners, as phone lenses and dark interiors do.
func vignette(img *image.RGBA, strength float64) {
	b := img.Bounds()
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	rr := cx*cx + cy*cy
	for y := range b.Dy() {
		for x := range b.Dx() {
			dx, dy := float64(x)-cx, float64(y)-cy
			k := 1 - strength*(dx*dx+dy*dy)/rr
			o := y*img.Stride + x*4
			for c := range 3 {
				img.Pix[o+c] = clamp8(float64(img.Pix[o+c]) * k)
			}
		}
	}
}

// jpegRoundTrip encodes img as a JPEG of the given quality and decodes it again, leaving the
// block and chroma artefacts a phone upload has.
func jpegRoundTrip(img image.Image, quality int) (image.Image, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return jpeg.Decode(&buf)
}

// gammaAdjust applies an exposure change: k < 1 darkens, as a dim cabin does.
func gammaAdjust(img *image.RGBA, k, gamma float64) {
	var lut [256]uint8
	for i := range lut {
		lut[i] = clamp8(255 * k * math.Pow(float64(i)/255, gamma))
	}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = lut[img.Pix[i]], lut[img.Pix[i+1]], lut[img.Pix[i+2]]
	}
}
