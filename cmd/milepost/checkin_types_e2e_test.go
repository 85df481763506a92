package main

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/milepostest"
)

func angles(urls map[string]string) []map[string]any {
	var out []map[string]any
	for _, a := range []string{"Front", "Back", "DriverSide", "PassengerSide", "DriverSideFront", "DriverSideBack", "PassengerSideFront", "PassengerSideBack"} {
		if u, ok := urls[a]; ok {
			out = append(out, map[string]any{"url": u, "type": a})
		}
	}
	return out
}

func TestConditionCheckins(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		c := legacy(a.partner())
		uid := a.user(c, "+15558300001")
		vid := a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "ABC123")
		photos := map[string]string{}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide", "DriverSideFront"} {
			photos[angle] = a.freshPhoto(c, uid, 10+i)
		}
		without := func(drop string) map[string]string {
			m := map[string]string{}
			for k, v := range photos {
				if k != drop {
					m[k] = v
				}
			}
			return m
		}
		cases := []struct {
			name   string
			photos []map[string]any
			status int
			code   string
			names  string
		}{
			{"missing required angle", angles(without("DriverSide")), 400, "ERROR_INVALID_PARAMETERS", "DriverSide"},
			{"repeated angle", append(angles(photos), map[string]any{"url": a.freshPhoto(c, uid, 30), "type": "Front"}), 400, "ERROR_INVALID_PARAMETERS", "Front"},
			{"unknown angle", append(angles(without("Back")), map[string]any{"url": photos["Back"], "type": "Roof"}), 400, "ERROR_INVALID_PARAMETERS", "Roof"},
			{"no photos", nil, 400, "ERROR_INVALID_PARAMETERS", "photos"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				a := a.with(t)
				r := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": tt.photos}), tt.status, tt.code)
				if msg := r.obj(t)["error_message"].(string); !strings.Contains(msg, tt.names) {
					t.Fatalf("message %q does not name %q", msg, tt.names)
				}
			})
		}
		// The four required angles plus an enhanced one: accepted and confirmed.
		r := a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "userNote": "all good", "photos": angles(photos)}), 200, "").obj(t)
		if r["checkInStatus"] != "Pending" || len(r["photos"].([]any)) != 5 || r["userNote"] != "all good" {
			t.Fatalf("condition check-in %v", r)
		}
		path := "/api/vehicles/checkin/condition/" + r["id"].(string)
		a.waitStatus(c, path, "Confirmed")
		// The same id is not a mileage check-in.
		a.expect(a.do("GET", "/api/vehicles/checkin/mileage/"+r["id"].(string), c, nil), 404, "ERROR_MILEAGE_CHECKIN_NOT_FOUND")

		// A stale Back photo → OnHold naming it; the change flow replaces only that angle. The
		// other angles are taken again (the first check-in's own photos would be replays).
		stale := map[string]string{"Back": a.upload(c, uid, milepostest.Photo(t, "gps_DSCN0012.jpg"))}
		for i, angle := range []string{"Front", "Back", "DriverSide", "PassengerSide", "DriverSideFront"} {
			if angle != "Back" {
				stale[angle] = a.reshotPhoto(c, uid, 10+i)
			}
		}
		r = a.expect(a.do("POST", "/api/vehicles/checkin/condition", c, map[string]any{"vehicleId": vid, "photos": angles(stale)}), 200, "").obj(t)
		path = "/api/vehicles/checkin/condition/" + r["id"].(string)
		held := a.waitStatus(c, path, "OnHold")
		if !strings.Contains(held["adminNote"].(string), "Back") {
			t.Fatalf("note %q does not name the Back photo", held["adminNote"])
		}
		newBack := a.reshotPhoto(c, uid, 11)
		r = a.expect(a.do("PUT", path, c, map[string]any{"userNote": "retook the back", "photos": []map[string]any{{"url": newBack, "type": "Back"}}}), 200, "").obj(t)
		if len(r["photos"].([]any)) != 5 || r["userNote"] != "retook the back" {
			t.Fatalf("after the change flow %v", r)
		}
		for _, p := range r["photos"].([]any) {
			if pm := p.(map[string]any); pm["type"] == "Back" && pm["photoUrl"] != newBack {
				t.Fatalf("Back not replaced: %v", pm)
			}
		}
		a.waitStatus(c, path, "Confirmed")

		var list []map[string]any
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/checkins/condition", c, nil), 200, "").json(t, &list)
		if len(list) != 2 {
			t.Fatalf("vehicle condition list %d", len(list))
		}
		var page struct {
			TotalItems int
			Checkins   []map[string]any
		}
		a.expect(a.do("GET", "/api/checkins/condition?status=Confirmed&searchBy=vin&searchValue=ka&damageDetected=false", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 0 {
			t.Fatalf("vin search 'ka' found %d", page.TotalItems)
		}
		a.expect(a.do("GET", "/api/checkins/condition?status=Confirmed&searchBy=vin&searchValue=cm826&damageDetected=false", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 2 {
			t.Fatalf("vin search found %d, want 2", page.TotalItems)
		}
		a.expect(a.do("GET", "/api/checkins/condition?status=Archived", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 0 {
			t.Fatal("Archived matched check-ins")
		}
	})
}

func TestProofOfAddressCheckins(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		c := legacy(a.partner())
		uid := a.user(c, "+15558400001")
		pdf := textPDF("AUSTIN ENERGY", "Bill Date: "+time.Now().AddDate(0, 0, -3).Format("01/02/2006"), "", "ANN LEE", "1 MAIN ST", "AUSTIN, TX 73301")
		doc := a.expect(a.do("POST", "/api/file/upload", c, map[string]any{"userId": uid, "name": "bill.pdf", "file": base64.StdEncoding.EncodeToString(pdf)}), 200, "").obj(t)["fileUrl"].(string)
		home := a.freshPhoto(c, uid, 50)
		body := func() map[string]any {
			return map[string]any{"userId": uid, "documentType": "UtilityBill", "latitude": 30.26, "longitude": -97.74, "addressType": "Apartment",
				"address":   map[string]any{"addressLine1": "1 Main St", "city": "Austin", "state": "tx", "country": "US", "zip": "73301"},
				"documents": []map[string]any{{"url": doc, "type": "DOCUMENT", "ordinal": 1}},
				"photos":    []map[string]any{{"url": home, "type": "FrontView"}}}
		}
		mut := func(f func(map[string]any)) map[string]any { b := body(); f(b); return b }
		cases := []struct {
			name   string
			body   map[string]any
			status int
			code   string
		}{
			{"bad document type", mut(func(b map[string]any) { b["documentType"] = "Selfie" }), 400, "ERROR_INVALID_PARAMETERS"},
			{"Invalid is not an input", mut(func(b map[string]any) { b["documentType"] = "Invalid" }), 400, "ERROR_INVALID_PARAMETERS"},
			{"bad address type", mut(func(b map[string]any) { b["addressType"] = "Castle" }), 400, "ERROR_INVALID_PARAMETERS"},
			{"missing latitude", mut(func(b map[string]any) { delete(b, "latitude") }), 400, "ERROR_INVALID_PARAMETERS"},
			{"bad state", mut(func(b map[string]any) { b["address"].(map[string]any)["state"] = "ZZ" }), 400, "ERROR_INVALID_STATE_CODE"},
			{"country not US", mut(func(b map[string]any) { b["address"].(map[string]any)["country"] = "MX" }), 400, "ERROR_INVALID_PARAMETERS"},
			{"no evidence", mut(func(b map[string]any) { delete(b, "documents"); delete(b, "photos") }), 400, "ERROR_INVALID_PARAMETERS"},
			{"bad document source", mut(func(b map[string]any) { b["documents"] = []map[string]any{{"url": doc, "type": "FAX"}} }), 400, "ERROR_INVALID_PARAMETERS"},
			{"bad home photo type", mut(func(b map[string]any) { b["photos"] = []map[string]any{{"url": home, "type": "Kitchen"}} }), 400, "ERROR_INVALID_PARAMETERS"},
			{"a file as a home photo", mut(func(b map[string]any) {
				b["photos"] = []map[string]any{{"url": strings.Replace(doc, "/api/files/", "/api/photos/", 1), "type": "FrontView"}}
			}), 400, "ERROR_INVALID_PARAMETERS"},
			{"unknown user", mut(func(b map[string]any) { b["userId"] = "nope" }), 404, "ERROR_USER_NOT_FOUND"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				a := a.with(t)
				a.expect(a.do("POST", "/api/users/checkin/proof-of-address", c, tt.body), tt.status, tt.code)
			})
		}
		r := a.expect(a.do("POST", "/api/users/checkin/proof-of-address", c, body()), 200, "").obj(t)
		addr := r["address"].(map[string]any)
		if r["checkInStatus"] != "Pending" || r["documentType"] != "UtilityBill" || addr["state"] != "TX" || r["insights"] != nil ||
			len(r["documents"].([]any)) != 1 || r["documents"].([]any)[0].(map[string]any)["url"] != doc || len(r["photos"].([]any)) != 1 {
			t.Fatalf("proof of address %v", r)
		}
		path := "/api/users/checkin/proof-of-address/" + r["id"].(string)
		done := a.waitStatus(c, path, "Confirmed")
		next := done["nextCheckInDate"].(string)
		if next[:4] != "2027" {
			t.Fatalf("nextCheckInDate %s is not a year later", next)
		}
		a.expect(a.do("GET", "/api/vehicles/checkin/condition/"+r["id"].(string), c, nil), 404, "ERROR_CONDITION_CHECKIN_NOT_FOUND")
		a.expect(a.do("GET", "/api/users/checkin/proof-of-address/nope", c, nil), 404, "ERROR_PROOF_OF_ADDRESS_CHECKIN_NOT_FOUND")
		var list []map[string]any
		a.expect(a.do("GET", "/api/users/"+uid+"/checkins/proof-of-address", c, nil), 200, "").json(t, &list)
		if len(list) != 1 {
			t.Fatalf("user list %v", list)
		}
		var sums []map[string]any
		a.expect(a.do("GET", "/api/users/"+uid+"/proof-of-address/checkin-summary", c, nil), 200, "").json(t, &sums)
		if len(sums) != 1 || sums[0]["lastConfirmedOrdinal"] != float64(1) || sums[0]["checkinUnlocked"] != false ||
			sums[0]["photoBonusForNextCheckin"] != float64(0) || sums[0]["checkins"].([]any)[0].(map[string]any)["address"] == nil {
			t.Fatalf("summary %v", sums)
		}
		var page struct{ TotalItems int }
		a.expect(a.do("GET", "/api/checkins/proof-of-address?searchBy=city&searchValue=aus", c, nil), 200, "").json(t, &page)
		if page.TotalItems != 1 {
			t.Fatalf("city search %d", page.TotalItems)
		}
		a.expect(a.do("GET", "/api/checkins/proof-of-address?searchBy=vin&searchValue=x", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("PUT", path, c, body()), 409, "ERROR_CHECKIN_ALREADY_DECIDED")
	})
}
