package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

// fixture reads a file of testdata/.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testImage is a w×h picture with a gradient and some texture, so encoders have work to do.
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223 // LCG: deterministic noise
			n := uint8(seed >> 27)
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) ^ n, uint8(y*255/h) + n, uint8((x + y) % 256), 255})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is a PNG signature and an IHDR chunk (8-bit RGB) claiming w×h pixels, with a valid
// CRC, then an IEND: enough for DecodeConfig, nothing to decode.
func pngHeader(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		var b []byte
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // depth 8, truecolour, deflate, filter 0, no interlace
	out := append([]byte(nil), pngMagic...)
	out = append(out, chunk("IHDR", ihdr)...)
	return append(out, chunk("IEND", nil)...)
}

// manyScans repeats the first scan of a baseline JPEG n times: each copy is a legal SOS
// segment, and the decoder would walk the whole picture once per copy.
func manyScans(t testing.TB, data []byte, n int) []byte {
	t.Helper()
	sos := bytes.Index(data, []byte{0xFF, 0xDA})
	eoi := bytes.LastIndex(data, []byte{0xFF, 0xD9})
	if sos < 0 || eoi < sos {
		t.Fatal("no SOS/EOI in generated JPEG")
	}
	out := append([]byte(nil), data[:sos]...)
	for range n {
		out = append(out, data[sos:eoi]...)
	}
	return append(out, 0xFF, 0xD9)
}

// isoBox is an ISO BMFF box of type typ whose body is the concatenation of body.
func isoBox(typ string, body ...[]byte) []byte {
	b := bytes.Join(body, nil)
	return append(append(binary.BigEndian.AppendUint32(nil, uint32(8+len(b))), typ...), b...)
}

// ispeBox is an image spatial extents property of w×h pixels.
func ispeBox(w, h uint32) []byte {
	return isoBox("ispe", []byte{0, 0, 0, 0}, binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h))
}

var heifFtyp = isoBox("ftyp", []byte("heic\x00\x00\x00\x00mif1heic"))

// heifWith is the skeleton of a HEIC file (ftyp, meta with the item properties props, a small
// mdat): enough for heifSize, not a picture libheif can decode.
func heifWith(props ...[]byte) []byte {
	full := []byte{0, 0, 0, 0} // version and flags
	meta := isoBox("meta", full, isoBox("hdlr", full, []byte("pict")),
		isoBox("iprp", isoBox("ipco", props...), isoBox("ipma", full)))
	return bytes.Join([][]byte{heifFtyp, meta, isoBox("mdat", []byte("pixels"))}, nil)
}

// minimalPDF is a one-page PDF with a correct cross-reference table.
func minimalPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// assertInvalid fails unless err is a CodeInvalid *milepost.Error naming param whose message
// contains want.
func assertInvalid(t *testing.T, err error, param, want string) {
	t.Helper()
	var me *milepost.Error
	if !errors.As(err, &me) {
		t.Fatalf("error = %v, want a *milepost.Error", err)
	}
	if me.Code != milepost.CodeInvalid {
		t.Errorf("code = %q, want %q", me.Code, milepost.CodeInvalid)
	}
	if !slices.Equal(me.Params, []string{param}) {
		t.Errorf("params = %v, want [%s]", me.Params, param)
	}
	if !strings.Contains(me.Message, want) {
		t.Errorf("message = %q, want it to contain %q", me.Message, want)
	}
}
