package milepost

import (
	"context"
	"slices"
	"time"
)

// Verdict is what one signal says about a check-in.
type Verdict string

// The verdicts, mildest first.
const (
	VerdictPass    Verdict = "pass"    // nothing against the check-in
	VerdictHold    Verdict = "hold"    // put it OnHold: better data or a reviewer is needed
	VerdictDecline Verdict = "decline" // decline it
)

// Signal is one named finding of an analyzer, with its value and a plain-language reason a
// reviewer can read. Note, when set, tells the user what to do and goes into the adminNote.
type Signal struct {
	Analyzer string
	Name     string
	Value    string
	Verdict  Verdict
	Fraud    bool
	Reason   string
	Note     string
	// UploadID names the photo the signal is about ("" when it is about the whole check-in).
	UploadID string
	// Damage marks that photo damageDetected (a candidate for the reviewer), whatever the verdict.
	Damage bool
	// Insights is what a proof-of-address document says (set by document analysis on one signal;
	// not kept with the signal: it becomes the check-in's insights).
	Insights *AddressInsights
}

// Decision is the outcome of verifying one check-in run.
type Decision struct {
	Status    CheckinStatus // Confirmed, Declined or OnHold
	Fraud     bool
	AdminNote string
	Signals   []Signal
	// Damaged lists the uploads a signal marked damageDetected, in signal order, without repeats.
	Damaged []string
	// Insights is what document analysis read (the first signal carrying it); nil when none.
	Insights *AddressInsights
}

// Decide turns signals into a decision: any decline → Declined, else any hold → OnHold, else
// Confirmed. The adminNote joins the user-facing notes (or reasons) of the signals with the
// deciding verdict, in order, without repeats; fraud is set when one of them says so.
func Decide(signals []Signal) Decision {
	d := Decision{Status: StatusConfirmed, Signals: signals}
	worst := VerdictPass
	for _, s := range signals {
		if s.Damage && s.UploadID != "" && !slices.Contains(d.Damaged, s.UploadID) {
			d.Damaged = append(d.Damaged, s.UploadID)
		}
		if d.Insights == nil && s.Insights != nil {
			d.Insights = s.Insights
		}
		if s.Verdict == VerdictDecline || (s.Verdict == VerdictHold && worst == VerdictPass) {
			worst = s.Verdict
		}
	}
	switch worst {
	case VerdictDecline:
		d.Status = StatusDeclined
	case VerdictHold:
		d.Status = StatusOnHold
	default:
		return d
	}
	seen := map[string]bool{}
	for _, s := range signals {
		if s.Verdict != worst {
			continue
		}
		if s.Fraud {
			d.Fraud = true
		}
		note := s.Note
		if note == "" {
			note = s.Reason
		}
		if note != "" && !seen[note] {
			seen[note] = true
			if d.AdminNote != "" {
				d.AdminNote += " "
			}
			d.AdminNote += note
		}
	}
	return d
}

// VerificationInput is everything the verification engine reads about one check-in run.
type VerificationInput struct {
	Checkin *Checkin // with Photos[i].Upload filled
	Vehicle *Vehicle // nil for proof of address
	User    *User    // the check-in's user (its profile: name, address)
	// PreviousConfirmed is the vehicle's latest Confirmed check-in of the same type created before
	// this one (nil when there is none).
	PreviousConfirmed *Checkin
	// SubmittedAt is when this run was submitted (creation or the change-flow update).
	SubmittedAt time.Time
}

// Verifier runs the analyzers and the policy on one check-in.
type Verifier interface {
	Verify(ctx context.Context, in *VerificationInput) (Decision, error)
}

// VerificationStore is what the verification job reads and writes.
type VerificationStore interface {
	// LoadVerification returns the input for a check-in run, or CodeNotFound when the check-in is
	// gone, or a CodeConflict error when it is no longer Pending at that run (already decided,
	// or updated again): the job then has nothing to do.
	LoadVerification(ctx context.Context, checkinID string, run int) (*VerificationInput, error)
	// ApplyVerification moves a Pending check-in at run to the decision's status with its signals
	// and transition, and completes the job, in one transaction guarded on status and run, so a
	// job that runs twice decides once. It reports whether the decision was applied.
	ApplyVerification(ctx context.Context, checkinID string, run int, d Decision, jobID string) (bool, error)
}
