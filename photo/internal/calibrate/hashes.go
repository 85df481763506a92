package main

import (
	"fmt"
	"image"
	"math"
	"slices"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/photo"
)

// edit is a change to a picture, returning the bytes uploaded.
type edit struct {
	name string
	do   func(img *image.RGBA) []byte
}

func edits() []edit {
	cropBy := func(img *image.RGBA, left, top, right, bottom float64) *image.RGBA {
		w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
		return crop(img, image.Rect(int(w*left), int(h*top), int(w*(1-right)), int(h*(1-bottom))))
	}
	jpg := func(q int, f func(*image.RGBA) *image.RGBA) func(*image.RGBA) []byte {
		return func(img *image.RGBA) []byte { return encodeJPEG(f(img), q) }
	}
	same := func(img *image.RGBA) *image.RGBA { return img }
	rot := func(img *image.RGBA, quarters int) *image.RGBA {
		for range quarters {
			img = rotate90(img)
		}
		return img
	}
	return []edit{
		{"re-encode q95", jpg(95, same)},
		{"re-encode q85", jpg(85, same)},
		{"re-encode q75", jpg(75, same)},
		{"re-encode q60", jpg(60, same)},
		{"re-encode q50", jpg(50, same)},
		{"PNG", func(img *image.RGBA) []byte { return encodePNG(img) }},
		{"resize 75 %", jpg(90, func(i *image.RGBA) *image.RGBA { return scaleBy(i, 0.75) })},
		{"resize 50 %", jpg(90, func(i *image.RGBA) *image.RGBA { return scaleBy(i, 0.5) })},
		{"resize 25 %", jpg(90, func(i *image.RGBA) *image.RGBA { return scaleBy(i, 0.25) })},
		{"crop 5 % (right)", jpg(90, func(i *image.RGBA) *image.RGBA { return cropBy(i, 0, 0, 0.05, 0) })},
		{"crop 5 % (bottom)", jpg(90, func(i *image.RGBA) *image.RGBA { return cropBy(i, 0, 0, 0, 0.05) })},
		{"crop 2.5 % each side", jpg(90, func(i *image.RGBA) *image.RGBA { return cropBy(i, 0.025, 0.025, 0.025, 0.025) })},
		{"crop 10 % (right)", jpg(90, func(i *image.RGBA) *image.RGBA { return cropBy(i, 0, 0, 0.10, 0) })},
		{"brightness +20 %", jpg(90, func(i *image.RGBA) *image.RGBA { return levels(i, 1.2, 1) })},
		{"brightness −20 %", jpg(90, func(i *image.RGBA) *image.RGBA { return levels(i, 0.8, 1) })},
		{"contrast +20 %", jpg(90, func(i *image.RGBA) *image.RGBA { return levels(i, 1, 1.2) })},
		{"contrast −20 %", jpg(90, func(i *image.RGBA) *image.RGBA { return levels(i, 1, 0.8) })},
		{"resize 50 % + q70", jpg(70, func(i *image.RGBA) *image.RGBA { return scaleBy(i, 0.5) })},
		{"crop 2.5 % each side + brightness +20 % + q80", jpg(80, func(i *image.RGBA) *image.RGBA {
			return levels(cropBy(i, 0.025, 0.025, 0.025, 0.025), 1.2, 1)
		})},
		{"resize 25 % + contrast −20 % + brightness −20 % + q60", jpg(60, func(i *image.RGBA) *image.RGBA {
			return levels(scaleBy(i, 0.25), 0.8, 0.8)
		})},
		{"crop 5 % + resize 50 % + contrast +20 % + q75", jpg(75, func(i *image.RGBA) *image.RGBA {
			return levels(scaleBy(cropBy(i, 0, 0, 0.05, 0), 0.5), 1, 1.2)
		})},
		{"turned 90° clockwise, EXIF orientation 8", func(i *image.RGBA) []byte { return withOrientation(encodeJPEG(rot(i, 1), 90), 8) }},
		{"turned 90° counter-clockwise, EXIF orientation 6", func(i *image.RGBA) []byte { return withOrientation(encodeJPEG(rot(i, 3), 90), 6) }},
		{"turned 180°, EXIF orientation 3", func(i *image.RGBA) []byte { return withOrientation(encodeJPEG(rot(i, 2), 90), 3) }},
		{"turned 90° without EXIF (not the same picture upright)", jpg(90, func(i *image.RGBA) *image.RGBA { return rot(i, 1) })},
	}
}

// upright is the picture as the analysis sees the stored file.
func upright(s source) *image.RGBA {
	if s.name == "orientation_portrait_6.jpg" {
		return rotate90(s.img) // EXIF orientation 6: turn clockwise
	}
	return s.img
}

type dist struct{ p, d int }

func (c calibration) distance(a, b *milepost.PhotoAnalysis) dist {
	return dist{photo.HashDistance(a.PHash, b.PHash), photo.HashDistance(a.DHash, b.DHash)}
}

// hashes prints the distances between each photo and its edited copies, and between
// unrelated pictures.
func (c calibration) hashes(srcs []source) {
	fmt.Println("### Perceptual hashes")
	fmt.Println()
	refs := make([]*milepost.PhotoAnalysis, len(srcs))
	for i, s := range srcs {
		refs[i] = c.analyse(s.data)
	}
	var rows [][]string
	var worstP, worstD int
	var same, crops []dist // edits that keep the picture; 5 % crops among them
	for _, e := range edits() {
		var ps, ds []int
		for i, s := range srcs {
			d := c.distance(refs[i], c.analyse(e.do(upright(s))))
			ps, ds = append(ps, d.p), append(ds, d.d)
			switch {
			case strings.Contains(e.name, "without EXIF") || strings.Contains(e.name, "10 %"):
			case strings.Contains(e.name, "crop 5 %"):
				crops = append(crops, d)
			default:
				same = append(same, d)
			}
		}
		if !strings.Contains(e.name, "without EXIF") && !strings.Contains(e.name, "10 %") {
			worstP, worstD = max(worstP, slices.Max(ps)), max(worstD, slices.Max(ds))
		}
		rows = append(rows, []string{e.name, ints(ps), fmt.Sprint(slices.Max(ps)), ints(ds), fmt.Sprint(slices.Max(ds))})
	}
	fmt.Println("Same picture: distance from each photo as stored (" + strings.Join(names(srcs), ", ") + ") to its edited copy:")
	fmt.Println()
	table([]string{"edit", "pHash", "max", "dHash", "max"}, rows)
	fmt.Printf("Largest distance of a same-picture edit (crop 10 %% and the untagged turn left out): pHash %d, dHash %d.\n\n", worstP, worstD)

	// Unrelated pictures.
	var real []dist
	for i := range refs {
		for j := i + 1; j < len(refs); j++ {
			real = append(real, c.distance(refs[i], refs[j]))
		}
	}
	var scenes []*milepost.PhotoAnalysis
	for i := range 200 {
		scenes = append(scenes, c.analyse(encodeJPEG(scene(640, 480, uint64(1000+i)), 85)))
	}
	var scenePairs []dist
	for i := range scenes {
		for j := i + 1; j < len(scenes); j++ {
			scenePairs = append(scenePairs, c.distance(scenes[i], scenes[j]))
		}
	}
	var layouts, readings, reencoded []dist
	var dash [][]*milepost.PhotoAnalysis // [layout][reading]
	for l := range 60 {
		var row []*milepost.PhotoAnalysis
		for r := range 3 {
			row = append(row, c.analyse(encodeJPEG(dashboard(1024, 768, uint64(l), uint64(100*l+r)), 85)))
		}
		dash = append(dash, row)
		readings = append(readings, c.distance(row[0], row[1]), c.distance(row[0], row[2]), c.distance(row[1], row[2]))
		img := dashboard(1024, 768, uint64(l), uint64(100*l))
		reencoded = append(reencoded, c.distance(row[0], c.analyse(encodeJPEG(scaleBy(img, 0.5), 60))))
	}
	for i := range dash {
		for j := i + 1; j < len(dash); j++ {
			layouts = append(layouts, c.distance(dash[i][0], dash[j][0]))
		}
	}
	rows = nil
	for _, g := range []struct {
		name  string
		pairs []dist
	}{
		{"the real photos, all pairs", real},
		{"200 synthetic scenes, all pairs", scenePairs},
		{"60 night dashboards of different layouts, all pairs", layouts},
		{"night dashboards of one layout, other needles and digits (different photos that look alike)", readings},
		{"the same night dashboard, resized 50 % and re-encoded q60 (same picture)", reencoded},
	} {
		rows = append(rows, append([]string{g.name, fmt.Sprint(len(g.pairs))}, quantiles(g.pairs)...))
	}
	fmt.Println("Distances between pictures (pHash / dHash):")
	fmt.Println()
	table([]string{"pairs", "n", "min", "0.1 %", "1 %", "median", "max"}, rows)
	same = append(same, reencoded...)
	rows = nil
	for _, t := range [][2]int{{6, 8}, {8, 10}, {8, 64}, {10, 12}, {10, 16}, {10, 64}, {12, 14}, {12, 16}, {14, 64}} {
		rule := fmt.Sprintf("pHash ≤ %d and dHash ≤ %d", t[0], t[1])
		if t[1] == 64 {
			rule = fmt.Sprintf("pHash ≤ %d", t[0])
		}
		rows = append(rows, []string{rule,
			fmt.Sprintf("%d of %d", matched(same, t), len(same)),
			fmt.Sprintf("%d of %d", matched(crops, t), len(crops)),
			fmt.Sprintf("%d of %d", matched(scenePairs, t), len(scenePairs)),
			fmt.Sprintf("%d of %d", matched(layouts, t), len(layouts)),
			fmt.Sprintf("%d of %d", matched(readings, t), len(readings)),
		})
	}
	fmt.Println("Rules for \"the same picture\": how many pairs each matches.")
	fmt.Println()
	table([]string{"rule", "same picture (edits above without crops, and the dashboards re-encoded)", "5 % crops",
		"unrelated scenes", "dashboards of different layouts", "alike dashboards (different photos)"}, rows)
}

func matched(pairs []dist, t [2]int) int {
	n := 0
	for _, d := range pairs {
		if d.p <= t[0] && d.d <= t[1] {
			n++
		}
	}
	return n
}

func quantiles(pairs []dist) []string {
	var out []string
	ps := make([]int, len(pairs))
	ds := make([]int, len(pairs))
	for i, d := range pairs {
		ps[i], ds[i] = d.p, d.d
	}
	slices.Sort(ps)
	slices.Sort(ds)
	for _, q := range []float64{0, 0.001, 0.01, 0.5, 1} {
		i := min(len(ps)-1, int(math.Floor(q*float64(len(ps)-1))))
		out = append(out, fmt.Sprintf("%d / %d", ps[i], ds[i]))
	}
	return out
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " ")
}

func names(srcs []source) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, short(s.name))
	}
	return out
}
