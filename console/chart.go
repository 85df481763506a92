package console

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// The chart's geometry in SVG user units; CSS scales it to the page's width.
const (
	chartWidth  = 760
	plotLeft    = 84
	plotRight   = chartWidth - 24
	plotTop     = 28
	plotBottom  = 250
	legendTop   = 296
	legendRow   = 24
	legendWidth = chartWidth - 2*16
)

// sourceStyle is how each source of readings is drawn: a shape and a colour, so that the
// sources differ by more than colour.
var sourceStyle = map[string]struct{ Label, Shape, Fill string }{
	milepost.SourceMileageCheckin: {"Mileage check-in", "circle", "#0969da"},
	milepost.SourceRegistration:   {"Workshop registration", "square", "#8250df"},
	milepost.SourceCarYearStart:   {"Trip log, start of year", "diamond", "#1a7f37"},
	milepost.SourceVehicleCreated: {"Given at vehicle creation", "triangle", "#57606a"},
}

var sourceOrder = []string{milepost.SourceMileageCheckin, milepost.SourceRegistration, milepost.SourceCarYearStart, milepost.SourceVehicleCreated}

const (
	rollbackColor = "#cf222e"
	breakingColor = "#bc4c00"
)

// chartPoint is one reading placed on the chart.
type chartPoint struct {
	D        string // the marker's path
	Fill     string
	Rollback string // ring path when the reading is a rollback
	Breaking string // ring path when the registration is_breaking
	Title    string
	Class    string
}

type chartTick struct {
	Pos   string // x or y of the tick
	Label string
}

type legendItem struct {
	D, Fill, Stroke, Dash string
	TX, TY                string
	Label                 string
}

type chartData struct {
	VIN                  string
	Width, Height        int
	Desc                 string
	Empty                bool
	Line                 string
	Points               []chartPoint
	YTicks, XTicks       []chartTick
	Left, Right          int
	Top, Bottom          int
	HighlightX           string
	Legend               []legendItem
	EmptyX, EmptyY       int
	AxisLabelX, AxisLblY int
}

var chartTemplate = template.Must(template.New("chart").Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="odometer-chart" role="img" aria-labelledby="odometer-chart-title odometer-chart-desc" viewBox="0 0 {{.Width}} {{.Height}}" width="{{.Width}}" height="{{.Height}}" font-family="system-ui, sans-serif" font-size="12">
<title id="odometer-chart-title">Odometer history of {{.VIN}}</title>
<desc id="odometer-chart-desc">{{.Desc}}</desc>
<rect x="0" y="0" width="{{.Width}}" height="{{.Height}}" fill="#ffffff"/>
{{- if .Empty}}
<text x="{{.EmptyX}}" y="{{.EmptyY}}" text-anchor="middle" fill="#24292f">No odometer readings yet.</text>
{{- else}}
<g class="axes" stroke="#8c959f" stroke-width="1">
<line x1="{{.Left}}" y1="{{.Bottom}}" x2="{{.Right}}" y2="{{.Bottom}}"/>
<line x1="{{.Left}}" y1="{{.Top}}" x2="{{.Left}}" y2="{{.Bottom}}"/>
</g>
<g class="y-ticks" fill="#24292f">
{{- range .YTicks}}
<line x1="{{$.Left}}" y1="{{.Pos}}" x2="{{$.Right}}" y2="{{.Pos}}" stroke="#d0d7de" stroke-width="1"/>
<text x="{{$.AxisLblY}}" y="{{.Pos}}" text-anchor="end" dominant-baseline="middle">{{.Label}}</text>
{{- end}}
</g>
<g class="x-ticks" fill="#24292f">
{{- range .XTicks}}
<text x="{{.Pos}}" y="{{$.AxisLabelX}}" text-anchor="middle">{{.Label}}</text>
{{- end}}
</g>
<text x="16" y="16" fill="#24292f">miles</text>
{{- if .HighlightX}}
<g class="highlight"><line x1="{{.HighlightX}}" y1="{{.Top}}" x2="{{.HighlightX}}" y2="{{.Bottom}}" stroke="#24292f" stroke-width="1.5" stroke-dasharray="4 3"/>
<text x="{{.HighlightX}}" y="{{.Top}}" dy="-8" text-anchor="middle" fill="#24292f">this check-in</text></g>
{{- end}}
<polyline class="line" points="{{.Line}}" fill="none" stroke="#57606a" stroke-width="1.5"/>
<g class="readings">
{{- range .Points}}
<g class="{{.Class}}"><title>{{.Title}}</title>
{{- if .Breaking}}<path class="breaking-mark" d="{{.Breaking}}" fill="none" stroke="` + breakingColor + `" stroke-width="2" stroke-dasharray="3 2"/>{{end}}
{{- if .Rollback}}<path class="rollback-mark" d="{{.Rollback}}" fill="none" stroke="` + rollbackColor + `" stroke-width="2.5"/>{{end}}
<path d="{{.D}}" fill="{{.Fill}}" stroke="#ffffff" stroke-width="1"/></g>
{{- end}}
</g>
{{- end}}
<g class="legend" fill="#24292f">
{{- range .Legend}}
<path d="{{.D}}" fill="{{.Fill}}" stroke="{{.Stroke}}"{{if .Dash}} stroke-dasharray="{{.Dash}}"{{end}} stroke-width="2"/>
<text x="{{.TX}}" y="{{.TY}}" dominant-baseline="middle">{{.Label}}</text>
{{- end}}
</g>
</svg>`))

// OdometerChart draws a VIN's odometer history as an SVG line chart of miles over time: one
// marker shape and colour per source, rollbacks (a reading lower than an earlier one) circled
// in red, is_breaking registrations in a dashed orange ring, and a legend. The SVG has a title
// and a description for screen readers and each marker a tooltip. highlight names the reading
// (its SourceID, e.g. a check-in id) to mark with a vertical line; "" for none.
func OdometerChart(h *milepost.OdometerHistory, highlight string) (template.HTML, error) {
	rs := slices.Clone(h.Readings)
	slices.SortStableFunc(rs, func(a, b milepost.OdometerReading) int { return a.At.Compare(b.At) })
	d := chartData{VIN: h.VIN, Width: chartWidth, Left: plotLeft, Right: plotRight, Top: plotTop, Bottom: plotBottom,
		AxisLabelX: plotBottom + 20, AxisLblY: plotLeft - 8, EmptyX: chartWidth / 2, EmptyY: (plotTop + plotBottom) / 2}
	d.Desc = chartDesc(rs)
	var rows int
	d.Legend, rows = legend(rs)
	d.Height = legendTop + rows*legendRow
	if len(rs) == 0 {
		d.Empty = true
		return execChart(d)
	}
	x, xTicks := timeScale(rs[0].At, rs[len(rs)-1].At)
	y, yTicks := milesScale(rs)
	d.XTicks, d.YTicks = xTicks, yTicks
	var line []string
	for _, r := range rs {
		px, py := x(r.At), y(r.Miles)
		line = append(line, coord(px)+","+coord(py))
		st, ok := sourceStyle[r.Source]
		if !ok {
			st.Label, st.Shape, st.Fill = r.Source, "circle", "#57606a"
		}
		p := chartPoint{D: shape(st.Shape, px, py, 5.5), Fill: st.Fill, Title: pointTitle(r, st.Label), Class: "reading " + r.Source}
		if r.Rollback {
			p.Rollback, p.Class = shape("circle", px, py, 9.5), p.Class+" rollback"
		}
		if r.Breaking {
			p.Breaking, p.Class = shape("circle", px, py, 13), p.Class+" breaking"
		}
		if highlight != "" && r.SourceID == highlight {
			d.HighlightX, p.Class = coord(px), p.Class+" current"
		}
		d.Points = append(d.Points, p)
	}
	d.Line = strings.Join(line, " ")
	return execChart(d)
}

func execChart(d chartData) (template.HTML, error) {
	var b bytes.Buffer
	if err := chartTemplate.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render odometer chart: %w", err)
	}
	// The template escaped every value it inserted; the markup is ours.
	return template.HTML(b.String()), nil
}

// chartDesc says in words what the chart shows.
func chartDesc(rs []milepost.OdometerReading) string {
	if len(rs) == 0 {
		return "No odometer readings yet."
	}
	lo, hi := rs[0].Miles, rs[0].Miles
	rollbacks, breaking := 0, 0
	for _, r := range rs {
		lo, hi = min(lo, r.Miles), max(hi, r.Miles)
		if r.Rollback {
			rollbacks++
		}
		if r.Breaking {
			breaking++
		}
	}
	s := fmt.Sprintf("%s from %s to %s, between %s and %s miles. ", plural(len(rs), "reading"),
		rs[0].At.UTC().Format(time.DateOnly), rs[len(rs)-1].At.UTC().Format(time.DateOnly), number(lo), number(hi))
	s += fmt.Sprintf("%s (lower than an earlier reading), ", plural(rollbacks, "rollback"))
	s += fmt.Sprintf("%s (lower than the partner's previous registration).", plural(breaking, "is_breaking registration"))
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if n == 0 {
		return "no " + what + "s"
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func pointTitle(r milepost.OdometerReading, source string) string {
	value := number(r.Miles) + " mi"
	if r.Unit == milepost.Kilometers {
		value = number(r.Value) + " km (" + value + ")"
	}
	s := when(r.At) + ": " + value + ", " + strings.ToLower(source)
	if r.Rollback {
		s += ", rollback"
	}
	if r.Breaking {
		s += ", is_breaking"
	}
	return s
}

// legend lists the sources present, then the two marks, wrapping into rows; it returns the
// items and the number of rows.
func legend(rs []milepost.OdometerReading) ([]legendItem, int) {
	type entry struct{ label, shape, fill, stroke, dash string }
	var es []entry
	for _, src := range sourceOrder {
		if slices.ContainsFunc(rs, func(r milepost.OdometerReading) bool { return r.Source == src }) {
			st := sourceStyle[src]
			es = append(es, entry{st.Label, st.Shape, st.Fill, "none", ""})
		}
	}
	es = append(es, entry{"Rollback", "circle", "none", rollbackColor, ""}, entry{"is_breaking registration", "circle", "none", breakingColor, "3 2"})
	var out []legendItem
	x, y, rows := 16.0, float64(legendTop), 1
	for _, e := range es {
		w := 32 + 7*float64(len(e.label))
		if x+w > legendWidth && x > 16 {
			x, y, rows = 16, y+legendRow, rows+1
		}
		out = append(out, legendItem{D: shape(e.shape, x+8, y, 6), Fill: e.fill, Stroke: e.stroke, Dash: e.dash,
			TX: coord(x + 20), TY: coord(y), Label: e.label})
		x += w
	}
	return out, rows
}

// timeScale maps times onto the plot's width with five labelled ticks.
func timeScale(t0, t1 time.Time) (func(time.Time) float64, []chartTick) {
	if !t1.After(t0) {
		t0, t1 = t0.Add(-12*time.Hour), t1.Add(12*time.Hour)
	}
	pad := t1.Sub(t0) / 25
	t0, t1 = t0.Add(-pad), t1.Add(pad)
	span := float64(t1.Sub(t0))
	x := func(t time.Time) float64 {
		return plotLeft + float64(t.Sub(t0))/span*(plotRight-plotLeft)
	}
	layout := time.DateOnly
	if t1.Sub(t0) < 72*time.Hour {
		layout = "Jan 2 15:04"
	}
	var ticks []chartTick
	for i := range 5 {
		t := t0.Add(time.Duration(float64(i) * span / 4))
		if i == 0 || i == 4 {
			continue // the padding's edges: labels there would hang off the plot
		}
		ticks = append(ticks, chartTick{Pos: coord(x(t)), Label: t.UTC().Format(layout)})
	}
	return x, ticks
}

// milesScale maps miles onto the plot's height with round-numbered ticks.
func milesScale(rs []milepost.OdometerReading) (func(float64) float64, []chartTick) {
	lo, hi := rs[0].Miles, rs[0].Miles
	for _, r := range rs {
		lo, hi = min(lo, r.Miles), max(hi, r.Miles)
	}
	if hi-lo < 10 {
		lo, hi = lo-50, hi+50
	}
	step := niceStep((hi - lo) / 4)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if lo < 0 {
		lo = 0
	}
	y := func(m float64) float64 { return plotBottom - (m-lo)/(hi-lo)*(plotBottom-plotTop) }
	var ticks []chartTick
	for v := lo; v <= hi+step/2; v += step {
		ticks = append(ticks, chartTick{Pos: coord(y(v)), Label: number(v)})
	}
	return y, ticks
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// shape is an SVG path of a marker of radius r centred on (x, y).
func shape(kind string, x, y, r float64) string {
	c := func(dx, dy float64) string { return coord(x+dx) + " " + coord(y+dy) }
	switch kind {
	case "square":
		r *= 0.9
		return "M" + c(-r, -r) + " L" + c(r, -r) + " L" + c(r, r) + " L" + c(-r, r) + " Z"
	case "diamond":
		r *= 1.2
		return "M" + c(0, -r) + " L" + c(r, 0) + " L" + c(0, r) + " L" + c(-r, 0) + " Z"
	case "triangle":
		r *= 1.15
		return "M" + c(0, -r) + " L" + c(r, r*0.8) + " L" + c(-r, r*0.8) + " Z"
	}
	rr := coord(r)
	return "M" + c(-r, 0) + " a" + rr + " " + rr + " 0 1 0 " + coord(2*r) + " 0 a" + rr + " " + rr + " 0 1 0 " + coord(-2*r) + " 0"
}

// coord writes a coordinate with one decimal, without a trailing ".0".
func coord(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}
