// Package synth draws realistic synthetic photos of odometers and US licence plates with known
// truth, for measuring OCR engines where no labelled real photos exist. Everything is seeded:
// the same seed, photos and fonts give the same pictures.
//
// An odometer sample is a dashboard display (seven-segment LCD, backlit or reflective; a TFT
// screen; or a mechanical drum counter) with the distractors real clusters have — trip meters
// with tenths, a clock, the outside temperature, speedometer labels — composited into a real
// photo with perspective, rotation, blur, noise, glare and JPEG compression. A plate sample is a
// light plate with dark characters, a state name and a slogan, degraded the same way.
package synth

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // background photos are JPEGs
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// Kind says what a sample shows.
type Kind string

// The kinds of samples.
const (
	KindOdometer Kind = "odometer"
	KindPlate    Kind = "plate"
)

// Sample is one generated picture and what it shows.
type Sample struct {
	Kind  Kind
	Image image.Image
	// Text is the truth as a reader should report it: the odometer digits as displayed
	// ("084213") or the plate normalised to A–Z0–9 ("7ABC123").
	Text string
	// Value is the odometer's total (84213); 0 for plates.
	Value int64
	// Style names the display or plate design ("lcd-backlit", "drum", "plate-CALIFORNIA", …).
	Style string
}

// Config sets where the generator finds its real material. Empty fields fall back: no photos
// means plain procedural backgrounds; no DejaVu or DSEG means the Go fonts only.
type Config struct {
	Seed      uint64
	PhotoDir  string // JPEG photos used as backgrounds (FindPhotoDir finds the project's)
	DejaVuDir string // Debian's fonts-dejavu-core directory
	DSEGDir   string // the npm package dseg's fonts/ directory
	// MinWidth and MaxWidth bound the picture width in pixels (defaults 1200 and 3000).
	MinWidth, MaxWidth int
}

// Generator makes samples. It is not safe for concurrent use.
type Generator struct {
	cfg    Config
	rng    *rand.Rand
	photos []image.Image
	fonts  *fonts
}

// New returns a generator. It fails only when a configured directory holds no usable file at
// all (no decodable photo in PhotoDir).
func New(cfg Config) (*Generator, error) {
	if cfg.MinWidth == 0 {
		cfg.MinWidth = 1200
	}
	if cfg.MaxWidth < cfg.MinWidth {
		cfg.MaxWidth = max(cfg.MinWidth, 3000)
	}
	g := &Generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x6d696c65706f7374))}
	var err error
	if g.fonts, err = loadFonts(cfg.DejaVuDir, cfg.DSEGDir); err != nil {
		return nil, err
	}
	if cfg.PhotoDir != "" {
		if g.photos, err = loadPhotos(cfg.PhotoDir); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// DefaultConfig returns a config using the project's shared photos, Debian's DejaVu fonts and
// the DSEG font installed by scripts/setup-ocr.sh, each only when found.
func DefaultConfig(seed uint64) Config {
	cfg := Config{Seed: seed, PhotoDir: FindPhotoDir()}
	if _, err := os.Stat("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"); err == nil {
		cfg.DejaVuDir = "/usr/share/fonts/truetype/dejavu"
	}
	if d := os.Getenv("MILEPOST_OCR_DSEG"); d != "" {
		cfg.DSEGDir = d
	} else if d := findUp(".tools/ocr/node_modules/dseg/fonts"); d != "" {
		cfg.DSEGDir = d
	}
	return cfg
}

// FindPhotoDir returns the shared test photos folder (../shared/testdata/photos beside the
// repository, as on developer machines and CI), searched upwards from the working directory,
// or "" when there is none.
func FindPhotoDir() string {
	if d := findUp("shared/testdata/photos"); d != "" {
		return d
	}
	return findUp("../shared/testdata/photos")
}

// findUp returns the first existing dir/rel for dir = the working directory and its parents.
func findUp(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, rel)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return filepath.Clean(p)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// loadPhotos decodes every JPEG in dir, skipping the ones that do not decode (the shared
// folder holds a truncated file on purpose).
func loadPhotos(dir string) ([]image.Image, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []image.Image
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 200 || img.Bounds().Dy() < 150 {
			continue
		}
		out = append(out, img)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("synth: no decodable JPEG photo in %s", dir)
	}
	return out, nil
}

// background returns a w×h picture: a random crop of a real photo, or a procedural one.
func (g *Generator) background(w, h int) *image.RGBA {
	dst := newCanvas(w, h)
	if len(g.photos) == 0 {
		top := color.RGBA{uint8(g.rng.IntN(120)), uint8(g.rng.IntN(120)), uint8(g.rng.IntN(120)), 255}
		bot := shade(top, 0.4)
		for y := range h {
			draw.Draw(dst, image.Rect(0, y, w, y+1), image.NewUniform(mix(top, bot, float64(y)/float64(h))), image.Point{}, draw.Src)
		}
		for range 12 {
			c := color.RGBA{uint8(g.rng.IntN(256)), uint8(g.rng.IntN(256)), uint8(g.rng.IntN(256)), 255}
			x, y := g.rng.Float64()*float64(w), g.rng.Float64()*float64(h)
			fillPolygon(dst, ellipse(x, y, g.rng.Float64()*float64(w)/4+10, g.rng.Float64()*float64(h)/4+10), c)
		}
		return dst
	}
	src := g.photos[g.rng.IntN(len(g.photos))]
	sb := src.Bounds()
	// The largest crop of the photo's shape closest to w:h, at a random place, 60–100 % of it.
	cw, ch := float64(sb.Dx()), float64(sb.Dx())*float64(h)/float64(w)
	if ch > float64(sb.Dy()) {
		ch, cw = float64(sb.Dy()), float64(sb.Dy())*float64(w)/float64(h)
	}
	k := 0.6 + 0.4*g.rng.Float64()
	cw, ch = cw*k, ch*k
	x0 := sb.Min.X + int(g.rng.Float64()*(float64(sb.Dx())-cw))
	y0 := sb.Min.Y + int(g.rng.Float64()*(float64(sb.Dy())-ch))
	xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, image.Rect(x0, y0, x0+int(cw), y0+int(ch)), xdraw.Src, nil)
	return dst
}

// scene composites panel into a fresh background photo at a random pose and degrades it. The
// panel spans widthFrac (a range) of the picture.
func (g *Generator) scene(panel *image.RGBA, minFrac, maxFrac float64) (image.Image, error) {
	w := g.cfg.MinWidth + g.rng.IntN(g.cfg.MaxWidth-g.cfg.MinWidth+1)
	h := w * 3 / 4
	if g.rng.IntN(4) == 0 {
		h = w * 4 / 3 // portrait, as phones often shoot
	}
	dst := g.background(w, h)
	if g.rng.IntN(2) == 0 {
		gammaAdjust(dst, 0.35+0.5*g.rng.Float64(), 1+g.rng.Float64()*0.6) // dim cabin
	}
	pw := float64(w) * (minFrac + (maxFrac-minFrac)*g.rng.Float64())
	pb := panel.Bounds()
	ph := pw * float64(pb.Dy()) / float64(pb.Dx())
	cx := pw/2 + 20 + g.rng.Float64()*math.Max(0, float64(w)-pw-40)
	cy := ph/2 + 20 + g.rng.Float64()*math.Max(0, float64(h)-ph-40)
	deg := (g.rng.Float64()*2 - 1) * 10
	quad := g.placeQuad(float64(pb.Dx()), float64(pb.Dy()), pw, cx, cy, deg, 0.12*g.rng.Float64())
	composite(dst, panel, quad)
	if g.rng.IntN(10) < 4 {
		addGlare(dst, cx+(g.rng.Float64()-0.5)*pw, cy+(g.rng.Float64()-0.5)*ph,
			pw*(0.1+0.3*g.rng.Float64()), ph*(0.2+0.5*g.rng.Float64()), 0.3+0.5*g.rng.Float64())
	}
	vignette(dst, 0.5*g.rng.Float64())
	// Blur scales with the picture: a phone's defocus covers more pixels at 12 MP than at 2 MP.
	boxBlur(dst, int(g.rng.Float64()*g.rng.Float64()*float64(w)/800+0.3))
	g.addNoise(dst, g.rng.Float64()*10)
	return jpegRoundTrip(dst, 35+g.rng.IntN(56))
}

// pick returns one of xs at random.
func pick[T any](g *Generator, xs ...T) T { return xs[g.rng.IntN(len(xs))] }

// digitsOf formats v with at least width digits, padded with zeros as fixed-width displays are.
func digitsOf(v int64, width int) string {
	s := fmt.Sprint(v)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}
