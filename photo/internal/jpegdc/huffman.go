// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// processDHT and the canonical decoding data are forked from Go's src/image/jpeg/huffman.go
// (Go 1.26); the wide look-up tables are this package's own.

package jpegdc

// maxCodeLength is the maximum (inclusive) number of bits in a Huffman code.
const maxCodeLength = 16

// maxNCodes is the maximum (inclusive) number of codes in a Huffman tree.
const maxNCodes = 256

// lutBits is the width of the look-up tables: most codes with their extra bits fit, so one
// look-up decodes a whole coefficient (see lut).
const lutBits = 11

// A look-up entry describes what the next lutBits bits of the stream start with:
//
//	bits 0-5   how many bits to consume: the code, plus its extra bits when entFast;
//	           0 when the code is longer than lutBits or invalid (decode bit by bit)
//	bit 6      entFast: a coefficient (or a ZRL) whose extra bits fit: the value is known
//	bit 7      entExtra: a coefficient whose extra bits must be read separately
//	bits 8-11  run of zeros before the coefficient (AC; 15 for ZRL), or n of an EOBn
//	bits 12-15 size: the number of extra bits
//	bits 16-31 the coefficient's value, sign-extended, when entFast
//
// An entry with a length and neither flag is an AC end of block (EOB or EOBn). A table never
// defined is all zeros, so every look-up takes the slow path, which reports it.
const (
	entFast  = 1 << 6
	entExtra = 1 << 7
)

// huffman is a Huffman decoder, specified in section C.
type huffman struct {
	// nCodes is the number of codes in the tree; 0 for a table never defined.
	nCodes int32
	// vals are the decoded values, sorted by their encoding.
	vals [maxNCodes]uint8
	// minCodes[i] and maxCodes[i] are the minimum and maximum codes of length i+1, or -1
	// if there are no codes of that length; valsIndices[i] is the index into vals of
	// minCodes[i].
	minCodes    [maxCodeLength]int32
	maxCodes    [maxCodeLength]int32
	valsIndices [maxCodeLength]int32
	// lut decodes the symbol, and usually the value, in one look-up.
	lut [1 << lutBits]uint32
}

// processDHT processes a Define Huffman Table marker, and initializes a huffman
// struct from its contents. Specified in section B.2.4.2.
func (d *decoder) processDHT(n int) error {
	for n > 0 {
		if n < 17 {
			return FormatError("DHT has wrong length")
		}
		tmp, err := d.next(17)
		if err != nil {
			return err
		}
		tc := tmp[0] >> 4
		if tc > maxTc {
			return FormatError("bad Tc value")
		}
		th := tmp[0] & 0x0f
		// The baseline th <= 1 restriction is specified in table B.5.
		if th > maxTh || (d.baseline && th > 1) {
			return FormatError("bad Th value")
		}
		h := &d.huff[tc][th]

		// nCodes[i] is the number of codes with code length i+1.
		h.nCodes = 0
		var nCodes [maxCodeLength]int32
		for i := range nCodes {
			nCodes[i] = int32(tmp[i+1])
			h.nCodes += nCodes[i]
		}
		if h.nCodes == 0 {
			return FormatError("Huffman table has zero length")
		}
		if h.nCodes > maxNCodes {
			return FormatError("Huffman table has excessive length")
		}
		n -= int(h.nCodes) + 17
		if n < 0 {
			return FormatError("DHT has wrong length")
		}
		vals, err := d.next(int(h.nCodes))
		if err != nil {
			return err
		}
		copy(h.vals[:], vals)

		// Derive minCodes, maxCodes, and valsIndices.
		var c, index int32
		for i, n := range nCodes {
			if n == 0 {
				h.minCodes[i] = -1
				h.maxCodes[i] = -1
				h.valsIndices[i] = -1
			} else {
				h.minCodes[i] = c
				h.maxCodes[i] = c + n - 1
				h.valsIndices[i] = index
				c += n
				index += n
			}
			c <<= 1
		}
		// An over-subscribed table (more codes than lengths allow) decodes differently in
		// image/jpeg's look-up table and in its bit-by-bit path; leave it to image/jpeg.
		var kraft int64
		for i, n := range nCodes {
			kraft += int64(n) << (maxCodeLength - 1 - i)
		}
		if kraft > 1<<maxCodeLength {
			return ErrUnsupported
		}
		h.buildLUT(tc == acTable)
	}
	return nil
}

// buildLUT fills h.lut from the canonical codes; prefixes of longer codes, and prefixes of no
// code, are left zero.
func (h *huffman) buildLUT(ac bool) {
	clear(h.lut[:])
	for i := range lutBits {
		length := i + 1
		if h.maxCodes[i] < 0 {
			continue
		}
		for code := h.minCodes[i]; code <= h.maxCodes[i]; code++ {
			sym := h.vals[h.valsIndices[i]+code-h.minCodes[i]]
			span := 1 << (lutBits - length)
			first := int(code) << (lutBits - length)
			for p := first; p < first+span; p++ {
				h.lut[p] = entry(sym, ac, length, p)
			}
		}
	}
}

// entry is the look-up entry for symbol sym, whose code has length bits, when the next
// lutBits bits of the stream are p.
func entry(sym uint8, ac bool, length, p int) uint32 {
	run, size := int(sym>>4), int(sym&15)
	if !ac {
		if sym > 15 {
			return 0 // image/jpeg's "excessive DC component", or a 16-bit DC: the slow path
		}
		run, size = 0, int(sym)
	} else if size == 0 && run != 15 {
		return uint32(run)<<8 | uint32(length) // EOB or EOBn
	}
	e := uint32(run)<<8 | uint32(size)<<12
	if length+size > lutBits {
		return e | entExtra | uint32(length)
	}
	x := int32(p>>(lutBits-length-size)) & (1<<size - 1)
	return e | entFast | uint32(extend(x, uint(size)))<<16 | uint32(length+size)
}

// extend turns the size low bits x of a coefficient into its value (section F.2.2.1).
func extend(x int32, size uint) int32 {
	if size == 0 {
		return 0
	}
	if x < 1<<(size-1) {
		x += -1<<size + 1
	}
	return x
}
