package ocr

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"os"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/milepost/milepost/ocr/internal/synth"
)

// requireEngine skips the test when e cannot run here, except under CI=true, where the test
// command has installed every engine and a missing one is a failure.
func requireEngine(t testing.TB, e Engine) {
	t.Helper()
	err := e.Available()
	if err == nil {
		return
	}
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("%s: Available returned an error not wrapping ErrUnavailable: %v", e.Name(), err)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s engine unavailable under CI=true (scripts/setup-ocr.sh installs it): %v", e.Name(), err)
	}
	t.Skipf("%s engine unavailable, skipping (run scripts/setup-ocr.sh): %v", e.Name(), err)
}

// samples generates n pictures of a kind from a fixed seed, at phone-like but modest sizes so
// the tests stay quick.
func samples(t testing.TB, seed uint64, kind synth.Kind, n int) []synth.Sample {
	t.Helper()
	cfg := synth.DefaultConfig(seed)
	cfg.MinWidth, cfg.MaxWidth = 1200, 1800
	g, err := synth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]synth.Sample, n)
	for i := range out {
		if kind == synth.KindOdometer {
			out[i], err = g.Odometer()
		} else {
			out[i], err = g.Plate()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// renderLine draws text in dark bold letters of about px pixels on a light background, the
// easiest input an engine can get.
func renderLine(t testing.TB, text string, px float64) image.Image {
	t.Helper()
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	w := font.MeasureString(fc, text).Ceil()
	img := image.NewRGBA(image.Rect(0, 0, w+int(px)*2, int(px*2.2)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 235, 228, 255}), image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{20, 20, 30, 255}), Face: fc,
		Dot: fixed.P(int(px), int(px*1.5))}
	d.DrawString(text)
	return img
}
