package verify

import (
	"context"
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/damage"
)

// PhotoPixels gives analyzers the bytes and the upright gray pixels of uploaded photos
// (photosrc.Source).
type PhotoPixels interface {
	Bytes(ctx context.Context, u *milepost.Upload) ([]byte, error)
	Gray(ctx context.Context, u *milepost.Upload, maxSide int) (*image.Gray, error)
}

// ExternalDamage is a partner's damage model reached over HTTP (damage.Client).
type ExternalDamage interface {
	Analyze(ctx context.Context, req damage.Request) (damage.Findings, error)
}

// DamageAnalyzer looks for new damage on a condition check-in: each angle is compared with the
// same angle of the vehicle's last confirmed condition check-in (registered roughly, then cell
// by cell), and, when a partner configured one, sent to an external damage model. Changes and
// findings mark the photo damageDetected and hold the check-in for a reviewer, who decides what
// is damage. A failing external model fails the run (retried, then left for review): the
// check-in is never confirmed without its answer.
type DamageAnalyzer struct {
	p        Policy
	pixels   PhotoPixels
	external ExternalDamage // nil: none configured
}

// NewDamageAnalyzer returns the damage analyzer; external may be nil.
func NewDamageAnalyzer(p Policy, pixels PhotoPixels, external ExternalDamage) *DamageAnalyzer {
	return &DamageAnalyzer{p: p, pixels: pixels, external: external}
}

// Name is "damage".
func (*DamageAnalyzer) Name() string { return analyzerDamage }

// Analyze compares and sends each angle photo; it fails when a photo cannot be read or the
// external model fails.
func (a *DamageAnalyzer) Analyze(ctx context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	c := in.Checkin
	if c.Type != milepost.CheckinCondition {
		return nil, nil
	}
	before := map[string]milepost.CheckinPhoto{}
	if prev := in.PreviousConfirmed; prev != nil {
		for _, ph := range prev.Photos {
			if ph.Role == milepost.RoleAngle && ph.Upload != nil && !ph.MarkedInvalidByReview {
				before[strings.ToLower(ph.Kind)] = ph
			}
		}
	}
	var out []milepost.Signal
	for i, ph := range c.Photos {
		if ph.Role != milepost.RoleAngle || ph.Upload == nil || ph.MarkedInvalidByReview {
			continue
		}
		s, err := a.compare(ctx, in, i, ph, before[strings.ToLower(ph.Kind)])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if a.external != nil {
			s, err := a.ask(ctx, in, i, ph, before[strings.ToLower(ph.Kind)])
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// compare registers the angle's previous photo onto the new one and reports changed cells.
func (a *DamageAnalyzer) compare(ctx context.Context, in *milepost.VerificationInput, i int, ph, prev milepost.CheckinPhoto) (milepost.Signal, error) {
	ref, angle := photoRef(i, ph), roleLabel(ph)
	s := milepost.Signal{Analyzer: analyzerDamage, Name: signalDamageChange, UploadID: ph.UploadID, Verdict: milepost.VerdictPass}
	if prev.Upload == nil {
		s.Value = "first"
		s.Reason = ref + ": the vehicle has no confirmed " + angle + " photo to compare with."
		return s, nil
	}
	after, err := a.pixels.Gray(ctx, ph.Upload, damage.CompareSide)
	if err != nil {
		return s, err
	}
	earlier, err := a.pixels.Gray(ctx, prev.Upload, damage.CompareSide)
	if err != nil {
		return s, err
	}
	opt := damage.DefaultOptions()
	opt.Threshold = a.p.DamageThreshold
	res := damage.Compare(earlier, after, opt)
	since := fmt.Sprintf("the %s photo of check-in %s (%s)", angle, in.PreviousConfirmed.ID, in.PreviousConfirmed.CreatedAt.UTC().Format("2006-01-02"))
	switch {
	case !res.Aligned:
		// Framed too differently to compare — or another vehicle: a reviewer looks.
		s.Verdict, s.Value = milepost.VerdictHold, "not aligned"
		s.Reason = fmt.Sprintf("%s: could not be aligned with %s (correlation %s, overlap %s): framed too differently, or another vehicle.",
			ref, since, num(res.Correlation, 2), num(res.Overlap, 2))
		s.Note = fmt.Sprintf("The %s photo could not be compared with the last confirmed check-in; a reviewer will check it.", angle)
	case len(res.Changed) == 0:
		s.Value = "cells=0 max=" + num(res.MaxScore, 3)
		s.Reason = fmt.Sprintf("%s: no region changed since %s beyond %s (largest change %s).", ref, since, num(a.p.DamageThreshold, 3), num(res.MaxScore, 3))
	default:
		s.Verdict, s.Damage = milepost.VerdictHold, true
		s.Value = "cells=" + strconv.Itoa(len(res.Changed)) + " max=" + num(res.MaxScore, 3)
		s.Reason = fmt.Sprintf("%s: %d regions changed since %s beyond %s (largest change %s), first at %v: possible new damage.",
			ref, len(res.Changed), since, num(a.p.DamageThreshold, 3), num(res.MaxScore, 3), res.Changed[0].Rect)
		s.Note = fmt.Sprintf("The %s photo shows changes since the last confirmed check-in; a reviewer will check them.", angle)
	}
	return s, nil
}

// ask sends the angle's photo (and the previous one) to the partner's damage model.
func (a *DamageAnalyzer) ask(ctx context.Context, in *milepost.VerificationInput, i int, ph, prev milepost.CheckinPhoto) (milepost.Signal, error) {
	data, err := a.pixels.Bytes(ctx, ph.Upload)
	if err != nil {
		return milepost.Signal{}, err
	}
	req := damage.Request{CheckinID: in.Checkin.ID, VehicleID: in.Checkin.VehicleID, Angle: ph.Kind,
		Photo: damage.Image{ContentType: ph.Upload.Media.ContentType, Data: data}}
	if in.Vehicle != nil {
		req.VIN = in.Vehicle.VIN
	}
	if prev.Upload != nil {
		pd, err := a.pixels.Bytes(ctx, prev.Upload)
		if err != nil {
			return milepost.Signal{}, err
		}
		req.Previous, req.PreviousCheckinID = &damage.Image{ContentType: prev.Upload.Media.ContentType, Data: pd}, in.PreviousConfirmed.ID
	}
	f, err := a.external.Analyze(ctx, req)
	if err != nil {
		return milepost.Signal{}, fmt.Errorf("damage model on %s: %w", ph.Kind, err)
	}
	s := milepost.Signal{Analyzer: analyzerDamage, Name: signalDamageModel, UploadID: ph.UploadID, Verdict: milepost.VerdictPass,
		Value: fmt.Sprintf("model=%s findings=%d", strings.TrimSpace(f.Model+" "+f.ModelVersion), len(f.Items))}
	ref := photoRef(i, ph)
	if !f.DamageDetected {
		s.Reason = ref + ": the damage model (" + f.Model + ") found no damage."
		return s, nil
	}
	var seen []string
	for _, it := range f.Items {
		seen = append(seen, fmt.Sprintf("%s (severity %s, confidence %s)", it.Type, num(it.Severity, 2), num(it.Confidence, 2)))
	}
	s.Verdict, s.Damage = milepost.VerdictHold, true
	s.Reason = fmt.Sprintf("%s: the damage model (%s) found damage: %s.", ref, f.Model, strings.Join(seen, "; "))
	s.Note = fmt.Sprintf("Damage was detected on the %s photo; a reviewer will check it.", roleLabel(ph))
	return s, nil
}
