package jpegdc

import (
	"image"

	"github.com/milepost/milepost/photo/internal/dct"
)

// stats turns luma blocks, given as their nonzero dequantized AC coefficients, into what a
// Picture holds. Decode feeds it the blocks of the JPEG; FromGray the blocks of pixels.
type stats struct {
	pic    *Picture
	bw     int          // blocks per row of the picture
	red    *dct.Reducer // nil unless 1 ≤ reduce ≤ 2
	lowIdx [64]int8     // natural index → index of c in red's K×K coefficients, or -1
	low    [16]float32  // the K×K coefficients of the current block
	detail bool         // reduce == 0: Grad and Lap per block
	spec   [64]float64  // Spectrum, accumulating
}

func newPicture(w, h, reduce int) *Picture {
	bw, bh := (w+7)/8, (h+7)/8
	p := &Picture{Width: w, Height: h, Reduce: reduce, DC: image.NewGray(image.Rect(0, 0, bw, bh))}
	switch {
	case reduce == 0:
		p.Grad = make([]float32, bw*bh)
		p.Lap = make([]float32, bw*bh)
	case reduce < 3:
		k := 8 >> reduce
		p.Work = image.NewGray(image.Rect(0, 0, bw*k, bh*k))
	default:
		p.Work = p.DC
	}
	return p
}

func newStats(p *Picture) *stats {
	st := &stats{pic: p, bw: p.DC.Rect.Dx(), detail: p.Reduce == 0}
	for i := range st.lowIdx {
		st.lowIdx[i] = -1
	}
	if p.Reduce == 1 || p.Reduce == 2 {
		st.red = dct.NewReducer(p.Reduce)
		k := st.red.K
		for v := range k {
			for u := range k {
				st.lowIdx[v*8+u] = int8(v*k + u)
			}
		}
	}
	return st
}

// restart forgets the luma blocks seen so far: a later scan of the luma component replaces
// them, as it would replace the pixels in a full decode.
func (st *stats) restart() {
	st.spec = [64]float64{}
	st.pic.Blocks = 0
}

// block records the luma block at bx, by of the picture, given by its DC coefficient dc
// and its nonzero AC coefficients: c[j] at natural index at[j] (orthonormal, dequantized).
func (st *stats) block(bx, by int, dc float32, at []uint8, c []float32) {
	var grad, lap float32
	for j, z := range at {
		z &= 63
		e := c[j] * c[j]
		st.spec[z] += float64(e)
		grad += e * dct.GradWeight[z]
		lap += e * dct.LapWeight[z]
		if li := st.lowIdx[z]; li >= 0 {
			st.low[li] = c[j]
		}
	}
	st.lumaBlock(bx, by, dc, grad, lap)
}

// lumaBlock records the mean, the energies and the reduced pixels of the luma block at bx, by,
// whose DC coefficient is dc and whose low AC coefficients are in st.low, and clears st.low.
func (st *stats) lumaBlock(bx, by int, dc, grad, lap float32) {
	i := by*st.bw + bx
	st.pic.DC.Pix[i] = uint8(min(max(dc/8+128.5, 0), 255))
	st.pic.Blocks++
	if st.detail {
		st.pic.Grad[i], st.pic.Lap[i] = grad, lap
	}
	if st.red == nil {
		return
	}
	k := st.red.K
	st.low[0] = dc
	w := st.pic.Work
	st.red.Reduce(&st.low, w.Pix[by*k*w.Stride+bx*k:], w.Stride)
	clear(st.low[:k*k])
}

// finish stores the spectrum summed so far.
func (st *stats) finish() {
	st.pic.Spectrum = st.spec
}
