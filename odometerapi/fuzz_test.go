package odometerapi

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

// FuzzRequests sends fuzzed query strings and bodies through the real handlers, authenticated
// (X-Api-Key of client c1) over the stand-in store: the list's query parameters, the create's
// JSON body, the registration id in the path, and the token endpoint's form. Whatever the
// input: no panic, no 5xx, no 401 with valid credentials, every refusal a well-formed
// problem+json whose type matches its status, every success a sound answer.
func FuzzRequests(f *testing.F) {
	seeds := []struct{ query, body string }{
		{"vin=WVWZZZ1JZXW000001", `{"value":1234.5,"vin":"WVWZZZ1JZXW000001","ticket_id":"595be628-f6f2-4262-9c10-6389c6c4a5b8"}`},
		{"vin=wvwzzz1jzxw000001&limit=2&offset=1&sort_by[created_at]=desc", `{"value":1,"vin":" wvwzzz1jzxw000001 ","ticket_id":"595BE628-F6F2-4262-9C10-6389C6C4A5B8"}`},
		{"vin=WVWZZZ1JZXW000001&limit=1001", `{"value":1e10,"vin":"WVWZZZ1JZXW00000","ticket_id":"x"}`},
		{"vin=WVWZZZ1JZXW000001&offset=-1&sort_by[id]=asc", `{"value":-0,"vin":null,"ticket_id":1}`},
		{"vin=%zz&limit=9223372036854775808&sort_by=", `{"value":"12"}`},
		{"grant_type=client_credentials&client_id=c1&client_secret=s1", "grant_type=client_credentials&client_id=c1&client_secret=s1"},
		{knownID, `{"value":1e309}`},
		{"", ""},
		{";;&&==", "{"},
		{"sort_by[created_at]=ASC&vin=WVWZZZ1JZXW000001&vin=x", `{"a":1} {"b":2}`},
	}
	for _, s := range seeds {
		f.Add(s.query, []byte(s.body))
	}
	ts := newTestServer(f, nil)
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		r := apiKey(httptest.NewRequest("GET", listPath, nil), "c1")
		r.URL.RawQuery = query
		rec := ts.serve(r)
		if checkFuzzed(t, "list", r, rec) == http.StatusOK {
			var l listJSON
			if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
				t.Fatalf("list: %s: %v", rec.Body, err)
			}
			if q := l.Query; q.Limit < 0 || q.Limit > 1000 || q.Offset < 0 || len(l.Result) > q.Limit ||
				(q.SortBy["created_at"] != "asc" && q.SortBy["created_at"] != "desc") || !milepost.ValidVINShape(q.VIN) {
				t.Fatalf("list applied an impossible query: %s", rec.Body)
			}
		}

		r = apiKey(httptest.NewRequest("POST", listPath, bytes.NewReader(body)), "c1")
		r.Header.Set("Content-Type", "application/json")
		rec = ts.serve(r)
		if checkFuzzed(t, "create", r, rec) < 400 {
			var reg registrationJSON
			if err := json.Unmarshal(rec.Body.Bytes(), &reg); err != nil {
				t.Fatalf("create: %s: %v", rec.Body, err)
			}
			if rec.Code != http.StatusCreated || math.IsNaN(reg.Value) || reg.Value < 1 || reg.Value > 1e9 || !milepost.ValidVINShape(reg.VIN) ||
				rec.Header().Get("Location") != listPath+"/"+reg.ID {
				t.Fatalf("create accepted %q as %d %s", body, rec.Code, rec.Body)
			}
		}

		r = apiKey(httptest.NewRequest("GET", listPath+"/"+url.PathEscape(query), nil), "c1")
		checkFuzzed(t, "get", r, ts.serve(r))

		r = httptest.NewRequest("POST", "/oauth2/token", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		checkFuzzed(t, "token", r, ts.serve(r))
	})
}

// checkFuzzed checks one answer to fuzzed input and returns its status: below 500, JSON, and for
// errors a problem+json of this dialect whose type belongs to its status and whose instance is
// the path. The mux's redirects of unclean paths (an id of "..") are let through.
func checkFuzzed(t *testing.T, what string, r *http.Request, rec *httptest.ResponseRecorder) int {
	t.Helper()
	switch {
	case rec.Code >= 500:
		t.Fatalf("%s %s: %d: %s", what, r.URL, rec.Code, rec.Body)
	case rec.Code >= 300 && rec.Code < 400 && rec.Header().Get("Location") != "":
		return rec.Code
	case !json.Valid(rec.Body.Bytes()):
		t.Fatalf("%s %s: %d with a body that is not JSON: %q", what, r.URL, rec.Code, rec.Body)
	case rec.Code < 400:
		return rec.Code
	case rec.Code == http.StatusUnauthorized && what != "token":
		t.Fatalf("%s %s: 401 with valid credentials: %s", what, r.URL, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: %d with Content-Type %q", what, rec.Code, ct)
	}
	var p problemJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%s: %s: %v", what, rec.Body, err)
	}
	want := ""
	for _, pt := range problemTypes {
		if pt.status == rec.Code {
			want = problemType(pt.slug)
		}
	}
	if p.Type != want || p.Status != rec.Code || p.Title == "" || p.Detail == "" || p.Instance != asJSONString(r.URL.Path) || p.RequestID == "" {
		t.Fatalf("%s %s: %d: %s is not a well-formed problem of type %s", what, r.URL, rec.Code, rec.Body, want)
	}
	if strings.Contains(p.Detail, "json:") || strings.Contains(p.Detail, "odometerapi.") {
		t.Fatalf("%s: detail leaks Go internals: %q", what, p.Detail)
	}
	return rec.Code
}

// asJSONString is s as it reads back from JSON: invalid UTF-8 becomes U+FFFD.
func asJSONString(s string) string {
	b, _ := json.Marshal(s)
	_ = json.Unmarshal(b, &s)
	return s
}
