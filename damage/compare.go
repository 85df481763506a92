package damage

import (
	"fmt"
	"image"
	"math"
)

// Options are the thresholds of Compare. A zero field takes its default (DefaultOptions);
// docs/damage-analysis.md gives the calibration behind each default.
type Options struct {
	// Threshold is the cell score above which a cell is Changed: the share of the cell's
	// pixels that changed. Default 0.02.
	Threshold float64
	// PixelThreshold is how far, in gray levels after photometric normalisation, a pixel
	// must lie outside the range of its neighbourhood in the other picture to count as
	// changed. Default 20.
	PixelThreshold float64
	// MinCorrelation is the gradient correlation below which the pictures are not aligned:
	// a different vehicle, a different angle or a completely different framing. Default 0.65.
	MinCorrelation float64
	// MinOverlap is the share of the after picture the before picture must cover once
	// registered. Default 0.6.
	MinOverlap float64
	// Grid is the number of cells along the long side of the after picture. Default 16.
	Grid int
	// MinTexture is the mean gradient (gray levels per pixel) below which a cell counts as
	// featureless in a picture; featureless cells joined to the top or bottom of the
	// picture are sky or ground and are not scored. Default 1.5.
	MinTexture float64
	// Border is the share of the long side ignored along the edges of the overlap, where
	// interpolation and lens distortion differ most. Default 0.03.
	Border float64
}

// DefaultOptions returns the calibrated defaults.
func DefaultOptions() Options {
	return Options{
		Threshold:      0.02,
		PixelThreshold: 20,
		MinCorrelation: 0.65,
		MinOverlap:     0.6,
		Grid:           16,
		MinTexture:     1.5,
		Border:         0.03,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Threshold <= 0 {
		o.Threshold = d.Threshold
	}
	if o.PixelThreshold <= 0 {
		o.PixelThreshold = d.PixelThreshold
	}
	if o.MinCorrelation <= 0 {
		o.MinCorrelation = d.MinCorrelation
	}
	if o.MinOverlap <= 0 {
		o.MinOverlap = d.MinOverlap
	}
	if o.Grid <= 0 {
		o.Grid = d.Grid
	}
	if o.MinTexture <= 0 {
		o.MinTexture = d.MinTexture
	}
	if o.Border <= 0 {
		o.Border = d.Border
	}
	return o
}

// Transform is how the before picture lies on the after picture: a point p of before lands
// at Scale·R(Angle)·(p − centre of before) + centre of after + (DX, DY), in pixels of the
// pictures as given.
type Transform struct {
	DX, DY float64 // shift in after pixels
	Scale  float64 // after pixels per before pixel
	Angle  float64 // degrees, clockwise as displayed (y points down)
}

// Cell is one cell of the comparison grid.
type Cell struct {
	// Rect is the cell in the after picture's coordinates: what a reviewer looks at.
	Rect image.Rectangle
	// Before is the bounding box of the same area in the before picture.
	Before image.Rectangle
	// Score is the share of the cell's pixels that changed, 0..1.
	Score float64
}

// Result is the outcome of Compare. When Aligned is false the pictures could not be matched
// and Cells, Changed and MaxScore are empty (Transform, Correlation and Overlap describe the
// best match found): a reviewer should compare them, since a failed match says nothing about
// damage.
type Result struct {
	Aligned     bool
	Transform   Transform
	Correlation float64 // gradient correlation at the registered transform, −1..1
	Overlap     float64 // share of the after picture covered by the before picture
	Cells       []Cell  // every scored cell, row by row
	Changed     []Cell  // the cells whose Score is over Options.Threshold
	MaxScore    float64
}

// workSide is the long side pictures are reduced to (by halving) before any work: the
// thresholds are calibrated at this resolution.
const workSide = 640

// Compare registers before (the same angle of the last confirmed check-in) onto after (the
// new photo) and scores the change in each grid cell of their overlap. Both pictures should
// be upright and reduced to a long side of about 500 pixels (Reduce); they may differ slightly
// in size and aspect ratio. A nil or tiny picture gives a Result that is not aligned. Compare
// is deterministic and safe for concurrent use; it takes about 60 ms on one core.
func Compare(before, after *image.Gray, opt Options) Result {
	opt = opt.withDefaults()
	if before == nil || after == nil || tooSmall(before.Bounds()) || tooSmall(after.Bounds()) {
		return Result{}
	}
	b, fb := shrink(fromGray(before), workSide)
	a, fa := shrink(fromGray(after), workSide)
	sim, corr, overlap := register(a, b)
	res := Result{
		Transform: Transform{
			DX:    sim.tx * fa,
			DY:    sim.ty * fa,
			Scale: math.Exp(sim.ls) * fa / fb,
			Angle: sim.th * 180 / math.Pi,
		},
		Correlation: corr,
		Overlap:     overlap,
	}
	if corr < opt.MinCorrelation || overlap < opt.MinOverlap {
		return res
	}
	res.Aligned = true
	cells := detect(a, b, sim, opt)
	for _, c := range cells {
		c.Rect = scaleRect(c.Rect, fa).Add(after.Bounds().Min).Intersect(after.Bounds())
		c.Before = scaleRect(c.Before, fb).Add(before.Bounds().Min).Intersect(before.Bounds())
		res.Cells = append(res.Cells, c)
		res.MaxScore = max(res.MaxScore, c.Score)
		if c.Score > opt.Threshold {
			res.Changed = append(res.Changed, c)
		}
	}
	return res
}

func tooSmall(r image.Rectangle) bool { return r.Dx() < 32 || r.Dy() < 32 }

func scaleRect(r image.Rectangle, f float64) image.Rectangle {
	return image.Rect(
		int(math.Floor(float64(r.Min.X)*f)), int(math.Floor(float64(r.Min.Y)*f)),
		int(math.Ceil(float64(r.Max.X)*f)), int(math.Ceil(float64(r.Max.Y)*f)))
}

// String writes the transform for reviewers: "shift (12.0, -3.5) px, scale 1.042, angle 1.20°".
func (t Transform) String() string {
	return fmt.Sprintf("shift (%.1f, %.1f) px, scale %.3f, angle %.2f°", t.DX, t.DY, t.Scale, t.Angle)
}
