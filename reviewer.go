package milepost

import (
	"context"
	"strings"
	"time"
)

// Reviewer is a partner's reviewer account for the review console.
type Reviewer struct {
	ID        string
	PartnerID string
	Email     string // lower case
	CreatedAt time.Time
}

// ReviewerCredentials is a new reviewer with its password, shown only once.
type ReviewerCredentials struct {
	Reviewer *Reviewer
	Password string
}

// ConsoleSession is a signed-in reviewer. Token is the cookie value (only its hash is stored);
// CSRF is the token every form of the session must carry.
type ConsoleSession struct {
	Token     string
	Reviewer  *Reviewer
	CSRF      string
	ExpiresAt time.Time
}

// Actor is what the session may do through the services: its partner's admin scope.
func (s *ConsoleSession) Actor() Actor {
	return Actor{PartnerID: s.Reviewer.PartnerID, Scope: ScopeAdmin}
}

// ReviewerEmail checks a reviewer's e-mail address (required) and lower-cases it.
func ReviewerEmail(email string) (string, error) {
	e, err := NormalizeEmail("email", email)
	if err == nil && e == "" {
		err = Invalidf("email", "email is required.")
	}
	return strings.ToLower(e), err
}

// Console sign-in limits: after MaxSignInFailures wrong passwords for one e-mail within
// SignInWindow, sign-in for it is refused (CodeRateLimited) until the window has passed.
const (
	MaxSignInFailures = 5
	SignInWindow      = 15 * time.Minute
	// SessionTTL is how long a console session lasts without use; each use extends it.
	SessionTTL = 12 * time.Hour
)

// ReviewerService keeps reviewer accounts and their console sessions.
type ReviewerService interface {
	// AddReviewer creates a reviewer of the partner with a random password (returned once;
	// stored as an Argon2id hash). An e-mail already used is CodeConflict.
	AddReviewer(ctx context.Context, partnerID, email string) (*ReviewerCredentials, error)
	// SignIn checks an e-mail and password and opens a session. Wrong credentials are
	// CodeUnauthorized (the same for an unknown e-mail); too many recent failures for the
	// e-mail are CodeRateLimited.
	SignIn(ctx context.Context, email, password string) (*ConsoleSession, error)
	// Session returns the live session of a token and extends it, or CodeUnauthorized.
	Session(ctx context.Context, token string) (*ConsoleSession, error)
	// SignOut ends a session (no error when it is already gone).
	SignOut(ctx context.Context, token string) error
}

// AuditEntry records one reviewer decision: who, when, and the check-in before and after.
type AuditEntry struct {
	ID          string
	PartnerID   string
	CheckinID   string
	CheckinType CheckinType
	Reviewer    string
	From, To    CheckinStatus
	FraudBefore bool
	FraudAfter  bool
	NoteBefore  string
	NoteAfter   string
	// Photos lists the photo marks the decision set.
	Photos []PhotoReview
	At     time.Time
}

// AuditFilter selects a page of the audit log, newest first.
type AuditFilter struct {
	PageRequest
	CheckinID string // "" for every check-in of the partner
}

// AuditPage is a page of the audit log.
type AuditPage struct {
	Entries    []*AuditEntry
	TotalItems int
	Page       PageRequest
}

// ReviewCounts counts the partner's check-ins waiting for review, by status.
type ReviewCounts struct {
	Pending int
	OnHold  int
}

// ReviewLog is the audit log of reviewer decisions and the queue's counts (admin scope).
type ReviewLog interface {
	// ReviewAudit returns a page of the partner's audit log, newest first.
	ReviewAudit(ctx context.Context, actor Actor, f AuditFilter) (*AuditPage, error)
	// ReviewCounts counts the partner's Pending and OnHold check-ins.
	ReviewCounts(ctx context.Context, actor Actor) (*ReviewCounts, error)
	// PreviousConfirmed returns the vehicle's (or, for proof of address, the user's) latest
	// Confirmed check-in of the same type made before this one, with its photos; nil when none.
	PreviousConfirmed(ctx context.Context, actor Actor, checkinID string) (*Checkin, error)
}
