package milepost_test

import (
	"testing"
	"time"

	"github.com/milepost/milepost"
)

func TestNextCheckin(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	tests := []struct {
		name     string
		last     *time.Time
		days     int
		unlocked bool
		daysLeft int64
	}{
		{"no check-in yet", nil, 30, true, 0},
		{"yesterday, 30-day cadence", at(-24 * time.Hour), 30, false, 29},
		{"exactly a cadence ago", at(-30 * 24 * time.Hour), 30, true, 0},
		{"an hour short of the cadence", at(-(30*24 - 1) * time.Hour), 30, false, 1},
		{"no cadence", at(-time.Minute), 0, true, 0},
	}
	for _, tt := range tests {
		unlocked, unlockAt, left := milepost.NextCheckin(tt.last, tt.days, now)
		if unlocked != tt.unlocked || left != tt.daysLeft || (tt.last == nil) != (unlockAt == nil) {
			t.Errorf("%s: unlocked=%v at=%v left=%d", tt.name, unlocked, unlockAt, left)
		}
	}
	if milepost.DefaultCadence.Days(milepost.CheckinMileage) != 30 || milepost.DefaultCadence.Days(milepost.CheckinCondition) != 90 ||
		milepost.DefaultCadence.Days(milepost.CheckinProofOfAddress) != 365 {
		t.Fatal("default cadence")
	}
	if (milepost.Cadence{MileageDays: -1}).Validate() == nil || (milepost.Cadence{ConditionDays: 4000}).Validate() == nil {
		t.Fatal("cadence bounds")
	}
}

func ref(id, kind string) milepost.EvidenceRef { return milepost.EvidenceRef{UploadID: id, Kind: kind} }

func TestCheckinInputs(t *testing.T) {
	lat, lon := 30.0, -97.0
	four := []milepost.EvidenceRef{ref("1", "Front"), ref("2", "Back"), ref("3", "DriverSide"), ref("4", "PassengerSide")}
	tests := []struct {
		name  string
		err   error
		param string // "" = valid
	}{
		{"mileage ok", second(milepost.NewMileageCheckin{VehicleID: "v", LicensePlate: "a b", Mileage: 1, LicensePhotos: []milepost.EvidenceRef{ref("1", "")}, OdometerPhotos: []milepost.EvidenceRef{ref("2", "")}}.Validate(true)), ""},
		{"mileage too high", second(milepost.NewMileageCheckin{VehicleID: "v", LicensePlate: "A", Mileage: milepost.MaxMileage + 1}.Validate(true)), "mileage"},
		{"mileage without odometer", second(milepost.NewMileageCheckin{VehicleID: "v", LicensePlate: "A", Mileage: 5, LicensePhotos: []milepost.EvidenceRef{ref("1", "")}}.Validate(true)), "odometerPhotos"},
		{"mileage update keeps photos", second(milepost.NewMileageCheckin{LicensePlate: "A", Mileage: 5}.Validate(false)), ""},
		{"same upload twice", second(milepost.NewMileageCheckin{VehicleID: "v", LicensePlate: "A", Mileage: 5, LicensePhotos: []milepost.EvidenceRef{ref("1", "")}, OdometerPhotos: []milepost.EvidenceRef{ref("1", "")}}.Validate(true)), "odometerPhotos"},
		{"condition ok", second(milepost.NewConditionCheckin{VehicleID: "v", Photos: four}.Validate(true)), ""},
		{"condition bad angle", second(milepost.NewConditionCheckin{VehicleID: "v", Photos: []milepost.EvidenceRef{ref("1", "Roof")}}.Validate(true)), "photos"},
		{"condition missing angle", milepost.CheckAngles(four[:3]), "photos"},
		{"condition all angles", milepost.CheckAngles(four), ""},
		{"address ok", second(milepost.NewAddressCheckin{UserID: "u", DocumentType: "PhoneBill", Latitude: &lat, Longitude: &lon, Documents: []milepost.EvidenceRef{ref("1", "GALLERY")}}.Validate(true)), ""},
		{"address no evidence", second(milepost.NewAddressCheckin{UserID: "u", DocumentType: "PhoneBill", Latitude: &lat, Longitude: &lon}.Validate(true)), "documents"},
		{"address no latitude", second(milepost.NewAddressCheckin{UserID: "u", DocumentType: "PhoneBill", Longitude: &lon}.Validate(true)), "latitude"},
	}
	for _, tt := range tests {
		if tt.param == "" {
			if tt.err != nil {
				t.Errorf("%s: %v", tt.name, tt.err)
			}
			continue
		}
		if ps := milepost.ErrorParams(tt.err); len(ps) == 0 || ps[0] != tt.param {
			t.Errorf("%s: %v, want an error naming %s", tt.name, tt.err, tt.param)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestCheckinFilterValidate(t *testing.T) {
	f, err := milepost.CheckinFilter{Type: milepost.CheckinMileage}.Validate()
	if err != nil || f.SortBy != "dateCheckedIn" || f.SortDirection != milepost.SortDesc || f.Size != milepost.DefaultPageSize {
		t.Fatalf("defaults %+v %v", f, err)
	}
	for _, bad := range []milepost.CheckinFilter{
		{Type: "car"},
		{Type: milepost.CheckinMileage, SortBy: "mileage"},
		{Type: milepost.CheckinMileage, Status: "Lost"},
		{Type: milepost.CheckinMileage, SearchBy: "city", SearchValue: "x"},
		{Type: milepost.CheckinProofOfAddress, SearchBy: "vin", SearchValue: "x"},
		{Type: milepost.CheckinCondition, SearchBy: "id"},
	} {
		if _, err := bad.Validate(); milepost.ErrorCode(err) != milepost.CodeInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
