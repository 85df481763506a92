// Package jpegdc decodes baseline JPEG pictures at a reduced size. It entropy-decodes the
// whole stream, as a full decoder would, so truncated or corrupt data is refused, but it runs
// no full inverse DCT: each 8×8 luma block becomes one pixel of a 1/8-scale picture (its DC
// coefficient) and, when asked, 2×2 or 4×4 pixels of a 1/4- or 1/2-scale picture (a scaled
// inverse DCT of its lowest coefficients), and its AC coefficients are summed into the
// statistics photo analysis needs. Chroma is decoded only to advance the bit stream.
//
// It accepts exactly what Go's image/jpeg accepts among sequential, Huffman-coded, 8-bit
// JPEGs in grayscale or YCbCr, and returns ErrUnsupported for everything else image/jpeg
// might still decode (progressive, RGB and CMYK pictures, malformed Huffman tables), so the
// caller can fall back to a full decode. The marker parsing is forked from Go's image/jpeg
// (BSD-style licence, see the LICENSE file of this directory).
//
// FromGray computes the same Picture from pixels, for pictures decoded otherwise.
package jpegdc

import (
	"errors"
	"image"
)

// ErrUnsupported is returned for a JPEG this package does not decode but image/jpeg may; decode
// it in full instead.
var ErrUnsupported = errors.New("jpegdc: unsupported JPEG")

// A FormatError reports that the input is not a valid JPEG, as image/jpeg would.
type FormatError string

// Error words the error as image/jpeg does.
func (e FormatError) Error() string { return "invalid JPEG format: " + string(e) }

// An UnsupportedError reports a valid JPEG feature that image/jpeg does not implement either:
// the picture cannot be decoded at all.
type UnsupportedError string

// Error words the error as image/jpeg does.
func (e UnsupportedError) Error() string { return "unsupported JPEG feature: " + string(e) }

// Picture is a picture's luma reduced through its 8×8 DCT blocks, with their statistics.
// Blocks on the right and bottom edges include the padding the encoder added (FromGray
// repeats the edge pixels, as JPEG encoders do).
type Picture struct {
	// Width and Height are the size of the full picture, from its frame header.
	Width, Height int
	// Reduce is the scale of Work, 1/2^Reduce (0 to 3).
	Reduce int
	// DC has one pixel per 8×8 block of the luma plane, (Width+7)/8 × (Height+7)/8: the mean
	// luma of the block, rounded. A block no scan covered is 0, as in image/jpeg.
	DC *image.Gray
	// Work is the luma plane reduced by 2^Reduce, in whole blocks: (Width+7)/8·8>>Reduce
	// wide. It is nil when Reduce is 0, and DC when Reduce is 3.
	Work *image.Gray
	// Grad and Lap, only when Reduce is 0, have one value per block in the order of DC.Pix:
	// the block's gradient and Laplacian energies over its AC coefficients (see
	// dct.GradWeight), the sums of its squared first differences and of its squared
	// Laplacian.
	Grad, Lap []float32
	// Spectrum[v*8+u] sums c(u,v)² over all luma blocks: the energy of each DCT frequency,
	// orthonormal and dequantized. The DC term, Spectrum[0], is not summed (0).
	Spectrum [64]float64
	// Blocks is the number of luma blocks summed into Spectrum.
	Blocks int
}

// Decode decodes a baseline JPEG at 1/8 of its size (DC), and at 1/2^reduce (Work) for reduce
// 1 to 3. It refuses, with a FormatError or an UnsupportedError, what image/jpeg's Decode
// would refuse, and returns ErrUnsupported (the data may still be valid) for JPEGs it does
// not handle. It allocates about 10 bytes per luma block, plus Work; callers must bound the
// picture's size beforehand (image/jpeg's DecodeConfig).
func Decode(data []byte, reduce int) (*Picture, error) {
	if reduce < 0 || reduce > 3 {
		return nil, errors.New("jpegdc: reduce must be 0 to 3")
	}
	d := decoder{data: data, reduce: reduce}
	if err := d.decode(); err != nil {
		return nil, err
	}
	return d.pic, nil
}
