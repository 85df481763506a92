package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// recencyAnalyzer checks, photo by photo, that each one was taken shortly before the check-in
// was submitted: not older than MaxPhotoAge and not later than MaxFutureSkew.
type recencyAnalyzer struct{ p Policy }

func (recencyAnalyzer) Name() string { return analyzerRecency }

// captureTime is when a photo was taken and where that came from.
type captureTime struct {
	at time.Time
	// source is "exif" (with zone), "exif-nozone" (camera local time read as UTC) or "takenOn"
	// (claimed by the app at upload).
	source string
}

// value is the signal value: the time in RFC 3339 (wall clock without zone for exif-nozone)
// and the source.
func (c captureTime) value() string {
	if c.source == "exif-nozone" {
		return c.at.Format("2006-01-02T15:04:05") + " " + c.source
	}
	return c.at.UTC().Format(time.RFC3339) + " " + c.source
}

// describe names the source for reviewers.
func (c captureTime) describe() string {
	switch c.source {
	case "exif":
		return "EXIF capture time " + c.at.UTC().Format(time.RFC3339)
	case "exif-nozone":
		return "EXIF capture time " + c.at.Format("2006-01-02 15:04:05") + " (camera local time, no time zone)"
	}
	return "capture time claimed by the app (takenOn) " + c.at.UTC().Format(time.RFC3339)
}

// photoCaptureTime prefers the file's EXIF DateTimeOriginal over the app's claim.
func photoCaptureTime(u *milepost.Upload) (captureTime, bool) {
	if u == nil {
		return captureTime{}, false
	}
	if t := u.Media.EXIF.TakenAt; t != nil && !t.IsZero() {
		if u.Media.EXIF.TakenAtHasZone {
			return captureTime{at: *t, source: "exif"}, true
		}
		return captureTime{at: *t, source: "exif-nozone"}, true
	}
	if u.TakenOn != nil && !u.TakenOn.IsZero() {
		return captureTime{at: *u.TakenOn, source: "takenOn"}, true
	}
	return captureTime{}, false
}

// Analyze never fails: it reads only the input.
func (a recencyAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	return a.signals(in), nil
}

func (a recencyAnalyzer) signals(in *milepost.VerificationInput) []milepost.Signal {
	maxAge := time.Duration(a.p.MaxPhotoAge)
	var out []milepost.Signal
	for i, ph := range in.Checkin.Photos {
		ref, label := photoRef(i, ph), roleLabel(ph)
		s := milepost.Signal{Analyzer: analyzerRecency, Name: signalCaptureTime, Verdict: milepost.VerdictPass}
		switch {
		case ph.MarkedInvalidByReview:
			s.Value = "skipped"
			s.Reason = fmt.Sprintf("%s: not checked, it was marked invalid by a reviewer (see evidence).", ref)
			out = append(out, s)
			continue
		case ph.Upload == nil:
			s.Value = "none"
			s.Verdict = milepost.VerdictHold
			s.Reason = fmt.Sprintf("%s: the upload record is missing, so no capture time could be read.", ref)
			s.Note = fmt.Sprintf("Please retake the %s photo.", label)
			out = append(out, s)
			continue
		case ph.Role == milepost.RoleDocument && ph.Upload.Media.ContentType == "application/pdf":
			s.Value = "pdf"
			s.Reason = fmt.Sprintf("%s: PDF documents are dated by their content (checked by document analysis).", ref)
			out = append(out, s)
			continue
		case ph.Role == milepost.RoleDocument && ph.Kind != "CAMERA":
			// A bill picked from the gallery or a scanned file is naturally older than the
			// check-in; its date is on the document. Only documents shot with the camera for this
			// check-in must be fresh.
			s.Value = "document"
			s.Reason = fmt.Sprintf("%s: a %s document is dated by its content, not by when the file was made.", ref, strings.ToLower(ph.Kind))
			out = append(out, s)
			continue
		}
		ct, ok := photoCaptureTime(ph.Upload)
		if !ok {
			s.Value = "none"
			s.Verdict = milepost.VerdictHold
			s.Reason = fmt.Sprintf("%s: the file has no EXIF capture time and the app sent no takenOn.", ref)
			s.Note = fmt.Sprintf("Please retake the %s photo with the camera app (no capture time was found).", label)
			out = append(out, s)
			continue
		}
		s.Value = ct.value()
		var allowance time.Duration
		if ct.source == "exif-nozone" {
			allowance = time.Duration(a.p.ClockSkewNoZone)
		}
		// A photo kept through the change flow is judged against when it was attached, not
		// against the later resubmission.
		ref0 := in.SubmittedAt
		if !ph.AttachedAt.IsZero() {
			ref0 = ph.AttachedAt
		}
		age := ref0.Sub(ct.at)
		submitted := ref0.UTC().Format(time.RFC3339)
		futureLimit := limit(time.Duration(a.p.MaxFutureSkew), allowance)
		if future := -age; future > time.Duration(a.p.MaxFutureSkew)+allowance {
			s.Verdict = milepost.VerdictHold
			s.Reason = fmt.Sprintf("%s: capture time is in the future: %s is %s after the check-in was submitted at %s; the allowed clock skew is %s.",
				ref, ct.describe(), hours(future), submitted, futureLimit)
			s.Note = fmt.Sprintf("The %s photo has a capture time later than this check-in; please check the date and time of your device and retake the photo.", label)
			out = append(out, s)
			continue
		}
		s.Name = signalPhotoAge
		ageLimit := limit(maxAge, allowance)
		switch {
		case age > maxAge+allowance:
			s.Verdict = milepost.VerdictHold
			s.Reason = fmt.Sprintf("%s: %s is %s before the check-in was submitted at %s; the limit is %s.",
				ref, ct.describe(), hours(age), submitted, ageLimit)
			s.Note = fmt.Sprintf("The %s photo was taken on %s, more than %s before this check-in; please take fresh photos.",
				label, ct.at.Format("2006-01-02"), humanDuration(maxAge))
		case age < 0:
			s.Reason = fmt.Sprintf("%s: %s is %s after the check-in was submitted at %s, within the allowed clock skew of %s.",
				ref, ct.describe(), hours(-age), submitted, futureLimit)
		default:
			s.Reason = fmt.Sprintf("%s: %s is %s before the check-in was submitted at %s, within the limit of %s.",
				ref, ct.describe(), hours(age), submitted, ageLimit)
		}
		out = append(out, s)
	}
	return out
}

// limit describes a threshold and the no-zone allowance added to it: "72h" or "72h + 14h
// (no time zone)".
func limit(d, allowance time.Duration) string {
	if allowance == 0 {
		return Duration(d).String()
	}
	return fmt.Sprintf("%s + %s (EXIF time without zone)", Duration(d), Duration(allowance))
}
