package milepostest

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
	"time"

	"golang.org/x/image/draw"

	"github.com/milepost/milepost/internal/synthphoto"
)

// Tags used by the helpers below.
const (
	TagMake               = synthphoto.TagMake
	TagModel              = synthphoto.TagModel
	TagSoftware           = synthphoto.TagSoftware
	TagOrientation        = synthphoto.TagOrientation
	TagDateTimeOriginal   = synthphoto.TagDateTimeOriginal
	TagOffsetTimeOriginal = synthphoto.TagOffsetTimeOriginal
	TagGPSLatitudeRef     = synthphoto.TagGPSLatitudeRef
	TagGPSLatitude        = synthphoto.TagGPSLatitude
	TagGPSLongitudeRef    = synthphoto.TagGPSLongitudeRef
	TagGPSLongitude       = synthphoto.TagGPSLongitude
)

// TIFFEntry is one tag of an IFD (synthphoto.TIFFEntry).
type TIFFEntry = synthphoto.TIFFEntry

// ASCIIEntry is a NUL-terminated string tag.
func ASCIIEntry(tag uint16, s string) TIFFEntry { return synthphoto.ASCIIEntry(tag, s) }

// ShortEntry is a 16-bit tag.
func ShortEntry(tag, v uint16) TIFFEntry { return synthphoto.ShortEntry(tag, v) }

// LongEntry is a 32-bit tag.
func LongEntry(tag uint16, v uint32) TIFFEntry { return synthphoto.LongEntry(tag, v) }

// DMSEntry is a GPS coordinate as three rationals: degrees, minutes, seconds×100/100.
func DMSEntry(tag uint16, deg, min, secTimes100 uint32) TIFFEntry {
	return synthphoto.DMSEntry(tag, deg, min, secTimes100)
}

// WithEXIF returns jpegData with an APP1 EXIF segment holding the three IFDs (an empty list
// leaves that IFD out).
func WithEXIF(t testing.TB, jpegData []byte, ifd0, exifIFD, gpsIFD []TIFFEntry) []byte {
	t.Helper()
	out, err := synthphoto.AddEXIF(jpegData, ifd0, exifIFD, gpsIFD)
	if err != nil {
		t.Fatal(err)
	}
	return out
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

// Scene draws a picture that differs in its large shapes from seed to seed (synthphoto.Scene).
func Scene(seed, w, h int) *image.RGBA { return synthphoto.Scene(seed, w, h) }
