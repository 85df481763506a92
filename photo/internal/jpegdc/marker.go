// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Forked from Go's src/image/jpeg/reader.go (Go 1.26): the same marker parsing, on a byte
// slice instead of an io.Reader, for sequential JPEGs only.

package jpegdc

import "io"

const (
	blockSize = 64 // A DCT block is 8x8.

	dcTable = 0
	acTable = 1
	maxTc   = 1
	maxTh   = 3
	maxTq   = 3

	maxComponents = 4
)

const (
	sof0Marker  = 0xc0 // Start Of Frame (Baseline Sequential).
	sof1Marker  = 0xc1 // Start Of Frame (Extended Sequential).
	sof2Marker  = 0xc2 // Start Of Frame (Progressive).
	dhtMarker   = 0xc4 // Define Huffman Table.
	rst0Marker  = 0xd0 // ReSTart (0).
	rst7Marker  = 0xd7 // ReSTart (7).
	soiMarker   = 0xd8 // Start Of Image.
	eoiMarker   = 0xd9 // End Of Image.
	sosMarker   = 0xda // Start Of Scan.
	dqtMarker   = 0xdb // Define Quantization Table.
	driMarker   = 0xdd // Define Restart Interval.
	comMarker   = 0xfe // COMment.
	app0Marker  = 0xe0
	app14Marker = 0xee
	app15Marker = 0xef
)

const adobeTransformUnknown = 0

var errUnsupportedSubsamplingRatio = UnsupportedError("luma/chroma subsampling ratio")

// unzig maps from the zig-zag ordering to the natural ordering.
var unzig = [blockSize]int{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// Component specification, specified in section B.2.2.
type component struct {
	h  int   // Horizontal sampling factor.
	v  int   // Vertical sampling factor.
	c  uint8 // Component identifier.
	tq uint8 // Quantization table destination selector.
}

type decoder struct {
	data []byte
	pos  int // the next byte of data to read

	width, height int
	ri            int // Restart Interval.
	nComp         int

	baseline bool

	jfif                bool
	adobeTransformValid bool
	adobeTransform      uint8
	eobRun              uint16 // End-of-Band run, specified in section G.1.2.2.

	comp  [maxComponents]component
	huff  [maxTc + 1][maxTh + 1]huffman
	quant [maxTq + 1][blockSize]int32 // Quantization tables, in zig-zag order.

	reduce int      // Decode's reduce
	pic    *Picture // allocated by the first scan
	st     *stats
}

// next returns the next n bytes of data, or io.ErrUnexpectedEOF.
func (d *decoder) next(n int) ([]byte, error) {
	if n > len(d.data)-d.pos {
		d.pos = len(d.data)
		return nil, io.ErrUnexpectedEOF
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *decoder) readByte() (byte, error) {
	if d.pos >= len(d.data) {
		return 0, io.ErrUnexpectedEOF
	}
	d.pos++
	return d.data[d.pos-1], nil
}

func (d *decoder) ignore(n int) error {
	_, err := d.next(n)
	return err
}

// Specified in section B.2.2.
func (d *decoder) processSOF(n int) error {
	if d.nComp != 0 {
		return FormatError("multiple SOF markers")
	}
	switch n {
	case 6 + 3*1: // Grayscale image.
		d.nComp = 1
	case 6 + 3*3: // YCbCr or RGB image.
		d.nComp = 3
	case 6 + 3*4: // YCbCrK or CMYK image.
		d.nComp = 4
	default:
		return UnsupportedError("number of components")
	}
	tmp, err := d.next(n)
	if err != nil {
		return err
	}
	// We only support 8-bit precision.
	if tmp[0] != 8 {
		return UnsupportedError("precision")
	}
	d.height = int(tmp[1])<<8 + int(tmp[2])
	d.width = int(tmp[3])<<8 + int(tmp[4])
	if int(tmp[5]) != d.nComp {
		return FormatError("SOF has wrong length")
	}

	for i := 0; i < d.nComp; i++ {
		d.comp[i].c = tmp[6+3*i]
		// Section B.2.2 states that "the value of C_i shall be different from
		// the values of C_1 through C_(i-1)".
		for j := 0; j < i; j++ {
			if d.comp[i].c == d.comp[j].c {
				return FormatError("repeated component identifier")
			}
		}

		d.comp[i].tq = tmp[8+3*i]
		if d.comp[i].tq > maxTq {
			return FormatError("bad Tq value")
		}

		hv := tmp[7+3*i]
		h, v := int(hv>>4), int(hv&0x0f)
		if h < 1 || 4 < h || v < 1 || 4 < v {
			return FormatError("luma/chroma subsampling ratio")
		}
		if h == 3 || v == 3 {
			return errUnsupportedSubsamplingRatio
		}
		switch d.nComp {
		case 1:
			// A single component is non-interleaved by definition (sections A.2 and
			// 4.8.2): its (h, v) is effectively always (1, 1).
			h, v = 1, 1

		case 3:
			// Only 4:4:4, 4:4:0, 4:2:2, 4:2:0, 4:1:1 or 4:1:0: the Y component's
			// factors are a multiple of the chroma ones, and both chroma components
			// share their factors.
			switch i {
			case 0: // Y.
				if v == 4 {
					return errUnsupportedSubsamplingRatio
				}
			case 1: // Cb.
				if d.comp[0].h%h != 0 || d.comp[0].v%v != 0 {
					return errUnsupportedSubsamplingRatio
				}
			case 2: // Cr.
				if d.comp[1].h != h || d.comp[1].v != v {
					return errUnsupportedSubsamplingRatio
				}
			}

		case 4:
			// image/jpeg decodes 4-component (CMYK, YCbCrK) pictures; this package does
			// not, but validates them as image/jpeg does first.
			switch i {
			case 0:
				if hv != 0x11 && hv != 0x22 {
					return errUnsupportedSubsamplingRatio
				}
			case 1, 2:
				if hv != 0x11 {
					return errUnsupportedSubsamplingRatio
				}
			case 3:
				if d.comp[0].h != h || d.comp[0].v != v {
					return errUnsupportedSubsamplingRatio
				}
			}
		}

		d.comp[i].h = h
		d.comp[i].v = v
	}
	if d.nComp == 4 {
		return ErrUnsupported
	}
	return nil
}

// Specified in section B.2.4.1.
func (d *decoder) processDQT(n int) error {
loop:
	for n > 0 {
		n--
		x, err := d.readByte()
		if err != nil {
			return err
		}
		tq := x & 0x0f
		if tq > maxTq {
			return FormatError("bad Tq value")
		}
		switch x >> 4 {
		default:
			return FormatError("bad Pq value")
		case 0:
			if n < blockSize {
				break loop
			}
			n -= blockSize
			tmp, err := d.next(blockSize)
			if err != nil {
				return err
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = int32(tmp[i])
			}
		case 1:
			if n < 2*blockSize {
				break loop
			}
			n -= 2 * blockSize
			tmp, err := d.next(2 * blockSize)
			if err != nil {
				return err
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = int32(tmp[2*i])<<8 | int32(tmp[2*i+1])
			}
		}
	}
	if n != 0 {
		return FormatError("DQT has wrong length")
	}
	return nil
}

// Specified in section B.2.4.4.
func (d *decoder) processDRI(n int) error {
	if n != 2 {
		return FormatError("DRI has wrong length")
	}
	tmp, err := d.next(2)
	if err != nil {
		return err
	}
	d.ri = int(tmp[0])<<8 + int(tmp[1])
	return nil
}

func (d *decoder) processApp0Marker(n int) error {
	if n < 5 {
		return d.ignore(n)
	}
	tmp, err := d.next(5)
	if err != nil {
		return err
	}
	n -= 5
	d.jfif = string(tmp) == "JFIF\x00"
	return d.ignore(n)
}

func (d *decoder) processApp14Marker(n int) error {
	if n < 12 {
		return d.ignore(n)
	}
	tmp, err := d.next(12)
	if err != nil {
		return err
	}
	n -= 12
	if string(tmp[:5]) == "Adobe" {
		d.adobeTransformValid = true
		d.adobeTransform = tmp[11]
	}
	return d.ignore(n)
}

// decode walks the segments up to the End Of Image marker, as image/jpeg does.
func (d *decoder) decode() error {
	// Check for the Start Of Image marker.
	tmp, err := d.next(2)
	if err != nil {
		return err
	}
	if tmp[0] != 0xff || tmp[1] != soiMarker {
		return FormatError("missing SOI marker")
	}

	// Process the remaining segments until the End Of Image marker.
	for {
		tmp, err := d.next(2)
		if err != nil {
			return err
		}
		t0, t1 := tmp[0], tmp[1]
		for t0 != 0xff {
			// Extraneous data between segments is silently ignored, as libjpeg and
			// image/jpeg do (see the long comment there).
			t0 = t1
			if t1, err = d.readByte(); err != nil {
				return err
			}
		}
		marker := t1
		if marker == 0 {
			// Treat "\xff\x00" as extraneous data.
			continue
		}
		for marker == 0xff {
			// Section B.1.1.2 says, "Any marker may optionally be preceded by any
			// number of fill bytes, which are bytes assigned code X'FF'".
			if marker, err = d.readByte(); err != nil {
				return err
			}
		}
		if marker == eoiMarker { // End Of Image.
			break
		}
		if rst0Marker <= marker && marker <= rst7Marker {
			// A stray restart marker after the final entropy-coded segment is a harmless
			// error some encoders make.
			continue
		}

		// Read the 16-bit length of the segment. The value includes the 2 bytes for the
		// length itself, so we subtract 2 to get the number of remaining bytes.
		tmp, err = d.next(2)
		if err != nil {
			return err
		}
		n := int(tmp[0])<<8 + int(tmp[1]) - 2
		if n < 0 {
			return FormatError("short segment length")
		}

		switch marker {
		case sof0Marker, sof1Marker:
			d.baseline = marker == sof0Marker
			err = d.processSOF(n)
		case sof2Marker:
			// Progressive: image/jpeg decodes it, with every coefficient in memory.
			return ErrUnsupported
		case dhtMarker:
			err = d.processDHT(n)
		case dqtMarker:
			err = d.processDQT(n)
		case sosMarker:
			err = d.processSOS(n)
		case driMarker:
			err = d.processDRI(n)
		case app0Marker:
			err = d.processApp0Marker(n)
		case app14Marker:
			err = d.processApp14Marker(n)
		default:
			if app0Marker <= marker && marker <= app15Marker || marker == comMarker {
				err = d.ignore(n)
			} else if marker < 0xc0 { // See Table B.1 "Marker code assignments".
				err = FormatError("unknown marker")
			} else {
				// Lossless, hierarchical and arithmetic-coded frames, which image/jpeg
				// refuses too.
				err = UnsupportedError("unknown marker")
			}
		}
		if err != nil {
			return err
		}
	}

	if d.pic == nil {
		return FormatError("missing SOS marker")
	}
	if d.nComp == 3 && d.isRGB() {
		return ErrUnsupported // the first component is red, not luma
	}
	return nil
}

func (d *decoder) isRGB() bool {
	if d.jfif {
		return false
	}
	if d.adobeTransformValid && d.adobeTransform == adobeTransformUnknown {
		// Adobe's transform 0 means Unknown, in practice RGB; 1 means YCbCr.
		return true
	}
	return d.comp[0].c == 'R' && d.comp[1].c == 'G' && d.comp[2].c == 'B'
}
