package damage

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/image/draw"
)

// photoDir holds the project's shared real photos (see its README).
const photoDir = "../../shared/testdata/photos"

// realPhotos are the decodable pictures of photoDir large enough to stand for a check-in
// photo; orientation_portrait_6.jpg is used as stored, its EXIF rotation does not matter here.
var realPhotos = []string{
	"gps_DSCN0010.jpg", "gps_DSCN0012.jpg", "gps_DSCN0021.jpg", "malformed_memory_error.jpg",
	"orientation_portrait_6.jpg", "phone_jolla.jpg", "invalid_image00971.jpg",
}

var photoCache sync.Map // name → *image.Gray at baseSide

// baseSide is the long side of the scene a simulated photographer frames: the views are
// 1/viewShare of it, so a shifted or rotated view still shows real content at its edges.
const (
	viewSide  = 500
	viewShare = 1.35
	baseSide  = int(viewSide * viewShare)
)

// realScene returns a real photo in gray with a long side of baseSide, or nil when the
// shared photos are not there.
func realScene(t testing.TB, name string) *image.Gray {
	t.Helper()
	if g, ok := photoCache.Load(name); ok {
		return g.(*image.Gray)
	}
	f, err := os.Open(filepath.Join(photoDir, name))
	if err != nil {
		t.Logf("shared photos not available, generated scenes only: %v", err)
		return nil
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	b := img.Bounds()
	w, h := baseSide, b.Dy()*baseSide/b.Dx()
	if b.Dy() > b.Dx() {
		w, h = b.Dx()*baseSide/b.Dy(), baseSide
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(g, g.Bounds(), img, b, draw.Src, nil)
	photoCache.Store(name, g)
	return g
}

// view frames a w×h picture of scene: the before view sits in the middle of the scene, and
// tr says where the after view puts the before view's content (Transform semantics).
func view(scene *image.Gray, w, h int, tr Transform) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	sp := fromGray(scene)
	th := tr.Angle * math.Pi / 180
	cos, sin := math.Cos(th), math.Sin(th)
	// Before pixel p sits at p − cb + cs in the scene; the after pixel q shows the before
	// point p = R(−th)(q − ca − t)/s + cb.
	cax, cay := float64(w)/2+tr.DX, float64(h)/2+tr.DY
	ox, oy := float64(sp.w)/2, float64(sp.h)/2
	for y := range h {
		v := float64(y) + 0.5 - cay
		for x := range w {
			u := float64(x) + 0.5 - cax
			px := (cos*u + sin*v) / tr.Scale
			py := (-sin*u + cos*v) / tr.Scale
			val, ok := sp.sample(px+ox, py+oy)
			if !ok {
				val = 128
			}
			out.Pix[y*out.Stride+x] = clamp8(float64(val))
		}
	}
	return out
}

// viewSize is the before view of a scene: 1/viewShare of each side.
func viewSize(scene *image.Gray) (int, int) {
	b := scene.Bounds()
	return int(float64(b.Dx()) / viewShare), int(float64(b.Dy()) / viewShare)
}

func clamp8(v float64) uint8 {
	return uint8(min(max(math.Round(v), 0), 255))
}

// camera is what differs between two shots besides the framing: exposure, sharpness, sensor
// noise and the JPEG encoder.
type camera struct {
	gain, offset, gamma float64
	blur                float64
	noise               float64
	quality             int
}

func randomCamera(r *rand.Rand) camera {
	return camera{
		gain:    1 + (r.Float64()*2-1)*0.2,
		offset:  (r.Float64()*2 - 1) * 0.2 * 128,
		gamma:   1 + (r.Float64()*2-1)*0.15,
		blur:    r.Float64() * 0.9,
		noise:   1 + r.Float64()*3,
		quality: 70 + r.IntN(23),
	}
}

// shoot applies the camera to g and returns the decoded JPEG.
func (c camera) shoot(t testing.TB, g *image.Gray, r *rand.Rand) *image.Gray {
	t.Helper()
	p := blur(fromGray(g), c.blur)
	out := image.NewGray(g.Bounds())
	for i, v := range p.pix {
		x := 255 * math.Pow(float64(v)/255, c.gamma)
		x = (x-128)*c.gain + 128 + c.offset + r.NormFloat64()*c.noise
		out.Pix[(i/p.w)*out.Stride+i%p.w] = clamp8(x)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: c.quality}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return dec.(*image.Gray)
}

// reshoot is a random framing change within what a person standing in the same place does.
func reshoot(r *rand.Rand, w, h int) Transform {
	return Transform{
		DX:    (r.Float64()*2 - 1) * 0.08 * float64(w),
		DY:    (r.Float64()*2 - 1) * 0.08 * float64(h),
		Scale: 0.9 + r.Float64()*0.2,
		Angle: (r.Float64()*2 - 1) * 3,
	}
}

// afterSize varies the after picture's size and aspect ratio slightly, as two phones or two
// crops do.
func afterSize(r *rand.Rand, w, h int) (int, int) {
	switch r.IntN(3) {
	case 0:
		return w, h
	case 1:
		return w, h * 96 / 100
	}
	return w * 97 / 100, h
}

// forward maps a before point through tr onto an after picture of size aw×ah.
func forward(tr Transform, bw, bh, aw, ah int, x, y float64) (float64, float64) {
	th := tr.Angle * math.Pi / 180
	u, v := x-float64(bw)/2, y-float64(bh)/2
	return tr.Scale*(math.Cos(th)*u-math.Sin(th)*v) + float64(aw)/2 + tr.DX,
		tr.Scale*(math.Sin(th)*u+math.Cos(th)*v) + float64(ah)/2 + tr.DY
}

// forwardRect is the bounding box on the after picture of the before rectangle r.
func forwardRect(tr Transform, bw, bh, aw, ah int, r image.Rectangle) image.Rectangle {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range []image.Point{r.Min, {r.Max.X, r.Min.Y}, {r.Min.X, r.Max.Y}, r.Max} {
		x, y := forward(tr, bw, bh, aw, ah, float64(p.X), float64(p.Y))
		minX, maxX = min(minX, x), max(maxX, x)
		minY, maxY = min(minY, y), max(maxY, y)
	}
	return image.Rect(int(minX), int(minY), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}
