// Command ocr-eval measures the OCR engines on generated odometer and plate photos with known
// truth and prints the comparison table of docs/ocr.md:
//
//	go run -tags ocr_onnx ./ocr/cmd/ocr-eval -odometers 200 -plates 100
//
// Without the ocr_onnx tag only tesseract is measured. Pictures are generated from a seed, so
// a run is repeatable; -dump writes them as JPEGs for a look.
package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/milepost/milepost/ocr"
	"github.com/milepost/milepost/ocr/internal/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ocr-eval:", err)
		os.Exit(1)
	}
}

// result is one engine's outcome on one picture.
type result struct {
	sample synth.Sample
	got    ocr.Reading
	ok     bool
	err    error
	dur    time.Duration
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("ocr-eval", flag.ContinueOnError)
	odometers := fs.Int("odometers", 200, "odometer pictures")
	plates := fs.Int("plates", 100, "plate pictures")
	seed := fs.Uint64("seed", 1, "generator seed")
	tolerance := fs.Int64("tolerance", 100, "an odometer reading within this many units of the truth counts as right (plates: ocr.SamePlate)")
	engines := fs.String("engines", "tesseract,onnx", "engines to measure")
	threads := fs.Int("onnx-threads", 1, "ONNX Runtime threads (1 compares with single-threaded tesseract)")
	dump := fs.String("dump", "", "write the pictures and misreads to this folder")
	verbose := fs.Bool("v", false, "print every misread")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var es []ocr.Engine
	for _, name := range strings.Split(*engines, ",") {
		var e ocr.Engine
		switch name {
		case "tesseract":
			e = ocr.NewTesseract()
		case "onnx":
			cfg := ocr.ONNXConfigFromEnv()
			cfg.Threads = *threads
			e = ocr.NewONNX(cfg)
		default:
			return fmt.Errorf("unknown engine %q", name)
		}
		if err := e.Available(); err != nil {
			fmt.Fprintf(out, "skipping %s: %v\n", name, err)
			continue
		}
		es = append(es, e)
	}
	gen, err := synth.New(synth.DefaultConfig(*seed))
	if err != nil {
		return err
	}
	results := map[string][]result{}
	ctx := context.Background()
	start := time.Now()
	for i := range *odometers + *plates {
		var s synth.Sample
		if i < *odometers {
			s, err = gen.Odometer()
		} else {
			s, err = gen.Plate()
		}
		if err != nil {
			return err
		}
		if *dump != "" {
			if err := save(filepath.Join(*dump, fmt.Sprintf("%03d-%s-%s.jpg", i, s.Style, s.Text)), s.Image); err != nil {
				return err
			}
		}
		for _, e := range es {
			r := result{sample: s}
			t0 := time.Now()
			if s.Kind == synth.KindOdometer {
				r.got, r.ok, r.err = ocr.ReadOdometer(ctx, e, s.Image)
			} else {
				r.got, r.ok, r.err = ocr.ReadPlate(ctx, e, s.Image)
			}
			r.dur = time.Since(t0)
			results[e.Name()] = append(results[e.Name()], r)
			if *verbose && !right(r, *tolerance) {
				fmt.Fprintf(out, "%s %03d %s %s: want %s got %q conf %.2f ok=%v err=%v\n",
					e.Name(), i, s.Kind, s.Style, s.Text, r.got.Text, r.got.Confidence, r.ok, r.err)
			}
		}
		if (i+1)%25 == 0 {
			fmt.Fprintf(os.Stderr, "%d/%d pictures, %s\n", i+1, *odometers+*plates, time.Since(start).Round(time.Second))
		}
	}
	for _, kind := range []synth.Kind{synth.KindOdometer, synth.KindPlate} {
		fmt.Fprintf(out, "\n### %s (%d pictures, seed %d, tolerance %d)\n\n", kind, count(results, kind), *seed, *tolerance)
		fmt.Fprintln(out, "| engine | read | exact | within tolerance | confident (≥ 0.85) | confident but wrong | ms/picture (median, p90) |")
		fmt.Fprintln(out, "|---|---|---|---|---|---|---|")
		for _, e := range es {
			table(out, e.Name(), filter(results[e.Name()], kind), *tolerance)
		}
		fmt.Fprintln(out, "\nConfident-but-wrong and confident-and-right share of all pictures, by threshold:")
		fmt.Fprintln(out, "\n| engine | 0.5 | 0.6 | 0.7 | 0.8 | 0.85 | 0.9 | 0.95 |")
		fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|")
		for _, e := range es {
			sweep(out, e.Name(), filter(results[e.Name()], kind), *tolerance)
		}
		fmt.Fprintln(out, "\nExact reads by style:")
		fmt.Fprintln(out)
		styles(out, es, results, kind)
	}
	return nil
}

func right(r result, tol int64) bool {
	if !r.ok {
		return false
	}
	if r.sample.Kind == synth.KindPlate {
		// What a check-in compares: the same registration once O/0 and I/J/1 are folded.
		return ocr.SamePlate(r.got.Text, r.sample.Text)
	}
	d := r.got.Value - r.sample.Value
	return d >= -tol && d <= tol
}

func filter(rs []result, kind synth.Kind) []result {
	var out []result
	for _, r := range rs {
		if r.sample.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

func count(m map[string][]result, kind synth.Kind) int {
	for _, rs := range m {
		return len(filter(rs, kind))
	}
	return 0
}

func pct(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %%", 100*float64(n)/float64(of))
}

func table(out io.Writer, name string, rs []result, tol int64) {
	var read, exact, within, confident, wrong int
	var durs []time.Duration
	for _, r := range rs {
		durs = append(durs, r.dur)
		if !r.ok {
			continue
		}
		read++
		if r.got.Text == r.sample.Text || (r.sample.Kind == synth.KindOdometer && r.got.Value == r.sample.Value) {
			exact++
		}
		if right(r, tol) {
			within++
		}
		if r.got.Confident() {
			confident++
			if !right(r, tol) {
				wrong++
			}
		}
	}
	slices.Sort(durs)
	q := func(p float64) int64 {
		if len(durs) == 0 {
			return 0
		}
		return durs[int(p*float64(len(durs)-1))].Milliseconds()
	}
	n := len(rs)
	fmt.Fprintf(out, "| %s | %s | %s | %s | %s | %d (%s) | %d, %d |\n", name, pct(read, n), pct(exact, n), pct(within, n),
		pct(confident, n), wrong, pct(wrong, n), q(0.5), q(0.9))
}

func sweep(out io.Writer, name string, rs []result, tol int64) {
	fmt.Fprintf(out, "| %s |", name)
	for _, t := range []float64{0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95} {
		var wrong, good int
		for _, r := range rs {
			if r.ok && r.got.Confidence >= t {
				if right(r, tol) {
					good++
				} else {
					wrong++
				}
			}
		}
		fmt.Fprintf(out, " %s / %s |", pct(wrong, len(rs)), pct(good, len(rs)))
	}
	fmt.Fprintln(out)
}

func styles(out io.Writer, es []ocr.Engine, results map[string][]result, kind synth.Kind) {
	if len(es) == 0 {
		return
	}
	var names []string
	for _, r := range filter(results[es[0].Name()], kind) {
		st := r.sample.Style
		if kind == synth.KindPlate {
			st = "plate"
		}
		if !slices.Contains(names, st) {
			names = append(names, st)
		}
	}
	slices.Sort(names)
	fmt.Fprint(out, "| style |")
	for _, e := range es {
		fmt.Fprintf(out, " %s |", e.Name())
	}
	fmt.Fprint(out, "\n|---|")
	for range es {
		fmt.Fprint(out, "---|")
	}
	fmt.Fprintln(out)
	for _, st := range names {
		fmt.Fprintf(out, "| %s |", st)
		for _, e := range es {
			n, ok := 0, 0
			for _, r := range filter(results[e.Name()], kind) {
				if r.sample.Style == st || kind == synth.KindPlate {
					n++
					if r.ok && (r.got.Text == r.sample.Text || (kind == synth.KindOdometer && r.got.Value == r.sample.Value)) {
						ok++
					}
				}
			}
			fmt.Fprintf(out, " %d/%d |", ok, n)
		}
		fmt.Fprintln(out)
	}
}

func save(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 85}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
