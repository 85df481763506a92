// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// A baseline JPEG encoder for tests, with the choices image/jpeg's encoder does not offer:
// luma sampling factors, restart intervals, one scan per component, and Huffman tables whose
// codes are all longer than the decoder's look-up tables. The quantization and Huffman tables
// are those of the JPEG specification (K.1, K.3), as in Go's src/image/jpeg/writer.go.

package jpegdc

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"github.com/milepost/milepost/photo/internal/dct"
)

type encodeOptions struct {
	quality  int
	gray     bool
	h, v     int  // luma sampling factors; chroma is 1×1
	restart  int  // restart interval in MCUs; 0 for none
	separate bool // one scan per component instead of one interleaved scan
	long     bool // Huffman codes of 13 to 16 bits
}

var unscaledQuant = [2][64]byte{
	{ // Luminance, zig-zag order.
		16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
		26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
		56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
		95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
	},
	{ // Chrominance.
		17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
	},
}

type huffSpec struct {
	count [16]byte // count[i] is the number of codes of length i+1
	value []byte
}

var acValues = [2][]byte{{
	0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
	0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
	0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
	0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
	0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
	0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
	0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
	0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
	0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
	0xf9, 0xfa,
}, {
	0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
	0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
	0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
	0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
	0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
	0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
	0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
	0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
	0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
	0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
	0xf9, 0xfa,
}}

var dcValues = []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}

// huffSpecs returns the DC and AC tables of luma (0) and chroma (1).
func huffSpecs(long bool) (dc, ac [2]huffSpec) {
	if long {
		// 12 DC codes of 13 bits; 162 AC codes of 13 to 15 bits: far from complete, but
		// valid, and none fits the decoder's look-up tables.
		for i := range 2 {
			dc[i] = huffSpec{count: [16]byte{12: 12}, value: dcValues}
			ac[i] = huffSpec{count: [16]byte{12: 60, 13: 60, 14: 42}, value: acValues[i]}
		}
		return dc, ac
	}
	dc[0] = huffSpec{[16]byte{0, 1, 5, 1, 1, 1, 1, 1, 1}, dcValues}
	dc[1] = huffSpec{[16]byte{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, dcValues}
	ac[0] = huffSpec{[16]byte{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125}, acValues[0]}
	ac[1] = huffSpec{[16]byte{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119}, acValues[1]}
	return dc, ac
}

// codes maps each value of spec to its code (canonical, section C) and length.
func (spec huffSpec) codes() map[byte][2]uint32 {
	m := map[byte][2]uint32{}
	code, k := uint32(0), 0
	for i, n := range spec.count {
		for range n {
			m[spec.value[k]] = [2]uint32{code, uint32(i + 1)}
			code++
			k++
		}
		code <<= 1
	}
	return m
}

type testEncoder struct {
	buf   bytes.Buffer
	bits  uint32
	nBits uint32
}

func (e *testEncoder) emit(bits, n uint32) {
	for i := int(n) - 1; i >= 0; i-- {
		e.bits = e.bits<<1 | bits>>uint(i)&1
		e.nBits++
		if e.nBits == 8 {
			e.buf.WriteByte(byte(e.bits))
			if byte(e.bits) == 0xff {
				e.buf.WriteByte(0)
			}
			e.bits, e.nBits = 0, 0
		}
	}
}

// flush pads the last byte with 1 bits.
func (e *testEncoder) flush() {
	for e.nBits != 0 {
		e.emit(1, 1)
	}
}

func (e *testEncoder) segment(marker byte, payload []byte) {
	e.buf.Write([]byte{0xff, marker, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)})
	e.buf.Write(payload)
}

// plane is a component to encode, already subsampled.
type plane struct {
	pix        []uint8
	w, h       int
	id, hf, vf int // identifier and sampling factors
	table      int // 0 luma, 1 chroma
	dc         int32
	codesDC    map[byte][2]uint32
	codesAC    map[byte][2]uint32
	quant      [64]int32
}

func (p *plane) writeBlock(e *testEncoder, bx, by int) {
	var b [64]int32
	for y := range 8 {
		for x := range 8 {
			b[y*8+x] = int32(p.pix[min(by*8+y, p.h-1)*p.w+min(bx*8+x, p.w-1)])
		}
	}
	dct.FDCT(&b)
	var zz [64]int32
	for k, z := range unzig {
		q := 8 * p.quant[k]
		if c := b[z]; c >= 0 {
			zz[k] = (c + q/2) / q
		} else {
			zz[k] = -((-c + q/2) / q)
		}
	}
	huff := func(codes map[byte][2]uint32, sym byte) {
		c := codes[sym]
		e.emit(c[0], c[1])
	}
	value := func(v int32) (size byte, bits uint32) {
		a := v
		if a < 0 {
			a = -a
			v--
		}
		for a > 0 {
			size++
			a >>= 1
		}
		return size, uint32(v) & (1<<size - 1)
	}
	size, bits := value(zz[0] - p.dc)
	p.dc = zz[0]
	huff(p.codesDC, size)
	e.emit(bits, uint32(size))
	run := 0
	for k := 1; k < 64; k++ {
		if zz[k] == 0 {
			run++
			continue
		}
		for ; run > 15; run -= 16 {
			huff(p.codesAC, 0xf0)
		}
		size, bits := value(zz[k])
		huff(p.codesAC, byte(run<<4)|size)
		e.emit(bits, uint32(size))
		run = 0
	}
	if run > 0 {
		huff(p.codesAC, 0x00)
	}
}

// encodeTest encodes img as a baseline JPEG as o says.
func encodeTest(t testing.TB, img image.Image, o encodeOptions) []byte {
	t.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	hf, vf := max(o.h, 1), max(o.v, 1)
	if o.gray {
		hf, vf = 1, 1
	}
	quality := o.quality
	if quality == 0 {
		quality = 90
	}
	scale := 200 - quality*2
	if quality < 50 {
		scale = 5000 / quality
	}
	dcSpec, acSpec := huffSpecs(o.long)

	ys := make([]uint8, w*h)
	cb := make([]int, w*h)
	cr := make([]int, w*h)
	for y := range h {
		for x := range w {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, u, v := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			ys[y*w+x], cb[y*w+x], cr[y*w+x] = yy, int(u), int(v)
		}
	}
	planes := []*plane{{pix: ys, w: w, h: h, id: 1, hf: hf, vf: vf}}
	if !o.gray {
		cw, ch := (w+hf-1)/hf, (h+vf-1)/vf
		for i, src := range [][]int{cb, cr} {
			pix := make([]uint8, cw*ch)
			for y := range ch {
				for x := range cw {
					s, n := 0, 0
					for yy := y * vf; yy < min(y*vf+vf, h); yy++ {
						for xx := x * hf; xx < min(x*hf+hf, w); xx++ {
							s += src[yy*w+xx]
							n++
						}
					}
					pix[y*cw+x] = uint8((s + n/2) / n)
				}
			}
			planes = append(planes, &plane{pix: pix, w: cw, h: ch, id: 2 + i, hf: 1, vf: 1, table: 1})
		}
	}
	for _, p := range planes {
		p.codesDC, p.codesAC = dcSpec[p.table].codes(), acSpec[p.table].codes()
		for k := range p.quant {
			p.quant[k] = min(max((int32(unscaledQuant[p.table][k])*int32(scale)+50)/100, 1), 255)
		}
	}

	var e testEncoder
	e.buf.Write([]byte{0xff, soiMarker})
	for i := range min(len(planes), 2) {
		payload := []byte{byte(i)}
		for k := range 64 {
			payload = append(payload, byte(planes[i].quant[k]))
		}
		e.segment(dqtMarker, payload)
	}
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(len(planes))}
	for _, p := range planes {
		sof = append(sof, byte(p.id), byte(p.hf<<4|p.vf), byte(p.table))
	}
	e.segment(sof0Marker, sof)
	for i := range min(len(planes), 2) {
		for class, spec := range []huffSpec{dcSpec[i], acSpec[i]} {
			payload := append([]byte{byte(class<<4 | i)}, spec.count[:]...)
			e.segment(dhtMarker, append(payload, spec.value...))
		}
	}
	if o.restart > 0 {
		e.segment(driMarker, []byte{byte(o.restart >> 8), byte(o.restart)})
	}

	// scan writes the blocks of the given planes, one MCU at a time, with restarts.
	scan := func(ps []*plane) {
		sos := []byte{byte(len(ps))}
		for _, p := range ps {
			sos = append(sos, byte(p.id), byte(p.table<<4|p.table))
		}
		e.segment(sosMarker, append(sos, 0, 63, 0))
		var mxx, myy int
		if len(ps) == 1 { // non-interleaved: one block per MCU
			mxx, myy = (ps[0].w+7)/8, (ps[0].h+7)/8
		} else {
			mxx, myy = (w+8*hf-1)/(8*hf), (h+8*vf-1)/(8*vf)
		}
		for _, p := range ps {
			p.dc = 0
		}
		rst := 0
		for my := range myy {
			for mx := range mxx {
				if n := my*mxx + mx; o.restart > 0 && n > 0 && n%o.restart == 0 {
					e.flush()
					e.buf.Write([]byte{0xff, byte(rst0Marker + rst)})
					rst = (rst + 1) % 8
					for _, p := range ps {
						p.dc = 0
					}
				}
				for _, p := range ps {
					if len(ps) == 1 {
						p.writeBlock(&e, mx, my)
						continue
					}
					for j := range p.hf * p.vf {
						p.writeBlock(&e, mx*p.hf+j%p.hf, my*p.vf+j/p.hf)
					}
				}
			}
		}
		e.flush()
	}
	if o.separate {
		for _, p := range planes {
			scan([]*plane{p})
		}
	} else {
		scan(planes)
	}
	e.buf.Write([]byte{0xff, eoiMarker})
	return e.buf.Bytes()
}
