package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/blob"
	"github.com/milepost/milepost/console"
	"github.com/milepost/milepost/damage"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/jobs"
	"github.com/milepost/milepost/ocrread"
	"github.com/milepost/milepost/odometerapi"
	"github.com/milepost/milepost/openapi"
	"github.com/milepost/milepost/partnerapi"
	"github.com/milepost/milepost/payout"
	"github.com/milepost/milepost/photo"
	"github.com/milepost/milepost/photosrc"
	"github.com/milepost/milepost/replay"
	"github.com/milepost/milepost/sqlstore"
	"github.com/milepost/milepost/tripapi"
	"github.com/milepost/milepost/verify"
	"github.com/milepost/milepost/vin"
	"github.com/milepost/milepost/webhook"
)

// Version is the server version shown in the OpenAPI document.
var Version = "0.1.0"

// App is the whole server wired together: store, blob store, HTTP API. End-to-end tests boot
// it on 127.0.0.1:0 and talk HTTP to it.
type App struct {
	cfg    Config
	log    *slog.Logger
	stdout io.Writer

	DB       *sqlstore.DB
	Spec     *openapi.Spec
	Partner  *partnerapi.Server
	Odometer *odometerapi.Server
	Trips    *tripapi.Server
	Console  *console.Console
	Workers  *jobs.Runner // nil when this process runs no workers
	// PayoutProvider pays claims out; nil before Open means the built-in provider (tests set
	// their own).
	PayoutProvider milepost.PayoutProvider
	// JobBackoff overrides the workers' retry backoff when set before Open (tests shorten it).
	JobBackoff func(attempt int) time.Duration
	rewards    *sqlstore.Rewards
	server     *http.Server
	listener   net.Listener
	url        string
	routes     [][2]string // method and path of every documented route
}

// NewApp returns an App for a validated configuration; Open starts it.
func NewApp(cfg Config, log *slog.Logger, stdout io.Writer) *App {
	return &App{cfg: cfg, log: log, stdout: stdout}
}

// openStore opens the configured database and migrates it (or checks it is current).
func openStore(ctx context.Context, cfg Config, log *slog.Logger, migrate bool) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, sqlstore.Config{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return nil, err
	}
	if migrate {
		_, err = db.Migrate(ctx)
	} else {
		err = db.CheckSchema(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Open opens the store, listens on the configured address and wires the HTTP API. It does not
// serve yet; Run does.
func (a *App) Open(ctx context.Context) error {
	db, err := openStore(ctx, a.cfg, a.log, a.cfg.Migrate)
	if err != nil {
		return err
	}
	a.DB = db
	a.log.Info("store ready", "database", db.Location)
	if err := a.ensureDemoPartner(ctx); err != nil {
		return err
	}
	blobs, err := blob.Open(ctx, a.cfg.BlobURL, a.cfg.DataDir)
	if err != nil {
		return fmt.Errorf("open blob store: %w", err)
	}
	tokenKey, err := db.Secret(ctx, "token-signing-key")
	if err != nil {
		return fmt.Errorf("load token key: %w", err)
	}
	linkKey, err := db.Secret(ctx, "link-signing-key")
	if err != nil {
		return fmt.Errorf("load link key: %w", err)
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	a.listener = ln
	a.url = a.cfg.PublicURL
	if a.url == "" {
		a.url = "http://" + publicHost(ln.Addr().String())
	}

	a.Spec = openapi.New("Milepost API", Version,
		"Verified vehicle data in three dialects: the Ownli partner API (/api/...: camelCase, {error_code, error_message} errors), the Jifeline odometer registrations (/v2/...: snake_case, OAuth2, problem+json errors) and the Tight trip log (/v6/...: bulk writes answered item by item).")
	a.Spec.AddServer(a.url, "This server")
	signer := httpx.NewSigner(linkKey)
	if a.PayoutProvider == nil {
		a.PayoutProvider = &payout.Builtin{BaseURL: a.url, Signer: signer}
	}
	a.rewards = db.Rewards(a.PayoutProvider)
	if err := a.openWorkers(blobs); err != nil {
		return err
	}
	mux := http.NewServeMux()
	timeouts := httpx.DefaultServerTimeouts()
	if a.cfg.ReadHeaderTimeout > 0 {
		timeouts.ReadHeader = a.cfg.ReadHeaderTimeout
	}
	if a.cfg.serveAPI() {
		checkins, auth := db.Checkins(), httpx.NewCredentialCache(db.Partners(), 30*time.Second)
		tokens := httpx.NewTokens(tokenKey, a.cfg.TokenTTL)
		limiter := a.rateLimiter()
		uploads := db.Uploads(blobs, photo.NewInspector(a.cfg.MaxPhotoPixels), a.cfg.MaxUploadBytes)
		a.Partner = partnerapi.New(partnerapi.Config{
			Auth:           auth,
			Users:          db.Users(),
			Vehicles:       db.Vehicles(vin.New(), nil),
			Uploads:        uploads,
			Checkins:       checkins,
			Reviews:        checkins,
			Odometer:       db.OdometerHistory(),
			MileageLogs:    db.OdometerHistory(),
			Rewards:        a.rewards,
			Payouts:        a.rewards,
			Webhooks:       db.Webhooks(),
			Tokens:         tokens,
			Signer:         signer,
			PublicURL:      a.url,
			MaxUploadBytes: a.cfg.MaxUploadBytes,
			Limiter:        limiter,
			UploadTimeout:  timeouts.Upload,
			Logger:         a.log,
		})
		a.Partner.Register(mux, a.Spec)
		a.routes = append(a.routes, a.Partner.Routes()...)
		a.Odometer = odometerapi.New(odometerapi.Config{Auth: auth, Registrations: db.Registrations(), Tokens: tokens, Limiter: limiter, Logger: a.log})
		a.Odometer.Register(mux, a.Spec)
		a.routes = append(a.routes, a.Odometer.Routes()...)
		a.Trips = tripapi.New(tripapi.Config{Auth: auth, Users: db.Users(), Trips: db.Trips(), Tokens: tokens, Limiter: limiter, Logger: a.log})
		a.Trips.Register(mux, a.Spec)
		a.routes = append(a.routes, a.Trips.Routes()...)
		a.Console = console.New(console.Config{
			Reviewers:     db.Reviewers(),
			Reviews:       checkins,
			Audit:         checkins,
			Checkins:      checkins,
			Vehicles:      db.Vehicles(vin.New(), nil),
			Users:         db.Users(),
			Odometer:      db.OdometerHistory(),
			Registrations: db.Registrations(),
			Trips:         db.OdometerHistory(),
			Rewards:       a.rewards,
			Uploads:       uploads,
			SignInLimiter: httpx.NewRateLimiter(1.0/3, 20, httpx.WithProxyHops(a.cfg.ProxyHops)),
			Logger:        a.log,
			Secure:        strings.HasPrefix(a.url, "https://"),
		})
		a.Console.Register(mux, a.Spec)
		a.routes = append(a.routes, a.Console.Routes()...)
	}
	a.registerOps(mux)
	a.server = &http.Server{
		Handler:  httpx.WithRequestID(httpx.AccessLog(a.log, mux)),
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	timeouts.Apply(a.server)
	return nil
}

// rateLimiter is the per-credential limiter the three dialects share, or nil when
// --rate-limit is 0.
func (a *App) rateLimiter() *httpx.RateLimiter {
	if a.cfg.RateLimit == 0 {
		return nil
	}
	return httpx.NewRateLimiter(a.cfg.RateLimit, a.cfg.RateBurst, httpx.WithProxyHops(a.cfg.ProxyHops))
}

// openWorkers prepares the verification workers when the role runs them. Jobs enqueued by this
// process wake them at once; jobs from other nodes are found by polling.
func (a *App) openWorkers(blobs milepost.BlobStore) error {
	if !a.cfg.runWorkers() {
		return nil
	}
	policy := verify.DefaultPolicy()
	if a.cfg.VerifyPolicy != "" {
		var err error
		if policy, err = verify.LoadPolicy(a.cfg.VerifyPolicy); err != nil {
			return fmt.Errorf("verification policy: %w", err)
		}
	}
	engine, err := ocrread.Engine(a.cfg.OCR)
	if err != nil {
		return err
	}
	pixels := photosrc.New(blobs)
	var external verify.ExternalDamage
	if a.cfg.DamageAnalyzerURL != "" {
		external = &damage.Client{URL: a.cfg.DamageAnalyzerURL, Token: a.cfg.DamageAnalyzerToken}
	}
	var photoReader verify.PhotoReader
	var docReader verify.DocumentReader
	if engine != nil {
		r := ocrread.New(pixels, engine, max(1, runtime.GOMAXPROCS(0)/2))
		photoReader, docReader = r, r
		if err := engine.Available(); err != nil {
			a.log.Warn("OCR is not available: odometers, plates and photographed documents are not read", "engine", engine.Name(), "why", err.Error())
		} else {
			a.log.Info("OCR ready", "engine", engine.Name())
		}
	}
	a.Workers = jobs.New(jobs.Config{
		Queue: a.DB.Jobs(),
		Handlers: map[string]jobs.Handler{
			milepost.JobVerifyCheckin: jobs.VerifyHandler{Store: a.DB.Checkins(), Verifier: verify.New(policy,
				verify.NewDeviceAnalyzer(policy, a.DB.PhotoUses()),
				verify.NewReplayAnalyzer(policy, replay.New(a.DB.PhotoUses(), replay.Thresholds{
					MaxPHashDistance: policy.MaxReplayPHashDistance, MaxDHashDistance: policy.MaxReplayDHashDistance})),
				verify.NewDocumentAnalyzer(policy, docReader),
				verify.NewOCRAnalyzer(policy, photoReader),
				verify.NewDamageAnalyzer(policy, pixels, external),
			)},
			milepost.JobDeliverWebhook:  jobs.WebhookHandler{Store: a.DB.Webhooks(), Deliverer: &webhook.Deliverer{AllowPrivate: a.cfg.WebhookAllowPrivate}},
			milepost.JobReconcilePayout: jobs.PayoutHandler{Payouts: a.rewards},
		},
		Concurrency:  a.cfg.Workers,
		PollInterval: a.cfg.JobPollInterval,
		Backoff:      a.JobBackoff,
		Logger:       a.log,
	})
	a.DB.JobEnqueued = func(string) { a.Workers.Notify() }
	return nil
}

// publicHost turns a listen address into one clients can use ("0.0.0.0:8080" → "localhost:8080").
func publicHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// registerOps adds the operational endpoints (health, readiness, the OpenAPI document, docs)
// to the mux and to the document.
func (a *App) registerOps(mux *http.ServeMux) {
	a.Spec.AddTag("Operations", "Health, readiness and this documentation.")
	status := struct {
		Status   string `json:"status"`
		Database string `json:"database,omitempty"`
	}{}
	ops := []struct {
		op openapi.Op
		h  http.Handler
	}{
		{openapi.Op{Method: "GET", Path: "/healthz", ID: "health", Tags: []string{"Operations"}, Summary: "Liveness: the process is up",
			Responses: []openapi.Response{{Status: 200, Description: "Alive.", Body: status}}},
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
			})},
		{openapi.Op{Method: "GET", Path: "/readyz", ID: "ready", Tags: []string{"Operations"}, Summary: "Readiness: the database answers",
			Responses: []openapi.Response{{Status: 200, Description: "Ready.", Body: status}, {Status: 503, Description: "The database is unreachable.", Body: status}}},
			http.HandlerFunc(a.ready)},
		{openapi.Op{Method: "GET", Path: "/openapi.json", ID: "openapi", Tags: []string{"Operations"}, Summary: "This OpenAPI 3.1 document",
			Responses: []openapi.Response{{Status: 200, Description: "The document.", Body: map[string]any{}}}}, a.Spec},
		{openapi.Op{Method: "GET", Path: "/docs", ID: "docs", Tags: []string{"Operations"}, Summary: "Human-readable API reference",
			Responses: []openapi.Response{{Status: 200, Description: "An HTML page.", ContentType: "text/html"}}}, a.Spec.DocsHandler()},
		{openapi.Op{Method: "GET", Path: "/", ID: "root", Tags: []string{"Operations"}, Summary: "Server name, version and links",
			Responses: []openapi.Response{{Status: 200, Description: "Links to the docs.", Body: map[string]string{}}}},
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				httpx.WriteJSON(w, http.StatusOK, map[string]string{"name": "milepost", "version": Version, "docs": a.url + "/docs", "openapi": a.url + "/openapi.json"})
			})},
	}
	for _, o := range ops {
		a.Spec.Add(o.op)
		pattern := o.op.Method + " " + o.op.Path
		if o.op.Path == "/" {
			pattern += "{$}" // only the root itself, not every unknown path
		}
		mux.Handle(pattern, o.h)
		a.routes = append(a.routes, [2]string{o.op.Method, o.op.Path})
	}
}

func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		a.log.Warn("not ready", "error", err)
		httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": a.DB.Dialect()})
}

// ensureDemoPartner creates a demo partner on first start with an empty store and prints its
// credentials once, so a newcomer can call the API right away.
func (a *App) ensureDemoPartner(ctx context.Context) error {
	creds, created, err := a.DB.Partners().CreateFirstPartner(ctx, "Demo partner")
	if err != nil {
		return fmt.Errorf("create demo partner: %w", err)
	}
	if !created {
		return nil
	}
	fmt.Fprintf(a.stdout, "Created a demo partner. Its secret is shown only now:\n  partnerId:    %s\n  clientId:     %s\n  clientSecret: %s\n",
		creds.Partner.ID, creds.Partner.ClientID, creds.ClientSecret)
	a.log.Info("created demo partner", "partnerId", creds.Partner.ID)
	return nil
}

// URL is the base URL the server is reachable at.
func (a *App) URL() string { return a.url }

// Run serves until ctx is done, then shuts down gracefully: it stops accepting connections and
// lets requests in flight finish (up to 30 s).
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.listener) }()
	a.log.Info("listening", "addr", a.listener.Addr().String(), "url", a.url, "role", a.cfg.Role)
	workersDone := make(chan struct{})
	wctx, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	go func() {
		defer close(workersDone)
		if a.Workers != nil {
			_ = a.Workers.Run(wctx)
		}
	}()
	var serveErr error
	select {
	case err := <-errc:
		serveErr = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if serveErr == nil {
		if err := a.server.Shutdown(sctx); err != nil {
			serveErr = fmt.Errorf("shutdown: %w", err)
		} else if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr = err
		}
	}
	// Workers stop claiming and finish the jobs in flight; unfinished ones are retried later.
	stopWorkers()
	<-workersDone
	return serveErr
}

// Close releases the store and the listener.
func (a *App) Close() error {
	var errs []error
	if a.listener != nil && a.server == nil {
		errs = append(errs, a.listener.Close())
	}
	if a.DB != nil {
		errs = append(errs, a.DB.Close())
	}
	return errors.Join(errs...)
}

// Routes lists the method and path of every API route, for tests that compare them with the
// OpenAPI document.
func (a *App) Routes() [][2]string { return a.routes }
