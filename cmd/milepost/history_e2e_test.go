package main

import (
	"strings"
	"testing"

	"github.com/milepost/milepost/milepostest"
)

// TestOdometerHistoryAndMileageLog feeds one VIN from the three sources — a confirmed mileage
// check-in (miles), workshop registrations (km) and a trip-log car's start-of-year odometers
// (miles) — and reads the history, the yearly mileage log (JSON and CSV) and the CLI views.
func TestOdometerHistoryAndMileageLog(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15559100001")
		const vin = "1HGCM82633A004352"
		vid := a.vehicle(c, uid, vin, "Honda", 2003, "HIST1")
		r := a.expect(a.do("POST", "/api/vehicles/checkin/mileage", c, mileageBody(vid, "HIST1", 30000, a.freshPhoto(c, uid, 1), a.freshPhoto(c, uid, 2))), 200, "").obj(t)
		a.waitStatus(c, "/api/vehicles/checkin/mileage/"+r["id"].(string), "Confirmed")
		jt := a.jifelineToken(p)
		for _, km := range []float64{40233.6, 32186.88} { // 25000 mi, then 20000 mi: a rollback
			if res := a.do("POST", "/v2/vehicles/odometer-registrations", jt, registration(vin, km)); res.status != 201 {
				t.Fatalf("registration: %d %s", res.status, res.body)
			}
		}
		tt := a.tightToken(p, uid)
		cars := a.tight(a.do("POST", "/v6/mileage/cars", tt, map[string]any{"data": []map[string]any{{"name": "The Accord", "vehicleId": vid,
			"details": []map[string]any{{"year": 2024, "odometer": 12000}, {"year": 2025, "odometer": 21500}}}}}), 200, "SUCCESS", "", "")
		carID := items(cars)[0]["data"].(map[string]any)["id"]
		a.tight(a.do("POST", "/v6/mileage", tt, map[string]any{"data": []map[string]any{
			{"date": "2024-02-10", "mileageStatus": "BUSINESS", "description": "Site visit", "distance": map[string]any{"value": "800"}, "carId": carID},
			{"date": "2024-05-02", "mileageStatus": "BUSINESS", "description": "Trade fair", "distance": map[string]any{"value": "1200.5"}, "carId": carID},
			{"date": "2024-06-01", "mileageStatus": "PERSONAL", "distance": map[string]any{"value": "300"}, "carId": carID},
			{"date": "2024-07-01", "mileageStatus": "BUSINESS", "description": "No car", "distance": map[string]any{"value": "99"}},
		}}), 200, "SUCCESS", "", "")

		var h struct {
			VIN      string
			Readings []struct {
				Source   string
				Value    float64
				Unit     string
				Miles    float64
				Km       float64
				Rollback bool
			}
		}
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/odometer-history", c, nil), 200, "").json(t, &h)
		if h.VIN != vin || len(h.Readings) != 5 {
			t.Fatalf("history %+v", h)
		}
		sources := map[string]int{}
		rollbacks := 0
		for _, rd := range h.Readings {
			sources[rd.Source]++
			if rd.Rollback {
				rollbacks++
			}
			if rd.Unit == "km" && (rd.Miles < 19999.9 || rd.Miles > 25000.1) {
				t.Fatalf("km reading converted to %f miles", rd.Miles)
			}
		}
		if sources["car_year_start"] != 2 || sources["odometer_registration"] != 2 || sources["mileage_checkin"] != 1 || rollbacks < 1 {
			t.Fatalf("sources %v, %d rollbacks: %+v", sources, rollbacks, h.Readings)
		}
		other := legacy(a.partner())
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/odometer-history", other, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")

		log := a.expect(a.do("GET", "/api/vehicles/"+vid+"/mileage-log?year=2024", c, nil), 200, "").obj(t)
		if log["totalMiles"] != float64(9500) || log["businessMiles"] != 2000.5 || len(log["businessTrips"].([]any)) != 2 ||
			log["startOdometer"].(map[string]any)["source"] != "car_year_start" || log["businessUsePercent"] != 21.06 {
			t.Fatalf("mileage log %v", log)
		}
		csv := a.expect(a.do("GET", "/api/vehicles/"+vid+"/mileage-log?year=2024&format=csv", c, nil), 200, "")
		if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(string(csv.body), "2024-05-02,Trade fair,1200.50") {
			t.Fatalf("csv %s", csv.body)
		}
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/mileage-log?year=1900", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/mileage-log?format=pdf", c, nil), 400, "ERROR_INVALID_PARAMETERS")
		a.expect(a.do("GET", "/api/vehicles/"+vid+"/mileage-log", bearer(a.token(p, "user", uid)), nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")

		// The operator's CLI sees the same history and report.
		code, out, errs := runCLI(t, s, []string{"odometer", "history"}, "--vin", vin)
		if code != 0 || strings.Count(out, "\n") != 6 || !strings.Contains(out, "odometer_registration") || !strings.Contains(out, "yes") {
			t.Fatalf("odometer history: %d %q %q", code, out, errs)
		}
		code, out, errs = runCLI(t, s, []string{"report", "mileage-log"}, "--vin", vin, "--year", "2024")
		if code != 0 || !strings.Contains(out, "Total miles,9500.00") || !strings.Contains(out, "Site visit") {
			t.Fatalf("report: %d %q %q", code, out, errs)
		}
		if code, _, _ := runCLI(t, s, []string{"report", "mileage-log"}, "--vin", "bad"); code != 2 {
			t.Fatalf("bad vin: exit %d", code)
		}
	})
}
