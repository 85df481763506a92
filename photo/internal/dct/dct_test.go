package dct

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveDCT is the orthonormal 2D DCT-II of the samples f (row-major), after the level shift.
func naiveDCT(f *[64]float64) (c [64]float64) {
	for v := range 8 {
		for u := range 8 {
			var s float64
			for y := range 8 {
				for x := range 8 {
					s += (f[y*8+x] - 128) * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			c[v*8+u] = s * alpha(u, 8) * alpha(v, 8)
		}
	}
	return c
}

// alpha is the orthonormal DCT-II scale of frequency u over n points.
func alpha(u, n int) float64 {
	if u == 0 {
		return math.Sqrt(1 / float64(n))
	}
	return math.Sqrt(2 / float64(n))
}

// blocks are test blocks: random, smooth, an edge, flat and the extremes.
func blocks() [][64]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	var out [][64]float64
	for i := range 20 {
		var b [64]float64
		for j := range b {
			x, y := float64(j%8), float64(j/8)
			switch i % 5 {
			case 0:
				b[j] = float64(rng.IntN(256))
			case 1:
				b[j] = math.Round(128 + 100*math.Sin(x/3+y/5+float64(i)))
			case 2:
				b[j] = 30
				if x+y/2 > 4 {
					b[j] = 220
				}
			case 3:
				b[j] = float64(i * 12)
			default:
				b[j] = float64(255 * ((j + i) % 2))
			}
		}
		out = append(out, b)
	}
	return out
}

func TestFDCT(t *testing.T) {
	for i, f := range blocks() {
		var b [64]int32
		for j, v := range f {
			b[j] = int32(v)
		}
		FDCT(&b)
		want := naiveDCT(&f)
		for j := range b {
			if d := math.Abs(float64(b[j]) - 8*want[j]); d > 1 {
				t.Errorf("block %d coefficient %d: FDCT %d, want %.2f (8 × %.3f)", i, j, b[j], 8*want[j], want[j])
			}
		}
	}
}

// TestWeights checks Parseval: the weighted squared coefficients are the block's gradient and
// Laplacian energies computed from its pixels.
func TestWeights(t *testing.T) {
	for i, f := range blocks() {
		c := naiveDCT(&f)
		var grad, lap float64
		for j := range c {
			grad += c[j] * c[j] * float64(GradWeight[j])
			lap += c[j] * c[j] * float64(LapWeight[j])
		}
		at := func(x, y int) float64 { // mirrored at the block's edges
			return f[min(max(y, 0), 7)*8+min(max(x, 0), 7)]
		}
		var wantGrad, wantLap float64
		for y := range 8 {
			for x := range 8 {
				if x < 7 {
					d := at(x+1, y) - at(x, y)
					wantGrad += d * d
				}
				if y < 7 {
					d := at(x, y+1) - at(x, y)
					wantGrad += d * d
				}
				l := at(x-1, y) + at(x+1, y) + at(x, y-1) + at(x, y+1) - 4*at(x, y)
				wantLap += l * l
			}
		}
		if math.Abs(grad-wantGrad) > 1e-4*wantGrad+1e-6 || math.Abs(lap-wantLap) > 1e-4*wantLap+1e-6 {
			t.Errorf("block %d: Σ c²·GradWeight %.3f, Σ c²·LapWeight %.3f; from pixels %.3f, %.3f", i, grad, lap, wantGrad, wantLap)
		}
	}
}

func TestReducer(t *testing.T) {
	for shift := 1; shift <= 3; shift++ {
		r := NewReducer(shift)
		k := r.K
		for i, f := range blocks() {
			c := naiveDCT(&f)
			var low [16]float32
			for v := range k {
				for u := range k {
					low[v*k+u] = float32(c[v*8+u])
				}
			}
			got := make([]uint8, k*k)
			r.Reduce(&low, got, k)
			for y := range k {
				for x := range k {
					// The block's content at the centre of the pixels (x, y) stands for,
					// limited to the K lowest frequencies of each axis.
					want := 128.0
					for v := range k {
						for u := range k {
							want += float64(k) / 8 * c[v*8+u] * alpha(u, k) * alpha(v, k) *
								math.Cos(float64(2*x+1)*float64(u)*math.Pi/float64(2*k)) *
								math.Cos(float64(2*y+1)*float64(v)*math.Pi/float64(2*k))
						}
					}
					want = min(max(want, 0), 255)
					if d := math.Abs(float64(got[y*k+x]) - want); d > 0.51 {
						t.Errorf("K %d block %d pixel %d,%d: %d, want %.2f", k, i, x, y, got[y*k+x], want)
					}
				}
			}
			if k == 1 {
				mean := 0.0
				for _, v := range f {
					mean += v / 64
				}
				if d := math.Abs(float64(got[0]) - mean); d > 0.51 {
					t.Errorf("K 1 block %d: %d, want the mean %.2f", i, got[0], mean)
				}
			}
		}
	}
}
