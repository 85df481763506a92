package jobs

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/milepost/milepost"
)

// VerifyHandler runs the verification of one check-in run (a JobVerifyCheckin job).
type VerifyHandler struct {
	Store    milepost.VerificationStore
	Verifier milepost.Verifier
}

func payload(j *milepost.Job) (milepost.VerifyCheckinPayload, error) {
	var p milepost.VerifyCheckinPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.CheckinID == "" {
		return p, fmt.Errorf("bad %s payload %s: %v", j.Kind, j.Payload, err)
	}
	return p, nil
}

// Work loads the check-in run, verifies it and applies the decision (which completes the job in
// the same transaction). A run that is no longer Pending needs nothing: the job just completes.
func (h VerifyHandler) Work(ctx context.Context, j *milepost.Job) error {
	p, err := payload(j)
	if err != nil {
		return err
	}
	in, err := h.Store.LoadVerification(ctx, p.CheckinID, p.Run)
	switch milepost.ErrorCode(err) {
	case "":
	case milepost.CodeConflict, milepost.CodeNotFound:
		return nil
	default:
		return err
	}
	d, err := h.Verifier.Verify(ctx, in)
	if err != nil {
		return fmt.Errorf("verify check-in %s: %w", p.CheckinID, err)
	}
	if _, err := h.Store.ApplyVerification(ctx, p.CheckinID, p.Run, d, j.ID); err != nil {
		return err
	}
	return ErrCompleted
}

// Exhausted leaves a check-in whose verification kept failing OnHold for a reviewer, so nothing
// stays Pending forever.
func (h VerifyHandler) Exhausted(ctx context.Context, j *milepost.Job, cause error) error {
	p, err := payload(j)
	if err != nil {
		return err
	}
	d := milepost.Decision{
		Status:    milepost.StatusOnHold,
		AdminNote: "Automatic verification could not complete; a reviewer will check this check-in.",
		Signals: []milepost.Signal{{Analyzer: "engine", Name: "verification_failed", Verdict: milepost.VerdictHold,
			Reason: "verification failed on every attempt: " + cause.Error()}},
	}
	_, err = h.Store.ApplyVerification(ctx, p.CheckinID, p.Run, d, j.ID)
	return err
}
