package synth

import (
	"hash/fnv"
	"image"
	"regexp"
	"testing"
)

func small(seed uint64) Config {
	cfg := DefaultConfig(seed)
	cfg.MinWidth, cfg.MaxWidth = 600, 800
	return cfg
}

func TestDeterministic(t *testing.T) {
	run := func() (texts []string, sum uint64) {
		g, err := New(small(3))
		if err != nil {
			t.Fatal(err)
		}
		h := fnv.New64a()
		for range 3 {
			o, err := g.Odometer()
			if err != nil {
				t.Fatal(err)
			}
			p, err := g.Plate()
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, o.Text, p.Text)
			h.Write(o.Image.(*image.YCbCr).Y)
		}
		return texts, h.Sum64()
	}
	t1, s1 := run()
	t2, s2 := run()
	if s1 != s2 || len(t1) != len(t2) {
		t.Fatal("same seed gave different pictures")
	}
	for i := range t1 {
		if t1[i] != t2[i] {
			t.Fatalf("same seed gave different truths: %v vs %v", t1, t2)
		}
	}
}

func TestSamples(t *testing.T) {
	g, err := New(small(5))
	if err != nil {
		t.Fatal(err)
	}
	digits := regexp.MustCompile(`^\d{4,7}$`)
	plate := regexp.MustCompile(`^[A-Z0-9]{5,8}$`)
	for range 10 {
		o, err := g.Odometer()
		if err != nil {
			t.Fatal(err)
		}
		if !digits.MatchString(o.Text) || o.Value < 1000 || o.Kind != KindOdometer {
			t.Errorf("odometer sample %q value %d: want 4–7 digits and a value of 1000 or more", o.Text, o.Value)
		}
		if w := o.Image.Bounds().Dx(); w < 600 || w > 800 {
			t.Errorf("picture width %d outside the configured 600..800", w)
		}
		p, err := g.Plate()
		if err != nil {
			t.Fatal(err)
		}
		if !plate.MatchString(p.Text) || p.Kind != KindPlate {
			t.Errorf("plate sample %q: want 5–8 of A–Z0–9", p.Text)
		}
	}
}

func TestNoPhotos(t *testing.T) {
	cfg := small(1)
	cfg.PhotoDir = ""
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Odometer(); err != nil {
		t.Fatalf("procedural background: %v", err)
	}
	cfg.PhotoDir = t.TempDir()
	if _, err := New(cfg); err == nil {
		t.Error("New accepted a photo folder without photos")
	}
}

func TestHomography(t *testing.T) {
	from := [4]pt{{0, 0}, {10, 0}, {10, 5}, {0, 5}}
	to := [4]pt{{3, 4}, {23, 6}, {21, 16}, {2, 13}}
	h, ok := solveHomography(from, to)
	if !ok {
		t.Fatal("solveHomography failed")
	}
	for i := range from {
		x, y := h.apply(from[i].x, from[i].y)
		if d := dist(pt{x, y}, to[i]); d > 1e-9 {
			t.Errorf("corner %d maps to (%v, %v), want %v", i, x, y, to[i])
		}
	}
	if _, ok := solveHomography([4]pt{{0, 0}, {1, 1}, {2, 2}, {3, 3}}, to); ok {
		t.Error("collinear points gave a homography")
	}
}
