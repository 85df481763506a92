package httpx

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/milepost/milepost"
)

// CredentialCache remembers successful partner authentications for a short time, so the legacy
// per-request credential headers cost a map lookup instead of a database query. Failures are not
// cached (a wrong secret is always checked against the store). Entries are keyed by a hash of the
// whole credential, so a changed secret never matches an old entry.
type CredentialCache struct {
	partners milepost.PartnerService
	ttl      time.Duration
	mu       sync.Mutex
	entries  map[[32]byte]cacheEntry
}

type cacheEntry struct {
	partner *milepost.Partner
	expires time.Time
}

// maxCacheEntries bounds memory; the cache is cleared when it fills up.
const maxCacheEntries = 10000

// NewCredentialCache wraps partners with a cache of ttl.
func NewCredentialCache(partners milepost.PartnerService, ttl time.Duration) *CredentialCache {
	return &CredentialCache{partners: partners, ttl: ttl, entries: map[[32]byte]cacheEntry{}}
}

// Authenticate is milepost.PartnerService.Authenticate with caching of successes.
func (c *CredentialCache) Authenticate(ctx context.Context, partnerID, clientID, secret string) (*milepost.Partner, error) {
	h := sha256.New()
	for _, s := range []string{partnerID, clientID, secret} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.partner, nil
	}
	p, err := c.partners.Authenticate(ctx, partnerID, clientID, secret)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCacheEntries {
		clear(c.entries)
	}
	c.entries[key] = cacheEntry{partner: p, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return p, nil
}
