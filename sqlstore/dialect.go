package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/milepost/milepost"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds what differs between SQLite and PostgreSQL. Queries are written once with ?
// placeholders in the subset both engines share.
type dialect interface {
	name() string
	rebind(q string) string
	// isUniqueViolation classifies an error by the driver's error code, never by its text.
	isUniqueViolation(err error) bool
	// isUnavailable reports errors that mean "the database cannot serve now, retry later".
	isUnavailable(err error) bool
	// forUpdate is the row-lock clause for a SELECT (empty on SQLite, whose single writer
	// transaction already excludes every other writer).
	forUpdate() string
	// skipLocked is the clause that lets concurrent job claimers pass each other's rows.
	skipLocked() string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string           { return "sqlite" }
func (sqliteDialect) rebind(q string) string { return q }
func (sqliteDialect) forUpdate() string      { return "" }
func (sqliteDialect) skipLocked() string     { return "" }

func (sqliteDialect) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		c := e.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (sqliteDialect) isUnavailable(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
			return true
		}
	}
	return false
}

type postgresDialect struct{}

func (postgresDialect) name() string       { return "postgres" }
func (postgresDialect) forUpdate() string  { return " FOR UPDATE" }
func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

var rebindCache sync.Map // query text → query with $n placeholders

// rebind turns ? placeholders into $1, $2, … . Queries never hold a literal '?' in a string.
func (postgresDialect) rebind(q string) string {
	if v, ok := rebindCache.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	rebindCache.Store(q, out)
	return out
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

func (postgresDialect) isUnavailable(err error) bool {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		// Class 08: connection exceptions; 57P0x: the server is shutting down or restarting;
		// 53xxx: insufficient resources; 40001/40P01: serialization failure or deadlock.
		return strings.HasPrefix(e.Code, "08") || strings.HasPrefix(e.Code, "57P") ||
			strings.HasPrefix(e.Code, "53") || e.Code == "40001" || e.Code == "40P01"
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err)
}

// classify turns a storage error into a domain error where it has a meaning for clients:
// connection loss and similar become CodeUnavailable (retry later); domain errors pass through;
// anything else stays an internal error with its detail for the log.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var me *milepost.Error
	if errors.As(err, &me) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err // the caller gave up: there is nobody to answer
	}
	// A deadline that ran out waiting for the database (a pool or connect time-out, a job's
	// time limit) is the database not answering in time: retry later. It still matches
	// context.DeadlineExceeded, so a handler whose own request ran out can tell.
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) || errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		(sqliteDialect{}).isUnavailable(err) || (postgresDialect{}).isUnavailable(err) {
		return &unavailableError{err: err}
	}
	return err
}

// unavailableError is a milepost CodeUnavailable error that keeps its cause for logs.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return "database unavailable: " + e.err.Error() }
func (e *unavailableError) Unwrap() []error {
	return []error{e.err, &milepost.Error{Code: milepost.CodeUnavailable, Reason: milepost.ReasonServiceUnavailable,
		Message: "The service is temporarily unavailable; retry later."}}
}
