package jpegdc

import "encoding/binary"

// bitReader reads the entropy-coded data of a scan, most significant bit first, 64 bits at a
// time.
//
// It never reads past a marker: at a marker (0xFF then anything but 0x00) or at the end of the
// data it appends zero bits instead, counting them in pad. A decode that consumed any of them
// (n < pad) needed data that is not there, which image/jpeg reports as "short Huffman data" or
// "missing 0xff00 sequence"; the scan checks this at every restart, every MCU row and at its
// end, so it refuses exactly what image/jpeg refuses, a little later.
type bitReader struct {
	data []byte
	pos  int // the next byte of data to load into acc

	// acc holds n bits, left-aligned. The bits below them are either zero or the first bits
	// of data[pos] (see fill), which the next fill writes again in the same place.
	acc uint64
	n   uint
	pad uint // zero bits at the end of the n, appended after a marker or the end of data
	end bool // pos is at a marker or at the end of data
}

func (b *bitReader) reset(data []byte, pos int) {
	*b = bitReader{data: data, pos: pos}
}

// hasFF reports whether any byte of x is 0xFF: it finds a zero byte in ^x.
func hasFF(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	return (^x-lo)&x&hi != 0
}

// fill tops acc up to at least 56 bits. When the next eight bytes hold no 0xFF (no stuffing,
// no marker), it loads them in one go, keeping the whole bytes that fit (the branch-free
// refill of F. Giesen, "Reading bits in far too many ways", 2018); the bits of the partly
// loaded next byte stay below n and are written again, identically, by the next fill.
func (b *bitReader) fill() {
	if !b.end && b.pos+8 <= len(b.data) {
		if x := binary.BigEndian.Uint64(b.data[b.pos:]); !hasFF(x) {
			b.acc |= x >> b.n
			b.pos += int((63 - b.n) >> 3)
			b.n |= 56
			return
		}
	}
	b.fillSlow()
}

// fillSlow loads byte by byte, undoing the 0xFF 0x00 stuffing and stopping at a marker.
func (b *bitReader) fillSlow() {
	for b.n <= 56 {
		if !b.end && b.pos < len(b.data) {
			c := b.data[b.pos]
			if c != 0xff {
				b.acc |= uint64(c) << (56 - b.n)
				b.n += 8
				b.pos++
				continue
			}
			if b.pos+1 < len(b.data) && b.data[b.pos+1] == 0x00 {
				b.acc |= 0xff << (56 - b.n)
				b.n += 8
				b.pos += 2
				continue
			}
		}
		b.end = true
		b.n += 8
		b.pad += 8
	}
}

// short reports whether the decode consumed bits that the data does not have.
func (b *bitReader) short() bool { return b.n < b.pad }

// take consumes and returns the next k bits, k ≤ 16; the caller has made sure n ≥ k.
func (b *bitReader) take(k uint) uint32 {
	if k == 0 {
		return 0
	}
	v := uint32(b.acc >> (64 - k))
	b.acc <<= k
	b.n -= k
	return v
}

// symbol decodes the next Huffman symbol with h, as image/jpeg's decodeHuffman does, and
// returns it with the length of its code, which it does not consume. The caller has made sure
// n ≥ 16.
func (b *bitReader) symbol(h *huffman, ac bool) (sym uint8, length uint, err error) {
	if h.nCodes == 0 {
		return 0, 0, FormatError("uninitialized Huffman table")
	}
	e := h.lut[b.acc>>(64-lutBits)]
	nb := uint(e & 63)
	switch {
	case nb == 0:
		// A code longer than lutBits, a DC size over 15, or no code at all.
		code := int32(0)
		for i := range maxCodeLength {
			code = code<<1 | int32(b.acc>>(63-i)&1)
			if code <= h.maxCodes[i] {
				return h.vals[h.valsIndices[i]+code-h.minCodes[i]], uint(i + 1), nil
			}
		}
		return 0, 0, FormatError("bad Huffman code")
	case e&(entFast|entExtra) == 0: // EOB or EOBn
		return uint8(e>>8&15) << 4, nb, nil
	}
	size := e >> 12 & 15
	if e&entFast != 0 {
		nb -= uint(size)
	}
	if !ac {
		return uint8(size), nb, nil
	}
	return uint8(e>>8&15)<<4 | uint8(size), nb, nil
}
