package jpegdc

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// scene is a w×h picture that looks enough like a photo to exercise a codec: gradients, hard
// edges, a fine texture and some noise.
func scene(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 7))
	for y := range h {
		for x := range w {
			r := 60 + 120*x/max(w, 1)
			g := 40 + 150*y/max(h, 1)
			b := 128 + int(60*math.Sin(float64(x+2*y)/9))
			if (x/13+y/11)%5 == 0 { // hard-edged patches
				r, g, b = 230, 220, 40
			}
			if (x+y)%4 == 0 && x > w/2 { // fine texture
				r, g, b = r/2, g/2, b/2
			}
			n := rng.IntN(21) - 10
			img.SetRGBA(x, y, color.RGBA{clamp8(r + n), clamp8(g + n), clamp8(b + n), 255})
		}
	}
	return img
}

func clamp8(v int) uint8 { return uint8(min(max(v, 0), 255)) }

func goJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func grayOf(img *image.RGBA) *image.Gray {
	g := image.NewGray(img.Rect)
	for i := range g.Pix {
		p := img.Pix[4*i : 4*i+3]
		g.Pix[i] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
	}
	return g
}

// reference decodes data with image/jpeg and returns its luma plane.
func reference(t testing.TB, data []byte) *image.Gray {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg: %v", err)
	}
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}
	}
	t.Fatalf("image/jpeg returned a %T", img)
	return nil
}

type testCase struct {
	name string
	data []byte
	// coarse is a JPEG quantized so coarsely that its decoded pixels are often clamped to
	// 0 or 255: their DCT is then not the decoded coefficients.
	coarse bool
}

// testJPEGs are JPEGs from four encoders: image/jpeg, this package's test encoder, cjpeg
// (testdata) and the cameras of ../../testdata.
func testJPEGs(t testing.TB) []testCase {
	var cases []testCase
	add := func(name string, data []byte) { cases = append(cases, testCase{name: name, data: data}) }
	addCoarse := func(name string, data []byte) { cases = append(cases, testCase{name, data, true}) }
	for _, sz := range []image.Point{{1, 1}, {7, 9}, {8, 8}, {16, 16}, {17, 33}, {100, 1}, {1, 100}, {203, 157}, {640, 480}} {
		img := scene(sz.X, sz.Y, uint64(sz.X*1000+sz.Y))
		addCoarse(fmt.Sprintf("go %dx%d q50", sz.X, sz.Y), goJPEG(t, img, 50))
		for _, q := range []int{90, 100} {
			add(fmt.Sprintf("go %dx%d q%d", sz.X, sz.Y, q), goJPEG(t, img, q))
		}
		add(fmt.Sprintf("go gray %dx%d", sz.X, sz.Y), goJPEG(t, grayOf(img), 90))
	}
	for _, sz := range []image.Point{{1, 1}, {37, 21}, {64, 48}, {203, 157}} {
		img := scene(sz.X, sz.Y, uint64(sz.X))
		for _, o := range []encodeOptions{
			{h: 1, v: 1}, {h: 2, v: 1}, {h: 1, v: 2}, {h: 2, v: 2}, {h: 4, v: 1}, {h: 4, v: 2},
			{h: 2, v: 2, restart: 1}, {h: 1, v: 1, restart: 5}, {h: 2, v: 1, restart: 7, quality: 100},
			{gray: true}, {gray: true, restart: 3}, {h: 1, v: 1, separate: true}, {h: 2, v: 2, separate: true},
			{h: 2, v: 2, long: true}, {h: 1, v: 1, long: true, restart: 2, quality: 100},
		} {
			add(fmt.Sprintf("test encoder %dx%d %+v", sz.X, sz.Y, o), encodeTest(t, img, o))
		}
		addCoarse(fmt.Sprintf("test encoder %dx%d gray long q30", sz.X, sz.Y),
			encodeTest(t, img, encodeOptions{gray: true, long: true, quality: 30}))
	}
	for _, glob := range []string{"testdata/*.jpg", "../../testdata/*.jpg"} {
		files, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			switch filepath.Base(f) {
			case "progressive.jpg", "arithmetic.jpg", "rgb.jpg", "truncated_jolla.jpg":
				continue // see TestDecodeLeavesToImageJPEG and TestDecodeRefusesLikeImageJPEG
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			add(f, data)
		}
	}
	return cases
}

// diffStats returns the largest and the mean absolute difference of a and b over the
// rectangle r (both at the origin).
func diffStats(a, b *image.Gray, r image.Rectangle) (maxd int, mean float64) {
	var sum, n int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d := int(a.Pix[y*a.Stride+x]) - int(b.Pix[y*b.Stride+x])
			if d < 0 {
				d = -d
			}
			maxd = max(maxd, d)
			sum += d
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return maxd, float64(sum) / float64(n)
}

// TestDecodeMatchesImageJPEG compares the reduced decode with image/jpeg's full decode: the
// 1/8 picture with the box-averaged pixels, and everything with FromGray of those pixels.
func TestDecodeMatchesImageJPEG(t *testing.T) {
	for i, tc := range testJPEGs(t) {
		reduce := i % 4
		t.Run(fmt.Sprintf("%s reduce %d", tc.name, reduce), func(t *testing.T) {
			p, err := Decode(tc.data, reduce)
			if err != nil {
				t.Fatal(err)
			}
			ref := reference(t, tc.data)
			w, h := ref.Rect.Dx(), ref.Rect.Dy()
			if p.Width != w || p.Height != h || p.Reduce != reduce {
				t.Fatalf("size %dx%d reduce %d, want %dx%d reduce %d", p.Width, p.Height, p.Reduce, w, h, reduce)
			}

			// The 1/8 picture against the mean of each whole 8×8 block of pixels.
			box := image.NewGray(image.Rect(0, 0, w/8, h/8))
			for by := range h / 8 {
				for bx := range w / 8 {
					s := 0
					for y := range 8 {
						for x := range 8 {
							s += int(ref.Pix[(by*8+y)*ref.Stride+bx*8+x])
						}
					}
					box.Pix[by*box.Stride+bx] = uint8((s + 32) / 64)
				}
			}
			if maxd, mean := diffStats(p.DC, box, box.Rect); maxd > 3 || mean > 0.3 {
				t.Errorf("DC against box average: max diff %d, mean %.3f", maxd, mean)
			}

			want, err := FromGray(ref, reduce)
			if err != nil {
				t.Fatal(err)
			}
			if p.Blocks != want.Blocks || p.Blocks != p.DC.Rect.Dx()*p.DC.Rect.Dy() {
				t.Errorf("blocks %d, want %d", p.Blocks, want.Blocks)
			}
			// Blocks on the right and bottom edges hold padding: the encoder filled it from
			// the original pixels, FromGray from the decoded ones.
			if maxd, mean := diffStats(p.DC, want.DC, box.Rect); maxd > 3 || mean > 0.3 {
				t.Errorf("DC against FromGray: max diff %d, mean %.3f", maxd, mean)
			}
			if maxd, _ := diffStats(p.DC, want.DC, want.DC.Rect); maxd > 16 {
				t.Errorf("DC against FromGray, edges included: max diff %d", maxd)
			}
			// The energies include the padding blocks, which the encoder filled from the
			// original pixels and FromGray from the decoded ones: compare them only when
			// padding is a small part of the blocks.
			padded := float64(w*h)/float64(p.Blocks*64) < 0.9
			if reduce > 0 {
				k := 8 >> reduce
				if maxd, mean := diffStats(p.Work, want.Work, image.Rect(0, 0, w/8*k, h/8*k)); maxd > 6 || mean > 0.3 {
					t.Errorf("Work against FromGray: max diff %d, mean %.3f", maxd, mean)
				}
				if maxd, _ := diffStats(p.Work, want.Work, want.Work.Rect); maxd > 16 {
					t.Errorf("Work against FromGray, edges included: max diff %d", maxd)
				}
			} else if p.Work != nil || len(p.Grad) != p.Blocks || len(p.Lap) != p.Blocks {
				t.Errorf("reduce 0: Work %v, %d Grad, %d Lap for %d blocks", p.Work != nil, len(p.Grad), len(p.Lap), p.Blocks)
			} else if !padded {
				// Rounding the decoded pixels to 8 bits adds about 1/12 per pixel of noise.
				g, wg := sum32(p.Grad), sum32(want.Grad)
				l, wl := sum32(p.Lap), sum32(want.Lap)
				noise := float64(p.Blocks) * 64 / 12
				if math.Abs(g-wg) > 0.03*wg+4*noise || math.Abs(l-wl) > 0.03*wl+16*noise {
					t.Errorf("Σ Grad %.4g, Σ Lap %.4g; FromGray says %.4g, %.4g", g, l, wg, wl)
				}
			}
			if padded || tc.coarse {
				return
			}
			var total, wantTotal float64
			for k := range 64 {
				total += p.Spectrum[k]
				wantTotal += want.Spectrum[k]
				// The decoded pixels are rounded to 8 bits, which moves each coefficient by
				// about 0.3.
				tol := 0.1*want.Spectrum[k] + 0.6*math.Sqrt(want.Spectrum[k]*float64(p.Blocks)) + float64(p.Blocks)
				if d := math.Abs(p.Spectrum[k] - want.Spectrum[k]); d > tol {
					t.Errorf("Spectrum[%d] = %.4g, FromGray says %.4g", k, p.Spectrum[k], want.Spectrum[k])
				}
			}
			if p.Spectrum[0] != 0 || math.Abs(total-wantTotal) > 0.02*wantTotal+float64(p.Blocks) {
				t.Errorf("Σ Spectrum = %.4g (DC term %.4g), FromGray says %.4g", total, p.Spectrum[0], wantTotal)
			}
		})
	}
}

func sum32(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x)
	}
	return s
}

// TestDecodeRefusesLikeImageJPEG cuts and damages JPEGs and checks that Decode refuses
// exactly what image/jpeg refuses.
func TestDecodeRefusesLikeImageJPEG(t *testing.T) {
	truncated, err := os.ReadFile("../../testdata/truncated_jolla.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(truncated, 2); err == nil || errors.Is(err, ErrUnsupported) {
		t.Errorf("truncated_jolla.jpg: Decode error = %v, want a FormatError", err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	img := scene(64, 48, 3)
	inputs := []testCase{
		{name: "go 4:2:0", data: goJPEG(t, img, 90)},
		{name: "restart 1", data: encodeTest(t, img, encodeOptions{h: 2, v: 2, restart: 1})},
		{name: "gray restart 3", data: encodeTest(t, img, encodeOptions{gray: true, restart: 3})},
		{name: "long codes", data: encodeTest(t, img, encodeOptions{h: 2, v: 1, long: true, restart: 4})},
		{name: "separate scans", data: encodeTest(t, img, encodeOptions{h: 1, v: 1, separate: true})},
	}
	for _, in := range inputs {
		var mutants [][]byte
		for n := 0; n < len(in.data); n += 1 + len(in.data)/300 {
			mutants = append(mutants, in.data[:n])
		}
		for range 600 {
			m := bytes.Clone(in.data)
			for range 1 + rng.IntN(3) {
				i := rng.IntN(len(m))
				switch rng.IntN(3) {
				case 0:
					m[i] ^= 1 << rng.IntN(8)
				case 1:
					m[i] = 0xff
				default:
					m[i] = byte(rng.IntN(256))
				}
			}
			mutants = append(mutants, m)
		}
		var refused, accepted int
		for i, m := range mutants {
			_, err := Decode(m, i%4)
			if errors.Is(err, ErrUnsupported) {
				continue
			}
			_, refErr := jpeg.Decode(bytes.NewReader(m))
			if (err == nil) != (refErr == nil) {
				t.Errorf("%s mutant %d (%d bytes): Decode error %v, image/jpeg error %v", in.name, i, len(m), err, refErr)
			}
			if err != nil {
				refused++
			} else {
				accepted++
			}
		}
		t.Logf("%s: %d mutants refused, %d accepted, as image/jpeg", in.name, refused, accepted)
	}
}

// TestDecodeLeavesToImageJPEG checks the JPEGs left to image/jpeg, and the ones both refuse.
func TestDecodeLeavesToImageJPEG(t *testing.T) {
	cmyk := []byte{0xff, soiMarker, 0xff, sof0Marker, 0, 20, 8, 0, 16, 0, 16, 4,
		1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, 0xff, eoiMarker}
	for _, tt := range []struct {
		name    string
		data    []byte
		wantErr error // ErrUnsupported, or nil for an UnsupportedError as image/jpeg's
	}{
		{"progressive.jpg", nil, ErrUnsupported},
		{"rgb.jpg", nil, ErrUnsupported},
		{"cmyk header", cmyk, ErrUnsupported},
		{"arithmetic.jpg", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == nil {
				var err error
				if data, err = os.ReadFile(filepath.Join("testdata", tt.name)); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Decode(data, 1)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Decode error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			var ue UnsupportedError
			_, refErr := jpeg.Decode(bytes.NewReader(data))
			if !errors.As(err, &ue) || refErr == nil || refErr.Error() != err.Error() {
				t.Errorf("Decode error = %v, want image/jpeg's %v", err, refErr)
			}
		})
	}
}

func TestDecodeRejectsBadReduce(t *testing.T) {
	data := goJPEG(t, scene(8, 8, 1), 90)
	for _, r := range []int{-1, 4} {
		if _, err := Decode(data, r); err == nil {
			t.Errorf("Decode(reduce %d): no error", r)
		}
		if _, err := FromGray(image.NewGray(image.Rect(0, 0, 8, 8)), r); err == nil {
			t.Errorf("FromGray(reduce %d): no error", r)
		}
	}
	if _, err := FromGray(image.NewGray(image.Rect(0, 0, 0, 8)), 0); err == nil {
		t.Error("FromGray of an empty picture: no error")
	}
}

// FuzzDecode checks that Decode never panics and refuses what image/jpeg refuses.
func FuzzDecode(f *testing.F) {
	img := scene(24, 16, 9)
	f.Add(goJPEG(f, img, 75), uint8(0))
	f.Add(goJPEG(f, grayOf(img), 75), uint8(1))
	f.Add(encodeTest(f, img, encodeOptions{h: 2, v: 2, restart: 1}), uint8(2))
	f.Add(encodeTest(f, img, encodeOptions{h: 4, v: 1, long: true}), uint8(3))
	f.Add(encodeTest(f, img, encodeOptions{h: 1, v: 1, separate: true, restart: 2}), uint8(1))
	if data, err := os.ReadFile("testdata/optimized_444_restart3.jpg"); err == nil {
		f.Add(data, uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, reduce uint8) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<20 {
			return // the caller's guard: image/jpeg would allocate it all
		}
		p, err := Decode(data, int(reduce%4))
		if errors.Is(err, ErrUnsupported) {
			return
		}
		_, refErr := jpeg.Decode(bytes.NewReader(data))
		if (err == nil) != (refErr == nil) {
			t.Fatalf("Decode error %v, image/jpeg error %v", err, refErr)
		}
		if err == nil && (p.Width != cfg.Width || p.Height != cfg.Height) {
			t.Fatalf("Decode size %dx%d, image/jpeg %dx%d", p.Width, p.Height, cfg.Width, cfg.Height)
		}
	})
}

func TestBlockEnergies(t *testing.T) {
	for _, sz := range []image.Point{{8, 8}, {37, 21}, {203, 157}} {
		g := grayOf(scene(sz.X, sz.Y, 5))
		sub := g.SubImage(image.Rect(3, 2, sz.X, sz.Y)).(*image.Gray) // not at the origin
		p, err := FromGray(sub, 0)
		if err != nil {
			t.Fatal(err)
		}
		grad, lap := BlockEnergies(sub)
		if !slices.Equal(grad, p.Grad) || !slices.Equal(lap, p.Lap) {
			t.Errorf("%v: BlockEnergies differ from FromGray's Grad and Lap", sz)
		}
	}
}
