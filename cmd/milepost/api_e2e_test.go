package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/milepost/milepost/milepostest"
)

// TestOpenAPICoversEveryRoute fails when a registered route is missing from the served document
// or the document names an operation no route serves.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	a := startApp(t, milepostest.Stores(t)[0])
	r := a.expect(a.do("GET", "/openapi.json", nil, nil), 200, "")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	r.json(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, rt := range a.app.Routes() {
		key := rt[0] + " " + rt[1]
		served[key] = true
		if _, ok := doc.Paths[rt[1]][strings.ToLower(rt[0])]; !ok {
			t.Errorf("route %s is not in /openapi.json", key)
		}
	}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			key := strings.ToUpper(method) + " " + path
			if !served[key] {
				t.Errorf("/openapi.json documents %s, which no route serves", key)
			}
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			json.Unmarshal(raw, &op)
			if len(op.Responses) == 0 {
				t.Errorf("%s documents no responses", key)
			}
		}
	}
	validName := regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	for name := range doc.Comps.Schemas {
		if !validName.MatchString(name) {
			t.Errorf("component name %q is not a valid OpenAPI component name", name)
		}
	}
	for _, name := range []string{"userJSON", "vehicleJSON", "photoJSON", "errorJSON", "pageJSON_mileageCheckinJSON", "checkinReviewJSON"} {
		if _, ok := doc.Comps.Schemas[name]; !ok {
			t.Errorf("schema %s missing", name)
		}
	}
	docs := a.expect(a.do("GET", "/docs", nil, nil), 200, "")
	if !strings.Contains(string(docs.body), "/api/vehicles/create/by-vin") || !strings.HasPrefix(docs.header.Get("Content-Type"), "text/html") {
		t.Fatal("/docs does not list the endpoints")
	}
}

func TestOperationalEndpointsAndRouting(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		a.expect(a.do("GET", "/healthz", nil, nil), 200, "")
		ready := a.expect(a.do("GET", "/readyz", nil, nil), 200, "").obj(t)
		if ready["database"] != s.Name {
			t.Fatalf("readyz %v", ready)
		}
		c := legacy(a.partner())
		a.expect(a.do("GET", "/api/nothing/here", c, nil), 404, "ERROR_NOT_FOUND")
		r := a.expect(a.do("DELETE", "/api/users", c, nil), 405, "ERROR_METHOD_NOT_ALLOWED")
		if !strings.Contains(r.header.Get("Allow"), "POST") {
			t.Fatalf("Allow %q", r.header.Get("Allow"))
		}
		a.expect(a.do("PATCH", "/api/vehicles/by-id/x", c, nil), 405, "ERROR_METHOD_NOT_ALLOWED")
		if r.header.Get("X-Request-Id") == "" {
			t.Fatal("no X-Request-Id")
		}
		r = a.doType("GET", "/healthz", creds{"X-Request-Id": "abc-123"}, "", nil)
		if r.header.Get("X-Request-Id") != "abc-123" {
			t.Fatalf("request id not echoed: %q", r.header.Get("X-Request-Id"))
		}
		// The demo partner was created on first start and printed once.
		if !strings.Contains(a.stdout.String(), "clientSecret: mps_") {
			t.Fatalf("demo partner not printed: %q", a.stdout.String())
		}
		var n int
		ps, _ := a.app.DB.Partners().ListPartners(t.Context())
		n = len(ps)
		if n != 2 {
			t.Fatalf("%d partners, want the demo partner and the test's", n)
		}
		res, err := http.Get(a.app.URL() + "/")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("GET /: %v %v", res, err)
		}
		res.Body.Close()
	})
}

// TestEveryAPIRouteNeedsCredentials sends every route of the three dialects (path values filled
// with "x") without credentials: all but the token endpoints answer 401 in their own format.
func TestEveryAPIRouteNeedsCredentials(t *testing.T) {
	a := startApp(t, milepostest.Stores(t)[0])
	c := legacy(a.partner())
	fill := regexp.MustCompile(`\{[^}]+\}`)
	for _, rt := range a.app.Routes() {
		method, path := rt[0], rt[1]
		p := fill.ReplaceAllString(path, "x")
		if strings.HasPrefix(path, "/v2/") || strings.HasPrefix(path, "/v6/mileage") {
			// The other dialects: 401 in their own formats.
			t.Run(method+" "+path, func(t *testing.T) {
				a := a.with(t)
				r := a.do(method, p, nil, map[string]any{})
				if r.status != 401 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if strings.HasPrefix(path, "/v2/") {
					a.problem(r, 401, "")
				} else {
					a.tight(r, 401, "FAILURE", "INVALID_TOKEN", "")
				}
			})
			continue
		}
		if !strings.HasPrefix(path, "/api/") || path == "/api/auth/token" {
			continue
		}
		t.Run(method+" "+path, func(t *testing.T) {
			a := a.with(t)
			a.expect(a.do(method, p, nil, map[string]any{}), 401, "ERROR_UNAUTHORIZED")
			// With credentials, an unknown id is a 4xx in the same format, never a 500.
			r := a.do(method, p, c, map[string]any{})
			if r.status < 400 && !(method == "GET" && !strings.Contains(path, "{")) {
				t.Fatalf("unknown id x: status %d", r.status)
			}
			if r.status >= 500 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if r.status >= 400 && r.obj(t)["error_code"] == "" {
				t.Fatalf("no error_code: %s", r.body)
			}
		})
	}
}
