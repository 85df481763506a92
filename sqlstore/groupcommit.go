package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Group commit (SQLite). SQLite has one writer, so concurrent write transactions queue for it
// anyway; instead of each paying for its own BEGIN, COMMIT and WAL frames, a committer goroutine
// takes the queued ones (up to maxBatch) and runs them in ONE transaction, each inside its own
// savepoint:
//
//   - a unit whose function fails is rolled back to its savepoint and gets its own error; the
//     others are not affected;
//   - nobody is answered before the COMMIT: when it fails, every unit that had succeeded gets
//     the commit's error (none of them is in the database);
//   - if the transaction is lost midway (SQLite rolls a transaction back by itself on some I/O
//     errors, which shows as a savepoint that no longer exists), the whole batch fails;
//   - a request cancelled while still queued is never run; once its unit has started it runs to
//     the end with cancellation ignored, since interrupting a statement can roll back the whole
//     shared transaction.
//
// Each unit keeps its own Tx (its own "now" and after-commit hooks), so functions written for
// update need no change.

// maxBatch bounds the units in one group transaction (and so the latency a unit adds to those
// behind it).
const maxBatch = 128

// Unit states: queued, taken by the committer, or abandoned by its caller before it was taken.
const (
	unitQueued int32 = iota
	unitTaken
	unitAbandoned
)

// writeUnit is one caller's write transaction waiting for the committer.
type writeUnit struct {
	fn    func(tx *Tx) error
	state atomic.Int32
	tx    *Tx
	err   error
	// panicked holds what fn panicked with (and its stack); do panics with it in the caller.
	panicked any
	done     chan struct{}
}

// unitPanic is a unit function's panic, carried over to the caller's goroutine.
type unitPanic struct {
	value any
	stack []byte
}

func (p unitPanic) String() string {
	return fmt.Sprintf("%v\n\n(in the group commit)\n%s", p.value, p.stack)
}

// call runs the unit's function, turning a panic into an error for the batch and a panic for
// its caller.
func (u *writeUnit) call() (err error) {
	defer func() {
		if r := recover(); r != nil {
			u.panicked = unitPanic{r, debug.Stack()}
			err = fmt.Errorf("write transaction panicked: %v", r)
		}
	}()
	return u.fn(u.tx)
}

// committer runs queued write units in group transactions on the single SQLite writer.
type committer struct {
	db    *DB
	queue chan *writeUnit
	quit  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
	// wanted are statements met uncached inside a batch; they are prepared between batches, when
	// the writer connection is free (preparing on the pool inside a transaction would wait for
	// the one connection forever).
	wanted []string
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db, queue: make(chan *writeUnit, 4*maxBatch), quit: make(chan struct{})}
	c.wg.Go(c.loop)
	return c
}

// stop ends the committer after the batch it is running; units still queued fail.
func (c *committer) stop() {
	c.once.Do(func() { close(c.quit) })
	c.wg.Wait()
	for {
		select {
		case u := <-c.queue:
			if u.state.CompareAndSwap(unitQueued, unitTaken) {
				u.err = errors.New("database closed")
				close(u.done)
			}
		default:
			return
		}
	}
}

// do queues fn and waits for its outcome: nil only once its transaction has committed.
func (c *committer) do(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	u := &writeUnit{fn: fn, done: make(chan struct{})}
	select {
	case c.queue <- u:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.quit:
		return errors.New("database closed")
	}
	select {
	case <-u.done:
	case <-ctx.Done():
		if u.state.CompareAndSwap(unitQueued, unitAbandoned) {
			return ctx.Err()
		}
		<-u.done // already running: its outcome is decided by the commit, so wait for it
	case <-c.quit:
		if u.state.CompareAndSwap(unitQueued, unitAbandoned) {
			return errors.New("database closed")
		}
		<-u.done
	}
	if u.panicked != nil {
		panic(u.panicked)
	}
	if u.err != nil {
		return u.err
	}
	for _, f := range u.tx.afterCommit {
		f()
	}
	return nil
}

func (c *committer) loop() {
	batch := make([]*writeUnit, 0, maxBatch)
	for {
		var first *writeUnit
		select {
		case first = <-c.queue:
		case <-c.quit:
			return
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < maxBatch {
			select {
			case u := <-c.queue:
				batch = append(batch, u)
			default:
				break fill
			}
		}
		c.run(batch)
		c.prepareWanted()
	}
}

// run executes one batch and answers each of its units.
func (c *committer) run(batch []*writeUnit) {
	live := batch[:0:0]
	for _, u := range batch {
		if u.state.CompareAndSwap(unitQueued, unitTaken) {
			live = append(live, u)
		}
	}
	if len(live) == 0 {
		return
	}
	defer func() {
		for _, u := range live {
			close(u.done)
		}
	}()
	bg := context.Background()
	sqlTx, err := c.db.write.BeginTx(bg, nil)
	if err != nil {
		err = classify(fmt.Errorf("begin: %w", err))
		for _, u := range live {
			u.err = err
		}
		return
	}
	if len(live) == 1 {
		// Alone in its batch: the transaction is the unit's own, no savepoint needed.
		u := live[0]
		u.tx = c.unitTx(sqlTx)
		if ferr := u.call(); ferr != nil {
			u.err = classify(ferr)
			_ = sqlTx.Rollback()
			return
		}
		if err := sqlTx.Commit(); err != nil {
			u.err = classify(fmt.Errorf("commit: %w", err))
		}
		return
	}
	ok := 0
	var lost error
	for i, u := range live {
		if lost != nil {
			u.err = lost
			continue
		}
		if _, err := sqlTx.ExecContext(bg, "SAVEPOINT unit"); err != nil {
			lost = classify(fmt.Errorf("savepoint: %w", err))
			u.err = lost
			continue
		}
		u.tx = c.unitTx(sqlTx)
		if ferr := u.call(); ferr != nil {
			u.err = classify(ferr)
			if _, err := sqlTx.ExecContext(bg, "ROLLBACK TO unit"); err != nil {
				lost = classify(fmt.Errorf("roll back to savepoint: %w", err))
			}
		} else {
			ok++
		}
		if lost == nil {
			if _, err := sqlTx.ExecContext(bg, "RELEASE unit"); err != nil {
				lost = classify(fmt.Errorf("release savepoint: %w", err))
			}
		}
		if lost != nil {
			// The transaction is gone (or in an unknown state): nothing of this batch may be
			// acknowledged, including the units that had succeeded before this one.
			for _, v := range live[:i+1] {
				if v.err == nil {
					v.err = lost
				}
			}
		}
	}
	if lost != nil {
		_ = sqlTx.Rollback()
		return
	}
	if ok == 0 {
		_ = sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		err = classify(fmt.Errorf("commit: %w", err))
		for _, u := range live {
			if u.err == nil {
				u.err = err
			}
		}
	}
}

// unitTx is the Tx a unit's function runs with: the shared transaction, with the unit's own
// "now" and after-commit hooks.
func (c *committer) unitTx(sqlTx *sql.Tx) *Tx {
	return &Tx{q: sqlTx, sqlTx: sqlTx, detached: true, stmts: c.db.wstmts, committer: c, d: c.db.dialect, db: c.db, now: c.db.now()}
}

// want records a statement to prepare after the batch; only the committer goroutine calls it.
func (c *committer) want(query string) {
	if c.db.wstmts == nil {
		return
	}
	if len(c.wanted) < maxCachedStmts {
		c.wanted = append(c.wanted, query)
	}
}

func (c *committer) prepareWanted() {
	for _, q := range c.wanted {
		c.db.wstmts.prepare(context.Background(), q)
	}
	c.wanted = c.wanted[:0]
}
