package photo

import (
	"github.com/milepost/milepost/milepostest"
	"testing"
)

// BenchmarkInspectPhoto12MP inspects a 4000×3000 JPEG at quality 90 with an EXIF segment (4.4 MB:
// the generated texture is noisier than a photo): sniff, header, scan count, full decode, EXIF.
func BenchmarkInspectPhoto12MP(b *testing.B) {
	data := milepostest.WithEXIF(b, encodeJPEG(b, testImage(4000, 3000), 90),
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagMake, "Milepost"), milepostest.ShortEntry(tagOrientation, 1)},
		[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09")}, nil)
	in := NewInspector(0)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m, err := in.InspectPhoto(data)
		if err != nil || m.Width != 4000 || m.EXIF.Make != "Milepost" {
			b.Fatalf("InspectPhoto = %+v, %v", m, err)
		}
	}
}

// BenchmarkInspectPhotoHEIC inspects the 12 MP iPhone HEIC fixture (WebAssembly libheif unless
// the system's libheif.so can be loaded).
func BenchmarkInspectPhotoHEIC(b *testing.B) {
	data := fixture(b, "iphone_13_pro_max.heic")
	in := NewInspector(0)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := in.InspectPhoto(data); err != nil {
			b.Fatal(err)
		}
	}
}
