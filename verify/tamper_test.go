package verify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/verify"
)

func ptr[T any](v T) *T { return &v }

// at places an upload's EXIF and claimed positions.
func at(u *milepost.Upload, exifLat, exifLng, claimLat, claimLng float64) *milepost.Upload {
	u.Media.EXIF.Latitude, u.Media.EXIF.Longitude = ptr(exifLat), ptr(exifLng)
	u.Latitude, u.Longitude = ptr(claimLat), ptr(claimLng)
	return u
}

func TestTamper(t *testing.T) {
	edited := exif(ago(time.Hour))
	edited.Media.EXIF.Software = "Adobe Photoshop CC 2019 (Macintosh)"
	camera := exif(ago(time.Hour))
	camera.Media.EXIF.Software = "17.1.2" // what iPhones write
	claimLate := exif(ago(time.Hour))
	claimLate.TakenOn = ptr(ago(time.Hour - 30*time.Minute))
	noZone := exifNoZone(ago(time.Hour))
	noZone.TakenOn = ptr(ago(time.Hour + 5*time.Hour)) // a 5-hour time zone offset: allowed
	samsung := exif(ago(time.Hour))
	samsung.Device = milepost.Device{Identifier: "d1", Manufacturer: "samsung", Model: "SM-S918B"}
	apple := exif(ago(time.Hour))
	apple.Device = milepost.Device{Identifier: "d1", Manufacturer: "Apple", Model: "iPhone15,3"}
	unknown := exif(ago(time.Hour))
	unknown.Device = milepost.Device{Manufacturer: "Fairphone", Model: "FP5"}

	austin, dallas := [2]float64{30.2672, -97.7431}, [2]float64{32.7767, -96.7970}
	tests := []struct {
		name   string
		in     *milepost.VerificationInput
		status milepost.CheckinStatus
		fraud  bool
		signal string // the holding signal ("" when none holds)
		value  string
		note   string
	}{
		{"clean", freshMileage(), milepost.StatusConfirmed, false, "", "", ""},
		{"a phone's version number is not an editor", mileage(photo(milepost.RoleLicense, "", camera), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			milepost.StatusConfirmed, false, "", "", ""},
		{"saved by Photoshop", mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", edited)),
			milepost.StatusOnHold, true, "editing_software", "Adobe Photoshop CC 2019 (Macintosh)",
			"The odometer photo was edited; please take a new photo with the camera app."},
		{"EXIF time 30 minutes from the claim", mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", claimLate)),
			milepost.StatusOnHold, true, "claimed_mismatch", "time 0.5 hours",
			"The odometer photo's capture time does not match the time reported by the app; please take a new photo with the camera app."},
		{"EXIF time without zone 5 hours from the claim", mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", noZone)),
			milepost.StatusConfirmed, false, "", "", ""},
		{"EXIF GPS in Dallas, app says Austin", mileage(photo(milepost.RoleLicense, "", at(exif(ago(time.Hour)), dallas[0], dallas[1], austin[0], austin[1])),
			photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			milepost.StatusOnHold, true, "claimed_mismatch", "distance 293095m",
			"The license plate photo's location does not match the location reported by the app; please take a new photo with the camera app."},
		{"GPS 300 m from the claim", mileage(photo(milepost.RoleLicense, "", at(exif(ago(time.Hour)), austin[0], austin[1], austin[0]+0.0027, austin[1])),
			photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))), milepost.StatusConfirmed, false, "", "", ""},
		{"iPhone file from a Samsung device", mileage(photo(milepost.RoleLicense, "", samsung), photo(milepost.RoleOdometer, "", apple)),
			milepost.StatusOnHold, true, "device_mismatch", "exif=apple device=samsung",
			"The license plate photo does not come from this device; please take a new photo with the camera app."},
		{"unknown device maker is not compared", mileage(photo(milepost.RoleLicense, "", unknown), photo(milepost.RoleOdometer, "", apple)),
			milepost.StatusConfirmed, false, "", "", ""},
		{"photos 20 hours apart", mileage(photo(milepost.RoleLicense, "", exif(ago(21*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			milepost.StatusOnHold, true, "photo_spread", "time 20.0 hours",
			"The photos of this check-in were not taken at the same time; please take all of them again now."},
		{"photos in two cities", mileage(photo(milepost.RoleLicense, "", at(exif(ago(time.Hour)), austin[0], austin[1], austin[0], austin[1])),
			photo(milepost.RoleOdometer, "", at(exif(ago(time.Hour)), dallas[0], dallas[1], dallas[0], dallas[1]))),
			milepost.StatusOnHold, true, "photo_spread", "distance 293095m",
			"The photos of this check-in were not taken at the same place; please take all of them again at the vehicle."},
	}
	e := verify.New(verify.DefaultPolicy())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustVerify(t, e, tt.in)
			if d.Status != tt.status || d.Fraud != tt.fraud || d.AdminNote != tt.note {
				t.Fatalf("%s fraud=%v %q, want %s fraud=%v %q:%s", d.Status, d.Fraud, d.AdminNote, tt.status, tt.fraud, tt.note, dump(d.Signals))
			}
			if tt.signal == "" {
				return
			}
			for _, s := range signalsNamed(d, "tamper", tt.signal) {
				if s.Verdict == milepost.VerdictHold {
					if s.Value != tt.value || s.Reason == "" {
						t.Fatalf("signal %+v, want value %s", s, tt.value)
					}
					return
				}
			}
			t.Fatalf("no holding %s signal:%s", tt.signal, dump(d.Signals))
		})
	}
}

// deviceCounts is a DeviceStats of fixed counts.
type deviceCounts map[string]int

func (c deviceCounts) DeviceUsers(_ context.Context, id string) (int, error) {
	if id == "broken" {
		return 0, errors.New("database is down")
	}
	return c[id], nil
}

func TestDeviceAnalyzer(t *testing.T) {
	withDevice := func(ids ...string) *milepost.VerificationInput {
		in := freshMileage()
		for i, id := range ids {
			in.Checkin.Photos[i].Upload.Device.Identifier = id
		}
		return in
	}
	stats := deviceCounts{"shared": 9, "own": 1}
	e := verify.New(verify.DefaultPolicy(), verify.NewDeviceAnalyzer(verify.DefaultPolicy(), stats))
	d := mustVerify(t, e, withDevice("own", "own"))
	if s := signalsNamed(d, "device", "shared_device"); d.Status != milepost.StatusConfirmed || len(s) != 1 || s[0].Value != "own users=1" {
		t.Fatalf("own device: %s%s", d.Status, dump(d.Signals))
	}
	d = mustVerify(t, e, withDevice("own", "shared"))
	if s := signalsNamed(d, "device", "shared_device"); d.Status != milepost.StatusOnHold || !d.Fraud || len(s) != 2 || s[1].Verdict != milepost.VerdictHold ||
		!strings.Contains(s[1].Reason, "9 users") {
		t.Fatalf("shared device: %s%s", d.Status, dump(d.Signals))
	}
	d = mustVerify(t, e, freshMileage())
	if s := signalsNamed(d, "device", "shared_device"); len(s) != 1 || s[0].Value != "none" {
		t.Fatalf("no device: %s", dump(d.Signals))
	}
	if _, err := e.Verify(context.Background(), withDevice("broken")); err == nil || !strings.Contains(err.Error(), "analyzer device: count users of device broken: database is down") {
		t.Fatalf("a failing store must fail the run: %v", err)
	}
}

func TestVelocityAcrossRollover(t *testing.T) {
	in := withPrevious(freshMileage(), 99_950, 48*time.Hour)
	in.Checkin.Mileage, in.Checkin.OdometerOffset = 120, 100_000
	d := mustVerify(t, verify.New(verify.DefaultPolicy()), in)
	roll := signalsNamed(d, "velocity", "odometer_rollover")
	rate := signalsNamed(d, "velocity", "miles_per_day")
	if d.Status != milepost.StatusConfirmed || len(roll) != 1 || roll[0].Value != "100000" || len(rate) != 1 || rate[0].Value != "85.0" {
		t.Fatalf("%s:%s", d.Status, dump(d.Signals))
	}
}
