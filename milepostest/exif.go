package milepostest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"testing"
	"time"

	"golang.org/x/image/draw"
)

// Tags used by the helpers below.
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

// WithEXIF returns jpegData with an APP1 EXIF segment holding the three IFDs (an empty list
// leaves that IFD out).
func WithEXIF(t testing.TB, jpegData []byte, ifd0, exifIFD, gpsIFD []TIFFEntry) []byte {
	t.Helper()
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
		t.Fatal("EXIF too large for one APP1 segment")
	}
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(payload)+2))
	app1 = append(app1, payload...)
	out := append([]byte(nil), jpegData[:2]...) // SOI
	out = append(out, app1...)
	return append(out, jpegData[2:]...)
}

// PhotoOptions describe a generated test photo.
type PhotoOptions struct {
	// TakenAt is written as DateTimeOriginal in the camera's local time for Offset ("" writes no
	// OffsetTimeOriginal, as many cameras do). Zero writes no capture time.
	TakenAt  time.Time
	Offset   string // e.g. "+01:00"
	Make     string
	Model    string
	Software string
	// Seed varies the picture so two photos differ (for replay detection tests).
	Seed int
	// Reshoot takes the seed's scene again from a step to the side, closer and in dimmer light
	// (the next condition check-in of the same vehicle): about 13 % shifted and zoomed, so it
	// registers with the first shot but is not the same picture to perceptual hashes.
	Reshoot       bool
	Width, Height int // default 1024×768 (above the 640-pixel minimum of photo quality)
}

// PhotoJPEG makes a JPEG with the EXIF in o: a real, decodable picture for upload and verification
// tests.
func PhotoJPEG(t testing.TB, o PhotoOptions) []byte {
	t.Helper()
	if o.Width == 0 {
		o.Width, o.Height = 1024, 768
	}
	img := Scene(o.Seed, o.Width, o.Height)
	if o.Reshoot {
		img = reshoot(img)
	}
	return EncodeJPEG(t, img, 85, o)
}

// reshoot zooms into img by 13 % off its left and 6 % off top and bottom, at 90 % of its
// brightness.
func reshoot(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	src := image.Rect(b.Dx()*13/100, b.Dy()*6/100, b.Dx(), b.Dy()*94/100)
	out := image.NewRGBA(b)
	draw.CatmullRom.Scale(out, b, img, src, draw.Src, nil)
	for i := 0; i < len(out.Pix); i += 4 {
		for k := range 3 {
			out.Pix[i+k] = uint8(int(out.Pix[i+k]) * 9 / 10)
		}
	}
	return out
}

// EncodeJPEG encodes img at quality with the EXIF of o (its Seed and size are not used).
func EncodeJPEG(t testing.TB, img image.Image, quality int, o PhotoOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	var ifd0, exif []TIFFEntry
	if o.Make != "" {
		ifd0 = append(ifd0, ASCIIEntry(TagMake, o.Make))
	}
	if o.Model != "" {
		ifd0 = append(ifd0, ASCIIEntry(TagModel, o.Model))
	}
	if o.Software != "" {
		ifd0 = append(ifd0, ASCIIEntry(TagSoftware, o.Software))
	}
	if !o.TakenAt.IsZero() {
		local := o.TakenAt.UTC()
		if o.Offset != "" {
			loc, err := time.Parse("-07:00", o.Offset)
			if err != nil {
				t.Fatalf("offset %q: %v", o.Offset, err)
			}
			local = o.TakenAt.In(loc.Location())
		}
		exif = append(exif, ASCIIEntry(TagDateTimeOriginal, local.Format("2006:01:02 15:04:05")))
		if o.Offset != "" {
			exif = append(exif, ASCIIEntry(TagOffsetTimeOriginal, o.Offset))
		}
	}
	if len(ifd0) == 0 && len(exif) == 0 {
		return buf.Bytes()
	}
	if len(ifd0) == 0 {
		ifd0 = append(ifd0, ShortEntry(TagOrientation, 1))
	}
	return WithEXIF(t, buf.Bytes(), ifd0, exif, nil)
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
