package blob

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/milepost/milepost"
)

// Client-safe messages of storage failures. They name no path, host or bucket: those are in the
// cause, which only the logs see.
const (
	msgUnavailable = "File storage is temporarily unavailable; the file was not stored or read. Retry later."
	msgFull        = "File storage is full; the file was not stored. Retry later."
)

// storageError is a failure of the storage itself (disk full, I/O error, S3 down or refusing our
// credentials), as opposed to a bad key or a missing blob. The API answers it with 503 in every
// dialect; the cause stays in the chain for the logs.
type storageError struct {
	what   string // the step that failed and its object: "put <key>", "check bucket <name>"
	full   bool
	cause  error
	public *milepost.Error
}

// unavailable wraps cause as a CodeUnavailable error of the step what, saying "full" when full.
func unavailable(what string, full bool, cause error) error {
	msg := msgUnavailable
	if full {
		msg = msgFull
	}
	return &storageError{what: what, full: full, cause: cause,
		public: milepost.Errorf(milepost.CodeUnavailable, milepost.ReasonServiceUnavailable, "%s", msg)}
}

func (e *storageError) Error() string {
	detail := "storage unavailable"
	if e.full {
		detail = "storage full"
	}
	return fmt.Sprintf("blob: %s: %s: %v", e.what, detail, e.cause)
}

// Unwrap lists the domain error first, so errors.As finds it before anything in the cause.
func (e *storageError) Unwrap() []error { return []error{e.public, e.cause} }

// diskFull reports whether err is the filesystem saying it has no room (or no quota) left.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
