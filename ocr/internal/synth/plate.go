package synth

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	xdraw "golang.org/x/image/draw"
)

// plateDesign is a US state's plate look, simplified.
type plateDesign struct {
	state, slogan string
	format        string // L letter, D digit, other characters as they are
	ink, top      color.RGBA
	bg            [2]color.RGBA // top and bottom of the background gradient
}

var (
	navy   = color.RGBA{20, 35, 95, 255}
	black  = color.RGBA{15, 15, 18, 255}
	maroon = color.RGBA{120, 20, 30, 255}
	green  = color.RGBA{20, 80, 40, 255}
	red    = color.RGBA{190, 30, 35, 255}
	white  = color.RGBA{248, 248, 245, 255}
)

var plateDesigns = []plateDesign{
	{"California", "dmv.ca.gov", "DLLLDDD", navy, red, [2]color.RGBA{white, white}},
	{"TEXAS", "THE LONE STAR STATE", "LLL-DDDD", black, black, [2]color.RGBA{{235, 235, 225, 255}, {250, 245, 230, 255}}},
	{"FLORIDA", "Sunshine State", "LLL LLD", green, color.RGBA{220, 110, 20, 255}, [2]color.RGBA{white, {240, 250, 240, 255}}},
	{"NEW YORK", "EMPIRE STATE", "LLL-DDDD", navy, navy, [2]color.RGBA{{255, 220, 120, 255}, {250, 250, 245, 255}}},
	{"ILLINOIS", "LAND OF LINCOLN", "LL DDDDD", maroon, maroon, [2]color.RGBA{{225, 235, 250, 255}, white}},
	{"OHIO", "BIRTHPLACE OF AVIATION", "LLL DDDD", black, red, [2]color.RGBA{{250, 245, 215, 255}, white}},
	{"Michigan", "Pure Michigan", "LLL DDDD", black, navy, [2]color.RGBA{white, {230, 238, 250, 255}}},
	{"ARIZONA", "GRAND CANYON STATE", "LLL DDDD", maroon, maroon, [2]color.RGBA{{230, 240, 245, 255}, {245, 225, 200, 255}}},
	{"WASHINGTON", "Evergreen State", "LLLDDDD", navy, navy, [2]color.RGBA{{225, 235, 245, 255}, white}},
	{"Georgia", "In God We Trust", "LLL DDDD", black, black, [2]color.RGBA{white, {235, 245, 235, 255}}},
	{"PENNSYLVANIA", "visitPA.com", "LLL-DDDD", navy, navy, [2]color.RGBA{{235, 240, 250, 255}, {255, 240, 200, 255}}},
	{"NEVADA", "THE SILVER STATE", "DLLDDD", navy, navy, [2]color.RGBA{{215, 225, 240, 255}, white}},
}

// Plate returns a photo of a US licence plate on a car. Its Text is the registration normalised
// to A–Z0–9; the state name and slogan on the plate are distractors.
func (g *Generator) Plate() (Sample, error) {
	d := plateDesigns[g.rng.IntN(len(plateDesigns))]
	shown := g.registration(d.format)
	panel := g.platePanel(d, shown)
	img, err := g.scene(panel, 0.15, 0.45)
	if err != nil {
		return Sample{}, fmt.Errorf("synth: plate: %w", err)
	}
	norm := strings.NewReplacer(" ", "", "-", "").Replace(shown)
	return Sample{Kind: KindPlate, Image: img, Text: norm, Style: "plate-" + strings.ToUpper(d.state)}, nil
}

// registration fills a format with letters and digits. Like most states, it avoids I, O and Q,
// which read as 1 and 0.
func (g *Generator) registration(format string) string {
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	var b strings.Builder
	for _, r := range format {
		switch r {
		case 'L':
			b.WriteByte(letters[g.rng.IntN(len(letters))])
		case 'D':
			b.WriteByte(byte('0' + g.rng.IntN(10)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// platePanel draws a 12×6 inch plate at 50 px per inch, inside a strip of car body, with its
// bolt holes, a registration sticker, the state name on top and the slogan below.
func (g *Generator) platePanel(d plateDesign, shown string) *image.RGBA {
	const W, H = 600.0, 300.0
	body := color.RGBA{uint8(g.rng.IntN(200)), uint8(g.rng.IntN(200)), uint8(g.rng.IntN(200)), 255}
	m := 60.0 + g.rng.Float64()*120 // body around the plate
	img := newCanvas(int(W+2*m), int(H+2*m))
	fillPolygon(img, rect(0, 0, W+2*m, H+2*m), body)
	fillPolygon(img, roundRect(m-8, m-8, m+W+8, m+H+8, 24), shade(body, 0.35)) // recess shadow
	for y := 0; y < int(H); y++ {
		c := mix(d.bg[0], d.bg[1], float64(y)/H)
		fillPolygon(img, rect(m+2, m+float64(y), m+W-2, m+float64(y)+1.2), c)
	}
	// Rounded-corner mask: repaint the corners with the recess colour.
	frame := roundRect(m, m, m+W, m+H, 22)
	outline(img, frame, d.ink, 5)
	for _, h := range []pt{{m + W*0.25, m + H*0.12}, {m + W*0.75, m + H*0.12}, {m + W*0.25, m + H*0.88}, {m + W*0.75, m + H*0.88}} {
		fillPolygon(img, ellipse(h.x, h.y, 9, 6), color.RGBA{90, 90, 95, 255})
	}
	if g.rng.IntN(2) == 0 {
		sx := pick(g, m+W*0.05, m+W*0.82)
		fillPolygon(img, rect(sx, m+H*0.06, sx+W*0.13, m+H*0.2), pick(g, color.RGBA{240, 200, 30, 255}, color.RGBA{40, 160, 80, 255}, color.RGBA{230, 90, 40, 255}))
	}
	stateFont := pick(g, g.fonts.bold, g.fonts.medium)
	fc := face(stateFont, H*0.2)
	drawText(img, fc, m+(W-textWidth(fc, d.state))/2, m+H*0.25, d.state, d.top)
	if g.rng.IntN(10) < 8 {
		fc := face(g.fonts.regular, H*0.11)
		drawText(img, fc, m+(W-textWidth(fc, d.slogan))/2, m+H*0.93, d.slogan, d.top)
	}
	g.plateChars(img, shown, m+W*0.04, m+H*0.3, W*0.92, H*0.5, d.ink)
	return img
}

// plateChars draws the registration in a condensed bold face: rendered wide, then squeezed
// horizontally into the box, as plate dies are narrower than any screen font.
func (g *Generator) plateChars(dst *image.RGBA, s string, x, y, w, h float64, ink color.RGBA) {
	fc := face(g.fonts.condensed, h*1.3)
	tw := textWidth(fc, s)
	tmp := newCanvas(int(tw+h*0.2), int(h*1.2))
	drawText(tmp, fc, h*0.1, h*1.1, s, ink)
	squeeze := 0.72 + 0.2*g.rng.Float64()
	dw := min(tw*squeeze, w)
	r := image.Rect(int(x+(w-dw)/2), int(y), int(x+(w+dw)/2), int(y+h*1.2))
	xdraw.CatmullRom.Scale(dst, r, tmp, tmp.Bounds(), xdraw.Over, nil)
}

// outline strokes a closed polygon with width lw by filling a quad per edge.
func outline(dst *image.RGBA, ps []pt, c color.RGBA, lw float64) {
	for i := range ps {
		a, b := ps[i], ps[(i+1)%len(ps)]
		l := dist(a, b)
		if l == 0 {
			continue
		}
		nx, ny := -(b.y-a.y)/l*lw/2, (b.x-a.x)/l*lw/2
		fillPolygon(dst, []pt{{a.x - nx, a.y - ny}, {b.x - nx, b.y - ny}, {b.x + nx, b.y + ny}, {a.x + nx, a.y + ny}}, c)
		fillPolygon(dst, ellipse(a.x, a.y, lw/2, lw/2), c)
	}
}
