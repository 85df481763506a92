package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a unit of work: a database transaction (or a read connection pool) with its dialect and
// the time fixed when it began, so every row it writes carries the same "now".
type Tx struct {
	q   queryer
	d   dialect
	db  *DB
	now time.Time
	// afterCommit runs once the transaction has committed (e.g. waking the job workers).
	afterCommit []func()
	// sqlTx is the write transaction (nil on the read pool); stmts, when set, caches prepared
	// statements (SQLite); committer, when set, is the group commit running this unit, whose
	// uncached statements it prepares between batches.
	sqlTx     *sql.Tx
	stmts     *stmtCache
	committer *committer
	// detached: statements ignore the caller's cancellation. A unit of a group transaction must
	// not interrupt a statement: SQLite may then roll back the whole shared transaction.
	detached bool
}

// stmt returns the cached prepared statement for query, bound to the transaction, or nil.
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	if tx.sqlTx == nil {
		return tx.stmts.prepare(ctx, query)
	}
	st := tx.stmts.lookup(query)
	if st == nil {
		if tx.committer != nil {
			tx.committer.want(query)
		}
		return nil
	}
	return tx.sqlTx.StmtContext(ctx, st)
}

func (tx *Tx) ctx(ctx context.Context) context.Context {
	if tx.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, query = tx.ctx(ctx), tx.d.rebind(query)
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.q.ExecContext(ctx, query, args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, query = tx.ctx(ctx), tx.d.rebind(query)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.q.QueryContext(ctx, query, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, query = tx.ctx(ctx), tx.d.rebind(query)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.q.QueryRowContext(ctx, query, args...)
}

// now returns the store's clock truncated to the millisecond, the precision timestamps keep.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Millisecond) }

// update runs fn in a write transaction and commits it when fn returns nil; it returns nil only
// once fn's writes are committed. On SQLite the transaction starts with BEGIN IMMEDIATE on the
// single writer connection, so writes are serialized and read-then-write checks inside fn
// cannot race; concurrent calls are grouped into one transaction (see groupcommit.go), each
// keeping its own outcome. fn may run with cancellation of ctx ignored once it has started.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	if db.group != nil {
		return db.group.do(ctx, fn)
	}
	return db.updateAlone(ctx, fn)
}

// updateAlone is update in a transaction of its own (PostgreSQL, and migrations on both).
func (db *DB) updateAlone(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return classify(fmt.Errorf("begin: %w", err))
	}
	tx := &Tx{q: sqlTx, sqlTx: sqlTx, d: db.dialect, db: db, now: db.now()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return classify(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return classify(fmt.Errorf("commit: %w", err))
	}
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// view runs fn against the read pool. Reads outside a transaction each see committed data;
// that is enough for single-query lookups and for lists (count and page may differ by a row
// written in between, as with any paged API).
func (db *DB) view(ctx context.Context, fn func(tx *Tx) error) error {
	tx := &Tx{q: db.read, stmts: db.rstmts, d: db.dialect, db: db, now: db.now()}
	return classify(fn(tx))
}

// nullMS converts an optional time to a nullable unix-millisecond value.
func nullMS(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// timePtr converts a nullable unix-millisecond value back to an optional UTC time.
func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func floatPtr(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := v.Float64
	return &f
}

// readOne runs fn against the read pool and returns its result.
func readOne[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// writeOne runs fn in a write transaction and returns its result once committed.
func writeOne[T any](ctx context.Context, db *DB, fn func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// eachRow runs fn for every row of a query's result and closes it; the query's error, fn's
// error or the iteration's error is returned. Use it as eachRow(tx.query(...))(fn).
func eachRow(rows *sql.Rows, err error) func(fn func(*sql.Rows) error) error {
	return func(fn func(*sql.Rows) error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}
