package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// ReplayFinder finds earlier uses of a check-in's photos by other check-ins (replay.Finder).
type ReplayFinder interface {
	FindReplays(ctx context.Context, checkinID string) ([]milepost.PhotoMatch, error)
}

// ReplayAnalyzer finds photos already used in another check-in — of any vehicle, user or
// partner — byte for byte or as a re-encoded, resized, slightly cropped or brightened copy. A
// photo re-submitted in the change flow of the same check-in is not a replay. A replayed photo
// is worthless to the buyer of the data.
//
// The same file, or an almost certain copy (within the decline distances) of another vehicle's
// photo, declines the check-in as fraud. Any other perceptual match holds it, as fraud, for a
// reviewer: photos of one odometer model, or of the same vehicle from the same spot, look alike
// when genuinely taken again (docs/photo-analysis.md measures it), so a hash alone must not
// decide then.
type ReplayAnalyzer struct {
	p      Policy
	finder ReplayFinder
}

// NewReplayAnalyzer returns the replay analyzer searching with finder (which finds candidates
// within the policy's maxReplay distances).
func NewReplayAnalyzer(p Policy, finder ReplayFinder) *ReplayAnalyzer {
	return &ReplayAnalyzer{p: p, finder: finder}
}

// Name is "replay".
func (*ReplayAnalyzer) Name() string { return analyzerReplay }

// Analyze reports each replayed photo with the check-in that used it first; it fails when the
// uses cannot be read.
func (a *ReplayAnalyzer) Analyze(ctx context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	matches, err := a.finder.FindReplays(ctx, in.Checkin.ID)
	if err != nil {
		return nil, err
	}
	byUpload := map[string][]milepost.PhotoMatch{}
	for _, m := range matches {
		byUpload[m.UploadID] = append(byUpload[m.UploadID], m)
	}
	var out []milepost.Signal
	for i, ph := range in.Checkin.Photos {
		ms := byUpload[ph.UploadID]
		delete(byUpload, ph.UploadID)
		if len(ms) == 0 {
			continue
		}
		// The most damning match decides: a certain copy before a candidate, then the earliest.
		first, certain := ms[0], false
		for _, m := range ms {
			if a.certain(in, ph, m) {
				first, certain = m, true
				break
			}
		}
		how, value := "the same file", "exact"
		if !first.Exact {
			how = fmt.Sprintf("the same picture (perceptual hash distance %d, difference hash distance %d)", first.PHashDistance, first.DHashDistance)
			value = fmt.Sprintf("phash=%d dhash=%d", first.PHashDistance, first.DHashDistance)
		}
		others := make([]string, 0, len(ms))
		for _, m := range ms {
			others = append(others, m.Earlier.CheckinID)
		}
		s := milepost.Signal{Analyzer: analyzerReplay, Name: signalReplayedPhoto, Verdict: milepost.VerdictDecline, Fraud: true,
			UploadID: ph.UploadID, Value: value + " checkin=" + first.Earlier.CheckinID,
			Reason: fmt.Sprintf("%s is %s as upload %s used on %s in check-in %s (user %s); used before in: %s.", photoRef(i, ph), how,
				first.Earlier.UploadID, first.Earlier.CreatedAt.UTC().Format("2006-01-02"), first.Earlier.CheckinID, first.Earlier.UserID,
				strings.Join(others, ", ")),
			Note: fmt.Sprintf("The %s photo was already used in another check-in.", roleLabel(ph))}
		if !certain {
			s.Verdict = milepost.VerdictHold
			s.Reason += " Held for a reviewer: similar pictures of " + whyAlike(in, ph, first) + " can be genuine."
			s.Note = fmt.Sprintf("The %s photo looks like one already used in another check-in; a reviewer will check it.", roleLabel(ph))
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		out = append(out, milepost.Signal{Analyzer: analyzerReplay, Name: signalReplayedPhoto, Value: "none", Verdict: milepost.VerdictPass,
			Reason: "No photo was used before in another check-in."})
	}
	return out, nil
}

// certain reports whether a match is a copy beyond doubt: the same file, or a picture within the
// decline distances that is neither an odometer (one model's dashboards look alike) nor an
// earlier photo of the same vehicle (taken again from the same spot).
func (a *ReplayAnalyzer) certain(in *milepost.VerificationInput, ph milepost.CheckinPhoto, m milepost.PhotoMatch) bool {
	if m.Exact {
		return true
	}
	sameVehicle := in.Checkin.VehicleID != "" && m.Earlier.VehicleID == in.Checkin.VehicleID
	return ph.Role != milepost.RoleOdometer && !sameVehicle &&
		m.PHashDistance <= a.p.DeclineReplayPHashDistance && m.DHashDistance <= a.p.DeclineReplayDHashDistance
}

// whyAlike says why a perceptual match may be innocent.
func whyAlike(in *milepost.VerificationInput, ph milepost.CheckinPhoto, m milepost.PhotoMatch) string {
	switch {
	case in.Checkin.VehicleID != "" && m.Earlier.VehicleID == in.Checkin.VehicleID:
		return "the same vehicle from the same spot"
	case ph.Role == milepost.RoleOdometer:
		return "odometers of one model"
	}
	return "one scene"
}
