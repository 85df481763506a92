package console

import (
	"testing"
	"time"

	"github.com/milepost/milepost"
)

func TestPhotoEvidence(t *testing.T) {
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	lat, lng, near, far := 30.2672, -97.7431, 30.2700, 31.0
	upload := func(exifAt time.Time, zone bool, exifLat float64) *milepost.Upload {
		return &milepost.Upload{TakenOn: &at, Latitude: &lat, Longitude: &lng,
			Media: milepost.Media{ContentType: "image/jpeg", EXIF: milepost.EXIF{TakenAt: &exifAt, TakenAtHasZone: zone, Latitude: &exifLat, Longitude: &lng}}}
	}
	tests := []struct {
		name                 string
		upload               *milepost.Upload
		signals              []milepost.Signal
		timeBad, placeBad    bool
		timeGap, placeGap    string
		fileTime, fileClaims string
	}{
		{"matching", upload(at.Add(2*time.Minute), true, near), nil, false, false, "2 min apart", "311 m apart", "2026-05-01 12:02 UTC", "2026-05-01 12:00 UTC"},
		{"time off", upload(at.Add(-3*time.Hour), true, near), nil, true, false, "3 h 0 min apart", "311 m apart", "2026-05-01 09:00 UTC", ""},
		{"camera time without zone: 5 h is a time zone", upload(at.Add(5*time.Hour), false, near), nil, false, false, "5 h 0 min apart", "",
			"2026-05-01 17:00 (camera's local time, zone unknown)", ""},
		{"camera time without zone: 3 days is not", upload(at.AddDate(0, 0, -3), false, near), nil, true, false, "3 days 0 h apart", "", "", ""},
		{"place off", upload(at, true, far), nil, false, true, "", "81 km apart", "", ""},
		{"the signal decides too", upload(at, true, near), []milepost.Signal{{Name: "claimed_mismatch", UploadID: "u", Verdict: milepost.VerdictHold, Value: "time 0.5 hours"}},
			true, false, "", "", "", ""},
		{"a passing signal does not", upload(at, true, near), []milepost.Signal{{Name: "claimed_mismatch", UploadID: "u", Verdict: milepost.VerdictPass, Value: "none"}},
			false, false, "", "", "", ""},
		{"nothing in the file", &milepost.Upload{TakenOn: &at, Media: milepost.Media{ContentType: "image/jpeg"}}, nil, false, false, "", "", "not in the file", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &milepost.Checkin{Photos: []milepost.CheckinPhoto{{UploadID: "u", Role: milepost.RoleOdometer, Upload: tt.upload}}}
			v := viewPhotos(c, tt.signals, nil)[0]
			if v.TimeMismatch != tt.timeBad || v.PlaceMismatch != tt.placeBad {
				t.Errorf("mismatch time %v place %v, want %v %v", v.TimeMismatch, v.PlaceMismatch, tt.timeBad, tt.placeBad)
			}
			for _, c := range []struct{ got, want string }{{v.TimeGap, tt.timeGap}, {v.PlaceGap, tt.placeGap}, {v.FileTime, tt.fileTime}, {v.ClaimedTime, tt.fileClaims}} {
				if c.want != "" && c.got != c.want {
					t.Errorf("got %q, want %q", c.got, c.want)
				}
			}
		})
	}
}

func TestPreviousPhoto(t *testing.T) {
	prev := &milepost.Checkin{ID: "prev", Photos: []milepost.CheckinPhoto{
		{UploadID: "p-front", Role: milepost.RoleAngle, Kind: "Front"},
		{UploadID: "p-back", Role: milepost.RoleAngle, Kind: "Back"},
		{UploadID: "p-odo", Role: milepost.RoleOdometer},
	}}
	tests := []struct {
		photo milepost.CheckinPhoto
		want  string
	}{
		{milepost.CheckinPhoto{Role: milepost.RoleAngle, Kind: "Back"}, "/console/photos/p-back"},
		{milepost.CheckinPhoto{Role: milepost.RoleOdometer}, "/console/photos/p-odo"},
		{milepost.CheckinPhoto{Role: milepost.RoleAngle, Kind: "DriverSide"}, ""},
		{milepost.CheckinPhoto{Role: milepost.RoleLicense}, ""},
	}
	for _, tt := range tests {
		got := previousOf(tt.photo, prev)
		if (got == nil && tt.want != "") || (got != nil && (got.URL != tt.want || got.CheckinID != "prev")) {
			t.Errorf("previousOf(%s %s) = %+v, want %q", tt.photo.Role, tt.photo.Kind, got, tt.want)
		}
	}
	if previousOf(prev.Photos[0], nil) != nil {
		t.Error("a photo without a previous check-in has a counterpart")
	}
}

func TestLabelsAndNumbers(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{photoLabel(milepost.CheckinPhoto{Role: milepost.RoleAngle, Kind: "DriverSideFront"}), "Driver side front"},
		{photoLabel(milepost.CheckinPhoto{Role: milepost.RoleHome, Kind: "FrontView"}), "Home: front view"},
		{photoLabel(milepost.CheckinPhoto{Role: milepost.RoleDocument, Kind: "CAMERA"}), "Document: camera"},
		{dollars(200), "$2.00"}, {dollars(123456789), "$1,234,567.89"}, {dollars(-5), "-$0.05"},
		{number(int64(1234567)), "1,234,567"}, {number(999.6), "1,000"}, {number(-12000), "-12,000"},
		{duration(45 * time.Second), "45 s"}, {duration(50 * time.Hour), "2 days 2 h"},
		{distance(850.4), "850 m"}, {distance(293095), "293 km"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
