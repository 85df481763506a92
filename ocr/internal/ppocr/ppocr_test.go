package ppocr

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestMinAreaRect(t *testing.T) {
	// A 40×10 rectangle turned by 10° around (100, 50).
	a := 10 * math.Pi / 180
	s, c := math.Sincos(a)
	var ps []fpt
	for _, d := range []fpt{{-20, -5}, {20, -5}, {20, 5}, {-20, 5}, {0, 0}, {10, 2}} {
		ps = append(ps, fpt{100 + d.x*c - d.y*s, 50 + d.x*s + d.y*c})
	}
	r := minAreaRect(convexHull(ps))
	if math.Abs(r.w-40) > 1e-6 || math.Abs(r.h-10) > 1e-6 || math.Abs(r.a-a) > 1e-6 ||
		math.Abs(r.c.x-100) > 1e-6 || math.Abs(r.c.y-50) > 1e-6 {
		t.Errorf("minAreaRect = %+v, want 40×10 at (100,50) turned 10°", r)
	}
}

func TestDetBoxes(t *testing.T) {
	// A 64×32 map with two text regions: a wide one and a small one below the keep threshold.
	in := DetInput{W: 64, H: 32, ScaleX: 2, ScaleY: 2}
	prob := make([]float32, in.W*in.H)
	fillRect := func(x0, y0, x1, y1 int, p float32) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				prob[y*in.W+x] = p
			}
		}
	}
	fillRect(10, 5, 50, 11, 0.9)  // text, 40×6 map pixels
	fillRect(10, 20, 20, 26, 0.5) // above Thresh but its mean is under BoxThresh
	boxes := DetBoxes(prob, in, DefaultDetParams())
	if len(boxes) != 1 {
		t.Fatalf("DetBoxes found %d boxes, want 1: %+v", len(boxes), boxes)
	}
	// Unclip grows each side by 40·6·1.5/(2·46) ≈ 3.9 map pixels, then ×2 to the picture.
	got := boxes[0].Quad.Bounds()
	want := image.Rect(12, 2, 108, 30)
	for _, d := range []int{got.Min.X - want.Min.X, got.Min.Y - want.Min.Y, got.Max.X - want.Max.X, got.Max.Y - want.Max.Y} {
		if d < -1 || d > 1 {
			t.Fatalf("box = %v, want about %v", got, want)
		}
	}
	if math.Abs(boxes[0].Score-0.9) > 1e-6 {
		t.Errorf("score = %v, want 0.9", boxes[0].Score)
	}
}

func TestDetBoxesReadingOrder(t *testing.T) {
	in := DetInput{W: 64, H: 40, ScaleX: 1, ScaleY: 1}
	prob := make([]float32, in.W*in.H)
	for _, r := range []image.Rectangle{image.Rect(40, 4, 60, 10), image.Rect(4, 5, 30, 11), image.Rect(4, 25, 60, 31)} {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				prob[y*in.W+x] = 1
			}
		}
	}
	boxes := DetBoxes(prob, in, DefaultDetParams())
	if len(boxes) != 3 {
		t.Fatalf("got %d boxes, want 3", len(boxes))
	}
	xs := []int{boxes[0].Quad.Bounds().Min.X, boxes[1].Quad.Bounds().Min.X, boxes[2].Quad.Bounds().Min.Y}
	if !(xs[0] < 10 && xs[1] > 30 && xs[2] > 15) {
		t.Errorf("boxes not in reading order: %v", []image.Rectangle{boxes[0].Quad.Bounds(), boxes[1].Quad.Bounds(), boxes[2].Quad.Bounds()})
	}
}

func TestDecode(t *testing.T) {
	d := NewDict([]string{"0", "1", "A"}) // classes: blank, 0, 1, A, space
	steps := func(classes ...int) []float32 {
		p := make([]float32, len(classes)*d.Classes())
		for i, c := range classes {
			p[i*d.Classes()+c] = 0.9
			p[i*d.Classes()+3] += 0.05 // "A" always a weak second
		}
		return p
	}
	tests := []struct {
		name    string
		probs   []float32
		charset string
		want    string
	}{
		{"repeats merge, blanks split", steps(2, 2, 0, 2, 1, 1, 0, 4, 3), "", "110 A"},
		{"all blank", steps(0, 0, 0), "", ""},
		{"charset drops letters", steps(3, 3, 0, 2), "01", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, conf := d.Decode(tt.probs, len(tt.probs)/d.Classes(), d.Classes(), d.Allowed(tt.charset))
			if text != tt.want {
				t.Errorf("Decode = %q, want %q", text, tt.want)
			}
			if tt.want != "" && (conf < 0.05 || conf > 0.95) {
				t.Errorf("confidence %v out of the step probabilities' range", conf)
			}
		})
	}
}

func TestLoadDict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDict(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Classes() != 4 {
		t.Errorf("Classes() = %d, want blank + 2 keys + space = 4", d.Classes())
	}
	if _, err := LoadDict(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("LoadDict of a missing file succeeded")
	}
}

func TestNewRecInput(t *testing.T) {
	crop := image.NewRGBA(image.Rect(0, 0, 100, 24))
	for i := range crop.Pix {
		crop.Pix[i] = 255
	}
	in := NewRecInput(crop, 1000)
	if in.W != minRecWidth || len(in.Data) != 3*RecHeight*in.W {
		t.Fatalf("short crop: width %d, %d values; want padded to %d", in.W, len(in.Data), minRecWidth)
	}
	if in.Data[0] != 1 || in.Data[RecHeight*in.W-1] != 0 {
		t.Errorf("want white text area at 1 and zero padding, got %v and %v", in.Data[0], in.Data[RecHeight*in.W-1])
	}
	long := NewRecInput(image.NewRGBA(image.Rect(0, 0, 2000, 20)), 800)
	if long.W != 800 {
		t.Errorf("long crop width = %d, want capped at 800", long.W)
	}
}

func TestCropStraightens(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 50, 50))
	for y := 10; y < 20; y++ {
		for x := 5; x < 45; x++ {
			img.SetRGBA(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	c := Crop(img, Quad{{5, 10}, {45, 10}, {45, 20}, {5, 20}})
	if c.Bounds().Dx() != 40 || c.Bounds().Dy() != 10 {
		t.Fatalf("crop is %v, want 40×10", c.Bounds())
	}
	if got := c.RGBAAt(20, 5); got.R != 255 || got.G != 0 {
		t.Errorf("crop centre = %v, want red", got)
	}
	tall := Crop(img, Quad{{5, 5}, {15, 5}, {15, 45}, {5, 45}})
	if tall.Bounds().Dx() != 40 || tall.Bounds().Dy() != 10 {
		t.Errorf("vertical text crop is %v, want turned to 40×10", tall.Bounds())
	}
}
