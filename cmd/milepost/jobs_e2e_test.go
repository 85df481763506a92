package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/jobs"
	"github.com/milepost/milepost/milepostest"
)

// TestVerificationSurvivesRestart enqueues a verification on a server without workers, stops it,
// and starts a server with workers on the same store: the job, kept in the database, runs.
func TestVerificationSurvivesRestart(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		c := legacy(a.partner())
		uid := a.user(c, "+15558600001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		counts, err := a.app.DB.Jobs().JobCounts(context.Background())
		if err != nil || counts["available"] != 1 {
			t.Fatalf("queued jobs %v %v", counts, err)
		}
		a.stop()

		cfg.Role = "all"
		b := startAppWith(t, cfg)
		path := "/api/vehicles/checkin/mileage/" + r["id"].(string)
		b.waitStatus(c, path, "Confirmed")
		detail := b.expect(b.do("GET", "/api/admin/checkins/"+r["id"].(string), c, nil), 200, "").obj(t)
		if n := len(detail["history"].([]any)); n != 2 {
			t.Fatalf("history has %d entries, want creation and one decision: %v", n, detail["history"])
		}
	})
}

// TestVerificationDecidesOnce applies two decisions for the same run, as two workers running
// the same job would: only the first takes effect, and a worker that finds the run decided
// just completes its job.
func TestVerificationDecidesOnce(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		c := legacy(a.partner())
		uid := a.user(c, "+15558700001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		id := r["id"].(string)
		ctx := context.Background()
		store := a.app.DB.Checkins()
		first, err := store.ApplyVerification(ctx, id, 1, milepost.Decision{Status: milepost.StatusConfirmed}, "")
		if err != nil || !first {
			t.Fatalf("first decision applied=%v err=%v", first, err)
		}
		second, err := store.ApplyVerification(ctx, id, 1, milepost.Decision{Status: milepost.StatusDeclined, AdminNote: "late"}, "")
		if err != nil || second {
			t.Fatalf("second decision applied=%v err=%v", second, err)
		}
		got := a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+id, c, nil), 200, "").obj(t)
		if got["checkInStatus"] != "Confirmed" {
			t.Fatalf("status %v", got["checkInStatus"])
		}
		// A worker running the job now finds nothing to do and completes it.
		jobsNow, err := a.app.DB.Jobs().ClaimJobs(ctx, "w", []string{milepost.JobVerifyCheckin}, 10, 0)
		if err != nil || len(jobsNow) != 1 {
			t.Fatalf("claim %v %v", jobsNow, err)
		}
		h := jobs.VerifyHandler{Store: store, Verifier: failingVerifier{}}
		if err := h.Work(ctx, jobsNow[0]); err != nil {
			t.Fatalf("work on a decided run: %v", err)
		}
		detail := a.expect(a.do("GET", "/api/admin/checkins/"+id, c, nil), 200, "").obj(t)
		if n := len(detail["history"].([]any)); n != 2 {
			t.Fatalf("history %v", detail["history"])
		}
	})
}

// failingVerifier always fails, like an analyzer whose dependency is down.
type failingVerifier struct{}

func (failingVerifier) Verify(context.Context, *milepost.VerificationInput) (milepost.Decision, error) {
	return milepost.Decision{}, errVerifierDown
}

var errVerifierDown = &milepost.Error{Code: milepost.CodeUnavailable, Message: "analyzer unavailable"}

// TestVerificationGivesUpToReview: when verification fails on its last attempt, the check-in is
// left OnHold for a reviewer instead of staying Pending forever.
func TestVerificationGivesUpToReview(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		c := legacy(a.partner())
		uid := a.user(c, "+15558800001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		ctx := context.Background()
		claimed, err := a.app.DB.Jobs().ClaimJobs(ctx, "w", []string{milepost.JobVerifyCheckin}, 1, 0)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim %v %v", claimed, err)
		}
		var p milepost.VerifyCheckinPayload
		json.Unmarshal(claimed[0].Payload, &p)
		if p.CheckinID != r["id"] || p.Run != 1 {
			t.Fatalf("payload %+v", p)
		}
		h := jobs.VerifyHandler{Store: a.app.DB.Checkins(), Verifier: failingVerifier{}}
		if err := h.Work(ctx, claimed[0]); err == nil {
			t.Fatal("a failing verifier must fail the job")
		}
		if err := h.Exhausted(ctx, claimed[0], errVerifierDown); err != nil {
			t.Fatal(err)
		}
		got := a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+p.CheckinID, c, nil), 200, "").obj(t)
		if got["checkInStatus"] != "OnHold" || !strings.Contains(got["adminNote"].(string), "reviewer") {
			t.Fatalf("after giving up %v", got)
		}
	})
}
