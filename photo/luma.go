package photo

import (
	"image"
	"image/color"
)

// luma returns the luma plane of img (JPEG's Y = 0.299 R + 0.587 G + 0.114 B, with
// color.GrayModel's weights), with its origin moved to 0,0. YCbCr pictures lend their Y
// plane without copying; others are converted, with fast paths for the types Go's decoders
// return.
func luma(img image.Image) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		return &image.Gray{Pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], Stride: m.Stride, Rect: image.Rect(0, 0, w, h)}
	case *image.YCbCr:
		return &image.Gray{Pix: m.Y[m.YOffset(b.Min.X, b.Min.Y):], Stride: m.YStride, Rect: image.Rect(0, 0, w, h)}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	switch m := img.(type) {
	case *image.RGBA:
		// Premultiplied like color.GrayModel's input: transparent pixels are black.
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := out.Pix[y*out.Stride : y*out.Stride+w]
			for x := range dst {
				p := row[4*x : 4*x+3 : 4*x+3]
				dst[x] = y8(uint32(p[0]), uint32(p[1]), uint32(p[2]))
			}
		}
	case *image.NRGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := out.Pix[y*out.Stride : y*out.Stride+w]
			for x := range dst {
				p := row[4*x : 4*x+4 : 4*x+4]
				a := uint32(p[3])
				dst[x] = y8(uint32(p[0])*a/255, uint32(p[1])*a/255, uint32(p[2])*a/255)
			}
		}
	case image.RGBA64Image: // 16-bit and paletted PNGs, and others of the standard library
		for y := range h {
			dst := out.Pix[y*out.Stride : y*out.Stride+w]
			for x := range dst {
				c := m.RGBA64At(b.Min.X+x, b.Min.Y+y)
				dst[x] = uint8((19595*uint32(c.R) + 38470*uint32(c.G) + 7471*uint32(c.B) + 1<<15) >> 24)
			}
		}
	default:
		for y := range h {
			dst := out.Pix[y*out.Stride : y*out.Stride+w]
			for x := range dst {
				dst[x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	return out
}

// y8 is color.GrayModel's luma of an 8-bit colour.
func y8(r, g, b uint32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
}
