// Package tripapi serves the Tight API v6 trip log (/v6/...): mileage records and cars with
// bulk upserts answered item by item ({result, statusCode, data, error[]}), cursor-paged
// queries, and errors as {"result":"FAILURE","error":[{type,message,param}]}.
package tripapi

import (
	"context"
	"log/slog"
	"net/http"

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
	Auth   Authenticator
	Users  milepost.UserService
	Trips  milepost.TripService
	Tokens *httpx.Tokens
	// Limiter limits requests per token holder (the partner, or the partner's user for a
	// user-scoped token, so minting tokens does not multiply the budget), and per client
	// address for the token endpoint and failed authentications; over the limit is 429 in the
	// FAILURE envelope with Retry-After. Nil means no limit.
	Limiter *httpx.RateLimiter
	Logger  *slog.Logger
}

// Server is the Tight-dialect API.
type Server struct {
	Config
	log    *slog.Logger
	routes []route
}

// audience is the token audience of this dialect.
const audience = "tight"

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
	op        openapi.Op
	public    bool
	bodyLimit int64
	handle    func(w http.ResponseWriter, r *http.Request, a milepost.Actor) error
}

const schemeBearer = "tightBearer"

// Register adds the routes to mux and the spec.
func (s *Server) Register(mux *http.ServeMux, spec *openapi.Spec) {
	spec.AddTag("Trip log", "Tight API v6: business and personal trips with tax deductions, and the cars they were driven in.")
	spec.AddSecurityScheme(schemeBearer, map[string]any{"type": "http", "scheme": "bearer",
		"description": "Token from POST /v6/auth/token: a user-scoped token (userId) reads and writes that user's trip log; a partner-level token reads all of the partner's."})
	rtr := &httpx.Router{NotFound: s.notFound, MethodNotAllowed: s.methodNotAllowed}
	for _, rt := range s.routes {
		op := rt.op
		if !rt.public {
			op.Security = [][]string{{schemeBearer}}
		}
		op.Responses = append(op.Responses[:len(op.Responses):len(op.Responses)], e413, e429)
		spec.Add(op)
		rtr.Add(op.Method, op.Path, s.handler(rt))
	}
	mux.Handle("/v6/", httpx.Recover(s.log, s.writeError, rtr))
}

// Routes returns the method and path of every route.
func (s *Server) Routes() [][2]string {
	out := make([][2]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = [2]string{rt.op.Method, rt.op.Path}
	}
	return out
}

func (s *Server) handler(rt route) http.Handler {
	limit := rt.bodyLimit
	if limit == 0 {
		limit = 1 << 20
	}
	return httpx.LimitBody(limit, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var actor milepost.Actor
		if rt.public {
			if err := s.Limiter.AllowClient(r, audience); err != nil {
				s.writeError(w, r, err)
				return
			}
		} else {
			a, err := s.Limiter.Authenticate(r, audience, s.authenticate)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			actor = a
		}
		if err := rt.handle(w, r, actor); err != nil {
			s.writeError(w, r, err)
		}
	}))
}

// authenticate verifies the bearer token; any failure is the documented INVALID_TOKEN.
func (s *Server) authenticate(r *http.Request) (milepost.Actor, error) {
	a, err := s.Tokens.Verify(httpx.BearerToken(r.Header.Get("Authorization")), audience)
	if err != nil {
		return milepost.Actor{}, milepost.Errorf(milepost.CodeUnauthorized, "", "Invalid access token")
	}
	return a, nil
}

// ok writes data in a SUCCESS envelope.
func ok[T any](w http.ResponseWriter, data T) error {
	httpx.WriteJSON(w, http.StatusOK, envelope[T]{Result: "SUCCESS", Data: data})
	return nil
}
