package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/milepost/milepost"
)

func openGroupTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if db.group == nil {
		t.Fatal("SQLite store without group commit")
	}
	err = db.updateAlone(context.Background(), func(tx *Tx) error {
		_, err := tx.exec(context.Background(), "CREATE TABLE gc_test (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestGroupCommitOwnOutcomes runs many concurrent write transactions, some of which fail after
// writing, some on a constraint; each caller must get its own outcome and the database must hold
// exactly the writes of those that succeeded.
func TestGroupCommitOwnOutcomes(t *testing.T) {
	db := openGroupTestDB(t)
	ctx := context.Background()
	const n = 300
	errs := make([]error, n)
	var hooks atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.update(ctx, func(tx *Tx) error {
				if _, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (?, ?)", i, fmt.Sprint("row ", i)); err != nil {
					return err
				}
				switch i % 3 {
				case 1: // a domain error after a write: the write must be undone
					return milepost.Errorf(milepost.CodeConflict, "", "unit %d refuses", i)
				case 2: // a constraint error after a write
					if _, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (?, ?)", i, "again"); err != nil {
						return fmt.Errorf("unit %d: %w", i, err)
					}
				}
				tx.afterCommit = append(tx.afterCommit, func() { hooks.Add(1) })
				return nil
			})
		})
	}
	wg.Wait()
	want := 0
	for i, err := range errs {
		switch i % 3 {
		case 0:
			want++
			if err != nil {
				t.Errorf("unit %d: %v", i, err)
			}
		case 1:
			if milepost.ErrorCode(err) != milepost.CodeConflict || milepost.ErrorMessage(err) != fmt.Sprintf("unit %d refuses", i) {
				t.Errorf("unit %d: got %v, want its own conflict", i, err)
			}
		case 2:
			if err == nil || !errorsContains(err, fmt.Sprintf("unit %d:", i)) {
				t.Errorf("unit %d: got %v, want its own constraint error", i, err)
			}
		}
	}
	var rows, bad int
	if err := db.read.QueryRow("SELECT COUNT(*), COALESCE(SUM(k % 3 <> 0), 0) FROM gc_test").Scan(&rows, &bad); err != nil {
		t.Fatal(err)
	}
	if rows != want || bad != 0 {
		t.Errorf("%d rows (%d of failed units), want %d, none failed", rows, bad, want)
	}
	if hooks.Load() != int64(want) {
		t.Errorf("after-commit hooks ran %d times, want %d", hooks.Load(), want)
	}
}

func errorsContains(err error, s string) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if len(e.Error()) >= len(s) && e.Error()[:len(s)] == s {
			return true
		}
	}
	return false
}

// TestGroupCommitCancelledWhileQueued: a caller that gives up before its unit starts gets its
// context's error and its unit never runs; the units around it are unaffected.
func TestGroupCommitCancelledWhileQueued(t *testing.T) {
	db := openGroupTestDB(t)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	var first sync.WaitGroup
	first.Go(func() {
		err := db.update(ctx, func(tx *Tx) error {
			close(started)
			<-release // holds the committer, so the next unit stays queued
			_, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (1, 'first')")
			return err
		})
		if err != nil {
			t.Errorf("first: %v", err)
		}
	})
	<-started
	cctx, cancel := context.WithCancel(ctx)
	var ran atomic.Bool
	done := make(chan error, 1)
	go func() {
		done <- db.update(cctx, func(tx *Tx) error {
			ran.Store(true)
			_, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (2, 'cancelled')")
			return err
		})
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled unit: %v, want context.Canceled", err)
	}
	close(release)
	first.Wait()
	if err := db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (3, 'after')")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var keys string
	if err := db.read.QueryRow("SELECT group_concat(k, ',') FROM (SELECT k FROM gc_test ORDER BY k)").Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != "1,3" || ran.Load() {
		t.Errorf("rows %q (cancelled unit ran: %v), want 1,3", keys, ran.Load())
	}
}

// TestGroupCommitClosed: after Close, writes fail instead of hanging.
func TestGroupCommitClosed(t *testing.T) {
	db := openGroupTestDB(t)
	db.Close()
	if err := db.update(context.Background(), func(tx *Tx) error { return nil }); err == nil {
		t.Fatal("write after Close succeeded")
	}
}

// TestGroupCommitPanic: a unit that panics panics in its caller; the committer and the other
// units carry on.
func TestGroupCommitPanic(t *testing.T) {
	db := openGroupTestDB(t)
	ctx := context.Background()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the unit's panic did not reach its caller")
			}
		}()
		_ = db.update(ctx, func(tx *Tx) error {
			if _, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (1, 'panics')"); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if err := db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "INSERT INTO gc_test (k, v) VALUES (2, 'after')")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var keys string
	if err := db.read.QueryRow("SELECT group_concat(k, ',') FROM gc_test").Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != "2" {
		t.Errorf("rows %q, want 2", keys)
	}
}
