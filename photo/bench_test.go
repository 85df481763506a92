package photo

import (
	"bytes"
	"flag"
	"image/jpeg"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/photo/internal/jpegdc"
)

// benchOut is where TestWriteBenchmarkJPEG writes the synthetic 12 MP JPEG of the benchmarks,
// for timing other decoders on the very same file (docs/photo-analysis.md):
//
//	go test ./photo -run TestWriteBenchmarkJPEG -args -benchjpeg=/tmp/bench
var benchOut = flag.String("benchjpeg", "", "folder to write the benchmarks' synthetic JPEG to")

var (
	bench12MPOnce sync.Once
	bench12MPData []byte
)

// bench12MP is a 4000×3000 JPEG at quality 90 with an EXIF segment (4.4 MB: the generated
// texture is noisier than a photo), built once.
func bench12MP(tb testing.TB) []byte {
	tb.Helper()
	bench12MPOnce.Do(func() {
		bench12MPData = milepostest.WithEXIF(tb, encodeJPEG(tb, testImage(4000, 3000), 90),
			[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagMake, "Milepost"), milepostest.ShortEntry(tagOrientation, 1)},
			[]milepostest.TIFFEntry{milepostest.ASCIIEntry(tagDateOriginal, "2024:05:06 07:08:09")}, nil)
	})
	return bench12MPData
}

func TestWriteBenchmarkJPEG(t *testing.T) {
	if *benchOut == "" {
		t.Skip("no -benchjpeg folder")
	}
	data := bench12MP(t)
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 4000 || cfg.Height != 3000 {
		t.Fatalf("generated JPEG: %+v, %v", cfg, err)
	}
	for name, data := range map[string][]byte{"synthetic_12mp.jpg": data, "phone_jolla.jpg": fixture(t, "phone_jolla.jpg")} {
		if err := os.WriteFile(filepath.Join(*benchOut, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkInspectPhoto12MP inspects the synthetic 12 MP JPEG: sniff, header, scan count,
// reduced decode of the whole stream, EXIF, analysis.
func BenchmarkInspectPhoto12MP(b *testing.B) {
	benchmarkInspect(b, bench12MP(b))
}

// BenchmarkInspectPhotoJolla inspects a real 8 MP phone photo (3264×2448, 0.8 MB).
func BenchmarkInspectPhotoJolla(b *testing.B) {
	benchmarkInspect(b, fixture(b, "phone_jolla.jpg"))
}

func benchmarkInspect(b *testing.B, data []byte) {
	in := NewInspector(0)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m, err := in.InspectPhoto(data)
		if err != nil || m.Analysis == nil {
			b.Fatalf("InspectPhoto = %+v, %v", m, err)
		}
	}
}

// BenchmarkJPEGDC12MP is the reduced decode alone, at the working scale of the analysis.
func BenchmarkJPEGDC12MP(b *testing.B) {
	data := bench12MP(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := jpegdc.Decode(data, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImageJPEG12MP is Go's full decode of the same file, what InspectPhoto did before.
func BenchmarkImageJPEG12MP(b *testing.B) {
	data := bench12MP(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeGray12MP decodes the synthetic 12 MP JPEG to 1024 pixels (1/2 scale, then
// averaged and resized).
func BenchmarkDecodeGray12MP(b *testing.B) {
	data := bench12MP(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeGray(data, 1024); err != nil {
			b.Fatal(err)
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
