package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

// retryAfter checks a 429's Retry-After header: whole seconds, at least 1.
func retryAfter(t *testing.T, r response) int {
	t.Helper()
	n, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("Retry-After %q on a %d, want whole seconds ≥ 1", r.header.Get("Retry-After"), r.status)
	}
	return n
}

// TestRateLimitDialects runs the real server with a burst of 3 and a rate slow enough (one
// request per 100 s) that nothing refills during the test: in each dialect a credential's fourth
// request is a 429 in that dialect's error format with Retry-After, while another partner, and
// the same partner in another dialect, keep their own budgets.
func TestRateLimitDialects(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.RateLimit, cfg.RateBurst = 0.01, 3
		a := startAppWith(t, cfg)
		p1, p2 := a.partner(), a.partner()
		const burst = 3

		t.Run("ownli", func(t *testing.T) {
			a := a.with(t)
			for range burst {
				a.expect(a.do("GET", "/api/users", legacy(p1), nil), 200, "")
			}
			r := a.expect(a.do("GET", "/api/users", legacy(p1), nil), 429, "ERROR_RATE_LIMITED")
			retryAfter(t, r)
			if e := r.obj(t); len(e) != 2 || !strings.Contains(e["error_message"].(string), "retry after") {
				t.Fatalf("429 body %s, want only {error_code, error_message} saying when to retry", r.body)
			}
			a.expect(a.do("GET", "/api/users", legacy(p2), nil), 200, "") // the other partner is unaffected
		})

		t.Run("jifeline", func(t *testing.T) {
			a := a.with(t)
			key := func(p *milepost.PartnerCredentials) creds {
				return creds{"X-Api-Key": p.Partner.ClientID + ":" + p.ClientSecret}
			}
			const path = "/v2/vehicles/odometer-registrations?vin=JH4KA7630PC007649"
			for range burst {
				a.expect(a.do("GET", path, key(p1), nil), 200, "")
			}
			r := a.do("GET", path, key(p1), nil)
			p := a.problem(r, 429, "")
			if !strings.HasSuffix(p["type"].(string), "rate-limited") || p["title"] != "Too many requests" {
				t.Fatalf("problem %v", p)
			}
			retryAfter(t, r)
			a.expect(a.do("GET", path, key(p2), nil), 200, "")
		})

		t.Run("tight", func(t *testing.T) {
			a := a.with(t)
			// Token requests are charged to the address (127.0.0.1), apart from the partners'.
			tok1, tok2 := a.tightToken(p1, ""), a.tightToken(p2, "")
			const path = "/v6/mileage/mlg_00000000000000000000000000"
			for range burst {
				a.tight(a.do("GET", path, tok1, nil), 404, "FAILURE", "INVALID_VALUE", "")
			}
			r := a.do("GET", path, tok1, nil)
			m := a.tight(r, 429, "FAILURE", "BAD_REQUEST", "")
			if m["data"] != nil || !strings.Contains(m["error"].([]any)[0].(map[string]any)["message"].(string), "retry after") {
				t.Fatalf("429 body %s", r.body)
			}
			retryAfter(t, r)
			a.tight(a.do("GET", path, tok2, nil), 404, "FAILURE", "INVALID_VALUE", "")

			// The token endpoint's budget is the address's: the third token goes, the fourth is refused.
			basic := creds{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(p1.Partner.ClientID+":"+p1.ClientSecret))}
			form := url.Values{"grant_type": {"client_credentials"}}.Encode()
			a.expect(a.doType("POST", "/v6/auth/token", basic, "application/x-www-form-urlencoded", form), 200, "")
			r = a.doType("POST", "/v6/auth/token", basic, "application/x-www-form-urlencoded", form)
			a.tight(r, 429, "FAILURE", "BAD_REQUEST", "")
			retryAfter(t, r)
		})
	})
}

// TestBodyLimitDialects sends each dialect a body one byte over its route's limit: a 413 in the
// dialect's own format.
func TestBodyLimitDialects(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		over := func(limit int, prefix string) string {
			return prefix + strings.Repeat("x", limit+1-len(prefix))
		}

		a.expect(a.do("POST", "/api/users", legacy(p), over(1<<20, `{"firstName":"`)), 413, "ERROR_PAYLOAD_TOO_LARGE")

		key := creds{"X-Api-Key": p.Partner.ClientID + ":" + p.ClientSecret}
		r := a.do("POST", "/v2/vehicles/odometer-registrations", key, over(64<<10, `{"vin":"`))
		if pr := a.problem(r, 413, ""); !strings.HasSuffix(pr["type"].(string), "payload-too-large") {
			t.Fatalf("problem %v", pr)
		}

		tok := a.tightToken(p, "")
		a.tight(a.do("POST", "/v6/mileage/query", tok, over(1<<20, `{"sort":"`)), 413, "FAILURE", "BAD_REQUEST", "")
	})
}

// rawConn opens a plain TCP connection to the server, closed when the test ends.
func rawConn(t *testing.T, a *testApp) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(a.app.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestUploadLimitDeclared sends an upload whose Content-Length is over the limit and then only
// a few bytes of it: the server answers 413 at once, without waiting for (or reading) the body
// it was promised, and closes the connection.
func TestUploadLimitDeclared(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		a := startApp(t, s)
		p := a.partner()
		c := rawConn(t, a)
		fmt.Fprintf(c, "POST /api/photo/upload HTTP/1.1\r\nHost: milepost.test\r\nContent-Type: application/json\r\n"+
			"partnerId: %s\r\nclientId: %s\r\nclientSecret: %s\r\nContent-Length: %d\r\n\r\n{\"userId\":\"",
			p.Partner.ID, p.Partner.ClientID, p.ClientSecret, 1<<30)
		// Had the server waited for the body, this read would time out (its own time-out is minutes).
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("no answer to a declared-too-large upload: %v", err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 413 || !strings.Contains(string(body), "ERROR_PAYLOAD_TOO_LARGE") || !res.Close {
			t.Fatalf("%d (close %v): %s, want 413 ERROR_PAYLOAD_TOO_LARGE and Connection: close", res.StatusCode, res.Close, body)
		}
	})
}

// TestSlowlorisClosed opens connections that send a partial header line and then one byte every
// 50 ms, never finishing the headers: the server closes each once ReadHeaderTimeout (here
// 500 ms) has passed since it opened, however steadily bytes keep coming, and serves ordinary
// requests meanwhile.
func TestSlowlorisClosed(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		cfg := testConfig(s)
		cfg.ReadHeaderTimeout = 500 * time.Millisecond
		a := startAppWith(t, cfg)
		if got := a.app.server.ReadHeaderTimeout; got != cfg.ReadHeaderTimeout {
			t.Fatalf("server ReadHeaderTimeout %v, want %v", got, cfg.ReadHeaderTimeout)
		}
		const slow = 20
		// Bounds generous enough for a loaded CI machine; without the time-out the connections
		// would stay open until the test's own limit.
		const giveUp = 15 * time.Second
		var wg sync.WaitGroup
		lasted := make(chan time.Duration, slow)
		for range slow {
			start := time.Now() // the server's clock for the headers starts after this
			c := rawConn(t, a)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: milepost.test\r\nX-Slow: "); err != nil {
					lasted <- 0
					return
				}
				closed := make(chan struct{})
				go func() { // the server closing shows as EOF (or a reset) on read
					_ = c.SetReadDeadline(time.Now().Add(giveUp))
					_, _ = io.Copy(io.Discard, c)
					close(closed)
				}()
				tick := time.NewTicker(50 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-closed:
						lasted <- time.Since(start)
						return
					case <-tick.C:
						_, _ = c.Write([]byte("a")) // an error here is the close, seen by the reader too
					}
				}
			}()
		}
		// Ordinary requests are served while the slow clients dribble.
		for range 10 {
			a.expect(a.do("GET", "/healthz", nil, nil), 200, "")
			time.Sleep(20 * time.Millisecond)
		}
		wg.Wait()
		close(lasted)
		for d := range lasted {
			if d >= giveUp {
				t.Fatalf("a slow client was still connected after %v", d)
			}
			if d < cfg.ReadHeaderTimeout {
				t.Fatalf("a slow client was cut after %v, before ReadHeaderTimeout %v: not by the time-out", d, cfg.ReadHeaderTimeout)
			}
		}
		a.expect(a.do("GET", "/healthz", nil, nil), 200, "")
	})
}
