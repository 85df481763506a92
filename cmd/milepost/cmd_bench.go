package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/milepost/milepost/loadtest"
)

// benchOptions are bench's own flags; the rest configure the in-process server as for serve.
type benchOptions struct {
	duration, warmup time.Duration
	connections      int
	url              string
	creds            loadtest.Credentials
	json             bool
	endpoints        string
	photoBody        string
	profile          string
}

// benchOwn names the flags that apply with --url too.
var benchOwn = map[string]bool{"duration": true, "warmup": true, "connections": true, "url": true, "partner-id": true,
	"client-id": true, "client-secret": true, "json": true, "endpoints": true, "photo-body": true}

// runBench measures the main endpoints beside a bare net/http handler: `milepost bench`.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var o benchOptions
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &cfg)
	if err := serveFlags(fs, &cfg); err != nil {
		return err
	}
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per endpoint")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured time before each endpoint's measurement")
	fs.IntVar(&o.connections, "connections", 64, "concurrent connections, each sending requests back to back")
	fs.StringVar(&o.url, "url", "", "measure the server at this URL instead of one started in-process (needs --partner-id, --client-id, --client-secret)")
	fs.StringVar(&o.creds.PartnerID, "partner-id", "", "with --url: the partner the bench seeds its data under")
	fs.StringVar(&o.creds.ClientID, "client-id", "", "with --url: that partner's client id")
	fs.StringVar(&o.creds.ClientSecret, "client-secret", "", "with --url: that partner's client secret")
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	fs.StringVar(&o.endpoints, "endpoints", "", "comma-separated endpoints to run (default all: "+strings.Join(loadtest.Endpoints(), ",")+")")
	fs.StringVar(&o.photoBody, "photo-body", loadtest.PhotoBodyJSON, "photo upload body: json (documented Base64) or multipart")
	fs.StringVar(&o.profile, "profile", "", "in-process: write a CPU profile per endpoint and block and mutex profiles of all endpoints to this directory")
	// The in-process server's defaults differ from serve's (see benchInProcess).
	for name, def := range map[string]string{"data-dir": "", "database-url": "", "role": "api", "addr": "127.0.0.1:0", "log-level": "warn", "rate-limit": "0"} {
		fs.Lookup(name).DefValue = def
	}
	fs.Lookup("data-dir").Usage = "directory for the SQLite file and uploaded files (default: a temporary one, removed afterwards)"
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	bc := loadtest.Config{Connections: o.connections, Warmup: o.warmup, Duration: o.duration, PhotoBody: o.photoBody,
		Credentials: o.creds, Progress: stderr}
	if o.endpoints != "" {
		for _, e := range strings.Split(o.endpoints, ",") {
			bc.Endpoints = append(bc.Endpoints, strings.TrimSpace(e))
		}
	}

	var server map[string]string
	if o.url != "" {
		if o.creds.PartnerID == "" || o.creds.ClientID == "" || o.creds.ClientSecret == "" {
			return usageErrorf("--url needs --partner-id, --client-id and --client-secret")
		}
		for name := range set {
			if !benchOwn[name] {
				return usageErrorf("--%s applies to the in-process server only, not with --url", name)
			}
		}
		bc.URL = o.url
		server = map[string]string{"server": o.url + " (seeded under partner " + o.creds.PartnerID + ")"}
		if err := bc.Validate(); err != nil {
			return usageErrorf("%v", err)
		}
		return printBench(ctx, bc, server, o.json, stdout)
	}
	if set["partner-id"] || set["client-id"] || set["client-secret"] {
		return usageErrorf("--partner-id, --client-id and --client-secret go with --url; in-process the bench creates its partner")
	}
	return benchInProcess(ctx, cfg, set, o, bc, stdout, stderr)
}

// benchInProcess starts the server on loopback and measures it. Settings that could point the
// bench at real data or flood the terminal come from flags only, never from MILEPOST_*
// variables: the data directory (default: a temporary one, removed afterwards), the database
// (default: SQLite in it), the role (default api: verification workers off, as on an API node,
// so the figures measure the API and not a verification backlog competing for the same CPUs),
// the address, the log level (default warn: no access log line per request) and the rate limit
// (default 0, off: the bench's one credential sends far more than a partner may).
func benchInProcess(ctx context.Context, cfg Config, set map[string]bool, o benchOptions, bc loadtest.Config, stdout, stderr io.Writer) error {
	if !set["database-url"] {
		cfg.DatabaseURL = ""
	}
	if !set["role"] {
		cfg.Role = "api"
	}
	if !set["addr"] {
		cfg.Addr = "127.0.0.1:0"
	}
	if !set["log-level"] {
		cfg.LogLevel = "warn"
	}
	if !set["rate-limit"] {
		cfg.RateLimit = 0
	}
	if !set["data-dir"] {
		dir, err := os.MkdirTemp("", "milepost-bench-")
		if err != nil {
			return fmt.Errorf("create a data directory: %w", err)
		}
		defer os.RemoveAll(dir)
		cfg.DataDir = dir
	}
	if err := cfg.ValidateServe(); err != nil {
		return err
	}
	if !cfg.serveAPI() {
		return usageErrorf("--role worker serves no API to measure; use api or all")
	}
	if err := bc.Validate(); err != nil {
		return usageErrorf("%v", err)
	}
	if o.profile != "" {
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return fmt.Errorf("create the profile directory: %w", err)
		}
		stop := startLockProfiles()
		defer func() {
			if err := stop(o.profile); err != nil {
				fmt.Fprintln(stderr, "milepost bench:", err)
			}
		}()
		bc.OnMeasure = func(endpoint string) func() { return cpuProfile(o.profile, endpoint, stderr) }
	}

	app := NewApp(cfg, newLogger(&cfg, stderr), io.Discard)
	defer app.Close()
	if err := app.Open(ctx); err != nil {
		return err
	}
	runCtx, stopApp := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Run(runCtx) }()
	defer func() {
		stopApp()
		<-done
	}()
	p, err := app.DB.Partners().CreatePartner(ctx, "Bench "+time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("create the bench partner: %w", err)
	}
	bc.URL = app.URL()
	bc.Credentials = loadtest.Credentials{PartnerID: p.Partner.ID, ClientID: p.Partner.ClientID, ClientSecret: p.ClientSecret}
	role := cfg.Role
	switch role {
	case "api":
		role += ": verification workers off (jobs are enqueued in each check-in's transaction, not run)"
	case "all":
		workers := "2×CPUs"
		if cfg.Workers > 0 {
			workers = fmt.Sprint(cfg.Workers)
		}
		role += fmt.Sprintf(": verification workers on (%s at once, OCR %s) compete for the CPUs", workers, cfg.OCR)
	}
	store := app.DB.Dialect() + " " + app.DB.Location
	access := "off (log level " + cfg.LogLevel + ")"
	if l, _ := parseLevel(cfg.LogLevel); l <= slog.LevelInfo {
		access = "on (" + cfg.LogFormat + " to stderr)"
	}
	server := map[string]string{"server": "in-process at " + app.URL(), "store": store, "role": role, "access_log": access}
	return printBench(ctx, bc, server, o.json, stdout)
}

// printBench runs the bench and prints its report as a table or JSON.
func printBench(ctx context.Context, bc loadtest.Config, server map[string]string, asJSON bool, stdout io.Writer) error {
	rep, err := loadtest.Bench(ctx, bc)
	if err != nil {
		return err
	}
	rep.Server = server
	if asJSON {
		return writeJSON(stdout, rep)
	}
	return rep.WriteTable(stdout)
}

// cpuProfile starts a CPU profile of one endpoint's measured window and returns its stop.
func cpuProfile(dir, endpoint string, stderr io.Writer) func() {
	f, err := os.Create(filepath.Join(dir, endpoint+".cpu.pprof"))
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(stderr, "milepost bench: CPU profile:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(stderr, "milepost bench: CPU profile:", err)
		}
	}
}

// startLockProfiles samples blocking (channel, select, lock and pool waits, one event per
// 10 µs blocked) and contended mutexes (one in 10) for the whole run; the function it returns
// writes block.pprof and mutex.pprof.
func startLockProfiles() func(dir string) error {
	runtime.SetBlockProfileRate(10_000)
	runtime.SetMutexProfileFraction(10)
	return func(dir string) error {
		defer runtime.SetBlockProfileRate(0)
		defer runtime.SetMutexProfileFraction(0)
		for _, name := range []string{"block", "mutex"} {
			f, err := os.Create(filepath.Join(dir, name+".pprof"))
			if err != nil {
				return err
			}
			err = pprof.Lookup(name).WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("%s profile: %w", name, err)
			}
		}
		return nil
	}
}
