package photo

import (
	"image"
	"math"
	"slices"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/photo/internal/jpegdc"
)

// Analysis constants; docs/photo-analysis.md explains each and how it was calibrated.
const (
	// workLongSide is the smallest long side of the working picture that sharpness is
	// measured on: the picture is reduced by the largest power of two, up to 8, that keeps its
	// long side at least this long, so a 12 MP photo is judged at about 1000×750 and a 640×480
	// one at its own size.
	workLongSide = 800
	// detailShare is the share of blocks, the most detailed ones, that sharpness looks at:
	// a sharp subject before a smooth sky or a blurred background is a sharp photo.
	detailShare = 0.10
	// minDetailBlocks is the fewest blocks sharpness looks at, for small pictures.
	minDetailBlocks = 16
	// darkLuma and clippedLuma bound the block means counted in Dark and Clipped.
	darkLuma, clippedLuma = 16, 250
	// moireRise is how far a frequency's energy must rise above its lower neighbours' to
	// count as a periodic peak.
	moireRise = 1.25
	// hashMinSide is the smallest side of the 1/8-scale picture hashed directly; smaller
	// pictures are hashed from their full-resolution luma.
	hashMinSide = 32
)

// Analyze measures a decoded picture, taken as upright, as InspectPhoto measures an upload:
// perceptual hashes, exposure, sharpness and screen pattern, from its luma reduced through
// 8×8 blocks. It is for pictures already decoded (tools, tests, other formats); it returns
// nil for an empty picture.
func Analyze(img image.Image) *milepost.PhotoAnalysis {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil
	}
	y := luma(img)
	p, err := jpegdc.FromGray(y, workReduce(b.Dx(), b.Dy()))
	if err != nil {
		return nil
	}
	return analysis(p, 1, y)
}

// workReduce is the power of two (as a shift, 0 to 3) that the working picture of a w×h
// picture is reduced by: the largest that keeps its long side at least workLongSide.
func workReduce(w, h int) int {
	long, r := max(w, h), 0
	for r < 3 && long>>(r+1) >= workLongSide {
		r++
	}
	return r
}

// analysis computes the PhotoAnalysis of a picture from its reduced decode p. orientation is
// the EXIF orientation to apply to make it upright (1 when it already is). full is the
// picture's full-resolution luma, needed only when the 1/8-scale picture is too small to hash
// (see needsFullLuma); it may be nil otherwise.
func analysis(p *jpegdc.Picture, orientation int, full *image.Gray) *milepost.PhotoAnalysis {
	a := &milepost.PhotoAnalysis{ShortSide: min(p.Width, p.Height)}
	a.Brightness, a.Dark, a.Clipped = exposure(p.DC)
	a.Sharpness = sharpness(p)
	a.Moire = moire(&p.Spectrum)
	// The 1/8-scale picture's last column and row of blocks are partly padding: hash only
	// the part the photo covers.
	src := p.DC
	r := region{0, 0, float64(p.Width) / 8, float64(p.Height) / 8}
	if needsFullLuma(p.Width, p.Height) && full != nil {
		src, r = full, whole(full)
	}
	r = orientRegion(r, src.Rect.Dx(), src.Rect.Dy(), orientation)
	src = orient(src, orientation)
	a.PHash, a.DHash = pHash(src, r), dHash(src, r)
	return a
}

// needsFullLuma reports whether a w×h picture is hashed from its full-resolution luma rather
// than from its 1/8-scale picture.
func needsFullLuma(w, h int) bool {
	return (w+7)/8 < hashMinSide || (h+7)/8 < hashMinSide
}

// exposure returns the mean of the block means of dc (a 1/8-scale picture) and the shares of
// blocks near black and blown out.
func exposure(dc *image.Gray) (mean, dark, clipped float64) {
	w, h := dc.Rect.Dx(), dc.Rect.Dy()
	var sum, nDark, nClipped int
	for y := range h {
		for _, v := range dc.Pix[y*dc.Stride : y*dc.Stride+w] {
			sum += int(v)
			if v <= darkLuma {
				nDark++
			}
			if v >= clippedLuma {
				nClipped++
			}
		}
	}
	n := float64(w * h)
	return float64(sum) / n, float64(nDark) / n, float64(nClipped) / n
}

// sharpness is the mean squared spatial frequency of the most detailed blocks of the working
// picture: Σ Lap / Σ Grad over the detailShare of blocks with the highest gradient energy.
// It does not depend on contrast; blurring lowers it (a Gaussian blur of σ pixels roughly
// as 1/σ² at first), fine detail and noise raise it (7.2 for a pixel checkerboard, 7.7 at
// most).
func sharpness(p *jpegdc.Picture) float64 {
	grad, lap := p.Grad, p.Lap
	if p.Reduce > 0 {
		// The working picture is reduced: measure its own 8×8 blocks.
		s := 1 << p.Reduce
		grad, lap = jpegdc.BlockEnergies(p.Work.SubImage(image.Rect(0, 0, (p.Width+s-1)/s, (p.Height+s-1)/s)).(*image.Gray))
	}
	// Sort the blocks by gradient energy, most first: a non-negative float32 orders as its
	// bits, so each key is the energy's bits above the block's index.
	keys := make([]uint64, len(grad))
	for i, g := range grad {
		keys[i] = uint64(math.Float32bits(g))<<32 | uint64(i)
	}
	slices.Sort(keys)
	n := min(len(keys), max(minDetailBlocks, int(float64(len(keys))*detailShare)))
	var g, l float64
	for _, k := range keys[len(keys)-n:] {
		i := uint32(k)
		g += float64(grad[i])
		l += float64(lap[i])
	}
	if g == 0 {
		return 0
	}
	return l / g
}

// moire is the share of the fine-detail energy of the picture that stands in periodic peaks:
// over the DCT frequencies (u, v) with u+v ≥ 2, Σ max(0, E(u,v) − moireRise·L(u,v)) / Σ E(u,v),
// where E is the energy of a frequency summed over all 8×8 luma blocks and L(u,v) the largest
// energy one or two steps lower on either axis: E(u−1,v), E(u−2,v), E(u,v−1), E(u,v−2). The
// spectrum of a photo falls steadily with frequency, so a rise is a pattern repeated all over
// the picture, such as the pixel grid of a photographed screen. Looking two steps back ignores
// the odd-harmonic comb of straight edges that line up with the blocks (flat graphics).
func moire(e *[64]float64) float64 {
	var excess, total float64
	for v := range 8 {
		for u := range 8 {
			if u+v < 2 {
				continue
			}
			x := e[v*8+u]
			total += x
			var lower float64
			for d := 1; d <= 2; d++ {
				if u >= d {
					lower = max(lower, e[v*8+u-d])
				}
				if v >= d {
					lower = max(lower, e[(v-d)*8+u])
				}
			}
			excess += max(0, x-moireRise*lower)
		}
	}
	if total == 0 {
		return 0
	}
	return excess / total
}
