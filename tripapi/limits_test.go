package tripapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost/httpx"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// checkFailure checks a refusal in this dialect's envelope: the status, JSON, result FAILURE and
// one error of type typ with a message; it returns that error.
func checkFailure(t *testing.T, rec *httptest.ResponseRecorder, status int, typ string) errorJSON {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	var f struct {
		Result string          `json:"result"`
		Data   json.RawMessage `json:"data"`
		Error  []errorJSON     `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatalf("body %s: %v", rec.Body, err)
	}
	if f.Result != "FAILURE" || string(f.Data) != "null" || len(f.Error) != 1 || f.Error[0].Type != typ || f.Error[0].Message == "" {
		t.Fatalf("body %s, want FAILURE, data null and one %s error with a message", rec.Body, typ)
	}
	return f.Error[0]
}

const tripPath = "/v6/mileage/" + knownTrip

func TestRateLimit(t *testing.T) {
	get := func(partnerID, userID, addr string) func(*testServer) *http.Request {
		return func(ts *testServer) *http.Request {
			r := from(httptest.NewRequest("GET", tripPath, nil), addr)
			r.Header.Set("Authorization", "Bearer "+ts.token(t, partnerID, userID))
			return r
		}
	}
	token := func(secret, addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			r := from(httptest.NewRequest("POST", "/v6/auth/token", strings.NewReader("grant_type=client_credentials")), addr)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.SetBasicAuth("c1", secret)
			return r
		}
	}
	wrongToken := func(addr string) func(*testServer) *http.Request {
		return func(*testServer) *http.Request {
			r := from(httptest.NewRequest("GET", tripPath, nil), addr)
			r.Header.Set("Authorization", "Bearer guess")
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
		{"per token holder", []step{
			{"first", 0, get("p1", "", "10.0.0.1"), 200},
			{"second, from another address", 0, get("p1", "", "10.0.0.2"), 200},
			{"third: over the burst", 0, get("p1", "", "10.0.0.1"), 429},
			{"another partner is unaffected", 0, get("p2", "", "10.0.0.1"), 404},
			{"a user's token has its own budget", 0, get("p1", knownUser, "10.0.0.1"), 200},
			{"half a second later: still spent", 500 * time.Millisecond, get("p1", "", "10.0.0.1"), 429},
			{"a second after: recovered", 500 * time.Millisecond, get("p1", "", "10.0.0.1"), 200},
		}},
		{"token endpoint per address", []step{
			{"first", 0, token("s1", "10.0.1.1"), 200},
			{"a wrong secret counts too", 0, token("bad", "10.0.1.1"), 401},
			{"third: over the burst", 0, token("s1", "10.0.1.1"), 429},
			{"another address is unaffected", 0, token("s1", "10.0.1.2"), 200},
			{"the partner's API budget is untouched", 0, get("p1", "", "10.0.1.1"), 200},
			{"recovered", time.Second, token("s1", "10.0.1.1"), 200},
		}},
		{"guessing tokens", []step{
			{"wrong token", 0, wrongToken("10.0.2.1"), 401},
			{"wrong token again", 0, wrongToken("10.0.2.1"), 401},
			{"the address is spent: refused before checking", 0, wrongToken("10.0.2.1"), 429},
			{"even a good token from that address", 0, get("p1", "", "10.0.2.1"), 429},
			{"a good token elsewhere works", 0, get("p1", "", "10.0.2.2"), 200},
			{"the address recovers", time.Second, get("p1", "", "10.0.2.1"), 200},
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
					if ra := rec.Header().Get("Retry-After"); ra != "" {
						t.Fatalf("%s: Retry-After %q on a %d", s.name, ra, rec.Code)
					}
					continue
				}
				e := checkFailure(t, rec, 429, "BAD_REQUEST")
				if !strings.Contains(e.Message, "retry after 1 seconds") {
					t.Fatalf("%s: error %+v", s.name, e)
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

// TestBodyLimits sends every route that takes a body one byte over its limit, declared
// (refused before a byte is read) or streamed (refused after at most the limit): 413 in the
// FAILURE envelope, type BAD_REQUEST, naming the limit.
func TestBodyLimits(t *testing.T) {
	ts := newTestServer(t, nil)
	limits := map[string]int64{}
	for _, rt := range ts.routes {
		limits[rt.op.Method+" "+rt.op.Path] = rt.bodyLimit
	}
	cases := []struct {
		path, contentType, prefix string
		limit                     int64
	}{
		{"/v6/auth/token", "application/x-www-form-urlencoded", "grant_type=client_credentials&userId=", 1 << 20},
		{"/v6/mileage", "application/json", `{"data":[{"notes":"`, 8 << 20},
		{"/v6/mileage/query", "application/json", `{"filter":{"status":{"in":["`, 1 << 20},
		{"/v6/mileage/cars", "application/json", `{"data":[{"name":"`, 4 << 20},
		{"/v6/mileage/cars/query", "application/json", `{"sort":"`, 1 << 20},
	}
	for _, c := range cases {
		if l := limits["POST "+c.path]; l != c.limit && !(l == 0 && c.limit == 1<<20) {
			t.Fatalf("%s: route limit %d, test expects %d", c.path, l, c.limit)
		}
		for _, declared := range []bool{true, false} {
			t.Run(c.path+" declared="+strconv.FormatBool(declared), func(t *testing.T) {
				body := &countingReader{prefix: c.prefix}
				r := httptest.NewRequest("POST", c.path, io.LimitReader(body, 1<<30))
				r.Header.Set("Content-Type", c.contentType)
				if c.path == "/v6/auth/token" {
					r.SetBasicAuth("c1", "s1")
				} else {
					r.Header.Set("Authorization", "Bearer "+ts.token(t, "p1", knownUser))
				}
				r.ContentLength = -1
				if declared {
					r.ContentLength = c.limit + 1
				}
				rec := ts.serve(r)
				e := checkFailure(t, rec, http.StatusRequestEntityTooLarge, "BAD_REQUEST")
				if !strings.Contains(e.Message, strconv.FormatInt(c.limit, 10)) {
					t.Fatalf("error %+v does not name the limit %d", e, c.limit)
				}
				switch {
				case declared && body.n > 0:
					t.Fatalf("%d bytes read of a body declared over the limit", body.n)
				case body.n > c.limit+1:
					t.Fatalf("%d bytes read for a limit of %d", body.n, c.limit)
				}
			})
		}
	}
}
