package milepost_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestIRSRates(t *testing.T) {
	tests := []struct {
		day                        string
		business, medical, charity int
	}{
		{"2020-06-01", 575, 170, 140},
		{"2021-12-31", 560, 160, 140},
		{"2022-06-30", 585, 180, 140},
		{"2022-07-01", 625, 220, 140}, // the mid-year increase
		{"2023-03-15", 655, 220, 140},
		{"2024-03-15", 670, 210, 140},
		{"2025-11-01", 700, 210, 140},
		{"2026-06-30", 725, 205, 140},
		{"2026-07-01", 760, 235, 140},
	}
	for _, tt := range tests {
		r, ok := milepost.IRSRateOn(date(tt.day))
		if !ok || r.Business != tt.business || r.Medical != tt.medical || r.Charity != tt.charity {
			t.Errorf("%s: %+v %v", tt.day, r, ok)
		}
	}
	if _, ok := milepost.IRSRateOn(date("2019-12-31")); ok {
		t.Error("no rate is known before 2020")
	}
	cents := []struct {
		micro int64
		day   string
		want  int64
	}{
		{12_500_000, "2024-03-15", 838},   // 12.5 mi × 67¢ = 837.5 → 838
		{12_500_000, "2022-06-30", 731},   // × 58.5¢ = 731.25
		{12_500_000, "2022-07-01", 781},   // × 62.5¢ = 781.25
		{1_000_000, "2020-01-01", 58},     // 57.5 → 58
		{100_000_000, "2026-07-01", 7600}, // 100 mi × 76¢
	}
	for _, c := range cents {
		if got, _ := milepost.BusinessDeductionCents(c.micro, date(c.day)); got != c.want {
			t.Errorf("%d µmi on %s: %d cents, want %d", c.micro, c.day, got, c.want)
		}
	}
}

func TestDecimalMicro(t *testing.T) {
	for in, want := range map[string]int64{"12.5": 12_500_000, "0.000001": 1, "7": 7_000_000, ".5": 500_000, "1.0000005": 1_000_001, "3.14159265": 3_141_593} {
		got, err := milepost.ParseDecimalMicro("v", in)
		if err != nil || got != want {
			t.Errorf("ParseDecimalMicro(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "1e3", "abc", "1.2.3", "+5", "99999999999999"} {
		if _, err := milepost.ParseDecimalMicro("v", bad); milepost.ErrorReason(err) != milepost.ReasonInvalidFormat {
			t.Errorf("ParseDecimalMicro(%q): %v", bad, err)
		}
	}
	for v, want := range map[int64]string{12_500_000: "12.5", 7_000_000: "7", 1: "0.000001", 35_410_168: "35.410168"} {
		if got := milepost.FormatDecimalMicro(v); got != want {
			t.Errorf("FormatDecimalMicro(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestUnitsAndDistance(t *testing.T) {
	if milepost.ToKilometers(1, milepost.Miles) != 1.609344 || milepost.ToMiles(1.609344, milepost.Kilometers) != 1 {
		t.Fatal("1 mile is exactly 1.609344 km")
	}
	if milepost.ToMiles(10, milepost.Miles) != 10 || milepost.ToKilometers(10, milepost.Kilometers) != 10 {
		t.Fatal("same-unit conversions")
	}
	// The White House to Baltimore's Inner Harbor: about 35.4 miles as the crow flies.
	if d := milepost.GreatCircleMiles(38.8977, -77.0365, 39.2904, -76.6122); math.Abs(d-35.41) > 0.05 {
		t.Fatalf("great circle %.3f", d)
	}
	if d := milepost.GreatCircleMiles(0, 0, 0, 0); d != 0 {
		t.Fatalf("same point %f", d)
	}
}

func ptr[T any](v T) *T { return &v }

func TestApplyTrip(t *testing.T) {
	lat1, lng1, lat2, lng2 := 38.8977, -77.0365, 39.2904, -76.6122
	biz, personal := "BUSINESS", "NOT_BUSINESS"
	tr, err := milepost.ApplyTrip(nil, milepost.TripInput{Date: ptr(date("2024-03-15")), MileageStatus: &biz, DistanceMicro: ptr(int64(12_500_000)), DistanceUnit: milepost.Miles})
	if err != nil || tr.Status != "ACTIVE" || tr.DeductionCents != 838 || tr.DeductionSource != milepost.FromIRSRate || tr.IRSRateTenthCents != 670 {
		t.Fatalf("business trip %+v %v", tr, err)
	}
	// Kilometres: 20.1168 km = 12.5 mi.
	km, err := milepost.ApplyTrip(nil, milepost.TripInput{Date: ptr(date("2024-03-15")), MileageStatus: &biz, DistanceMicro: ptr(int64(20_116_800)), DistanceUnit: milepost.Kilometers})
	if err != nil || km.DeductionCents != 838 || math.Abs(km.DistanceMiles()-12.5) > 1e-9 {
		t.Fatalf("km trip %+v %v", km, err)
	}
	gc, err := milepost.ApplyTrip(nil, milepost.TripInput{Date: ptr(date("2024-03-15")), Start: &milepost.TripPoint{Lat: &lat1, Lng: &lng1}, End: &milepost.TripPoint{Lat: &lat2, Lng: &lng2}})
	if err != nil || gc.DistanceSource != milepost.FromGreatCircle || gc.MileageStatus != "PENDING" || gc.DeductionCents != 0 || gc.DeductionSource != milepost.FromNone {
		t.Fatalf("great-circle trip %+v %v", gc, err)
	}
	// NOT_BUSINESS is PERSONAL; re-classifying a business trip drops its deduction.
	up, err := milepost.ApplyTrip(tr, milepost.TripInput{MileageStatus: &personal})
	if err != nil || up.MileageStatus != "PERSONAL" || up.DeductionCents != 0 || up.DistanceMicro != 12_500_000 {
		t.Fatalf("reclassified %+v %v", up, err)
	}
	// A client's deduction is kept until distance, date or classification change.
	client, _ := milepost.ApplyTrip(nil, milepost.TripInput{Date: ptr(date("2024-03-15")), MileageStatus: &biz, DistanceMicro: ptr(int64(12_500_000)), DistanceUnit: milepost.Miles, DeductionCents: ptr(int64(6775))})
	notes, _ := milepost.ApplyTrip(client, milepost.TripInput{Notes: ptr("note")})
	moved, _ := milepost.ApplyTrip(client, milepost.TripInput{Date: ptr(date("2022-07-01"))})
	if client.DeductionCents != 6775 || notes.DeductionCents != 6775 || moved.DeductionCents != 781 {
		t.Fatalf("client deduction %d, after notes %d, after moving the date %d", client.DeductionCents, notes.DeductionCents, moved.DeductionCents)
	}
	errs := []struct {
		name   string
		in     milepost.TripInput
		reason string
		param  string
	}{
		{"no date", milepost.TripInput{DistanceMicro: ptr(int64(1)), DistanceUnit: milepost.Miles}, milepost.ReasonRequired, "date"},
		{"no distance", milepost.TripInput{Date: ptr(date("2024-01-01"))}, milepost.ReasonRequired, "distance"},
		{"bad mileage status", milepost.TripInput{Date: ptr(date("2024-01-01")), DistanceMicro: ptr(int64(1)), DistanceUnit: milepost.Miles, MileageStatus: ptr("MAYBE")}, milepost.ReasonInvalidValue, "mileageStatus"},
		{"too far", milepost.TripInput{Date: ptr(date("2024-01-01")), DistanceMicro: ptr(int64(20_000_000_000)), DistanceUnit: milepost.Miles}, milepost.ReasonInvalidValue, "distance"},
		{"lat without lng", milepost.TripInput{Date: ptr(date("2024-01-01")), DistanceMicro: ptr(int64(1)), DistanceUnit: milepost.Miles, Start: &milepost.TripPoint{Lat: &lat1}}, milepost.ReasonRequired, "start"},
		{"custom data not an object", milepost.TripInput{Date: ptr(date("2024-01-01")), DistanceMicro: ptr(int64(1)), DistanceUnit: milepost.Miles, CustomData: []byte(`[1]`)}, milepost.ReasonInvalidFormat, "customData"},
		{"custom data too long", milepost.TripInput{Date: ptr(date("2024-01-01")), DistanceMicro: ptr(int64(1)), DistanceUnit: milepost.Miles, CustomData: []byte(`{"a":"` + strings.Repeat("x", 2000) + `"}`)}, milepost.ReasonInvalidValue, "customData"},
	}
	for _, e := range errs {
		_, err := milepost.ApplyTrip(nil, e.in)
		if milepost.ErrorReason(err) != e.reason || milepost.ErrorParams(err)[0] != e.param {
			t.Errorf("%s: %v", e.name, err)
		}
	}
	many := `{` + strings.TrimSuffix(strings.Repeat(`"k":1,`, 1), ",")
	for i := 0; i < 50; i++ {
		many += `,"k` + string(rune('A'+i%26)) + string(rune('a'+i/26)) + `":1`
	}
	many += `}`
	if _, err := milepost.ValidateCustomData("customData", []byte(many)); milepost.ErrorReason(err) != milepost.ReasonInvalidValue {
		t.Errorf("51 fields: %v", err)
	}
}

func TestMarkRollbacksAndMileageLog(t *testing.T) {
	at := func(s string) time.Time { return date(s) }
	rd := func(source, day string, v float64, u milepost.DistanceUnit) milepost.OdometerReading {
		return milepost.OdometerReading{Source: source, SourceID: day, At: at(day), Value: v, Unit: u, Miles: milepost.ToMiles(v, u), Km: milepost.ToKilometers(v, u)}
	}
	h := &milepost.OdometerHistory{VIN: "1HGCM82633A004352", Readings: []milepost.OdometerReading{
		rd(milepost.SourceMileageCheckin, "2024-06-01", 15000, milepost.Miles),
		rd(milepost.SourceCarYearStart, "2024-01-01", 12000, milepost.Miles),
		rd(milepost.SourceRegistration, "2024-03-01", 19312.128, milepost.Kilometers), // 12000 mi: equal is not a rollback
		rd(milepost.SourceRegistration, "2024-08-01", 16093.44, milepost.Kilometers),  // 10000 mi: a rollback
		rd(milepost.SourceMileageCheckin, "2024-12-20", 21000, milepost.Miles),
		rd(milepost.SourceCarYearStart, "2025-01-01", 21500, milepost.Miles),
	}}
	milepost.MarkRollbacks(h.Readings)
	var rollbacks []string
	for _, r := range h.Readings {
		if r.Rollback {
			rollbacks = append(rollbacks, r.SourceID)
		}
	}
	if len(rollbacks) != 1 || rollbacks[0] != "2024-08-01" || h.Readings[0].SourceID != "2024-01-01" {
		t.Fatalf("rollbacks %v in %v", rollbacks, h.Readings)
	}
	trip := func(day, status string, micro int64, cents int64) *milepost.Trip {
		return &milepost.Trip{ID: "mlg_" + day, Date: at(day), Status: "ACTIVE", MileageStatus: status, DistanceMicro: micro, DistanceUnit: milepost.Miles, DeductionCents: cents, Description: "visit " + day}
	}
	trips := []*milepost.Trip{
		trip("2024-05-02", "BUSINESS", 1_200_500_000, 80434),
		trip("2024-02-10", "BUSINESS", 800_000_000, 53600),
		trip("2024-03-03", "PERSONAL", 500_000_000, 0),
		trip("2023-12-31", "BUSINESS", 10_000_000, 670),
	}
	l := milepost.BuildMileageLog(h.VIN, 2024, h, trips)
	if l.Start == nil || l.Start.Reading.Miles != 12000 || !strings.Contains(l.Start.Basis, "start of the year") ||
		l.End == nil || l.End.Reading.Miles != 21500 || !strings.Contains(l.End.Basis, "next year") {
		t.Fatalf("ends %+v %+v", l.Start, l.End)
	}
	if l.TotalMiles != 9500 || l.BusinessMiles != 2000.5 || l.DeductionCents != 134034 || len(l.BusinessTrips) != 2 ||
		l.BusinessTrips[0].Date != at("2024-02-10") || l.BusinessUsePercent != 21.06 {
		t.Fatalf("log %+v", l)
	}
	var buf bytes.Buffer
	if err := l.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	csv := buf.String()
	for _, want := range []string{"Mileage log,1HGCM82633A004352,2024", "Start odometer,12000.00,mi,2024-01-01", "Total miles,9500.00", "Business use %,21.06",
		"Total deduction (USD),1340.34", "2024-02-10,visit 2024-02-10,800.00,536.00"} {
		if !strings.Contains(csv, want) {
			t.Errorf("CSV lacks %q:\n%s", want, csv)
		}
	}
	// Without car readings: first and last verified readings of the year.
	h2 := &milepost.OdometerHistory{Readings: []milepost.OdometerReading{rd(milepost.SourceMileageCheckin, "2024-02-01", 100, milepost.Miles), rd(milepost.SourceMileageCheckin, "2024-11-01", 5100, milepost.Miles)}}
	l2 := milepost.BuildMileageLog("V", 2024, h2, nil)
	if l2.TotalMiles != 5000 || !strings.Contains(l2.Start.Basis, "first verified") || !strings.Contains(l2.End.Basis, "last verified") {
		t.Fatalf("log without car readings %+v", l2)
	}
	if l3 := milepost.BuildMileageLog("V", 2019, &milepost.OdometerHistory{}, nil); l3.Start != nil || l3.TotalMiles != 0 {
		t.Fatalf("empty log %+v", l3)
	}
}
