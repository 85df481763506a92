package main

import (
	"strings"
	"testing"

	"github.com/milepost/milepost/milepostest"
)

// TestTenantIsolation calls every endpoint that takes an id of partner A with partner B's
// credentials: each answers 403 ERROR_NO_PERMISSIONS_TO_RESOURCE and never A's data.
func TestTenantIsolation(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		pa, pb := a.partner(), a.partner()
		ca, cb := legacy(pa), legacy(pb)
		uid := a.user(ca, "+15556000001")
		vid := a.vehicle(ca, uid, "1HGCM82633A004352", "Honda", 2003, "ISO1")
		photo := a.expect(a.do("POST", "/api/photo/upload", ca, photoBody(uid, tinyPNG(t))), 200, "").obj(t)
		pid := photo["id"].(string)
		tokB := bearer(a.token(pb, "admin", ""))
		lic, odo := a.freshPhoto(ca, uid, 1), a.freshPhoto(ca, uid, 2)
		mc := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", ca, mileageBody(vid, "ISO1", 100, lic, odo)), 200, "").obj(t)
		mid := mc["id"].(string)

		calls := []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/users/by-id/" + uid, nil},
			{"PUT", "/api/users/" + uid, map[string]any{"firstName": "Mallory"}},
			{"PUT", "/api/users/" + uid + "/update-policy", map[string]any{"policyNumber": "X", "startDate": "2026-01-01", "endDate": "2026-02-01"}},
			{"GET", "/api/vehicles/by-id/" + vid, nil},
			{"PUT", "/api/vehicles/update", map[string]any{"id": vid, "licensePlate": "MINE"}},
			{"PUT", "/api/vehicles/deactivate/" + vid, nil},
			{"PUT", "/api/vehicles/activate/" + vid, nil},
			{"POST", "/api/vehicles/create/by-vin", map[string]any{"userId": uid, "vin": "1G4AH59H45G118341", "make": "Buick", "model": "M", "year": 2005}},
			{"POST", "/api/photo/upload", photoBody(uid, tinyPNG(t))},
			{"POST", "/api/file/upload", map[string]any{"userId": uid, "name": "x.png", "file": photo["sha256"]}},
			{"GET", "/api/photos/" + pid, nil},
			{"GET", "/api/photos/" + pid + "/signed-url", nil},
			{"GET", "/api/vehicles/checkin/mileage/" + mid, nil},
			{"PUT", "/api/vehicles/checkin/mileage/" + mid, mileageBody("", "ISO1", 200, "", "")},
			{"POST", "/api/vehicles/checkin/mileage", mileageBody(vid, "ISO1", 300, lic, odo)},
			{"POST", "/api/vehicles/checkin/condition", map[string]any{"vehicleId": vid, "photos": angles(map[string]string{"Front": lic, "Back": odo, "DriverSide": lic + "x", "PassengerSide": odo + "x"})}},
			{"POST", "/api/users/checkin/proof-of-address", map[string]any{"userId": uid, "documentType": "UtilityBill", "latitude": 1, "longitude": 1, "photos": []map[string]any{{"url": lic, "type": "FrontView"}}}},
			{"GET", "/api/vehicles/" + vid + "/checkins/mileage", nil},
			{"GET", "/api/vehicles/" + vid + "/checkins/condition", nil},
			{"GET", "/api/vehicles/" + vid + "/checkin-summary", nil},
			{"GET", "/api/users/" + uid + "/checkins/proof-of-address", nil},
			{"GET", "/api/users/" + uid + "/proof-of-address/checkin-summary", nil},
			{"GET", "/api/admin/checkins/" + mid, nil},
			{"POST", "/api/admin/checkins/" + mid + "/decision", map[string]any{"status": "Declined"}},
		}
		for _, c := range calls {
			for name, cr := range map[string]creds{"headers": cb, "token": tokB} {
				t.Run(name+" "+c.method+" "+c.path, func(t *testing.T) {
					a := a.with(t)
					r := a.expect(a.do(c.method, c.path, cr, c.body), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
					for _, secret := range []string{"Ann", "Lee", "+15556000001", "1HGCM82633A004352", "ISO1"} {
						if strings.Contains(string(r.body), secret) {
							t.Fatalf("403 body leaks %q: %s", secret, r.body)
						}
					}
				})
			}
		}
		// Lookups by natural keys are scoped to the caller's partner: B simply does not find A's.
		a.expect(a.do("GET", "/api/users/by-phone/+15556000001", cb, nil), 404, "ERROR_USER_NOT_FOUND")
		a.expect(a.do("GET", "/api/vehicles/by-license/CA/ISO1", cb, nil), 404, "ERROR_VEHICLE_NOT_FOUND")
		var page struct{ TotalItems int }
		a.expect(a.do("GET", "/api/vehicles", cb, nil), 200, "").json(t, &page)
		if page.TotalItems != 0 {
			t.Fatalf("partner B lists %d of A's vehicles", page.TotalItems)
		}
		a.expect(a.do("GET", "/api/users", cb, nil), 200, "").json(t, &page)
		if page.TotalItems != 0 {
			t.Fatalf("partner B lists %d of A's users", page.TotalItems)
		}
		for _, list := range []string{"/api/checkins/mileage", "/api/checkins/condition", "/api/checkins/proof-of-address", "/api/admin/review-queue"} {
			a.expect(a.do("GET", list, cb, nil), 200, "").json(t, &page)
			if page.TotalItems != 0 {
				t.Fatalf("partner B lists %d of A's check-ins at %s", page.TotalItems, list)
			}
		}
		// Within partner A, a user token reaches only its own user's check-ins.
		uid2 := a.user(ca, "+15556000002")
		tok2 := bearer(a.token(pa, "user", uid2))
		for _, path := range []string{"/api/vehicles/checkin/mileage/" + mid, "/api/vehicles/" + vid + "/checkin-summary", "/api/vehicles/" + vid + "/checkins/mileage"} {
			a.expect(a.do("GET", path, tok2, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		}
		a.expect(a.do("POST", "/api/vehicles/checkin/mileage", tok2, mileageBody(vid, "ISO1", 300, lic, odo)), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		tok1 := bearer(a.token(pa, "user", uid))
		a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+mid, tok1, nil), 200, "")
		// A still sees everything unchanged.
		v := a.expect(a.do("GET", "/api/vehicles/by-id/"+vid, ca, nil), 200, "").obj(t)
		if v["license"] != "ISO1" || v["active"] != true {
			t.Fatalf("A's vehicle changed: %v", v)
		}
	})
}
