package partnerapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// validBodies are well-formed bodies of the JSON routes, by path: seeds that let the fuzzer
// start past the decoder, deep in validation.
var validBodies = map[string]string{
	"/api/auth/token":                          `{"clientId":"c1","clientSecret":"s1","partnerId":"p1","scope":"user","userId":"u1"}`,
	"/api/users":                               `{"firstName":"Ann","lastName":"Lee","email":"ann@example.com","phone":"(555) 666-7777","address":{"line1":"1 Main St","city":"Napa","state":"ca","zip":"94558"}}`,
	"/api/users/with-policy":                   `{"firstName":"Ann","lastName":"Lee","phone":"+15556667777","address":{"state":"CA"},"policyInfo":{"policyNumber":"P-1","startDate":"2026-01-01","endDate":"2027-01-01T00:00:00Z"}}`,
	"/api/users/{userId}":                      `{"firstName":"Bo","isEmailVerified":true,"customField3":"x","address":{"state":"NY","country":"USA"}}`,
	"/api/users/{userId}/update-policy":        `{"policyNumber":"P-2","startDate":"2026-02-01","endDate":"2027-01-31"}`,
	"/api/vehicles/create/by-vin":              `{"userId":"u1","vin":" 1hgcm82633a004352 ","make":"Honda","model":"Accord","year":2003,"licensePlate":"7ab-c 123","state":"CA"}`,
	"/api/vehicles/create/by-license":          `{"phone":"+15556667777","licensePlate":"7ABC123","state":"CA","mileage":12000}`,
	"/api/vehicles/update":                     `{"id":"v1","licensePlate":"","state":"TX","model":"Civic"}`,
	"/api/photo/upload":                        `{"userId":"u1","name":"a.jpg","photo":"data:image/jpeg;base64,/9j/4AAQ","takenOn":"2026-01-01T10:00:00+02:00","latitude":52.1,"longitude":-4.2}`,
	"/api/file/upload":                         `{"userId":"u1","name":"bill.pdf","file":"JVBERi0xLjQKJSVFT0YK","takenOn":"2026-01-01"}`,
	"/api/vehicles/checkin/mileage":            `{"vehicleId":"v1","licensePlate":"7ABC123","state":"CA","mileage":12001,"licensePhotos":[{"url":"http://milepost.test/api/photos/ph1"}],"odometerPhotos":[{"url":"/api/photos/ph2?expires=1&signature=x"}]}`,
	"/api/vehicles/checkin/mileage/{id}":       `{"licensePlate":"7ABC123","mileage":12002,"odometerPhotos":[{"url":"/api/photos/ph3"}]}`,
	"/api/vehicles/checkin/condition":          `{"vehicleId":"v1","licensePlate":"7ABC123","state":"CA","userNote":"dent","photos":[{"url":"/api/photos/a","type":"Front"},{"url":"/api/photos/b","type":"Back"},{"url":"/api/photos/c","type":"DriverSide"},{"url":"/api/photos/d","type":"PassengerSide"},{"url":"/api/photos/e","type":"DriverSideFront"}]}`,
	"/api/vehicles/checkin/condition/{id}":     `{"userNote":"again","photos":[{"url":"/api/photos/f","type":"Front"}]}`,
	"/api/users/checkin/proof-of-address":      `{"userId":"u1","documentType":"UtilityBill","addressType":"Apartment","address":{"line1":"1 Main St","city":"Napa","state":"CA","country":"US","zip":"94558-1234"},"latitude":38.3,"longitude":-122.3,"documents":[{"url":"/api/files/f1","type":"DOCUMENT","ordinal":1}],"photos":[{"url":"/api/photos/h1","type":"FrontView"}]}`,
	"/api/users/checkin/proof-of-address/{id}": `{"documentType":"PhoneBill","latitude":0,"longitude":0,"address":{"state":"CA"},"documents":[{"url":"http://milepost.test/api/photos/p9","type":"CAMERA","ordinal":2}]}`,
	"/api/admin/checkins/{id}/decision":        `{"status":"OnHold","adminNote":"blurry","fraud":false,"reviewer":"r@example.com","photos":[{"photoUrl":"/api/photos/ph1","markedInvalidByReview":true,"damageDetected":false}]}`,
	"/api/rewards/grant":                       `{"userId":"u1","amount":12.5,"actionCode":"survey.done","clientReference":"ref-1"}`,
	"/api/webhooks":                            `{"url":"https://hooks.example.com/milepost"}`,
}

// hostileBodies are generic malformed inputs every route must refuse cleanly.
var hostileBodies = []string{
	"", " ", "{", "}", "[]", "null", "true", "0", `"x"`, `{} {}`, `{"a":1}x`, `{"a":}`, "\xff\xfe{", `{"a":"\ud800"}`,
	`{"userId":1e309}`, `{"mileage":-9223372036854775809}`, `{"year":1.5}`, `{"address":[]}`, `{"photos":{}}`,
	`{"licensePhotos":[null,1,"x"]}`, strings.Repeat("[", 10000), `{"firstName":"` + strings.Repeat("é", 300) + `"}`,
}

var wellFormedCode = regexp.MustCompile(`^[A-Z][A-Z_]+$`)

// FuzzJSONBodies sends the same bytes as the body of every JSON route, through the real
// handlers over stand-in services that validate with the domain's rules. Whatever the bytes:
// no panic, no 5xx, JSON back, and every refusal a well-formed Ownli error
// {error_code, error_message} with a 4xx whose code belongs to it.
func FuzzJSONBodies(f *testing.F) {
	for _, b := range validBodies {
		f.Add([]byte(b))
	}
	for _, b := range hostileBodies {
		f.Add([]byte(b))
	}
	ts := newTestServer(f, nil)
	var routes []route
	for _, rt := range ts.routes {
		if rt.op.Body != nil {
			routes = append(routes, rt)
		}
	}
	if len(routes) != len(validBodies) {
		f.Fatalf("%d JSON routes, %d seed bodies: give each route a valid seed", len(routes), len(validBodies))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, rt := range routes {
			r := httptest.NewRequest(rt.op.Method, concretePath(rt.op.Path), bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			rec := ts.serve(legacy(r, "c1"))
			checkFuzzResponse(t, rt.op.Method+" "+rt.op.Path, rec)
		}
	})
}

// errorCodesByStatus are the error codes each status may carry.
var errorCodesByStatus = map[int]*regexp.Regexp{
	400: regexp.MustCompile(`^ERROR_(INVALID_PARAMETERS|INVALID_STATE_CODE)$`),
	401: regexp.MustCompile(`^ERROR_UNAUTHORIZED$`),
	403: regexp.MustCompile(`^ERROR_NO_PERMISSIONS_TO_RESOURCE$`),
	404: regexp.MustCompile(`^ERROR_[A-Z_]*NOT_FOUND$`),
	409: regexp.MustCompile(`^ERROR_[A-Z_]+$`),
	413: regexp.MustCompile(`^ERROR_PAYLOAD_TOO_LARGE$`),
}

func checkFuzzResponse(t *testing.T, route string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s: %d: %s", route, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s: Content-Type %q", route, ct)
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("%s: %d with a body that is not JSON: %q", route, rec.Code, rec.Body)
	}
	if rec.Code < 400 {
		return
	}
	var e map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || len(e) != 2 || e["error_message"] == "" ||
		!wellFormedCode.MatchString(e["error_code"]) {
		t.Fatalf("%s: %d: %s is not a well-formed {error_code, error_message}", route, rec.Code, rec.Body)
	}
	if re := errorCodesByStatus[rec.Code]; re == nil || !re.MatchString(e["error_code"]) {
		t.Fatalf("%s: status %d with error_code %s", route, rec.Code, e["error_code"])
	}
	if rec.Code == http.StatusUnauthorized && !strings.HasSuffix(route, "/api/auth/token") {
		t.Fatalf("%s: 401 with valid credentials", route) // only the token endpoint reads credentials from the body
	}
}

// TestValidBodies checks the fuzz seeds are what they claim: each is accepted by its route, so
// the fuzzer starts from inputs that reach the services.
func TestValidBodies(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, rt := range ts.routes {
		if rt.op.Body == nil {
			continue
		}
		r := httptest.NewRequest(rt.op.Method, concretePath(rt.op.Path), strings.NewReader(validBodies[rt.op.Path]))
		if rec := ts.serve(legacy(r, "c1")); rec.Code != http.StatusOK {
			t.Errorf("%s %s: %d: %s", rt.op.Method, rt.op.Path, rec.Code, rec.Body)
		}
	}
}
