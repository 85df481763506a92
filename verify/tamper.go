package verify

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// tamperAnalyzer looks for photos that were edited or do not come from where and when the app
// says: an editor's name in EXIF Software, an EXIF capture time or position that contradicts what
// the app claimed, a camera make that contradicts the device, and photos of one check-in taken
// far apart in time or space. Its findings hold the check-in as possible fraud for a reviewer:
// each has innocent explanations (a user who cropped a photo, a stale GPS fix).
type tamperAnalyzer struct{ p Policy }

func (tamperAnalyzer) Name() string { return analyzerTamper }

// Analyze never fails: it reads only the input.
func (a tamperAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	var out []milepost.Signal
	editors, claims, devices := 0, 0, 0
	for i, ph := range in.Checkin.Photos {
		u := ph.Upload
		if u == nil || ph.MarkedInvalidByReview || u.Media.ContentType == "application/pdf" {
			continue
		}
		if s, ok := a.editor(i, ph); ok {
			out, editors = append(out, s), editors+1
		}
		for _, s := range a.claimed(i, ph) {
			out, claims = append(out, s), claims+1
		}
		if s, ok := deviceMismatch(i, ph); ok {
			out, devices = append(out, s), devices+1
		}
	}
	pass := func(name, reason string) milepost.Signal {
		return milepost.Signal{Analyzer: analyzerTamper, Name: name, Value: "none", Verdict: milepost.VerdictPass, Reason: reason}
	}
	if editors == 0 {
		out = append(out, pass(signalEditingSoftware, "No photo names an editing program in its EXIF Software."))
	}
	if claims == 0 {
		out = append(out, pass(signalClaimedMismatch, "No photo's EXIF capture time or GPS position contradicts what the app claimed (or there was nothing to compare)."))
	}
	if devices == 0 {
		out = append(out, pass(signalDeviceMismatch, "No photo's camera make contradicts the device the app reported (or there was nothing to compare)."))
	}
	return append(out, a.spread(in)...), nil
}

// editor reports a photo whose EXIF Software names an editing program.
func (a tamperAnalyzer) editor(i int, ph milepost.CheckinPhoto) (milepost.Signal, bool) {
	sw := strings.TrimSpace(ph.Upload.Media.EXIF.Software)
	lower := strings.ToLower(sw)
	for _, name := range a.p.EditorSoftware {
		if name != "" && strings.Contains(lower, strings.ToLower(name)) {
			return milepost.Signal{Analyzer: analyzerTamper, Name: signalEditingSoftware, Value: sw, Verdict: milepost.VerdictHold,
				Fraud: true, UploadID: ph.UploadID,
				Reason: fmt.Sprintf("%s was saved by %q (EXIF Software), an editing program: it may have been altered.", photoRef(i, ph), sw),
				Note:   fmt.Sprintf("The %s photo was edited; please take a new photo with the camera app.", roleLabel(ph))}, true
		}
	}
	return milepost.Signal{}, false
}

// claimed compares the file's EXIF capture time and position with what the app claimed.
func (a tamperAnalyzer) claimed(i int, ph milepost.CheckinPhoto) []milepost.Signal {
	u, e := ph.Upload, ph.Upload.Media.EXIF
	var out []milepost.Signal
	if e.TakenAt != nil && u.TakenOn != nil {
		allowed := time.Duration(a.p.MaxClaimedTimeSkew)
		if !e.TakenAtHasZone {
			allowed += time.Duration(a.p.ClockSkewNoZone)
		}
		if diff := e.TakenAt.Sub(*u.TakenOn).Abs(); diff > allowed {
			out = append(out, milepost.Signal{Analyzer: analyzerTamper, Name: signalClaimedMismatch, Verdict: milepost.VerdictHold, Fraud: true,
				UploadID: ph.UploadID, Value: "time " + hours(diff),
				Reason: fmt.Sprintf("%s: the file says it was taken at %s but the app claimed %s, %s apart (allowed %s).",
					photoRef(i, ph), e.TakenAt.UTC().Format(time.RFC3339), u.TakenOn.UTC().Format(time.RFC3339), hours(diff), Duration(allowed)),
				Note: fmt.Sprintf("The %s photo's capture time does not match the time reported by the app; please take a new photo with the camera app.", roleLabel(ph))})
		}
	}
	if e.Latitude != nil && e.Longitude != nil && u.Latitude != nil && u.Longitude != nil {
		d := meters(*e.Latitude, *e.Longitude, *u.Latitude, *u.Longitude)
		if d > a.p.MaxClaimedDistanceMeters {
			out = append(out, milepost.Signal{Analyzer: analyzerTamper, Name: signalClaimedMismatch, Verdict: milepost.VerdictHold, Fraud: true,
				UploadID: ph.UploadID, Value: "distance " + strconv.FormatFloat(d, 'f', 0, 64) + "m",
				Reason: fmt.Sprintf("%s: the file's GPS position (%.5f, %.5f) is %s from the position the app claimed (%.5f, %.5f); the limit is %s.",
					photoRef(i, ph), *e.Latitude, *e.Longitude, distance(d), *u.Latitude, *u.Longitude, distance(a.p.MaxClaimedDistanceMeters)),
				Note: fmt.Sprintf("The %s photo's location does not match the location reported by the app; please take a new photo with the camera app.", roleLabel(ph))})
		}
	}
	return out
}

// spread reports photos of one check-in taken far apart in time or space: they were not all
// taken at one visit to the vehicle (or the home). Only photos recency accepts count for time:
// a stale or future photo is already held there.
func (a tamperAnalyzer) spread(in *milepost.VerificationInput) []milepost.Signal {
	c := in.Checkin
	var first, last time.Time
	var firstRef, lastRef string
	type point struct {
		lat, lng float64
		ref      string
	}
	var points []point
	times := 0
	for i, ph := range c.Photos {
		u := ph.Upload
		if u == nil || ph.MarkedInvalidByReview || ph.Role == milepost.RoleDocument {
			continue
		}
		if ct, ok := photoCaptureTime(u); ok && a.recent(in, ph, ct) {
			times++
			if first.IsZero() || ct.at.Before(first) {
				first, firstRef = ct.at, photoRef(i, ph)
			}
			if last.IsZero() || ct.at.After(last) {
				last, lastRef = ct.at, photoRef(i, ph)
			}
		}
		if lat, lng, ok := photoPosition(u); ok {
			points = append(points, point{lat, lng, photoRef(i, ph)})
		}
	}
	timeSig := milepost.Signal{Analyzer: analyzerTamper, Name: signalPhotoSpread, Verdict: milepost.VerdictPass}
	if gap := last.Sub(first); gap > time.Duration(a.p.MaxPhotoSpread) {
		timeSig.Verdict, timeSig.Fraud, timeSig.Value = milepost.VerdictHold, true, "time "+hours(gap)
		timeSig.Reason = fmt.Sprintf("The photos were taken %s apart (%s at %s, %s at %s); the limit is %s.", hours(gap),
			firstRef, first.UTC().Format(time.RFC3339), lastRef, last.UTC().Format(time.RFC3339), a.p.MaxPhotoSpread)
		timeSig.Note = "The photos of this check-in were not taken at the same time; please take all of them again now."
	} else if times < 2 {
		timeSig.Value = "time n/a"
		timeSig.Reason = "Fewer than two photos have a capture time: there is no spread to measure."
	} else {
		timeSig.Value = "time " + hours(gap)
		timeSig.Reason = fmt.Sprintf("The photos' capture times are at most %s apart, within %s.", hours(gap), a.p.MaxPhotoSpread)
	}
	out := []milepost.Signal{timeSig}
	far, a1, a2 := 0.0, "", ""
	for i := range points {
		for j := i + 1; j < len(points); j++ {
			if d := meters(points[i].lat, points[i].lng, points[j].lat, points[j].lng); d > far {
				far, a1, a2 = d, points[i].ref, points[j].ref
			}
		}
	}
	place := milepost.Signal{Analyzer: analyzerTamper, Name: signalPhotoSpread, Verdict: milepost.VerdictPass,
		Value: "distance " + strconv.FormatFloat(far, 'f', 0, 64) + "m"}
	switch {
	case len(points) < 2:
		place.Value = "distance n/a"
		place.Reason = "Fewer than two photos have a position: there is no spread to measure."
	case far > a.p.MaxPhotoSpreadMeters:
		place.Verdict, place.Fraud = milepost.VerdictHold, true
		place.Reason = fmt.Sprintf("%s and %s were taken %s apart; the limit is %s.", a1, a2, distance(far), distance(a.p.MaxPhotoSpreadMeters))
		place.Note = "The photos of this check-in were not taken at the same place; please take all of them again at the vehicle."
	default:
		place.Reason = fmt.Sprintf("The photos' positions are at most %s apart, within %s.", distance(far), distance(a.p.MaxPhotoSpreadMeters))
	}
	return append(out, place)
}

// recent reports whether recency accepts a photo's capture time.
func (a tamperAnalyzer) recent(in *milepost.VerificationInput, ph milepost.CheckinPhoto, ct captureTime) bool {
	var allowance time.Duration
	if ct.source == "exif-nozone" {
		allowance = time.Duration(a.p.ClockSkewNoZone)
	}
	ref := in.SubmittedAt
	if !ph.AttachedAt.IsZero() {
		ref = ph.AttachedAt
	}
	age := ref.Sub(ct.at)
	return age <= time.Duration(a.p.MaxPhotoAge)+allowance && -age <= time.Duration(a.p.MaxFutureSkew)+allowance
}

// photoPosition is where a photo was taken: its EXIF GPS, else what the app claimed.
func photoPosition(u *milepost.Upload) (lat, lng float64, ok bool) {
	if e := u.Media.EXIF; e.Latitude != nil && e.Longitude != nil {
		return *e.Latitude, *e.Longitude, true
	}
	if u.Latitude != nil && u.Longitude != nil {
		return *u.Latitude, *u.Longitude, true
	}
	return 0, 0, false
}

// meters is the great-circle distance between two points in degrees.
func meters(lat1, lng1, lat2, lng2 float64) float64 {
	return milepost.GreatCircleMiles(lat1, lng1, lat2, lng2) * milepost.KilometersPerMile * 1000
}

// distance writes meters for people: "850 m", "12.4 km".
func distance(m float64) string {
	if m < 1000 {
		return strconv.FormatFloat(math.Round(m), 'f', 0, 64) + " m"
	}
	return strconv.FormatFloat(m/1000, 'f', 1, 64) + " km"
}

// brands maps names seen in EXIF Make/Model and in apps' device fields to one maker.
var brands = []struct{ brand, names string }{
	{"apple", "apple iphone ipad"},
	{"samsung", "samsung galaxy sm-"},
	{"google", "google pixel"},
	{"xiaomi", "xiaomi redmi poco"},
	{"huawei", "huawei honor"},
	{"motorola", "motorola moto"},
	{"oneplus", "oneplus"},
	{"sony", "sony xperia"},
	{"lg", "lge lg-"},
	{"nokia", "nokia hmd"},
	{"oppo", "oppo realme"},
	{"vivo", "vivo"},
}

// brandOf names the maker of a device from its make and model strings ("" when unknown).
func brandOf(makeName, model string) string {
	s := strings.ToLower(makeName + " " + model)
	for _, b := range brands {
		for _, n := range strings.Fields(b.names) {
			if strings.HasPrefix(s, n) || strings.Contains(s, " "+n) {
				return b.brand
			}
		}
	}
	return ""
}

// deviceMismatch reports a photo whose camera maker (EXIF) is not the maker of the device the app
// reported taking it with.
func deviceMismatch(i int, ph milepost.CheckinPhoto) (milepost.Signal, bool) {
	u := ph.Upload
	camera := brandOf(u.Media.EXIF.Make, u.Media.EXIF.Model)
	device := brandOf(u.Device.Manufacturer, u.Device.Model)
	if camera == "" || device == "" || camera == device {
		return milepost.Signal{}, false
	}
	return milepost.Signal{Analyzer: analyzerTamper, Name: signalDeviceMismatch, Verdict: milepost.VerdictHold, Fraud: true,
		UploadID: ph.UploadID, Value: "exif=" + camera + " device=" + device,
		Reason: fmt.Sprintf("%s was taken with a %s %s (EXIF) but the app reported a %s %s device: the file may come from another phone.",
			photoRef(i, ph), u.Media.EXIF.Make, u.Media.EXIF.Model, u.Device.Manufacturer, u.Device.Model),
		Note: fmt.Sprintf("The %s photo does not come from this device; please take a new photo with the camera app.", roleLabel(ph))}, true
}
