package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// Tesseract is the engine running the tesseract command line (Debian's tesseract-ocr with
// tesseract-ocr-eng, installed by scripts/setup-ocr.sh). It needs no cgo. Its zero value is
// not usable: call NewTesseract.
type Tesseract struct {
	path    string
	lang    string
	maxSide int

	once     sync.Once
	availErr error
}

// NewTesseract returns the engine running the binary named by MILEPOST_TESSERACT, else
// "tesseract" from PATH, with English data.
func NewTesseract() *Tesseract {
	path := os.Getenv("MILEPOST_TESSERACT")
	if path == "" {
		path = "tesseract"
	}
	return &Tesseract{path: path, lang: "eng", maxSide: 2000}
}

// Name returns "tesseract".
func (t *Tesseract) Name() string { return "tesseract" }

// Available checks once that the binary runs and has the language data.
func (t *Tesseract) Available() error {
	t.once.Do(func() {
		bin, err := exec.LookPath(t.path)
		if err != nil {
			t.availErr = fmt.Errorf("%w: tesseract binary %q not found (run scripts/setup-ocr.sh or apt-get install tesseract-ocr tesseract-ocr-eng)", ErrUnavailable, t.path)
			return
		}
		out, err := exec.Command(bin, "--list-langs").CombinedOutput()
		if err != nil {
			t.availErr = fmt.Errorf("%w: %s --list-langs: %v", ErrUnavailable, bin, err)
			return
		}
		for _, l := range strings.Fields(string(out)) {
			if l == t.lang {
				t.path = bin
				return
			}
		}
		t.availErr = fmt.Errorf("%w: tesseract has no %q language data (apt-get install tesseract-ocr-%s)", ErrUnavailable, t.lang, t.lang)
	})
	return t.availErr
}

// Read runs tesseract on img. Tesseract's own page layout finds little in a photo, so a whole
// picture goes through textRegions first; every proposed line is cut from the full-resolution
// picture, scaled so its text is about 48 pixels high, turned dark-on-light, and stacked into
// one collage that a single tesseract process reads line by line. A single-line crop is
// prepared the same way and read alone.
func (t *Tesseract) Read(ctx context.Context, img image.Image, opt Options) ([]Line, error) {
	if err := t.Available(); err != nil {
		return nil, err
	}
	b := img.Bounds()
	if opt.SingleLine {
		return t.readCrops(ctx, img, []image.Rectangle{b}, opt.Charset)
	}
	k := math.Min(1, float64(t.maxSide)/float64(max(b.Dx(), b.Dy())))
	small := resizeGray(gray(img, b), k)
	var crops []image.Rectangle
	for _, r := range textRegions(small, 40) {
		r = image.Rect(int(float64(r.Min.X)/k), int(float64(r.Min.Y)/k), int(float64(r.Max.X)/k+1), int(float64(r.Max.Y)/k+1)).Add(b.Min)
		crops = append(crops, grow(r, r.Dy()/4, r.Dy()/5, b))
	}
	if len(crops) == 0 {
		// Nothing looks like a line among other things: the picture may be a close-up of one
		// line, or text on a plain background. Let tesseract's own layout look at it whole.
		if stretch(small) {
			invert(small)
		}
		lines, err := t.run(ctx, small, "11", opt.Charset)
		for i := range lines {
			r := lines[i].Box
			lines[i].Box = image.Rect(int(float64(r.Min.X)/k), int(float64(r.Min.Y)/k),
				int(math.Ceil(float64(r.Max.X)/k)), int(math.Ceil(float64(r.Max.Y)/k))).Add(b.Min)
		}
		return lines, err
	}
	return t.readCrops(ctx, img, crops, opt.Charset)
}

// collageGap is the white space between stacked crops: more than a line's height, so
// tesseract never joins two crops into one line.
const collageGap = 40

// readCrops reads each crop of img as one line of text, all in one tesseract run.
func (t *Tesseract) readCrops(ctx context.Context, img image.Image, crops []image.Rectangle, charset string) ([]Line, error) {
	type slot struct {
		y0, y1 int
		k      float64
		crop   image.Rectangle
	}
	var parts []*image.Gray
	var slots []slot
	width, y := 0, collageGap
	for _, c := range crops {
		g := gray(img, c)
		k := math.Min(4, 64/float64(max(c.Dy(), 1)))
		g = resizeGray(g, k)
		if stretch(g) {
			invert(g)
		}
		parts = append(parts, g)
		slots = append(slots, slot{y, y + g.Bounds().Dy(), k, c})
		width = max(width, g.Bounds().Dx())
		y += g.Bounds().Dy() + collageGap
	}
	collage := image.NewGray(image.Rect(0, 0, width+2*collageGap, y))
	for i := range collage.Pix {
		collage.Pix[i] = 255
	}
	for i, p := range parts {
		draw.Draw(collage, image.Rect(collageGap, slots[i].y0, collageGap+p.Bounds().Dx(), slots[i].y1), p, image.Point{}, draw.Src)
	}
	psm := "6"
	if len(crops) == 1 {
		psm = "7"
	}
	lines, err := t.run(ctx, collage, psm, charset)
	if err != nil {
		return nil, err
	}
	var out []Line
	for _, l := range lines {
		cy := (l.Box.Min.Y + l.Box.Max.Y) / 2
		for _, s := range slots {
			if cy < s.y0 || cy >= s.y1 {
				continue
			}
			r := l.Box.Sub(image.Pt(collageGap, s.y0))
			l.Box = image.Rect(int(float64(r.Min.X)/s.k), int(float64(r.Min.Y)/s.k),
				int(math.Ceil(float64(r.Max.X)/s.k)), int(math.Ceil(float64(r.Max.Y)/s.k))).Add(s.crop.Min).Intersect(s.crop)
			out = append(out, l)
			break
		}
	}
	return out, nil
}

// run executes tesseract on g (sent as PNG on stdin) with a page segmentation mode and returns
// its lines in g's coordinates.
func (t *Tesseract) run(ctx context.Context, g *image.Gray, psm, charset string) ([]Line, error) {
	var in bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&in, g); err != nil {
		return nil, fmt.Errorf("tesseract: encode png: %w", err)
	}
	args := []string{"stdin", "stdout", "-l", t.lang, "--psm", psm}
	if charset != "" {
		args = append(args, "-c", "tessedit_char_whitelist="+charset)
	}
	args = append(args, "tsv")
	cmd := exec.CommandContext(ctx, t.path, args...)
	cmd.Stdin = &in
	// One thread per process: the verification workers already run photos in parallel, and
	// OpenMP threads on top of that only contend.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("tesseract: %w", ctxErr)
		}
		return nil, fmt.Errorf("tesseract: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseTSV(out)
}

// parseTSV groups tesseract's word rows (level 5) into lines by block, paragraph and line
// number. A line's confidence is the mean of its words' (tesseract gives 0..100).
func parseTSV(out []byte) ([]Line, error) {
	type key struct{ block, par, line int }
	var lines []Line
	var sums []float64
	var words []int
	index := map[key]int{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1<<22)
	for first := true; sc.Scan(); first = false {
		f := strings.Split(sc.Text(), "\t")
		if first || len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(f[11])
		if text == "" {
			continue
		}
		n := make([]int, 10)
		for i := range 10 {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("tesseract: bad tsv row %q", sc.Text())
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("tesseract: bad confidence in row %q", sc.Text())
		}
		box := image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])
		k := key{n[2], n[3], n[4]}
		i, ok := index[k]
		if !ok {
			i = len(lines)
			index[k] = i
			lines = append(lines, Line{Box: box})
			sums = append(sums, 0)
			words = append(words, 0)
		}
		l := &lines[i]
		if l.Text != "" {
			l.Text += " "
			l.Box = l.Box.Union(box)
		}
		l.Text += text
		sums[i] += math.Max(conf, 0)
		words[i]++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("tesseract: read tsv: %w", err)
	}
	for i := range lines {
		lines[i].Confidence = sums[i] / float64(words[i]) / 100
	}
	return lines, nil
}

var _ Engine = (*Tesseract)(nil)
