package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// evidenceAnalyzer checks that the evidence the check-in's type requires is there and was not
// marked invalid by a reviewer, and, for mileage, that the plate is the vehicle's.
type evidenceAnalyzer struct{}

func (evidenceAnalyzer) Name() string { return analyzerEvidence }

// requirement is one piece of evidence a check-in type needs.
type requirement struct {
	key   string // in signal values: "odometer", "DriverSide", "document|home"
	what  string // in reasons: "odometer photo"
	whats string // its plural: "odometer photos"
	match func(milepost.CheckinPhoto) bool
	// add and retake are the notes for a missing piece and for one marked invalid by review.
	add, retake string
}

func requirements(t milepost.CheckinType) []requirement {
	role := func(r milepost.PhotoRole) func(milepost.CheckinPhoto) bool {
		return func(ph milepost.CheckinPhoto) bool { return ph.Role == r }
	}
	switch t {
	case milepost.CheckinMileage:
		return []requirement{
			{key: "license", what: "license plate photo", whats: "license plate photos", match: role(milepost.RoleLicense),
				add: "Please add a photo of the license plate.", retake: "Please retake the license plate photo."},
			{key: "odometer", what: "odometer photo", whats: "odometer photos", match: role(milepost.RoleOdometer),
				add: "Please add a photo of the odometer.", retake: "Please retake the odometer photo."},
		}
	case milepost.CheckinCondition:
		reqs := make([]requirement, 0, len(milepost.RequiredAngles))
		for _, angle := range milepost.RequiredAngles {
			reqs = append(reqs, requirement{key: angle, what: angle + " photo", whats: angle + " photos",
				match: func(ph milepost.CheckinPhoto) bool {
					return ph.Role == milepost.RoleAngle && strings.EqualFold(ph.Kind, angle)
				},
				add:    "Please add the " + angle + " photo of the vehicle.",
				retake: "Please retake the " + angle + " photo of the vehicle."})
		}
		return reqs
	case milepost.CheckinProofOfAddress:
		return []requirement{{key: "document|home", what: "proof-of-address document or home photo",
			whats: "proof-of-address documents and home photos",
			match: func(ph milepost.CheckinPhoto) bool {
				return ph.Role == milepost.RoleDocument || ph.Role == milepost.RoleHome
			},
			add:    "Please add a proof-of-address document or a photo of your home.",
			retake: "Please upload a new proof-of-address document or photo of your home."}}
	}
	return nil
}

// Analyze never fails: it reads only the input.
func (a evidenceAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	return a.signals(in), nil
}

func (evidenceAnalyzer) signals(in *milepost.VerificationInput) []milepost.Signal {
	c := in.Checkin
	var missing, found []string
	var out []milepost.Signal
	for _, req := range requirements(c.Type) {
		total, valid := 0, 0
		for _, ph := range c.Photos {
			if req.match(ph) {
				total++
				if !ph.MarkedInvalidByReview {
					valid++
				}
			}
		}
		found = append(found, fmt.Sprintf("%s=%d", req.key, valid))
		if valid > 0 {
			continue
		}
		s := milepost.Signal{Analyzer: analyzerEvidence, Name: signalEvidencePresent,
			Value: fmt.Sprintf("%s=0", req.key), Verdict: milepost.VerdictHold}
		if total == 0 {
			s.Reason = fmt.Sprintf("No %s was submitted.", req.what)
			s.Note = req.add
		} else {
			s.Reason = fmt.Sprintf("The %s was marked invalid by a reviewer.", req.what)
			if total > 1 {
				s.Reason = fmt.Sprintf("All %d %s were marked invalid by a reviewer.", total, req.whats)
			}
			s.Note = req.retake
		}
		out = append(out, s)
		missing = append(missing, req.key)
	}
	if len(missing) == 0 {
		out = append(out, milepost.Signal{Analyzer: analyzerEvidence, Name: signalEvidencePresent,
			Value: strings.Join(found, ","), Verdict: milepost.VerdictPass,
			Reason: fmt.Sprintf("All required evidence of the %s is present (%s).", c.Type.Label(), strings.Join(found, ", "))})
	}
	if c.Type == milepost.CheckinMileage {
		out = append(out, plateSignal(in))
	}
	return out
}

// plateSignal compares a mileage check-in's plate with the vehicle's.
func plateSignal(in *milepost.VerificationInput) milepost.Signal {
	s := milepost.Signal{Analyzer: analyzerEvidence, Name: signalPlateMismatch, Verdict: milepost.VerdictPass}
	got := in.Checkin.License
	if in.Vehicle == nil || in.Vehicle.License == "" {
		s.Value = "checkin=" + got + " vehicle="
		s.Reason = "The vehicle has no license plate on record, so the check-in's plate was not compared."
		if in.Vehicle == nil {
			s.Reason = "The check-in came without its vehicle, so the plate was not compared."
		}
		return s
	}
	want := in.Vehicle.License
	s.Value = "checkin=" + got + " vehicle=" + want
	if samePlate(got, want) {
		s.Reason = fmt.Sprintf("The check-in's plate %s is the vehicle's plate.", want)
		return s
	}
	s.Verdict = milepost.VerdictHold
	if got == "" {
		s.Reason = fmt.Sprintf("The check-in gives no license plate; the vehicle's plate is %s.", want)
		s.Note = fmt.Sprintf("No license plate was given; the vehicle's plate is %s. Please check the plate.", want)
		return s
	}
	s.Reason = fmt.Sprintf("The check-in's plate %s differs from the vehicle's plate %s.", got, want)
	s.Note = fmt.Sprintf("The license plate %s does not match the vehicle's plate %s; please check the plate.", got, want)
	return s
}

// samePlate compares two plates in their normalized form (both should already be stored so).
func samePlate(a, b string) bool {
	na, errA := milepost.NormalizePlate("licensePlate", a)
	nb, errB := milepost.NormalizePlate("licensePlate", b)
	if errA != nil || errB != nil {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return na == nb
}
