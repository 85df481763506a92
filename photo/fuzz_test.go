package photo

import (
	"errors"
	"github.com/milepost/milepost/milepostest"
	"testing"

	"github.com/milepost/milepost"
)

// FuzzInspectPhoto checks that no input panics or escapes the error contract: every refusal is
// a CodeInvalid *milepost.Error, every acceptance has a type and pixels, and every accepted
// picture an analysis.
func FuzzInspectPhoto(f *testing.F) {
	small := testImage(8, 8)
	jpg := encodeJPEG(f, small, 75)
	f.Add(fixture(f, "edited_photoshop.jpg"))
	f.Add(fixture(f, "blue-purple-pink.lossy.webp"))
	f.Add(jpg)
	f.Add(milepostest.WithEXIF(f, jpg,
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagMake, "Make"), milepostest.ShortEntry(tagOrientation, 6)},
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09"), milepostest.ASCIIEntry(tagOffsetOrig, "+02:00")},
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagGPSLatRef, "N"), milepostest.DMSEntry(tagGPSLat, 52, 22, 1200),
			milepostest.ASCIIEntry(tagGPSLonRef, "W"), milepostest.DMSEntry(tagGPSLon, 4, 53, 4260)}))
	f.Add(manyScans(f, jpg, 3))
	f.Add(encodePNG(f, small))
	f.Add(encodeGIF(f, small))
	f.Add(pngHeader(100000, 100000))
	f.Add(minimalPDF())
	f.Add([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"))
	f.Add(heifWith(ispeBox(64, 64))) // passes the size check: reaches libheif
	f.Add([]byte{})

	// A small pixel limit keeps each run fast; the limit itself is tested elsewhere.
	in := &Inspector{MaxPixels: 1 << 20}
	check := func(t *testing.T, m milepost.Media, err error) {
		if err != nil {
			var me *milepost.Error
			if !errors.As(err, &me) || me.Code != milepost.CodeInvalid || me.Message == "" {
				t.Fatalf("error %v is not a CodeInvalid *milepost.Error", err)
			}
			return
		}
		if m.ContentType == "" || (m.ContentType != "application/pdf" && (m.Width <= 0 || m.Height <= 0)) {
			t.Fatalf("accepted media without type or pixels: %+v", m)
		}
		if a := m.Analysis; m.ContentType != "application/pdf" && (a == nil || a.ShortSide != min(m.Width, m.Height) ||
			a.Dark < 0 || a.Dark > 1 || a.Clipped < 0 || a.Clipped > 1 || a.Moire < 0 || a.Moire > 1 || a.Sharpness < 0) {
			t.Fatalf("accepted picture without a sound analysis: %+v", a)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := in.InspectPhoto(data)
		check(t, m, err)
		m, err = in.InspectFile(data)
		check(t, m, err)
	})
}
