package console

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/milepost/milepost"
)

// Gaps between what a photo's file says and what the app claimed that the page highlights even
// before verification has run. They are the verification policy's defaults
// (docs/verification.md: maxClaimedTimeSkew, clockSkewNoZone, maxClaimedDistanceMeters); a
// claimed_mismatch signal, computed with the server's actual policy, highlights as well.
const (
	notableTimeGap   = 10 * time.Minute
	noZoneAllowance  = 14 * time.Hour
	notablePlaceGapM = 1000.0
)

// photoView is one photo or document of a check-in as the page shows it.
type photoView struct {
	UploadID string
	URL      string
	Label    string
	Alt      string
	PDF      bool
	Size     string // "3024 × 4032 px", "" when unknown
	Invalid  bool
	Damage   bool

	FileTime, ClaimedTime   string
	TimeGap                 string
	TimeMismatch            bool
	FilePlace, ClaimedPlace string
	PlaceGap                string
	PlaceMismatch           bool
	Camera                  string // EXIF make and model
	Software                string // EXIF software
	Device                  string // what the app reported

	// Signals are the signals about this photo that did not pass.
	Signals  []signalView
	Previous *previousPhoto
}

// previousPhoto is the same angle (or the odometer, the plate…) in the previous confirmed
// check-in.
type previousPhoto struct {
	URL       string
	Label     string
	PDF       bool
	Taken     string
	CheckinID string
}

// viewPhotos describes each photo of a check-in with its capture time and place from the file
// and as claimed, the signals about it, and its counterpart in prev (nil when none).
func viewPhotos(c *milepost.Checkin, signals []milepost.Signal, prev *milepost.Checkin) []photoView {
	out := make([]photoView, 0, len(c.Photos))
	for _, p := range c.Photos {
		v := photoView{UploadID: p.UploadID, URL: photoURL(p.UploadID), Label: photoLabel(p),
			Invalid: p.MarkedInvalidByReview, Damage: p.DamageDetected}
		v.Alt = v.Label + " photo"
		if u := p.Upload; u != nil {
			describeUpload(&v, u)
		}
		for _, s := range signals {
			if s.UploadID != p.UploadID {
				continue
			}
			if s.Name == "claimed_mismatch" && s.Verdict != milepost.VerdictPass {
				v.TimeMismatch = v.TimeMismatch || strings.HasPrefix(s.Value, "time")
				v.PlaceMismatch = v.PlaceMismatch || strings.HasPrefix(s.Value, "distance")
			}
			if s.Verdict != milepost.VerdictPass {
				att, _ := viewSignals([]milepost.Signal{s}, nil)
				v.Signals = append(v.Signals, att...)
			}
		}
		v.Previous = previousOf(p, prev)
		out = append(out, v)
	}
	return out
}

// describeUpload fills what the file says and what the app claimed, and their gaps.
func describeUpload(v *photoView, u *milepost.Upload) {
	m := u.Media
	v.PDF = m.ContentType == "application/pdf"
	if m.Width > 0 && m.Height > 0 {
		v.Size = fmt.Sprintf("%d × %d px", m.Width, m.Height)
	}
	x := m.EXIF
	v.FileTime, v.ClaimedTime = "not in the file", "not reported"
	if x.TakenAt != nil {
		v.FileTime = when(*x.TakenAt)
		if !x.TakenAtHasZone {
			v.FileTime = x.TakenAt.UTC().Format("2006-01-02 15:04") + " (camera's local time, zone unknown)"
		}
	}
	if u.TakenOn != nil {
		v.ClaimedTime = when(*u.TakenOn)
	}
	if x.TakenAt != nil && u.TakenOn != nil {
		gap := x.TakenAt.Sub(*u.TakenOn).Abs()
		v.TimeGap = duration(gap) + " apart"
		allowed := notableTimeGap
		if !x.TakenAtHasZone {
			allowed += noZoneAllowance
		}
		v.TimeMismatch = gap > allowed
	}
	v.FilePlace, v.ClaimedPlace = "not in the file", "not reported"
	if x.Latitude != nil && x.Longitude != nil {
		v.FilePlace = place(*x.Latitude, *x.Longitude)
	}
	if u.Latitude != nil && u.Longitude != nil {
		v.ClaimedPlace = place(*u.Latitude, *u.Longitude)
	}
	if x.Latitude != nil && x.Longitude != nil && u.Latitude != nil && u.Longitude != nil {
		meters := milepost.GreatCircleMiles(*x.Latitude, *x.Longitude, *u.Latitude, *u.Longitude) * milepost.KilometersPerMile * 1000
		v.PlaceGap = distance(meters) + " apart"
		v.PlaceMismatch = meters > notablePlaceGapM
	}
	v.Camera = strings.TrimSpace(x.Make + " " + x.Model)
	v.Software = x.Software
	d := u.Device
	v.Device = strings.TrimSpace(strings.Join(nonEmpty(d.Manufacturer, d.Model, d.OS), " "))
	if d.Identifier != "" {
		v.Device = strings.TrimSpace(v.Device + " (id " + d.Identifier + ")")
	}
}

// previousOf finds p's counterpart in prev: the photo with the same role and kind.
func previousOf(p milepost.CheckinPhoto, prev *milepost.Checkin) *previousPhoto {
	if prev == nil {
		return nil
	}
	for _, q := range prev.Photos {
		if q.Role != p.Role || q.Kind != p.Kind {
			continue
		}
		pp := &previousPhoto{URL: photoURL(q.UploadID), Label: photoLabel(q), CheckinID: prev.ID, Taken: "capture time unknown"}
		if u := q.Upload; u != nil {
			pp.PDF = u.Media.ContentType == "application/pdf"
			switch {
			case u.Media.EXIF.TakenAt != nil:
				pp.Taken = "taken " + when(*u.Media.EXIF.TakenAt)
			case u.TakenOn != nil:
				pp.Taken = "taken " + when(*u.TakenOn) + " (as reported)"
			}
		}
		return pp
	}
	return nil
}

func photoURL(uploadID string) string { return "/console/photos/" + uploadID }

// photoLabel names a photo as reviewers speak of it: "Odometer", "Driver side front",
// "Home: front view", "Document: camera".
func photoLabel(p milepost.CheckinPhoto) string {
	switch p.Role {
	case milepost.RoleLicense:
		return "License plate"
	case milepost.RoleOdometer:
		return "Odometer"
	case milepost.RoleAngle:
		return words(p.Kind)
	case milepost.RoleHome:
		return "Home: " + strings.ToLower(words(p.Kind))
	case milepost.RoleDocument:
		return "Document: " + strings.ToLower(p.Kind)
	}
	return words(string(p.Role))
}

// words splits a CamelCase name: "DriverSideFront" → "Driver side front".
func words(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func place(lat, lng float64) string { return fmt.Sprintf("%.5f, %.5f", lat, lng) }

// duration writes a gap the way people say it: "45 s", "12 min", "3 h 12 min", "2 days 4 h".
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d days %d h", int(d.Hours())/24, int(d.Hours())%24)
}

func distance(m float64) string {
	if m < 1000 {
		return fmt.Sprintf("%d m", int(math.Round(m)))
	}
	return number(m/1000) + " km"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
