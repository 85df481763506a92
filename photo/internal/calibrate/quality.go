package main

import (
	"fmt"
	"math"
	"slices"
)

// sharpness prints the sharpness of each photo as stored, as PNG, re-encoded, blurred at full
// resolution (Gaussian σ in pixels, then JPEG q90) and scaled down then up again (JPEG q90).
func (c calibration) sharpness(srcs []source) {
	fmt.Println("### Sharpness")
	fmt.Println()
	sigmas := []float64{1, 1.5, 2, 3, 4, 6}
	factors := []float64{0.5, 1.0 / 3, 0.25}
	head := []string{"photo", "size", "scale", "as stored", "PNG", "q95", "q85"}
	for _, s := range sigmas {
		head = append(head, fmt.Sprintf("σ %g", s))
	}
	for _, f := range factors {
		head = append(head, fmt.Sprintf("↓↑ 1/%g", math.Round(1/f)))
	}
	var rows [][]string
	var sharp, blurred2, blurred3 []float64
	for _, s := range srcs {
		w, h := s.img.Rect.Dx(), s.img.Rect.Dy()
		row := []string{short(s.name), fmt.Sprintf("%d×%d", w, h), workScale(w, h)}
		orig := c.analyse(s.data).Sharpness
		sharp = append(sharp, orig)
		row = append(row, f2(orig), f2(c.analyse(encodePNG(s.img)).Sharpness))
		for _, q := range []int{95, 85} {
			row = append(row, f2(c.analyse(encodeJPEG(s.img, q)).Sharpness))
		}
		for _, sg := range sigmas {
			v := c.analyse(encodeJPEG(gaussian(s.img, sg), 90)).Sharpness
			row = append(row, f2(v))
			// σ at the working scale: the blur as the analysis sees it.
			switch ws := sg / float64(int(1)<<workShift(w, h)); {
			case ws >= 3:
				blurred3 = append(blurred3, v)
				fallthrough
			case ws >= 2:
				blurred2 = append(blurred2, v)
			}
		}
		for _, f := range factors {
			small := scaleBy(s.img, f)
			row = append(row, f2(c.analyse(encodeJPEG(resize(small, w, h), 90)).Sharpness))
		}
		rows = append(rows, row)
	}
	table(head, rows)
	fmt.Printf("Sharp photos as stored: %s. Blurred by σ ≥ 2 working pixels: at most %s; by σ ≥ 3: at most %s.\n\n",
		minMax(sharp), f2(slices.Max(blurred2)), f2(slices.Max(blurred3)))

	// The same in pixels of the working picture, which is what the measure sees.
	workSigmas := []float64{0.7, 1, 1.5, 2, 3}
	workFactors := []int{2, 3, 4}
	head = []string{"photo", "scale", "as stored"}
	for _, s := range workSigmas {
		head = append(head, fmt.Sprintf("σ %g", s))
	}
	for _, f := range workFactors {
		head = append(head, fmt.Sprintf("↓↑ 1/%d", f))
	}
	rows = nil
	byColumn := make([][]float64, len(workSigmas)+len(workFactors))
	for _, s := range srcs {
		w, h := s.img.Rect.Dx(), s.img.Rect.Dy()
		scale := float64(int(1) << workShift(w, h))
		row := []string{short(s.name), workScale(w, h), f2(c.analyse(s.data).Sharpness)}
		for i, sg := range workSigmas {
			v := c.analyse(encodeJPEG(gaussian(s.img, sg*scale), 90)).Sharpness
			byColumn[i] = append(byColumn[i], v)
			row = append(row, f2(v))
		}
		for i, f := range workFactors {
			fw := float64(f) * scale
			small := resize(s.img, int(float64(w)/fw), int(float64(h)/fw))
			v := c.analyse(encodeJPEG(resize(small, w, h), 90)).Sharpness
			byColumn[len(workSigmas)+i] = append(byColumn[len(workSigmas)+i], v)
			row = append(row, f2(v))
		}
		rows = append(rows, row)
	}
	summary := []string{"**range**", "", minMax(sharp)}
	for _, col := range byColumn {
		summary = append(summary, minMax(col))
	}
	rows = append(rows, summary)
	fmt.Println("Blur and upscaling in pixels of the working picture (σ × 2^r at full resolution, JPEG q90):")
	fmt.Println()
	table(head, rows)
}

func minMax(v []float64) string {
	return fmt.Sprintf("%s to %s", f2(slices.Min(v)), f2(slices.Max(v)))
}

// exposure prints brightness, dark and clipped shares of the photos darkened and brightened
// (every channel value times a gain), and of synthetic night dashboards.
func (c calibration) exposure(srcs []source) {
	fmt.Println("### Exposure")
	fmt.Println()
	gains := []float64{0.15, 0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 3}
	head := []string{"gain"}
	for _, s := range srcs {
		head = append(head, short(s.name))
	}
	var rows [][]string
	for _, g := range gains {
		row := []string{fmt.Sprintf("×%g", g)}
		for _, s := range srcs {
			a := c.analyse(encodeJPEG(levels(s.img, g, 1), 90))
			row = append(row, fmt.Sprintf("%.0f / %.2f / %.2f", a.Brightness, a.Dark, a.Clipped))
		}
		rows = append(rows, row)
	}
	fmt.Println("Brightness / Dark / Clipped:")
	fmt.Println()
	table(head, rows)

	var bright, dark []float64
	for i := range 40 {
		a := c.analyse(encodeJPEG(dashboard(1024, 768, uint64(i), uint64(i)), 90))
		bright = append(bright, a.Brightness)
		dark = append(dark, a.Dark)
	}
	fmt.Printf("40 synthetic night dashboards (dark panel, lit gauges and digits): brightness %s, dark %s.\n\n",
		minMax(bright), minMax(dark))
}

// moire prints the screen-pattern strength of natural pictures and of simulated photos of a
// screen.
func (c calibration) moire(srcs []source) {
	fmt.Println("### Moiré")
	fmt.Println()
	var natural []float64
	var rows [][]string
	for _, s := range srcs {
		w, h := s.img.Rect.Dx(), s.img.Rect.Dy()
		vals := []float64{c.analyse(s.data).Moire, c.analyse(encodePNG(s.img)).Moire}
		for _, q := range []int{50, 75, 95} {
			vals = append(vals, c.analyse(encodeJPEG(s.img, q)).Moire)
		}
		vals = append(vals, c.analyse(encodeJPEG(resize(s.img, w/2, h/2), 90)).Moire)
		vals = append(vals, c.analyse(encodeJPEG(gaussian(s.img, 2), 90)).Moire)
		row := []string{short(s.name)}
		for _, v := range vals {
			row = append(row, f3(v))
		}
		rows = append(rows, row)
		natural = append(natural, vals...)
	}
	table([]string{"photo", "as stored", "PNG", "q50", "q75", "q95", "half size", "σ 2"}, rows)
	var synth []float64
	for i := range 40 {
		synth = append(synth, c.analyse(encodeJPEG(dashboard(1024, 768, uint64(i), uint64(i)), 90)).Moire)
		synth = append(synth, c.analyse(encodeJPEG(scene(1024, 768, uint64(i)), 90)).Moire)
	}
	fmt.Printf("Natural photos and their variants: %s to %s. 40 synthetic dashboards and 40 synthetic scenes: %s to %s.\n\n",
		f3(slices.Min(natural)), f3(slices.Max(natural)), f3(slices.Min(synth)), f3(slices.Max(synth)))

	// Screens: the first three photos shown on a 1280×960 camera frame.
	ms := []float64{0.7, 0.9, 1.3, 1.7, 2.2, 3, 4, 6}
	rows = nil
	var all []float64
	for _, m := range ms {
		var vals []float64
		for _, s := range srcs[:3] {
			for _, deg := range []float64{0.5, 3} {
				shot := screenShot(s.img, 1280, 960, m, deg)
				vals = append(vals, c.analyse(encodeJPEG(shot, 90)).Moire)
				vals = append(vals, c.analyse(encodeJPEG(gaussian(shot, 0.7), 90)).Moire)
				bg := resize(srcs[2].img, 1280, 960)
				vals = append(vals, c.analyse(encodeJPEG(embed(bg, shot, 0.5), 90)).Moire)
			}
		}
		slices.Sort(vals)
		rows = append(rows, []string{fmt.Sprint(m), f3(vals[0]), f3(vals[len(vals)/4]), f3(vals[len(vals)/2]), f3(vals[len(vals)-1])})
		all = append(all, vals...)
	}
	fmt.Println("Simulated screen photos (3 photos × turned 0.5° and 3° × sharp, lens blur σ 0.7, or the screen on half the frame; JPEG q90), by camera pixels per screen pixel:")
	fmt.Println()
	table([]string{"camera px per screen px", "min", "lower quartile", "median", "max"}, rows)
	for _, t := range []float64{0.02, 0.03, 0.05, 0.1} {
		n := 0
		for _, v := range all {
			if v > t {
				n++
			}
		}
		fmt.Printf("- above %.2f: %d of %d screen photos\n", t, n, len(all))
	}
	// Two phone-sized frames.
	for _, m := range []float64{1.5, 3} {
		shot := screenShot(srcs[0].img, 4032, 3024, m, 2)
		fmt.Printf("- 4032×3024 frame, %g camera px per screen px: %s\n", m, f3(c.analyse(encodeJPEG(shot, 92)).Moire))
	}
	fmt.Println()
}
