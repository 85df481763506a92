package partnerapi

import (
	"errors"

	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// errorJSON is the Ownli error body.
type errorJSON struct {
	ErrorCode    string `json:"error_code" doc:"Error code, e.g. ERROR_INVALID_PARAMETERS."`
	ErrorMessage string `json:"error_message" doc:"A verbose error message."`
}

// errorStatus is the one table from domain error codes to this dialect's HTTP status and its
// default error_code (used when the error carries no precise reason).
var errorStatus = map[string]struct {
	status int
	code   string
}{
	milepost.CodeInvalid:      {http.StatusBadRequest, milepost.ReasonInvalidParameters},
	milepost.CodeUnauthorized: {http.StatusUnauthorized, milepost.ReasonUnauthorized},
	milepost.CodeForbidden:    {http.StatusForbidden, milepost.ReasonNoPermissions},
	milepost.CodeNotFound:     {http.StatusNotFound, "ERROR_NOT_FOUND"},
	milepost.CodeConflict:     {http.StatusConflict, "ERROR_CONFLICT"},
	milepost.CodeTooLarge:     {http.StatusRequestEntityTooLarge, milepost.ReasonPayloadTooLarge},
	milepost.CodeRateLimited:  {http.StatusTooManyRequests, milepost.ReasonRateLimited},
	milepost.CodeUnavailable:  {http.StatusServiceUnavailable, milepost.ReasonServiceUnavailable},
	milepost.CodeInternal:     {http.StatusInternalServerError, milepost.ReasonInternalServerError},
}

// writeError writes err as {"error_code","error_message"} with its status. Errors that are not
// domain errors are logged with the request id and shown only as "Internal error.".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := milepost.ErrorCode(err)
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		// The client went away; there is nobody to answer.
		return
	}
	m, ok := errorStatus[code]
	if !ok {
		m = errorStatus[milepost.CodeInternal]
		code = milepost.CodeInternal
	}
	body := errorJSON{ErrorCode: milepost.ErrorReason(err), ErrorMessage: milepost.ErrorMessage(err)}
	if body.ErrorCode == "" {
		body.ErrorCode = m.code
	}
	switch code {
	case milepost.CodeInternal:
		s.log.Error("internal error", "error", err.Error(), "method", r.Method, "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()))
		body.ErrorCode = milepost.ReasonInternalServerError
		body.ErrorMessage = "Internal error. Request id: " + httpx.RequestID(r.Context())
	case milepost.CodeUnavailable:
		s.log.Warn("dependency unavailable", "error", err.Error(), "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()))
		w.Header().Set("Retry-After", "5")
	case milepost.CodeUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="milepost"`)
	case milepost.CodeRateLimited:
		httpx.SetRetryAfter(w.Header(), err)
	}
	httpx.WriteJSON(w, m.status, body)
}
