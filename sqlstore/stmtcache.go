package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds a statement cache: queries built at run time (IN lists, search
// filters) beyond it are simply not cached.
const maxCachedStmts = 512

// stmtCache keeps prepared statements by query text (SQLite: the driver would otherwise parse
// and plan every statement on every call; pgx caches statements by itself). A statement of the
// read pool is prepared on each connection the first time it runs there.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

// lookup returns the cached statement for query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	st := c.m[query]
	c.mu.RUnlock()
	return st
}

// prepare returns the statement for query, preparing and caching it on first use; nil when the
// cache is full or preparing fails (the caller then runs the query unprepared, which reports
// the error if there is one).
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	if st := c.lookup(query); st != nil {
		return st
	}
	c.mu.RLock()
	full := len(c.m) >= maxCachedStmts
	c.mu.RUnlock()
	if full {
		return nil
	}
	// Prepared without holding the lock: preparing takes a connection, which may be waiting
	// for a caller that is itself about to look a statement up.
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[query]; prev != nil {
		st.Close()
		return prev
	}
	if len(c.m) >= maxCachedStmts {
		st.Close()
		return nil
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
