package odometerapi

import (
	"errors"
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// problemJSON is an RFC 9457 problem detail, this dialect's one error format.
type problemJSON struct {
	Type          string         `json:"type" doc:"A URI naming the kind of problem (see docs/api-jifeline.md)."`
	Title         string         `json:"title" doc:"A short summary of the kind of problem."`
	Status        int            `json:"status" doc:"The HTTP status code."`
	Detail        string         `json:"detail" doc:"What went wrong with this request."`
	Instance      string         `json:"instance" doc:"The request path."`
	InvalidParams []invalidParam `json:"invalid_params,omitempty" doc:"The request parameters at fault."`
	RequestID     string         `json:"request_id,omitempty"`
	// Error is the OAuth2 error code (RFC 6749 §5.2) on the token endpoint.
	Error string `json:"error,omitempty" doc:"On /oauth2/token only: the OAuth2 error code (invalid_request, invalid_client, unsupported_grant_type)."`
}

// invalidParam names one parameter at fault.
type invalidParam struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// problemTypes is the one table from domain error codes to this dialect's status and problem type.
var problemTypes = map[string]struct {
	status int
	slug   string
	title  string
}{
	milepost.CodeInvalid:      {http.StatusBadRequest, "invalid-parameters", "Invalid parameters"},
	milepost.CodeUnauthorized: {http.StatusUnauthorized, "unauthorized", "Credentials are not valid"},
	milepost.CodeForbidden:    {http.StatusForbidden, "forbidden", "Not authorized to access this resource"},
	milepost.CodeNotFound:     {http.StatusNotFound, "not-found", "Resource not found"},
	milepost.CodeConflict:     {http.StatusConflict, "conflict", "Conflict"},
	milepost.CodeTooLarge:     {http.StatusRequestEntityTooLarge, "payload-too-large", "Request too large"},
	milepost.CodeRateLimited:  {http.StatusTooManyRequests, "rate-limited", "Too many requests"},
	milepost.CodeUnavailable:  {http.StatusServiceUnavailable, "unavailable", "Service temporarily unavailable"},
	milepost.CodeInternal:     {http.StatusInternalServerError, "internal", "Internal error"},
}

// problemType makes the type URI of a problem slug.
func problemType(slug string) string { return "tag:milepost,2026:problem:" + slug }

// writeProblem writes err as application/problem+json.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	s.writeProblemWith(w, r, err, "")
}

func (s *Server) writeProblemWith(w http.ResponseWriter, r *http.Request, err error, oauthError string) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		return
	}
	code := milepost.ErrorCode(err)
	pt, ok := problemTypes[code]
	if !ok {
		code, pt = milepost.CodeInternal, problemTypes[milepost.CodeInternal]
	}
	p := problemJSON{Type: problemType(pt.slug), Title: pt.title, Status: pt.status, Detail: milepost.ErrorMessage(err),
		Instance: r.URL.Path, RequestID: httpx.RequestID(r.Context()), Error: oauthError}
	for _, name := range milepost.ErrorParams(err) {
		p.InvalidParams = append(p.InvalidParams, invalidParam{Name: name, Reason: milepost.ErrorMessage(err)})
	}
	switch code {
	case milepost.CodeInternal:
		s.log.Error("internal error", "error", err.Error(), "path", r.URL.Path, "request_id", p.RequestID)
		p.Detail = "Internal error. Request id: " + p.RequestID
	case milepost.CodeUnavailable:
		w.Header().Set("Retry-After", "5")
	case milepost.CodeUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="milepost"`)
	case milepost.CodeRateLimited:
		httpx.SetRetryAfter(w.Header(), err)
	}
	httpx.WriteJSONType(w, pt.status, "application/problem+json", p)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeProblem(w, r, milepost.Errorf(milepost.CodeNotFound, "", "No endpoint %s; see /docs.", r.URL.Path))
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allowed []string) {
	httpx.WriteJSONType(w, http.StatusMethodNotAllowed, "application/problem+json", problemJSON{
		Type: problemType("method-not-allowed"), Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
		Detail: "Method " + r.Method + " is not allowed on " + r.URL.Path + ".", Instance: r.URL.Path, RequestID: httpx.RequestID(r.Context()),
	})
}
