package photo

import (
	"bytes"
	"encoding/base64"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

func ptr[T any](v T) *T { return &v }

func date(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// assertMedia compares media with want: times by instant and offset, coordinates to 1e-4°.
func assertMedia(t *testing.T, got, want milepost.Media) {
	t.Helper()
	if got.ContentType != want.ContentType || got.Width != want.Width || got.Height != want.Height {
		t.Errorf("media = %s %dx%d, want %s %dx%d", got.ContentType, got.Width, got.Height,
			want.ContentType, want.Width, want.Height)
	}
	g, w := got.EXIF, want.EXIF
	if g.Make != w.Make || g.Model != w.Model || g.Software != w.Software || g.Orientation != w.Orientation {
		t.Errorf("exif make/model/software/orientation = %q/%q/%q/%d, want %q/%q/%q/%d",
			g.Make, g.Model, g.Software, g.Orientation, w.Make, w.Model, w.Software, w.Orientation)
	}
	switch {
	case (g.TakenAt == nil) != (w.TakenAt == nil):
		t.Errorf("exif takenAt = %v, want %v", g.TakenAt, w.TakenAt)
	case g.TakenAt != nil:
		_, gotOff := g.TakenAt.Zone()
		_, wantOff := w.TakenAt.Zone()
		if !g.TakenAt.Equal(*w.TakenAt) || gotOff != wantOff {
			t.Errorf("exif takenAt = %v, want %v", g.TakenAt, w.TakenAt)
		}
	}
	if g.TakenAtHasZone != w.TakenAtHasZone {
		t.Errorf("exif takenAtHasZone = %v, want %v", g.TakenAtHasZone, w.TakenAtHasZone)
	}
	for _, c := range []struct {
		name      string
		got, want *float64
	}{{"latitude", g.Latitude, w.Latitude}, {"longitude", g.Longitude, w.Longitude}} {
		switch {
		case (c.got == nil) != (c.want == nil):
			t.Errorf("exif %s = %v, want %v", c.name, c.got, c.want)
		case c.got != nil && math.Abs(*c.got-*c.want) > 1e-4:
			t.Errorf("exif %s = %f, want %f", c.name, *c.got, *c.want)
		}
	}
}

// TestInspectPhotoFixtures covers every file of testdata: the real photos of
// ../shared/testdata/photos and a WebP from golang.org/x/image.
func TestInspectPhotoFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    milepost.Media
		wantErr string // part of the message of a CodeInvalid error
	}{
		{file: "gps_DSCN0010.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 640, Height: 480,
			EXIF: milepost.EXIF{TakenAt: date("2008-10-22T16:28:39Z"), Latitude: ptr(43.467448), Longitude: ptr(11.885127),
				Make: "NIKON", Model: "COOLPIX P6000", Software: "Nikon Transfer 1.1 W", Orientation: 1}}},
		{file: "gps_DSCN0012.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 640, Height: 480,
			EXIF: milepost.EXIF{TakenAt: date("2008-10-22T16:29:49Z"), Latitude: ptr(43.467157), Longitude: ptr(11.885395),
				Make: "NIKON", Model: "COOLPIX P6000", Software: "Nikon Transfer 1.1 W", Orientation: 1}}},
		{file: "gps_DSCN0021.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 640, Height: 480,
			EXIF: milepost.EXIF{TakenAt: date("2008-10-22T16:38:20Z"), Latitude: ptr(43.467082), Longitude: ptr(11.884538),
				Make: "NIKON", Model: "COOLPIX P6000", Software: "Nikon Transfer 1.1 W", Orientation: 1}}},
		{file: "phone_jolla.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 3264, Height: 2448,
			EXIF: milepost.EXIF{TakenAt: date("2014-09-21T16:00:56Z"), Make: "Jolla", Model: "Jolla", Orientation: 1}}},
		// libheif applies the HEIF rotation (irot), so the picture decodes as a 3024×4032
		// portrait; the EXIF (4032×3024, Orientation 6) describes the sensor's landscape.
		{file: "iphone_13_pro_max.heic", want: milepost.Media{ContentType: "image/heic", Width: 3024, Height: 4032,
			EXIF: milepost.EXIF{TakenAt: date("2022-02-16T12:55:41.762+01:00"), TakenAtHasZone: true,
				Make: "Apple", Model: "iPhone 13 Pro Max", Software: "15.2.1", Orientation: 6}}},
		// Said to be re-saved by Photoshop; its Software tag actually names GIMP.
		{file: "edited_photoshop.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 100, Height: 77,
			EXIF: milepost.EXIF{Software: "GIMP 2.4.5", Orientation: 1}}},
		{file: "orientation_portrait_6.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 600, Height: 450,
			EXIF: milepost.EXIF{Orientation: 6}}},
		// Broken EXIF: imagemeta returns no error and nothing at all.
		{file: "invalid_image00971.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 636, Height: 227}},
		// "Malformed" EXIF that imagemeta reads without complaint.
		{file: "malformed_memory_error.jpg", want: milepost.Media{ContentType: "image/jpeg", Width: 1600, Height: 1200,
			EXIF: milepost.EXIF{TakenAt: date("2002-04-21T00:30:33Z"), Make: "CASIO COMPUTER CO.,LTD.", Model: "EX-M2",
				Software: "1.01+R", Orientation: 1}}},
		{file: "truncated_jolla.jpg", wantErr: "photo cannot be decoded: the image data is truncated or corrupt."},
		{file: "blue-purple-pink.lossy.webp", want: milepost.Media{ContentType: "image/webp", Width: 150, Height: 100}},
	}

	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{"README.md": true, "fuzz": true} // fuzz: the fuzz targets' corpora
	for _, tt := range tests {
		listed[tt.file] = true
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("testdata/%s has no case in TestInspectPhotoFixtures", e.Name())
		}
	}

	in := NewInspector(0)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := in.InspectPhoto(fixture(t, tt.file))
			if tt.wantErr != "" {
				assertInvalid(t, err, "photo", tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertMedia(t, got, tt.want)
		})
	}
}

func TestInspectPhotoGenerated(t *testing.T) {
	small := testImage(32, 16)
	jpg := encodeJPEG(t, small, 80)
	random := make([]byte, 4096)
	rng := rand.NewChaCha8([32]byte{1})
	_, _ = rng.Read(random)

	tests := []struct {
		name    string
		in      *Inspector
		data    []byte
		want    milepost.Media
		wantErr string
	}{
		{name: "png", data: encodePNG(t, small), want: milepost.Media{ContentType: "image/png", Width: 32, Height: 16}},
		{name: "jpeg without exif", data: jpg, want: milepost.Media{ContentType: "image/jpeg", Width: 32, Height: 16}},
		{name: "zero-value inspector", in: &Inspector{}, data: jpg,
			want: milepost.Media{ContentType: "image/jpeg", Width: 32, Height: 16}},
		{name: "gif", data: encodeGIF(t, small), wantErr: "photo is a GIF image; upload JPEG, PNG, HEIC or WebP."},
		{name: "random bytes", data: random, wantErr: "photo is in an unrecognised format"},
		{name: "empty", data: []byte{}, wantErr: "photo is empty"},
		{name: "nil", data: nil, wantErr: "photo is empty"},
		{name: "pdf", data: minimalPDF(), wantErr: "photo is a PDF document"},
		{name: "base64 of a jpeg", data: []byte(base64.StdEncoding.EncodeToString(jpg)), wantErr: "Base64"},
		{name: "data url", data: []byte("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(jpg)), wantErr: "Base64"},
		{name: "svg", data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), wantErr: "text"},
		{name: "avif", data: []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), wantErr: "AVIF"},
		{name: "mp4", data: []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), wantErr: "video"},
		{name: "bomb 100000x100000", data: pngHeader(100000, 100000), wantErr: "neither side may exceed 65535"},
		{name: "bomb 60000x60000", data: pngHeader(60000, 60000),
			wantErr: "photo is 60000x60000 pixels (3600 megapixels); the limit is 120 megapixels."},
		{name: "zero width", data: pngHeader(0, 10), wantErr: "the image header is truncated or corrupt"},
		{name: "over MaxPixels", in: NewInspector(500), data: jpg,
			wantErr: "photo is 32x16 pixels (512 pixels); the limit is 500 pixels."},
		{name: "jpeg scan bomb", data: manyScans(t, jpg, maxJPEGScans+1), wantErr: "more than 500 JPEG scans"},
		{name: "truncated jpeg header", data: jpg[:40], wantErr: "the image header is truncated or corrupt"},
		{name: "truncated png", data: encodePNG(t, small)[:100], wantErr: "the image data is truncated or corrupt"},
		{name: "heic bomb", data: heifWith(ispeBox(64, 64), ispeBox(20000, 20000)),
			wantErr: "photo is 20000x20000 pixels (400 megapixels); the limit is 120 megapixels."},
		{name: "heic skeleton without pictures", data: heifWith(ispeBox(64, 64)),
			wantErr: "photo cannot be decoded: the image data is truncated or corrupt."},
		{name: "heif (mif1 only) skeleton", data: append([]byte("\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1"), heifWith(ispeBox(64, 64))[len(heifFtyp):]...),
			wantErr: "photo cannot be decoded"},
		{name: "heic brand, garbage", data: []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + "garbage"),
			wantErr: "the image header is truncated or corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in == nil {
				in = NewInspector(0)
			}
			got, err := in.InspectPhoto(tt.data)
			if tt.wantErr != "" {
				assertInvalid(t, err, "photo", tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertMedia(t, got, tt.want)
		})
	}
}

func TestInspectPhotoJPEGScansUnderLimit(t *testing.T) {
	jpg := encodeJPEG(t, testImage(16, 16), 80)
	got, err := NewInspector(0).InspectPhoto(manyScans(t, jpg, 3))
	if err != nil {
		t.Fatal(err)
	}
	assertMedia(t, got, milepost.Media{ContentType: "image/jpeg", Width: 16, Height: 16})
}

func TestInspectFile(t *testing.T) {
	pdf := minimalPDF()
	png := encodePNG(t, testImage(8, 8))
	tests := []struct {
		name    string
		data    []byte
		want    milepost.Media
		wantErr string
	}{
		{name: "pdf", data: pdf, want: milepost.Media{ContentType: "application/pdf"}},
		{name: "pdf with trailing padding", data: append(append([]byte(nil), pdf...), bytes.Repeat([]byte{0}, 500)...),
			want: milepost.Media{ContentType: "application/pdf"}},
		{name: "truncated pdf", data: pdf[:len(pdf)/2], wantErr: "file is a truncated or corrupt PDF: it does not end with the %%EOF marker."},
		{name: "pdf header only", data: []byte("%PDF-"), wantErr: "truncated or corrupt PDF"},
		{name: "jpeg", data: fixture(t, "gps_DSCN0010.jpg"), want: milepost.Media{ContentType: "image/jpeg", Width: 640, Height: 480,
			EXIF: milepost.EXIF{TakenAt: date("2008-10-22T16:28:39Z"), Latitude: ptr(43.467448), Longitude: ptr(11.885127),
				Make: "NIKON", Model: "COOLPIX P6000", Software: "Nikon Transfer 1.1 W", Orientation: 1}}},
		{name: "png", data: png, want: milepost.Media{ContentType: "image/png", Width: 8, Height: 8}},
		{name: "truncated jpeg", data: fixture(t, "truncated_jolla.jpg"), wantErr: "file cannot be decoded"},
		{name: "heic", data: fixture(t, "iphone_13_pro_max.heic"), wantErr: "file is a HEIC image; upload PDF, JPEG or PNG."},
		{name: "webp", data: fixture(t, "blue-purple-pink.lossy.webp"), wantErr: "file is a WebP image"},
		{name: "gif", data: encodeGIF(t, testImage(8, 8)), wantErr: "file is a GIF image"},
		{name: "bomb", data: pngHeader(100000, 100000), wantErr: "neither side may exceed"},
		{name: "empty", data: nil, wantErr: "file is empty"},
	}
	in := NewInspector(0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := in.InspectFile(tt.data)
			if tt.wantErr != "" {
				assertInvalid(t, err, "file", tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertMedia(t, got, tt.want)
		})
	}
}

// TestInspectPhotoConcurrent runs many inspections on an Inspector with one decode slot; run
// with -race.
func TestInspectPhotoConcurrent(t *testing.T) {
	in := &Inspector{MaxDecodes: 1}
	inputs := [][]byte{
		fixture(t, "gps_DSCN0010.jpg"),
		fixture(t, "orientation_portrait_6.jpg"),
		fixture(t, "blue-purple-pink.lossy.webp"),
		encodePNG(t, testImage(64, 64)),
	}
	want := make([]milepost.Media, len(inputs))
	for i, data := range inputs {
		m, err := in.InspectPhoto(data)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = m
	}
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			i := g % len(inputs)
			got, err := in.InspectPhoto(inputs[i])
			if err != nil {
				t.Error(err)
				return
			}
			if got.Width != want[i].Width || got.EXIF.Make != want[i].EXIF.Make {
				t.Errorf("input %d: got %+v, want %+v", i, got, want[i])
			}
		})
	}
	wg.Wait()
}

func TestCheckSize(t *testing.T) {
	in := NewInspector(0)
	for _, tt := range []struct {
		w, h    int
		wantErr string
	}{
		{4032, 3024, ""},
		{65535, 1831, ""}, // 119.999 MP
		{0, 10, "photo has no pixels: its header says 0x10."},
		{10, -1, "photo has no pixels"},
		{65536, 1, "neither side may exceed 65535"},
		{1, 65536, "neither side may exceed 65535"},
		{12000, 10001, "photo is 12000x10001 pixels (120.012 megapixels); the limit is 120 megapixels."},
	} {
		err := in.checkSize(tt.w, tt.h, "photo")
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("checkSize(%d, %d) = %v", tt.w, tt.h, err)
			}
			continue
		}
		assertInvalid(t, err, "photo", tt.wantErr)
	}
}

func TestGuardTurnsPanicIntoError(t *testing.T) {
	img, err := guard(func() (image.Image, error) { panic("boom") })
	if err == nil || img != nil {
		t.Fatalf("guard = %v, %v; want nil image and an error", img, err)
	}
}

func TestJPEGScans(t *testing.T) {
	seg := func(marker byte, payload ...byte) []byte {
		return append([]byte{0xFF, marker, 0, byte(len(payload) + 2)}, payload...)
	}
	var data []byte
	data = append(data, 0xFF, 0xD8)
	data = append(data, seg(0xE1, 0xFF, 0xDA, 0xFF, 0xDA)...) // SOS bytes inside APP1: not scans
	for range 3 {
		data = append(data, seg(0xDA, 1, 2, 3)...)
		data = append(data, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56) // entropy data, stuffing, RST0
	}
	data = append(data, 0xFF, 0xD9)
	data = append(data, seg(0xDA)...) // after EOI: ignored

	for _, tt := range []struct {
		name  string
		data  []byte
		limit int
		want  int
	}{
		{"three scans", data, 10, 3},
		{"stops past the limit", data, 1, 2},
		{"truncated segment", data[:len(data)-20], 10, 2},
		{"soi only", []byte{0xFF, 0xD8}, 10, 0},
		{"bad length", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00}, 10, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegScans(tt.data, tt.limit); got != tt.want {
				t.Errorf("jpegScans = %d, want %d", got, tt.want)
			}
		})
	}
}
