package damage

import (
	"flag"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// go test ./damage -run TestCalibrate -calibrate -calibrate.n 40 -v prints the tables of
// docs/damage-analysis.md.
var (
	calibrate  = flag.Bool("calibrate", false, "run the calibration over many seeds and print its tables")
	calibrateN = flag.Int("calibrate.n", 20, "trials per scene and scenario when calibrating")
	calibrateP = flag.String("calibrate.pixel", "", "comma-separated PixelThreshold values to compare (default: the default only)")
	calibrateS = flag.String("calibrate.only", "", "run only the scenarios whose name contains this")
)

// scenario is one family of simulated check-in pairs.
type scenario struct {
	name string
	kind damageKind // −1: nothing painted
	size int
	// other pairs the before picture of one scene with the after picture of another.
	other bool
	// zoom frames the after picture at this scale of the before one, out of range.
	zoom float64
	// shadow darkens the scene by 30 % beyond a line in the after picture, over a transition
	// this many pixels wide: the light of another day, which one tone curve cannot undo.
	shadow float64
}

func scenarios() []scenario {
	s := []scenario{{name: "re-shot, no damage", kind: -1}, {name: "re-shot, uneven light", kind: -1, shadow: 300}, {name: "re-shot, shadow edge", kind: -1, shadow: 20}}
	for _, k := range []damageKind{dent, scratch, panel, crack} {
		for size := range 3 {
			s = append(s, scenario{name: fmt.Sprintf("%s, %s", k, sizeNames[size]), kind: k, size: size})
		}
	}
	return append(s,
		scenario{name: "different picture", kind: -1, other: true},
		scenario{name: "zoomed in ×1.9", kind: -1, zoom: 1.9},
		scenario{name: "zoomed out ×0.55", kind: -1, zoom: 0.55},
	)
}

// outcome is what one trial gave, kept as scores so thresholds can be swept afterwards.
type outcome struct {
	aligned     bool
	corr        float64
	err         float64 // registration error in pixels, aligned trials of the same scene
	damageScore float64 // best cell score at the damage
	awayScore   float64 // best cell score elsewhere
}

func (sc scenario) run(t testing.TB, scenes []*image.Gray, i int, opt Options) outcome {
	scene := scenes[i%len(scenes)]
	seed := uint64(i + 1)
	tr := newTrial(t, scene, sc.kind, sc.size, seed)
	if sc.other {
		j := (i%len(scenes) + 1 + int(seed%uint64(len(scenes)-1))) % len(scenes)
		tr.before = newTrial(t, scenes[j], -1, 0, seed+1000).before
	}
	if sc.shadow > 0 {
		tr = newTrial(t, shadowed(scene, seed, sc.shadow), -1, 0, seed)
		tr.before = newTrial(t, scene, -1, 0, seed).before
	}
	if sc.zoom != 0 {
		r := rand.New(rand.NewPCG(seed, 99))
		bw, bh := viewSize(scene)
		z := Transform{Scale: sc.zoom, DX: (r.Float64()*2 - 1) * 0.1 * float64(bw), DY: (r.Float64()*2 - 1) * 0.1 * float64(bh)}
		tr.after = randomCamera(r).shoot(t, view(scene, bw, bh, z), r)
	}
	res := Compare(tr.before, tr.after, opt)
	o := outcome{aligned: res.Aligned, corr: res.Correlation}
	if res.Aligned && !sc.other && sc.zoom == 0 {
		o.err = transformError(tr, res.Transform)
	}
	// Cells within a few pixels of the painted box count as hits: the detector forgives
	// misregistration by that much.
	near := tr.damage.Inset(-6)
	for _, c := range res.Cells {
		if !tr.damage.Empty() && c.Rect.Overlaps(near) {
			o.damageScore = max(o.damageScore, c.Score)
		} else {
			o.awayScore = max(o.awayScore, c.Score)
		}
	}
	return o
}

// runAll runs n trials per scene of sc on two goroutines.
func (sc scenario) runAll(t testing.TB, scenes []*image.Gray, n int, opt Options) []outcome {
	out := make([]outcome, n*len(scenes))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				out[i] = sc.run(t, scenes, i, opt)
			}
		})
	}
	for i := range out {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// rates are the headline numbers of a scenario at a cell threshold.
type rates struct {
	aligned, detected, falseFlag float64
	meanErr, maxErr              float64
	minCorr, maxCorr             float64
}

func summarise(os []outcome, threshold float64) rates {
	r := rates{minCorr: 1, maxCorr: -1}
	errs := 0
	for _, o := range os {
		r.minCorr, r.maxCorr = min(r.minCorr, o.corr), max(r.maxCorr, o.corr)
		if !o.aligned {
			continue
		}
		r.aligned++
		if o.damageScore > threshold {
			r.detected++
		}
		if o.awayScore > threshold {
			r.falseFlag++
		}
		if o.err > 0 {
			r.meanErr += o.err
			r.maxErr = max(r.maxErr, o.err)
			errs++
		}
	}
	n := float64(len(os))
	r.aligned /= n
	r.detected /= n
	r.falseFlag /= n
	if errs > 0 {
		r.meanErr /= float64(errs)
	}
	return r
}

func TestCalibrate(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -calibrate to print the calibration tables")
	}
	scenes := sceneSet(t, 10)
	pixels := []float64{DefaultOptions().PixelThreshold}
	if *calibrateP != "" {
		pixels = nil
		for _, f := range strings.Split(*calibrateP, ",") {
			var v float64
			fmt.Sscan(f, &v)
			pixels = append(pixels, v)
		}
	}
	thresholds := []float64{0.01, 0.02, 0.03, 0.05, 0.08}
	for _, px := range pixels {
		opt := DefaultOptions()
		opt.PixelThreshold = px
		var b strings.Builder
		fmt.Fprintf(&b, "\nPixelThreshold %.0f, %d scenes × %d trials per scenario\n\n", px, len(scenes), *calibrateN)
		fmt.Fprintf(&b, "| scenario | aligned | corr min–max | reg. error mean/max px |")
		for _, th := range thresholds {
			fmt.Fprintf(&b, " det/false @%.2f |", th)
		}
		b.WriteString("\n|---|---|---|---|" + strings.Repeat("---|", len(thresholds)) + "\n")
		for _, sc := range scenarios() {
			if !strings.Contains(sc.name, *calibrateS) {
				continue
			}
			os := sc.runAll(t, scenes, *calibrateN, opt)
			r := summarise(os, 0)
			fmt.Fprintf(&b, "| %s | %.0f %% | %.2f–%.2f | %.2f / %.2f |", sc.name, 100*r.aligned, r.minCorr, r.maxCorr, r.meanErr, r.maxErr)
			for _, th := range thresholds {
				r := summarise(os, th)
				fmt.Fprintf(&b, " %.0f / %.1f %% |", 100*r.detected, 100*r.falseFlag)
			}
			b.WriteString("\n")
		}
		t.Log(b.String())
	}
}

// shadowed darkens the scene by 30 % beyond a random line, over a transition width pixels wide.
func shadowed(scene *image.Gray, seed uint64, width float64) *image.Gray {
	r := rand.New(rand.NewPCG(seed, 5))
	c := toCanvas(scene)
	phi := r.Float64() * 2 * math.Pi
	nx, ny := math.Cos(phi), math.Sin(phi)
	cx, cy := float64(c.w)*(0.3+0.4*r.Float64()), float64(c.h)*(0.3+0.4*r.Float64())
	for y := range c.h {
		for x := range c.w {
			d := (float64(x)-cx)*nx + (float64(y)-cy)*ny
			c.pix[y*c.w+x] *= float32(1 - 0.3*smoothstep(-width/2, width/2, d))
		}
	}
	return c.gray()
}
