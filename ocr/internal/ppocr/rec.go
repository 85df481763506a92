package ppocr

import (
	"bufio"
	"fmt"
	"image"
	"math"
	"os"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// RecHeight is the recognition model's input height.
const RecHeight = 48

// minRecWidth is the narrowest input PaddleOCR feeds the recogniser (its 3×48×320 shape):
// shorter crops are padded, since the model was trained on that width.
const minRecWidth = 320

// RecInput is a crop prepared for the recognition model: a [1,3,48,W] tensor in BGR order
// scaled to −1..1, the text resized to height 48 and padded with zeros on the right.
type RecInput struct {
	Data []float32
	W    int
}

// NewRecInput prepares a text crop for the recognition model. Very long crops are capped at
// maxWidth pixels (squeezed), which bounds the model's work on a runaway box.
func NewRecInput(crop image.Image, maxWidth int) RecInput {
	b := crop.Bounds()
	tw := int(math.Ceil(RecHeight * float64(b.Dx()) / float64(max(b.Dy(), 1))))
	tw = min(max(tw, 1), maxWidth)
	w := max(tw, minRecWidth)
	rgba := image.NewRGBA(image.Rect(0, 0, tw, RecHeight))
	xdraw.BiLinear.Scale(rgba, rgba.Bounds(), crop, b, xdraw.Src, nil)
	data := make([]float32, 3*RecHeight*w)
	plane := RecHeight * w
	for y := range RecHeight {
		for x := range tw {
			o := rgba.PixOffset(x, y)
			i := y*w + x
			data[i] = float32(rgba.Pix[o+2])/127.5 - 1
			data[plane+i] = float32(rgba.Pix[o+1])/127.5 - 1
			data[2*plane+i] = float32(rgba.Pix[o])/127.5 - 1
		}
	}
	return RecInput{Data: data, W: w}
}

// Dict maps the recogniser's classes to text: class 0 is the CTC blank, classes 1..n are the
// lines of the keys file, and the last class is a space.
type Dict struct {
	chars []string // index = class
}

// LoadDict reads a PaddleOCR keys file (one character per line).
func LoadDict(path string) (*Dict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ppocr: open keys: %w", err)
	}
	defer f.Close()
	chars := []string{""}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		chars = append(chars, strings.TrimRight(sc.Text(), "\r\n"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ppocr: read keys: %w", err)
	}
	if len(chars) < 2 {
		return nil, fmt.Errorf("ppocr: keys file %s is empty", path)
	}
	return &Dict{chars: append(chars, " ")}, nil
}

// NewDict builds a dictionary from characters (for tests and custom models).
func NewDict(keys []string) *Dict {
	return &Dict{chars: append(append([]string{""}, keys...), " ")}
}

// Classes is how many classes the model must output for this dictionary.
func (d *Dict) Classes() int { return len(d.chars) }

// Allowed returns a class mask letting through only the classes whose character is in charset
// (and the blank); nil charset means every class.
func (d *Dict) Allowed(charset string) []bool {
	if charset == "" {
		return nil
	}
	m := make([]bool, len(d.chars))
	m[0] = true
	for i, c := range d.chars[1:] {
		m[i+1] = c != "" && strings.Contains(charset, c)
	}
	return m
}

// Decode is greedy CTC decoding of the recogniser's output (T steps × C class probabilities,
// row-major): the best class per step, repeats merged, blanks dropped. Confidence is the mean
// probability of the kept characters (0 when none). allowed, when not nil, restricts the
// classes considered, so a digits-only read never returns a letter.
func (d *Dict) Decode(probs []float32, T, C int, allowed []bool) (text string, confidence float64) {
	var b strings.Builder
	prev, n, sum := -1, 0, 0.0
	for t := range T {
		row := probs[t*C : (t+1)*C]
		best, bp := 0, float32(-1)
		for c, p := range row {
			if allowed != nil && (c >= len(allowed) || !allowed[c]) {
				continue
			}
			if p > bp {
				best, bp = c, p
			}
		}
		if best != 0 && best != prev && best < len(d.chars) {
			b.WriteString(d.chars[best])
			sum += float64(bp)
			n++
		}
		prev = best
	}
	if n == 0 {
		return "", 0
	}
	return b.String(), sum / float64(n)
}
