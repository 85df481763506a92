package main

import (
	"context"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

func TestVehiclesByVIN(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		uid := a.user(c, "+15554000001")
		otherUser := a.user(legacy(a.partner()), "+15554000002")

		v := a.expect(a.do("POST", "/api/vehicles/create/by-vin", c, map[string]any{
			"userId": uid, "vin": " 1hgcm82633a004352 ", "make": "HONDA", "model": "Accord", "year": 2003, "licensePlate": "7ab-c 123", "state": "ca",
		}), 200, "").obj(t)
		if v["vin"] != "1HGCM82633A004352" || v["year"] != "2003" || v["license"] != "7ABC123" || v["state"] != "CA" ||
			v["active"] != true || v["userId"] != uid || v["customerPhoneNumber"] != "+15554000001" || v["make"] != "HONDA" || v["dateAdded"] == "" {
			t.Fatalf("vehicle %v", v)
		}
		vid := v["id"].(string)

		body := func(vin, make string, year int) map[string]any {
			return map[string]any{"userId": uid, "vin": vin, "make": make, "model": "M", "year": year}
		}
		cases := []struct {
			name    string
			body    map[string]any
			status  int
			code    string
			message string // a part of the message that names the failed check
		}{
			{"wrong check digit", body("1HGCM82634A004352", "Honda", 2003), 400, "ERROR_INVALID_PARAMETERS", "check digit"},
			{"16 characters", body("1HGCM82633A00435", "Honda", 2003), 400, "ERROR_INVALID_PARAMETERS", "17 characters"},
			{"letter O", body("1HGCM82633AOO4352", "Honda", 2003), 400, "ERROR_INVALID_PARAMETERS", "never use"},
			{"unknown manufacturer", body("ZZZZZ0000A0000000", "Honda", 2010), 400, "ERROR_INVALID_PARAMETERS", "WMI"},
			{"make contradicts WMI", body("1HGCM82633A004352", "Toyota", 2003), 400, "ERROR_INVALID_PARAMETERS", "make"},
			{"year contradicts code", body("1HGCM82633A004352", "Honda", 2015), 400, "ERROR_INVALID_PARAMETERS", "year"},
			{"year before 1980", body("1HGCM82633A004352", "Honda", 1979), 400, "ERROR_INVALID_PARAMETERS", "year"},
			{"missing vin", body("", "Honda", 2003), 400, "ERROR_INVALID_PARAMETERS", "vin"},
			{"missing model", map[string]any{"userId": uid, "vin": "1G4AH59H45G118341", "make": "Buick", "year": 2005}, 400, "ERROR_INVALID_PARAMETERS", "model"},
			{"bad plate state", map[string]any{"userId": uid, "vin": "1G4AH59H45G118341", "make": "Buick", "model": "M", "year": 2005, "licensePlate": "X1", "state": "QQ"}, 400, "ERROR_INVALID_STATE_CODE", "state"},
			{"unknown user", map[string]any{"userId": "nope", "vin": "1G4AH59H45G118341", "make": "Buick", "model": "M", "year": 2005}, 404, "ERROR_USER_NOT_FOUND", ""},
			{"another partner's user", map[string]any{"userId": otherUser, "vin": "1G4AH59H45G118341", "make": "Buick", "model": "M", "year": 2005}, 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE", ""},
			{"same VIN active", body("1HGCM82633A004352", "Honda", 2003), 409, "ERROR_VEHICLE_ALREADY_EXISTS", "VIN"},
			{"same plate active", map[string]any{"userId": uid, "vin": "1G4AH59H45G118341", "make": "Buick", "model": "M", "year": 2005, "licensePlate": "7ABC123", "state": "CA"}, 409, "ERROR_VEHICLE_ALREADY_EXISTS", "plate"},
			{"year as string", map[string]any{"userId": uid, "vin": "1G4AH59H45G118341", "make": "Buick", "model": "M", "year": "2005"}, 400, "ERROR_INVALID_PARAMETERS", "year"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				a := a.with(t)
				r := a.expect(a.do("POST", "/api/vehicles/create/by-vin", c, tt.body), tt.status, tt.code)
				if msg := r.obj(t)["error_message"].(string); !strings.Contains(msg, tt.message) {
					t.Errorf("message %q does not name %q", msg, tt.message)
				}
			})
		}
		// A European VIN (no check digit) and a Japanese one are accepted.
		a.vehicle(c, uid, "JH4KA7630PC007649", "Acura", 1993, "")
		a.vehicle(c, uid, "WVWZZZ1JZXW000001", "Volkswagen", 1999, "")

		t.Run("update, deactivate, activate", func(t *testing.T) {
			a := a.with(t)
			other := a.vehicle(c, uid, "1G4AH59H45G118341", "Buick", 2005, "OTHER1")
			a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"id": other, "licensePlate": "7abc123", "state": "CA"}), 409, "ERROR_VEHICLE_ALREADY_EXISTS")
			r := a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"id": other, "licensePlate": "NEW 1", "state": "NV"}), 200, "").obj(t)
			if r["license"] != "NEW1" || r["state"] != "NV" || r["vin"] != "1G4AH59H45G118341" {
				t.Fatalf("updated %v", r)
			}
			r = a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"id": other, "licensePlate": ""}), 200, "").obj(t)
			if r["license"] != "" {
				t.Fatalf("blanked plate %v", r["license"])
			}
			a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"id": "nope", "licensePlate": "A"}), 404, "ERROR_VEHICLE_NOT_FOUND")
			a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"licensePlate": "A"}), 400, "ERROR_INVALID_PARAMETERS")
			a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"id": other, "licensePlate": "TOO-LONG-PLATE-1"}), 400, "ERROR_INVALID_PARAMETERS")
			a.expect(a.do("PUT", "/api/vehicles/update", c, map[string]any{"id": other, "state": "Cali"}), 400, "ERROR_INVALID_STATE_CODE")

			a.expect(a.do("GET", "/api/vehicles/by-license/ca/7ABC-123", c, nil), 200, "")
			for i := 0; i < 2; i++ { // idempotent
				r := a.expect(a.do("PUT", "/api/vehicles/deactivate/"+vid, c, nil), 200, "").obj(t)
				if r["active"] != false {
					t.Fatal("still active")
				}
			}
			a.expect(a.do("GET", "/api/vehicles/by-license/CA/7ABC123", c, nil), 404, "ERROR_VEHICLE_NOT_FOUND")
			a.expect(a.do("GET", "/api/vehicles/by-id/"+vid, c, nil), 200, "") // history is kept
			// The VIN and plate are free again; reactivating the old vehicle then clashes.
			a.vehicle(c, uid, "1HGCM82633A004352", "Honda", 2003, "7ABC123")
			a.expect(a.do("PUT", "/api/vehicles/activate/"+vid, c, nil), 409, "ERROR_VEHICLE_ALREADY_EXISTS")
			a.expect(a.do("PUT", "/api/vehicles/activate/nope", c, nil), 404, "ERROR_VEHICLE_NOT_FOUND")
			a.expect(a.do("PUT", "/api/vehicles/deactivate/nope", c, nil), 404, "ERROR_VEHICLE_NOT_FOUND")
			a.expect(a.do("PUT", "/api/vehicles/activate/"+other, c, nil), 200, "") // already active: idempotent
			a.expect(a.do("GET", "/api/vehicles/by-license/XX/ABC", c, nil), 400, "ERROR_INVALID_STATE_CODE")
			a.expect(a.do("GET", "/api/vehicles/by-id/nope", c, nil), 404, "ERROR_VEHICLE_NOT_FOUND")
		})

		t.Run("list", func(t *testing.T) {
			a := a.with(t)
			var page struct {
				TotalItems, CurrentPage, TotalPages, ItemsOnPage int
				Vehicles                                         []struct {
					ID, VIN, License string
					Active           bool
					Owner            struct{ ID, FirstName, LastName string }
				}
			}
			a.expect(a.do("GET", "/api/vehicles?size=2&sortBy=vin&sortDirection=asc", c, nil), 200, "").json(t, &page)
			if page.TotalItems != 5 || page.TotalPages != 3 || page.ItemsOnPage != 2 || page.Vehicles[0].VIN != "1G4AH59H45G118341" ||
				page.Vehicles[0].Owner.ID != uid || page.Vehicles[0].Owner.FirstName != "Ann" {
				t.Fatalf("page %+v", page)
			}
			a.expect(a.do("GET", "/api/vehicles?active=false", c, nil), 200, "").json(t, &page)
			if page.TotalItems != 1 || page.Vehicles[0].ID != vid {
				t.Fatalf("inactive %+v", page)
			}
			a.expect(a.do("GET", "/api/vehicles?searchBy=userPhone&searchValue=4000001", c, nil), 200, "").json(t, &page)
			if page.TotalItems != 5 {
				t.Fatalf("search by phone: %d", page.TotalItems)
			}
			a.expect(a.do("GET", "/api/vehicles?dateAddedStartDate=2000-01-01T00:00:00.000Z&dateAddedEndDate=2000-12-31T00:00:00.000Z", c, nil), 200, "").json(t, &page)
			if page.TotalItems != 0 {
				t.Fatalf("date filter: %d", page.TotalItems)
			}
			for _, bad := range []string{"sortBy=color", "searchBy=color&searchValue=red", "active=perhaps", "dateAddedStartDate=soon", "size=-1", "page=x"} {
				a.expect(a.do("GET", "/api/vehicles?"+bad, c, nil), 400, "ERROR_INVALID_PARAMETERS")
			}
		})
	})
}

func TestVehiclesByLicense(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)
		a.user(c, "+15554100001")
		if _, err := a.app.DB.Plates().ImportPlates(context.Background(), []milepost.PlateRecord{
			{State: "TX", Plate: "LONE1", VIN: "1G4AH59H45G118341", Make: "Buick", Model: "LeSabre", Year: 2005},
			{State: "TX", Plate: "BARE1", VIN: "1HGCM82633A004352"},
		}); err != nil {
			t.Fatal(err)
		}
		v := a.expect(a.do("POST", "/api/vehicles/create/by-license", c, map[string]any{
			"phone": "+15554100001", "licensePlate": "lone 1", "state": "tx", "mileage": 42000,
		}), 200, "").obj(t)
		if v["vin"] != "1G4AH59H45G118341" || v["make"] != "Buick" || v["model"] != "LeSabre" || v["year"] != "2005" || v["license"] != "LONE1" || v["state"] != "TX" {
			t.Fatalf("vehicle %v", v)
		}
		// Without make and year in the record they come from the VIN.
		v = a.expect(a.do("POST", "/api/vehicles/create/by-license", c, map[string]any{"phone": "+15554100001", "licensePlate": "BARE1", "state": "TX"}), 200, "").obj(t)
		if v["make"] != "Honda" || v["year"] != "2003" {
			t.Fatalf("decoded vehicle %v", v)
		}
		cases := []struct {
			name   string
			body   map[string]any
			status int
			code   string
		}{
			{"already active", map[string]any{"phone": "+15554100001", "licensePlate": "LONE1", "state": "TX"}, 409, "ERROR_VEHICLE_ALREADY_EXISTS"},
			{"no VIN for plate", map[string]any{"phone": "+15554100001", "licensePlate": "NOPE1", "state": "TX"}, 404, "ERROR_VEHICLE_NOT_FOUND"},
			{"unknown phone", map[string]any{"phone": "+15554109999", "licensePlate": "LONE1", "state": "TX"}, 404, "ERROR_USER_NOT_FOUND"},
			{"bad state", map[string]any{"phone": "+15554100001", "licensePlate": "LONE1", "state": "T"}, 400, "ERROR_INVALID_STATE_CODE"},
			{"missing state", map[string]any{"phone": "+15554100001", "licensePlate": "LONE1"}, 400, "ERROR_INVALID_STATE_CODE"},
			{"missing plate", map[string]any{"phone": "+15554100001", "state": "TX"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"negative mileage", map[string]any{"phone": "+15554100001", "licensePlate": "LONE1", "state": "TX", "mileage": -5}, 400, "ERROR_INVALID_PARAMETERS"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				a := a.with(t)
				a.expect(a.do("POST", "/api/vehicles/create/by-license", c, tt.body), tt.status, tt.code)
			})
		}
	})
}
