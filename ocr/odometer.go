package ocr

import (
	"context"
	"fmt"
	"image"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReadOdometer reads the total distance on an odometer photo with e. It reads the whole
// picture, chooses the most plausible total among the numbers found (PickOdometer), then reads
// the chosen number's crop again as digits only: when the two reads disagree the reading keeps
// the surer one at a much lower confidence. ok is false when no plausible number was found;
// err is set only when the engine failed (unavailable engines return ErrUnavailable).
func ReadOdometer(ctx context.Context, e Engine, img image.Image) (r Reading, ok bool, err error) {
	lines, err := e.Read(ctx, img, Options{})
	if err != nil {
		return Reading{}, false, fmt.Errorf("read odometer: %w", err)
	}
	best, ok := PickOdometer(lines)
	if !ok {
		return Reading{}, false, nil
	}
	if len(best.Text) == 7 {
		// Seven digits are rarer than six digits and a tenths drum, which usually has a cell of
		// its own colour: drop the digit when the last cell stands out; doubt the rest. (Doing
		// this for shorter numbers too cost as many LCD reads as it saved drum reads: the
		// detector's box margins make the "last cell" unreliable.)
		if lastCellDiffers(img, best.Box, 7) {
			best.Text = best.Text[:6]
			best.Value /= 10
		}
		best.Confidence *= 0.7
	}
	crop := grow(best.Box, best.Box.Dy()/5, best.Box.Dy()/4, img.Bounds())
	again, err := e.Read(ctx, subImage(img, crop), Options{SingleLine: true, Charset: Digits + "."})
	if err != nil {
		return Reading{}, false, fmt.Errorf("read odometer again: %w", err)
	}
	second, found := bestDigitRun(again)
	switch {
	case !found:
		best.Confidence *= 0.8
	case second.Value == best.Value || strings.HasPrefix(second.Text, best.Text) && len(second.Text) == len(best.Text)+1:
		// Equal, or equal but for the tenths digit dropped above: two reads agreeing are
		// evidence, and the digits-only read is often less sure of itself for no fault.
		best.Confidence = max(best.Confidence, second.Confidence)
	default:
		// Two reads of the same digits disagree: whichever is right, the reading must not be
		// trusted enough to put a check-in on hold.
		if second.Confidence > best.Confidence {
			best.Value, best.Text = second.Value, second.Text
		}
		best.Confidence = min(best.Confidence, second.Confidence) * 0.5
	}
	return best, true, nil
}

// candidate is a number that may be the total distance.
type candidate struct {
	Reading
	score float64
}

var (
	clockRE   = regexp.MustCompile(`^\d{1,2}[:;]\d{2}$`)
	tempRE    = regexp.MustCompile(`^-?\d{1,3}[°º]?[CF]?$|°`)
	groupedRE = regexp.MustCompile(`^(\d{1,3})[,'’](\d{3})(?:[.](\d))?$`)
	plainRE   = regexp.MustCompile(`^(\d+)(?:[.,](\d))?$`)
)

// PickOdometer chooses the total distance among lines of text found on an odometer photo. It
// keeps numbers of 4 to 7 digits (leading zeros of fixed-width displays count), after reading
// letters that look like digits as digits ("O84213"), joining groups split by a thousands space
// or by the gap a seven-segment "1" leaves, and dropping a tenths digit ("84213.7"). It ignores
// clock times ("12:45"), temperatures ("21°C") and trip meters ("TRIP A 123.4"), and prefers
// the tallest number, one labelled ODO or followed by km or mi, and one without tenths. A
// seven-digit value of a million or more is taken as six digits and a tenths drum. The
// confidence is the line's, lowered when another number came close.
func PickOdometer(lines []Line) (Reading, bool) {
	var cands []candidate
	maxH := 1
	for _, l := range lines {
		if strings.ContainsAny(l.Text, Digits) {
			maxH = max(maxH, l.Box.Dy())
		}
	}
	lines = withJoinedNeighbours(lines)
	for i := range lines {
		cands = append(cands, lineCandidates(lines, i, maxH)...)
	}
	if len(cands) == 0 {
		return Reading{}, false
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmpFloat(b.score, a.score) })
	best := cands[0]
	for _, c := range cands[1:] {
		if c.Value != best.Value && c.score > best.score-0.3 {
			best.Confidence *= 0.6
			break
		}
	}
	return best.Reading, true
}

// withJoinedNeighbours adds, for each two digit lines side by side at the same height, a line
// joining them: detectors split a number where a seven-segment "1" leaves a gap, and numbers
// decides whether the groups really are one number.
func withJoinedNeighbours(lines []Line) []Line {
	out := lines
	for i, l := range lines {
		for j, n := range lines {
			// Only a narrow gap (under half the height) joins: speedometer labels are far apart.
			gap := n.Box.Min.X - l.Box.Max.X
			if i == j || gap < -l.Box.Dy()/4 || gap > l.Box.Dy()/2 || !beside(l.Box, n.Box) || !similarHeight(l.Box, n.Box) ||
				!strings.ContainsAny(l.Text, Digits) || !strings.ContainsAny(n.Text, Digits) {
				continue
			}
			if len(out) == len(lines) {
				out = slices.Clone(lines)
			}
			out = append(out, Line{Text: l.Text + " " + n.Text, Confidence: min(l.Confidence, n.Confidence), Box: l.Box.Union(n.Box)})
		}
	}
	return out
}

// lineCandidates returns the numbers of lines[i] that may be the total, scored.
func lineCandidates(lines []Line, i, maxH int) []candidate {
	l := lines[i]
	tokens := strings.Fields(strings.ToUpper(l.Text))
	ctx := labels{}
	ctx.scan(tokens)
	for j, n := range lines {
		if j != i && beside(l.Box, n.Box) && !strings.ContainsAny(n.Text, Digits) {
			ctx.scan(strings.Fields(strings.ToUpper(n.Text)))
		}
	}
	if ctx.trip {
		return nil
	}
	var out []candidate
	nums := numbers(tokens)
	for k, n := range nums {
		if n.tripLabel {
			continue
		}
		digits := n.digits
		tenths := n.tenths
		conf := l.Confidence
		if len(digits) == 7 && digits[0] != '0' {
			// Cars do not reach a million; a seventh digit is a tenths drum read as one number.
			digits, tenths, conf = digits[:6], true, conf*0.7
		}
		if len(digits) < 4 || len(digits) > 7 {
			continue
		}
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil || v == 0 {
			continue
		}
		s := 1 + 0.8*float64(l.Box.Dy())/float64(maxH) + 0.5*conf
		if ctx.odo {
			s += 0.8
		}
		if ctx.unit != "" {
			s += 0.3
		}
		if tenths {
			s -= 0.6
		}
		if ctx.rangeLabel {
			s -= 1
		}
		if digits[0] == '0' || len(digits) == 6 {
			s += 0.2
		}
		if n.joined {
			s += 0.3
		}
		if len(nums) > 1 {
			// Several numbers in one line: the first is usually a label or the trip.
			s -= 0.1 * float64(len(nums)-1-k)
		}
		out = append(out, candidate{Reading{Value: v, Text: digits, Unit: ctx.unit, Confidence: conf,
			Box: subBox(l, n.from, n.to)}, s})
	}
	return out
}

// labels is what the words around a number say about it.
type labels struct {
	trip, odo, rangeLabel bool
	unit                  string
}

func (c *labels) scan(tokens []string) {
	for _, t := range tokens {
		t = strings.Trim(t, ".,:;")
		switch {
		case strings.HasPrefix(t, "TRIP") || t == "TRP":
			c.trip = true
		case strings.HasPrefix(t, "ODO") || t == "TOTAL" || strings.HasPrefix(t, "0DO"):
			c.odo = true
		case t == "RANGE":
			c.rangeLabel = true
		}
		if u := unitOf(t); u != "" && c.unit == "" {
			c.unit = u
		}
	}
}

func unitOf(t string) string {
	switch {
	case t == "KM" || strings.HasSuffix(t, "KM") && strings.ContainsAny(t, Digits):
		return "km"
	case t == "MI" || t == "MILES" || t == "MLS" || (strings.HasSuffix(t, "MI") || strings.HasSuffix(t, "MILES")) && strings.ContainsAny(t, Digits):
		return "mi"
	}
	return ""
}

// beside reports whether b is on a's line (vertical centres within half a's height) and near
// it (a gap under twice a's height): a label next to a number.
func beside(a, b image.Rectangle) bool {
	ca, cb := (a.Min.Y+a.Max.Y)/2, (b.Min.Y+b.Max.Y)/2
	if abs(ca-cb) > a.Dy()/2 {
		return false
	}
	gap := max(b.Min.X-a.Max.X, a.Min.X-b.Max.X)
	return gap < 2*a.Dy()
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// number is a numeric token of a line.
type number struct {
	digits    string // integer digits as shown, leading zeros kept
	tenths    bool
	joined    bool // made of two groups
	tripLabel bool // right after a lone "A" or "B" (a trip meter's label)
	from, to  int  // rune offsets in the upper-cased, single-spaced line
}

// numbers finds the numeric tokens of a line, skipping clocks and temperatures.
func numbers(tokens []string) []number {
	var out []number
	pos := 0
	var prev *number
	prevTok := ""
	for _, raw := range tokens {
		from := pos
		pos += utf8.RuneCountInString(raw) + 1
		t := strings.TrimRight(raw, ".,;:")
		for _, pre := range []string{"ODO", "TOTAL"} {
			if strings.HasPrefix(t, pre) && len(t) > len(pre) {
				t = t[len(pre):]
				from += len(pre) // labels glued to the digits: keep them out of the crop
				break
			}
		}
		for _, suf := range []string{"MILES", "KM", "MI"} {
			if strings.HasSuffix(t, suf) && len(t) > len(suf) {
				t = strings.TrimSuffix(t, suf)
				break
			}
		}
		end := from + utf8.RuneCountInString(t)
		if clockRE.MatchString(t) || (len(t) <= 5 && tempRE.MatchString(t) && strings.ContainsAny(t, "°ºCF")) {
			prev, prevTok = nil, raw
			continue
		}
		t = lookalikes(t)
		n, ok := parseNumber(t)
		if !ok {
			prev, prevTok = nil, raw
			continue
		}
		n.from, n.to = from, end
		n.tripLabel = prevTok == "A" || prevTok == "B"
		if prev != nil && !prev.tenths && canJoin(prev.digits, n.digits) {
			j := number{digits: prev.digits + n.digits, tenths: n.tenths, joined: true, from: prev.from, to: n.to, tripLabel: prev.tripLabel}
			out = append(out, j)
		}
		out = append(out, n)
		prev, prevTok = &out[len(out)-1], raw
	}
	return out
}

// canJoin says whether two digit groups separated by a space are one number: a thousands group
// ("84 213"), or a seven-segment "1", whose lit segments sit at the right of its cell and so
// leave a gap before it ("00576 16").
func canJoin(a, b string) bool {
	if len(a) <= 3 && len(b) == 3 && len(a)+len(b) >= 4 {
		return true
	}
	return b[0] == '1' && len(a)+len(b) <= 7 && len(a)+len(b) >= 4
}

// parseNumber reads "084213", "84,213", "84213.7" (tenths dropped).
func parseNumber(t string) (number, bool) {
	if m := groupedRE.FindStringSubmatch(t); m != nil {
		return number{digits: m[1] + m[2], tenths: m[3] != ""}, true
	}
	if m := plainRE.FindStringSubmatch(t); m != nil {
		return number{digits: m[1], tenths: m[2] != ""}, true
	}
	return number{}, false
}

// lookalikes reads letters that OCR confuses with digits as those digits, but only in a token
// that is mostly digits already, so "ODO" and "TRIP" stay words.
func lookalikes(t string) string {
	d, other := 0, 0
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			d++
		case strings.ContainsRune(".,'’", r):
		default:
			other++
		}
	}
	if d < 3 || other == 0 || other > 2 {
		return t
	}
	return strings.Map(func(r rune) rune {
		if v, ok := lookalike[r]; ok {
			return v
		}
		return r
	}, t)
}

var lookalike = map[rune]rune{
	'O': '0', 'Q': '0', 'D': '0', 'U': '0', 'I': '1', 'L': '1', '|': '1', '!': '1', 'J': '1',
	'Z': '2', 'S': '5', 'G': '6', 'B': '8', 'T': '7',
}

// subBox estimates where runes [from, to) of l's upper-cased, single-spaced text lie in its
// box, assuming even character widths: enough to crop a number out of "ODO 084213 km".
func subBox(l Line, from, to int) image.Rectangle {
	n := utf8.RuneCountInString(strings.Join(strings.Fields(l.Text), " "))
	if n == 0 || (from == 0 && to >= n) {
		return l.Box
	}
	w := float64(l.Box.Dx()) / float64(n)
	x0 := l.Box.Min.X + int(float64(from)*w-w/2)
	x1 := l.Box.Min.X + int(float64(to)*w+w/2)
	return image.Rect(max(x0, l.Box.Min.X), l.Box.Min.Y, min(x1, l.Box.Max.X), l.Box.Max.Y)
}

// bestDigitRun parses a digits-only re-read of a number: the longest plausible number in it.
func bestDigitRun(lines []Line) (Reading, bool) {
	var best Reading
	found := false
	for _, l := range lines {
		for _, n := range numbers(strings.Fields(l.Text)) {
			digits := n.digits
			if len(digits) == 7 && digits[0] != '0' {
				digits = digits[:6]
			}
			v, err := strconv.ParseInt(digits, 10, 64)
			if err != nil || len(digits) < 4 || len(digits) > 7 || v == 0 {
				continue
			}
			if !found || len(digits) > len(best.Text) {
				best, found = Reading{Value: v, Text: digits, Confidence: l.Confidence}, true
			}
		}
	}
	return best, found
}

// lastCellDiffers reports whether the last of n equal cells of box differs in colour from the
// others by more than a third of the range: a tenths drum (red, or white on a black counter).
func lastCellDiffers(img image.Image, box image.Rectangle, n int) bool {
	box = box.Intersect(img.Bounds())
	cw := box.Dx() / n
	if cw < 2 || box.Dy() < 4 {
		return false
	}
	inner := func(r image.Rectangle) [3]float64 {
		// The cell's middle rows only: the box edges may hold frame or background.
		r = image.Rect(r.Min.X+r.Dx()/6, r.Min.Y+r.Dy()/4, r.Max.X-r.Dx()/6, r.Max.Y-r.Dy()/4)
		var sum [3]float64
		n := 0
		for y := r.Min.Y; y < r.Max.Y; y += 2 {
			for x := r.Min.X; x < r.Max.X; x += 2 {
				cr, cg, cb, _ := img.At(x, y).RGBA()
				sum[0] += float64(cr >> 8)
				sum[1] += float64(cg >> 8)
				sum[2] += float64(cb >> 8)
				n++
			}
		}
		for i := range sum {
			sum[i] /= float64(max(n, 1))
		}
		return sum
	}
	last := inner(image.Rect(box.Max.X-cw, box.Min.Y, box.Max.X, box.Max.Y))
	rest := inner(image.Rect(box.Min.X, box.Min.Y, box.Max.X-cw, box.Max.Y))
	d := 0.0
	for i := range 3 {
		d = max(d, abs64(last[i]-rest[i]))
	}
	return d > 85
}

func abs64(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// subImage returns the part r of img, sharing pixels when img supports it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return img
}
