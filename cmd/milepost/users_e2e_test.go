package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

func newUserBody(phone, email string) map[string]any {
	return map[string]any{
		"firstName": "Ann", "lastName": "Lee", "phone": phone, "email": email, "isEmailVerified": true,
		"customField1": "c1", "customField5": "c5",
		"address": map[string]any{"addressLine1": "1 Main St", "city": "Austin", "state": "tx", "country": "US", "zip": "73301"},
	}
}

func TestUsers(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := legacy(p)

		u := a.expect(a.do("POST", "/api/users", c, newUserBody("(555) 201-0001", "Ann@Example.com")), 200, "").obj(t)
		id := u["id"].(string)
		addr := u["address"].(map[string]any)
		if u["phone"] != "+15552010001" || u["email"] != "Ann@Example.com" || u["emailVerified"] != true || addr["state"] != "TX" ||
			addr["country"] != "US" || u["customField5"] != "c5" || u["tosAnswer"] != "None" || u["dateRegistered"] == "" || u["updated"] == "" {
			t.Fatalf("created user %v", u)
		}

		t.Run("create errors", func(t *testing.T) {
			a := a.with(t)
			bad := func(mut func(map[string]any)) map[string]any {
				b := newUserBody("+15552019999", "")
				mut(b)
				return b
			}
			cases := []struct {
				name   string
				body   any
				status int
				code   string
			}{
				{"duplicate phone", newUserBody("+15552010001", ""), 409, "ERROR_USER_ALREADY_EXISTS"},
				{"duplicate email, other case", newUserBody("+15552010002", "ann@example.COM"), 409, "ERROR_USER_ALREADY_EXISTS"},
				{"invalid state", bad(func(b map[string]any) { b["address"].(map[string]any)["state"] = "ZZ" }), 400, "ERROR_INVALID_STATE_CODE"},
				{"missing state", bad(func(b map[string]any) { delete(b["address"].(map[string]any), "state") }), 400, "ERROR_INVALID_STATE_CODE"},
				{"country not US", bad(func(b map[string]any) { b["address"].(map[string]any)["country"] = "CA" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"bad zip", bad(func(b map[string]any) { b["address"].(map[string]any)["zip"] = "ABCDE" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"missing address", bad(func(b map[string]any) { delete(b, "address") }), 400, "ERROR_INVALID_PARAMETERS"},
				{"missing first name", bad(func(b map[string]any) { b["firstName"] = " " }), 400, "ERROR_INVALID_PARAMETERS"},
				{"missing phone", bad(func(b map[string]any) { delete(b, "phone") }), 400, "ERROR_INVALID_PARAMETERS"},
				{"bad phone", bad(func(b map[string]any) { b["phone"] = "555-CALL-NOW" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"bad email", bad(func(b map[string]any) { b["email"] = "not-an-email" }), 400, "ERROR_INVALID_PARAMETERS"},
				{"phone is a number", bad(func(b map[string]any) { b["phone"] = 15552019999 }), 400, "ERROR_INVALID_PARAMETERS"},
				{"not JSON", "{", 400, "ERROR_INVALID_PARAMETERS"},
				{"empty body", "", 400, "ERROR_INVALID_PARAMETERS"},
				{"array body", "[]", 400, "ERROR_INVALID_PARAMETERS"},
				{"trailing data", `{"firstName":"a"} {}`, 400, "ERROR_INVALID_PARAMETERS"},
			}
			for _, tt := range cases {
				t.Run(tt.name, func(t *testing.T) {
					a := a.with(t)
					a.expect(a.do("POST", "/api/users", c, tt.body), tt.status, tt.code)
				})
			}
		})

		t.Run("return existing", func(t *testing.T) {
			a := a.with(t)
			r := a.expect(a.do("POST", "/api/users?returnExistingUserIfExists=true", c, newUserBody("+15552010001", "")), 200, "").obj(t)
			if r["id"] != id {
				t.Fatalf("returned %v, want the existing user %s", r["id"], id)
			}
			a.expect(a.do("POST", "/api/users?returnExistingUserIfExists=maybe", c, newUserBody("+15552010001", "")), 400, "ERROR_INVALID_PARAMETERS")
		})

		t.Run("with policy", func(t *testing.T) {
			a := a.with(t)
			body := newUserBody("+15552010010", "")
			body["policyInfo"] = map[string]any{"policyNumber": "POL-1", "startDate": "2026-01-01T00:00:00.000Z", "endDate": "2027-01-01T00:00:00.000Z"}
			r := a.expect(a.do("POST", "/api/users/with-policy", c, body), 200, "").obj(t)
			pol := r["policyInfo"].(map[string]any)
			if pol["policyNumber"] != "POL-1" || pol["startDate"] != "2026-01-01T00:00:00.000Z" {
				t.Fatalf("policy %v", pol)
			}
			again := a.expect(a.do("POST", "/api/users/with-policy?returnExistingUserIfExists=true", c, body), 200, "").obj(t)
			if again["id"] != r["id"] {
				t.Fatal("same phone + policy number must return the existing user")
			}
			body["policyInfo"].(map[string]any)["policyNumber"] = "POL-2"
			a.expect(a.do("POST", "/api/users/with-policy?returnExistingUserIfExists=true", c, body), 409, "ERROR_USER_ALREADY_EXISTS")
			noDates := newUserBody("+15552010011", "")
			noDates["policyInfo"] = map[string]any{"policyNumber": "POL-3"}
			a.expect(a.do("POST", "/api/users/with-policy", c, noDates), 400, "ERROR_INVALID_PARAMETERS")
			noPolicy := newUserBody("+15552010012", "")
			a.expect(a.do("POST", "/api/users/with-policy", c, noPolicy), 400, "ERROR_INVALID_PARAMETERS")
			backwards := newUserBody("+15552010013", "")
			backwards["policyInfo"] = map[string]any{"policyNumber": "P", "startDate": "2027-01-01", "endDate": "2026-01-01"}
			a.expect(a.do("POST", "/api/users/with-policy", c, backwards), 400, "ERROR_INVALID_PARAMETERS")
			badDate := newUserBody("+15552010014", "")
			badDate["policyInfo"] = map[string]any{"policyNumber": "P", "startDate": "yesterday", "endDate": "2026-01-01"}
			a.expect(a.do("POST", "/api/users/with-policy", c, badDate), 400, "ERROR_INVALID_PARAMETERS")
			// A partner allowed to omit policy dates.
			yes := true
			if _, err := a.app.DB.Partners().UpdateSettings(context.Background(), p.Partner.ID, milepost.PartnerSettings{PolicyDatesOptional: &yes}); err != nil {
				t.Fatal(err)
			}
			a.expect(a.do("POST", "/api/users/with-policy", c, noDates), 200, "")
		})

		t.Run("update", func(t *testing.T) {
			a := a.with(t)
			other := a.user(c, "+15552010020")
			r := a.expect(a.do("PUT", "/api/users/"+id, c, map[string]any{"firstName": "Anna", "isPhoneVerified": true}), 200, "").obj(t)
			if r["firstName"] != "Anna" || r["lastName"] != "Lee" || r["phoneVerified"] != true || r["email"] != "Ann@Example.com" {
				t.Fatalf("updated user %v", r)
			}
			a.expect(a.do("PUT", "/api/users/"+id, c, map[string]any{"phone": "+15552010020"}), 409, "ERROR_USER_ALREADY_EXISTS")
			a.expect(a.do("PUT", "/api/users/"+other, c, map[string]any{"email": "ANN@example.com"}), 409, "ERROR_USER_ALREADY_EXISTS")
			a.expect(a.do("PUT", "/api/users/"+id, c, map[string]any{"address": map[string]any{"state": "XX"}}), 400, "ERROR_INVALID_STATE_CODE")
			a.expect(a.do("PUT", "/api/users/"+id, c, map[string]any{"address": map[string]any{"city": "Reno"}}), 400, "ERROR_INVALID_STATE_CODE")
			a.expect(a.do("PUT", "/api/users/"+id, c, map[string]any{"lastName": ""}), 400, "ERROR_INVALID_PARAMETERS")
			a.expect(a.do("PUT", "/api/users/nope", c, map[string]any{"firstName": "x"}), 404, "ERROR_USER_NOT_FOUND")
			r = a.expect(a.do("PUT", "/api/users/"+id+"/update-policy", c, map[string]any{"policyNumber": "P9", "startDate": "2026-02-01T00:00:00Z", "endDate": "2026-08-01T00:00:00Z"}), 200, "").obj(t)
			if r["policyInfo"].(map[string]any)["endDate"] != "2026-08-01T00:00:00.000Z" {
				t.Fatalf("policy after update %v", r["policyInfo"])
			}
			a.expect(a.do("PUT", "/api/users/"+id+"/update-policy", c, map[string]any{"startDate": "2026-02-01"}), 400, "ERROR_INVALID_PARAMETERS")
			a.expect(a.do("PUT", "/api/users/nope/update-policy", c, map[string]any{"policyNumber": "P9", "startDate": "2026-02-01", "endDate": "2026-03-01"}), 404, "ERROR_USER_NOT_FOUND")
		})

		t.Run("get", func(t *testing.T) {
			a := a.with(t)
			for _, phone := range []string{"+15552010001", "%2B15552010001", "15552010001"} {
				r := a.expect(a.do("GET", "/api/users/by-phone/"+phone, c, nil), 200, "").obj(t)
				if r["id"] != id {
					t.Fatalf("by-phone %s returned %v", phone, r["id"])
				}
			}
			a.expect(a.do("GET", "/api/users/by-phone/+15559999999", c, nil), 404, "ERROR_USER_NOT_FOUND")
			a.expect(a.do("GET", "/api/users/by-phone/hello", c, nil), 400, "ERROR_INVALID_PARAMETERS")
			a.expect(a.do("GET", "/api/users/by-id/"+id, c, nil), 200, "")
			a.expect(a.do("GET", "/api/users/by-id/nope", c, nil), 404, "ERROR_USER_NOT_FOUND")
		})

		t.Run("list", func(t *testing.T) {
			a := a.with(t)
			q := a.partner()
			qc := legacy(q)
			for i := 0; i < 12; i++ {
				body := newUserBody(fmt.Sprintf("+1555301%04d", i), fmt.Sprintf("u%d@example.com", i))
				body["lastName"] = fmt.Sprintf("Name%02d", i)
				a.expect(a.do("POST", "/api/users", qc, body), 200, "")
			}
			var page struct {
				TotalItems, CurrentPage, TotalPages, ItemsOnPage int
				Users                                            []map[string]any
			}
			a.expect(a.do("GET", "/api/users?page=1&size=5&sortBy=lastName&sortDirection=asc", qc, nil), 200, "").json(t, &page)
			if page.TotalItems != 12 || page.CurrentPage != 1 || page.TotalPages != 3 || page.ItemsOnPage != 5 || page.Users[0]["lastName"] != "Name05" {
				t.Fatalf("page %+v", page)
			}
			a.expect(a.do("GET", "/api/users?searchBy=email&searchValue=U1", qc, nil), 200, "").json(t, &page)
			if page.TotalItems != 3 { // u1, u10, u11
				t.Fatalf("search found %d, want 3", page.TotalItems)
			}
			a.expect(a.do("GET", "/api/users", qc, nil), 200, "").json(t, &page)
			if page.TotalItems != 12 || page.ItemsOnPage != 10 {
				t.Fatalf("default page %+v", page)
			}
			for _, bad := range []string{"page=-1", "size=0x", "size=5000", "sortBy=age", "sortDirection=up", "searchBy=zip&searchValue=1", "searchBy=email"} {
				a.expect(a.do("GET", "/api/users?"+bad, qc, nil), 400, "ERROR_INVALID_PARAMETERS")
			}
		})
	})
}
