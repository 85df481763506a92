package docscan

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
)

var errFilter = errors.New("unsupported filter")

// decode applies a stream's filters, counting the output against MaxStreamBytes and
// MaxDecodedBytes. Exceeding either is a sticky ErrLimit: a zip bomb stops the extraction
// after at most the limit's worth of memory.
func (d *pdfDoc) decode(s *pdfStream) ([]byte, error) {
	filters := d.resolve(s.dict["Filter"])
	parms := d.resolve(s.dict["DecodeParms"])
	var fs []pdfName
	var ps []pdfDict
	switch f := filters.(type) {
	case pdfName:
		fs, ps = []pdfName{f}, []pdfDict{asDict(parms)}
	case pdfArray:
		pa := asArray(parms)
		for i, v := range f {
			name, _ := d.resolve(v).(pdfName)
			fs = append(fs, name)
			var p pdfDict
			if i < len(pa) {
				p = asDict(d.resolve(pa[i]))
			}
			ps = append(ps, p)
		}
	}
	if len(fs) > 4 {
		return nil, fmt.Errorf("%d filters: %w", len(fs), errFilter)
	}
	data := s.raw
	for i, f := range fs {
		var err error
		data, err = d.apply(f, ps[i], data)
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}

func (d *pdfDoc) apply(f pdfName, parms pdfDict, in []byte) ([]byte, error) {
	var r io.Reader
	switch f {
	case "FlateDecode", "Fl":
		r = inflater(in)
	case "ASCIIHexDecode", "AHx":
		l := &lexer{b: append([]byte{'<'}, in...)}
		return d.account(l.hex())
	case "ASCII85Decode", "A85":
		in = bytes.TrimSpace(in)
		in = bytes.TrimPrefix(in, []byte("<~"))
		if i := bytes.Index(in, []byte("~>")); i >= 0 {
			in = in[:i]
		}
		r = ascii85.NewDecoder(bytes.NewReader(in))
	case "RunLengthDecode", "RL":
		return d.account(runLength(in, d.lim.MaxStreamBytes))
	default:
		// LZW, images (DCT, JPX, CCITT, JBIG2) and crypt filters carry no text we can read.
		return nil, fmt.Errorf("%s: %w", f, errFilter)
	}
	out, err := d.readLimited(r)
	if err != nil {
		return nil, err
	}
	if pred := asInt(parms["Predictor"]); pred >= 10 {
		cols := int(asInt(parms["Columns"]))
		colors := int(asInt(parms["Colors"]))
		bpc := int(asInt(parms["BitsPerComponent"]))
		out = pngUnpredict(out, max(cols, 1), max(colors, 1), max(bpc, 8))
	}
	return out, nil
}

// inflater reads zlib data, or raw deflate when the zlib header is missing or damaged.
func inflater(in []byte) io.Reader {
	if zr, err := zlib.NewReader(bytes.NewReader(in)); err == nil {
		return zr
	}
	return flate.NewReader(bytes.NewReader(in))
}

// readLimited reads r up to the stream and total limits. A truncated or corrupt stream keeps
// what was decoded before the fault, as viewers show the part of a page they could read.
func (d *pdfDoc) readLimited(r io.Reader) ([]byte, error) {
	room := min(d.lim.MaxStreamBytes, d.lim.MaxDecodedBytes-d.decoded)
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, int64(room)+1))
	if n > int64(room) {
		d.fail(fmt.Errorf("a stream decodes to more than %d bytes: %w", room, ErrLimit))
		return nil, d.err
	}
	if err != nil && buf.Len() == 0 {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return d.account(buf.Bytes())
}

func (d *pdfDoc) account(b []byte) ([]byte, error) {
	d.decoded += len(b)
	if d.decoded > d.lim.MaxDecodedBytes || len(b) > d.lim.MaxStreamBytes {
		d.fail(fmt.Errorf("decoded streams exceed %d bytes: %w", d.lim.MaxDecodedBytes, ErrLimit))
		return nil, d.err
	}
	if !d.spend(len(b) >> 12) { // decoding is work too: one operation per 4 KiB
		return nil, d.err
	}
	return b, nil
}

// runLength decodes RunLengthDecode data, stopping at limit bytes.
func runLength(in []byte, limit int) []byte {
	var out []byte
	for i := 0; i < len(in) && len(out) <= limit; {
		n := int(in[i])
		i++
		switch {
		case n < 128:
			end := min(len(in), i+n+1)
			out = append(out, in[i:end]...)
			i = end
		case n > 128 && i < len(in):
			out = append(out, bytes.Repeat(in[i:i+1], 257-n)...)
			i++
		default:
			return out
		}
	}
	return out
}

// pngUnpredict undoes the PNG predictors (one filter-type byte per row), used by xref and
// object streams.
func pngUnpredict(in []byte, cols, colors, bpc int) []byte {
	bpp := max(1, colors*bpc/8)
	rowLen := (cols*colors*bpc + 7) / 8
	if rowLen <= 0 || rowLen > 1<<20 {
		return in
	}
	out := make([]byte, 0, len(in))
	prev := make([]byte, rowLen)
	for i := 0; i+1 <= len(in); i += rowLen + 1 {
		ft := in[i]
		row := make([]byte, rowLen)
		copy(row, in[i+1:min(len(in), i+1+rowLen)])
		for j := range row {
			var left, up, ul byte
			if j >= bpp {
				left, ul = row[j-bpp], prev[j-bpp]
			}
			up = prev[j]
			switch ft {
			case 1:
				row[j] += left
			case 2:
				row[j] += up
			case 3:
				row[j] += byte((int(left) + int(up)) / 2)
			case 4:
				row[j] += paeth(left, up, ul)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
