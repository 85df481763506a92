package photo

import (
	"time"

	"github.com/milepost/milepost"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/milepost/milepost/milepostest"
)

// FuzzReadEXIF feeds arbitrary bytes to the EXIF reader alone: FuzzInspectPhoto reaches it only
// after sniffing and decoding a picture, so this target spends its time in the metadata parser
// (a third-party TIFF walker) on small inputs. Whatever the bytes: no panic, and what comes
// back is safe to store and show: clean short text, an orientation of 0 to 8, coordinates on
// Earth given as a pair, a capture time after 1900 whose zone, when it has one, is a real one.
func FuzzReadEXIF(f *testing.F) {
	jpg := encodeJPEG(f, testImage(8, 8), 75)
	gps := []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagGPSLatRef, "S"), milepostest.DMSEntry(tagGPSLat, 33, 52, 0),
		milepostest.ASCIIEntry(tagGPSLonRef, "E"), milepostest.DMSEntry(tagGPSLon, 151, 12, 3000)}
	f.Add(milepostest.WithEXIF(f, jpg,
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagMake, "Apple"), milepostest.ASCIIEntry(tagModel, "iPhone 15\x00junk"),
			milepostest.ASCIIEntry(tagSoftware, " 17.1\x01 "), milepostest.ShortEntry(tagOrientation, 6)},
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09"), milepostest.ASCIIEntry(tagOffsetOrig, "+02:00")},
		gps))
	f.Add(milepostest.WithEXIF(f, jpg, []milepostest.TIFFEntry{milepostest.ShortEntry(tagOrientation, 9)},
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "0000:00:00 00:00:00"), milepostest.ASCIIEntry(tagOffsetOrig, "+15:00")}, nil))
	f.Add(milepostest.WithEXIF(f, jpg, nil, []milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:02:30 25:61:61")},
		[]milepostest.TIFFEntry{milepostest.DMSEntry(tagGPSLat, 91, 0, 0), milepostest.DMSEntry(tagGPSLon, 0, 0, 0)}))
	for _, name := range []string{"edited_photoshop.jpg"} {
		b := fixture(f, name)
		f.Add(b[:min(len(b), 4<<10)]) // the metadata is at the start; the pixels only slow the fuzzer
	}
	f.Add(jpg)
	f.Add(heifWith(ispeBox(64, 64)))
	f.Add([]byte("II*\x00\x08\x00\x00\x00"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		e := readEXIF(data)
		for _, s := range []string{e.Make, e.Model, e.Software} {
			if len(s) > maxTextLen || !utf8.ValidString(s) || s != trimmed(s) {
				t.Fatalf("unclean text %q", s)
			}
			for _, r := range s {
				if unicode.IsControl(r) || r == utf8.RuneError {
					t.Fatalf("text %q holds %U", s, r)
				}
			}
		}
		if e.Orientation < 0 || e.Orientation > 8 {
			t.Fatalf("orientation %d", e.Orientation)
		}
		if (e.Latitude == nil) != (e.Longitude == nil) {
			t.Fatalf("half a position: %v %v", e.Latitude, e.Longitude)
		}
		if e.Latitude != nil && (!(*e.Latitude >= -90 && *e.Latitude <= 90) || !(*e.Longitude >= -180 && *e.Longitude <= 180) ||
			(*e.Latitude == 0 && *e.Longitude == 0)) {
			t.Fatalf("position off Earth: %v, %v", *e.Latitude, *e.Longitude)
		}
		if e.TakenAt == nil {
			if e.TakenAtHasZone {
				t.Fatal("a zone without a time")
			}
			return
		}
		if e.TakenAt.Year() < 1900 {
			t.Fatalf("taken at %v", e.TakenAt)
		}
		if _, off := e.TakenAt.Zone(); off < -14*3600 || off > 14*3600 || (!e.TakenAtHasZone && off != 0) {
			t.Fatalf("taken at %v (has zone %v)", e.TakenAt, e.TakenAtHasZone)
		}
	})
}

func trimmed(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == 0) {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == 0) {
		s = s[:len(s)-1]
	}
	return s
}

// TestReadEXIFAfterEOI is the shortest form of the input FuzzReadEXIF found to hang imagemeta:
// an EOI at the outer level, then a byte 0xFF not starting an SOI (and enough bytes for the
// scanner's 64-byte look-ahead). It must come back, with no EXIF.
func TestReadEXIFAfterEOI(t *testing.T) {
	data := append([]byte{0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0x00}, make([]byte, 128)...)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if e := readEXIF(data); e != (milepost.EXIF{}) {
			t.Errorf("EXIF %+v from no metadata", e)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("readEXIF did not return: the scanner loops")
	}
}
