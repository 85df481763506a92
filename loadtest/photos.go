package loadtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"time"
)

// Photo sizes: check-in evidence is a phone picture above the 1024-pixel working size of
// verification; the upload endpoint is measured with a 12-megapixel camera picture.
const (
	evidenceWidth, evidenceHeight = 1024, 768
	largeWidth, largeHeight       = 4000, 3000
)

// PhotoJPEG draws a picture that varies with seed (a gradient, a dozen filled rectangles, and
// fine noise so it is as sharp and as large as a real photo) and encodes it as a JPEG with an
// EXIF segment: camera make and model and a capture time, as a phone writes them.
func PhotoJPEG(seed, width, height int, taken time.Time) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(seed, width, height), &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	app1 := exifSegment("Apple", "iPhone 15", taken.UTC())
	data := buf.Bytes()
	out := make([]byte, 0, len(data)+len(app1))
	out = append(out, data[:2]...) // SOI
	out = append(out, app1...)
	return append(out, data[2:]...), nil
}

func scene(seed, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint32(seed)*2654435761 + 1
	next := func() uint32 { s = s*1664525 + 1013904223; return s >> 8 }
	base := [3]int{60 + int(next()%140), 60 + int(next()%140), 60 + int(next()%140)}
	dx, dy := int(next()%5)-2, int(next()%5)-2
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

// tiffEntry is one tag of an IFD with its type and big-endian value bytes.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

const (
	tiffASCII = 2
	tiffLong  = 4

	tagMake             = 0x010f
	tagModel            = 0x0110
	tagExifIFD          = 0x8769
	tagDateTimeOriginal = 0x9003
	tagOffsetTime       = 0x9011
)

func asciiEntry(tag uint16, s string) tiffEntry {
	v := append([]byte(s), 0)
	return tiffEntry{tag, tiffASCII, uint32(len(v)), v}
}

// exifSegment is an APP1 segment holding a big-endian TIFF structure: IFD0 (make, model, the
// Exif IFD's offset) and the Exif IFD (capture time and its UTC offset), in increasing offsets.
func exifSegment(maker, model string, taken time.Time) []byte {
	exif := []tiffEntry{asciiEntry(tagDateTimeOriginal, taken.Format("2006:01:02 15:04:05")), asciiEntry(tagOffsetTime, "+00:00")}
	ifd0 := []tiffEntry{asciiEntry(tagMake, maker), asciiEntry(tagModel, model), {tagExifIFD, tiffLong, 1, make4(0)}}
	exifOff := 8 + uint32(len(writeIFD(8, ifd0)))
	ifd0[2].value = make4(exifOff)
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = append(tiff, writeIFD(8, ifd0)...)
	tiff = append(tiff, writeIFD(exifOff, exif)...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

func make4(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// writeIFD lays out an IFD at offset off, with the values longer than 4 bytes right after it.
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
			ifd = append(ifd, e.value...)
			ifd = append(ifd, make([]byte, 4-len(e.value))...)
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

// uniqueJPEG splits a JPEG so that every request can send different bytes without copying the
// picture: head is the SOI and EXIF segment, rest everything after them. A comment segment
// with a request's id goes in between (comment(id)); its length is padded so that head plus
// comment is a multiple of 3 bytes, which lets the Base64 of rest be computed once.
type uniqueJPEG struct {
	head, rest []byte
}

func splitJPEG(data []byte) (uniqueJPEG, error) {
	if len(data) < 6 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF || data[3] != 0xE1 {
		return uniqueJPEG{}, fmt.Errorf("split photo: not a JPEG starting with an EXIF segment")
	}
	end := 4 + int(binary.BigEndian.Uint16(data[4:6]))
	return uniqueJPEG{head: data[:end], rest: data[end:]}, nil
}

// commentIDLen is the room for a request id in the comment segment.
const commentIDLen = 32

// comment returns the COM segment carrying id (truncated or space-padded to fit).
func (u uniqueJPEG) comment(id string) []byte {
	n := commentIDLen
	for (len(u.head)+4+n)%3 != 0 {
		n++
	}
	seg := []byte{0xFF, 0xFE}
	seg = binary.BigEndian.AppendUint16(seg, uint16(n+2))
	text := make([]byte, n)
	for i := range text {
		text[i] = ' '
	}
	copy(text, id)
	return append(seg, text...)
}
