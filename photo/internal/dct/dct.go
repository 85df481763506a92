// Package dct holds the 8×8 DCT arithmetic shared by the JPEG reduced-size decoder and the
// photo analysis of decoded pixels: a forward DCT, the weights that turn a block's
// coefficients into its gradient and Laplacian energies, and the scaled inverse DCT that
// reduces a block to 4×4, 2×2 or 1×1 pixels.
package dct

import "math"

// GradWeight[v*8+u] is λu+λv and LapWeight its square, where λk = 4 sin²(πk/16) is the
// eigenvalue of the 8-point DCT-II basis vector k under the second difference with mirrored
// ends. The DCT of JPEG is orthonormal, so for a block with coefficients c(u,v) (natural
// order) Σ c²·GradWeight is the sum of the block's squared horizontal and vertical first
// differences (7 per row and per column) and Σ c²·LapWeight the sum of its squared 5-point
// Laplacian, both computed inside the block with its edges mirrored.
var GradWeight, LapWeight = weights()

func weights() (g, l [64]float32) {
	var lambda [8]float64
	for k := range lambda {
		lambda[k] = 2 - 2*math.Cos(math.Pi*float64(k)/8)
	}
	for v := range 8 {
		for u := range 8 {
			w := lambda[u] + lambda[v]
			g[v*8+u], l[v*8+u] = float32(w), float32(w*w)
		}
	}
	return g, l
}

// A Reducer turns the low K×K coefficients of an 8×8 block into K×K pixels, K = 8>>shift:
// the K-point inverse DCT scaled by K/8, as libjpeg's scaled decoding does. Each pixel is the
// block's content at the centre of the 8/K × 8/K pixels it stands for, without their
// finer detail; K = 1 is the block's mean.
type Reducer struct {
	K int
	m [4][4]float32 // m[x][u]: the weight of coefficient u in pixel x, along one axis
	s [16]float32   // K = 4: the scale of coefficient (u, v), m's without the cosines
}

// NewReducer returns the Reducer to 8>>shift pixels a side, shift 1 to 3.
func NewReducer(shift int) *Reducer {
	r := &Reducer{K: 8 >> shift}
	scale := func(u int) float64 {
		a := math.Sqrt(2 / float64(r.K))
		if u == 0 {
			a = math.Sqrt(1 / float64(r.K))
		}
		return math.Sqrt(float64(r.K)/8) * a
	}
	for x := range r.K {
		for u := range r.K {
			r.m[x][u] = float32(scale(u) * math.Cos(float64(2*x+1)*float64(u)*math.Pi/float64(2*r.K)))
		}
	}
	if r.K == 4 {
		for v := range 4 {
			for u := range 4 {
				r.s[v*4+u] = float32(scale(u) * scale(v))
			}
		}
	}
	return r
}

// Reduce writes the K×K pixels of a block whose low coefficients, c[v*K+u] for u, v < K (the
// orthonormal values without the level shift), are given, to dst with the given stride.
func (r *Reducer) Reduce(c *[16]float32, dst []uint8, stride int) {
	switch r.K {
	case 1:
		dst[0] = pixel(c[0] * r.m[0][0] * r.m[0][0])
	case 2:
		// A 2×2 block: the mean, plus or minus the horizontal, vertical and diagonal terms.
		m := &r.m
		a := c[0] * m[0][0] * m[0][0]
		h := c[1] * m[0][0] * m[0][1]
		v := c[2] * m[0][0] * m[0][1]
		d := c[3] * m[0][1] * m[0][1]
		dst[0], dst[1] = pixel(a+h+v+d), pixel(a-h+v-d)
		dst[stride], dst[stride+1] = pixel(a+h-v-d), pixel(a-h-v+d)
	case 4:
		r.reduce4(c, dst, stride)
	default:
		r.reduce(c, dst, stride)
	}
}

// The cosines of the 4-point inverse DCT.
var (
	icos1 = float32(math.Cos(math.Pi / 8))
	icos2 = float32(math.Cos(2 * math.Pi / 8))
	icos3 = float32(math.Cos(3 * math.Pi / 8))
)

// idct4 is the 4-point inverse DCT of d, without its scale factors, by even and odd parts.
func idct4(d0, d1, d2, d3 float32) (x0, x1, x2, x3 float32) {
	e0, e1 := d0+icos2*d2, d0-icos2*d2
	o0, o1 := icos1*d1+icos3*d3, icos3*d1-icos1*d3
	return e0 + o0, e1 + o1, e1 - o1, e0 - o0
}

// reduce4 is Reduce for K = 4: rows, then columns, of 4-point inverse DCTs.
func (r *Reducer) reduce4(c *[16]float32, dst []uint8, stride int) {
	var t [16]float32 // t[v*4+x]: the rows transformed
	for v := range 4 {
		row := c[v*4 : v*4+4 : v*4+4]
		if row[0] == 0 && row[1] == 0 && row[2] == 0 && row[3] == 0 {
			continue // most high rows of a photo's block are empty
		}
		s := r.s[v*4 : v*4+4 : v*4+4]
		t[v*4], t[v*4+1], t[v*4+2], t[v*4+3] = idct4(row[0]*s[0], row[1]*s[1], row[2]*s[2], row[3]*s[3])
	}
	for x := range 4 {
		p0, p1, p2, p3 := idct4(t[x], t[4+x], t[8+x], t[12+x])
		dst[x], dst[stride+x], dst[2*stride+x], dst[3*stride+x] = pixel(p0), pixel(p1), pixel(p2), pixel(p3)
	}
}

// reduce is Reduce for any K, separably.
func (r *Reducer) reduce(c *[16]float32, dst []uint8, stride int) {
	k := r.K
	var t [16]float32 // t[v*K+x]: the rows transformed
	for v := range k {
		for x := range k {
			var s float32
			for u := range k {
				s += r.m[x][u] * c[v*k+u]
			}
			t[v*k+x] = s
		}
	}
	for y := range k {
		row := dst[y*stride : y*stride+k]
		for x := range row {
			var s float32
			for v := range k {
				s += r.m[y][v] * t[v*k+x]
			}
			row[x] = pixel(s)
		}
	}
}

// pixel adds the level shift to v and rounds it to a pixel value.
func pixel(v float32) uint8 {
	return uint8(min(max(v+128.5, 0), 255))
}
