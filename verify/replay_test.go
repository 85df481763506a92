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

// finder is a ReplayFinder of fixed matches.
type finder struct {
	matches []milepost.PhotoMatch
	err     error
}

func (f finder) FindReplays(context.Context, string) ([]milepost.PhotoMatch, error) {
	return f.matches, f.err
}

func TestReplayAnalyzer(t *testing.T) {
	earlier := func(vehicle string) milepost.PhotoUse {
		return milepost.PhotoUse{Seq: 7, CheckinID: "c-old", UploadID: "u-old", UserID: "someone", VehicleID: vehicle, CreatedAt: submitted.Add(-24 * time.Hour)}
	}
	near := func(upload, vehicle string, p, d int) milepost.PhotoMatch {
		return milepost.PhotoMatch{UploadID: upload, Earlier: earlier(vehicle), PHashDistance: p, DHashDistance: d}
	}
	tests := []struct {
		name    string
		matches []milepost.PhotoMatch
		status  milepost.CheckinStatus
		value   string
		note    string
	}{
		{"nothing", nil, milepost.StatusConfirmed, "none", ""},
		{"the same file", []milepost.PhotoMatch{{UploadID: "up-odometer", Earlier: earlier("v1"), Exact: true}}, milepost.StatusDeclined,
			"exact checkin=c-old", "The odometer photo was already used in another check-in."},
		{"a close copy of another vehicle's plate photo", []milepost.PhotoMatch{near("up-license", "v9", 2, 3)}, milepost.StatusDeclined,
			"phash=2 dhash=3 checkin=c-old", "The license plate photo was already used in another check-in."},
		{"a close copy of an odometer photo", []milepost.PhotoMatch{near("up-odometer", "v9", 2, 3)}, milepost.StatusOnHold,
			"phash=2 dhash=3 checkin=c-old", "The odometer photo looks like one already used in another check-in; a reviewer will check it."},
		{"the same vehicle's plate from the same spot", []milepost.PhotoMatch{near("up-license", "v1", 2, 3)}, milepost.StatusOnHold,
			"phash=2 dhash=3 checkin=c-old", "The license plate photo looks like one already used in another check-in; a reviewer will check it."},
		{"a looser match", []milepost.PhotoMatch{near("up-license", "v9", 9, 14)}, milepost.StatusOnHold,
			"phash=9 dhash=14 checkin=c-old", "The license plate photo looks like one already used in another check-in; a reviewer will check it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := verify.New(verify.DefaultPolicy(), verify.NewReplayAnalyzer(verify.DefaultPolicy(), finder{matches: tt.matches}))
			d := mustVerify(t, e, freshMileage())
			s := signalsNamed(d, "replay", "replayed_photo")
			if d.Status != tt.status || d.AdminNote != tt.note || len(s) != 1 || s[0].Value != tt.value || d.Fraud != (tt.status != milepost.StatusConfirmed) {
				t.Fatalf("%s fraud=%v %q, want %s %q:%s", d.Status, d.Fraud, d.AdminNote, tt.status, tt.note, dump(d.Signals))
			}
			if tt.status != milepost.StatusConfirmed && !strings.Contains(s[0].Reason, "check-in c-old") {
				t.Fatalf("the signal must name the earlier check-in: %s", s[0].Reason)
			}
		})
	}
	e := verify.New(verify.DefaultPolicy(), verify.NewReplayAnalyzer(verify.DefaultPolicy(), finder{err: errors.New("database is down")}))
	if _, err := e.Verify(context.Background(), freshMileage()); err == nil || !strings.Contains(err.Error(), "database is down") {
		t.Fatalf("a failing search must fail the run: %v", err)
	}
}
