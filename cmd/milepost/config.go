package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// Config is everything the binary can be told, filled from flags and MILEPOST_* variables and
// validated once.
type Config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	PublicURL      string
	MaxUploadBytes int64
	MaxPhotoPixels int64
	TokenTTL       time.Duration
	Migrate        bool
	LogLevel       string
	LogFormat      string
	// Role is all (API and workers), api or worker.
	Role            string
	Workers         int
	JobPollInterval time.Duration
	// VerifyPolicy is a JSON file of verification thresholds ("" = the defaults).
	VerifyPolicy string
	// OCR selects the engine reading odometers, plates and photographed documents: auto, onnx,
	// tesseract or off.
	OCR string
	// DamageAnalyzerURL is a partner's external damage model (docs/damage-analysis.md); ""
	// means none. DamageAnalyzerToken is sent to it as a bearer token.
	DamageAnalyzerURL   string
	DamageAnalyzerToken string
	// WebhookAllowPrivate lets webhooks reach loopback and private addresses (tests, one-box setups).
	WebhookAllowPrivate bool
	// BlobURL names the blob store for photos and documents: "" for files under DataDir/blobs,
	// s3://KEY:SECRET@HOST:PORT/BUCKET for S3-compatible storage (docs/storage.md).
	BlobURL string
	// RateLimit and RateBurst are the per-credential (or per-address) token bucket of every
	// API dialect, per node (docs/limits.md); RateLimit 0 turns the limit off.
	RateLimit float64
	RateBurst int
	// ProxyHops is how many reverse proxies in front of the server append to X-Forwarded-For;
	// 0 means the connection's address is the client's.
	ProxyHops int
	// ReadHeaderTimeout bounds the time a client has to send its request line and headers
	// (slowloris guard); 0 means httpx.DefaultServerTimeouts' value (10s).
	ReadHeaderTimeout time.Duration
}

// envDocs documents every environment variable; `milepost help` prints them.
var envDocs = map[string]string{
	"MILEPOST_ADDR":                  "listen address (default 127.0.0.1:8080)",
	"MILEPOST_DATA_DIR":              "directory for the SQLite file and uploaded files (default ./milepost-data)",
	"MILEPOST_DATABASE_URL":          "postgres://… switches the store to PostgreSQL (default: SQLite in the data dir)",
	"MILEPOST_PUBLIC_URL":            "base URL clients reach the server at, used in photoUrl (default http://<addr>)",
	"MILEPOST_MAX_UPLOAD_BYTES":      "largest photo or file accepted, in bytes (default 20971520)",
	"MILEPOST_MAX_PHOTO_PIXELS":      "largest photo accepted, in pixels (default 120000000)",
	"MILEPOST_TOKEN_TTL":             "lifetime of bearer tokens (default 1h)",
	"MILEPOST_MIGRATE":               "serve: apply migrations on start (default true)",
	"MILEPOST_LOG_LEVEL":             "debug, info, warn or error (default info)",
	"MILEPOST_LOG_FORMAT":            "json or text (default json)",
	"MILEPOST_ROLE":                  "serve: all (API and workers), api or worker (default all)",
	"MILEPOST_WORKERS":               "serve: concurrent verification jobs per process (default 2×CPUs)",
	"MILEPOST_JOB_POLL":              "serve: how often workers poll for jobs (default 1s)",
	"MILEPOST_VERIFY_POLICY":         "serve: JSON file of verification thresholds (default: built-in policy)",
	"MILEPOST_WEBHOOK_ALLOW_PRIVATE": "serve: let webhooks reach loopback and private addresses (default false)",
	"MILEPOST_OCR":                   "serve: OCR engine: auto, onnx, tesseract or off (default auto)",
	"MILEPOST_DAMAGE_ANALYZER_URL":   "serve: external damage model condition photos are sent to (default none)",
	"MILEPOST_DAMAGE_ANALYZER_TOKEN": "serve: bearer token for the damage model",
	"MILEPOST_BLOB_URL":              "photos and documents: s3://KEY:SECRET@HOST:PORT/BUCKET[?region=&tls=&prefix=] (default: files under the data dir)",
	"MILEPOST_RATE_LIMIT":            "serve: requests per second per credential or client address, per node; 0 = off (default 50)",
	"MILEPOST_RATE_BURST":            "serve: requests one credential or address may send at once (default 100)",
	"MILEPOST_PROXY_HOPS":            "serve: reverse proxies in front appending to X-Forwarded-For (default 0: trust the connection's address)",
	"MILEPOST_READ_HEADER_TIMEOUT":   "serve: time a client has to send the request line and headers (default 10s)",
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// storeFlags registers the flags every command that opens the store shares.
func storeFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data-dir", env("MILEPOST_DATA_DIR", "milepost-data"), "directory for the SQLite file and uploaded files")
	fs.StringVar(&c.DatabaseURL, "database-url", env("MILEPOST_DATABASE_URL", ""), "postgres:// URL (empty: SQLite in the data dir)")
	fs.StringVar(&c.LogLevel, "log-level", env("MILEPOST_LOG_LEVEL", "info"), "debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", env("MILEPOST_LOG_FORMAT", "json"), "json or text")
	fs.StringVar(&c.BlobURL, "blob-url", env("MILEPOST_BLOB_URL", ""), "s3://KEY:SECRET@HOST:PORT/BUCKET for S3-compatible storage (empty: files under the data dir)")
}

// serveFlags registers the server's own flags.
func serveFlags(fs *flag.FlagSet, c *Config) error {
	fs.StringVar(&c.Addr, "addr", env("MILEPOST_ADDR", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&c.PublicURL, "public-url", env("MILEPOST_PUBLIC_URL", ""), "base URL clients reach the server at (default http://<addr>)")
	var err error
	parseInt := func(name, def string) int64 {
		n, e := strconv.ParseInt(env(name, def), 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("%s: not an integer", name)
		}
		return n
	}
	fs.Int64Var(&c.MaxUploadBytes, "max-upload-bytes", parseInt("MILEPOST_MAX_UPLOAD_BYTES", strconv.Itoa(milepost.DefaultMaxUploadBytes)), "largest photo or file accepted, in bytes")
	fs.Int64Var(&c.MaxPhotoPixels, "max-photo-pixels", parseInt("MILEPOST_MAX_PHOTO_PIXELS", "120000000"), "largest photo accepted, in pixels (decompression-bomb guard)")
	ttl, e := time.ParseDuration(env("MILEPOST_TOKEN_TTL", "1h"))
	if e != nil && err == nil {
		err = fmt.Errorf("MILEPOST_TOKEN_TTL: %v", e)
	}
	fs.DurationVar(&c.TokenTTL, "token-ttl", ttl, "lifetime of bearer tokens")
	mig, e := strconv.ParseBool(env("MILEPOST_MIGRATE", "true"))
	if e != nil && err == nil {
		err = fmt.Errorf("MILEPOST_MIGRATE: %v", e)
	}
	fs.BoolVar(&c.Migrate, "migrate", mig, "apply database migrations on start (false: refuse to run on an outdated schema)")
	fs.StringVar(&c.Role, "role", env("MILEPOST_ROLE", "all"), "all (API and workers), api or worker")
	fs.IntVar(&c.Workers, "workers", int(parseInt("MILEPOST_WORKERS", "0")), "concurrent verification jobs per process (0: 2×CPUs)")
	poll, e := time.ParseDuration(env("MILEPOST_JOB_POLL", "1s"))
	if e != nil && err == nil {
		err = fmt.Errorf("MILEPOST_JOB_POLL: %v", e)
	}
	fs.DurationVar(&c.JobPollInterval, "job-poll", poll, "how often workers poll for jobs")
	fs.StringVar(&c.VerifyPolicy, "verify-policy", env("MILEPOST_VERIFY_POLICY", ""), "JSON file of verification thresholds (see docs/verification.md)")
	fs.StringVar(&c.OCR, "ocr", env("MILEPOST_OCR", "auto"), "OCR engine: auto (onnx when installed, else tesseract), onnx, tesseract or off (see docs/ocr.md)")
	fs.StringVar(&c.DamageAnalyzerURL, "damage-analyzer-url", env("MILEPOST_DAMAGE_ANALYZER_URL", ""), "external damage model condition photos are sent to (see docs/damage-analysis.md)")
	fs.StringVar(&c.DamageAnalyzerToken, "damage-analyzer-token", env("MILEPOST_DAMAGE_ANALYZER_TOKEN", ""), "bearer token for the damage model")
	priv, e := strconv.ParseBool(env("MILEPOST_WEBHOOK_ALLOW_PRIVATE", "false"))
	if e != nil && err == nil {
		err = fmt.Errorf("MILEPOST_WEBHOOK_ALLOW_PRIVATE: %v", e)
	}
	fs.BoolVar(&c.WebhookAllowPrivate, "webhook-allow-private", priv, "let webhooks reach loopback and private addresses")
	rate, e := strconv.ParseFloat(env("MILEPOST_RATE_LIMIT", strconv.FormatFloat(httpx.DefaultRateLimit, 'f', -1, 64)), 64)
	if e != nil && err == nil {
		err = fmt.Errorf("MILEPOST_RATE_LIMIT: not a number")
	}
	fs.Float64Var(&c.RateLimit, "rate-limit", rate, "requests per second per credential or client address, per node (0: no limit)")
	fs.IntVar(&c.RateBurst, "rate-burst", int(parseInt("MILEPOST_RATE_BURST", strconv.Itoa(httpx.DefaultRateBurst))), "requests one credential or address may send at once")
	fs.IntVar(&c.ProxyHops, "proxy-hops", int(parseInt("MILEPOST_PROXY_HOPS", "0")), "reverse proxies in front of the server that append to X-Forwarded-For")
	rht, e := time.ParseDuration(env("MILEPOST_READ_HEADER_TIMEOUT", "0s"))
	if e != nil && err == nil {
		err = fmt.Errorf("MILEPOST_READ_HEADER_TIMEOUT: %v", e)
	}
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", rht, "time a client has to send the request line and headers (0: the default, 10s)")
	if err != nil {
		return usageErrorf("%v", err)
	}
	return nil
}

// Validate checks the store and logging settings every command shares.
func (c *Config) Validate() error {
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return usageErrorf("--log-format must be json or text")
	}
	return nil
}

// ValidateServe checks the server's settings once, before anything starts.
func (c *Config) ValidateServe() error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.MaxUploadBytes < 1024 {
		return usageErrorf("--max-upload-bytes must be at least 1024")
	}
	if c.MaxPhotoPixels < 1 {
		return usageErrorf("--max-photo-pixels must be positive")
	}
	if c.TokenTTL < time.Minute {
		return usageErrorf("--token-ttl must be at least 1m")
	}
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		return usageErrorf("--public-url must start with http:// or https://")
	}
	switch c.Role {
	case "all", "api", "worker":
	default:
		return usageErrorf("--role must be all, api or worker")
	}
	if c.DamageAnalyzerURL != "" && !strings.HasPrefix(c.DamageAnalyzerURL, "http://") && !strings.HasPrefix(c.DamageAnalyzerURL, "https://") {
		return usageErrorf("--damage-analyzer-url must start with http:// or https://")
	}
	switch c.OCR {
	case "auto", "onnx", "tesseract", "off":
	default:
		return usageErrorf("--ocr must be auto, onnx, tesseract or off")
	}
	if c.Workers < 0 {
		return usageErrorf("--workers must be 0 or more")
	}
	if c.RateLimit < 0 || (c.RateLimit > 0 && c.RateBurst < 1) {
		return usageErrorf("--rate-limit must be 0 or more and --rate-burst at least 1")
	}
	if c.ProxyHops < 0 {
		return usageErrorf("--proxy-hops must be 0 or more")
	}
	if c.ReadHeaderTimeout < 0 {
		return usageErrorf("--read-header-timeout must be 0 or more")
	}
	if c.JobPollInterval < 10*time.Millisecond {
		return usageErrorf("--job-poll must be at least 10ms")
	}
	return nil
}

// serveAPI and runWorkers tell what this process does for its role.
func (c *Config) serveAPI() bool   { return c.Role != "worker" }
func (c *Config) runWorkers() bool { return c.Role != "api" }

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, usageErrorf("--log-level must be debug, info, warn or error")
	}
	return l, nil
}

// newLogger makes the process logger: structured, to stderr.
func newLogger(c *Config, w io.Writer) *slog.Logger {
	level, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// parseFlags parses args into fs and rejects stray positional arguments unless allowed.
func parseFlags(fs *flag.FlagSet, args []string, positional int) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageErrorf("%v", err)
	}
	if fs.NArg() > positional {
		return usageErrorf("unexpected argument %q", fs.Arg(positional))
	}
	return nil
}
