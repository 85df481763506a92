// Package ppocr holds the pure-Go halves of PaddleOCR's PP-OCR pipeline: the tensors the
// detection (DB) and recognition (CRNN/SVTR + CTC) models take, and the post-processing of
// what they return. The model runs themselves are elsewhere (ONNX Runtime, behind a build tag),
// so everything here is testable without cgo.
package ppocr

import (
	"image"
	"image/color"
	"math"
	"slices"

	xdraw "golang.org/x/image/draw"
)

// DetParams are the DB post-processing thresholds; DefaultDetParams has PaddleOCR's.
type DetParams struct {
	Thresh      float32 // pixel probability that counts as text (0.3)
	BoxThresh   float64 // mean probability a region needs to be kept (0.6)
	UnclipRatio float64 // how far to grow a region: DB shrinks text when training (1.5)
	MinSize     float64 // shortest side of a kept box, in map pixels (3)
	MaxSide     int     // the long side the picture is resized to for detection (960)
}

// DefaultDetParams returns PaddleOCR's defaults for PP-OCRv4 detection.
func DefaultDetParams() DetParams {
	return DetParams{Thresh: 0.3, BoxThresh: 0.6, UnclipRatio: 1.5, MinSize: 3, MaxSide: 960}
}

// DetInput is img resized for the detector: both sides multiples of 32, the long side at most
// maxSide, as a [1,3,H,W] tensor in BGR order normalised with ImageNet's mean and deviation
// (PaddleOCR reads images with OpenCV, hence BGR).
type DetInput struct {
	Data   []float32
	W, H   int
	ScaleX float64 // original x = map x · ScaleX
	ScaleY float64
}

// NewDetInput prepares img for the detection model.
func NewDetInput(img image.Image, maxSide int) DetInput {
	b := img.Bounds()
	k := math.Min(1, float64(maxSide)/float64(max(b.Dx(), b.Dy())))
	round32 := func(v float64) int { return max(32, int(math.Round(v/32))*32) }
	w, h := round32(float64(b.Dx())*k), round32(float64(b.Dy())*k)
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.ApproxBiLinear.Scale(rgba, rgba.Bounds(), img, b, xdraw.Src, nil)
	if float64(b.Dx())/float64(w) > 2 || float64(b.Dy())/float64(h) > 2 {
		// ApproxBiLinear samples rather than averages when shrinking a lot; a better filter
		// keeps thin LCD segments from breaking up.
		xdraw.BiLinear.Scale(rgba, rgba.Bounds(), img, b, xdraw.Src, nil)
	}
	mean := [3]float32{0.485, 0.456, 0.406}
	std := [3]float32{0.229, 0.224, 0.225}
	data := make([]float32, 3*w*h)
	plane := w * h
	for y := range h {
		for x := range w {
			o := rgba.PixOffset(x, y)
			i := y*w + x
			// channel 0 is blue
			data[i] = (float32(rgba.Pix[o+2])/255 - mean[0]) / std[0]
			data[plane+i] = (float32(rgba.Pix[o+1])/255 - mean[1]) / std[1]
			data[2*plane+i] = (float32(rgba.Pix[o])/255 - mean[2]) / std[2]
		}
	}
	return DetInput{Data: data, W: w, H: h,
		ScaleX: float64(b.Dx()) / float64(w), ScaleY: float64(b.Dy()) / float64(h)}
}

// Quad is a text box: four corners clockwise from the top-left of the text, in picture pixels.
type Quad [4]image.Point

// Box is a detected text region.
type Box struct {
	Quad  Quad
	Score float64 // mean text probability inside the region
}

// Bounds is the axis-aligned rectangle enclosing q.
func (q Quad) Bounds() image.Rectangle {
	r := image.Rectangle{Min: q[0], Max: q[0]}
	for _, p := range q[1:] {
		r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
	}
	return r
}

// DetBoxes turns the detector's probability map (W×H, row-major) into text boxes in picture
// coordinates: threshold the map, label connected regions, fit each a minimum-area rotated
// rectangle, drop small or unsure ones, grow the rest by the unclip distance, and scale them
// back. Boxes come in reading order (top to bottom, then left to right).
func DetBoxes(prob []float32, in DetInput, p DetParams) []Box {
	w, h := in.W, in.H
	label := make([]int32, w*h)
	var boxes []Box
	var stack []int
	var pts []fpt
	next := int32(0)
	for start := range prob {
		if prob[start] <= p.Thresh || label[start] != 0 {
			continue
		}
		next++
		label[start] = next
		stack = append(stack[:0], start)
		pts = pts[:0]
		sum := 0.0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			sum += float64(prob[i])
			// A pixel is a unit square: its corners make the hull enclose whole pixels.
			pts = append(pts, fpt{float64(x), float64(y)}, fpt{float64(x + 1), float64(y + 1)},
				fpt{float64(x + 1), float64(y)}, fpt{float64(x), float64(y + 1)})
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					j := ny*w + nx
					if label[j] == 0 && prob[j] > p.Thresh {
						label[j] = next
						stack = append(stack, j)
					}
				}
			}
		}
		n := len(pts) / 4
		if n < 4 || sum/float64(n) < p.BoxThresh {
			continue
		}
		r := minAreaRect(convexHull(pts))
		if math.Min(r.w, r.h) < p.MinSize {
			continue
		}
		// Unclip: DB's labels are the text shrunk by area·(1-0.4²)/perimeter; growing the
		// rectangle by area·ratio/perimeter on every side restores it.
		d := r.w * r.h * p.UnclipRatio / (2 * (r.w + r.h))
		r.w += 2 * d
		r.h += 2 * d
		if math.Min(r.w, r.h) < p.MinSize+2 {
			continue
		}
		boxes = append(boxes, Box{Quad: r.quad(in.ScaleX, in.ScaleY), Score: sum / float64(n)})
	}
	slices.SortStableFunc(boxes, func(a, b Box) int {
		ra, rb := a.Quad.Bounds(), b.Quad.Bounds()
		// Same line when the vertical centres are within half the smaller height.
		ca, cb := ra.Min.Y+ra.Dy()/2, rb.Min.Y+rb.Dy()/2
		if abs(ca-cb) < min(ra.Dy(), rb.Dy())/2 {
			return ra.Min.X - rb.Min.X
		}
		return ca - cb
	})
	return boxes
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// Crop cuts the region q out of img and straightens it into an upright w×h picture by
// bilinear sampling along the quad's edges. Text taller than 1.5× its width is turned a quarter
// so it reads left to right, as PaddleOCR does.
func Crop(img image.Image, q Quad) *image.RGBA {
	f := func(p image.Point) fpt { return fpt{float64(p.X), float64(p.Y)} }
	tl, tr, br, bl := f(q[0]), f(q[1]), f(q[2]), f(q[3])
	w := int(math.Round(math.Max(tl.dist(tr), bl.dist(br))))
	h := int(math.Round(math.Max(tl.dist(bl), tr.dist(br))))
	w, h = max(w, 1), max(h, 1)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		v := (float64(y) + 0.5) / float64(h)
		for x := range w {
			u := (float64(x) + 0.5) / float64(w)
			top := tl.lerp(tr, u)
			bot := bl.lerp(br, u)
			s := top.lerp(bot, v)
			out.SetRGBA(x, y, bilinear(img, s.x-0.5, s.y-0.5))
		}
	}
	if float64(h) >= 1.5*float64(w) {
		return rotate90(out)
	}
	return out
}

// bilinear samples img at (x, y), clamping to its edges.
func bilinear(img image.Image, x, y float64) color.RGBA {
	b := img.Bounds()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	var acc [4]float64
	for j := range 2 {
		for i := range 2 {
			px := min(max(x0+i, b.Min.X), b.Max.X-1)
			py := min(max(y0+j, b.Min.Y), b.Max.Y-1)
			wgt := (1 - math.Abs(float64(i)-fx)) * (1 - math.Abs(float64(j)-fy))
			r, g, bb, a := img.At(px, py).RGBA()
			acc[0] += wgt * float64(r>>8)
			acc[1] += wgt * float64(g>>8)
			acc[2] += wgt * float64(bb>>8)
			acc[3] += wgt * float64(a>>8)
		}
	}
	return color.RGBA{uint8(acc[0] + 0.5), uint8(acc[1] + 0.5), uint8(acc[2] + 0.5), uint8(acc[3] + 0.5)}
}

// rotate90 turns img a quarter counter-clockwise.
func rotate90(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.SetRGBA(y, b.Dx()-1-x, img.RGBAAt(x, y))
		}
	}
	return out
}
