package ocr

import (
	"context"
	"fmt"
	"image"
	"slices"
	"strings"
	"unicode"
)

// ReadPlate reads the registration on a licence plate photo with e: the whole picture first,
// PickPlate to choose the registration, then the chosen crop again restricted to plate
// characters; two reads that disagree leave the surer one at a much lower confidence. ok is
// false when nothing plate-like was found; err is set only when the engine failed.
func ReadPlate(ctx context.Context, e Engine, img image.Image) (r Reading, ok bool, err error) {
	lines, err := e.Read(ctx, img, Options{})
	if err != nil {
		return Reading{}, false, fmt.Errorf("read plate: %w", err)
	}
	best, ok := PickPlate(lines)
	if !ok {
		return Reading{}, false, nil
	}
	crop := grow(best.Box, best.Box.Dy()/5, best.Box.Dy()/5, img.Bounds())
	again, err := e.Read(ctx, subImage(img, crop), Options{SingleLine: true, Charset: PlateCharset})
	if err != nil {
		return Reading{}, false, fmt.Errorf("read plate again: %w", err)
	}
	var second Reading
	for _, l := range again {
		if t := NormalizePlate(l.Text); len(t) > len(second.Text) {
			second = Reading{Text: t, Confidence: l.Confidence}
		}
	}
	switch {
	case second.Text == "":
		best.Confidence *= 0.8
	case second.Text == best.Text:
		best.Confidence = max(best.Confidence, second.Confidence)
	default:
		if second.Confidence > best.Confidence && plausiblePlate(second.Text) {
			best.Text = second.Text
		}
		best.Confidence = min(best.Confidence, second.Confidence) * 0.5
	}
	return best, true, nil
}

// NormalizePlate keeps the letters and digits of s, upper-cased: "abc-1234" → "ABC1234".
func NormalizePlate(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SamePlate reports whether two plate texts name the same registration: equal once normalised
// and with the characters plates and OCR confuse folded together (O and Q with 0, I and J with
// 1), which most states do not issue side by side.
func SamePlate(a, b string) bool {
	fold := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch r {
			case 'O', 'Q':
				return '0'
			case 'I', 'J':
				return '1'
			}
			return r
		}, NormalizePlate(s))
	}
	fa := fold(a)
	return fa != "" && fa == fold(b)
}

func plausiblePlate(t string) bool { return len(t) >= 2 && len(t) <= 8 }

// PickPlate chooses the registration among lines of text found on a plate photo: normalised
// text of 2 to 8 characters, preferring the tallest line, a mix of letters and digits, and
// upper case, and never a state name or a slogan word. Two pieces on one row ("ABC" "1234")
// are also tried joined.
func PickPlate(lines []Line) (Reading, bool) {
	type cand struct {
		Reading
		score float64
		raw   string
	}
	maxH := 1
	for _, l := range lines {
		maxH = max(maxH, l.Box.Dy())
	}
	var cands []cand
	add := func(raw string, conf float64, box image.Rectangle) {
		t := NormalizePlate(raw)
		if !plausiblePlate(t) || plateWords[t] {
			return
		}
		letters, digits := 0, 0
		for _, r := range t {
			if r >= '0' && r <= '9' {
				digits++
			} else {
				letters++
			}
		}
		s := 1 + 1.2*float64(box.Dy())/float64(maxH) + 0.5*conf
		if letters > 0 && digits > 0 {
			s += 0.5
		}
		if digits == 0 {
			s -= 0.8
		}
		if len(t) >= 5 {
			s += 0.3
		}
		if strings.IndexFunc(raw, unicode.IsLower) >= 0 {
			s -= 0.6 // slogans and web addresses; plates are upper case
		}
		cands = append(cands, cand{Reading{Text: t, Confidence: conf, Box: box}, s, raw})
	}
	for i, l := range lines {
		add(l.Text, l.Confidence, l.Box)
		for j, n := range lines {
			if j != i && n.Box.Min.X >= l.Box.Max.X && beside(l.Box, n.Box) && similarHeight(l.Box, n.Box) {
				add(l.Text+n.Text, min(l.Confidence, n.Confidence), l.Box.Union(n.Box))
			}
		}
	}
	if len(cands) == 0 {
		return Reading{}, false
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmpFloat(b.score, a.score) })
	best := cands[0]
	for _, c := range cands[1:] {
		if !strings.Contains(best.Text, c.Text) && !strings.Contains(c.Text, best.Text) && c.score > best.score-0.3 {
			best.Confidence *= 0.6
			break
		}
	}
	return best.Reading, true
}

func similarHeight(a, b image.Rectangle) bool {
	return 4*min(a.Dy(), b.Dy()) >= 3*max(a.Dy(), b.Dy())
}

// plateWords are words printed on US plates that are not the registration: state names and
// common slogan words.
var plateWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`ALABAMA ALASKA ARIZONA ARKANSAS CALIFORNIA COLORADO CONNECTICUT
		DELAWARE FLORIDA GEORGIA HAWAII IDAHO ILLINOIS INDIANA IOWA KANSAS KENTUCKY LOUISIANA MAINE
		MARYLAND MASSACHUSETTS MICHIGAN MINNESOTA MISSISSIPPI MISSOURI MONTANA NEBRASKA NEVADA
		NEWHAMPSHIRE NEWJERSEY NEWMEXICO NEWYORK NORTHCAROLINA NORTHDAKOTA OHIO OKLAHOMA OREGON
		PENNSYLVANIA RHODEISLAND SOUTHCAROLINA SOUTHDAKOTA TENNESSEE TEXAS UTAH VERMONT VIRGINIA
		WASHINGTON WESTVIRGINIA WISCONSIN WYOMING NEW YORK NORTH SOUTH WEST DAKOTA CAROLINA
		STATE THE OF IN GOD WE TRUST LAND LINCOLN EMPIRE SUNSHINE LONE STAR PURE GRAND CANYON
		EVERGREEN SILVER AVIATION BIRTHPLACE DMV CA GOV COM USA`) {
		m[w] = true
	}
	return m
}()
