package photo

import (
	"image"
	"image/color"
	"testing"
)

// TestLuma checks every path of luma against color.GrayModel.
func TestLuma(t *testing.T) {
	src := testImage(13, 7)
	b := image.Rect(2, 3, 15, 10) // not at the origin
	rgba := image.NewRGBA(b)
	nrgba := image.NewNRGBA(b)
	rgba64 := image.NewRGBA64(b)
	gray := image.NewGray(b)
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio444)
	pal := image.NewPaletted(b, color.Palette{color.Black, color.White, color.RGBA{200, 30, 90, 255}})
	cmyk := image.NewCMYK(b)
	for y := range 7 {
		for x := range 13 {
			c := src.RGBAAt(x, y)
			p := image.Pt(b.Min.X+x, b.Min.Y+y)
			rgba.SetRGBA(p.X, p.Y, c)
			nrgba.Set(p.X, p.Y, c)
			rgba64.Set(p.X, p.Y, c)
			gray.Set(p.X, p.Y, c)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			ycc.Y[ycc.YOffset(p.X, p.Y)], ycc.Cb[ycc.COffset(p.X, p.Y)], ycc.Cr[ycc.COffset(p.X, p.Y)] = yy, cb, cr
			pal.Set(p.X, p.Y, c)
			cmyk.Set(p.X, p.Y, c)
		}
	}
	for _, img := range []image.Image{rgba, nrgba, rgba64, gray, ycc, pal, cmyk} {
		got := luma(img)
		if got.Rect != image.Rect(0, 0, 13, 7) {
			t.Fatalf("%T: rect %v", img, got.Rect)
		}
		for y := range 7 {
			for x := range 13 {
				want := color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
				if _, ok := img.(*image.YCbCr); ok {
					want = ycc.Y[ycc.YOffset(b.Min.X+x, b.Min.Y+y)] // the Y plane itself
				}
				if d := int(got.Pix[y*got.Stride+x]) - int(want); d > 1 || d < -1 {
					t.Errorf("%T at %d,%d: %d, want %d", img, x, y, got.Pix[y*got.Stride+x], want)
				}
			}
		}
	}
}
