package console

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

// svgSummary is what a test reads back from a chart: its elements by class, its title and
// description, and every marker's tooltip.
type svgSummary struct {
	title, desc string
	classes     map[string]int // class token → elements carrying it
	tips        []string
	legend      []string
}

// parseSVG checks that the chart is well-formed XML and summarises it.
func parseSVG(t *testing.T, svg string) svgSummary {
	t.Helper()
	s := svgSummary{classes: map[string]int{}}
	d := xml.NewDecoder(strings.NewReader(svg))
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			for _, a := range e.Attr {
				if a.Name.Local == "class" {
					for _, c := range strings.Fields(a.Value) {
						s.classes[c]++
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			text := strings.TrimSpace(string(e))
			if text == "" || len(stack) == 0 {
				continue
			}
			switch top := stack[len(stack)-1]; {
			case top == "title" && len(stack) == 2:
				s.title = text
			case top == "desc":
				s.desc = text
			case top == "title":
				s.tips = append(s.tips, text)
			case top == "text" && len(stack) >= 2 && stack[len(stack)-2] == "g":
				s.legend = append(s.legend, text)
			}
		}
	}
	return s
}

func TestOdometerChart(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	reading := func(src, id string, at time.Time, miles float64) milepost.OdometerReading {
		return milepost.OdometerReading{Source: src, SourceID: id, At: at, Value: miles, Unit: milepost.Miles, Miles: miles, Km: miles * milepost.KilometersPerMile}
	}
	km := reading(milepost.SourceRegistration, "reg1", day(20), 20000/milepost.KilometersPerMile)
	km.Value, km.Unit, km.Breaking = 20000, milepost.Kilometers, true
	back := reading(milepost.SourceMileageCheckin, "c3", day(30), 11000)
	back.Rollback = true
	tests := []struct {
		name      string
		h         *milepost.OdometerHistory
		highlight string
		readings  int
		classes   map[string]int
		desc      []string
		tips      []string
		legend    []string
	}{
		{"empty", &milepost.OdometerHistory{VIN: "1HGCM82633A004352"}, "", 0, map[string]int{"reading": 0},
			[]string{"No odometer readings yet."}, nil, []string{"Rollback", "is_breaking registration"}},
		{"one reading", &milepost.OdometerHistory{VIN: "1HGCM82633A004352", Readings: []milepost.OdometerReading{reading(milepost.SourceMileageCheckin, "c1", day(0), 12345)}},
			"c1", 1, map[string]int{"reading": 1, "current": 1, "highlight": 1, "rollback": 0},
			[]string{"1 reading from 2026-01-01 to 2026-01-01, between 12,345 and 12,345 miles.", "no rollbacks"},
			[]string{"2026-01-01 12:00 UTC: 12,345 mi, mileage check-in"}, []string{"Mileage check-in", "Rollback"}},
		{"every source, a rollback and an is_breaking registration, out of order",
			&milepost.OdometerHistory{VIN: "1HGCM82633A004352", Readings: []milepost.OdometerReading{
				back, reading(milepost.SourceMileageCheckin, "c1", day(0), 10000), km,
				reading(milepost.SourceCarYearStart, "car:2026", day(-1), 9000), reading(milepost.SourceVehicleCreated, "v1", day(-2), 8000)}},
			"", 5, map[string]int{"reading": 5, "rollback": 1, "rollback-mark": 1, "breaking": 1, "breaking-mark": 1, "current": 0},
			[]string{"5 readings from 2025-12-30 to 2026-01-31, between 8,000 and 12,427 miles.", "1 rollback", "1 is_breaking registration"},
			[]string{"2026-01-21 12:00 UTC: 20,000 km (12,427 mi), workshop registration, is_breaking", "2026-01-31 12:00 UTC: 11,000 mi, mileage check-in, rollback"},
			[]string{"Mileage check-in", "Workshop registration", "Trip log, start of year", "Given at vehicle creation", "Rollback", "is_breaking registration"}},
		{"text is escaped", &milepost.OdometerHistory{VIN: `<script>"&`, Readings: []milepost.OdometerReading{reading(`<b>`, "x", day(0), 5)}},
			"", 1, map[string]int{"reading": 1}, nil, []string{"2026-01-01 12:00 UTC: 5 mi, <b>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := OdometerChart(tt.h, tt.highlight)
			if err != nil {
				t.Fatal(err)
			}
			s := parseSVG(t, string(out))
			if s.title != "Odometer history of "+tt.h.VIN {
				t.Errorf("title %q", s.title)
			}
			for class, n := range tt.classes {
				if s.classes[class] != n {
					t.Errorf("%d elements of class %q, want %d", s.classes[class], class, n)
				}
			}
			for _, d := range tt.desc {
				if !strings.Contains(s.desc, d) {
					t.Errorf("description %q lacks %q", s.desc, d)
				}
			}
			for _, tip := range tt.tips {
				if !strings.Contains(strings.Join(s.tips, "\n"), tip) {
					t.Errorf("tooltips %q lack %q", s.tips, tip)
				}
			}
			for _, l := range tt.legend {
				if !strings.Contains(strings.Join(s.legend, "\n"), l) {
					t.Errorf("legend %q lacks %q", s.legend, l)
				}
			}
			if len(s.tips) != tt.readings {
				t.Errorf("%d tooltips, want one per reading (%d)", len(s.tips), tt.readings)
			}
			if strings.Contains(string(out), "<script>") || strings.Contains(string(out), "<b>") {
				t.Errorf("unescaped text in the chart")
			}
		})
	}
}

// TestChartScales checks that readings land inside the plot, in time order from left to
// right and higher miles higher up.
func TestChartScales(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	x, ticks := timeScale(t0, t0.AddDate(1, 0, 0))
	if a, b := x(t0), x(t0.AddDate(1, 0, 0)); !(plotLeft < a && a < b && b < plotRight) || len(ticks) != 3 {
		t.Fatalf("time scale: %v %v, ticks %v", a, b, ticks)
	}
	y, yt := milesScale([]milepost.OdometerReading{{Miles: 1234}, {Miles: 56789}})
	if lo, hi := y(1234), y(56789); !(plotTop <= hi && hi < lo && lo <= plotBottom) || len(yt) < 3 {
		t.Fatalf("miles scale: %v %v, ticks %v", lo, hi, yt)
	}
	for raw, want := range map[float64]float64{0.3: 0.5, 1: 1, 1.5: 2, 3: 5, 7: 10, 13000: 20000} {
		if got := niceStep(raw); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", raw, got, want)
		}
	}
}
