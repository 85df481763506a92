package photo

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"golang.org/x/image/draw"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// The default thresholds recommended in docs/photo-analysis.md, which these tests hold to.
const (
	blurredBelow    = 0.8  // Sharpness
	screenAbove     = 0.05 // Moire
	tooDarkBelow    = 40   // Brightness
	overexposedOver = 0.25 // Clipped
	samePHash       = 10   // pHash distance of the same picture
	sameDHash       = 16   // dHash distance of the same picture
)

// rgbaOf decodes a fixture into an RGBA picture.
func rgbaOf(t *testing.T, name string) *image.RGBA {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(fixture(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// gaussianBlur blurs img with a Gaussian of sigma pixels, edges extended.
func gaussianBlur(img *image.RGBA, sigma float64) *image.RGBA {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		x := float64(i - r)
		k[i] = math.Exp(-x * x / (2 * sigma * sigma))
		sum += k[i]
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pass := func(src *image.RGBA, dx, dy int) *image.RGBA {
		out := image.NewRGBA(src.Rect)
		for y := range h {
			for x := range w {
				var a [3]float64
				for i, kv := range k {
					xx := min(max(x+(i-r)*dx, 0), w-1)
					yy := min(max(y+(i-r)*dy, 0), h-1)
					p := src.Pix[yy*src.Stride+4*xx:]
					a[0] += kv * float64(p[0])
					a[1] += kv * float64(p[1])
					a[2] += kv * float64(p[2])
				}
				o := out.Pix[y*out.Stride+4*x:]
				for c := range 3 {
					o[c] = uint8(min(max(a[c]/sum+0.5, 0), 255))
				}
				o[3] = 255
			}
		}
		return out
	}
	return pass(pass(img, 1, 0), 0, 1)
}

// gain multiplies every channel of img by g.
func gain(img *image.RGBA, g float64) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i, v := range img.Pix {
		out.Pix[i] = uint8(min(float64(v)*g+0.5, 255))
		if i%4 == 3 {
			out.Pix[i] = 255
		}
	}
	return out
}

// screenShot renders src on an RGB-stripe screen photographed by a w×h camera with m camera
// pixels per screen pixel, the screen turned by deg degrees (see the calibration tool).
func screenShot(src *image.RGBA, w, h int, m, deg float64) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	cs, sn := math.Cos(deg*math.Pi/180), math.Sin(deg*math.Pi/180)
	scale := float64(src.Rect.Dx()) / (float64(w) / m)
	for y := range h {
		for x := range w {
			var acc [3]float64
			for j := range 3 {
				for i := range 3 {
					px := float64(x) + (float64(i)+0.5)/3 - float64(w)/2
					py := float64(y) + (float64(j)+0.5)/3 - float64(h)/2
					sx, sy := (cs*px+sn*py)/m+float64(w)/m/2, (-sn*px+cs*py)/m+float64(h)/m/2
					fx, fy := sx-math.Floor(sx), sy-math.Floor(sy)
					c := int(fx * 3)
					if fy > 0.85 || fx*3-float64(c) > 0.8 {
						continue
					}
					ix := min(max(int(math.Floor(sx)*scale), 0), src.Rect.Dx()-1)
					iy := min(max(int(math.Floor(sy)*scale), 0), src.Rect.Dy()-1)
					acc[c] += float64(src.Pix[iy*src.Stride+4*ix+c]) * 2.2
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(min(acc[0]/9, 255)), uint8(min(acc[1]/9, 255)), uint8(min(acc[2]/9, 255)), 255})
		}
	}
	return out
}

func inspect(t *testing.T, data []byte) *milepost.PhotoAnalysis {
	t.Helper()
	m, err := NewInspector(0).InspectPhoto(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Analysis == nil {
		t.Fatal("no analysis")
	}
	return m.Analysis
}

// TestSharpness checks that blurring lowers sharpness step by step, across the threshold. The
// blur is in pixels of the working picture (1600×1200 is judged at half size).
func TestSharpness(t *testing.T) {
	for _, name := range []string{"gps_DSCN0021.jpg", "malformed_memory_error.jpg", "invalid_image00971.jpg"} {
		t.Run(name, func(t *testing.T) {
			img := rgbaOf(t, name)
			w, h := img.Rect.Dx(), img.Rect.Dy()
			scale := float64(int(1) << workReduce(w, h))
			prev := inspect(t, fixture(t, name)).Sharpness
			if prev < 1.5 {
				t.Errorf("sharp photo: sharpness %.2f, want at least 1.5", prev)
			}
			for _, sigma := range []float64{1, 2, 4} {
				s := inspect(t, encodeJPEG(t, gaussianBlur(img, sigma*scale), 90)).Sharpness
				if s >= prev {
					t.Errorf("blur σ %g: sharpness %.2f, not below %.2f", sigma, s, prev)
				}
				if sigma >= 2 && s >= blurredBelow {
					t.Errorf("blur σ %g: sharpness %.2f, want under %g", sigma, s, blurredBelow)
				}
				prev = s
			}
			f := int(4 * scale)
			small := image.NewRGBA(image.Rect(0, 0, w/f, h/f))
			draw.CatmullRom.Scale(small, small.Rect, img, img.Rect, draw.Src, nil)
			upscaled := image.NewRGBA(img.Rect)
			draw.CatmullRom.Scale(upscaled, upscaled.Rect, small, small.Rect, draw.Src, nil)
			if s := inspect(t, encodeJPEG(t, upscaled, 90)).Sharpness; s >= blurredBelow {
				t.Errorf("scaled down %d times and up again: sharpness %.2f, want under %g", f, s, blurredBelow)
			}
		})
	}
}

// TestAnalysisJPEGMatchesPNG checks that one picture gives the same analysis as JPEG (the
// reduced decode) and as PNG (the full decode and FromGray).
func TestAnalysisJPEGMatchesPNG(t *testing.T) {
	for _, name := range []string{"gps_DSCN0010.jpg", "malformed_memory_error.jpg", "edited_photoshop.jpg"} {
		t.Run(name, func(t *testing.T) {
			img := rgbaOf(t, name)
			a, b := inspect(t, encodeJPEG(t, img, 95)), inspect(t, encodePNG(t, img))
			if d := math.Abs(a.Sharpness-b.Sharpness) / b.Sharpness; d > 0.1 {
				t.Errorf("sharpness: JPEG %.3f, PNG %.3f", a.Sharpness, b.Sharpness)
			}
			if d := math.Abs(a.Brightness - b.Brightness); d > 1 {
				t.Errorf("brightness: JPEG %.2f, PNG %.2f", a.Brightness, b.Brightness)
			}
			if d := math.Abs(a.Moire - b.Moire); d > 0.01 {
				t.Errorf("moiré: JPEG %.3f, PNG %.3f", a.Moire, b.Moire)
			}
			if dp, dd := HashDistance(a.PHash, b.PHash), HashDistance(a.DHash, b.DHash); dp > 2 || dd > 2 {
				t.Errorf("hash distances JPEG to PNG: pHash %d, dHash %d", dp, dd)
			}
			if a.ShortSide != b.ShortSide || a.ShortSide != min(img.Rect.Dx(), img.Rect.Dy()) {
				t.Errorf("short side: JPEG %d, PNG %d", a.ShortSide, b.ShortSide)
			}
		})
	}
}

// TestExposure darkens and brightens a photo.
func TestExposure(t *testing.T) {
	img := rgbaOf(t, "gps_DSCN0010.jpg")
	normal := inspect(t, encodeJPEG(t, img, 90))
	dark := inspect(t, encodeJPEG(t, gain(img, 0.25), 90))
	bright := inspect(t, encodeJPEG(t, gain(img, 3), 90))
	if !(dark.Brightness < tooDarkBelow && tooDarkBelow < normal.Brightness && normal.Brightness < bright.Brightness) {
		t.Errorf("brightness dark %.0f, normal %.0f, bright %.0f", dark.Brightness, normal.Brightness, bright.Brightness)
	}
	if !(dark.Dark > normal.Dark && normal.Dark >= bright.Dark) {
		t.Errorf("dark share: dark %.2f, normal %.2f, bright %.2f", dark.Dark, normal.Dark, bright.Dark)
	}
	if !(bright.Clipped > overexposedOver && overexposedOver > normal.Clipped && normal.Clipped >= dark.Clipped) {
		t.Errorf("clipped share: dark %.2f, normal %.2f, bright %.2f", dark.Clipped, normal.Clipped, bright.Clipped)
	}
	black := inspect(t, encodePNG(t, image.NewGray(image.Rect(0, 0, 64, 48))))
	if black.Brightness != 0 || black.Dark != 1 || black.Clipped != 0 || black.Sharpness != 0 {
		t.Errorf("black picture: %+v", *black)
	}
}

// TestMoire compares photos with simulated photos of a screen.
func TestMoire(t *testing.T) {
	src := rgbaOf(t, "gps_DSCN0010.jpg")
	for _, name := range []string{"gps_DSCN0010.jpg", "phone_jolla.jpg", "malformed_memory_error.jpg"} {
		if m := inspect(t, fixture(t, name)).Moire; m >= screenAbove/5 {
			t.Errorf("%s: moiré %.3f, want under %g", name, m, screenAbove/5)
		}
	}
	for _, tt := range []struct {
		m, deg float64
	}{{1.7, 0.5}, {2.2, 3}, {3, 2}, {4, 0.5}} {
		shot := screenShot(src, 480, 360, tt.m, tt.deg)
		if m := inspect(t, encodeJPEG(t, shot, 90)).Moire; m <= screenAbove {
			t.Errorf("screen, %g camera pixels per screen pixel, turned %g°: moiré %.3f, want over %g", tt.m, tt.deg, m, screenAbove)
		}
	}
}

// TestHashes checks the distances the recommended thresholds rest on.
func TestHashes(t *testing.T) {
	names := []string{"gps_DSCN0010.jpg", "gps_DSCN0012.jpg", "gps_DSCN0021.jpg", "invalid_image00971.jpg", "malformed_memory_error.jpg"}
	var refs []*milepost.PhotoAnalysis
	for _, name := range names {
		img := rgbaOf(t, name)
		ref := inspect(t, fixture(t, name))
		refs = append(refs, ref)
		w, h := img.Rect.Dx(), img.Rect.Dy()
		half := image.NewRGBA(image.Rect(0, 0, w/2, h/2))
		draw.CatmullRom.Scale(half, half.Rect, img, img.Rect, draw.Src, nil)
		cropped := img.SubImage(image.Rect(w/40, h/40, w-w/40, h-h/40))
		for edit, data := range map[string][]byte{
			"re-encoded q60":      encodeJPEG(t, img, 60),
			"half size":           encodeJPEG(t, half, 85),
			"2.5 % cut each side": encodeJPEG(t, cropped, 90),
			"20 % brighter":       encodeJPEG(t, gain(img, 1.2), 90),
			"20 % darker, as PNG": encodePNG(t, gain(img, 0.8)),
			// Stored turned a quarter counter-clockwise; orientation 6 turns it back.
			"EXIF turned upright": milepostest.WithEXIF(t, encodeJPEG(t, orientRGBA(img, 8), 90), []milepostest.TIFFEntry{milepostest.ShortEntry(tagOrientation, 6)}, nil, nil),
		} {
			a := inspect(t, data)
			if dp, dd := HashDistance(ref.PHash, a.PHash), HashDistance(ref.DHash, a.DHash); dp > samePHash || dd > sameDHash {
				t.Errorf("%s %s: distances pHash %d, dHash %d; want at most %d, %d", name, edit, dp, dd, samePHash, sameDHash)
			}
		}
	}
	for i := range refs {
		for j := i + 1; j < len(refs); j++ {
			if dp := HashDistance(refs[i].PHash, refs[j].PHash); dp <= samePHash {
				t.Errorf("%s and %s: pHash distance %d, want over %d", names[i], names[j], dp, samePHash)
			}
		}
	}
}

// orientRGBA turns img as orient turns a luma plane, channel by channel.
func orientRGBA(img *image.RGBA, o int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var out *image.RGBA
	for c := range 4 {
		plane := image.NewGray(image.Rect(0, 0, w, h))
		for i := range plane.Pix {
			plane.Pix[i] = img.Pix[4*i+c]
		}
		turned := orient(plane, o)
		if out == nil {
			out = image.NewRGBA(turned.Rect)
		}
		for i, v := range turned.Pix {
			out.Pix[4*i+c] = v
		}
	}
	return out
}

// TestAnalysisOfEveryFixture checks that every accepted picture is analysed.
func TestAnalysisOfEveryFixture(t *testing.T) {
	in := NewInspector(0)
	for _, name := range []string{"gps_DSCN0010.jpg", "phone_jolla.jpg", "edited_photoshop.jpg", "orientation_portrait_6.jpg",
		"invalid_image00971.jpg", "malformed_memory_error.jpg", "blue-purple-pink.lossy.webp", "iphone_13_pro_max.heic"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, err := in.InspectPhoto(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			a := m.Analysis
			if a == nil {
				t.Fatal("no analysis")
			}
			if a.ShortSide != min(m.Width, m.Height) || a.Brightness <= 0 || a.Brightness >= 255 || a.Sharpness <= 0 ||
				a.Dark < 0 || a.Dark > 1 || a.Clipped < 0 || a.Clipped > 1 || a.Moire < 0 || a.Moire > 1 || a.PHash == 0 || a.DHash == 0 {
				t.Errorf("analysis out of range: %+v", *a)
			}
		})
	}
	if m, err := in.InspectFile(minimalPDF()); err != nil || m.Analysis != nil {
		t.Errorf("PDF: analysis %v, error %v; want none", m.Analysis, err)
	}
	if m, err := in.InspectFile(fixture(t, "gps_DSCN0012.jpg")); err != nil || m.Analysis == nil {
		t.Errorf("JPEG document: analysis %v, error %v; want one", m.Analysis, err)
	}
}

// TestAnalyze checks the analysis of decoded pictures against the upload path.
func TestAnalyze(t *testing.T) {
	img := rgbaOf(t, "gps_DSCN0021.jpg")
	a, b := Analyze(img), inspect(t, encodePNG(t, img))
	if *a != *b {
		t.Errorf("Analyze = %+v, InspectPhoto of its PNG = %+v", *a, *b)
	}
	if Analyze(image.NewRGBA(image.Rect(0, 0, 0, 5))) != nil {
		t.Error("Analyze of an empty picture is not nil")
	}
	tiny := Analyze(testImage(3, 2))
	if tiny == nil || tiny.ShortSide != 2 {
		t.Errorf("Analyze of 3×2 pixels = %+v", tiny)
	}
}
