package httpx

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/milepost/milepost"
)

// Defaults for NewRateLimiter's callers (the --rate-limit and --rate-burst flags).
const (
	// DefaultRateLimit is the sustained requests per second allowed to one credential or client
	// address, per node.
	DefaultRateLimit = 50.0
	// DefaultRateBurst is how many requests one credential or address may send at once after a
	// quiet spell.
	DefaultRateBurst = 100
	// DefaultRateKeys bounds the buckets kept in memory (about 150 bytes each).
	DefaultRateKeys = 100_000
)

// RateLimiter is a token-bucket rate limiter keyed by credential or client address. Each key's
// bucket holds up to burst requests and refills at the rate; a request finding it empty is
// refused with a *LimitError saying when to retry. Buckets live in this process's memory, so
// every node limits on its own. A bucket that has refilled is the same as no bucket, which is
// what lets idle keys be forgotten and memory stay bounded. A nil *RateLimiter allows
// everything. It is safe for concurrent use.
type RateLimiter struct {
	perSecond float64
	burst     float64
	maxKeys   int
	proxyHops int
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]bucket
	sweepAt int // the map size at which idle buckets are next swept out
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// RateLimitOption configures a RateLimiter.
type RateLimitOption func(*RateLimiter)

// WithRateClock replaces time.Now, so tests move time forward instead of sleeping.
func WithRateClock(now func() time.Time) RateLimitOption {
	return func(l *RateLimiter) { l.now = now }
}

// WithMaxRateKeys bounds the number of buckets kept (DefaultRateKeys otherwise).
func WithMaxRateKeys(n int) RateLimitOption {
	return func(l *RateLimiter) { l.maxKeys = max(n, 1) }
}

// WithProxyHops makes client addresses come from X-Forwarded-For, for a server behind hops
// reverse proxies that each append the address they received the request from (see
// ClientAddr). Without it, or with 0, the connection's address is used: the header is set by
// clients and cannot be trusted unless a proxy of ours wrote it.
func WithProxyHops(hops int) RateLimitOption {
	return func(l *RateLimiter) { l.proxyHops = max(hops, 0) }
}

// NewRateLimiter returns a limiter allowing each key perSecond requests per second on average
// and up to burst at once (at least 1). A perSecond of zero or less returns nil: no limit.
func NewRateLimiter(perSecond float64, burst int, opts ...RateLimitOption) *RateLimiter {
	if !(perSecond > 0) || math.IsInf(perSecond, 0) {
		return nil
	}
	l := &RateLimiter{perSecond: perSecond, burst: float64(max(burst, 1)), maxKeys: DefaultRateKeys, now: time.Now,
		buckets: map[string]bucket{}}
	for _, o := range opts {
		o(l)
	}
	l.sweepAt = min(l.maxKeys, minSweep)
	return l
}

// minSweep keeps small maps from being swept on every new key.
const minSweep = 1024

// take spends one request of key's budget when consume is set, or only looks when it is not.
// It returns zero when the request may go ahead, else the wait until it could.
func (l *RateLimiter) take(key string, consume bool) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if !consume {
			return 0 // a new bucket is full
		}
		l.makeRoom(now)
		b = bucket{tokens: l.burst, at: now}
	} else {
		b = l.refill(b, now)
	}
	if b.tokens < 1 {
		l.buckets[key] = b
		return time.Duration(math.Ceil((1 - b.tokens) / l.perSecond * float64(time.Second)))
	}
	if consume {
		b.tokens--
		l.buckets[key] = b
	}
	return 0
}

// refill adds what the bucket earned since it was last brought up to date. A clock that went
// backwards earns nothing rather than taking tokens away.
func (l *RateLimiter) refill(b bucket, now time.Time) bucket {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.perSecond)
		b.at = now
	}
	return b
}

// makeRoom runs before a new key is added. When the map has grown to sweepAt it drops the
// buckets that have refilled; if busy keys alone fill it to the cap (a flood of addresses),
// arbitrary ones go too. A forgotten key starts again with a full bucket: the limit loosens for
// it, memory does not grow. Sweeping at twice the surviving size keeps the cost per request
// constant on average.
func (l *RateLimiter) makeRoom(now time.Time) {
	if len(l.buckets) < l.sweepAt {
		return
	}
	for k, b := range l.buckets {
		if l.refill(b, now).tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	if over := len(l.buckets) - (l.maxKeys - max(l.maxKeys/8, 1)); over > 0 {
		for k := range l.buckets { // map order is random: no key can count on surviving
			delete(l.buckets, k)
			if over--; over == 0 {
				break
			}
		}
	}
	l.sweepAt = min(l.maxKeys, max(2*len(l.buckets), minSweep))
}

// LimitError is a request refused by a RateLimiter. It wraps a CodeRateLimited
// *milepost.Error (reason ERROR_RATE_LIMITED), so each dialect's error table maps it to 429
// in its own format; RetryAfter is for the Retry-After header (see SetRetryAfter).
type LimitError struct {
	RetryAfter time.Duration
	Err        *milepost.Error
}

// Error implements the error interface.
func (e *LimitError) Error() string { return e.Err.Error() }

// Unwrap returns the domain error, for milepost.ErrorCode and errors.As.
func (e *LimitError) Unwrap() error { return e.Err }

// RetryAfterSeconds is d in whole seconds rounded up, at least 1: a client told 0 would retry
// at once and be refused again.
func RetryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// SetRetryAfter sets the Retry-After header from a *LimitError in err's chain; it does nothing
// for other errors.
func SetRetryAfter(h http.Header, err error) {
	var le *LimitError
	if errors.As(err, &le) {
		h.Set("Retry-After", strconv.Itoa(RetryAfterSeconds(le.RetryAfter)))
	}
}

func limitError(wait time.Duration, who string) error {
	return &LimitError{RetryAfter: wait, Err: milepost.Errorf(milepost.CodeRateLimited, milepost.ReasonRateLimited,
		"Too many requests %s; retry after %d seconds.", who, RetryAfterSeconds(wait))}
}

// AllowKey spends one request of an arbitrary key's budget: nil, or a *LimitError when it is
// spent. Callers with their own kinds of key (a console sign-in name) use it directly.
func (l *RateLimiter) AllowKey(key string) error {
	if l == nil {
		return nil
	}
	if wait := l.take(key, true); wait > 0 {
		return limitError(wait, "for this key")
	}
	return nil
}

// AllowClient spends one request of the budget of r's client address within scope (the
// dialect: ownli, jifeline, tight). Requests that carry no credential to key them by — token
// endpoints, signed links — are charged to it.
func (l *RateLimiter) AllowClient(r *http.Request, scope string) error {
	if l == nil {
		return nil
	}
	if wait := l.take(scope+"|ip|"+l.ClientAddr(r), true); wait > 0 {
		return limitError(wait, "from this address")
	}
	return nil
}

// AllowActor spends one request of an authenticated credential's budget within scope: the
// partner's for partner-wide credentials (admin tokens, client id and secret), the user's for a
// token bound to one user, so one app user cannot use up the partner's budget.
func (l *RateLimiter) AllowActor(scope string, a milepost.Actor) error {
	if l == nil {
		return nil
	}
	key := scope + "|p|" + a.PartnerID
	if a.UserID != "" {
		key += "|u|" + a.UserID
	}
	if wait := l.take(key, true); wait > 0 {
		return limitError(wait, "for this credential")
	}
	return nil
}

// Authenticate runs auth under the limiter. Failed authentications (CodeUnauthorized) spend a
// budget of their own per client address, and an address that has spent it is refused before
// its credentials are even checked, so guessing costs no store lookups and learns nothing. A
// successful authentication is charged to the credential (AllowActor). The failure budget is
// apart from AllowClient's, so a partner fetching many tokens from one address is not locked
// out of the API. A *LimitError, or auth's own error, is returned; with a nil limiter it is
// just auth(r).
func (l *RateLimiter) Authenticate(r *http.Request, scope string, auth func(*http.Request) (milepost.Actor, error)) (milepost.Actor, error) {
	if l == nil {
		return auth(r)
	}
	key := scope + "|fail|" + l.ClientAddr(r)
	if wait := l.take(key, false); wait > 0 {
		return milepost.Actor{}, limitError(wait, "with failed authentication from this address")
	}
	a, err := auth(r)
	if err != nil {
		if milepost.ErrorCode(err) == milepost.CodeUnauthorized {
			l.take(key, true)
		}
		return milepost.Actor{}, err
	}
	if err := l.AllowActor(scope, a); err != nil {
		return milepost.Actor{}, err
	}
	return a, nil
}
