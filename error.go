package milepost

import (
	"errors"
	"fmt"
)

// Error codes: the general kind of failure. Each API package maps them to its own status codes
// and error format in exactly one table.
const (
	CodeInvalid      = "invalid"      // the request is malformed or breaks a rule on its own
	CodeUnauthorized = "unauthorized" // missing or wrong credentials
	CodeForbidden    = "forbidden"    // the caller may not touch this resource
	CodeNotFound     = "not_found"    // the resource does not exist
	CodeConflict     = "conflict"     // the request clashes with the current state
	CodeTooLarge     = "too_large"    // the body or file is over a configured limit
	CodeRateLimited  = "rate_limited" // too many requests for this credential
	CodeUnavailable  = "unavailable"  // a dependency (database, blob store) is down; retry later
	CodeInternal     = "internal"     // a bug or an unexpected failure; details are only logged
)

// Reasons: precise sub-codes that a dialect shows to clients where its documentation names one.
// They are the Ownli partner API's error codes; other dialects ignore what they do not need.
const (
	ReasonInvalidParameters   = "ERROR_INVALID_PARAMETERS"
	ReasonInvalidStateCode    = "ERROR_INVALID_STATE_CODE"
	ReasonNoPermissions       = "ERROR_NO_PERMISSIONS_TO_RESOURCE"
	ReasonUserNotFound        = "ERROR_USER_NOT_FOUND"
	ReasonUserAlreadyExists   = "ERROR_USER_ALREADY_EXISTS"
	ReasonVehicleNotFound     = "ERROR_VEHICLE_NOT_FOUND"
	ReasonVehicleExists       = "ERROR_VEHICLE_ALREADY_EXISTS"
	ReasonUploadNotFound      = "ERROR_UPLOAD_NOT_FOUND"
	ReasonUnauthorized        = "ERROR_UNAUTHORIZED"
	ReasonPayloadTooLarge     = "ERROR_PAYLOAD_TOO_LARGE"
	ReasonRateLimited         = "ERROR_RATE_LIMITED"
	ReasonServiceUnavailable  = "ERROR_SERVICE_UNAVAILABLE"
	ReasonInternalServerError = "INTERNAL_SERVER_ERROR"

	// Finer kinds of CodeInvalid, named as the Tight API's error types name them.
	ReasonRequired      = "REQUIRED"
	ReasonInvalidFormat = "INVALID_FORMAT"
	ReasonInvalidValue  = "INVALID_VALUE"
	ReasonNotModifiable = "NOT_MODIFIABLE"
)

// Error is the one error type of the domain. Message is safe to show to API clients; Params
// names the request fields at fault, for dialects that list them (problem+json).
type Error struct {
	Code    string
	Reason  string
	Message string
	Params  []string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("milepost error: code=%s reason=%s message=%s", e.Code, e.Reason, e.Message)
	}
	return fmt.Sprintf("milepost error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and reason and a formatted client-safe message.
func Errorf(code, reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns a CodeInvalid error with reason ERROR_INVALID_PARAMETERS naming the field
// param (empty when no single field is at fault).
func Invalidf(param, format string, args ...any) *Error {
	e := Errorf(CodeInvalid, ReasonInvalidParameters, format, args...)
	if param != "" {
		e.Params = []string{param}
	}
	return e
}

// ErrorCode returns the code of err when it wraps an *Error, and CodeInternal otherwise
// (including nil-safe: ErrorCode(nil) is "").
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorReason returns the reason of an *Error in err's chain, or "" when there is none.
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// ErrorMessage returns the client-safe message of an *Error in err's chain and "Internal
// error." for anything else, so internal details never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorParams returns the request fields named by an *Error in err's chain.
func ErrorParams(err error) []string {
	var e *Error
	if errors.As(err, &e) {
		return e.Params
	}
	return nil
}
