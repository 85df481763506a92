package main

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// tightToken gets a v6 token with HTTP Basic credentials, for a user when userID is set.
func (a *testApp) tightToken(p *milepost.PartnerCredentials, userID string) creds {
	a.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if userID != "" {
		form.Set("userId", userID)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.Partner.ClientID+":"+p.ClientSecret))
	r := a.expect(a.doType("POST", "/v6/auth/token", creds{"Authorization": basic}, "application/x-www-form-urlencoded", form.Encode()), 200, "")
	tok := r.obj(a.t)
	want := "partner"
	if userID != "" {
		want = "user"
	}
	if tok["scope"] != want || tok["token_type"] != "Bearer" {
		a.t.Fatalf("token %v", tok)
	}
	return bearer(tok["access_token"].(string))
}

// tight checks a Tight-envelope answer: its status, result and (for failures) the first error's
// type and param.
func (a *testApp) tight(r response, status int, result, errType, param string) map[string]any {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.obj(a.t)
	if m["result"] != result {
		a.t.Fatalf("result %v, want %s: %s", m["result"], result, r.body)
	}
	if errType != "" {
		e := m["error"].([]any)[0].(map[string]any)
		if e["type"] != errType || (param != "" && e["param"] != param) || e["message"] == "" {
			a.t.Fatalf("error %v, want %s on %s", e, errType, param)
		}
	}
	return m
}

func items(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range m["data"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestTripLog(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		uid := a.user(legacy(p), "+15559000001")
		uid2 := a.user(legacy(p), "+15559000002")
		tok := a.tightToken(p, uid)
		partnerTok := a.tightToken(p, "")

		// Cars first, so trips can refer to one.
		cars := a.tight(a.do("POST", "/v6/mileage/cars", tok, map[string]any{"data": []map[string]any{
			{"make": "Toyota", "model": "Camry", "name": "My Camry", "year": 2022, "isPrimary": true, "vin": "1hgcm82633a004352",
				"details": []map[string]any{{"year": 2024, "odometer": 12000}}, "customData": map[string]any{"k": "v"}},
			{"name": "Old truck", "isPrimary": true},
		}}), 200, "SUCCESS", "", "")
		carItems := items(cars)
		camry := carItems[0]["data"].(map[string]any)
		truck := carItems[1]["data"].(map[string]any)
		if camry["vin"] != "1HGCM82633A004352" || camry["customData"].(map[string]any)["k"] != "v" || !strings.HasPrefix(camry["id"].(string), "car_") {
			t.Fatalf("car %v", camry)
		}
		got := a.tight(a.do("GET", "/v6/mileage/cars/"+camry["id"].(string), tok, nil), 200, "SUCCESS", "", "")["data"].(map[string]any)
		if got["isPrimary"] != false || truck["isPrimary"] != true {
			t.Fatalf("only the last primary car stays primary: camry %v truck %v", got["isPrimary"], truck["isPrimary"])
		}

		// A bulk save: each item on its own, in order; 207 when some fail.
		saved := a.tight(a.do("POST", "/v6/mileage", tok, map[string]any{"data": []any{
			map[string]any{"date": "2024-03-15", "mileageStatus": "BUSINESS", "description": "Client meeting", "distance": map[string]any{"type": "MILE", "value": "12.5"},
				"carId": camry["id"], "customData": map[string]any{"internal_key": "x", "n": 23434}, "start": map[string]any{"time": "2024-03-15T09:00:00Z", "lat": "38.8977", "lng": "-77.0365", "locationId": "loc_1"}},
			map[string]any{"date": "2022-07-01", "mileageStatus": "BUSINESS", "distance": map[string]any{"type": "KILOMETER", "value": "20.1168"}},
			map[string]any{"date": "2022-06-30", "mileageStatus": "NOT_BUSINESS", "start": map[string]any{"lat": 38.8977, "lng": -77.0365}, "end": map[string]any{"lat": "39.2904", "lng": "-76.6122"}},
			map[string]any{"mileageStatus": "BUSINESS", "distance": map[string]any{"value": "1"}},
			map[string]any{"date": "2024-01-01", "distance": map[string]any{"value": "-3"}},
			map[string]any{"date": "2024-01-01", "distance": map[string]any{"value": "3"}, "carId": "car_nope"},
			"not an object",
			map[string]any{"date": "2024-01-01", "distance": map[string]any{"value": "3"}, "deduction": map[string]any{"amount": 6775}},
		}}), 207, "FAILURE", "", "")
		res := items(saved)
		wantItems := []struct {
			status  float64
			errType string
			param   string
		}{{200, "", ""}, {200, "", ""}, {200, "", ""}, {400, "REQUIRED", "date"}, {400, "INVALID_FORMAT", "distance.value"},
			{400, "INVALID_VALUE", "carId"}, {400, "JSON_ERROR", ""}, {200, "", ""}}
		if len(res) != len(wantItems) {
			t.Fatalf("%d item results", len(res))
		}
		for i, w := range wantItems {
			if res[i]["statusCode"] != w.status {
				t.Fatalf("item %d: %v", i, res[i])
			}
			if w.errType != "" {
				e := res[i]["error"].([]any)[0].(map[string]any)
				if e["type"] != w.errType || (w.param != "" && e["param"] != w.param) || res[i]["result"] != "FAILURE" || res[i]["data"] != nil {
					t.Fatalf("item %d error %v", i, res[i])
				}
			}
		}
		biz := res[0]["data"].(map[string]any)
		km := res[1]["data"].(map[string]any)
		gc := res[2]["data"].(map[string]any)
		client := res[7]["data"].(map[string]any)
		if !strings.HasPrefix(biz["id"].(string), "mlg_") || biz["deduction"].(map[string]any)["amount"] != float64(838) || biz["irsRateCentsPerMile"] != "67" ||
			biz["car"].(map[string]any)["name"] != "My Camry" || biz["customData"].(map[string]any)["n"] != float64(23434) ||
			biz["start"].(map[string]any)["lat"] != "38.8977" || biz["start"].(map[string]any)["location"].(map[string]any)["id"] != "loc_1" {
			t.Fatalf("business trip %v", biz)
		}
		if km["distance"].(map[string]any)["type"] != "KILOMETER" || km["deduction"].(map[string]any)["amount"] != float64(781) || km["irsRateCentsPerMile"] != "62.5" {
			t.Fatalf("km trip on the mid-year rate %v", km)
		}
		if gc["mileageStatus"] != "PERSONAL" || gc["distanceSource"] != "GREAT_CIRCLE" || gc["deduction"].(map[string]any)["amount"] != float64(0) ||
			!strings.HasPrefix(gc["distance"].(map[string]any)["value"].(string), "35.4") {
			t.Fatalf("great-circle trip %v", gc)
		}
		if client["deduction"].(map[string]any)["amount"] != float64(6775) || client["deductionSource"] != "CLIENT" || client["mileageStatus"] != "PENDING" {
			t.Fatalf("client deduction %v", client)
		}

		// Updates by id: only the fields sent change.
		upd := a.tight(a.do("POST", "/v6/mileage", tok, map[string]any{"data": []map[string]any{{"id": biz["id"], "notes": "met Abigail"}}}), 200, "SUCCESS", "", "")
		u := items(upd)[0]["data"].(map[string]any)
		if u["notes"] != "met Abigail" || u["description"] != "Client meeting" || u["deduction"].(map[string]any)["amount"] != float64(838) {
			t.Fatalf("update %v", u)
		}
		a.tight(a.do("POST", "/v6/mileage", tok, map[string]any{"data": []map[string]any{{"id": "mlg_nope", "notes": "x"}}}), 400, "FAILURE", "", "")

		// Whole-request errors.
		a.tight(a.do("POST", "/v6/mileage", tok, "{not json"), 400, "FAILURE", "JSON_ERROR", "")
		a.tight(a.do("POST", "/v6/mileage", tok, map[string]any{"data": []any{}}), 400, "FAILURE", "REQUIRED", "data")
		a.tight(a.do("POST", "/v6/mileage", tok, map[string]any{}), 400, "FAILURE", "REQUIRED", "data")
		a.tight(a.do("POST", "/v6/mileage", partnerTok, map[string]any{"data": []map[string]any{{"date": "2024-01-01", "distance": map[string]any{"value": "1"}}}}), 403, "FAILURE", "BAD_REQUEST", "")
		a.tight(a.do("POST", "/v6/mileage", nil, map[string]any{"data": []map[string]any{{}}}), 401, "FAILURE", "INVALID_TOKEN", "")
		a.tight(a.do("POST", "/v6/mileage", bearer(a.token(p, "admin", "")), map[string]any{"data": []map[string]any{{}}}), 401, "FAILURE", "INVALID_TOKEN", "")

		// Query: filters, sort and cursor paging both ways.
		q := func(c creds, body map[string]any) map[string]any {
			return a.tight(a.do("POST", "/v6/mileage/query", c, body), 200, "SUCCESS", "", "")
		}
		page := q(tok, map[string]any{"limit": 2, "sort": map[string]any{"orderBy": "DATE", "direction": "ASC"}})
		data := page["data"].([]any)
		cur := page["cursor"].(map[string]any)
		if len(data) != 2 || data[0].(map[string]any)["date"] != "2022-06-30" || cur["before"] != nil || cur["after"] == nil {
			t.Fatalf("first page %v", page)
		}
		page2 := q(tok, map[string]any{"limit": 2, "cursor": cur["after"], "sort": map[string]any{"orderBy": "DATE", "direction": "ASC"}})
		data2 := page2["data"].([]any)
		cur2 := page2["cursor"].(map[string]any)
		if len(data2) != 2 || data2[0].(map[string]any)["date"] != "2024-01-01" || cur2["after"] != nil || cur2["before"] == nil {
			t.Fatalf("second page %v", page2)
		}
		back := q(tok, map[string]any{"limit": 2, "cursor": cur2["before"], "sort": map[string]any{"orderBy": "DATE", "direction": "ASC"}})
		if bd := back["data"].([]any); len(bd) != 2 || bd[0].(map[string]any)["date"] != "2022-06-30" || back["cursor"].(map[string]any)["before"] != nil {
			t.Fatalf("back to the first page %v", back)
		}
		filtered := q(tok, map[string]any{"filter": map[string]any{"mileageStatus": map[string]any{"equal": "BUSINESS"}, "date": map[string]any{"greaterThanEqual": "2023-01-01"}}})
		if fd := filtered["data"].([]any); len(fd) != 1 || fd[0].(map[string]any)["id"] != biz["id"] {
			t.Fatalf("filtered %v", filtered)
		}
		desc := q(tok, map[string]any{"sort": map[string]any{"orderBy": "DATE", "direction": "DESC"}, "filter": map[string]any{"mileageStatus": map[string]any{"in": []string{"BUSINESS", "PENDING"}}}})
		if dd := desc["data"].([]any); len(dd) != 3 || dd[0].(map[string]any)["date"] != "2024-03-15" {
			t.Fatalf("desc %v", desc)
		}
		a.tight(a.do("POST", "/v6/mileage/query", tok, map[string]any{"sort": map[string]any{"orderBy": "DISTANCE"}}), 400, "FAILURE", "INVALID_VALUE", "sort.orderBy")
		a.tight(a.do("POST", "/v6/mileage/query", tok, map[string]any{"cursor": "garbage!"}), 400, "FAILURE", "INVALID_VALUE", "cursor")
		a.tight(a.do("POST", "/v6/mileage/query", tok, map[string]any{"limit": 5000}), 400, "FAILURE", "", "")

		// Delete is a soft delete; default queries leave INACTIVE records out.
		del := a.tight(a.do("DELETE", "/v6/mileage/"+gc["id"].(string), tok, nil), 200, "SUCCESS", "", "")
		if del["data"].(map[string]any)["status"] != "INACTIVE" {
			t.Fatalf("deleted %v", del)
		}
		if n := len(q(tok, map[string]any{})["data"].([]any)); n != 3 {
			t.Fatalf("after delete %d active records", n)
		}
		inactive := q(tok, map[string]any{"filter": map[string]any{"status": map[string]any{"equal": "INACTIVE"}}})
		if len(inactive["data"].([]any)) != 1 {
			t.Fatalf("inactive %v", inactive)
		}
		a.tight(a.do("GET", "/v6/mileage/"+gc["id"].(string), tok, nil), 200, "SUCCESS", "", "")
		a.tight(a.do("GET", "/v6/mileage/mlg_nope", tok, nil), 404, "FAILURE", "INVALID_VALUE", "")

		// Scopes: the partner-level token reads every user's log; another user and another partner get 403.
		if n := len(q(partnerTok, map[string]any{})["data"].([]any)); n != 3 {
			t.Fatalf("partner-level query sees %d", n)
		}
		tok2 := a.tightToken(p, uid2)
		a.tight(a.do("GET", "/v6/mileage/"+biz["id"].(string), tok2, nil), 403, "FAILURE", "", "")
		if n := len(q(tok2, map[string]any{})["data"].([]any)); n != 0 {
			t.Fatalf("another user sees %d", n)
		}
		other := a.partner()
		otok := a.tightToken(other, a.user(legacy(other), "+15559000003"))
		for _, c := range []struct{ method, path string }{
			{"GET", "/v6/mileage/" + biz["id"].(string)}, {"DELETE", "/v6/mileage/" + biz["id"].(string)},
			{"GET", "/v6/mileage/cars/" + camry["id"].(string)}, {"DELETE", "/v6/mileage/cars/" + camry["id"].(string)},
		} {
			a.tight(a.do(c.method, c.path, otok, nil), 403, "FAILURE", "", "")
		}
		a.tight(a.do("POST", "/v6/mileage", otok, map[string]any{"data": []map[string]any{{"id": biz["id"], "notes": "mine"}}}), 400, "FAILURE", "", "")

		// Cars: query, details validation, delete.
		cq := a.tight(a.do("POST", "/v6/mileage/cars/query", tok, map[string]any{"limit": 1}), 200, "SUCCESS", "", "")
		if len(cq["data"].([]any)) != 1 || cq["cursor"].(map[string]any)["after"] == nil {
			t.Fatalf("car query %v", cq)
		}
		bad := a.tight(a.do("POST", "/v6/mileage/cars", tok, map[string]any{"data": []map[string]any{
			{"name": "x", "details": []map[string]any{{"year": 2024, "odometer": 1}, {"year": 2024, "odometer": 2}}},
			{"name": "y", "vin": "SHORT"},
			{"name": "z", "vehicleId": "nope"},
			{"name": "ok"},
		}}), 207, "FAILURE", "", "")
		for i, param := range []string{"details", "vin", "vehicleId"} {
			if e := items(bad)[i]["error"].([]any)[0].(map[string]any); e["param"] != param {
				t.Fatalf("car item %d: %v", i, e)
			}
		}
		a.tight(a.do("DELETE", "/v6/mileage/cars/"+truck["id"].(string), tok, nil), 200, "SUCCESS", "", "")
		inactiveCar := a.tight(a.do("POST", "/v6/mileage", tok, map[string]any{"data": []map[string]any{{"date": "2024-01-01", "distance": map[string]any{"value": "1"}, "carId": truck["id"]}}}), 400, "FAILURE", "BAD_REQUEST", "")
		if e := items(inactiveCar)[0]["error"].([]any)[0].(map[string]any); e["type"] != "INVALID_VALUE" || e["param"] != "carId" {
			t.Fatalf("a deleted car: %v", e)
		}

		// Token errors.
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.Partner.ClientID+":nope"))
		a.tight(a.doType("POST", "/v6/auth/token", creds{"Authorization": basic}, "application/x-www-form-urlencoded", "grant_type=client_credentials"), 401, "FAILURE", "INVALID_TOKEN", "")
		good := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.Partner.ClientID+":"+p.ClientSecret))
		a.tight(a.doType("POST", "/v6/auth/token", creds{"Authorization": good}, "application/x-www-form-urlencoded", "grant_type=authorization_code"), 400, "FAILURE", "INVALID_VALUE", "grant_type")
		a.tight(a.doType("POST", "/v6/auth/token", creds{"Authorization": good}, "application/x-www-form-urlencoded", "userId=nope"), 404, "FAILURE", "", "")
		a.tight(a.do("GET", "/v6/nothing", tok, nil), 404, "FAILURE", "", "")
	})
}
