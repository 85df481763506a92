package verify_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/verify"
)

// want is one signal a case expects (value: exact when set).
type want struct {
	analyzer, name string
	verdict        milepost.Verdict
	value          string
}

func TestVerify(t *testing.T) {
	old := time.Date(2008, 10, 22, 16, 28, 39, 0, time.UTC)
	tests := []struct {
		name   string
		in     *milepost.VerificationInput
		status milepost.CheckinStatus
		note   string // the exact adminNote
		want   []want
	}{
		{
			name:   "fresh photos with zoned EXIF",
			in:     freshMileage(),
			status: milepost.StatusConfirmed,
			want: []want{
				{"evidence", "evidence_present", milepost.VerdictPass, "license=1,odometer=1"},
				{"evidence", "plate_mismatch", milepost.VerdictPass, "checkin=ABC123 vehicle=ABC123"},
				{"recency", "photo_age", milepost.VerdictPass, "2026-06-01T11:00:00Z exif"},
				{"velocity", "miles_per_day", milepost.VerdictPass, "first"},
			},
		},
		{
			name:   "EXIF from 2008",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", exif(old))),
			status: milepost.StatusOnHold,
			note:   "The odometer photo was taken on 2008-10-22, more than 72 hours before this check-in; please take fresh photos.",
			want:   []want{{"recency", "photo_age", milepost.VerdictHold, "2008-10-22T16:28:39Z exif"}},
		},
		{
			name:   "no EXIF, fresh takenOn",
			in:     mileage(photo(milepost.RoleLicense, "", claimed(ago(3*time.Hour))), photo(milepost.RoleOdometer, "", claimed(ago(time.Minute)))),
			status: milepost.StatusConfirmed,
			want:   []want{{"recency", "photo_age", milepost.VerdictPass, "2026-06-01T09:00:00Z takenOn"}},
		},
		{
			name:   "no EXIF, takenOn too old",
			in:     mileage(photo(milepost.RoleLicense, "", claimed(ago(100*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusOnHold,
			note:   "The license plate photo was taken on 2026-05-28, more than 72 hours before this check-in; please take fresh photos.",
		},
		{
			name:   "no EXIF and no takenOn",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", timeless())),
			status: milepost.StatusOnHold,
			note:   "Please retake the odometer photo with the camera app (no capture time was found).",
			want:   []want{{"recency", "capture_time", milepost.VerdictHold, "none"}},
		},
		{
			name:   "EXIF without zone 80h old is inside 72h+14h",
			in:     mileage(photo(milepost.RoleLicense, "", exifNoZone(ago(80*time.Hour))), photo(milepost.RoleOdometer, "", exifNoZone(ago(79*time.Hour)))),
			status: milepost.StatusConfirmed,
			want:   []want{{"recency", "photo_age", milepost.VerdictPass, "2026-05-29T04:00:00 exif-nozone"}},
		},
		{
			name:   "EXIF without zone 90h old",
			in:     mileage(photo(milepost.RoleLicense, "", exifNoZone(ago(90*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusOnHold,
			note:   "The license plate photo was taken on 2026-05-28, more than 72 hours before this check-in; please take fresh photos.",
			want:   []want{{"recency", "photo_age", milepost.VerdictHold, "2026-05-28T18:00:00 exif-nozone"}},
		},
		{
			name:   "zoned EXIF 80h old is too old",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(80*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusOnHold,
			want:   []want{{"recency", "photo_age", milepost.VerdictHold, ""}},
		},
		{
			name:   "capture two hours in the future",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(-2*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusOnHold,
			note:   "The license plate photo has a capture time later than this check-in; please check the date and time of your device and retake the photo.",
			want:   []want{{"recency", "capture_time", milepost.VerdictHold, "2026-06-01T14:00:00Z exif"}},
		},
		{
			name:   "capture five minutes in the future is clock skew",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(-5*time.Minute))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusConfirmed,
		},
		{
			name:   "EXIF without zone ten hours ahead is a time zone",
			in:     mileage(photo(milepost.RoleLicense, "", exifNoZone(ago(-10*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusConfirmed,
		},
		{
			name:   "EXIF without zone 15 hours ahead",
			in:     mileage(photo(milepost.RoleLicense, "", exifNoZone(ago(-15*time.Hour))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusOnHold,
			want:   []want{{"recency", "capture_time", milepost.VerdictHold, ""}},
		},
		{
			name:   "missing odometer photo",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour)))),
			status: milepost.StatusOnHold,
			note:   "Please add a photo of the odometer.",
			want:   []want{{"evidence", "evidence_present", milepost.VerdictHold, "odometer=0"}},
		},
		{
			name:   "no photos at all",
			in:     mileage(),
			status: milepost.StatusOnHold,
			note:   "Please add a photo of the license plate. Please add a photo of the odometer.",
		},
		{
			name: "odometer photo marked invalid by review counts as missing",
			in: mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))),
				invalid(photo(milepost.RoleOdometer, "", exif(old)))),
			status: milepost.StatusOnHold,
			note:   "Please retake the odometer photo.",
			want: []want{
				{"evidence", "evidence_present", milepost.VerdictHold, "odometer=0"},
				{"recency", "capture_time", milepost.VerdictPass, "skipped"},
			},
		},
		{
			name: "one valid odometer photo among invalid ones is enough",
			in: mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))),
				invalid(photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))), photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))),
			status: milepost.StatusConfirmed,
			want:   []want{{"evidence", "evidence_present", milepost.VerdictPass, "license=1,odometer=1"}},
		},
		{
			name:   "condition with the four required angles",
			in:     condition("Front", "Back", "DriverSide", "PassengerSide", "DriverSideFront"),
			status: milepost.StatusConfirmed,
			want:   []want{{"evidence", "evidence_present", milepost.VerdictPass, "Front=1,Back=1,DriverSide=1,PassengerSide=1"}},
		},
		{
			name:   "condition with 3 of 4 angles",
			in:     condition("Front", "Back", "PassengerSide"),
			status: milepost.StatusOnHold,
			note:   "Please add the DriverSide photo of the vehicle.",
			want:   []want{{"evidence", "evidence_present", milepost.VerdictHold, "DriverSide=0"}},
		},
		{
			name: "condition angle marked invalid",
			in: func() *milepost.VerificationInput {
				in := condition("Front", "Back", "DriverSide", "PassengerSide")
				in.Checkin.Photos[2].MarkedInvalidByReview = true
				return in
			}(),
			status: milepost.StatusOnHold,
			note:   "Please retake the DriverSide photo of the vehicle.",
		},
		{
			name:   "proof of address with a PDF document",
			in:     address(photo(milepost.RoleDocument, "DOCUMENT", pdf())),
			status: milepost.StatusConfirmed,
			want: []want{
				{"evidence", "evidence_present", milepost.VerdictPass, "document|home=1"},
				{"recency", "capture_time", milepost.VerdictPass, "pdf"},
			},
		},
		{
			name:   "proof of address with an old home photo",
			in:     address(photo(milepost.RoleHome, "FrontView", exif(ago(30*24*time.Hour)))),
			status: milepost.StatusOnHold,
			note:   "The home photo was taken on 2026-05-02, more than 72 hours before this check-in; please take fresh photos.",
		},
		{
			name:   "proof of address without evidence",
			in:     address(),
			status: milepost.StatusOnHold,
			note:   "Please add a proof-of-address document or a photo of your home.",
		},
		{
			name:   "proof of address with a camera document without time",
			in:     address(photo(milepost.RoleDocument, "CAMERA", timeless())),
			status: milepost.StatusOnHold,
			note:   "Please retake the document photo with the camera app (no capture time was found).",
		},
		{
			name:   "velocity 1000 miles in 10 days",
			in:     withPrevious(freshMileage(), 11000, 10*24*time.Hour),
			status: milepost.StatusConfirmed,
			want:   []want{{"velocity", "miles_per_day", milepost.VerdictPass, "100.0"}},
		},
		{
			name: "velocity 20000 miles in 1 day",
			in: func() *milepost.VerificationInput {
				in := withPrevious(freshMileage(), 12000, 24*time.Hour)
				in.Checkin.Mileage = 32000
				return in
			}(),
			status: milepost.StatusOnHold,
			note:   "The mileage rose faster than a vehicle can be driven; a reviewer will check it.",
			want:   []want{{"velocity", "miles_per_day", milepost.VerdictHold, "20000.0"}},
		},
		{
			name:   "velocity minutes apart counts at least an hour",
			in:     withPrevious(freshMileage(), 11990, time.Second),
			status: milepost.StatusConfirmed,
			want:   []want{{"velocity", "miles_per_day", milepost.VerdictPass, "240.0"}},
		},
		{
			name:   "mileage lower than the last confirmed one",
			in:     withPrevious(freshMileage(), 15000, 24*time.Hour),
			status: milepost.StatusOnHold,
			note:   "The mileage 12,000 is lower than the last confirmed reading of 15,000; please check the odometer reading.",
			want:   []want{{"velocity", "mileage_decrease", milepost.VerdictHold, "-3000"}},
		},
		{
			name: "plate mismatch",
			in: func() *milepost.VerificationInput {
				in := freshMileage()
				in.Checkin.License = "XYZ789"
				return in
			}(),
			status: milepost.StatusOnHold,
			note:   "The license plate XYZ789 does not match the vehicle's plate ABC123; please check the plate.",
			want:   []want{{"evidence", "plate_mismatch", milepost.VerdictHold, "checkin=XYZ789 vehicle=ABC123"}},
		},
		{
			name: "vehicle without plate is not compared",
			in: func() *milepost.VerificationInput {
				in := freshMileage()
				in.Vehicle.License = ""
				return in
			}(),
			status: milepost.StatusConfirmed,
			want:   []want{{"evidence", "plate_mismatch", milepost.VerdictPass, "checkin=ABC123 vehicle="}},
		},
		{
			name: "plates compare in normalized form",
			in: func() *milepost.VerificationInput {
				in := freshMileage()
				in.Checkin.License = "abc-123"
				return in
			}(),
			status: milepost.StatusConfirmed,
		},
		{
			name: "check-in without plate for a vehicle with one",
			in: func() *milepost.VerificationInput {
				in := freshMileage()
				in.Checkin.License = ""
				return in
			}(),
			status: milepost.StatusOnHold,
			note:   "No license plate was given; the vehicle's plate is ABC123. Please check the plate.",
			want:   []want{{"evidence", "plate_mismatch", milepost.VerdictHold, "checkin= vehicle=ABC123"}},
		},
		{
			name:   "photo whose upload record is missing",
			in:     mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))), photo(milepost.RoleOdometer, "", nil)),
			status: milepost.StatusOnHold,
			note:   "Please retake the odometer photo.",
			want:   []want{{"recency", "capture_time", milepost.VerdictHold, "none"}},
		},
		{
			name: "every odometer photo marked invalid",
			in: mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour))),
				invalid(photo(milepost.RoleOdometer, "", exif(ago(time.Hour)))), invalid(photo(milepost.RoleOdometer, "", exif(ago(time.Hour))))),
			status: milepost.StatusOnHold,
			note:   "Please retake the odometer photo.",
		},
		{
			name: "several holds join their notes in order",
			in: func() *milepost.VerificationInput {
				in := mileage(photo(milepost.RoleLicense, "", exif(old)))
				in.Checkin.License = "XYZ789"
				return in
			}(),
			status: milepost.StatusOnHold,
			note: "Please add a photo of the odometer. " +
				"The license plate XYZ789 does not match the vehicle's plate ABC123; please check the plate. " +
				"The license plate photo was taken on 2008-10-22, more than 72 hours before this check-in; please take fresh photos.",
		},
	}
	e := verify.New(verify.DefaultPolicy())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustVerify(t, e, tt.in)
			if d.Status != tt.status {
				t.Fatalf("status %s, want %s; signals:%s", d.Status, tt.status, dump(d.Signals))
			}
			if tt.note != "" && d.AdminNote != tt.note {
				t.Errorf("adminNote\n got %q\nwant %q", d.AdminNote, tt.note)
			}
			if tt.status == milepost.StatusConfirmed && d.AdminNote != "" {
				t.Errorf("confirmed with adminNote %q", d.AdminNote)
			}
			if d.Fraud {
				t.Errorf("built-in analyzers flagged fraud:%s", dump(d.Signals))
			}
			for _, w := range tt.want {
				got := signalsNamed(d, w.analyzer, w.name)
				if !slices.ContainsFunc(got, func(s milepost.Signal) bool {
					return s.Verdict == w.verdict && (w.value == "" || s.Value == w.value)
				}) {
					t.Errorf("no %s/%s [%s] %q among:%s", w.analyzer, w.name, w.verdict, w.value, dump(d.Signals))
				}
			}
			for _, s := range d.Signals {
				if s.Analyzer == "" || s.Name == "" || s.Value == "" || s.Reason == "" {
					t.Errorf("incomplete signal %+v", s)
				}
				if s.Verdict != milepost.VerdictPass && s.Note == "" {
					t.Errorf("deciding signal without a note for the user: %+v", s)
				}
			}
		})
	}
}

// TestVerifyEveryAnalyzerReports checks that each built-in analyzer leaves a trace for
// reviewers on a clean check-in of each type (velocity applies to mileage only).
func TestVerifyEveryAnalyzerReports(t *testing.T) {
	e := verify.New(verify.DefaultPolicy())
	for _, tc := range []struct {
		in        *milepost.VerificationInput
		analyzers []string
	}{
		{freshMileage(), []string{"evidence", "recency", "velocity", "tamper", "quality"}},
		{condition(milepost.RequiredAngles...), []string{"evidence", "recency", "tamper", "quality"}},
		{address(photo(milepost.RoleDocument, "DOCUMENT", pdf()), photo(milepost.RoleHome, "FrontView", exif(ago(time.Hour)))), []string{"evidence", "recency", "tamper", "quality"}},
	} {
		d := mustVerify(t, e, tc.in)
		var got []string
		for _, s := range d.Signals {
			if !slices.Contains(got, s.Analyzer) {
				got = append(got, s.Analyzer)
			}
		}
		if !slices.Equal(got, tc.analyzers) || d.Status != milepost.StatusConfirmed {
			t.Errorf("%s: %s with analyzers %v, want Confirmed with %v:%s", tc.in.Checkin.Type, d.Status, got, tc.analyzers, dump(d.Signals))
		}
	}
}

// TestVerifySignalOrder checks that recency signals follow the photo order and that the result
// does not vary between runs.
func TestVerifySignalOrder(t *testing.T) {
	e := verify.New(verify.DefaultPolicy())
	angles := []string{"PassengerSide", "Front", "DriverSideBack", "Back", "DriverSide"}
	first := mustVerify(t, e, condition(angles...))
	var order []string
	for _, s := range first.Signals {
		if s.Analyzer == "recency" {
			_, rest, _ := strings.Cut(s.Reason, "(")
			kind, _, _ := strings.Cut(rest, ",")
			order = append(order, kind)
		}
	}
	if !slices.Equal(order, angles) {
		t.Fatalf("recency order %v, want %v", order, angles)
	}
	for range 5 {
		if again := mustVerify(t, e, condition(angles...)); !slices.Equal(again.Signals, first.Signals) {
			t.Fatalf("signals differ between runs:%s\nvs%s", dump(first.Signals), dump(again.Signals))
		}
	}
}

func TestVerifyPolicyThresholds(t *testing.T) {
	p := verify.DefaultPolicy()
	p.MaxPhotoAge = verify.Duration(30 * time.Minute)
	p.MaxMilesPerDay = 50
	d := mustVerify(t, verify.New(p), withPrevious(freshMileage(), 11000, 10*24*time.Hour))
	want := "The license plate photo was taken on 2026-06-01, more than 30 minutes before this check-in; please take fresh photos. " +
		"The odometer photo was taken on 2026-06-01, more than 30 minutes before this check-in; please take fresh photos. " +
		"The mileage rose faster than a vehicle can be driven; a reviewer will check it."
	if d.Status != milepost.StatusOnHold || d.AdminNote != want {
		t.Fatalf("%s %q, want OnHold %q", d.Status, d.AdminNote, want)
	}
}

// funcAnalyzer is an extra analyzer made of a function.
type funcAnalyzer struct {
	name string
	fn   func(in *milepost.VerificationInput) []milepost.Signal
}

func (f funcAnalyzer) Name() string { return f.name }
func (f funcAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	return f.fn(in), nil
}

func TestVerifyExtraAnalyzer(t *testing.T) {
	var ran []string
	screen := funcAnalyzer{name: "screen", fn: func(in *milepost.VerificationInput) []milepost.Signal {
		ran = append(ran, in.Checkin.ID)
		return []milepost.Signal{{Name: "photo_of_screen", Value: "0.97", Verdict: milepost.VerdictDecline, Fraud: true,
			Reason: "The odometer photo shows a screen (score 0.97).", Note: "The odometer photo was taken of a screen."}}
	}}
	quiet := funcAnalyzer{name: "quiet", fn: func(*milepost.VerificationInput) []milepost.Signal {
		return []milepost.Signal{{Name: "nothing", Value: "ok", Reason: "nothing found"}}
	}}
	in := mileage(photo(milepost.RoleLicense, "", exif(ago(time.Hour)))) // also missing its odometer photo: hold
	d := mustVerify(t, verify.New(verify.DefaultPolicy(), screen, quiet), in)
	if !slices.Equal(ran, []string{"c1"}) {
		t.Fatalf("extra analyzer ran for %v", ran)
	}
	if d.Status != milepost.StatusDeclined || !d.Fraud || d.AdminNote != "The odometer photo was taken of a screen." {
		t.Fatalf("got %s fraud=%v %q, want Declined with fraud and the screen note", d.Status, d.Fraud, d.AdminNote)
	}
	n := len(d.Signals)
	if n < 2 || d.Signals[n-2].Analyzer != "screen" || d.Signals[n-1].Analyzer != "quiet" || d.Signals[n-1].Verdict != milepost.VerdictPass {
		t.Fatalf("extra signals must come last, named after their analyzer, empty verdict = pass:%s", dump(d.Signals))
	}
	if d.Signals[0].Analyzer != "evidence" {
		t.Fatalf("built-in analyzers must run first:%s", dump(d.Signals))
	}
}

func TestVerifyErrors(t *testing.T) {
	panicky := funcAnalyzer{name: "panicky", fn: func(*milepost.VerificationInput) []milepost.Signal { panic("boom") }}
	odd := funcAnalyzer{name: "odd", fn: func(*milepost.VerificationInput) []milepost.Signal {
		return []milepost.Signal{{Name: "x", Verdict: "maybe"}}
	}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	badType := freshMileage()
	badType.Checkin.Type = "trip"
	tests := []struct {
		name  string
		ctx   context.Context
		extra []verify.Analyzer
		in    *milepost.VerificationInput
		want  string
	}{
		{"nil input", context.Background(), nil, nil, "no check-in"},
		{"nil check-in", context.Background(), nil, &milepost.VerificationInput{}, "no check-in"},
		{"unknown type", context.Background(), nil, badType, `unknown type "trip"`},
		{"cancelled", cancelled, nil, freshMileage(), "context canceled"},
		{"panicking analyzer", context.Background(), []verify.Analyzer{panicky}, freshMileage(), "analyzer panicky panicked: boom"},
		{"unknown verdict", context.Background(), []verify.Analyzer{odd}, freshMileage(), `analyzer odd: signal x has unknown verdict "maybe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := verify.New(verify.DefaultPolicy(), tt.extra...).Verify(tt.ctx, tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want one containing %q", err, tt.want)
			}
			if d.Status != "" {
				t.Fatalf("a failed run must not decide, got %s", d.Status)
			}
			if tt.ctx.Err() != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v does not wrap context.Canceled", err)
			}
		})
	}
}

// TestRecencyDocumentsAndKeptPhotos covers two refinements: documents picked from the gallery or
// uploaded as files are dated by their content, so only camera documents must be fresh; and a
// photo kept through the change flow is judged against when it was attached.
func TestRecencyDocumentsAndKeptPhotos(t *testing.T) {
	e := verify.New(verify.DefaultPolicy())
	oldScan := claimed(ago(30 * 24 * time.Hour))
	lat, lon := 30.0, -97.0
	doc := func(kind string) *milepost.VerificationInput {
		return &milepost.VerificationInput{
			Checkin: &milepost.Checkin{ID: "p1", Type: milepost.CheckinProofOfAddress, Status: milepost.StatusPending, Latitude: &lat, Longitude: &lon,
				DocumentType: "UtilityBill", Photos: []milepost.CheckinPhoto{photo(milepost.RoleDocument, kind, oldScan)}, Run: 1, CreatedAt: submitted},
			SubmittedAt: submitted,
		}
	}
	for kind, want := range map[string]milepost.CheckinStatus{"GALLERY": milepost.StatusConfirmed, "DOCUMENT": milepost.StatusConfirmed, "CAMERA": milepost.StatusOnHold} {
		d, err := e.Verify(context.Background(), doc(kind))
		if err != nil || d.Status != want {
			t.Errorf("a month-old %s document: %s (%s), want %s", kind, d.Status, d.AdminNote, want)
		}
	}
	// Run 2, submitted 5 days after the photos were attached and taken: still fresh.
	kept := freshMileage()
	for i := range kept.Checkin.Photos {
		kept.Checkin.Photos[i].AttachedAt = submitted
	}
	kept.SubmittedAt = submitted.Add(5 * 24 * time.Hour)
	kept.Checkin.Run = 2
	if d, err := e.Verify(context.Background(), kept); err != nil || d.Status != milepost.StatusConfirmed {
		t.Fatalf("photos kept through the change flow: %s (%s)", d.Status, d.AdminNote)
	}
}
