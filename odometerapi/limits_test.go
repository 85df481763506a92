package odometerapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// checkProblem checks an application/problem+json response of this dialect: its status, the
// problem type of slug, and the RFC 9457 members with the request path as instance.
func checkProblem(t *testing.T, rec *httptest.ResponseRecorder, r *http.Request, status int, slug string) problemJSON {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var p problemJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	if p.Type != problemType(slug) || p.Title == "" || p.Status != status || p.Detail == "" || p.Instance != r.URL.Path || p.RequestID == "" {
		t.Fatalf("problem %+v, want type %s, status %d, a title, detail, instance and request id", p, problemType(slug), status)
	}
	return p
}

const listPath = "/v2/vehicles/odometer-registrations"

func TestRateLimit(t *testing.T) {
	list := func(clientID, addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			return from(apiKey(httptest.NewRequest("GET", listPath+"?vin=WVWZZZ1JZXW000001", nil), clientID), addr)
		}
	}
	bearer := func(partnerID, addr string) func(*testServer) *http.Request {
		return func(ts *testServer) *http.Request {
			tok, err := ts.Tokens.Issue(milepost.Actor{PartnerID: partnerID, Scope: milepost.ScopeAdmin}, audience)
			if err != nil {
				t.Fatal(err)
			}
			r := from(httptest.NewRequest("GET", listPath+"/"+knownID, nil), addr)
			r.Header.Set("Authorization", "Bearer "+tok)
			return r
		}
	}
	token := func(secret, addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			r := from(httptest.NewRequest("POST", "/oauth2/token", strings.NewReader("grant_type=client_credentials&client_id=c1&client_secret="+secret)), addr)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}
	}
	wrongKey := func(addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			r := from(httptest.NewRequest("GET", listPath+"?vin=WVWZZZ1JZXW000001", nil), addr)
			r.Header.Set("X-Api-Key", "c1:guess")
			return r
		}
	}
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
		{"per client", []step{
			{"first", 0, list("c1", "10.0.0.1"), 200},
			{"second, from another address", 0, list("c1", "10.0.0.2"), 200},
			{"third: over the burst", 0, list("c1", "10.0.0.1"), 429},
			{"a token of the same client shares its budget", 0, bearer("p1", "10.0.0.3"), 429},
			{"another client is unaffected", 0, list("c2", "10.0.0.1"), 200},
			{"half a second later: still spent", 500 * time.Millisecond, list("c1", "10.0.0.1"), 429},
			{"a second after: recovered", 500 * time.Millisecond, bearer("p1", "10.0.0.1"), 200},
		}},
		{"token endpoint per address", []step{
			{"first", 0, token("s1", "10.0.1.1"), 200},
			{"a wrong secret counts too", 0, token("bad", "10.0.1.1"), 401},
			{"third: over the burst", 0, token("s1", "10.0.1.1"), 429},
			{"another address is unaffected", 0, token("s1", "10.0.1.2"), 200},
			{"the client's API budget is untouched", 0, list("c1", "10.0.1.1"), 200},
			{"recovered", time.Second, token("s1", "10.0.1.1"), 200},
		}},
		{"guessing credentials", []step{
			{"wrong key", 0, wrongKey("10.0.2.1"), 401},
			{"wrong key again", 0, wrongKey("10.0.2.1"), 401},
			{"the address is spent: refused before checking", 0, wrongKey("10.0.2.1"), 429},
			{"even the right key from that address", 0, list("c1", "10.0.2.1"), 429},
			{"the right key elsewhere works", 0, list("c1", "10.0.2.2"), 200},
			{"the address recovers", time.Second, list("c1", "10.0.2.1"), 200},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			clock := &fakeClock{t: testTime}
			ts := newTestServer(t, httpx.NewRateLimiter(1, 2, httpx.WithRateClock(clock.now)))
			for _, s := range sc.steps {
				clock.t = clock.t.Add(s.advance)
				r := s.req(ts)
				rec := ts.serve(r)
				if rec.Code != s.status {
					t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.status, rec.Body)
				}
				if s.status != http.StatusTooManyRequests {
					continue
				}
				p := checkProblem(t, rec, r, 429, "rate-limited")
				if p.Title != "Too many requests" || !strings.Contains(p.Detail, "retry after 1 seconds") {
					t.Fatalf("%s: problem %+v", s.name, p)
				}
				if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra != 1 {
					t.Fatalf("%s: Retry-After %q, want 1", s.name, rec.Header().Get("Retry-After"))
				}
			}
		})
	}
}

// countingReader counts what the server reads of a body that never ends.
type countingReader struct {
	prefix string
	n      int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		if c.n < int64(len(c.prefix)) {
			p[i] = c.prefix[c.n]
		} else {
			p[i] = 'x'
		}
		c.n++
	}
	return len(p), nil
}

// TestBodyLimits sends both routes that take a body one over the limit, declared (refused
// before a byte is read) or streamed (refused after at most the limit): 413 payload-too-large.
func TestBodyLimits(t *testing.T) {
	ts := newTestServer(t, nil)
	cases := []struct {
		path, contentType, prefix string
	}{
		{listPath, "application/json", `{"vin":"`},
		{"/oauth2/token", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id="},
	}
	for _, c := range cases {
		for _, declared := range []bool{true, false} {
			t.Run(c.path+" declared="+strconv.FormatBool(declared), func(t *testing.T) {
				body := &countingReader{prefix: c.prefix}
				r := apiKey(httptest.NewRequest("POST", c.path, io.LimitReader(body, 1<<30)), "c1")
				r.Header.Set("Content-Type", c.contentType)
				r.ContentLength = -1
				if declared {
					r.ContentLength = bodyLimit + 1
				}
				rec := ts.serve(r)
				checkProblem(t, rec, r, http.StatusRequestEntityTooLarge, "payload-too-large")
				switch {
				case declared && body.n > 0:
					t.Fatalf("%d bytes read of a body declared over the limit", body.n)
				case body.n > bodyLimit+1:
					t.Fatalf("%d bytes read for a limit of %d", body.n, bodyLimit)
				}
			})
		}
	}
}
