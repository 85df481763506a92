package loadtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/jpeg"
	"time"

	"github.com/milepost/milepost/internal/synthphoto"
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
	if err := jpeg.Encode(&buf, synthphoto.Scene(seed, width, height), &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	ifd0 := []synthphoto.TIFFEntry{synthphoto.ASCIIEntry(synthphoto.TagMake, "Apple"), synthphoto.ASCIIEntry(synthphoto.TagModel, "iPhone 15")}
	exif := []synthphoto.TIFFEntry{
		synthphoto.ASCIIEntry(synthphoto.TagDateTimeOriginal, taken.UTC().Format("2006:01:02 15:04:05")),
		synthphoto.ASCIIEntry(synthphoto.TagOffsetTimeOriginal, "+00:00"),
	}
	return synthphoto.AddEXIF(buf.Bytes(), ifd0, exif, nil)
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
