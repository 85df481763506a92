package damage

import (
	"image"
	"image/color"
	"testing"
)

func TestReduce(t *testing.T) {
	tests := []struct {
		name     string
		w, h     int
		longSide int
		wantW    int
		wantH    int
	}{
		{"landscape 4:3", 2000, 1500, 0, 500, 375},
		{"portrait", 600, 800, 500, 375, 500},
		{"own size", 640, 480, 320, 320, 240},
		{"small stays small", 300, 200, 500, 300, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(10, 20, 10+tt.w, 20+tt.h))
			red := color.RGBA{R: 255, A: 255}
			for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
				for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
					img.SetRGBA(x, y, red)
				}
			}
			g := Reduce(img, tt.longSide)
			if g.Bounds() != image.Rect(0, 0, tt.wantW, tt.wantH) {
				t.Fatalf("bounds %v, want %dx%d", g.Bounds(), tt.wantW, tt.wantH)
			}
			// Pure red has luma 76 (ITU-R 601, as image/color converts).
			if v := g.GrayAt(tt.wantW/2, tt.wantH/2).Y; v < 74 || v > 78 {
				t.Errorf("gray of red = %d, want about 76", v)
			}
		})
	}
}
