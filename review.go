package milepost

import (
	"context"
	"strings"
	"time"
)

// ReviewFilter selects a page of the review queue: Pending and OnHold check-ins, oldest first.
type ReviewFilter struct {
	PageRequest
	Type   CheckinType   // "" for all three types
	Status CheckinStatus // Pending, OnHold, or "" for both
	Fraud  *bool
	// Damage keeps condition check-ins with (true) or without (false) a photo marked
	// damageDetected.
	Damage *bool
	// From and To bound the check-ins' creation time (inclusive).
	From, To *time.Time
}

// CheckinReview is what a reviewer sees of a check-in: its evidence with the uploads' metadata,
// the signals of its latest verification, and its history.
type CheckinReview struct {
	Checkin     *Checkin // Photos[i].Upload filled
	Vehicle     *Vehicle // nil for proof of address
	User        *User
	Signals     []Signal
	Transitions []Transition
}

// PhotoReview is a reviewer's marks on one photo of the check-in.
type PhotoReview struct {
	UploadID              string
	MarkedInvalidByReview *bool
	DamageDetected        *bool
}

// ReviewDecision is a reviewer's decision on a check-in.
type ReviewDecision struct {
	Status    CheckinStatus // Confirmed, Declined or OnHold
	AdminNote string
	Fraud     *bool
	Photos    []PhotoReview
	// Reviewer names who decided (an e-mail or name), recorded in the history.
	Reviewer string
}

// Validate checks a decision's own fields.
func (d ReviewDecision) Validate() (ReviewDecision, error) {
	if d.Status != StatusConfirmed && d.Status != StatusDeclined && d.Status != StatusOnHold {
		return d, Invalidf("status", "status must be Confirmed, Declined or OnHold.")
	}
	var err error
	if d.AdminNote, err = optionalText("adminNote", d.AdminNote, maxNoteLen); err != nil {
		return d, err
	}
	if d.Reviewer, err = optionalText("reviewer", d.Reviewer, 200); err != nil {
		return d, err
	}
	for i, p := range d.Photos {
		if strings.TrimSpace(p.UploadID) == "" {
			return d, Invalidf("photos", "photos[%d].photoUrl is required.", i)
		}
	}
	return d, nil
}

// ReviewService serves a partner's reviewers (admin scope only).
type ReviewService interface {
	// ReviewQueue returns Pending and OnHold check-ins of all types, oldest first.
	ReviewQueue(ctx context.Context, actor Actor, f ReviewFilter) (*CheckinPage, error)
	// ReviewCheckin returns a check-in with its evidence, signals and history.
	ReviewCheckin(ctx context.Context, actor Actor, id string) (*CheckinReview, error)
	// DecideCheckin applies a reviewer's decision through the same lifecycle rules as the
	// engine: a decided (Confirmed or Declined) check-in is CodeConflict. OnHold to OnHold
	// updates the note and the photo marks without a transition.
	DecideCheckin(ctx context.Context, actor Actor, id string, d ReviewDecision) (*CheckinReview, error)
}
