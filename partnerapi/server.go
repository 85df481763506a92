// Package partnerapi serves the Ownli partner API under /api/...: camelCase JSON, credentials in
// the partnerId/clientId/clientSecret headers or a bearer token from /api/auth/token, and errors
// as {"error_code","error_message"}. Handlers decode, call the domain services, encode.
package partnerapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/openapi"
)

// Authenticator checks partner credentials (milepost.PartnerService or a cache in front of it).
type Authenticator interface {
	Authenticate(ctx context.Context, partnerID, clientID, clientSecret string) (*milepost.Partner, error)
}

// Config holds the server's dependencies.
type Config struct {
	Auth     Authenticator
	Users    milepost.UserService
	Vehicles milepost.VehicleService
	Uploads  milepost.UploadService
	Checkins milepost.CheckinService
	Reviews  milepost.ReviewService
	Odometer milepost.OdometerHistoryService
	Rewards  milepost.RewardService
	Payouts  PayoutFinder
	Webhooks milepost.WebhookService
	// MileageLogs reads what the yearly mileage log is built from.
	MileageLogs milepost.MileageLogSource
	Tokens      *httpx.Tokens
	Signer      *httpx.Signer
	// PublicURL is the base URL clients reach this server at; photoUrl and fileUrl start with it.
	PublicURL string
	// MaxUploadBytes is the largest photo or file accepted (decoded bytes).
	MaxUploadBytes int64
	// SignedLinkTTL is how long links from the signed-url endpoints stay valid.
	SignedLinkTTL time.Duration
	// Limiter limits requests per credential, and per client address where there is none
	// (the token endpoint, signed links, failed authentications); over the limit is 429
	// ERROR_RATE_LIMITED with Retry-After. Nil means no limit.
	Limiter *httpx.RateLimiter
	// UploadTimeout is the read and write deadline uploads and downloads get once their client
	// has authenticated (httpx.DefaultServerTimeouts().Upload when zero); other routes keep the
	// server's shorter time-outs, so only known partners may send slowly.
	UploadTimeout time.Duration
	Logger        *slog.Logger
}

// Server is the Ownli-dialect HTTP API.
type Server struct {
	Config
	log    *slog.Logger
	routes []route
}

// audience is the token audience of this dialect.
const audience = "ownli"

// Security scheme names in the OpenAPI document.
const (
	schemeBearer       = "bearerAuth"
	schemePartnerID    = "partnerId"
	schemeClientID     = "clientId"
	schemeClientSecret = "clientSecret"
)

var partnerSecurity = [][]string{{schemeBearer}, {schemePartnerID, schemeClientID, schemeClientSecret}}

// New returns a server with its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = milepost.DefaultMaxUploadBytes
	}
	if cfg.SignedLinkTTL <= 0 {
		cfg.SignedLinkTTL = time.Hour
	}
	if cfg.UploadTimeout <= 0 {
		cfg.UploadTimeout = httpx.DefaultServerTimeouts().Upload
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	s := &Server{Config: cfg, log: cfg.Logger}
	s.routes = s.allRoutes()
	return s
}

// access says who may call a route.
type access int

const (
	public    access = iota // no credentials (the token endpoint)
	anyScope                // admin or user token, or the legacy headers
	adminOnly               // admin token or the legacy headers; a user token gets 403
	selfAuth                // the handler authenticates itself (credentials or a signed link)
)

// route is one endpoint: its OpenAPI operation, who may call it, its body limit and handler.
// upload routes may take UploadTimeout to send their body once authenticated.
type route struct {
	op        openapi.Op
	access    access
	bodyLimit int64
	upload    bool
	handle    func(w http.ResponseWriter, r *http.Request, a milepost.Actor) error
}

// defaultBodyLimit bounds every JSON body except uploads.
const defaultBodyLimit = 1 << 20

// Register adds the routes to mux and their operations to spec.
func (s *Server) Register(mux *http.ServeMux, spec *openapi.Spec) {
	spec.AddTag("Auth", "Ownli partner API: exchange partner credentials for a bearer token.")
	spec.AddTag("Users", "Ownli partner API: users registered by a partner.")
	spec.AddTag("Vehicles", "Ownli partner API: vehicles by VIN or by license plate.")
	spec.AddTag("Uploads", "Ownli partner API: photos and documents for check-ins.")
	spec.AddSecurityScheme(schemeBearer, map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
		"description": "Token from POST /api/auth/token (expires after 1 hour)."})
	for name, desc := range map[string]string{schemePartnerID: "Partner Id (legacy header authentication).",
		schemeClientID: "Client Id (legacy header authentication).", schemeClientSecret: "Client Secret (legacy header authentication)."} {
		spec.AddSecurityScheme(name, map[string]any{"type": "apiKey", "in": "header", "name": name, "description": desc})
	}
	rtr := &httpx.Router{NotFound: s.notFound, MethodNotAllowed: methodNotAllowed}
	for _, rt := range s.routes {
		op := rt.op
		if rt.access != public {
			op.Security = partnerSecurity
		}
		op.Responses = append(op.Responses[:len(op.Responses):len(op.Responses)], r429)
		spec.Add(op)
		rtr.Add(op.Method, op.Path, s.handler(rt))
	}
	mux.Handle("/api/", httpx.Recover(s.log, s.writeError, rtr))
	spec.Add(payoutPageOp)
	mux.HandleFunc(payoutPageOp.Method+" "+payoutPageOp.Path, s.servePayoutPage)
}

// payoutPageOp documents the reward delivery page that claims link to.
var payoutPageOp = openapi.Op{
	Method: "GET", Path: "/payouts/{id}", ID: "payoutPage", Tags: []string{"Rewards"}, Summary: "Reward delivery page (the rewardDeliveryLink)",
	Description: "An HTML page showing the product and amount of a completed payout, for whoever holds its signed link (valid 90 days).",
	Params: []openapi.Param{{Name: "id", In: "path", Required: true, Description: "Id of the payout."},
		{Name: "expires", In: "query", Required: true, Description: "Signed link: expiry (unix seconds)."}, {Name: "signature", In: "query", Required: true, Description: "Signed link: signature."}},
	Responses: []openapi.Response{{Status: 200, Description: "The page.", ContentType: "text/html"}, {Status: 403, Description: "The link is invalid or expired.", ContentType: "text/plain"},
		{Status: 404, Description: "No such completed payout.", ContentType: "text/plain"},
		{Status: 429, Description: "Too many requests from this address; see Retry-After.", ContentType: "text/plain"}},
}

// Routes returns the method and path of every route, for tests that compare them with the spec.
func (s *Server) Routes() [][2]string {
	out := make([][2]string, len(s.routes), len(s.routes)+1)
	for i, rt := range s.routes {
		out[i] = [2]string{rt.op.Method, rt.op.Path}
	}
	return append(out, [2]string{payoutPageOp.Method, payoutPageOp.Path})
}

func (s *Server) handler(rt route) http.Handler {
	limit := rt.bodyLimit
	if limit == 0 {
		limit = defaultBodyLimit
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var actor milepost.Actor
		switch rt.access {
		case public:
			if err := s.Limiter.AllowClient(r, audience); err != nil {
				s.writeError(w, r, err)
				return
			}
		case anyScope, adminOnly:
			a, err := s.Limiter.Authenticate(r, audience, s.authenticate)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if rt.access == adminOnly {
				if err := a.RequireAdmin(); err != nil {
					s.writeError(w, r, err)
					return
				}
			}
			actor = a
		}
		if rt.upload {
			httpx.ExtendDeadlines(w, s.UploadTimeout)
		}
		if err := rt.handle(w, r, actor); err != nil {
			s.writeError(w, r, err)
		}
	})
	return httpx.Recover(s.log, s.writeError, httpx.LimitBody(limit, h))
}

// authenticate reads a bearer token or, failing that, the legacy credential headers.
func (s *Server) authenticate(r *http.Request) (milepost.Actor, error) {
	if authz := r.Header.Get("Authorization"); authz != "" {
		token := httpx.BearerToken(authz)
		if token == "" {
			return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized,
				"The Authorization header must be \"Bearer <access_token>\".")
		}
		return s.Tokens.Verify(token, audience)
	}
	partnerID, clientID, secret := r.Header.Get("partnerId"), r.Header.Get("clientId"), r.Header.Get("clientSecret")
	if clientID == "" && secret == "" && partnerID == "" {
		return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized,
			"Missing API credentials: send Authorization: Bearer <token>, or the partnerId, clientId and clientSecret headers.")
	}
	if partnerID == "" {
		return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "The partnerId header is required with clientId and clientSecret.")
	}
	p, err := s.Auth.Authenticate(r.Context(), partnerID, clientID, secret)
	if err != nil {
		return milepost.Actor{}, err
	}
	return milepost.Actor{PartnerID: p.ID, Scope: milepost.ScopeAdmin}, nil
}

// notFound answers paths under /api/ that no route serves, in this dialect's error format.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusNotFound, errorJSON{ErrorCode: "ERROR_NOT_FOUND", ErrorMessage: "No endpoint " + r.URL.Path + "; see /docs."})
}

// methodNotAllowed answers a known path called with another method: 405 (Allow is set).
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allowed []string) {
	httpx.WriteJSON(w, http.StatusMethodNotAllowed, errorJSON{ErrorCode: "ERROR_METHOD_NOT_ALLOWED",
		ErrorMessage: "Method " + r.Method + " is not allowed on " + r.URL.Path + "; use " + strings.Join(allowed, " or ") + "."})
}

// ok writes v as a 200 JSON response.
func ok(w http.ResponseWriter, v any) error {
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}
