package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fakeClock { return &fakeClock{t: time.Unix(1_800_000_000, 0)} }

func TestRateLimiterBucket(t *testing.T) {
	type step struct {
		advance time.Duration
		key     string
		allowed bool
		wait    time.Duration // when refused
	}
	cases := []struct {
		name  string
		rate  float64
		burst int
		steps []step
	}{
		{"burst then refused until a token refills", 2, 3, []step{
			{0, "a", true, 0}, {0, "a", true, 0}, {0, "a", true, 0},
			{0, "a", false, 500 * time.Millisecond},
			{200 * time.Millisecond, "a", false, 300 * time.Millisecond},
			{300 * time.Millisecond, "a", true, 0},
			{0, "a", false, 500 * time.Millisecond},
		}},
		{"keys are independent", 1, 1, []step{
			{0, "a", true, 0}, {0, "a", false, time.Second}, {0, "b", true, 0}, {0, "b", false, time.Second},
		}},
		{"a quiet spell refills up to the burst only", 10, 2, []step{
			{0, "a", true, 0}, {0, "a", true, 0}, {time.Hour, "a", true, 0}, {0, "a", true, 0},
			{0, "a", false, 100 * time.Millisecond},
		}},
		{"slow rate gives a long wait", 1.0 / 60, 1, []step{
			{0, "a", true, 0}, {0, "a", false, time.Minute}, {59 * time.Second, "a", false, time.Second},
			{time.Second, "a", true, 0},
		}},
		{"burst below one is one", 5, 0, []step{{0, "a", true, 0}, {0, "a", false, 200 * time.Millisecond}}},
		{"a clock going backwards earns nothing", 1, 1, []step{
			{0, "a", true, 0}, {-time.Hour, "a", false, time.Second}, {time.Hour + time.Second, "a", true, 0},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := newClock()
			l := NewRateLimiter(c.rate, c.burst, WithRateClock(clock.now))
			for i, s := range c.steps {
				clock.advance(s.advance)
				err := l.AllowKey(s.key)
				if (err == nil) != s.allowed {
					t.Fatalf("step %d (%s): err %v, want allowed=%v", i, s.key, err, s.allowed)
				}
				if err == nil {
					continue
				}
				var le *LimitError
				if !errors.As(err, &le) || milepost.ErrorCode(err) != milepost.CodeRateLimited || milepost.ErrorReason(err) != milepost.ReasonRateLimited {
					t.Fatalf("step %d: %#v is not a rate-limit error", i, err)
				}
				if d := le.RetryAfter - s.wait; d < -time.Microsecond || d > time.Microsecond {
					t.Fatalf("step %d: retry after %v, want %v", i, le.RetryAfter, s.wait)
				}
			}
		})
	}
}

func TestNewRateLimiterOff(t *testing.T) {
	for _, rate := range []float64{0, -1} {
		l := NewRateLimiter(rate, 10)
		if l != nil {
			t.Fatalf("NewRateLimiter(%v) = %v, want nil (no limit)", rate, l)
		}
		r := httptest.NewRequest("GET", "/", nil)
		for range 1000 {
			if l.AllowKey("k") != nil || l.AllowClient(r, "s") != nil || l.AllowActor("s", milepost.Actor{PartnerID: "p"}) != nil {
				t.Fatal("a nil limiter refused a request")
			}
		}
		if _, err := l.Authenticate(r, "s", func(*http.Request) (milepost.Actor, error) { return milepost.Actor{PartnerID: "p"}, nil }); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRateLimiterMemoryBounded(t *testing.T) {
	clock := newClock()
	const maxKeys = 64
	l := NewRateLimiter(1, 5, WithRateClock(clock.now), WithMaxRateKeys(maxKeys))
	// A flood of distinct busy keys never grows the map past its cap.
	for i := range 10 * maxKeys {
		_ = l.AllowKey(fmt.Sprint("flood", i))
		if n := len(l.buckets); n > maxKeys {
			t.Fatalf("after %d keys: %d buckets, cap %d", i+1, n, maxKeys)
		}
	}
	// Once the buckets have refilled, the next sweep forgets them all.
	clock.advance(5 * time.Second)
	for i := range maxKeys {
		_ = l.AllowKey(fmt.Sprint("next", i))
	}
	for k := range l.buckets {
		if len(k) >= 5 && k[:5] == "flood" {
			t.Fatalf("idle bucket %q kept after it refilled", k)
		}
	}
	// A busy key's bucket stays empty while the map is swept under it (unless the cap forced it out).
	l = NewRateLimiter(1, 1, WithRateClock(clock.now), WithMaxRateKeys(1000))
	_ = l.AllowKey("busy")
	for i := range 3000 {
		_ = l.AllowKey(fmt.Sprint("idle", i))
		if i%100 == 0 {
			clock.advance(2 * time.Second)
			_ = l.AllowKey("busy")
		}
	}
	if err := l.AllowKey("busy"); err == nil {
		t.Fatal("a busy key's spent bucket was forgotten by a sweep")
	}
}

func TestRateLimiterAuthenticate(t *testing.T) {
	good := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeAdmin}
	unauthorized := milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "no")
	unavailable := milepost.Errorf(milepost.CodeUnavailable, "", "db down")
	clock := newClock()
	l := NewRateLimiter(1, 2, WithRateClock(clock.now))
	calls := 0
	auth := func(res error) func(*http.Request) (milepost.Actor, error) {
		return func(*http.Request) (milepost.Actor, error) {
			calls++
			if res != nil {
				return milepost.Actor{}, res
			}
			return good, nil
		}
	}
	from := func(addr string) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = addr
		return r
	}
	steps := []struct {
		addr     string
		res      error
		wantCode string // "" for success
		called   bool
	}{
		// Failures spend the address's budget; once spent, credentials are not even checked.
		{"10.0.0.1:1", unauthorized, milepost.CodeUnauthorized, true},
		{"10.0.0.1:2", unauthorized, milepost.CodeUnauthorized, true},
		{"10.0.0.1:3", nil, milepost.CodeRateLimited, false},
		// Another address is unaffected, and successes are charged to the credential.
		{"10.0.0.2:1", nil, "", true},
		{"10.0.0.2:1", nil, "", true},
		{"10.0.0.3:1", nil, milepost.CodeRateLimited, true}, // same credential, spent
		// Errors other than bad credentials cost the address nothing.
		{"10.0.0.4:1", unavailable, milepost.CodeUnavailable, true},
		{"10.0.0.4:1", unavailable, milepost.CodeUnavailable, true},
		{"10.0.0.4:1", unavailable, milepost.CodeUnavailable, true},
	}
	for i, s := range steps {
		before := calls
		_, err := l.Authenticate(from(s.addr), "ownli", auth(s.res))
		if milepost.ErrorCode(err) != s.wantCode {
			t.Fatalf("step %d: %v, want code %q", i, err, s.wantCode)
		}
		if (calls > before) != s.called {
			t.Fatalf("step %d: auth called=%v, want %v", i, calls > before, s.called)
		}
	}
	clock.advance(time.Second)
	if _, err := l.Authenticate(from("10.0.0.1:9"), "ownli", auth(nil)); err != nil {
		t.Fatalf("the address did not recover after a second: %v", err)
	}
	// The same partner in another dialect has its own budget.
	if _, err := l.Authenticate(from("10.0.0.5:1"), "tight", auth(nil)); err != nil {
		t.Fatalf("another scope shares the budget: %v", err)
	}
}

func TestAllowActorKeys(t *testing.T) {
	l := NewRateLimiter(1, 1, WithRateClock(newClock().now))
	admin := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeAdmin}
	for _, a := range []milepost.Actor{admin,
		{PartnerID: "p1", Scope: milepost.ScopeUser, UserID: "u1"},
		{PartnerID: "p1", Scope: milepost.ScopeUser, UserID: "u2"},
		{PartnerID: "p2", Scope: milepost.ScopeAdmin}} {
		if err := l.AllowActor("ownli", a); err != nil {
			t.Fatalf("%+v shares a bucket with an earlier actor: %v", a, err)
		}
	}
	if err := l.AllowActor("ownli", admin); err == nil {
		t.Fatal("the partner's second request went through a burst of 1")
	}
}

func TestSetRetryAfter(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&LimitError{RetryAfter: 1500 * time.Millisecond, Err: &milepost.Error{}}, "2"},
		{fmt.Errorf("wrapped: %w", &LimitError{RetryAfter: time.Millisecond, Err: &milepost.Error{}}), "1"},
		{&LimitError{RetryAfter: 0, Err: &milepost.Error{}}, "1"},
		{&LimitError{RetryAfter: time.Minute, Err: &milepost.Error{}}, "60"},
		{milepost.Errorf(milepost.CodeRateLimited, "", "not a LimitError"), ""},
		{nil, ""},
	}
	for _, c := range cases {
		h := http.Header{}
		SetRetryAfter(h, c.err)
		if got := h.Get("Retry-After"); got != c.want {
			t.Errorf("SetRetryAfter(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	cases := []struct {
		name   string
		hops   int
		remote string
		xff    []string
		want   string
	}{
		{"ipv4", 0, "192.0.2.7:5555", nil, "192.0.2.7"},
		{"forwarded ignored without hops", 0, "192.0.2.7:5555", []string{"198.51.100.1"}, "192.0.2.7"},
		{"ipv6 cut to /64", 0, "[2001:db8:1:2:3:4:5:6]:443", nil, "2001:db8:1:2::/64"},
		{"ipv6 neighbours share", 0, "[2001:db8:1:2:ffff::1]:443", nil, "2001:db8:1:2::/64"},
		{"ipv4-mapped", 0, "[::ffff:192.0.2.9]:1", nil, "192.0.2.9"},
		{"one proxy: rightmost", 1, "10.0.0.1:1", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},
		{"spoofed entries left of ours", 1, "10.0.0.1:1", []string{"1.1.1.1", "2.2.2.2, 198.51.100.1"}, "198.51.100.1"},
		{"two proxies", 2, "10.0.0.1:1", []string{"6.6.6.6, 198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"fewer entries than hops", 3, "10.0.0.1:1", []string{"198.51.100.1"}, "198.51.100.1"},
		{"with port", 1, "10.0.0.1:1", []string{"198.51.100.1:8080"}, "198.51.100.1"},
		{"bracketed ipv6", 1, "10.0.0.1:1", []string{"[2001:db8::1]"}, "2001:db8::/64"},
		{"garbage falls back to the connection", 1, "10.0.0.1:1", []string{"not-an-ip"}, "10.0.0.1"},
		{"no header falls back", 1, "10.0.0.1:1", nil, "10.0.0.1"},
		{"unparseable remote kept", 0, "pipe", nil, "pipe"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		l := NewRateLimiter(1, 1, WithProxyHops(c.hops))
		if got := l.ClientAddr(r); got != c.want {
			t.Errorf("%s: ClientAddr = %q, want %q", c.name, got, c.want)
		}
	}
}

func BenchmarkRateLimiter(b *testing.B) {
	l := NewRateLimiter(1e9, 1e9)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprint("ownli|p|partner-", i)
	}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = l.AllowKey(keys[i%len(keys)])
			i++
		}
	})
}
