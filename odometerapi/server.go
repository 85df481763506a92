// Package odometerapi serves the Jifeline Partner API's odometer registrations
// (/v2/vehicles/odometer-registrations) and its OAuth2 token endpoint (/oauth2/token): snake_case
// JSON, {query, result, total} lists and application/problem+json errors.
package odometerapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/openapi"
)

// Authenticator checks partner credentials (the same credentials as the other dialects).
type Authenticator interface {
	Authenticate(ctx context.Context, partnerID, clientID, clientSecret string) (*milepost.Partner, error)
}

// Config holds the server's dependencies.
type Config struct {
	Auth          Authenticator
	Registrations milepost.OdometerRegistrationService
	Tokens        *httpx.Tokens
	// Limiter limits requests per OAuth2 client (token or X-Api-Key), and per client address
	// where there is none (the token endpoint, failed authentications); over the limit is a 429
	// problem with Retry-After. Nil means no limit.
	Limiter *httpx.RateLimiter
	Logger  *slog.Logger
}

// Server is the Jifeline-dialect API.
type Server struct {
	Config
	log    *slog.Logger
	routes []route
}

// audience is the token audience of this dialect.
const audience = "jifeline"

// New returns the server with its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{Config: cfg, log: cfg.Logger}
	s.routes = s.allRoutes()
	return s
}

type route struct {
	op     openapi.Op
	public bool
	handle func(w http.ResponseWriter, r *http.Request, a milepost.Actor) error
}

// Security scheme names in the OpenAPI document.
const (
	schemeOAuth2 = "jifelineOAuth2"
	schemeAPIKey = "jifelineApiKey"
)

// Register adds the routes to mux and the spec.
func (s *Server) Register(mux *http.ServeMux, spec *openapi.Spec) {
	spec.AddTag("Odometer registrations", "Jifeline Partner API: odometer registrations of a vehicle on a ticket (kilometres), problem+json errors.")
	spec.AddSecurityScheme(schemeOAuth2, map[string]any{"type": "oauth2", "description": "Client credentials with the partner's clientId and clientSecret.",
		"flows": map[string]any{"clientCredentials": map[string]any{"tokenUrl": "/oauth2/token", "scopes": map[string]string{}}}})
	spec.AddSecurityScheme(schemeAPIKey, map[string]any{"type": "apiKey", "in": "header", "name": "X-Api-Key",
		"description": "The partner's clientId and clientSecret joined by a colon: X-Api-Key: <clientId>:<clientSecret>."})
	rtr := &httpx.Router{NotFound: s.notFound, MethodNotAllowed: s.methodNotAllowed}
	for _, rt := range s.routes {
		op := rt.op
		if !rt.public {
			op.Security = [][]string{{schemeOAuth2}, {schemeAPIKey}}
		}
		op.Responses = append(op.Responses[:len(op.Responses):len(op.Responses)], p413, p429)
		spec.Add(op)
		rtr.Add(op.Method, op.Path, s.handler(rt))
	}
	h := httpx.Recover(s.log, s.writeProblem, rtr)
	mux.Handle("/v2/", h)
	mux.Handle("/oauth2/token", h)
}

// Routes returns the method and path of every route.
func (s *Server) Routes() [][2]string {
	out := make([][2]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = [2]string{rt.op.Method, rt.op.Path}
	}
	return out
}

// bodyLimit bounds every request body of this dialect: its bodies are a few short fields.
const bodyLimit = 64 << 10

func (s *Server) handler(rt route) http.Handler {
	return httpx.LimitBody(bodyLimit, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var actor milepost.Actor
		if rt.public {
			if err := s.Limiter.AllowClient(r, audience); err != nil {
				s.writeProblem(w, r, err)
				return
			}
		} else {
			a, err := s.Limiter.Authenticate(r, audience, s.authenticate)
			if err != nil {
				s.writeProblem(w, r, err)
				return
			}
			actor = a
		}
		if err := rt.handle(w, r, actor); err != nil {
			s.writeProblem(w, r, err)
		}
	}))
}

// authenticate reads a bearer token from /oauth2/token or an X-Api-Key "<clientId>:<clientSecret>".
func (s *Server) authenticate(r *http.Request) (milepost.Actor, error) {
	if authz := r.Header.Get("Authorization"); authz != "" {
		token := httpx.BearerToken(authz)
		if token == "" {
			return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "The Authorization header must be \"Bearer <access_token>\".")
		}
		return s.Tokens.Verify(token, audience)
	}
	if key := r.Header.Get("X-Api-Key"); key != "" {
		id, secret, ok := strings.Cut(key, ":")
		if !ok || id == "" {
			return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "X-Api-Key must be <clientId>:<clientSecret>.")
		}
		p, err := s.Auth.Authenticate(r.Context(), "", id, secret)
		if err != nil {
			return milepost.Actor{}, err
		}
		return milepost.Actor{PartnerID: p.ID, Scope: milepost.ScopeAdmin}, nil
	}
	return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized,
		"Missing credentials: send Authorization: Bearer <token> from /oauth2/token, or X-Api-Key.")
}
