package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/milepost/milepost"
)

// DecodeJSON reads a JSON object from the request body into dst. Errors are client-safe
// *milepost.Error values: CodeTooLarge when the body is over its limit, CodeInvalid naming the
// field and the expected type for type mismatches, and CodeInvalid for malformed JSON or
// trailing data. The Content-Type is not checked (clients such as curl label JSON as a form);
// unknown fields are ignored, so clients sending extra fields keep working.
func DecodeJSON(r *http.Request, dst any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(mbe.Limit)
		}
		return milepost.Invalidf("", "The request body must hold a single JSON object with nothing after it.")
	}
	return nil
}

func tooLarge(limit int64) error {
	return &milepost.Error{Code: milepost.CodeTooLarge, Reason: milepost.ReasonPayloadTooLarge,
		Message: fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit)}
}

// FormError explains an error of http.Request.ParseForm to the client: CodeTooLarge when the
// body is over its limit, CodeInvalid otherwise.
func FormError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	return milepost.Invalidf("", "The body must be application/x-www-form-urlencoded.")
}

// jsonError explains a decoding error to the client without leaking Go type names.
func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return tooLarge(mbe.Limit)
	case errors.Is(err, io.EOF):
		return milepost.Invalidf("", "The request body is empty; a JSON object is required.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return milepost.Invalidf("", "The request body is not valid JSON: it ends too early.")
	case errors.As(err, &syn):
		return milepost.Invalidf("", "The request body is not valid JSON (error at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return milepost.Invalidf("", "The request body must be a JSON object.")
		}
		return milepost.Invalidf(field, "%s must be %s, not a JSON %s.", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	}
	var me *milepost.Error
	if errors.As(err, &me) {
		return me
	}
	return milepost.Invalidf("", "The request body is not valid JSON: %s.", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	WriteJSONType(w, status, "application/json", v)
}

// WriteJSONType writes v as JSON with the given status and content type.
func WriteJSONType(w http.ResponseWriter, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // messages quote <token> and & as they are; this is not HTML
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":"cannot encode response"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
