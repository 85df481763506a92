package verify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/verify"
)

// submitted is when the runs under test were submitted; every age is measured against it.
var submitted = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// ago returns the instant d before submitted.
func ago(d time.Duration) time.Time { return submitted.Add(-d) }

// exif is an upload whose file carries a capture time with a zone; the app claimed the same.
func exif(t time.Time) *milepost.Upload {
	return &milepost.Upload{ID: "u", Kind: milepost.UploadPhoto, TakenOn: &t,
		Media: milepost.Media{ContentType: "image/jpeg", Width: 4000, Height: 3000,
			EXIF: milepost.EXIF{TakenAt: &t, TakenAtHasZone: true, Make: "Apple", Model: "iPhone 13 Pro Max"}}}
}

// exifNoZone is an upload whose EXIF time has no offset (local wall clock read as UTC) and
// whose app claimed no time.
func exifNoZone(t time.Time) *milepost.Upload {
	u := exif(t)
	u.Media.EXIF.TakenAtHasZone = false
	u.TakenOn = nil
	return u
}

// claimed is an upload without EXIF time whose app claimed takenOn t.
func claimed(t time.Time) *milepost.Upload {
	return &milepost.Upload{ID: "u", Kind: milepost.UploadPhoto, TakenOn: &t,
		Media: milepost.Media{ContentType: "image/png", Width: 800, Height: 600}}
}

// timeless is an upload with no capture time at all.
func timeless() *milepost.Upload {
	return &milepost.Upload{ID: "u", Kind: milepost.UploadPhoto, Media: milepost.Media{ContentType: "image/png"}}
}

// pdf is an uploaded PDF document: no EXIF, no takenOn.
func pdf() *milepost.Upload {
	return &milepost.Upload{ID: "u", Kind: milepost.UploadFile, Media: milepost.Media{ContentType: "application/pdf"}}
}

func photo(role milepost.PhotoRole, kind string, u *milepost.Upload) milepost.CheckinPhoto {
	return milepost.CheckinPhoto{UploadID: "up-" + string(role) + kind, Role: role, Kind: kind, Upload: u}
}

func invalid(ph milepost.CheckinPhoto) milepost.CheckinPhoto {
	ph.MarkedInvalidByReview = true
	return ph
}

// mileage is a mileage run of vehicle plate ABC123 with the given photos, created at
// submitted, reading 12,000 miles, with no previous confirmed check-in.
func mileage(photos ...milepost.CheckinPhoto) *milepost.VerificationInput {
	return &milepost.VerificationInput{
		Checkin: &milepost.Checkin{ID: "c1", Type: milepost.CheckinMileage, Status: milepost.StatusPending, VehicleID: "v1",
			License: "ABC123", State: "CA", Mileage: 12000, Photos: photos, Run: 1, CreatedAt: submitted},
		Vehicle:     &milepost.Vehicle{ID: "v1", License: "ABC123", State: "CA"},
		SubmittedAt: submitted,
	}
}

// freshMileage is a mileage run whose two photos were taken an hour ago.
func freshMileage() *milepost.VerificationInput {
	return mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour))))
}

// condition is a condition run with one fresh photo per given angle.
func condition(angles ...string) *milepost.VerificationInput {
	var photos []milepost.CheckinPhoto
	for _, a := range angles {
		photos = append(photos, photo(milepost.RoleAngle, a, exif(ago(2*time.Hour))))
	}
	return &milepost.VerificationInput{
		Checkin: &milepost.Checkin{ID: "c2", Type: milepost.CheckinCondition, Status: milepost.StatusPending,
			Photos: photos, Run: 1, CreatedAt: submitted},
		Vehicle:     &milepost.Vehicle{ID: "v1", License: "ABC123"},
		SubmittedAt: submitted,
	}
}

// address is a proof-of-address run with the given evidence and no vehicle.
func address(photos ...milepost.CheckinPhoto) *milepost.VerificationInput {
	return &milepost.VerificationInput{
		Checkin: &milepost.Checkin{ID: "c3", Type: milepost.CheckinProofOfAddress, Status: milepost.StatusPending,
			DocumentType: "UtilityBill", AddressType: "Apartment", Photos: photos, Run: 1, CreatedAt: submitted},
		SubmittedAt: submitted,
	}
}

// withPrevious sets the vehicle's previous confirmed mileage reading, made before the run.
func withPrevious(in *milepost.VerificationInput, miles int64, before time.Duration) *milepost.VerificationInput {
	in.PreviousConfirmed = &milepost.Checkin{ID: "c0", Type: milepost.CheckinMileage, Status: milepost.StatusConfirmed,
		Mileage: miles, CreatedAt: in.Checkin.CreatedAt.Add(-before)}
	return in
}

// signalsNamed returns the decision's signals with that analyzer and name.
func signalsNamed(d milepost.Decision, analyzer, name string) []milepost.Signal {
	var out []milepost.Signal
	for _, s := range d.Signals {
		if s.Analyzer == analyzer && s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// dump formats signals for failure messages.
func dump(signals []milepost.Signal) string {
	var b strings.Builder
	for _, s := range signals {
		b.WriteString("\n  " + s.Analyzer + "/" + s.Name + " [" + string(s.Verdict) + "] " + s.Value + " — " + s.Reason)
		if s.Note != "" {
			b.WriteString(" | note: " + s.Note)
		}
	}
	return b.String()
}

func mustVerify(t *testing.T, e *verify.Engine, in *milepost.VerificationInput) milepost.Decision {
	t.Helper()
	d, err := e.Verify(context.Background(), in)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return d
}
