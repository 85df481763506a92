package jobs_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/jobs"
	"github.com/milepost/milepost/milepostest"
)

// flakyQueue is a job queue whose database is unavailable for the first few outcome writes, as
// when the outage that made a job fail also stops the worker from recording the failure.
type flakyQueue struct {
	milepost.JobQueue
	outage atomic.Int32 // outcome writes left to fail
	failed atomic.Int32
}

func (q *flakyQueue) down() error {
	if q.outage.Add(-1) >= 0 {
		q.failed.Add(1)
		return milepost.Errorf(milepost.CodeUnavailable, milepost.ReasonServiceUnavailable, "database down")
	}
	return nil
}

func (q *flakyQueue) RetryJob(ctx context.Context, id string, runAt time.Time, msg string) error {
	if err := q.down(); err != nil {
		return err
	}
	return q.JobQueue.RetryJob(ctx, id, runAt, msg)
}

func (q *flakyQueue) CompleteJob(ctx context.Context, id string) error {
	if err := q.down(); err != nil {
		return err
	}
	return q.JobQueue.CompleteJob(ctx, id)
}

// TestOutcomeSurvivesOutage: a job whose outcome cannot be recorded because the database is
// briefly down is not left leased (idle until its 5-minute lease runs out): the runner records
// the outcome once the database is back.
func TestOutcomeSurvivesOutage(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		kind := "test_outage_" + fmt.Sprint(time.Now().UnixNano())
		if err := db.Jobs().Enqueue(context.Background(), kind, map[string]string{"x": "y"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		q := &flakyQueue{JobQueue: db.Jobs()}
		q.outage.Store(3) // the retry after the first failure fails 3 times, then gets through
		h := &countingHandler{runs: map[string]int{}, failures: 1}
		r := jobs.New(jobs.Config{Queue: q, Handlers: map[string]jobs.Handler{kind: h}, PollInterval: 5 * time.Millisecond,
			Backoff: func(int) time.Duration { return time.Millisecond }}) // default 5-minute lease
		before := counts(t, db)["done"]
		runUntil(t, r, func() bool { return counts(t, db)["done"] == before+1 })
		if q.failed.Load() != 3 {
			t.Fatalf("%d outcome writes failed, want 3", q.failed.Load())
		}
		for _, n := range h.runs {
			if n != 2 {
				t.Fatalf("ran %d times, want 2", n)
			}
		}
	})
}
