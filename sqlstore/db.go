// Package sqlstore is the only package with SQL. It keeps Milepost's state in SQLite (the
// embedded default: one file, one writer connection and a pool of readers) or in PostgreSQL
// (through pgx), with the same queries for both and the few dialect differences in dialect.go.
// Exported methods open a transaction; unexported find/insert helpers compose inside it.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Config says where the database is and how to reach it.
type Config struct {
	// URL is a postgres:// (or postgresql://) URL, or a SQLite file path (optionally as
	// sqlite:///path or file:path). Empty means DataDir/milepost.db.
	URL string
	// DataDir holds the SQLite file when URL is empty.
	DataDir string
	// MaxConns bounds the PostgreSQL pool, or the SQLite reader pool (default 4×GOMAXPROCS / GOMAXPROCS+2).
	MaxConns int
	// Logger receives migration progress; nil discards.
	Logger *slog.Logger
}

// DB is an open store. It is safe for concurrent use.
type DB struct {
	dialect dialect
	write   *sql.DB // SQLite: one connection; PostgreSQL: the pool
	read    *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: the same pool
	log     *slog.Logger
	// Now is the clock; tests replace it. It is read once per transaction.
	Now func() time.Time
	// Location says where the database lives, for logs (never includes a password).
	Location string
	// SQLite: group commit of write transactions and prepared statement caches (nil on
	// PostgreSQL, whose pool runs writers side by side and whose driver caches statements).
	group          *committer
	wstmts, rstmts *stmtCache
	// uploads caches upload rows, which never change (see uploadcache.go).
	uploads uploadCache
	// JobEnqueued, when set, is called after a transaction that enqueued a job of kind commits,
	// so in-process workers start at once instead of at their next poll.
	JobEnqueued func(kind string)
}

// Open connects to the database described by cfg. It does not migrate; call Migrate or
// CheckSchema next.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := &DB{log: log, Now: time.Now}
	url := strings.TrimSpace(cfg.URL)
	var err error
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		err = db.openPostgres(url, cfg.MaxConns)
	} else {
		err = db.openSQLite(sqlitePath(url, cfg.DataDir), cfg.MaxConns)
	}
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.write.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.Location, err)
	}
	return db, nil
}

func sqlitePath(url, dataDir string) string {
	switch {
	case strings.HasPrefix(url, "sqlite://"):
		return strings.TrimPrefix(url, "sqlite://")
	case strings.HasPrefix(url, "file:"):
		return strings.TrimPrefix(url, "file:")
	case url != "":
		return url
	}
	if dataDir == "" {
		dataDir = "milepost-data"
	}
	return filepath.Join(dataDir, "milepost.db")
}

func (db *DB) openSQLite(path string, maxConns int) error {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("create database directory: %w", err)
	}
	db.dialect = sqliteDialect{}
	db.Location = "sqlite:" + path
	// WAL lets readers run beside the single writer; synchronous=NORMAL in WAL mode keeps every
	// committed transaction across a process crash (only an OS crash may lose the last ones).
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite readers: %w", err)
	}
	if maxConns <= 0 {
		maxConns = runtime.GOMAXPROCS(0) + 2
	}
	r.SetMaxOpenConns(maxConns)
	r.SetMaxIdleConns(maxConns)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	db.write, db.read = w, r
	db.wstmts, db.rstmts = newStmtCache(w), newStmtCache(r)
	db.group = newCommitter(db)
	return nil
}

func (db *DB) openPostgres(url string, maxConns int) error {
	db.dialect = postgresDialect{}
	db.Location = redactURL(url)
	p, err := sql.Open("pgx", url)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	if maxConns <= 0 {
		maxConns = 4 * runtime.GOMAXPROCS(0)
	}
	p.SetMaxOpenConns(maxConns)
	p.SetMaxIdleConns(maxConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	db.write, db.read = p, p
	return nil
}

// redactURL drops the password from a database URL so it can be logged.
func redactURL(u string) string {
	at := strings.LastIndexByte(u, '@')
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	userinfo := u[scheme+3 : at]
	if c := strings.IndexByte(userinfo, ':'); c >= 0 {
		userinfo = userinfo[:c] + ":xxxxx"
	}
	return u[:scheme+3] + userinfo + u[at:]
}

// Dialect names the database engine: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Close closes the connection pools.
func (db *DB) Close() error {
	var errs []error
	if db.group != nil {
		db.group.stop()
	}
	for _, c := range []*stmtCache{db.wstmts, db.rstmts} {
		if c != nil {
			c.close()
		}
	}
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers; the readiness probe uses it.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return classify(err)
	}
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return classify(err)
	}
	return nil
}
