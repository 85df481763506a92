package ocr

import (
	"image"
	"image/color"
	"testing"
)

// ln is a line of text at a box given as x, y, width, height.
func ln(text string, conf float64, x, y, w, h int) Line {
	return Line{Text: text, Confidence: conf, Box: image.Rect(x, y, x+w, y+h)}
}

func TestPickOdometer(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  int64
		text  string
		unit  string
		ok    bool
	}{
		{"label, unit, trip meter and clock", []Line{
			ln("12:45", 0.95, 500, 10, 120, 40),
			ln("TRIP A 123.4", 0.9, 300, 60, 300, 45),
			ln("ODO 084213 km", 0.9, 200, 120, 500, 80),
		}, 84213, "084213", "km", true},
		{"four-digit trip meter with tenths loses to the odometer", []Line{
			ln("TRIP B 1234.5", 0.99, 100, 0, 400, 60),
			ln("56789", 0.9, 100, 80, 300, 60),
		}, 56789, "56789", "", true},
		{"tenths dropped", []Line{ln("84213.7", 0.9, 0, 0, 300, 60)}, 84213, "84213", "", true},
		{"clock and temperature ignored", []Line{
			ln("10:23", 0.99, 0, 0, 200, 90),
			ln("-3°C", 0.99, 250, 0, 150, 90),
			ln("5141", 0.8, 0, 100, 200, 60),
		}, 5141, "5141", "", true},
		{"letters that look like digits", []Line{ln("O84Z13", 0.9, 0, 0, 300, 60)}, 84213, "084213", "", true},
		{"thousands comma and miles", []Line{ln("84,213 mi", 0.9, 0, 0, 300, 60)}, 84213, "84213", "mi", true},
		{"thousands space", []Line{ln("84 213", 0.9, 0, 0, 300, 60)}, 84213, "84213", "", true},
		{"seven-segment gap before a 1", []Line{ln("00576 16", 0.9, 0, 0, 300, 60)}, 57616, "0057616", "", true},
		{"unit glued to digits", []Line{ln("ODO084213KM", 0.9, 0, 0, 300, 60)}, 84213, "084213", "km", true},
		{"million or more is six digits and a tenths drum", []Line{ln("1411142", 0.9, 0, 0, 300, 60)}, 141114, "141114", "", true},
		{"zero-padded seven digits kept", []Line{ln("0005141", 0.9, 0, 0, 300, 60)}, 5141, "0005141", "", true},
		{"trip label in its own box beside the number", []Line{
			ln("TRIP", 0.9, 0, 0, 80, 40),
			ln("5848.9", 0.9, 100, 0, 200, 40),
			ln("012345", 0.8, 0, 60, 300, 60),
		}, 12345, "012345", "", true},
		{"lone A before a trip number", []Line{
			ln("A 58489", 0.95, 0, 0, 300, 60),
			ln("23020", 0.8, 0, 80, 300, 60),
		}, 23020, "23020", "", true},
		{"ODO label in its own box", []Line{
			ln("2024", 0.99, 0, 0, 200, 70),
			ln("ODO", 0.9, 0, 100, 80, 60),
			ln("112233", 0.9, 100, 100, 300, 60),
		}, 112233, "112233", "", true},
		{"number split by a detector at a seven-segment 1", []Line{
			ln("35413", 0.99, 0, 0, 250, 60),
			ln("1", 0.9, 262, 0, 30, 60),
		}, 354131, "354131", "", true},
		{"speedometer labels are too short", []Line{
			ln("20", 0.99, 0, 0, 40, 40), ln("140", 0.99, 100, 0, 60, 40), ln("160", 0.99, 200, 0, 60, 40),
		}, 0, "", "", false},
		{"range is not the odometer", []Line{
			ln("Range 3120 mi", 0.99, 0, 0, 300, 60),
			ln("45678", 0.9, 0, 80, 300, 60),
		}, 45678, "45678", "", true},
		{"nothing plausible", []Line{ln("12:45", 0.9, 0, 0, 100, 40), ln("TRIP 123.4", 0.9, 0, 50, 200, 40), ln("21°C", 0.9, 0, 100, 100, 40)}, 0, "", "", false},
		{"no lines", nil, 0, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PickOdometer(tt.lines)
			if ok != tt.ok || got.Value != tt.want || got.Text != tt.text || got.Unit != tt.unit {
				t.Errorf("PickOdometer = %+v, %v; want value %d text %q unit %q ok %v", got, ok, tt.want, tt.text, tt.unit, tt.ok)
			}
		})
	}
}

func TestPickOdometerConfidence(t *testing.T) {
	clear, _ := PickOdometer([]Line{ln("ODO 084213 km", 0.95, 0, 0, 500, 80), ln("TRIP A 12.3", 0.95, 0, 100, 300, 40)})
	if clear.Confidence != 0.95 {
		t.Errorf("an unambiguous reading keeps the line's confidence: got %.2f, want 0.95", clear.Confidence)
	}
	// Two numbers alike in every way: whichever is chosen, it must not be confident.
	twin, _ := PickOdometer([]Line{ln("084213", 0.95, 0, 0, 300, 60), ln("091120", 0.95, 0, 100, 300, 60)})
	if twin.Confident() {
		t.Errorf("ambiguous choice is confident: %+v", twin)
	}
	tenths, _ := PickOdometer([]Line{ln("1411142", 0.95, 0, 0, 300, 60)})
	if tenths.Confident() {
		t.Errorf("a seven-digit reading cut to six is confident: %+v", tenths)
	}
}

func TestSubBox(t *testing.T) {
	l := ln("ODO 084213 km", 1, 0, 0, 130, 20) // 13 runes, 10 px each
	got := subBox(l, 4, 10)
	if got.Min.X != 35 || got.Max.X != 105 || got.Dy() != 20 {
		t.Errorf("subBox = %v, want x 35..105 (digits and half a character each side)", got)
	}
	if got := subBox(l, 0, 13); got != l.Box {
		t.Errorf("whole line subBox = %v, want the line's box", got)
	}
}

func TestLastCellDiffers(t *testing.T) {
	counter := func(last color.RGBA) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, 140, 30))
		for x := range 140 {
			c := color.RGBA{20, 20, 20, 255}
			if x >= 120 {
				c = last
			}
			for y := range 30 {
				img.SetRGBA(x, y, c)
			}
		}
		return img
	}
	tests := []struct {
		name string
		last color.RGBA
		want bool
	}{
		{"red tenths drum", color.RGBA{200, 30, 30, 255}, true},
		{"white tenths drum", color.RGBA{235, 235, 230, 255}, true},
		{"same black drum", color.RGBA{25, 25, 25, 255}, false},
	}
	for _, tt := range tests {
		if got := lastCellDiffers(counter(tt.last), image.Rect(0, 0, 140, 30), 7); got != tt.want {
			t.Errorf("%s: lastCellDiffers = %v, want %v", tt.name, got, tt.want)
		}
	}
}
