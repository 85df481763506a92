package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

func TestReviewAPI(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15558500001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		// Two check-ins that go OnHold: a stale photo, and a plate that is not the vehicle's.
		stale := a.upload(c, uid, milepostest.Photo(t, "gps_DSCN0021.jpg"))
		r1 := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 100, a.freshPhoto(c, uid, 1), stale)), 200, "").obj(t)
		r2 := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "XYZ999", 110, a.freshPhoto(c, uid, 2), a.freshPhoto(c, uid, 3))), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/mileage/"+r1["id"].(string), "OnHold")
		held2 := a.waitStatus(c, "/api/vehicles/checkin/mileage/"+r2["id"].(string), "OnHold")
		if !strings.Contains(held2["adminNote"].(string), "XYZ999") {
			t.Fatalf("plate mismatch note %q", held2["adminNote"])
		}

		var q struct {
			TotalItems int
			Checkins   []map[string]any
		}
		a.expect(a.do("GET", "/api/admin/review-queue", c, nil), 200, "").json(t, &q)
		if q.TotalItems != 2 || q.Checkins[0]["id"] != r1["id"] || q.Checkins[0]["checkInType"] != "Mileage" || q.Checkins[0]["checkInStatus"] != "OnHold" {
			t.Fatalf("queue (oldest first) %+v", q)
		}
		a.expect(a.do("GET", "/api/admin/review-queue?type=condition", c, nil), 200, "").json(t, &q)
		if q.TotalItems != 0 {
			t.Fatalf("condition queue %d", q.TotalItems)
		}
		a.expect(a.do("GET", "/api/admin/review-queue?status=Confirmed", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		userTok := bearer(a.token(p, "user", uid))
		a.expect(a.do("GET", "/api/admin/review-queue", userTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")

		detail := a.expect(a.do("GET", "/api/admin/checkins/"+r1["id"].(string), c, nil), 200, "").obj(t)
		photos := detail["photos"].([]any)
		odo := photos[1].(map[string]any)
		if odo["role"] != "odometer" || !strings.HasPrefix(odo["exif"].(map[string]any)["takenAt"].(string), "2008-10-22") ||
			odo["claimed"].(map[string]any)["takenOn"].(string)[:4] != "2026" || detail["vehicle"].(map[string]any)["vin"] != "1HGCM82633A004352" ||
			detail["user"].(map[string]any)["id"] != uid {
			t.Fatalf("review detail %v", detail)
		}
		var holds []string
		for _, sg := range detail["signals"].([]any) {
			m := sg.(map[string]any)
			if m["verdict"] == "hold" {
				holds = append(holds, m["name"].(string))
			}
		}
		// The stale gallery photo is also contradicted by what the app claimed (now, in Austin),
		// lies an ocean away from the plate photo, and is small (640×480).
		if !slices.Equal(holds, []string{"photo_age", "claimed_mismatch", "claimed_mismatch", "photo_spread", "photo_size"}) {
			t.Fatalf("hold signals %v in %v", holds, detail["signals"])
		}
		hist := detail["history"].([]any)
		if len(hist) != 2 || hist[1].(map[string]any)["by"] != "engine" || hist[1].(map[string]any)["to"] != "OnHold" {
			t.Fatalf("history %v", hist)
		}

		// A reviewer confirms the first: the same lifecycle, recorded with the reviewer's name.
		dec := a.expect(a.do("POST", "/api/admin/checkins/"+r1["id"].(string)+"/decision", c, map[string]any{
			"status": "Confirmed", "adminNote": "odometer readable; the camera clock was wrong", "reviewer": "rita@example.com",
			"photos": []map[string]any{{"photoUrl": odo["photoUrl"], "markedInvalidByReview": false}},
		}), 200, "").obj(t)
		last := dec["history"].([]any)[2].(map[string]any)
		if dec["checkInStatus"] != "Confirmed" || last["by"] != "reviewer" || last["actor"] != "rita@example.com" || last["from"] != "OnHold" {
			t.Fatalf("after decision %v", dec)
		}
		got := a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+r1["id"].(string), c, nil), 200, "").obj(t)
		if got["checkInStatus"] != "Confirmed" || got["adminNote"] != "odometer readable; the camera clock was wrong" {
			t.Fatalf("partner view %v", got)
		}
		// The second is declined as fraud; decisions on decided check-ins are refused.
		a.expect(a.do("POST", "/api/admin/checkins/"+r2["id"].(string)+"/decision", c, map[string]any{"status": "Declined", "fraud": true, "adminNote": "someone else's car"}), 200, "")
		a.expect(a.do("POST", "/api/admin/checkins/"+r2["id"].(string)+"/decision", c, map[string]any{"status": "Confirmed"}), 409, "ERROR_CHECKIN_ALREADY_DECIDED")
		var page struct{ TotalItems int }
		a.expect(a.do("GET", "/api/checkins/mileage?fraud=true", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 1 {
			t.Fatalf("fraud filter %d", page.TotalItems)
		}
		for _, bad := range []map[string]any{{"status": "Pending"}, {"status": "maybe"}, {}, {"status": "OnHold", "photos": []map[string]any{{"photoUrl": "https://elsewhere/x"}}}} {
			a.expect(a.do("POST", "/api/admin/checkins/"+r1["id"].(string)+"/decision", c, bad), 400, "ERROR_INVALID_PARAMETERS")
		}
		a.expect(a.do("POST", "/api/admin/checkins/nope/decision", c, map[string]any{"status": "Confirmed"}), 404, "")
		a.expect(a.do("POST", "/api/admin/checkins/"+r1["id"].(string)+"/decision", userTok, map[string]any{"status": "Confirmed"}), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")

		// Condition: a reviewer marks damage on one photo; the damage filter finds it.
		photos4 := map[string]string{}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide"} {
			photos4[angle] = a.freshPhoto(c, uid, 60+i)
		}
		cond := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(photos4)}), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/condition/"+cond["id"].(string), "Confirmed")
		a.expect(a.do("POST", "/api/admin/checkins/"+cond["id"].(string)+"/decision", c, map[string]any{"status": "OnHold"}), 409, "ERROR_CHECKIN_ALREADY_DECIDED")
		for i, angle := range []string{"Front", "DriverSide", "PassengerSide"} {
			photos4[angle] = a.freshPhoto(c, uid, 70+i) // new photos: the first check-in's would be replays
		}
		photos4["Back"] = a.upload(c, uid, milepostest.Photo(t, "gps_DSCN0010.jpg")) // stale: the engine holds it
		cond2 := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(photos4)}), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/condition/"+cond2["id"].(string), "OnHold")
		a.expect(a.do("POST", "/api/admin/checkins/"+cond2["id"].(string)+"/decision", c, map[string]any{"status": "OnHold", "adminNote": "dent on the back",
			"photos": []map[string]any{{"photoUrl": photos4["Back"], "damageDetected": true}}}), 200, "")
		cv := a.expect(a.do("GET", "/api/vehicles/checkin/condition/"+cond2["id"].(string), c, nil), 200, "").obj(t)
		damaged := 0
		for _, p := range cv["photos"].([]any) {
			if p.(map[string]any)["damageDetected"] == true {
				damaged++
			}
		}
		if cv["checkInStatus"] != "OnHold" || cv["adminNote"] != "dent on the back" || damaged != 1 {
			t.Fatalf("condition after review %v", cv)
		}
		a.expect(a.do("GET", "/api/checkins/condition?damageDetected=true", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 1 {
			t.Fatalf("damage filter %d", page.TotalItems)
		}

		// Every decision is in the audit log, newest first, with before and after.
		ctx := context.Background()
		admin := milepost.Actor{PartnerID: p.Partner.ID, Scope: milepost.ScopeAdmin}
		log, err := a.app.DB.Checkins().ReviewAudit(ctx, admin, milepost.AuditFilter{})
		if err != nil || log.TotalItems != 3 {
			t.Fatalf("audit %+v %v", log, err)
		}
		newest, oldest := log.Entries[0], log.Entries[2]
		if newest.CheckinID != cond2["id"] || newest.From != "OnHold" || newest.To != "OnHold" || newest.NoteAfter != "dent on the back" ||
			len(newest.Photos) != 1 || newest.Photos[0].DamageDetected == nil || !*newest.Photos[0].DamageDetected {
			t.Fatalf("newest audit entry %+v", newest)
		}
		if oldest.CheckinID != r1["id"] || oldest.Reviewer != "rita@example.com" || oldest.From != "OnHold" || oldest.To != "Confirmed" ||
			oldest.NoteAfter != "odometer readable; the camera clock was wrong" || !oldest.FraudBefore || oldest.FraudAfter {
			t.Fatalf("oldest audit entry %+v", oldest)
		}
		if other, _ := a.app.DB.Checkins().ReviewAudit(ctx, milepost.Actor{PartnerID: a.partner().Partner.ID, Scope: milepost.ScopeAdmin}, milepost.AuditFilter{}); other.TotalItems != 0 {
			t.Fatalf("another partner sees %d audit entries", other.TotalItems)
		}
		counts, err := a.app.DB.Checkins().ReviewCounts(ctx, admin)
		if err != nil || counts.OnHold != 1 || counts.Pending != 0 {
			t.Fatalf("counts %+v %v", counts, err)
		}
		withDamage := true
		q2, err := a.app.DB.Checkins().ReviewQueue(ctx, admin, milepost.ReviewFilter{Damage: &withDamage})
		if err != nil || q2.TotalItems != 1 || q2.Checkins[0].ID != cond2["id"] {
			t.Fatalf("damage filter of the queue %+v %v", q2, err)
		}
		future := time.Now().Add(time.Hour)
		if q2, _ = a.app.DB.Checkins().ReviewQueue(ctx, admin, milepost.ReviewFilter{From: &future}); q2.TotalItems != 0 {
			t.Fatalf("date filter found %d", q2.TotalItems)
		}
	})
}
