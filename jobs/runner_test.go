package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/jobs"
	"github.com/milepost/milepost/milepostest"
	"github.com/milepost/milepost/sqlstore"
)

func openDB(t *testing.T, s milepostest.Store) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: s.URL, DataDir: s.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// countingHandler records every run of every job and fails the first failures runs of each.
type countingHandler struct {
	mu        sync.Mutex
	runs      map[string]int
	failures  int
	panics    bool
	exhausted atomic.Int32
}

func (h *countingHandler) Work(_ context.Context, j *milepost.Job) error {
	h.mu.Lock()
	h.runs[j.ID]++
	n := h.runs[j.ID]
	h.mu.Unlock()
	if n <= h.failures {
		if h.panics {
			panic("handler exploded")
		}
		return errors.New("temporary failure")
	}
	return nil
}

func (h *countingHandler) Exhausted(context.Context, *milepost.Job, error) error {
	h.exhausted.Add(1)
	return nil
}

func runUntil(t *testing.T, r *jobs.Runner, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { r.Run(ctx); close(stopped) }()
	deadline := time.Now().Add(30 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			cancel()
			<-stopped
			t.Fatal("jobs did not finish in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-stopped
}

func counts(t *testing.T, db *sqlstore.DB) map[string]int {
	t.Helper()
	c, err := db.Jobs().JobCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRunnerRetriesAndGivesUp(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		tests := []struct {
			name      string
			failures  int
			panics    bool
			wantState string
			wantRuns  int
			exhausted int32
		}{
			{"succeeds at once", 0, false, "done", 1, 0},
			{"succeeds on the third attempt", 2, false, "done", 3, 0},
			{"panics, then succeeds", 1, true, "done", 2, 0},
			{"fails every attempt", 1000, false, "failed", 8, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				kind := "test_" + fmt.Sprint(time.Now().UnixNano())
				if err := db.Jobs().Enqueue(ctx, kind, map[string]string{"x": "y"}, time.Now()); err != nil {
					t.Fatal(err)
				}
				h := &countingHandler{runs: map[string]int{}, failures: tt.failures, panics: tt.panics}
				r := jobs.New(jobs.Config{Queue: db.Jobs(), Handlers: map[string]jobs.Handler{kind: h}, PollInterval: 5 * time.Millisecond,
					Backoff: func(int) time.Duration { return time.Millisecond }})
				before := counts(t, db)[tt.wantState]
				runUntil(t, r, func() bool { return counts(t, db)[tt.wantState] == before+1 })
				for _, n := range h.runs {
					if n != tt.wantRuns {
						t.Fatalf("ran %d times, want %d", n, tt.wantRuns)
					}
				}
				if h.exhausted.Load() != tt.exhausted {
					t.Fatalf("Exhausted called %d times, want %d", h.exhausted.Load(), tt.exhausted)
				}
			})
		}
	})
}

// TestLeaseExpiryRescuesJobs simulates a worker that claimed a job and died: once its lease runs
// out, another worker runs the job.
func TestLeaseExpiryRescuesJobs(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		if err := db.Jobs().Enqueue(ctx, "rescue", nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		claimed, err := db.Jobs().ClaimJobs(ctx, "dead-worker", []string{"rescue"}, 10, 300*time.Millisecond)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		// While the lease holds, nobody else gets it.
		again, err := db.Jobs().ClaimJobs(ctx, "other", []string{"rescue"}, 10, time.Minute)
		if err != nil || len(again) != 0 {
			t.Fatalf("claimed a leased job: %v %v", again, err)
		}
		h := &countingHandler{runs: map[string]int{}}
		r := jobs.New(jobs.Config{Queue: db.Jobs(), Handlers: map[string]jobs.Handler{"rescue": h}, PollInterval: 20 * time.Millisecond})
		runUntil(t, r, func() bool { return counts(t, db)["done"] == 1 })
		if h.runs[claimed[0].ID] != 1 {
			t.Fatalf("rescued job ran %d times", h.runs[claimed[0].ID])
		}
	})
}

// TestConcurrentWorkersRunEachJobOnce runs several runners on one store: every job is worked
// exactly once.
func TestConcurrentWorkersRunEachJobOnce(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		db := openDB(t, s)
		ctx := context.Background()
		const n = 150
		for i := 0; i < n; i++ {
			if err := db.Jobs().Enqueue(ctx, "many", map[string]int{"i": i}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		h := &countingHandler{runs: map[string]int{}}
		var wg sync.WaitGroup
		runCtx, cancel := context.WithCancel(ctx)
		for w := 0; w < 3; w++ {
			// Each runner has its own connection pool, as separate processes would.
			wdb := openDB(t, s)
			r := jobs.New(jobs.Config{Queue: wdb.Jobs(), Handlers: map[string]jobs.Handler{"many": h}, PollInterval: 5 * time.Millisecond,
				Concurrency: 4, WorkerID: fmt.Sprint("w", w)})
			wg.Add(1)
			go func() { defer wg.Done(); r.Run(runCtx) }()
		}
		deadline := time.Now().Add(60 * time.Second)
		for counts(t, db)["done"] < n && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		if got := counts(t, db)["done"]; got != n {
			t.Fatalf("%d of %d jobs done", got, n)
		}
		if len(h.runs) != n {
			t.Fatalf("%d distinct jobs ran, want %d", len(h.runs), n)
		}
		for id, runs := range h.runs {
			if runs != 1 {
				t.Fatalf("job %s ran %d times", id, runs)
			}
		}
	})
}
