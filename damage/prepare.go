package damage

import (
	"image"

	"golang.org/x/image/draw"
)

// CompareSide is the long side, in pixels, Compare's defaults were calibrated at.
const CompareSide = 500

// Reduce converts img to grayscale and scales it so that its long side is at most longSide
// (CompareSide when longSide ≤ 0), keeping its aspect ratio; it never enlarges. img must
// already be upright: apply the EXIF orientation first.
func Reduce(img image.Image, longSide int) *image.Gray {
	if longSide <= 0 {
		longSide = CompareSide
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if m := max(w, h); m > longSide {
		w, h = max(1, w*longSide/m), max(1, h*longSide/m)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	// Area averaging (CatmullRom's support grows with the reduction) keeps fine texture from
	// aliasing into patterns that differ between two shots.
	draw.CatmullRom.Scale(out, out.Bounds(), img, b, draw.Src, nil)
	return out
}
