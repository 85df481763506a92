package photo

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/draw"

	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/photo/internal/jpegdc"
)

// meanAbsDiff is the mean absolute difference of two pictures of the same size.
func meanAbsDiff(t *testing.T, a, b *image.Gray) float64 {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("sizes %v and %v differ", a.Rect.Size(), b.Rect.Size())
	}
	var sum int
	for y := range a.Rect.Dy() {
		for x := range a.Rect.Dx() {
			d := int(a.Pix[a.PixOffset(a.Rect.Min.X+x, a.Rect.Min.Y+y)]) - int(b.Pix[b.PixOffset(b.Rect.Min.X+x, b.Rect.Min.Y+y)])
			sum += max(d, -d)
		}
	}
	return float64(sum) / float64(a.Rect.Dx()*a.Rect.Dy())
}

// lumaOf decodes data with the standard library and returns its luma.
func lumaOf(t *testing.T, data []byte) *image.Gray {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return luma(img)
}

func TestDecodeGray(t *testing.T) {
	jolla := fixture(t, "phone_jolla.jpg")               // 3264×2448, baseline: the fast path
	portrait := fixture(t, "orientation_portrait_6.jpg") // 600×450, EXIF orientation 6
	progressive, err := os.ReadFile(filepath.Join("internal", "jpegdc", "testdata", "progressive.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	small := testImage(300, 200)
	for _, tt := range []struct {
		name    string
		data    []byte
		maxSide int
		w, h    int
		// want is the picture DecodeGray should approach: the full decode's luma, upright,
		// scaled down the same way; tol is the largest mean absolute difference allowed.
		want *image.Gray
		tol  float64
	}{
		{name: "12 MP-class JPEG at 1/2 scale then resized", data: jolla, maxSide: 1024, w: 1024, h: 768,
			want: downscale(lumaOf(t, jolla), 1024), tol: 1.5},
		{name: "at 1/8 scale exactly", data: jolla, maxSide: 408, w: 408, h: 306,
			want: downscale(lumaOf(t, jolla), 408), tol: 1.5},
		{name: "full size", data: jolla, maxSide: 0, w: 3264, h: 2448, want: lumaOf(t, jolla), tol: 0},
		// jpegdc's 1/2 scale keeps more detail than averaging 2×2 pixels.
		{name: "upright portrait at 1/2 scale", data: portrait, maxSide: 300, w: 225, h: 300,
			want: downscale(orient(lumaOf(t, portrait), 6), 300), tol: 4},
		{name: "upright portrait, not scaled", data: portrait, maxSide: 1000, w: 450, h: 600,
			want: orient(lumaOf(t, portrait), 6), tol: 0},
		{name: "progressive JPEG: the full decode", data: progressive, maxSide: 100, w: 100, h: 76,
			want: downscale(lumaOf(t, progressive), 100), tol: 0},
		{name: "PNG", data: encodePNG(t, small), maxSide: 150, w: 150, h: 100,
			want: downscale(luma(small), 150), tol: 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, err := DecodeGray(tt.data, tt.maxSide)
			if err != nil {
				t.Fatal(err)
			}
			if g.Rect.Dx() != tt.w || g.Rect.Dy() != tt.h {
				t.Fatalf("DecodeGray = %dx%d, want %dx%d", g.Rect.Dx(), g.Rect.Dy(), tt.w, tt.h)
			}
			if d := meanAbsDiff(t, g, tt.want); d > tt.tol {
				t.Errorf("mean absolute difference from the full decode %.2f, want at most %.2f", d, tt.tol)
			}
		})
	}
}

func TestDecodeGrayRefuses(t *testing.T) {
	jpg := encodeJPEG(t, testImage(64, 64), 90)
	for _, tt := range []struct {
		name    string
		in      *Inspector
		data    []byte
		wantErr string
	}{
		{name: "truncated", data: fixture(t, "truncated_jolla.jpg"), wantErr: "photo cannot be decoded: the image data is truncated or corrupt."},
		{name: "truncated, fast path", data: fixture(t, "truncated_jolla.jpg"), wantErr: "truncated or corrupt"},
		{name: "gif", data: encodeGIF(t, testImage(8, 8)), wantErr: "photo is a GIF image"},
		{name: "pdf", data: minimalPDF(), wantErr: "photo is a PDF document"},
		{name: "bomb", data: pngHeader(60000, 60000), wantErr: "the limit is 120 megapixels"},
		{name: "over the inspector's limit", in: NewInspector(1000), data: jpg, wantErr: "the limit is 1000 pixels"},
		{name: "scan bomb", data: manyScans(t, jpg, maxJPEGScans+1), wantErr: "more than 500 JPEG scans"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in == nil {
				in = &Inspector{}
			}
			_, err := in.DecodeGray(tt.data, 512)
			assertInvalid(t, err, "photo", tt.wantErr)
		})
	}
}

// TestDecodeGrayOrientations stores one upright picture in each of the eight EXIF orientations
// and checks that DecodeGray gives it back upright, on the fast path and the full one.
func TestDecodeGrayOrientations(t *testing.T) {
	up := testImage(320, 240)
	upLuma := luma(up)
	// stored[o] is the picture whose orientation o shows up: orient's inverse.
	inverse := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}
	for o := 1; o <= 8; o++ {
		stored := orient(upLuma, inverse[o])
		data := milepostest.WithEXIF(t, encodeJPEG(t, stored, 95),
			[]milepostest.TIFFEntry{milepostest.ShortEntry(tagOrientation, uint16(o))}, nil, nil)
		for _, maxSide := range []int{0, 80} { // the full decode, and jpegdc at 1/2
			g, err := DecodeGray(data, maxSide)
			if err != nil {
				t.Fatal(err)
			}
			want := downscale(upLuma, maxSide)
			if g.Rect.Size() != want.Rect.Size() {
				t.Errorf("orientation %d, max side %d: %v, want %v", o, maxSide, g.Rect.Size(), want.Rect.Size())
				continue
			}
			if d := meanAbsDiff(t, g, want); d > 6 {
				t.Errorf("orientation %d, max side %d: mean difference %.1f from the upright picture", o, maxSide, d)
			}
		}
	}
}

func TestDownscale(t *testing.T) {
	g := luma(testImage(1000, 10))
	for _, tt := range []struct {
		maxSide, w, h int
	}{
		{0, 1000, 10}, {1000, 1000, 10}, {2000, 1000, 10}, {500, 500, 5}, {300, 300, 3}, {333, 333, 3}, {10, 10, 1},
	} {
		got := downscale(g, tt.maxSide)
		if got.Rect.Dx() != tt.w || got.Rect.Dy() != tt.h {
			t.Errorf("downscale(1000×10, %d) = %dx%d, want %dx%d", tt.maxSide, got.Rect.Dx(), got.Rect.Dy(), tt.w, tt.h)
		}
	}
	// A flat picture stays flat, whatever the factors.
	flat := image.NewGray(image.Rect(0, 0, 999, 701))
	for i := range flat.Pix {
		flat.Pix[i] = 77
	}
	got := downscale(flat, 123)
	for _, v := range got.Pix {
		if v != 77 {
			t.Fatalf("downscaled flat picture has %d, want 77", v)
		}
	}
}

// TestJPEGFastPathMatchesFullDecode checks that the reduced decode and the full decode give the
// same analysis of the same baseline JPEG.
func TestJPEGFastPathMatchesFullDecode(t *testing.T) {
	for _, name := range []string{"phone_jolla.jpg", "malformed_memory_error.jpg", "gps_DSCN0010.jpg"} {
		t.Run(name, func(t *testing.T) {
			data := fixture(t, name)
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			r := workReduce(cfg.Width, cfg.Height)
			fast, err := jpegdc.Decode(data, r)
			if err != nil {
				t.Fatal(err)
			}
			y := lumaOf(t, data)
			full, err := jpegdc.FromGray(y, r)
			if err != nil {
				t.Fatal(err)
			}
			a, b := analysis(fast, 1, y), analysis(full, 1, y)
			if d := HashDistance(a.PHash, b.PHash); d > 2 {
				t.Errorf("pHash distance %d", d)
			}
			if d := HashDistance(a.DHash, b.DHash); d > 2 {
				t.Errorf("dHash distance %d", d)
			}
			if diff := a.Sharpness - b.Sharpness; diff > 0.05*b.Sharpness || -diff > 0.05*b.Sharpness {
				t.Errorf("sharpness %.3f, full decode %.3f", a.Sharpness, b.Sharpness)
			}
			if diff := a.Brightness - b.Brightness; diff > 0.5 || diff < -0.5 {
				t.Errorf("brightness %.2f, full decode %.2f", a.Brightness, b.Brightness)
			}
			if diff := a.Moire - b.Moire; diff > 0.01 || diff < -0.01 {
				t.Errorf("moiré %.3f, full decode %.3f", a.Moire, b.Moire)
			}
		})
	}
}

// TestResizeGrayMatchesDraw checks resizeGray against golang.org/x/image/draw's Catmull-Rom.
func TestResizeGrayMatchesDraw(t *testing.T) {
	src := luma(testImage(300, 200))
	for _, sz := range []image.Point{{150, 100}, {160, 107}, {299, 199}, {37, 25}, {600, 400}} {
		want := image.NewGray(image.Rect(0, 0, sz.X, sz.Y))
		draw.CatmullRom.Scale(want, want.Rect, src, src.Rect, draw.Src, nil)
		if d := meanAbsDiff(t, resizeGray(src, sz.X, sz.Y), want); d > 0.3 {
			t.Errorf("%v: mean difference %.2f from draw.CatmullRom", sz, d)
		}
	}
}
