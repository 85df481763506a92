package loadtest

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config says what Bench measures and how.
type Config struct {
	// URL is the Milepost server's base URL.
	URL string
	// Credentials are a partner's; Bench creates its users, vehicles and data under it.
	Credentials Credentials
	// Connections, Warmup and Duration shape every run (see Options).
	Connections int
	Warmup      time.Duration
	Duration    time.Duration
	// Endpoints are the names to run (Endpoints lists them); empty runs them all.
	Endpoints []string
	// PhotoBody is PhotoBodyJSON (the default) or PhotoBodyMultipart.
	PhotoBody string
	// Progress receives a line per step; nil discards them.
	Progress io.Writer
	// OnMeasure, when set, is called as an endpoint's measured window opens and the function it
	// returns as it closes (the baseline's window is not reported).
	OnMeasure func(endpoint string) (stop func())
}

// Validate checks the run's settings (all but URL and Credentials) and fills the defaults.
func (c *Config) Validate() error {
	if c.Connections < 1 {
		return fmt.Errorf("connections must be at least 1")
	}
	if c.Duration <= 0 {
		return fmt.Errorf("duration must be positive")
	}
	if c.Warmup < 0 {
		return fmt.Errorf("warm-up must not be negative")
	}
	if c.PhotoBody == "" {
		c.PhotoBody = PhotoBodyJSON
	}
	if c.PhotoBody != PhotoBodyJSON && c.PhotoBody != PhotoBodyMultipart {
		return fmt.Errorf("photo body must be %s or %s", PhotoBodyJSON, PhotoBodyMultipart)
	}
	known := Endpoints()
	for _, e := range c.Endpoints {
		if !slices.Contains(known, e) {
			return fmt.Errorf("unknown endpoint %q (known: %s)", e, strings.Join(known, ", "))
		}
	}
	return nil
}

// Bench seeds what the chosen endpoints need, then measures the bare handler and each endpoint
// in turn with the same connections, warm-up and duration.
func Bench(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.URL == "" || cfg.Credentials.PartnerID == "" || cfg.Credentials.ClientID == "" || cfg.Credentials.ClientSecret == "" {
		return nil, fmt.Errorf("a URL, partner id, client id and client secret are required")
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	c := newClient(cfg.URL, cfg.Credentials)
	if err := c.login(ctx); err != nil {
		return nil, err
	}
	s := &seed{c: c, workers: cfg.Connections, progress: progress, nonce: strconv.FormatInt(time.Now().UnixNano(), 36)}

	// Seed everything first, so the measurements follow each other closely.
	type prepared struct {
		e   endpoint
		req requestFunc
	}
	var runs []prepared
	for _, e := range endpoints(cfg.PhotoBody) {
		if len(cfg.Endpoints) > 0 && !slices.Contains(cfg.Endpoints, e.name) {
			continue
		}
		s.logf("seeding %s", e.name)
		req, err := e.prepare(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", e.name, err)
		}
		runs = append(runs, prepared{e, req})
	}

	opts := Options{Connections: cfg.Connections, Warmup: cfg.Warmup, Duration: cfg.Duration}
	url, stop, err := StartBaseline()
	if err != nil {
		return nil, err
	}
	s.logf("measuring %s (bare net/http JSON handler on %s)", BaselineName, url)
	base, err := Run(ctx, baselineTarget(url), opts)
	stop()
	if err != nil {
		return nil, err
	}
	rep := &Report{Baseline: statsOf(base), Connections: cfg.Connections, DurationS: cfg.Duration.Seconds(),
		WarmupS: cfg.Warmup.Seconds(), Machine: thisMachine()}
	for _, r := range runs {
		s.logf("measuring %s", r.e.name)
		o := opts
		if cfg.OnMeasure != nil {
			name := r.e.name
			o.OnMeasure = func() func() { return cfg.OnMeasure(name) }
		}
		res, err := Run(ctx, Target{Name: r.e.name, Request: r.req, Expect: r.e.expect}, o)
		if err != nil {
			return nil, err
		}
		rep.Endpoints = append(rep.Endpoints, endpointStats(r.e, res, rep.Baseline))
	}
	return rep, nil
}
