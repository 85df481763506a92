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

// EXIF building: a big-endian TIFF structure with IFD0, an Exif IFD and a GPS IFD, laid out in
// increasing offsets (imagemeta reads forward only), put in an APP1 segment after the SOI.

type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

const (
	tiffASCII    = 2
	tiffShort    = 3
	tiffLong     = 4
	tiffRational = 5
)

func asciiEntry(tag uint16, s string) tiffEntry {
	v := append([]byte(s), 0)
	return tiffEntry{tag, tiffASCII, uint32(len(v)), v}
}

func shortEntry(tag, v uint16) tiffEntry {
	return tiffEntry{tag, tiffShort, 1, binary.BigEndian.AppendUint16(nil, v)}
}

func longEntry(tag uint16, v uint32) tiffEntry {
	return tiffEntry{tag, tiffLong, 1, binary.BigEndian.AppendUint32(nil, v)}
}

// dmsEntry is a GPS coordinate as three rationals: degrees, minutes, seconds×100/100.
func dmsEntry(tag uint16, deg, min, secTimes100 uint32) tiffEntry {
	var v []byte
	for _, r := range [][2]uint32{{deg, 1}, {min, 1}, {secTimes100, 100}} {
		v = binary.BigEndian.AppendUint32(v, r[0])
		v = binary.BigEndian.AppendUint32(v, r[1])
	}
	return tiffEntry{tag, tiffRational, 3, v}
}

// writeIFD lays out an IFD at offset off, its values of over 4 bytes right after it.
func writeIFD(off uint32, entries []tiffEntry) []byte {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b tiffEntry) int { return int(a.tag) - int(b.tag) })
	dataOff := off + uint32(2+12*len(entries)+4)
	var ifd, extra []byte
	ifd = binary.BigEndian.AppendUint16(ifd, uint16(len(entries)))
	for _, e := range entries {
		ifd = binary.BigEndian.AppendUint16(ifd, e.tag)
		ifd = binary.BigEndian.AppendUint16(ifd, e.typ)
		ifd = binary.BigEndian.AppendUint32(ifd, e.count)
		if len(e.value) <= 4 {
			ifd = append(ifd, append(slices.Clone(e.value), make([]byte, 4-len(e.value))...)...)
			continue
		}
		ifd = binary.BigEndian.AppendUint32(ifd, dataOff+uint32(len(extra)))
		extra = append(extra, e.value...)
		if len(extra)%2 == 1 {
			extra = append(extra, 0)
		}
	}
	ifd = binary.BigEndian.AppendUint32(ifd, 0) // no next IFD
	return append(ifd, extra...)
}

// withEXIF returns jpegData with an APP1 EXIF segment holding the three IFDs (an empty list
// leaves that IFD out).
func withEXIF(t testing.TB, jpegData []byte, ifd0, exifIFD, gpsIFD []tiffEntry) []byte {
	t.Helper()
	const exifPointer, gpsPointer = 0x8769, 0x8825
	if len(exifIFD) > 0 {
		ifd0 = append(slices.Clone(ifd0), longEntry(exifPointer, 0))
	}
	if len(gpsIFD) > 0 {
		ifd0 = append(slices.Clone(ifd0), longEntry(gpsPointer, 0))
	}
	exifOff := 8 + uint32(len(writeIFD(8, ifd0))) // the pointers' values do not change sizes
	gpsOff := exifOff
	if len(exifIFD) > 0 {
		gpsOff += uint32(len(writeIFD(exifOff, exifIFD)))
	}
	for i, e := range ifd0 {
		switch e.tag {
		case exifPointer:
			ifd0[i] = longEntry(exifPointer, exifOff)
		case gpsPointer:
			ifd0[i] = longEntry(gpsPointer, gpsOff)
		}
	}
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = append(tiff, writeIFD(8, ifd0)...)
	if len(exifIFD) > 0 {
		tiff = append(tiff, writeIFD(exifOff, exifIFD)...)
	}
	if len(gpsIFD) > 0 {
		tiff = append(tiff, writeIFD(gpsOff, gpsIFD)...)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	if len(payload)+2 > 0xFFFF {
		t.Fatal("EXIF too large for one APP1 segment")
	}
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(payload)+2))
	app1 = append(app1, payload...)
	out := append([]byte(nil), jpegData[:2]...) // SOI
	out = append(out, app1...)
	return append(out, jpegData[2:]...)
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
