// Package console serves the reviewers' web UI under /console/: a partner's reviewers sign in,
// work through the queue of Pending and OnHold check-ins, look at each check-in's evidence,
// signals and odometer history, and decide. Pages are rendered on the server with html/template;
// the stylesheet and a small script are embedded, so the console works offline and without
// JavaScript (the script only adds keyboard shortcuts).
//
// Decisions go through milepost.ReviewService.DecideCheckin, the same lifecycle code as the
// partner API, so they fire the same webhooks and reward changes.
package console

import (
	"log/slog"
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// The sign-in limit per client address when Config.SignInLimiter is nil: a burst of
// signInBurst attempts, then one more every three seconds (20 a minute). It is on top of the
// store's limit per e-mail address (milepost.MaxSignInFailures) and slows one address trying
// many e-mail addresses.
const (
	signInBurst     = 20
	signInPerSecond = 1.0 / 3
)

// Config holds the console's dependencies. Every service is called with the signed-in
// reviewer's actor (their partner's admin scope), so the services' own access checks keep one
// partner's reviewers out of another partner's data.
type Config struct {
	// Reviewers signs reviewers in and out (milepost.ReviewerService).
	Reviewers Reviewers
	// Reviews is the queue, the check-in review and the decision.
	Reviews milepost.ReviewService
	// Audit is the audit log of decisions, the queue counts and the previous confirmed check-in.
	Audit milepost.ReviewLog
	// Checkins lists a vehicle's and a user's check-ins (milepost.CheckinService).
	Checkins CheckinLister
	// Vehicles finds a vehicle (milepost.VehicleService).
	Vehicles VehicleFinder
	// Users finds a user (milepost.UserService).
	Users UserFinder
	// Odometer gives a vehicle's odometer history for the chart (milepost.OdometerHistoryService).
	Odometer OdometerHistory
	// Registrations lists a VIN's odometer registrations (milepost.OdometerRegistrationService).
	Registrations RegistrationLister
	// Trips gives the trips logged for a VIN (milepost.MileageLogSource).
	Trips milepost.MileageLogSource
	// Rewards lists a user's rewards and payouts (milepost.RewardService).
	Rewards RewardLister
	// Uploads opens photos and documents (milepost.UploadService).
	Uploads UploadOpener
	// SignInLimiter limits sign-in attempts per client address (httpx.RateLimiter.ClientAddr,
	// so give it WithProxyHops when the server runs behind proxies). Nil means the default:
	// 20 attempts at once, then one every 3 seconds.
	SignInLimiter *httpx.RateLimiter
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// Secure marks cookies Secure and gives them the __Host- prefix. Set it whenever the
	// console is reached over HTTPS; it must be false for plain http:// (browsers drop Secure
	// cookies there).
	Secure bool
}

// Console is the review console's HTTP handler and what it needs to run.
type Console struct {
	cfg     Config
	log     *slog.Logger
	table   []route
	handler http.Handler
}

// New returns a console for cfg. Every service in cfg must be set.
func New(cfg Config) *Console {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.SignInLimiter == nil {
		cfg.SignInLimiter = httpx.NewRateLimiter(signInPerSecond, signInBurst)
	}
	c := &Console{cfg: cfg, log: log}
	c.table = c.allRoutes()
	c.handler = c.routes()
	return c
}

// Handler serves everything under /console/; mount it on that prefix.
func (c *Console) Handler() http.Handler { return c.handler }
