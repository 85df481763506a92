package main

import (
	"strings"
	"testing"

	"github.com/milepost/milepost/milepostest"
)

func TestAuth(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		other := a.partner()
		admin := legacy(p)
		uid := a.user(admin, "+15551230001")
		uid2 := a.user(admin, "+15551230002")
		otherUser := a.user(legacy(other), "+15551230003")

		// The token endpoint.
		tok := a.expect(a.do("POST", "/api/auth/token", nil, map[string]any{
			"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": "admin",
		}), 200, "").obj(t)
		if tok["token_type"] != "Bearer" || tok["expires_in"] != float64(3600) || tok["partner_id"] != p.Partner.ID || tok["scope"] != "admin" || tok["access_token"] == "" {
			t.Fatalf("token response %v", tok)
		}
		adminTok := bearer(tok["access_token"].(string))
		userTok := bearer(a.token(p, "user", uid))

		tokenErrors := []struct {
			name   string
			body   map[string]any
			status int
			code   string
		}{
			{"wrong secret", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": "nope", "partnerId": p.Partner.ID, "scope": "admin"}, 401, "ERROR_UNAUTHORIZED"},
			{"secret of another partner", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": other.ClientSecret, "partnerId": p.Partner.ID}, 401, "ERROR_UNAUTHORIZED"},
			{"partner id of another partner", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": other.Partner.ID}, 401, "ERROR_UNAUTHORIZED"},
			{"missing partner id", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret}, 401, "ERROR_UNAUTHORIZED"},
			{"bad scope", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": "root"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"user scope without userId", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": "user"}, 400, "ERROR_INVALID_PARAMETERS"},
			{"user scope, unknown user", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": "user", "userId": "nope"}, 404, "ERROR_USER_NOT_FOUND"},
			{"user scope, another partner's user", map[string]any{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret, "partnerId": p.Partner.ID, "scope": "user", "userId": otherUser}, 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE"},
		}
		for _, tt := range tokenErrors {
			t.Run("token/"+tt.name, func(t *testing.T) {
				a := a.with(t)
				a.expect(a.do("POST", "/api/auth/token", nil, tt.body), tt.status, tt.code)
			})
		}
		a.expect(a.do("POST", "/api/auth/token", nil, "{not json"), 400, "ERROR_INVALID_PARAMETERS")

		// Credentials on a protected endpoint.
		path := "/api/users/by-id/" + uid
		credCases := []struct {
			name   string
			c      creds
			status int
			code   string
		}{
			{"legacy headers", admin, 200, ""},
			{"admin token", adminTok, 200, ""},
			{"user token, own user", userTok, 200, ""},
			{"no credentials", nil, 401, "ERROR_UNAUTHORIZED"},
			{"wrong secret", creds{"partnerId": p.Partner.ID, "clientId": p.Partner.ClientID, "clientSecret": "x"}, 401, "ERROR_UNAUTHORIZED"},
			{"headers without partnerId", creds{"clientId": p.Partner.ClientID, "clientSecret": p.ClientSecret}, 401, "ERROR_UNAUTHORIZED"},
			{"garbage token", bearer("abc.def.ghi"), 401, "ERROR_UNAUTHORIZED"},
			{"tampered token", bearer(strings.TrimSuffix(tok["access_token"].(string), "A") + "B"), 401, "ERROR_UNAUTHORIZED"},
			{"alg none token", bearer("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJwYXJ0bmVyX2lkIjoieCIsInNjb3BlIjoiYWRtaW4iLCJleHAiOjk5OTk5OTk5OTksImF1ZCI6Im93bmxpIn0."), 401, "ERROR_UNAUTHORIZED"},
			{"basic scheme", creds{"Authorization": "Basic Zm9vOmJhcg=="}, 401, "ERROR_UNAUTHORIZED"},
			{"another partner's headers", legacy(other), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE"},
		}
		for _, tt := range credCases {
			t.Run("credentials/"+tt.name, func(t *testing.T) {
				a := a.with(t)
				r := a.expect(a.do("GET", path, tt.c, nil), tt.status, tt.code)
				if tt.status == 401 && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}

		// A user token reaches only its user and no admin endpoint.
		a.expect(a.do("GET", "/api/users/by-id/"+uid2, userTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("GET", "/api/users", userTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("POST", "/api/users", userTok, map[string]any{"firstName": "x"}), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("PUT", "/api/users/"+uid, userTok, map[string]any{"firstName": "x"}), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("GET", "/api/users/by-phone/+15551230002", userTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
		a.expect(a.do("GET", "/api/users/by-phone/+15551230001", userTok, nil), 200, "")
		// Tokens of one partner never act for another.
		a.expect(a.do("GET", "/api/users/by-id/"+otherUser, adminTok, nil), 403, "ERROR_NO_PERMISSIONS_TO_RESOURCE")
	})
}
