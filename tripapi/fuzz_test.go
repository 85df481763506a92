package tripapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// tightErrorTypes are the error types the dialect documents.
var tightErrorTypes = map[string]bool{
	"UNKNOWN_ERROR": true, "EXPIRED_TOKEN": true, "INVALID_TOKEN": true, "BAD_REQUEST": true, "JSON_ERROR": true,
	"DUPLICATE": true, "REQUIRED": true, "INVALID_VALUE": true, "NOT_MODIFIABLE": true, "INVALID_FORMAT": true,
}

// fuzzSeeds are bodies of the JSON routes: valid ones that reach the stand-in store, and hostile
// ones.
var fuzzSeeds = []string{
	`{"data":[{"date":"2026-02-03","mileageStatus":"BUSINESS","distance":{"type":"MILE","value":"12.5"},"start":{"time":"2026-02-03T08:00:00Z","lat":"37.77","lng":-122.41,"address":{"state":"CA"}},"end":{"lat":"37.80","lng":"-122.27"},"customData":{"k":"v"}}]}`,
	`{"data":[{"id":"` + knownTrip + `","notes":"x","deduction":{"amount":123}},{"date":"2026-13-01"},{"distance":{"type":"FURLONG","value":"1"}},7,null,[]]}`,
	`{"data":[{"make":"Honda","model":"Civic","year":2020,"isPrimary":true,"details":[{"year":2025,"odometer":12000.5}],"vin":"1HGCM82633A004352"}]}`,
	`{"limit":10,"sort":{"orderBy":"DATE","direction":"DESC"},"filter":{"status":{"in":["ACTIVE","INACTIVE"]},"date":{"greaterThanEqual":"2026-01-01"}}}`,
	`{"cursor":"eyJ0IjoiMjAyNi0wMS0wMSJ9","limit":1001}`,
	`{"data":[]}`, `{"data":null}`, `{"data":{}}`, `{"data":[{"distance":{"value":1e400}}]}`, `{"data":[{"start":{"lat":"NaN","time":"yesterday"}}]}`,
	"", "{", `{} {}`, "\xff", strings.Repeat("[", 1000), "grant_type=client_credentials&userId=" + knownUser,
}

// FuzzBodies sends the same bytes as the body of every route that takes one, through the real
// handlers with a user-scoped token over the stand-in store (the token endpoint gets them as its
// form, with valid Basic credentials). Whatever the bytes: no panic, no 5xx, no 401, JSON in the
// Tight envelope with documented error types, and a bulk save answers every item of a readable
// {"data":[…]} in order, 200 only when all succeeded.
func FuzzBodies(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	ts := newTestServer(f, nil)
	tok := "Bearer " + ts.token(f, "p1", knownUser)
	var paths []string
	for _, rt := range ts.routes {
		if rt.op.Method == "POST" {
			paths = append(paths, rt.op.Path)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range paths {
			r := httptest.NewRequest("POST", path, bytes.NewReader(body))
			if path == "/v6/auth/token" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.SetBasicAuth("c1", "s1")
			} else {
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", tok)
			}
			rec := ts.serve(r)
			checkTightResponse(t, path, body, rec)
		}
	})
}

func checkTightResponse(t *testing.T, path string, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 || rec.Code == http.StatusUnauthorized {
		t.Fatalf("%s: %d: %s", path, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" || !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s: %d with %q body %q", path, rec.Code, ct, rec.Body)
	}
	if path == "/v6/auth/token" && rec.Code == http.StatusOK {
		return // the token response is not enveloped
	}
	var env struct {
		Result string          `json:"result"`
		Data   json.RawMessage `json:"data"`
		Error  []errorJSON     `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatalf("%s: %s: %v", path, rec.Body, err)
	}
	switch {
	case rec.Code == http.StatusOK && (env.Result != "SUCCESS" || len(env.Error) != 0),
		rec.Code != http.StatusOK && (env.Result != "FAILURE" || len(env.Error) == 0):
		t.Fatalf("%s: %d with result %s and %d errors: %s", path, rec.Code, env.Result, len(env.Error), rec.Body)
	}
	for _, e := range env.Error {
		if !tightErrorTypes[e.Type] || e.Message == "" || strings.Contains(e.Message, "tripapi.") {
			t.Fatalf("%s: malformed error %+v", path, e)
		}
	}
	if path != "/v6/mileage" && path != "/v6/mileage/cars" {
		return
	}
	var req struct{ Data []json.RawMessage }
	if json.Unmarshal(body, &req) != nil || len(req.Data) == 0 || rec.Code == http.StatusRequestEntityTooLarge {
		return
	}
	// The body is a readable bulk request: every item has its own answer, in order.
	var items []itemJSON[json.RawMessage]
	if err := json.Unmarshal(env.Data, &items); err != nil || len(items) != len(req.Data) {
		t.Fatalf("%s: %d items sent, answer %d: %s", path, len(req.Data), rec.Code, rec.Body)
	}
	failed := 0
	for i, it := range items {
		switch {
		case it.Result == "SUCCESS" && it.StatusCode == http.StatusOK && it.Data != nil && len(it.Error) == 0:
		case it.Result == "FAILURE" && it.StatusCode >= 400 && it.StatusCode < 500 && it.Data == nil && len(it.Error) == 1:
			failed++
		default:
			t.Fatalf("%s: item %d is malformed: %s", path, i, rec.Body)
		}
	}
	want := http.StatusMultiStatus
	switch failed {
	case 0:
		want = http.StatusOK
	case len(items):
		want = http.StatusBadRequest
	}
	if rec.Code != want {
		t.Fatalf("%s: %d of %d items failed, status %d", path, failed, len(items), rec.Code)
	}
}

// TestFuzzSeeds checks the valid seeds are what they claim: accepted by their routes, so the
// fuzzer starts from inputs that reach the store.
func TestFuzzSeeds(t *testing.T) {
	ts := newTestServer(t, nil)
	tok := "Bearer " + ts.token(t, "p1", knownUser)
	for _, c := range []struct {
		path string
		seed int
		want int
	}{{"/v6/mileage", 0, 200}, {"/v6/mileage", 1, 207}, {"/v6/mileage/cars", 2, 200}, {"/v6/mileage/query", 3, 200}, {"/v6/mileage/cars/query", 3, 200}} {
		r := httptest.NewRequest("POST", c.path, strings.NewReader(fuzzSeeds[c.seed]))
		r.Header.Set("Authorization", tok)
		rec := ts.serve(r)
		if rec.Code != c.want {
			t.Errorf("%s seed %d: %d, want %d: %s", c.path, c.seed, rec.Code, c.want, rec.Body)
		}
		checkTightResponse(t, c.path, []byte(fuzzSeeds[c.seed]), rec)
	}
}
