package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost/milepostest"
)

// TestMileageCheckinLifecycle is the end-to-end path of issue 3: a photo whose EXIF says it was
// taken now is Confirmed without human action; a 2008 photo goes OnHold asking for fresh
// photos; the change flow brings it back to Pending and then Confirmed.
func TestMileageCheckinLifecycle(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15558000001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")

		lic, odo := a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2)
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "abc 123", 12000, lic, odo)), 200, "").obj(t)
		if r["checkInStatus"] != "Pending" || r["mileage"] != float64(12000) || r["license"] != "ABC123" || r["vehicleId"] != vid ||
			len(r["licensePhotos"].([]any)) != 1 || r["licensePhotos"].([]any)[0].(map[string]any)["photoUrl"] != lic {
			t.Fatalf("created %v", r)
		}
		checked, _ := time.Parse("2006-01-02T15:04:05.000Z", r["checkedInAt"].(string))
		next, _ := time.Parse("2006-01-02T15:04:05.000Z", r["nextCheckInDate"].(string))
		if next.Sub(checked) != 30*24*time.Hour {
			t.Fatalf("nextCheckInDate %v is not 30 days after %v", next, checked)
		}
		path := "/api/vehicles/checkin/mileage/" + r["id"].(string)
		done := a.waitStatus(c, path, "Confirmed")
		if done["adminNote"] != "" || done["fraud"] != false || done["updated"] == r["updated"] {
			t.Fatalf("confirmed %v", done)
		}

		// A photo from 2008 → OnHold with a note asking for fresh photos.
		old := a.upload(c, uid, milepostest.Photo(t, "gps_DSCN0010.jpg"))
		r = a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 12005, a.freshPhoto(c, uid, 3), old)), 200, "").obj(t)
		path = "/api/vehicles/checkin/mileage/" + r["id"].(string)
		held := a.waitStatus(c, path, "OnHold")
		if note := held["adminNote"].(string); !strings.Contains(note, "fresh photos") || !strings.Contains(note, "2008-10-22") {
			t.Fatalf("OnHold note %q does not ask for fresh photos", note)
		}
		// The change flow: a new odometer photo → Pending → Confirmed.
		upd := mileageBody("", "ABC123", 12010, "", a.freshPhoto(c, uid, 4))
		r = a.expect(a.do("PUT", path, c, upd), 200, "").obj(t)
		if r["checkInStatus"] != "Pending" || r["mileage"] != float64(12010) || r["adminNote"] != "" || len(r["licensePhotos"].([]any)) != 1 {
			t.Fatalf("after the change flow %v", r)
		}
		a.waitStatus(c, path, "Confirmed")
		// Confirmed is final.
		a.expect(a.do("PUT", path, c, upd), 409, "ERROR_CHECKIN_ALREADY_DECIDED")

		// Lists and the summary.
		var list []map[string]any
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkins/mileage", c, nil), 200, "").json(t, &list)
		if len(list) != 2 || list[0]["mileage"] != float64(12010) {
			t.Fatalf("vehicle list %v", list)
		}
		sum := a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkin-summary", c, nil), 200, "").obj(t)
		ms := sum["mileageCheckinSummary"].(map[string]any)
		if sum["vin"] != "1HGCM82633A004352" || ms["lastConfirmedOrdinal"] != float64(2) || ms["lastConfirmedMileage"] != float64(12010) ||
			ms["checkinUnlocked"] != false || ms["daysToNextCheckin"] != float64(30) || ms["unlockDate"] == nil || len(ms["checkins"].([]any)) != 2 {
			t.Fatalf("summary %v", ms)
		}
		item := ms["checkins"].([]any)[0].(map[string]any)
		if item["checkInType"] != "Mileage" || item["status"] != "Confirmed" {
			t.Fatalf("summary item %v", item)
		}
		cs := sum["conditionCheckinSummary"].(map[string]any)
		if cs["checkinUnlocked"] != true || cs["lastConfirmedOrdinal"] != float64(0) || cs["unlockDate"] != nil {
			t.Fatalf("condition summary %v", cs)
		}
	})
}

func TestMileageRules(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api" // no workers: check-ins stay Pending unless a reviewer decides
		a := startAppWith(t, cfg)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15558100001")
		uid2 := a.user(c, "+15558100002")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		lic, odo := a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2)
		first := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 5000, lic, odo)), 200, "").obj(t)

		other := a.partner()
		otherUser := a.user(legacy(other), "+15558100003")
		foreign := a.freshPhoto(legacy(other), otherUser, 3)
		otherUsers := a.freshPhoto(c, uid2, 4)
		file := a.expect(a.do("POST", "/api/file/upload", c, map[string]any{"userId": uid, "name": "x.png", "file": photoBody(uid, tinyPNG(t))["photo"]}), 200, "").obj(t)["fileUrl"].(string)
		photoID := lic[strings.LastIndex(lic, "/")+1:]
		cases := []struct {
			name   string
			body   map[string]any
			status int
			code   string
		}{
			{"lower than before", mileageBody(vid, "ABC123", 4999, lic, odo), 409, "ERROR_MILEAGE_LOWER_THAN_PREVIOUS"},
			{"equal is fine", mileageBody(vid, "ABC123", 5000, lic, odo), 200, ""},
			{"mileage 0", mileageBody(vid, "ABC123", 0, lic, odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"mileage not a number", map[string]any{"vehicleId": vid, "licensePlate": "A", "mileage": "lots", "licensePhotos": refs(lic), "odometerPhotos": refs(odo)}, 400, "ERROR_INVALID_PARAMETERS"},
			{"no license photos", map[string]any{"vehicleId": vid, "licensePlate": "A", "mileage": 6000, "odometerPhotos": refs(odo)}, 400, "ERROR_INVALID_PARAMETERS"},
			{"no plate", mileageBody(vid, "", 6000, lic, odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"foreign URL", mileageBody(vid, "ABC123", 6000, "https://evil.example/api/photos/"+photoID, odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"not a photo URL", mileageBody(vid, "ABC123", 6000, a.app.URL()+"/api/users/x", odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"unknown photo id", mileageBody(vid, "ABC123", 6000, a.app.URL()+"/api/photos/nope", odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"another partner's photo", mileageBody(vid, "ABC123", 6000, foreign, odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"another user's photo", mileageBody(vid, "ABC123", 6000, otherUsers, odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"a file, not a photo", mileageBody(vid, "ABC123", 6000, strings.Replace(file, "/api/files/", "/api/photos/", 1), odo), 400, "ERROR_INVALID_PARAMETERS"},
			{"same photo twice", mileageBody(vid, "ABC123", 6000, lic, lic), 400, "ERROR_INVALID_PARAMETERS"},
			{"unknown vehicle", mileageBody("nope", "ABC123", 6000, lic, odo), 404, "ERROR_VEHICLE_NOT_FOUND"},
			{"signed link is accepted", mileageBody(vid, "ABC123", 6000, lic+"?expires=1&signature=x", odo), 200, ""},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				a := a.with(t)
				a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, tt.body), tt.status, tt.code)
			})
		}
		// Pending is not OnHold: no change flow yet.
		path := "/api/vehicles/checkin/mileage/" + first["id"].(string)
		a.expect(a.do("PUT", path, c, mileageBody("", "ABC123", 5001, "", "")), 409, "ERROR_CHECKIN_NOT_ON_HOLD")
		// A Declined check-in does not count for the order: decline the 6000 one, then 5500 passes.
		var list []map[string]any
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkins/mileage", c, nil), 200, "").json(t, &list)
		a.expect(a.do("POST", "/api/admin/checkins/"+list[0]["id"].(string)+"/decision", c, map[string]any{"status": "Declined", "adminNote": "blurry"}), 200, "")
		a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 5500, lic, odo)), 200, "")
		// The change flow keeps the order too: put the first one on hold and try to raise it above
		// a later check-in, or lower it below an earlier one.
		a.expect(a.do("POST", "/api/admin/checkins/"+first["id"].(string)+"/decision", c, map[string]any{"status": "OnHold", "adminNote": "retake"}), 200, "")
		a.expect(a.do("PUT", path, c, mileageBody("", "ABC123", 9000, "", "")), 409, "ERROR_MILEAGE_LOWER_THAN_PREVIOUS")
		a.expect(a.do("PUT", path, c, mileageBody("", "ABC123", 5000, "", "")), 200, "")
		// Deactivated vehicles take no check-ins.
		a.expect(a.do("PUT", "/api/vehicles/deactivate/"+vid, c, nil), 200, "")
		a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 7000, lic, odo)), 409, "ERROR_VEHICLE_INACTIVE")
		// A decided check-in stays decided.
		a.expect(a.do("POST", "/api/admin/checkins/"+list[0]["id"].(string)+"/decision", c, map[string]any{"status": "Confirmed"}), 409, "ERROR_CHECKIN_ALREADY_DECIDED")
	})
}

// TestConcurrentMileageIsMonotonic fires many check-ins with shuffled mileages at one vehicle at
// once: whatever is accepted must be non-decreasing in the order it was recorded.
func TestConcurrentMileageIsMonotonic(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.Role = "api"
		a := startAppWith(t, cfg)
		c := legacy(a.partner())
		uid := a.user(c, "+15558200001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		lic, odo := a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2)
		mileages := []int{1010, 1003, 1019, 1001, 1015, 1007, 1012, 1002, 1018, 1005, 1011, 1004, 1016, 1009, 1013, 1006, 1017, 1008, 1014, 1000}
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted, conflicts := 0, 0
		for _, m := range mileages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", m, lic, odo))
				mu.Lock()
				defer mu.Unlock()
				switch r.status {
				case 200:
					accepted++
				case 409:
					conflicts++
				default:
					t.Errorf("mileage %d: status %d %s", m, r.status, r.body)
				}
			}()
		}
		wg.Wait()
		var list []struct {
			Mileage     int
			CheckedInAt string
			ID          string
		}
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkins/mileage", c, nil), 200, "").json(t, &list)
		if len(list) != accepted || accepted+conflicts != len(mileages) || accepted == 0 {
			t.Fatalf("%d accepted, %d conflicts, %d listed", accepted, conflicts, len(list))
		}
		// The list is newest first (ties broken by the time-ordered id).
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].CheckedInAt != list[j].CheckedInAt {
				return list[i].CheckedInAt < list[j].CheckedInAt
			}
			return list[i].ID < list[j].ID
		})
		for i := 1; i < len(list); i++ {
			if list[i].Mileage < list[i-1].Mileage {
				t.Fatalf("mileage went down from %d to %d: %v", list[i-1].Mileage, list[i].Mileage, list)
			}
		}
		t.Log(fmt.Sprintf("%d of %d concurrent check-ins accepted", accepted, len(mileages)))
	})
}

// TestOdometerRollover reads a five-digit odometer past 99,999: the lower reading is accepted
// as a rollover, confirmed on the distance really driven, and not taken for a rollback in the
// VIN's history; a lower reading that is not a rollover is still refused.
func TestOdometerRollover(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		c := legacy(a.partner())
		uid := a.user(c, "+15558900001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 99_990, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/mileage/"+r["id"].(string), "Confirmed")
		r = a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 5, a.freshPhoto(c, uid, 3), a.freshPhoto(c, uid, 4))), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/mileage/"+r["id"].(string), "Confirmed")
		if sig := findSignal(a.signalsOf(c, r["id"].(string)), "odometer_rollover", "pass"); sig == nil || sig["value"] != "100000" ||
			!strings.Contains(sig["reason"].(string), "15 miles driven") {
			t.Fatalf("rollover signal %v", sig)
		}
		a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "ABC123", 3, a.freshPhoto(c, uid, 5), a.freshPhoto(c, uid, 6))), 409, "ERROR_MILEAGE_LOWER_THAN_PREVIOUS")
		hist := a.expect(a.do("GET", "/api/vehicles/"+vid+"/odometer-history", c, nil), 200, "").obj(t)
		for _, rd := range hist["readings"].([]any) {
			if rd.(map[string]any)["rollback"] == true {
				t.Fatalf("a rollover shown as a rollback: %v", hist)
			}
		}
	})
}
