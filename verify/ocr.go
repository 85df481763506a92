package verify

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/ocr"
)

// PhotoReader reads odometers and license plates from uploaded photos (OCR). Errors wrapping
// ErrUnavailable mean the engine cannot run on this server.
type PhotoReader interface {
	ReadOdometer(ctx context.Context, u *milepost.Upload) (ocr.Reading, bool, error)
	ReadPlate(ctx context.Context, u *milepost.Upload) (ocr.Reading, bool, error)
}

// OCRAnalyzer reads the odometer and the plate from a mileage check-in's photos and holds the
// check-in when a confident reading disagrees with what was entered. OCR misreads (docs/ocr.md),
// so a disagreement holds for a reviewer; it never declines. Without an engine the analyzer says
// so in its signals — it does not pass silently.
type OCRAnalyzer struct {
	p      Policy
	reader PhotoReader // nil: no engine configured
}

// NewOCRAnalyzer returns the OCR analyzer; reader may be nil.
func NewOCRAnalyzer(p Policy, reader PhotoReader) *OCRAnalyzer {
	return &OCRAnalyzer{p: p, reader: reader}
}

// Name is "ocr".
func (*OCRAnalyzer) Name() string { return analyzerOCR }

// Analyze reads each odometer and license plate photo; it fails when the engine fails on one
// (to be retried).
func (a *OCRAnalyzer) Analyze(ctx context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	c := in.Checkin
	if c.Type != milepost.CheckinMileage {
		return nil, nil
	}
	var out []milepost.Signal
	for i, ph := range c.Photos {
		if ph.Upload == nil || ph.MarkedInvalidByReview || (ph.Role != milepost.RoleOdometer && ph.Role != milepost.RoleLicense) {
			continue
		}
		name, read := signalOdometerReading, a.readOdometer
		if ph.Role == milepost.RoleLicense {
			name, read = signalPlateReading, a.readPlate
		}
		s := milepost.Signal{Analyzer: analyzerOCR, Name: name, UploadID: ph.UploadID, Verdict: milepost.VerdictPass}
		ref := photoRef(i, ph)
		if a.reader == nil {
			s.Value, s.Reason = "unavailable", ref+": not read: no OCR engine is configured on this server."
			out = append(out, s)
			continue
		}
		r, ok, err := read(ctx, ph.Upload)
		switch {
		case errors.Is(err, ErrUnavailable):
			s.Value, s.Reason = "unavailable", ref+": not read: "+err.Error()+"."
		case err != nil:
			return nil, fmt.Errorf("read %s: %w", roleLabel(ph), err)
		case !ok:
			s.Value, s.Reason = "unread", ref+": OCR found no plausible "+roleLabel(ph)+" text."
		case r.Confidence < a.p.MinOCRConfidence:
			s.Value = "read=" + r.Text + " conf=" + num(r.Confidence, 2)
			s.Reason = fmt.Sprintf("%s: OCR read %q with confidence %s, under %s: not used.", ref, r.Text, num(r.Confidence, 2), num(a.p.MinOCRConfidence, 2))
		case ph.Role == milepost.RoleOdometer:
			a.judgeOdometer(&s, ref, r, c.Mileage)
		default:
			a.judgePlate(&s, ref, r, c.License)
		}
		out = append(out, s)
	}
	return out, nil
}

func (a *OCRAnalyzer) readOdometer(ctx context.Context, u *milepost.Upload) (ocr.Reading, bool, error) {
	return a.reader.ReadOdometer(ctx, u)
}

func (a *OCRAnalyzer) readPlate(ctx context.Context, u *milepost.Upload) (ocr.Reading, bool, error) {
	return a.reader.ReadPlate(ctx, u)
}

// judgeOdometer compares a confident reading with the mileage entered. A display in kilometres
// is compared after conversion as well.
func (a *OCRAnalyzer) judgeOdometer(s *milepost.Signal, ref string, r ocr.Reading, claimed int64) {
	diff := abs(r.Value - claimed)
	if r.Unit == "km" {
		diff = min(diff, abs(int64(milepost.ToMiles(float64(r.Value), milepost.Kilometers)+0.5)-claimed))
	}
	s.Value = "read=" + strconv.FormatInt(r.Value, 10) + " claimed=" + strconv.FormatInt(claimed, 10)
	if float64(diff) <= a.p.MaxOdometerDifference {
		s.Reason = fmt.Sprintf("%s: the odometer reads %s (confidence %s), within %s miles of the %s entered.",
			ref, thousands(r.Value), num(r.Confidence, 2), num(a.p.MaxOdometerDifference, 0), thousands(claimed))
		return
	}
	s.Verdict = milepost.VerdictHold
	s.Reason = fmt.Sprintf("%s: the odometer reads %s%s (confidence %s) but %s was entered, %s apart (limit %s).",
		ref, thousands(r.Value), unitSuffix(r.Unit), num(r.Confidence, 2), thousands(claimed), thousands(diff), num(a.p.MaxOdometerDifference, 0))
	s.Note = fmt.Sprintf("The odometer photo reads %s but %s was entered; please check the mileage.", thousands(r.Value), thousands(claimed))
}

// judgePlate compares a confident plate reading with the plate entered, forgiving the
// characters OCR confuses (O/0, I/1).
func (a *OCRAnalyzer) judgePlate(s *milepost.Signal, ref string, r ocr.Reading, claimed string) {
	s.Value = "read=" + r.Text + " claimed=" + ocr.NormalizePlate(claimed)
	if ocr.SamePlate(r.Text, claimed) {
		s.Reason = fmt.Sprintf("%s: the plate reads %s (confidence %s), the plate entered.", ref, r.Text, num(r.Confidence, 2))
		return
	}
	s.Verdict = milepost.VerdictHold
	s.Reason = fmt.Sprintf("%s: the plate reads %s (confidence %s) but %s was entered.", ref, r.Text, num(r.Confidence, 2), claimed)
	s.Note = fmt.Sprintf("The license plate photo reads %s, not %s; please check the plate.", r.Text, ocr.NormalizePlate(claimed))
}

func unitSuffix(u string) string {
	if u == "" {
		return ""
	}
	return " " + u
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
