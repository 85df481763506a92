package verify_test

import (
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/verify"
)

func TestQuality(t *testing.T) {
	p := verify.DefaultPolicy()
	good := milepost.PhotoAnalysis{ShortSide: 3024, Brightness: 120, Dark: 0.05, Clipped: 0.01, Sharpness: p.MinSharpness * 4, Moire: p.MaxMoire / 4}
	// with applies f to the analysis of photo i (0: license plate, 1: odometer).
	with := func(i int, f func(a *milepost.PhotoAnalysis), software string) *milepost.VerificationInput {
		in := freshMileage()
		for _, ph := range in.Checkin.Photos {
			a := good
			ph.Upload.Media.Analysis = &a
		}
		u := in.Checkin.Photos[i].Upload
		f(u.Media.Analysis)
		u.Media.EXIF.Make, u.Media.EXIF.Model = software, software
		return in
	}
	tests := []struct {
		name   string
		photo  int
		f      func(a *milepost.PhotoAnalysis)
		make   string
		status milepost.CheckinStatus
		fraud  bool
		signal string
		note   string
	}{
		{"good", 1, func(*milepost.PhotoAnalysis) {}, "Apple", milepost.StatusConfirmed, false, "photo_quality", ""},
		{"too small", 1, func(a *milepost.PhotoAnalysis) { a.ShortSide = 480 }, "Apple", milepost.StatusOnHold, false, "photo_size",
			"The odometer photo is too small; take it again with the camera app at full resolution."},
		{"too dark", 0, func(a *milepost.PhotoAnalysis) { a.Brightness = p.MinBrightness - 1 }, "Apple", milepost.StatusOnHold, false, "photo_exposure",
			"The license plate photo is too dark; take it again with more light."},
		{"mostly black", 0, func(a *milepost.PhotoAnalysis) { a.Dark = p.MaxDark + 0.1 }, "Apple", milepost.StatusOnHold, false, "photo_exposure",
			"The license plate photo is too dark; take it again with more light."},
		{"a dashboard at night", 1, func(a *milepost.PhotoAnalysis) { a.Brightness, a.Dark = 20, 0.7 }, "Apple", milepost.StatusConfirmed, false, "photo_quality", ""},
		{"overexposed", 1, func(a *milepost.PhotoAnalysis) { a.Clipped = p.MaxClipped + 0.1 }, "Apple", milepost.StatusOnHold, false, "photo_exposure",
			"The odometer photo is overexposed; take it again without glare or direct light on the lens."},
		{"blurred", 1, func(a *milepost.PhotoAnalysis) { a.Sharpness = p.MinSharpness / 2 }, "Apple", milepost.StatusOnHold, false, "photo_blur",
			"The odometer photo is blurred; take it again closer, in focus."},
		{"blurred and small", 1, func(a *milepost.PhotoAnalysis) { a.Sharpness = p.MinSharpness / 2; a.ShortSide = 100 }, "Apple", milepost.StatusOnHold, false, "photo_blur",
			"The odometer photo is too small; take it again with the camera app at full resolution. The odometer photo is blurred; take it again closer, in focus."},
		{"a screen", 1, func(a *milepost.PhotoAnalysis) { a.Moire = (p.MaxMoire + 1) / 2 }, "", milepost.StatusOnHold, true, "screen_photo",
			"The odometer photo looks like a photo of a screen; please photograph the vehicle itself."},
	}
	e := verify.New(p)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustVerify(t, e, with(tt.photo, tt.f, tt.make))
			if d.Status != tt.status || d.Fraud != tt.fraud || d.AdminNote != tt.note {
				t.Fatalf("%s fraud=%v %q, want %s %v %q:%s", d.Status, d.Fraud, d.AdminNote, tt.status, tt.fraud, tt.note, dump(d.Signals))
			}
			found := false
			for _, s := range signalsNamed(d, "quality", tt.signal) {
				found = found || s.UploadID == []string{"up-license", "up-odometer"}[tt.photo]
			}
			if !found {
				t.Fatalf("no %s signal on photo %d:%s", tt.signal, tt.photo, dump(d.Signals))
			}
		})
	}
	in := freshMileage() // uploads stored before analysis existed
	d := mustVerify(t, e, in)
	if s := signalsNamed(d, "quality", "photo_quality"); len(s) != 2 || s[0].Value != "not analysed" || d.Status != milepost.StatusConfirmed {
		t.Fatalf("unanalysed photos: %s%s", d.Status, dump(d.Signals))
	}
}
