// Package synthphoto makes synthetic photos for tests and the load tool: a picture that varies
// with a seed as real photos vary (perceptual hashes tell two seeds apart), and EXIF segments
// written the way phone cameras write them. It imports no testing code, so the milepost binary
// (milepost bench) can use it as well as the test helpers in milepostest.
package synthphoto

import (
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"slices"
)

// EXIF tags the helpers below write.
const (
	TagMake               = 0x010f
	TagModel              = 0x0110
	TagSoftware           = 0x0131
	TagOrientation        = 0x0112
	TagDateTimeOriginal   = 0x9003
	TagOffsetTimeOriginal = 0x9011
	TagGPSLatitudeRef     = 0x0001
	TagGPSLatitude        = 0x0002
	TagGPSLongitudeRef    = 0x0003
	TagGPSLongitude       = 0x0004
)

// EXIF building: a big-endian TIFF structure with IFD0, an Exif IFD and a GPS IFD, laid out in
// increasing offsets (imagemeta reads forward only), put in an APP1 segment after the SOI.

// TIFFEntry is one tag of an IFD, with its type, count and big-endian value bytes.
type TIFFEntry struct {
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

// ASCIIEntry is a NUL-terminated string tag.
func ASCIIEntry(tag uint16, s string) TIFFEntry {
	v := append([]byte(s), 0)
	return TIFFEntry{tag, tiffASCII, uint32(len(v)), v}
}

// ShortEntry is a 16-bit tag.
func ShortEntry(tag, v uint16) TIFFEntry {
	return TIFFEntry{tag, tiffShort, 1, binary.BigEndian.AppendUint16(nil, v)}
}

// LongEntry is a 32-bit tag.
func LongEntry(tag uint16, v uint32) TIFFEntry {
	return TIFFEntry{tag, tiffLong, 1, binary.BigEndian.AppendUint32(nil, v)}
}

// DMSEntry is a GPS coordinate as three rationals: degrees, minutes, seconds×100/100.
func DMSEntry(tag uint16, deg, min, secTimes100 uint32) TIFFEntry {
	var v []byte
	for _, r := range [][2]uint32{{deg, 1}, {min, 1}, {secTimes100, 100}} {
		v = binary.BigEndian.AppendUint32(v, r[0])
		v = binary.BigEndian.AppendUint32(v, r[1])
	}
	return TIFFEntry{tag, tiffRational, 3, v}
}

// writeIFD lays out an IFD at offset off, its values of over 4 bytes right after it.
func writeIFD(off uint32, entries []TIFFEntry) []byte {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b TIFFEntry) int { return int(a.tag) - int(b.tag) })
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

// AddEXIF returns jpegData with an APP1 EXIF segment holding the three IFDs (an empty list
// leaves that IFD out), right after the SOI marker.
func AddEXIF(jpegData []byte, ifd0, exifIFD, gpsIFD []TIFFEntry) ([]byte, error) {
	if len(jpegData) < 2 || jpegData[0] != 0xFF || jpegData[1] != 0xD8 {
		return nil, errors.New("synthphoto: not a JPEG")
	}
	const exifPointer, gpsPointer = 0x8769, 0x8825
	if len(exifIFD) > 0 {
		ifd0 = append(slices.Clone(ifd0), LongEntry(exifPointer, 0))
	}
	if len(gpsIFD) > 0 {
		ifd0 = append(slices.Clone(ifd0), LongEntry(gpsPointer, 0))
	}
	exifOff := 8 + uint32(len(writeIFD(8, ifd0))) // the pointers' values do not change sizes
	gpsOff := exifOff
	if len(exifIFD) > 0 {
		gpsOff += uint32(len(writeIFD(exifOff, exifIFD)))
	}
	for i, e := range ifd0 {
		switch e.tag {
		case exifPointer:
			ifd0[i] = LongEntry(exifPointer, exifOff)
		case gpsPointer:
			ifd0[i] = LongEntry(gpsPointer, gpsOff)
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
		return nil, errors.New("synthphoto: EXIF too large for one APP1 segment")
	}
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(payload)+2))
	app1 = append(app1, payload...)
	out := make([]byte, 0, len(jpegData)+len(app1))
	out = append(out, jpegData[:2]...) // SOI
	out = append(out, app1...)
	return append(out, jpegData[2:]...), nil
}

// Scene draws a picture that differs in its large shapes from seed to seed (so perceptual
// hashes tell two seeds apart, as they tell two real photos apart): a gradient in a
// seed-dependent direction, a dozen filled rectangles of seed-dependent places and colours, and
// fine noise (so it is as sharp as a real photo).
func Scene(seed, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint32(seed)*2654435761 + 1
	next := func() uint32 { s = s*1664525 + 1013904223; return s >> 8 }
	dx, dy := int(next()%5)-2, int(next()%5)-2
	base := [3]int{60 + int(next()%140), 60 + int(next()%140), 60 + int(next()%140)} // well exposed
	for y := range h {
		for x := range w {
			g := (dx*x*60/w + dy*y*60/h) / 2
			img.SetRGBA(x, y, color.RGBA{clamp8(base[0] + g), clamp8(base[1] + g), clamp8(base[2] + g), 255})
		}
	}
	for range 12 {
		x0, y0 := int(next()%uint32(w)), int(next()%uint32(h))
		x1, y1 := min(w, x0+w/10+int(next()%uint32(w/3))), min(h, y0+h/10+int(next()%uint32(h/3)))
		c := color.RGBA{uint8(30 + next()%196), uint8(30 + next()%196), uint8(30 + next()%196), 255}
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	for i := 0; i < len(img.Pix); i += 4 {
		n := int(next()%24) - 12
		for k := range 3 {
			img.Pix[i+k] = clamp8(int(img.Pix[i+k]) + n)
		}
	}
	return img
}

func clamp8(v int) uint8 { return uint8(max(0, min(255, v))) }
