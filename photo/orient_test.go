package photo

import (
	"image"
	"slices"
	"testing"
)

func TestOrient(t *testing.T) {
	// A 3×2 picture as stored:
	//	1 2 3
	//	4 5 6
	stored := &image.Gray{Pix: []uint8{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	for _, tt := range []struct {
		o    int
		w, h int
		want []uint8 // the upright picture, row by row
	}{
		{0, 3, 2, []uint8{1, 2, 3, 4, 5, 6}}, // absent: as stored
		{1, 3, 2, []uint8{1, 2, 3, 4, 5, 6}},
		{2, 3, 2, []uint8{3, 2, 1, 6, 5, 4}},
		{3, 3, 2, []uint8{6, 5, 4, 3, 2, 1}},
		{4, 3, 2, []uint8{4, 5, 6, 1, 2, 3}},
		{5, 2, 3, []uint8{1, 4, 2, 5, 3, 6}},
		{6, 2, 3, []uint8{4, 1, 5, 2, 6, 3}},
		{7, 2, 3, []uint8{6, 3, 5, 2, 4, 1}},
		{8, 2, 3, []uint8{3, 6, 2, 5, 1, 4}},
		{9, 3, 2, []uint8{1, 2, 3, 4, 5, 6}}, // invalid: as stored
	} {
		got := orient(stored, tt.o)
		if got.Rect.Dx() != tt.w || got.Rect.Dy() != tt.h {
			t.Errorf("orientation %d: %dx%d, want %dx%d", tt.o, got.Rect.Dx(), got.Rect.Dy(), tt.w, tt.h)
			continue
		}
		var pix []uint8
		for y := range tt.h {
			pix = append(pix, got.Pix[y*got.Stride:y*got.Stride+tt.w]...)
		}
		if !slices.Equal(pix, tt.want) {
			t.Errorf("orientation %d: %v, want %v", tt.o, pix, tt.want)
		}
	}
}

// TestOrientRegion checks that orientRegion follows the pixels orient moves.
func TestOrientRegion(t *testing.T) {
	const w, h = 16, 12
	stored := image.NewGray(image.Rect(0, 0, w, h))
	r := region{1, 2, 10, 7} // marked with 1
	for y := 2; y < 7; y++ {
		for x := 1; x < 10; x++ {
			stored.Pix[y*w+x] = 1
		}
	}
	for o := 1; o <= 8; o++ {
		up := orient(stored, o)
		got := orientRegion(r, w, h, o)
		for y := range up.Rect.Dy() {
			for x := range up.Rect.Dx() {
				in := float64(x) >= got.x0 && float64(x) < got.x1 && float64(y) >= got.y0 && float64(y) < got.y1
				if marked := up.Pix[y*up.Stride+x] == 1; marked != in {
					t.Fatalf("orientation %d: pixel %d,%d marked %v, inside %+v %v", o, x, y, marked, got, in)
				}
			}
		}
	}
}
