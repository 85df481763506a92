package synth

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"golang.org/x/image/font"
)

// Odometer returns a photo of an odometer display. Its Text is the total distance as shown,
// digits only (trip meters, clocks and temperatures in the picture are distractors).
func (g *Generator) Odometer() (Sample, error) {
	value := int64(math.Round(math.Exp(math.Log(1000) + g.rng.Float64()*(math.Log(400000)-math.Log(1000)))))
	var panel *image.RGBA
	var text, style string
	switch n := g.rng.IntN(20); {
	case n < 8:
		style = "lcd-backlit"
		panel, text = g.lcdPanel(value, true)
	case n < 12:
		style = "lcd-reflective"
		panel, text = g.lcdPanel(value, false)
	case n < 16:
		style = "drum"
		panel, text = g.drumPanel(value)
	default:
		style = "tft"
		panel, text = g.tftPanel(value)
	}
	if g.rng.IntN(10) < 4 {
		panel = g.cluster(panel)
	}
	img, err := g.scene(panel, 0.2, 0.65)
	if err != nil {
		return Sample{}, fmt.Errorf("synth: odometer: %w", err)
	}
	return Sample{Kind: KindOdometer, Image: img, Text: text, Value: value, Style: style}, nil
}

// item is one piece of a display row: seven-segment digits or printed text.
type item struct {
	seg  *segStyle
	fc   font.Face
	text string
	c    color.RGBA
	// ghost, when not transparent, draws "8"s under a printed item: DSEG unlit segments.
	ghost color.RGBA
}

func (it item) width() float64 {
	if it.seg != nil {
		return it.seg.segWidth(it.text)
	}
	return textWidth(it.fc, it.text)
}

func (it item) height() float64 {
	if it.seg != nil {
		return it.seg.h
	}
	return capHeight(it.fc)
}

// row is a line of items sharing a baseline.
type row []item

func (r row) size(gap float64) (w, h float64) {
	for i, it := range r {
		if i > 0 {
			w += gap
		}
		w += it.width()
		h = math.Max(h, it.height())
	}
	return w, h
}

// layout draws rows top to bottom on a panel of colour bg and returns it. Rows are right
// aligned, as most odometer displays align their digits.
func layout(rows []row, bg color.RGBA, unit float64, rightAlign bool) *image.RGBA {
	pad, gap, lead := unit*0.45, unit*0.3, unit*0.35
	var pw, ph float64
	for i, r := range rows {
		w, h := r.size(gap)
		pw = math.Max(pw, w)
		ph += h
		if i > 0 {
			ph += lead
		}
	}
	img := newCanvas(int(pw+2*pad+1), int(ph+2*pad+1))
	fillPolygon(img, roundRect(0, 0, float64(img.Bounds().Dx()), float64(img.Bounds().Dy()), unit*0.3), bg)
	y := pad
	for _, r := range rows {
		w, h := r.size(gap)
		x := pad
		if rightAlign {
			x = pad + pw - w
		}
		for _, it := range r {
			if it.seg != nil {
				it.seg.drawSegText(img, x, y+h-it.seg.h, it.text)
			} else {
				if it.ghost.A > 0 {
					drawText(img, it.fc, x, y+h, strings.Repeat("8", len(it.text)), it.ghost)
				}
				drawText(img, it.fc, x, y+h, it.text, it.c)
			}
			x += it.width() + gap
		}
		y += h + lead
	}
	return img
}

// lcdPanel draws a seven-segment display: backlit (light digits on a dark glass) or reflective
// (dark digits on grey-green), with the usual trip meter, clock and temperature around it.
func (g *Generator) lcdPanel(value int64, backlit bool) (*image.RGBA, string) {
	const H = 80.0
	var bg, on color.RGBA
	if backlit {
		bg = color.RGBA{uint8(5 + g.rng.IntN(25)), uint8(5 + g.rng.IntN(25)), uint8(10 + g.rng.IntN(35)), 255}
		on = pick(g, color.RGBA{255, 150, 40, 255}, color.RGBA{235, 240, 255, 255}, color.RGBA{255, 70, 50, 255},
			color.RGBA{90, 220, 255, 255}, color.RGBA{140, 255, 140, 255})
	} else {
		k := uint8(g.rng.IntN(40))
		bg = color.RGBA{165 + k, 178 + k, 150 + k, 255}
		on = color.RGBA{25, 30, 35, 255}
	}
	ghost := color.RGBA{}
	if g.rng.IntN(2) == 0 {
		ghost = mix(bg, on, 0.06+0.08*g.rng.Float64())
	}
	slant := 0.0
	if g.rng.IntN(2) == 0 {
		slant = 0.06 + 0.1*g.rng.Float64()
	}
	thick, square := 0.11+0.07*g.rng.Float64(), g.rng.IntN(3) == 0
	seg := func(h float64) *segStyle {
		s := newSegStyle(h, on, ghost, slant, thick, square)
		return &s
	}
	label := pick(g, g.fonts.bold, g.fonts.medium, g.fonts.regular)
	width := pick(g, 0, 0, 6, 6, 6, 7)
	text := digitsOf(value, width)
	main := row{}
	if g.rng.IntN(10) < 6 {
		main = append(main, item{fc: face(label, H*0.45), text: pick(g, "ODO", "ODO", "TOTAL"), c: on})
	}
	if len(g.fonts.seg) > 0 && g.rng.IntN(3) == 0 {
		main = append(main, g.dsegItem(text, H, on, ghost))
	} else {
		main = append(main, item{seg: seg(H), text: text})
	}
	if g.rng.IntN(10) < 7 {
		main = append(main, item{fc: face(label, H*0.5), text: pick(g, "km", "mi", "MILES", "km", "mi"), c: on})
	}
	rows := []row{main}
	if g.rng.IntN(10) < 6 {
		rows = g.withTrip(rows, item{fc: face(label, H*0.4), c: on}, seg(H*(0.55+0.4*g.rng.Float64())))
	}
	if g.rng.IntN(10) < 4 {
		extra := row{item{seg: seg(H * (0.45 + 0.3*g.rng.Float64())), text: g.clock()}}
		if g.rng.IntN(2) == 0 {
			extra = append(extra, item{fc: face(label, H*0.45), text: g.temperature(), c: on})
		}
		rows = append([]row{extra}, rows...)
	}
	return layout(rows, bg, H, g.rng.IntN(4) > 0), text
}

// dsegItem draws digits with a DSEG font over "8"s in the ghost colour (the font's own way of
// showing unlit segments; its digits all have the same advance).
func (g *Generator) dsegItem(text string, h float64, on, ghost color.RGBA) item {
	f := g.fonts.seg[g.rng.IntN(len(g.fonts.seg))]
	return item{fc: face(f, h/0.72), text: text, c: on, ghost: ghost}
}

// withTrip adds a trip meter row ("TRIP A 123.4"), above or below the existing rows.
func (g *Generator) withTrip(rows []row, label item, seg *segStyle) []row {
	trip := fmt.Sprintf("%.1f", float64(g.rng.IntN(10000))/10)
	if g.rng.IntN(5) == 0 {
		trip = fmt.Sprintf("%.1f", float64(10000+g.rng.IntN(90000))/10) // four digits and tenths
	}
	label.text = pick(g, "TRIP A", "TRIP B", "TRIP", "A", "B")
	r := row{label, item{seg: seg, text: trip}}
	if g.rng.IntN(2) == 0 {
		return append(rows, r)
	}
	return append([]row{r}, rows...)
}

func (g *Generator) clock() string {
	return fmt.Sprintf("%d:%02d", 1+g.rng.IntN(12), g.rng.IntN(60))
}

func (g *Generator) temperature() string {
	if g.rng.IntN(2) == 0 {
		return fmt.Sprintf("%d°C", g.rng.IntN(45)-10)
	}
	return fmt.Sprintf("%d°F", g.rng.IntN(90)+10)
}

// tftPanel draws a modern instrument screen: printed-font text, white or coloured on black.
func (g *Generator) tftPanel(value int64) (*image.RGBA, string) {
	const H = 70.0
	bg := color.RGBA{uint8(g.rng.IntN(20)), uint8(g.rng.IntN(20)), uint8(g.rng.IntN(30)), 255}
	on := pick(g, color.RGBA{240, 240, 240, 255}, color.RGBA{200, 220, 255, 255}, color.RGBA{255, 190, 90, 255})
	dim := mix(bg, on, 0.7)
	f := pick(g, g.fonts.regular, g.fonts.medium, g.fonts.bold)
	text := fmt.Sprint(value)
	num := text
	if value >= 1000 && g.rng.IntN(3) == 0 {
		num = fmt.Sprintf("%d,%03d", value/1000, value%1000)
	}
	main := row{}
	if g.rng.IntN(10) < 7 {
		main = append(main, item{fc: face(f, H*0.7), text: pick(g, "ODO", "Odometer", "TOTAL"), c: dim})
	}
	main = append(main, item{fc: face(f, H*1.4), text: num, c: on}, item{fc: face(f, H*0.8), text: pick(g, "km", "mi", "miles"), c: dim})
	rows := []row{main}
	if g.rng.IntN(10) < 6 {
		trip := fmt.Sprintf("%.1f", float64(g.rng.IntN(20000))/10)
		rows = append(rows, row{item{fc: face(f, H*0.6), text: pick(g, "TRIP A", "Trip B", "TRIP"), c: dim},
			item{fc: face(f, H*0.9), text: trip, c: on}, item{fc: face(f, H*0.6), text: "km", c: dim}})
	}
	if g.rng.IntN(2) == 0 {
		rows = append([]row{{item{fc: face(f, H*0.7), text: g.clock(), c: on}, item{fc: face(f, H*0.7), text: g.temperature(), c: on}}}, rows...)
	}
	if g.rng.IntN(3) == 0 {
		rows = append(rows, row{item{fc: face(f, H*0.6), text: fmt.Sprintf("Range %d mi", 20+g.rng.IntN(400)), c: dim}})
	}
	return layout(rows, bg, H, g.rng.IntN(2) == 0), text
}

// drumPanel draws a mechanical counter: white digits on black drums behind a window, often
// with a tenths drum of another colour, and sometimes a trip counter below.
func (g *Generator) drumPanel(value int64) (*image.RGBA, string) {
	const H = 80.0
	width := pick(g, 5, 6, 6)
	if value >= 100000 {
		width = 6
	}
	text := digitsOf(value%1000000, width)
	cw, ch, gap := H*0.72, H*1.3, H*0.07
	tenths := g.rng.IntN(10) < 4
	trip := g.rng.IntN(10) < 4
	n := float64(len(text))
	w := n*cw + (n-1)*gap + 2*H*0.4
	if tenths {
		w += cw + H*0.3
	}
	unit := pick(g, "", "km", "MILES", "mi")
	if unit != "" {
		w += H * 1.3
	}
	h := ch + 2*H*0.3
	if trip {
		h += ch*0.7 + H*0.4
	}
	frame := color.RGBA{uint8(40 + g.rng.IntN(40)), uint8(40 + g.rng.IntN(40)), uint8(40 + g.rng.IntN(40)), 255}
	img := newCanvas(int(w), int(h))
	fillPolygon(img, roundRect(0, 0, w, h, H*0.2), frame)
	digitFont := pick(g, g.fonts.medium, g.fonts.bold, g.fonts.regular)
	drums := func(x, y, cw, ch float64, s string, cellC, digitC color.RGBA) float64 {
		fc := face(digitFont, ch*0.85)
		for _, r := range s {
			fillPolygon(img, rect(x, y, x+cw, y+ch), cellC)
			// Drums turn: a digit may sit a little off the window's centre line.
			dy := (g.rng.Float64() - 0.5) * ch * 0.1
			tw := textWidth(fc, string(r))
			drawText(img, fc, x+(cw-tw)/2, y+(ch+capHeight(fc))/2+dy, string(r), digitC)
			x += cw + gap
		}
		return x
	}
	black, white := color.RGBA{18, 18, 18, 255}, color.RGBA{235, 235, 230, 255}
	x := drums(H*0.4, H*0.3, cw, ch, text, black, white)
	if tenths {
		cell, digit := pick(g, white, color.RGBA{200, 30, 30, 255}), pick(g, black, white)
		if cell == white {
			digit = black
		}
		x = drums(x+H*0.2, H*0.3, cw, ch, fmt.Sprint(g.rng.IntN(10)), cell, digit)
	}
	if unit != "" {
		drawText(img, face(g.fonts.bold, H*0.5), x+H*0.1, H*0.3+ch*0.9, unit, white)
	}
	if trip {
		y := H*0.3 + ch + H*0.4
		x := drums(H*0.4, y, cw*0.7, ch*0.7, fmt.Sprintf("%03d", g.rng.IntN(1000)), black, white)
		drums(x+H*0.1, y, cw*0.7, ch*0.7, fmt.Sprint(g.rng.IntN(10)), white, black)
		drawText(img, face(g.fonts.bold, H*0.4), x+cw*0.7+H*0.4, y+ch*0.6, "TRIP", white)
	}
	return img, text
}

// cluster sets a display inside an instrument cluster: a dark surround with speedometer
// labels (20, 40, …) on an arc above it, which are numbers a reader must not take.
func (g *Generator) cluster(display *image.RGBA) *image.RGBA {
	dw, dh := float64(display.Bounds().Dx()), float64(display.Bounds().Dy())
	w, h := dw*1.7, dh+dw*0.75
	img := newCanvas(int(w), int(h))
	surround := color.RGBA{uint8(15 + g.rng.IntN(30)), uint8(15 + g.rng.IntN(30)), uint8(15 + g.rng.IntN(30)), 255}
	fillPolygon(img, roundRect(0, 0, w, h, dw*0.1), surround)
	fc := face(pick(g, g.fonts.bold, g.fonts.regular), dw*0.07)
	labelC := color.RGBA{230, 230, 230, 255}
	cx, cy, r := w/2, dw*0.75, dw*0.62
	step := pick(g, 20, 10)
	n := 160 / step
	if step == 10 {
		n = 8
	}
	for i := 0; i <= n; i++ {
		a := math.Pi*(1.1) + float64(i)/float64(n)*math.Pi*0.8
		s := fmt.Sprint(i * step)
		x, y := cx+r*math.Cos(a), cy+r*math.Sin(a)
		drawText(img, fc, x-textWidth(fc, s)/2, y, s, labelC)
		// tick mark
		x0, y0 := cx+r*1.12*math.Cos(a), cy+r*1.12*math.Sin(a)
		x1, y1 := cx+r*1.2*math.Cos(a), cy+r*1.2*math.Sin(a)
		nx, ny := -math.Sin(a)*dw*0.006, math.Cos(a)*dw*0.006
		fillPolygon(img, []pt{{x0 - nx, y0 - ny}, {x1 - nx, y1 - ny}, {x1 + nx, y1 + ny}, {x0 + nx, y0 + ny}}, labelC)
	}
	ox, oy := (w-dw)/2, h-dh-dw*0.04
	composite(img, display, [4]pt{{ox, oy}, {ox + dw, oy}, {ox + dw, oy + dh}, {ox, oy + dh}})
	return img
}
