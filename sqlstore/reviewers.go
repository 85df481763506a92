package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/milepost/milepost"
)

// Reviewers implements milepost.ReviewerService.
type Reviewers struct{ db *DB }

// Reviewers returns the reviewer accounts of this store.
func (db *DB) Reviewers() *Reviewers { return &Reviewers{db: db} }

var _ milepost.ReviewerService = (*Reviewers)(nil)

// dummyHash is checked against when the e-mail is unknown, so a wrong e-mail costs as much time
// as a wrong password and sign-in does not reveal which accounts exist.
var dummyPasswordHash = sync.OnceValue(func() string { return hashPassword("milepost: no such reviewer") })

// AddReviewer creates a reviewer with a random password; see milepost.ReviewerService.
func (s *Reviewers) AddReviewer(ctx context.Context, partnerID, email string) (*milepost.ReviewerCredentials, error) {
	email, err := milepost.ReviewerEmail(email)
	if err != nil {
		return nil, err
	}
	password := randomToken(15) // 120 bits, 20 characters
	hash := hashPassword(password)
	r, err := writeOne(ctx, s.db, func(tx *Tx) (*milepost.Reviewer, error) {
		if _, err := findPartner(ctx, tx, partnerID); err != nil {
			return nil, err
		}
		r := &milepost.Reviewer{ID: newID(), PartnerID: partnerID, Email: email, CreatedAt: tx.now}
		_, err := tx.exec(ctx, "INSERT INTO reviewers (id, partner_id, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
			r.ID, r.PartnerID, r.Email, hash, r.CreatedAt.UnixMilli())
		if tx.d.isUniqueViolation(err) {
			return nil, milepost.Errorf(milepost.CodeConflict, "", "A reviewer with e-mail %s already exists.", email)
		}
		if err != nil {
			return nil, fmt.Errorf("insert reviewer: %w", err)
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return &milepost.ReviewerCredentials{Reviewer: r, Password: password}, nil
}

const reviewerCols = "id, partner_id, email, created_at"

func scanReviewer(row interface{ Scan(...any) error }, extra ...any) (*milepost.Reviewer, error) {
	var r milepost.Reviewer
	var created int64
	if err := row.Scan(append([]any{&r.ID, &r.PartnerID, &r.Email, &created}, extra...)...); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMS(created)
	return &r, nil
}

var errBadSignIn = milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "Wrong e-mail or password.")

// SignIn checks credentials and opens a session; see milepost.ReviewerService.
func (s *Reviewers) SignIn(ctx context.Context, email, password string) (*milepost.ConsoleSession, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || password == "" || len(email) > 254 || len(password) > 1024 {
		return nil, errBadSignIn
	}
	var r *milepost.Reviewer
	var hash string
	var failures int
	err := s.db.view(ctx, func(tx *Tx) error {
		since := tx.now.Add(-milepost.SignInWindow).UnixMilli()
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM signin_failures WHERE email = ? AND failed_at > ?", email, since).Scan(&failures); err != nil {
			return fmt.Errorf("count sign-in failures: %w", err)
		}
		var err error
		r, err = scanReviewer(tx.queryRow(ctx, "SELECT "+reviewerCols+", password_hash FROM reviewers WHERE email = ?", email), &hash)
		if errors.Is(err, sql.ErrNoRows) {
			r, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if failures >= milepost.MaxSignInFailures {
		return nil, milepost.Errorf(milepost.CodeRateLimited, milepost.ReasonRateLimited,
			"Too many failed sign-ins for this e-mail; try again in %d minutes.", int(milepost.SignInWindow.Minutes()))
	}
	if r == nil {
		hash = dummyPasswordHash()
	}
	if !checkPassword(hash, password) || r == nil {
		if err := s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, "INSERT INTO signin_failures (email, failed_at) VALUES (?, ?)", email, tx.now.UnixMilli())
			return err
		}); err != nil {
			return nil, fmt.Errorf("record sign-in failure: %w", err)
		}
		return nil, errBadSignIn
	}
	token, csrf := randomToken(32), randomToken(24)
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.ConsoleSession, error) {
		if _, err := tx.exec(ctx, "DELETE FROM signin_failures WHERE email = ?", email); err != nil {
			return nil, err
		}
		// Expired sessions of this reviewer are cleared as a new one opens.
		if _, err := tx.exec(ctx, "DELETE FROM console_sessions WHERE reviewer_id = ? AND expires_at < ?", r.ID, tx.now.UnixMilli()); err != nil {
			return nil, err
		}
		sess := &milepost.ConsoleSession{Token: token, Reviewer: r, CSRF: csrf, ExpiresAt: tx.now.Add(milepost.SessionTTL)}
		if _, err := tx.exec(ctx, "INSERT INTO console_sessions (token_hash, reviewer_id, csrf, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
			hashSecret(token), r.ID, csrf, sess.ExpiresAt.UnixMilli(), tx.now.UnixMilli()); err != nil {
			return nil, fmt.Errorf("open session: %w", err)
		}
		return sess, nil
	})
}

var errNoSession = milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "Please sign in.")

// Session returns a live session and extends it; see milepost.ReviewerService.
func (s *Reviewers) Session(ctx context.Context, token string) (*milepost.ConsoleSession, error) {
	if token == "" || len(token) > 200 {
		return nil, errNoSession
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.ConsoleSession, error) {
		var csrf string
		var expires int64
		r, err := scanReviewer(tx.queryRow(ctx, `SELECT r.id, r.partner_id, r.email, r.created_at, s.csrf, s.expires_at
			FROM console_sessions s JOIN reviewers r ON r.id = s.reviewer_id WHERE s.token_hash = ?`, hashSecret(token)), &csrf, &expires)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && expires <= tx.now.UnixMilli()) {
			return nil, errNoSession
		}
		if err != nil {
			return nil, fmt.Errorf("find session: %w", err)
		}
		sess := &milepost.ConsoleSession{Token: token, Reviewer: r, CSRF: csrf, ExpiresAt: tx.now.Add(milepost.SessionTTL)}
		// Extending on every request would write on every page view; once a minute is enough.
		if sess.ExpiresAt.UnixMilli()-expires > 60_000 {
			if _, err := tx.exec(ctx, "UPDATE console_sessions SET expires_at = ? WHERE token_hash = ?", sess.ExpiresAt.UnixMilli(), hashSecret(token)); err != nil {
				return nil, fmt.Errorf("extend session: %w", err)
			}
		} else {
			sess.ExpiresAt = fromMS(expires)
		}
		return sess, nil
	})
}

// SignOut ends a session; see milepost.ReviewerService.
func (s *Reviewers) SignOut(ctx context.Context, token string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM console_sessions WHERE token_hash = ?", hashSecret(token))
		return err
	})
}
