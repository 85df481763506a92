package partnerapi

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// serve runs r through the server as the binary does (request ids included).
func (ts *testServer) serve(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	httpx.WithRequestID(ts.mux).ServeHTTP(rec, r)
	return rec
}

func from(r *http.Request, addr string) *http.Request {
	r.RemoteAddr = addr + ":40000"
	return r
}

// checkError checks an Ownli error response: its status, JSON content type and a body of
// exactly {error_code, error_message} with the given code.
func checkError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) errorJSON {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var fields map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &fields); err != nil || len(fields) != 2 {
		t.Fatalf("body %s is not {error_code, error_message}", rec.Body)
	}
	var e errorJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &e)
	if e.ErrorCode != code || e.ErrorMessage == "" {
		t.Fatalf("error %+v, want code %s with a message", e, code)
	}
	return e
}

func TestRateLimit(t *testing.T) {
	get := func(clientID, addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			return from(legacy(httptest.NewRequest("GET", "/api/users/by-id/u1", nil), clientID), addr)
		}
	}
	bearer := func(a milepost.Actor, addr string) func(*testServer) *http.Request {
		return func(ts *testServer) *http.Request {
			r := from(httptest.NewRequest("GET", "/api/users/by-id/u1", nil), addr)
			r.Header.Set("Authorization", "Bearer "+ts.token(t, a))
			return r
		}
	}
	token := func(secret, addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			return from(httptest.NewRequest("POST", "/api/auth/token", strings.NewReader(`{"partnerId":"p1","clientId":"c1","clientSecret":"`+secret+`"}`)), addr)
		}
	}
	wrongSecret := func(addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			r := from(legacy(httptest.NewRequest("GET", "/api/users/by-id/u1", nil), "c1"), addr)
			r.Header.Set("clientSecret", "guess")
			return r
		}
	}
	signed := func(ts *testServer, addr string) *http.Request {
		return from(httptest.NewRequest("GET", "/api/photos/ph1?"+ts.Signer.Sign("/api/photos/ph1", time.Hour), nil), addr)
	}
	admin1 := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeAdmin}
	user1 := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeUser, UserID: "u1"}
	type step struct {
		name    string
		advance time.Duration
		req     func(*testServer) *http.Request
		status  int
	}
	// Every scenario runs on a fresh limiter of 1 request per second, bursts of 2.
	scenarios := []struct {
		name  string
		steps []step
	}{
		{"per credential", []step{
			{"first", 0, get("c1", "10.0.0.1"), 200},
			{"second, from another address", 0, get("c1", "10.0.0.2"), 200},
			{"third: over the burst", 0, get("c1", "10.0.0.1"), 429},
			{"an admin token of the same partner shares its budget", 0, bearer(admin1, "10.0.0.3"), 429},
			{"another partner is unaffected", 0, get("c2", "10.0.0.1"), 200},
			{"a user token has its own budget", 0, bearer(user1, "10.0.0.1"), 200},
			{"half a second later: still spent", 500 * time.Millisecond, get("c1", "10.0.0.1"), 429},
			{"a second after: recovered", 500 * time.Millisecond, get("c1", "10.0.0.1"), 200},
			{"and spent again", 0, get("c1", "10.0.0.1"), 429},
		}},
		{"token endpoint per address", []step{
			{"first", 0, token("s1", "10.0.1.1"), 200},
			{"a wrong secret counts too", 0, token("bad", "10.0.1.1"), 401},
			{"third: over the burst", 0, token("s1", "10.0.1.1"), 429},
			{"another address is unaffected", 0, token("s1", "10.0.1.2"), 200},
			{"the partner's own budget is untouched", 0, get("c1", "10.0.1.1"), 200},
			{"recovered", time.Second, token("s1", "10.0.1.1"), 200},
		}},
		{"guessing credentials", []step{
			{"wrong secret", 0, wrongSecret("10.0.2.1"), 401},
			{"wrong secret again", 0, wrongSecret("10.0.2.1"), 401},
			{"the address is spent: refused before checking", 0, wrongSecret("10.0.2.1"), 429},
			{"even the right secret from that address", 0, get("c1", "10.0.2.1"), 429},
			{"the right secret elsewhere works", 0, get("c1", "10.0.2.2"), 200},
			{"the token endpoint has its own budget", 0, token("s1", "10.0.2.1"), 200},
			{"the address recovers", time.Second, get("c1", "10.0.2.1"), 200},
		}},
		{"signed links per address", []step{
			{"first", 0, func(ts *testServer) *http.Request { return signed(ts, "10.0.3.1") }, 200},
			{"second", 0, func(ts *testServer) *http.Request { return signed(ts, "10.0.3.1") }, 200},
			{"third", 0, func(ts *testServer) *http.Request { return signed(ts, "10.0.3.1") }, 429},
			{"another address", 0, func(ts *testServer) *http.Request { return signed(ts, "10.0.3.2") }, 200},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			clock := &fakeClock{t: testTime}
			ts := newTestServer(t, httpx.NewRateLimiter(1, 2, httpx.WithRateClock(clock.now)))
			for _, s := range sc.steps {
				clock.t = clock.t.Add(s.advance)
				rec := ts.serve(s.req(ts))
				if rec.Code != s.status {
					t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.status, rec.Body)
				}
				if s.status != http.StatusTooManyRequests {
					continue
				}
				e := checkError(t, rec, 429, milepost.ReasonRateLimited)
				ra, err := strconv.Atoi(rec.Header().Get("Retry-After"))
				if err != nil || ra < 1 || ra > 1 {
					t.Fatalf("%s: Retry-After %q, want 1 (a token every second)", s.name, rec.Header().Get("Retry-After"))
				}
				if !strings.Contains(e.ErrorMessage, "retry after 1 seconds") {
					t.Fatalf("%s: message %q does not say when to retry", s.name, e.ErrorMessage)
				}
				if rec.Header().Get("X-Request-Id") == "" {
					t.Fatalf("%s: no request id", s.name)
				}
			}
		})
	}
}

func TestNoLimiterNoLimit(t *testing.T) {
	ts := newTestServer(t, nil)
	for i := range 500 {
		if rec := ts.serve(from(legacy(httptest.NewRequest("GET", "/api/users/by-id/u1", nil), "c1"), "10.0.0.1")); rec.Code != 200 {
			t.Fatalf("request %d: %d without a limiter", i, rec.Code)
		}
	}
}

func TestPayoutPageRateLimit(t *testing.T) {
	clock := &fakeClock{t: testTime}
	ts := newTestServer(t, httpx.NewRateLimiter(1, 1, httpx.WithRateClock(clock.now)))
	page := func() *httptest.ResponseRecorder {
		return ts.serve(from(httptest.NewRequest("GET", "/payouts/po1?expires=1&signature=x", nil), "10.0.0.1"))
	}
	if rec := page(); rec.Code != http.StatusForbidden {
		t.Fatalf("first request: %d, want the bad link's 403", rec.Code)
	}
	if rec := page(); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" {
		t.Fatalf("second request: %d Retry-After %q, want 429 with Retry-After 1", rec.Code, rec.Header().Get("Retry-After"))
	}
}

// countingReader counts what the server reads of a body; with endless, it never ends.
type countingReader struct {
	data    []byte
	endless bool
	n       int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if !c.endless && c.n >= int64(len(c.data)) {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && (c.endless || c.n < int64(len(c.data))) {
		if c.n < int64(len(c.data)) {
			p[k] = c.data[c.n]
		} else {
			p[k] = 'x'
		}
		k++
		c.n++
	}
	return k, nil
}

var pathParamRE = regexp.MustCompile(`\{[^}]+\}`)

// concretePath fills a route's path parameters with ids the stand-ins know.
func concretePath(p string) string {
	return pathParamRE.ReplaceAllStringFunc(p, func(name string) string {
		switch name {
		case "{userId}":
			return "u1"
		case "{vehicleId}":
			return "v1"
		}
		return "ck1"
	})
}

// TestBodyLimits sends every route that takes a body a body over its limit, declared in
// Content-Length (refused before a byte is read) or streamed without a length (refused after
// at most the limit is read). Each answers 413 ERROR_PAYLOAD_TOO_LARGE.
func TestBodyLimits(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, rt := range ts.routes {
		if rt.op.Body == nil && rt.op.BodyTypes == nil {
			continue
		}
		limit := rt.bodyLimit
		if limit == 0 {
			limit = defaultBodyLimit
		}
		types := []string{"application/json"}
		if rt.op.BodyTypes["multipart/form-data"] != nil {
			types = append(types, "multipart/form-data")
		}
		for _, ct := range types {
			for _, declared := range []bool{true, false} {
				name := rt.op.Method + " " + rt.op.Path + " " + ct + " declared=" + strconv.FormatBool(declared)
				t.Run(name, func(t *testing.T) {
					body := &countingReader{data: []byte(`{"userId":"`), endless: true}
					contentType := ct
					if ct == "multipart/form-data" {
						var buf bytes.Buffer
						mw := multipart.NewWriter(&buf)
						_ = mw.WriteField("userId", "u1")
						field := "file"
						if strings.Contains(rt.op.Path, "/photo/") {
							field = "photo"
						}
						_, _ = mw.CreateFormFile(field, "x.jpg") // then the file's bytes, for ever
						body.data = buf.Bytes()
						contentType = mw.FormDataContentType()
					}
					r := legacy(httptest.NewRequest(rt.op.Method, concretePath(rt.op.Path), body), "c1")
					r.Header.Set("Content-Type", contentType)
					r.ContentLength = -1
					if declared {
						r.ContentLength = limit + 1
					}
					rec := ts.serve(r)
					checkError(t, rec, http.StatusRequestEntityTooLarge, milepost.ReasonPayloadTooLarge)
					switch {
					case declared && body.n > 0:
						t.Fatalf("%d bytes read of a body declared over the limit", body.n)
					case body.n > limit+1:
						t.Fatalf("%d bytes read for a limit of %d", body.n, limit)
					}
				})
			}
		}
	}
}

// TestUploadOverMaxBytes checks the decoded-size limit inside a body that is itself allowed:
// a photo one byte over MaxUploadBytes is 413, in either form.
func TestUploadOverMaxBytes(t *testing.T) {
	ts := newTestServer(t, nil)
	data := bytes.Repeat([]byte{0xff}, testMaxUpload+1)
	jsonBody := func() (io.Reader, string) {
		b, _ := json.Marshal(map[string]any{"userId": "u1", "name": "x.jpg", "photo": data, "takenOn": "2026-01-01T00:00:00Z",
			"latitude": 1, "longitude": 2})
		return bytes.NewReader(b), "application/json"
	}
	multipartBody := func() (io.Reader, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"userId": "u1", "takenOn": "2026-01-01T00:00:00Z", "latitude": "1", "longitude": "2"} {
			_ = mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("photo", "x.jpg")
		_, _ = fw.Write(data)
		_ = mw.Close()
		return &buf, mw.FormDataContentType()
	}
	for name, mk := range map[string]func() (io.Reader, string){"json": jsonBody, "multipart": multipartBody} {
		body, ct := mk()
		r := legacy(httptest.NewRequest("POST", "/api/photo/upload", body), "c1")
		r.Header.Set("Content-Type", ct)
		rec := ts.serve(r)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d, want 413: %s", name, rec.Code, rec.Body)
			continue
		}
		checkError(t, rec, http.StatusRequestEntityTooLarge, milepost.ReasonPayloadTooLarge)
	}
}
