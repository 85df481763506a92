package jpegdc

import (
	"errors"
	"image"

	"github.com/milepost/milepost/photo/internal/dct"
)

// FromGray returns the Picture that Decode would return for a JPEG holding the luma plane g
// without loss (g's origin is ignored): it cuts g into 8×8 blocks, repeating the last row and
// column into the padding as JPEG encoders do, and transforms each with the forward DCT.
func FromGray(g *image.Gray, reduce int) (*Picture, error) {
	if reduce < 0 || reduce > 3 {
		return nil, errors.New("jpegdc: reduce must be 0 to 3")
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, errors.New("jpegdc: empty picture")
	}
	p := newPicture(w, h, reduce)
	st := newStats(p)
	var (
		b  [64]int32
		at [63]uint8
		c  [63]float32
	)
	for by := range p.DC.Rect.Dy() {
		for bx := range p.DC.Rect.Dx() {
			loadBlock(g, bx, by, &b)
			dct.FDCT(&b)
			n := 0
			for i := 1; i < 64; i++ {
				if b[i] != 0 {
					at[n], c[n] = uint8(i), float32(b[i])/8
					n++
				}
			}
			st.block(bx, by, float32(b[0])/8, at[:n], c[:n])
		}
	}
	st.finish()
	return p, nil
}

// BlockEnergies returns what FromGray(g, 0) returns as Grad and Lap, and only that: the
// gradient and Laplacian energies of each 8×8 block of g, row by row.
func BlockEnergies(g *image.Gray) (grad, lap []float32) {
	bw, bh := (g.Rect.Dx()+7)/8, (g.Rect.Dy()+7)/8
	grad, lap = make([]float32, bw*bh), make([]float32, bw*bh)
	var b [64]int32
	for by := range bh {
		for bx := range bw {
			loadBlock(g, bx, by, &b)
			dct.FDCT(&b)
			var gs, ls float32
			for i := 1; i < 64; i++ {
				if b[i] != 0 {
					c := float32(b[i]) / 8
					gs += c * c * dct.GradWeight[i]
					ls += c * c * dct.LapWeight[i]
				}
			}
			grad[by*bw+bx], lap[by*bw+bx] = gs, ls
		}
	}
	return grad, lap
}

// loadBlock copies the 8×8 block at bx, by of g into b, repeating the last row and column of
// g into the padding.
func loadBlock(g *image.Gray, bx, by int, b *[64]int32) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	pix := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y):]
	x0 := bx * 8
	for y := range 8 {
		row := pix[min(by*8+y, h-1)*g.Stride:]
		dst := b[y*8 : y*8+8 : y*8+8]
		if x0+8 <= w {
			for x, v := range row[x0 : x0+8 : x0+8] {
				dst[x] = int32(v)
			}
			continue
		}
		for x := range dst {
			dst[x] = int32(row[min(x0+x, w-1)])
		}
	}
}
