package sqlstore

import (
	"sync"

	"github.com/milepost/milepost"
)

// maxCachedUploads bounds the upload cache (about 1 kB an entry); it is cleared when it fills
// up.
const maxCachedUploads = 20_000

// uploadCache keeps uploads by id. It is coherent without invalidation because an upload row is
// never updated or deleted once written (if that ever changes, the change must drop the entry).
// Every reader gets a copy of its own, so no caller can change a cached upload.
type uploadCache struct {
	mu sync.RWMutex
	m  map[string]*milepost.Upload
}

func (c *uploadCache) get(id string) *milepost.Upload {
	c.mu.RLock()
	u := c.m[id]
	c.mu.RUnlock()
	if u == nil {
		return nil
	}
	cp := *u
	return &cp
}

// put stores a copy of a committed upload.
func (c *uploadCache) put(u *milepost.Upload) {
	cp := *u
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedUploads {
		c.m = make(map[string]*milepost.Upload, 1024)
	}
	c.m[u.ID] = &cp
	c.mu.Unlock()
}
