// Package webhook signs webhook events and delivers them to partners' endpoints over HTTP
// (scheme and retries in docs/webhooks.md). Retrying and recording attempts is the job
// runner's; this package makes one attempt at a time.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Headers and values of every delivery.
const (
	// HeaderSignature carries "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
	HeaderSignature = "Milepost-Signature"
	// HeaderEvent carries the event type, e.g. checkin.status_changed.
	HeaderEvent = "Milepost-Event"
	// HeaderDelivery carries the delivery id, the same on every retry of one delivery.
	HeaderDelivery = "Milepost-Delivery"
	// UserAgent is the User-Agent of every delivery.
	UserAgent = "Milepost-Webhooks/1"
	// DefaultTolerance is how far a signature's timestamp may be from now when Verify is given
	// no tolerance.
	DefaultTolerance = 5 * time.Minute
)

// Errors of Verify; each is wrapped with details.
var (
	// ErrInvalidHeader: the signature header is missing, malformed or lacks t or v1.
	ErrInvalidHeader = errors.New("webhook: invalid signature header")
	// ErrSignatureMismatch: no v1 value is the HMAC of this body with this secret.
	ErrSignatureMismatch = errors.New("webhook: signature does not match")
	// ErrTimestampOutOfTolerance: the signature's timestamp is too old (or too far ahead).
	ErrTimestampOutOfTolerance = errors.New("webhook: signature timestamp outside the tolerance")
)

// Sign returns the Milepost-Signature header value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with secret>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// mac is HMAC-SHA256(secret, ts + "." + body).
func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a Milepost-Signature header against the raw body as received: one of its v1
// values must be the body's signature with secret (compared in constant time; several v1 values
// may be present), and its timestamp must be within tolerance of now, either way (tolerance <= 0
// means DefaultTolerance). It returns nil or an error wrapping ErrInvalidHeader,
// ErrSignatureMismatch or ErrTimestampOutOfTolerance.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if secret == "" {
		return fmt.Errorf("%w: no secret to verify with", ErrSignatureMismatch)
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			if ts != "" {
				return fmt.Errorf("%w: t is given twice", ErrInvalidHeader)
			}
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil && len(b) == sha256.Size {
				sigs = append(sigs, b)
			}
		}
	}
	if ts == "" {
		return fmt.Errorf("%w: no t=<timestamp>", ErrInvalidHeader)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec < 0 || strings.HasPrefix(ts, "+") {
		return fmt.Errorf("%w: t is not a unix time in seconds", ErrInvalidHeader)
	}
	if len(sigs) == 0 {
		return fmt.Errorf("%w: no v1=<hex HMAC-SHA256>", ErrInvalidHeader)
	}
	want := mac(secret, ts, body)
	matched := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			matched = true
		}
	}
	if !matched {
		return ErrSignatureMismatch
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	signed := time.Unix(sec, 0)
	if d := now.Sub(signed); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed at %s, now is %s (tolerance %s)", ErrTimestampOutOfTolerance,
			signed.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339), tolerance)
	}
	return nil
}
