package loadtest

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what Bench measured, in the shape `milepost bench --json` prints.
type Report struct {
	Baseline  Stats           `json:"baseline"`
	Endpoints []EndpointStats `json:"endpoints"`
	// Connections, DurationS and WarmupS are the run's settings.
	Connections int     `json:"connections"`
	DurationS   float64 `json:"duration_s"`
	WarmupS     float64 `json:"warmup_s"`
	// Server says what was measured (set by the caller: in-process or a URL, store, role).
	Server  map[string]string `json:"server,omitempty"`
	Machine Machine           `json:"machine"`
}

// Machine describes where the load generator (and the baseline) ran.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	Go         string `json:"go"`
}

// Stats are one run's figures. Latencies are of successful requests only.
type Stats struct {
	Name         string            `json:"name"`
	Requests     int64             `json:"requests"`
	RPS          float64           `json:"rps"`
	P50Ms        float64           `json:"p50_ms"`
	P90Ms        float64           `json:"p90_ms"`
	P99Ms        float64           `json:"p99_ms"`
	MaxMs        float64           `json:"max_ms"`
	Errors       int64             `json:"errors"`
	ErrorKinds   map[string]int64  `json:"error_kinds,omitempty"`
	ErrorSamples map[string]string `json:"error_samples,omitempty"`
}

// EndpointStats are an endpoint's figures beside the baseline's.
type EndpointStats struct {
	Stats
	Request string `json:"request"`
	// Ratio is the endpoint's requests per second over the bare handler's.
	Ratio float64 `json:"ratio"`
	// Goal and MeetsGoal are set for the endpoints with a target.
	Goal      *Goal `json:"goal,omitempty"`
	MeetsGoal *bool `json:"meets_goal,omitempty"`
}

func ms(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond), 3) }

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

func statsOf(r *Result) Stats {
	s := Stats{Name: r.Name, Requests: r.Requests, RPS: round(r.RPS(), 1), Errors: r.Errors,
		P50Ms: ms(r.Latency.Quantile(0.50)), P90Ms: ms(r.Latency.Quantile(0.90)), P99Ms: ms(r.Latency.Quantile(0.99)), MaxMs: ms(r.Latency.Max())}
	if r.Errors > 0 {
		s.ErrorKinds, s.ErrorSamples = r.ErrorKinds, r.ErrorSamples
	}
	return s
}

func endpointStats(e endpoint, r *Result, baseline Stats) EndpointStats {
	es := EndpointStats{Stats: statsOf(r), Request: e.request, Goal: e.goal}
	if baseline.RPS > 0 {
		es.Ratio = round(es.RPS/baseline.RPS, 4)
	}
	if e.goal != nil {
		met := es.Errors == 0 && es.Ratio >= e.goal.MinRatio && (e.goal.MaxP99Ms == 0 || es.P99Ms <= e.goal.MaxP99Ms)
		es.MeetsGoal = &met
	}
	return es
}

func thisMachine() Machine {
	return Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version()}
}

// WriteTable prints the report for people: one line per run, then any errors with a sample.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d connections, %s measured after a %s warm-up, per endpoint\n",
		r.Connections, time.Duration(r.DurationS*float64(time.Second)), time.Duration(r.WarmupS*float64(time.Second)))
	fmt.Fprintf(&b, "machine: %d CPUs (GOMAXPROCS %d), %s/%s, %s; the load generator runs on it too\n",
		r.Machine.CPUs, r.Machine.GOMAXPROCS, r.Machine.OS, r.Machine.Arch, r.Machine.Go)
	keys := make([]string, 0, len(r.Server))
	for k := range r.Server {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", strings.ReplaceAll(k, "_", " "), r.Server[k])
	}
	b.WriteString("\n")
	const baseName = "baseline (bare net/http JSON)"
	width := len(baseName)
	for _, e := range r.Endpoints {
		width = max(width, len(e.Name))
	}
	// Right-aligned numbers; names padded to one width so they read left-aligned.
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\treq/s\tvs bare\tp50 ms\tp90 ms\tp99 ms\terrors\t  %s\n", width, "endpoint", "target")
	row := func(s Stats, ratio, target string) {
		fmt.Fprintf(tw, "%-*s\t%.1f\t%s\t%.2f\t%.2f\t%.2f\t%d\t  %s\n", width, s.Name, s.RPS, ratio, s.P50Ms, s.P90Ms, s.P99Ms, s.Errors, target)
	}
	row(r.Baseline.withName(baseName), "100%", "")
	for _, e := range r.Endpoints {
		row(e.Stats, fmt.Sprintf("%.1f%%", 100*e.Ratio), e.target())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range append([]Stats{r.Baseline}, endpointStatsList(r.Endpoints)...) {
		kinds := make([]string, 0, len(s.ErrorKinds))
		for k := range s.ErrorKinds {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			fmt.Fprintf(&b, "\n%s: %d × %s, e.g. %s", s.Name, s.ErrorKinds[k], k, strings.TrimSpace(s.ErrorSamples[k]))
		}
	}
	if len(r.Endpoints) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (s Stats) withName(n string) Stats { s.Name = n; return s }

func endpointStatsList(es []EndpointStats) []Stats {
	out := make([]Stats, len(es))
	for i, e := range es {
		out[i] = e.Stats
	}
	return out
}

// target describes the goal and whether it was met.
func (e EndpointStats) target() string {
	if e.Goal == nil {
		return ""
	}
	t := fmt.Sprintf("≥ %.0f%%", 100*e.Goal.MinRatio)
	if e.Goal.MaxP99Ms > 0 {
		t += fmt.Sprintf(", p99 ≤ %.0f ms", e.Goal.MaxP99Ms)
	}
	if e.MeetsGoal != nil && *e.MeetsGoal {
		return t + ": met"
	}
	return t + ": not met"
}
