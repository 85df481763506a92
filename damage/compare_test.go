package damage

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// TestCompareScenarios runs a few trials of each kind of scenario over every scene and holds
// the rates well inside what the calibration (docs/damage-analysis.md) measured, so a change
// that makes the detector blind or jumpy fails here.
func TestCompareScenarios(t *testing.T) {
	scenes := sceneSet(t, 3)
	if testing.Short() && len(scenes) > 4 {
		scenes = scenes[len(scenes)-4:]
	}
	tests := []struct {
		sc          scenario
		aligned     float64 // at least
		detected    float64 // at least
		falseFlag   float64 // at most
		maxMeanErrs float64 // registration error, pixels
	}{
		{sc: scenario{name: "re-shot", kind: -1}, aligned: 1, falseFlag: 0.1, maxMeanErrs: 1.5},
		{sc: scenario{name: "dent", kind: dent, size: 1}, aligned: 1, detected: 0.9, falseFlag: 0.15, maxMeanErrs: 1.5},
		{sc: scenario{name: "scratch", kind: scratch, size: 1}, aligned: 1, detected: 0.9, falseFlag: 0.15, maxMeanErrs: 1.5},
		{sc: scenario{name: "panel", kind: panel, size: 1}, aligned: 1, detected: 0.9, falseFlag: 0.2, maxMeanErrs: 1.5},
		{sc: scenario{name: "crack", kind: crack, size: 2}, aligned: 1, detected: 0.8, falseFlag: 0.15, maxMeanErrs: 1.5},
		{sc: scenario{name: "different picture", kind: -1, other: true}},
	}
	for _, tt := range tests {
		t.Run(tt.sc.name, func(t *testing.T) {
			r := summarise(tt.sc.runAll(t, scenes, 1, DefaultOptions()), DefaultOptions().Threshold)
			if tt.sc.other {
				if r.aligned > 0 {
					t.Errorf("%.0f %% of different pictures aligned (correlation up to %.2f)", 100*r.aligned, r.maxCorr)
				}
				return
			}
			if r.aligned < tt.aligned || r.detected < tt.detected || r.falseFlag > tt.falseFlag || r.meanErr > tt.maxMeanErrs {
				t.Errorf("aligned %.0f %%, detected %.0f %%, false flags %.0f %%, registration error %.2f px (max %.2f)",
					100*r.aligned, 100*r.detected, 100*r.falseFlag, r.meanErr, r.maxErr)
			}
		})
	}
}

// TestCompareRegistrationRange: the edges of the promised range still register.
func TestCompareRegistrationRange(t *testing.T) {
	scene := carScene(42, baseSide, baseSide*3/4)
	bw, bh := viewSize(scene)
	tests := []struct {
		name string
		tr   Transform
	}{
		{"identity", Transform{Scale: 1}},
		{"shift right and down 15 %", Transform{DX: 0.15 * float64(bw), DY: 0.15 * float64(bh), Scale: 1}},
		{"shift left 15 %", Transform{DX: -0.15 * float64(bw), Scale: 1}},
		{"closer 15 %", Transform{Scale: 1.15}},
		{"farther 15 %", Transform{Scale: 0.85, DY: -0.05 * float64(bh)}},
		{"rotated 5°", Transform{Scale: 1, Angle: 5}},
		{"rotated −5° and closer", Transform{Scale: 1.1, Angle: -5, DX: 0.05 * float64(bw)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := view(scene, bw, bh, Transform{Scale: 1})
			after := view(scene, bw, bh, tt.tr)
			res := Compare(before, after, Options{})
			tri := trial{before: before, after: after, truth: tt.tr}
			if !res.Aligned {
				t.Fatalf("not aligned: correlation %.2f, overlap %.2f, transform %v", res.Correlation, res.Overlap, res.Transform)
			}
			if e := transformError(tri, res.Transform); e > 2 {
				t.Errorf("transform %v, want %v (%.1f px off)", res.Transform, tt.tr, e)
			}
			if len(res.Changed) > 0 {
				t.Errorf("%d cells changed in a picture of the same scene, first %+v", len(res.Changed), res.Changed[0])
			}
		})
	}
}

func TestCompareNotComparable(t *testing.T) {
	scene := carScene(1, baseSide, baseSide*3/4)
	bw, bh := viewSize(scene)
	photo := view(scene, bw, bh, Transform{Scale: 1})
	blank := image.NewGray(image.Rect(0, 0, bw, bh))
	tests := []struct {
		name          string
		before, after *image.Gray
	}{
		{"no before", nil, photo},
		{"no after", photo, nil},
		{"tiny", image.NewGray(image.Rect(0, 0, 20, 20)), photo},
		{"blank before", blank, photo},
		{"blank after", photo, blank},
		{"upside down", photo, view(scene, bw, bh, Transform{Scale: 1, Angle: 180})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Compare(tt.before, tt.after, Options{})
			if res.Aligned || len(res.Cells) > 0 || len(res.Changed) > 0 || res.MaxScore != 0 {
				t.Errorf("got aligned=%v with %d cells (correlation %.2f)", res.Aligned, len(res.Cells), res.Correlation)
			}
		})
	}
}

// TestCompareCells checks the geometry of the grid: cells lie in the after picture (a
// sub-image with its own origin here), Before maps back through the transform, and the
// scores follow the Changed list and the threshold.
func TestCompareCells(t *testing.T) {
	scene := carScene(5, baseSide, baseSide*3/4)
	bw, bh := viewSize(scene)
	c := toCanvas(scene)
	c.paint(panel, 2, float64(scene.Bounds().Dx())/2, float64(scene.Bounds().Dy())*0.6, rand.New(rand.NewPCG(1, 1)))
	tr := Transform{DX: 12, DY: -7, Scale: 1.05, Angle: 1}
	before := view(scene, bw, bh, Transform{Scale: 1})
	big := image.NewGray(image.Rect(0, 0, bw+40, bh+30))
	after := big.SubImage(image.Rect(40, 30, bw+40, bh+30)).(*image.Gray)
	damaged := view(c.gray(), bw, bh, tr)
	for y := range bh {
		copy(after.Pix[y*after.Stride:y*after.Stride+bw], damaged.Pix[y*damaged.Stride:])
	}

	for _, th := range []float64{0.03, 0.2} {
		res := Compare(before, after, Options{Threshold: th})
		if !res.Aligned || len(res.Cells) < 100 {
			t.Fatalf("threshold %v: aligned=%v, %d cells", th, res.Aligned, len(res.Cells))
		}
		changed := 0
		for _, cell := range res.Cells {
			if !cell.Rect.In(after.Bounds()) || !cell.Before.In(before.Bounds()) {
				t.Errorf("cell %v / before %v outside the pictures", cell.Rect, cell.Before)
			}
			// The centre of Before maps onto the centre of Rect.
			bx, by := float64(cell.Before.Min.X+cell.Before.Max.X)/2, float64(cell.Before.Min.Y+cell.Before.Max.Y)/2
			ax, ay := forward(res.Transform, bw, bh, bw, bh, bx, by)
			ax, ay = ax+40, ay+30
			if cell.Before.Dx() > 20 && cell.Before.Dy() > 20 && cell.Rect.Dx() > 20 && cell.Rect.Dy() > 20 &&
				math.Hypot(ax-float64(cell.Rect.Min.X+cell.Rect.Max.X)/2, ay-float64(cell.Rect.Min.Y+cell.Rect.Max.Y)/2) > 3 {
				t.Errorf("cell %v: before %v maps to (%.0f, %.0f)", cell.Rect, cell.Before, ax, ay)
			}
			if cell.Score > th {
				changed++
			}
			if cell.Score > res.MaxScore {
				t.Errorf("cell score %v over MaxScore %v", cell.Score, res.MaxScore)
			}
		}
		if changed != len(res.Changed) || changed == 0 {
			t.Errorf("threshold %v: %d cells over it, %d in Changed", th, changed, len(res.Changed))
		}
		for _, cell := range res.Changed {
			if cell.Score <= th {
				t.Errorf("changed cell with score %v under threshold %v", cell.Score, th)
			}
		}
	}
}

// TestCompareIgnoresSky: a cloud drifting across featureless sky is weather, not damage.
func TestCompareIgnoresSky(t *testing.T) {
	scene := carScene(3, baseSide, baseSide*3/4)
	bw, bh := viewSize(scene)
	c := toCanvas(scene)
	cx, cy := float64(scene.Bounds().Dx())*0.6, float64(scene.Bounds().Dy())*0.18
	box := rectBox(cx, cy, 90, 30)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			d := math.Hypot((float64(x)-cx)/90, (float64(y)-cy)/30)
			c.blend(x, y, 255, 0.5*(1-smoothstep(0, 1, d)))
		}
	}
	before := view(scene, bw, bh, Transform{Scale: 1})
	after := view(c.gray(), bw, bh, Transform{Scale: 1.02, DX: 5})
	res := Compare(before, after, Options{})
	if !res.Aligned || len(res.Changed) > 0 {
		t.Errorf("aligned=%v, changed cells %+v", res.Aligned, res.Changed)
	}
	// The same cloud where the picture has structure is a change.
	if res := Compare(before, after, Options{MinTexture: 0.01}); len(res.Changed) == 0 {
		t.Error("with the sky rule off the cloud is not seen: the test proves nothing")
	}
}

func TestOptionsDefaults(t *testing.T) {
	got := Options{Threshold: 0.1}.withDefaults()
	want := DefaultOptions()
	want.Threshold = 0.1
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if (Options{}).withDefaults() != DefaultOptions() {
		t.Error("zero options are not the defaults")
	}
}

// TestMatchTone: a tone change between days is undone, and a damaged minority of pixels does
// not bend the curve.
func TestMatchTone(t *testing.T) {
	ref := fromGray(carScene(9, 320, 240))
	p := newPlane(ref.w, ref.h)
	mask := make([]bool, len(p.pix))
	for i, v := range ref.pix {
		x := 255 * math.Pow(float64(v)/255, 1.3)
		p.pix[i] = float32(min(max(0.8*x+20, 0), 255))
		mask[i] = true
	}
	// 4 % of the reference is a new dark patch.
	for y := 100; y < 130; y++ {
		for x := 100; x < 200; x++ {
			ref.pix[y*ref.w+x] = 10
		}
	}
	matchTone(p, ref, mask)
	var sum float64
	n := 0
	for i := range p.pix {
		x, y := i%p.w, i/p.w
		if y >= 100 && y < 130 && x >= 100 && x < 200 {
			continue
		}
		sum += math.Abs(float64(p.pix[i] - ref.pix[i]))
		n++
	}
	if mean := sum / float64(n); mean > 3 {
		t.Errorf("mean difference after matching %.2f gray levels", mean)
	}
}

// TestMatchShade: light falling off across the picture is undone, and a dark patch the size
// of a cell stays a change.
func TestMatchShade(t *testing.T) {
	ref := fromGray(carScene(4, 480, 360))
	p := newPlane(ref.w, ref.h)
	mask := make([]bool, len(p.pix))
	for i, v := range ref.pix {
		gain := 0.7 + 0.3*float64(i%ref.w)/float64(ref.w) // darker to the left
		p.pix[i] = float32((float64(v)+shadeFloor)*gain - shadeFloor)
		mask[i] = true
	}
	patch := image.Rect(200, 250, 230, 280)
	for y := patch.Min.Y; y < patch.Max.Y; y++ {
		for x := patch.Min.X; x < patch.Max.X; x++ {
			ref.pix[y*ref.w+x] = 15
		}
	}
	matchShade(p, ref, mask, 30)
	var sum, inPatch float64
	n, m := 0, 0
	for i := range p.pix {
		d := math.Abs(float64(p.pix[i] - ref.pix[i]))
		if image.Pt(i%p.w, i/p.w).In(patch) {
			inPatch += d
			m++
			continue
		}
		sum += d
		n++
	}
	if mean := sum / float64(n); mean > 3 {
		t.Errorf("mean difference after the gain field %.2f gray levels", mean)
	}
	if mean := inPatch / float64(m); mean < 60 {
		t.Errorf("the dark patch was absorbed: mean difference %.1f", mean)
	}
}

func TestIsotonic(t *testing.T) {
	tests := []struct {
		name          string
		level, weight []float64
		slope         float64
		want          []float64
	}{
		{"already monotone", []float64{1, 2, 3}, []float64{1, 1, 1}, 0, []float64{1, 2, 3}},
		{"violator pooled", []float64{1, 3, 2}, []float64{1, 1, 1}, 0, []float64{1, 2.5, 2.5}},
		{"weights", []float64{1, 4, 1}, []float64{1, 1, 2}, 0, []float64{1, 2, 2}},
		{"gaps interpolated", []float64{10, 0, 0, 40}, []float64{1, 0, 0, 1}, 0, []float64{10, 20, 30, 40}},
		{"ends extended flat", []float64{0, 5, 7, 0}, []float64{0, 1, 1, 0}, 0, []float64{5, 5, 7, 7}},
		{"ends extended with a slope", []float64{0, 0, 5, 7, 0}, []float64{0, 0, 1, 1, 0}, 8, []float64{-11, -3, 5, 7, 15}},
		{"violator across a gap", []float64{8, 0, 4}, []float64{1, 0, 1}, 0, []float64{6, 6, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := isotonic(tt.level, tt.weight, tt.slope)
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-9 {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
