package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// problem checks an application/problem+json answer and returns it.
func (a *testApp) problem(r response, status int, param string) map[string]any {
	a.t.Helper()
	if r.status != status || r.header.Get("Content-Type") != "application/problem+json" {
		a.t.Fatalf("status %d (%s), want %d problem+json; body %s", r.status, r.header.Get("Content-Type"), status, r.body)
	}
	p := r.obj(a.t)
	if p["status"] != float64(status) || p["title"] == "" || p["detail"] == "" || !strings.HasPrefix(p["type"].(string), "tag:milepost") || p["instance"] == "" {
		a.t.Fatalf("problem %v", p)
	}
	if param != "" {
		found := false
		for _, ip := range p["invalid_params"].([]any) {
			if ip.(map[string]any)["name"] == param {
				found = true
			}
		}
		if !found {
			a.t.Fatalf("invalid_params %v do not name %s", p["invalid_params"], param)
		}
	}
	return p
}

func (a *testApp) jifelineToken(p *milepost.PartnerCredentials) creds {
	a.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {p.Partner.ClientID}, "client_secret": {p.ClientSecret}}
	r := a.expect(a.doType("POST", "/oauth2/token", nil, "application/x-www-form-urlencoded", form.Encode()), 200, "")
	tok := r.obj(a.t)
	if tok["token_type"] != "Bearer" || tok["expires_in"] != float64(3600) {
		a.t.Fatalf("token %v", tok)
	}
	return bearer(tok["access_token"].(string))
}

func registration(vin string, value float64) map[string]any {
	return map[string]any{"value": value, "vin": vin, "ticket_id": "595be628-f6f2-4262-9c10-6389c6c4a5b8"}
}

func TestOdometerRegistrations(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		tok := a.jifelineToken(p)
		apiKey := creds{"X-Api-Key": p.Partner.ClientID + ":" + p.ClientSecret}
		const vinA, vinB = "JH4KA7630PC007649", "1HGCM82633A004352"
		path := "/v2/vehicles/odometer-registrations"

		// is_breaking compares with the previous registration of the same VIN only; equal is not breaking.
		steps := []struct {
			vin      string
			value    float64
			breaking bool
		}{
			{vinA, 1000, false}, {vinB, 50000, false}, {vinA, 1500.5, false}, {vinB, 40000, true},
			{vinA, 1500.5, false}, {vinA, 1200, true}, {vinB, 45000, false}, {vinA, 1300, false},
		}
		var firstID string
		for i, st := range steps {
			c := tok
			if i%2 == 1 {
				c = apiKey // both credentials work
			}
			r := a.do("POST", path, c, registration(strings.ToLower(st.vin), st.value))
			if r.status != 201 {
				t.Fatalf("step %d: %d %s", i, r.status, r.body)
			}
			reg := r.obj(t)
			if reg["is_breaking"] != st.breaking || reg["value"] != st.value || reg["vin"] != st.vin || !milepost.ValidUUID(reg["id"].(string)) || reg["created_at"] == "" {
				t.Fatalf("step %d: %v", i, reg)
			}
			if r.header.Get("Location") != path+"/"+reg["id"].(string) {
				t.Fatalf("Location %q", r.header.Get("Location"))
			}
			if i == 0 {
				firstID = reg["id"].(string)
			}
		}
		got := a.expect(a.do("GET", path+"/"+firstID, tok, nil), 200, "").obj(t)
		if got["value"] != float64(1000) || got["vin"] != vinA {
			t.Fatalf("get %v", got)
		}

		var list struct {
			Query struct {
				Limit  int
				Offset int64
				SortBy map[string]string `json:"sort_by"`
			}
			Result []struct {
				Value      float64
				IsBreaking bool `json:"is_breaking"`
			}
			Total int64
		}
		a.expect(a.do("GET", path+"?vin="+vinA, tok, nil), 200, "").json(t, &list)
		if list.Total != 5 || len(list.Result) != 5 || list.Query.Limit != 25 || list.Query.SortBy["created_at"] != "asc" || list.Result[0].Value != 1000 || !list.Result[3].IsBreaking {
			t.Fatalf("list %+v", list)
		}
		a.expect(a.do("GET", path+"?vin="+vinA+"&limit=2&offset=1&sort_by%5Bcreated_at%5D=desc", apiKey, nil), 200, "").json(t, &list)
		if list.Total != 5 || len(list.Result) != 2 || list.Result[0].Value != 1200 || list.Query.Offset != 1 || list.Query.SortBy["created_at"] != "desc" {
			t.Fatalf("page %+v", list)
		}
		a.expect(a.do("GET", path+"?vin="+vinA+"&limit=0", tok, nil), 200, "").json(t, &list)
		if list.Total != 5 || len(list.Result) != 0 {
			t.Fatalf("limit 0 %+v", list)
		}
		a.expect(a.do("GET", path+"?vin=WVWZZZ1JZXW000001", tok, nil), 200, "").json(t, &list)
		if list.Total != 0 || list.Result == nil {
			t.Fatalf("unknown VIN %+v", list)
		}

		errs := []struct {
			name, method, path string
			body               any
			c                  creds
			status             int
			param              string
		}{
			{"no vin", "GET", path, nil, tok, 400, "vin"},
			{"short vin", "GET", path + "?vin=JH4KA7630", nil, tok, 400, "vin"},
			{"limit too big", "GET", path + "?vin=" + vinA + "&limit=1001", nil, tok, 400, "limit"},
			{"negative offset", "GET", path + "?vin=" + vinA + "&offset=-1", nil, tok, 400, "offset"},
			{"bad sort", "GET", path + "?vin=" + vinA + "&sort_by%5Bvalue%5D=asc", nil, tok, 400, "sort_by[value]"},
			{"bad sort direction", "GET", path + "?vin=" + vinA + "&sort_by%5Bcreated_at%5D=up", nil, tok, 400, "sort_by[created_at]"},
			{"value 0", "POST", path, registration(vinA, 0), tok, 400, "value"},
			{"value too big", "POST", path, registration(vinA, 2e9), tok, 400, "value"},
			{"no value", "POST", path, map[string]any{"vin": vinA, "ticket_id": "595be628-f6f2-4262-9c10-6389c6c4a5b8"}, tok, 400, "value"},
			{"value as text", "POST", path, map[string]any{"value": "12", "vin": vinA, "ticket_id": "595be628-f6f2-4262-9c10-6389c6c4a5b8"}, tok, 400, "value"},
			{"vin with O", "POST", path, registration("JH4KA7630PC0O7649", 10), tok, 400, "vin"},
			{"ticket not a uuid", "POST", path, map[string]any{"value": 10, "vin": vinA, "ticket_id": "T-1"}, tok, 400, "ticket_id"},
			{"get bad id", "GET", path + "/nope", nil, tok, 400, "odometer-registration-id"},
			{"get unknown", "GET", path + "/00000000-0000-4000-8000-000000000000", nil, tok, 404, ""},
			{"no credentials", "GET", path + "?vin=" + vinA, nil, nil, 401, ""},
			{"bad token", "GET", path + "?vin=" + vinA, nil, bearer("x.y.z"), 401, ""},
			{"Ownli token", "GET", path + "?vin=" + vinA, nil, bearer(a.token(p, "admin", "")), 401, ""},
			{"bad api key", "GET", path + "?vin=" + vinA, nil, creds{"X-Api-Key": p.Partner.ClientID + ":wrong"}, 401, ""},
			{"api key without colon", "GET", path + "?vin=" + vinA, nil, creds{"X-Api-Key": "nonsense"}, 401, ""},
			{"unknown path", "GET", "/v2/vehicles/nothing", nil, tok, 404, ""},
		}
		for _, e := range errs {
			t.Run(e.name, func(t *testing.T) {
				a := a.with(t)
				a.problem(a.do(e.method, e.path, e.c, e.body), e.status, e.param)
			})
		}
		r := a.do("DELETE", path, tok, nil)
		if r.status != 405 || r.header.Get("Allow") == "" {
			t.Fatalf("DELETE: %d", r.status)
		}

		// Another partner sees none of it: 403 on the id, nothing in its list, its own is_breaking.
		other := a.partner()
		otok := a.jifelineToken(other)
		a.problem(a.do("GET", path+"/"+firstID, otok, nil), 403, "")
		a.expect(a.do("GET", path+"?vin="+vinA, otok, nil), 200, "").json(t, &list)
		if list.Total != 0 {
			t.Fatalf("other partner sees %d", list.Total)
		}
		if reg := a.do("POST", path, otok, registration(vinA, 5)).obj(t); reg["is_breaking"] != false {
			t.Fatalf("another partner's first registration is breaking: %v", reg)
		}

		// Token endpoint errors carry the OAuth2 error code.
		for _, c := range []struct {
			form, oauth string
			status      int
		}{
			{"grant_type=password", "unsupported_grant_type", 400},
			{"grant_type=client_credentials&client_id=" + p.Partner.ClientID + "&client_secret=nope", "invalid_client", 401},
			{"grant_type=client_credentials", "invalid_client", 401},
		} {
			pr := a.problem(a.doType("POST", "/oauth2/token", nil, "application/x-www-form-urlencoded", c.form), c.status, "")
			if pr["error"] != c.oauth {
				t.Fatalf("%s: error %v", c.form, pr["error"])
			}
		}
	})
}
