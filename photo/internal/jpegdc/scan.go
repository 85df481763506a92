// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// processSOS and findRST are forked from Go's src/image/jpeg/scan.go (Go 1.26), keeping its
// block order, restart handling and error cases for sequential scans; the block decoding is
// this package's own.

package jpegdc

import (
	"encoding/binary"

	"github.com/milepost/milepost/photo/internal/dct"
)

// Specified in section B.2.3.
func (d *decoder) processSOS(n int) error {
	if d.nComp == 0 {
		return FormatError("missing SOF marker")
	}
	if n < 6 || 4+2*d.nComp < n || n%2 != 0 {
		return FormatError("SOS has wrong length")
	}
	tmp, err := d.next(n)
	if err != nil {
		return err
	}
	nComp := int(tmp[0])
	if n != 4+2*nComp {
		return FormatError("SOS length inconsistent with number of components")
	}
	var scan [maxComponents]struct {
		compIndex uint8
		td        uint8 // DC table selector.
		ta        uint8 // AC table selector.
	}
	totalHV := 0
	for i := 0; i < nComp; i++ {
		cs := tmp[1+2*i] // Component selector.
		compIndex := -1
		for j, comp := range d.comp[:d.nComp] {
			if cs == comp.c {
				compIndex = j
			}
		}
		if compIndex < 0 {
			return FormatError("unknown component selector")
		}
		scan[i].compIndex = uint8(compIndex)
		for j := 0; j < i; j++ {
			if scan[i].compIndex == scan[j].compIndex {
				return FormatError("repeated component selector")
			}
		}
		totalHV += d.comp[compIndex].h * d.comp[compIndex].v

		// The baseline t <= 1 restriction is specified in table B.3.
		scan[i].td = tmp[2+2*i] >> 4
		if t := scan[i].td; t > maxTh || (d.baseline && t > 1) {
			return FormatError("bad Td value")
		}
		scan[i].ta = tmp[2+2*i] & 0x0f
		if t := scan[i].ta; t > maxTh || (d.baseline && t > 1) {
			return FormatError("bad Ta value")
		}
	}
	// Section B.2.3 states that if there is more than one component then the
	// total H*V values in a scan must be <= 10.
	if d.nComp > 1 && totalHV > 10 {
		return FormatError("total sampling factors too large")
	}
	// Sequential scans ignore the spectral selection and successive approximation bytes,
	// as image/jpeg does.

	// mxx and myy are the number of MCUs (Minimum Coded Units) in the image.
	h0, v0 := d.comp[0].h, d.comp[0].v // The h and v values from the Y components.
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	myy := (d.height + 8*v0 - 1) / (8 * v0)
	if d.pic == nil {
		d.pic = newPicture(d.width, d.height, d.reduce)
		d.st = newStats(d.pic)
	}

	var lumaQ *[blockSize]int32
	for i := range nComp {
		if scan[i].compIndex == 0 {
			d.st.restart()
			lumaQ = &d.quant[d.comp[0].tq]
		}
	}
	s := newScanner(d.st, lumaQ)
	s.eobRun = d.eobRun
	s.br.reset(d.data, d.pos)
	bw, bh := d.pic.DC.Rect.Dx(), d.pic.DC.Rect.Dy()

	mcu, expectedRST := 0, uint8(rst0Marker)
	var (
		// bx and by are the location of the current block, in units of 8x8
		// blocks: the third block in the first row has (bx, by) = (2, 0).
		bx, by     int
		blockCount int
	)
	for my := 0; my < myy; my++ {
		for mx := 0; mx < mxx; mx++ {
			for i := 0; i < nComp; i++ {
				compIndex := scan[i].compIndex
				hi := d.comp[compIndex].h
				vi := d.comp[compIndex].v
				dcH, acH := &d.huff[dcTable][scan[i].td], &d.huff[acTable][scan[i].ta]
				for j := 0; j < hi*vi; j++ {
					// Interleaved scans visit the blocks one MCU at a time;
					// non-interleaved ones left to right, top to bottom, skipping the
					// blocks outside the picture (see image/jpeg's comment).
					if nComp != 1 {
						bx = hi*mx + j%hi
						by = vi*my + j/hi
					} else {
						q := mxx * hi
						bx = blockCount % q
						by = blockCount / q
						blockCount++
						if bx*8 >= d.width || by*8 >= d.height {
							continue
						}
					}
					if compIndex == 0 && bx < bw && by < bh {
						err = s.lumaBlock(dcH, acH, bx, by)
					} else {
						err = s.block(dcH, acH, compIndex)
					}
					if err != nil {
						return err
					}
				} // for j
			} // for i
			mcu++
			if d.ri > 0 && mcu%d.ri == 0 && mcu < mxx*myy {
				if s.br.short() {
					return errShortHuffmanData
				}
				// For well-formed input, the RST[0-7] restart marker follows
				// immediately. For corrupt input, call findRST to try to
				// resynchronize.
				d.pos = s.br.pos
				if err := d.findRST(expectedRST); err != nil {
					return err
				}
				expectedRST++
				if expectedRST == rst7Marker+1 {
					expectedRST = rst0Marker
				}
				// Reset the Huffman decoder, the DC predictors (section F.2.1.3.1)
				// and the end-of-band run (section G.1.2.2).
				s.br.reset(d.data, d.pos)
				s.dc = [maxComponents]int32{}
				s.eobRun = 0
			}
		} // for mx
		if s.br.short() {
			return errShortHuffmanData
		}
	} // for my
	if s.br.short() {
		return errShortHuffmanData
	}
	d.pos = s.br.pos
	d.eobRun = s.eobRun
	if lumaQ != nil {
		s.finish()
		d.st.finish()
	}
	return nil
}

// errShortHuffmanData means that the data of a scan ended, at a marker or at the end of the
// file, before all of its blocks were decoded.
var errShortHuffmanData = FormatError("short Huffman data")

// findRST advances past the next RST restart marker that matches expectedRST. Other than
// running out of data, it is an error to meet a marker other than 0x00, 0xFF or
// expectedRST after an 0xFF, as in image/jpeg.
func (d *decoder) findRST(expectedRST uint8) error {
	tmp, err := d.next(2)
	if err != nil {
		return err
	}
	t0, t1 := tmp[0], tmp[1]
	for {
		// i is how many of t0, t1 to keep: the loop advances by one or two bytes.
		i := 0
		if t0 == 0xff {
			if t1 == expectedRST {
				return nil
			} else if t1 == 0xff {
				i = 1
			} else if t1 != 0x00 {
				return FormatError("bad RST marker")
			}
		} else if t1 == 0xff {
			t0 = 0xff
			i = 1
		}
		if i == 0 {
			if t0, err = d.readByte(); err != nil {
				return err
			}
		}
		if t1, err = d.readByte(); err != nil {
			return err
		}
	}
}

// scanner decodes the blocks of one scan.
type scanner struct {
	br     bitReader
	dc     [maxComponents]int32 // DC predictors
	eobRun uint16
	st     *stats

	// For the luma component, in zig-zag order: its quantizers, the weights of a squared
	// quantized coefficient in Grad and Lap (q²·λ), and where the coefficients that Work
	// needs go in the Reducer's input (-1 for the others, all of them past lowMax).
	q           [blockSize]float32
	wGrad, wLap [blockSize]float32
	lowIdx      [blockSize]int8
	lowMax      int
	detail      bool
	sq          [blockSize]int64 // Σ of squared quantized coefficients, for Spectrum
}

// newScanner prepares the decoding of a scan whose luma quantization table is q (zig-zag
// order), or nil when the scan does not hold the luma component.
func newScanner(st *stats, q *[blockSize]int32) *scanner {
	s := &scanner{st: st}
	if q == nil {
		return s
	}
	s.detail = st.detail
	s.lowMax = -1
	for k, z := range unzig {
		qk := float32(q[k])
		s.q[k] = qk
		s.wGrad[k] = qk * qk * dct.GradWeight[z]
		s.wLap[k] = qk * qk * dct.LapWeight[z]
		s.lowIdx[k] = st.lowIdx[z]
		if s.lowIdx[k] >= 0 {
			s.lowMax = k
		}
	}
	return s
}

// finish adds the scan's energies to the statistics (luma scans only).
func (s *scanner) finish() {
	for k, z := range unzig[1:] {
		s.st.spec[z] += float64(s.sq[k+1]) * float64(s.q[k+1]) * float64(s.q[k+1])
	}
}

// refill is fill for the block loops, where acc and n live in registers: they go back to br
// only around this call. The loops inline fill's fast path before calling it.
func (s *scanner) refill(acc uint64, n uint) (uint64, uint) {
	b := &s.br
	if !b.end && b.pos+8 <= len(b.data) {
		if x := binary.BigEndian.Uint64(b.data[b.pos:]); !hasFF(x) {
			b.pos += int((63 - n) >> 3)
			return acc | x>>n, n | 56
		}
	}
	b.acc, b.n = acc, n
	b.fillSlow()
	return b.acc, b.n
}

// lumaBlock decodes the block at bx, by of the luma plane, inside the picture, and records
// its mean, its statistics and its pixels in Work.
func (s *scanner) lumaBlock(dcH, acH *huffman, bx, by int) error {
	acc, n := s.br.acc, s.br.n
	if n < 32 {
		acc, n = s.refill(acc, n)
	}
	var delta int32
	if e := dcH.lut[acc>>(64-lutBits)]; e&entFast != 0 {
		nb := uint(e & 63)
		acc <<= nb
		n -= nb
		delta = int32(e) >> 16
	} else {
		s.br.acc, s.br.n = acc, n
		var err error
		if delta, err = s.slowDC(dcH); err != nil {
			return err
		}
		acc, n = s.br.acc, s.br.n
	}
	s.dc[0] += delta
	st := s.st

	var grad, lap float32
	if s.eobRun > 0 {
		s.eobRun--
	} else {
		wg, wl, sq, lowIdx, low, q := &s.wGrad, &s.wLap, &s.sq, &s.lowIdx, &st.low, &s.q
		detail, lowMax := s.detail, s.lowMax
		for k := 1; k < blockSize; {
			if n < 32 {
				// fill's fast path, inlined: the branch is taken every few coefficients.
				if b := &s.br; !b.end && b.pos+8 <= len(b.data) {
					if x := binary.BigEndian.Uint64(b.data[b.pos:]); !hasFF(x) {
						acc |= x >> n
						b.pos += int((63 - n) >> 3)
						n |= 56
					} else {
						acc, n = s.refill(acc, n)
					}
				} else {
					acc, n = s.refill(acc, n)
				}
			}
			e := acH.lut[acc>>(64-lutBits)]
			var v int32
			if e&entFast != 0 {
				kk := k + int(e>>8&15)
				if kk >= blockSize {
					goto slow
				}
				nb := uint(e & 63)
				acc <<= nb
				n -= nb
				k = kk
				v = int32(e) >> 16
			} else if e&^63 == 0 && e != 0 { // EOB: the usual end of a block
				nb := uint(e)
				acc <<= nb
				n -= nb
				break
			} else {
				goto slow
			}
			// The coefficient v at zig-zag index k (0 after a ZRL, which weighs nothing).
			sq[k] += int64(v * v)
			if detail {
				f := float32(v * v)
				grad += f * wg[k]
				lap += f * wl[k]
			}
			if k <= lowMax {
				if li := lowIdx[k]; li >= 0 {
					low[li] = float32(v) * q[k]
				}
			}
			k++
			continue
		slow:
			s.br.acc, s.br.n = acc, n
			next, sv, err := s.slowAC(acH, k)
			if err != nil {
				return err
			}
			acc, n = s.br.acc, s.br.n
			if sv != 0 {
				kk := next - 1
				sq[kk] += int64(sv) * int64(sv)
				if detail {
					f := float32(sv) * float32(sv)
					grad += f * wg[kk]
					lap += f * wl[kk]
				}
				if li := lowIdx[kk]; li >= 0 {
					low[li] = float32(sv) * q[kk]
				}
			}
			k = next
		}
	}
	s.br.acc, s.br.n = acc, n
	st.lumaBlock(bx, by, float32(s.dc[0])*s.q[0], grad, lap)
	return nil
}

// block decodes a chroma block, or a luma block of the padding outside the picture, keeping
// only its DC predictor.
func (s *scanner) block(dcH, acH *huffman, comp uint8) error {
	acc, n := s.br.acc, s.br.n
	if n < 32 {
		acc, n = s.refill(acc, n)
	}
	if e := dcH.lut[acc>>(64-lutBits)]; e&entFast != 0 {
		nb := uint(e & 63)
		acc <<= nb
		n -= nb
		s.dc[comp] += int32(e) >> 16
	} else {
		s.br.acc, s.br.n = acc, n
		delta, err := s.slowDC(dcH)
		if err != nil {
			return err
		}
		s.dc[comp] += delta
		acc, n = s.br.acc, s.br.n
	}

	if s.eobRun > 0 {
		s.eobRun--
		s.br.acc, s.br.n = acc, n
		return nil
	}
	for k := 1; k < blockSize; {
		if n < 32 {
			if b := &s.br; !b.end && b.pos+8 <= len(b.data) {
				if x := binary.BigEndian.Uint64(b.data[b.pos:]); !hasFF(x) {
					acc |= x >> n
					b.pos += int((63 - n) >> 3)
					n |= 56
				} else {
					acc, n = s.refill(acc, n)
				}
			} else {
				acc, n = s.refill(acc, n)
			}
		}
		e := acH.lut[acc>>(64-lutBits)]
		if e&entFast != 0 {
			if kk := k + int(e>>8&15); kk < blockSize {
				nb := uint(e & 63)
				acc <<= nb
				n -= nb
				k = kk + 1
				continue
			}
		} else if e&^63 == 0 && e != 0 { // EOB
			nb := uint(e)
			acc <<= nb
			n -= nb
			break
		}
		s.br.acc, s.br.n = acc, n
		kk, _, err := s.slowAC(acH, k)
		if err != nil {
			return err
		}
		acc, n = s.br.acc, s.br.n
		k = kk
	}
	s.br.acc, s.br.n = acc, n
	return nil
}

// slowDC decodes a DC difference whose code or extra bits do not fit the look-up table, as
// image/jpeg does. The reader holds at least 32 bits.
func (s *scanner) slowDC(h *huffman) (int32, error) {
	sym, length, err := s.br.symbol(h, false)
	if err != nil {
		return 0, err
	}
	if sym > 16 {
		return 0, UnsupportedError("excessive DC component")
	}
	s.br.take(length)
	return extend(int32(s.br.take(uint(sym))), uint(sym)), nil
}

// slowAC decodes the AC symbol at zig-zag index k the look-up table could not, with
// image/jpeg's semantics, and returns the index to decode next (blockSize or more when the
// block is done) and the value of the coefficient at the index before it (0 when none was
// set). The reader holds at least 32 bits.
func (s *scanner) slowAC(h *huffman, k int) (int, int32, error) {
	sym, length, err := s.br.symbol(h, true)
	if err != nil {
		return 0, 0, err
	}
	s.br.take(length)
	run, size := int(sym>>4), uint(sym&15)
	if size != 0 {
		k += run
		if k >= blockSize {
			return blockSize, 0, nil // image/jpeg stops the block without reading the bits
		}
		return k + 1, extend(int32(s.br.take(size)), size), nil
	}
	if run != 0x0f {
		// An end of band. Baseline encoders write only EOB (run 0); image/jpeg reads EOBn
		// runs in any scan, and so does this.
		s.eobRun = uint16(1<<run) | uint16(s.br.take(uint(run)))
		s.eobRun--
		return blockSize, 0, nil
	}
	return k + 16, 0, nil
}
