// Package jobs runs the durable queue's workers: it claims due jobs from a milepost.JobQueue,
// runs each with its kind's Handler, and completes, retries (with backoff) or gives up on it.
// Claims are leases, so the jobs of a worker that crashes are claimed again when the lease runs
// out; handlers must therefore be idempotent (the verification handler's decision is a guarded
// transition, so a job that runs twice decides once).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/milepost/milepost"
)

// Handler does one kind of job.
type Handler interface {
	// Work runs the job. nil completes it; ErrCompleted says the handler completed it itself (in
	// its own transaction); any other error retries it later, until its last attempt.
	Work(ctx context.Context, job *milepost.Job) error
	// Exhausted is called once a job failed its last attempt, so the handler can leave things
	// in a state a human can pick up (e.g. a check-in OnHold for review).
	Exhausted(ctx context.Context, job *milepost.Job, cause error) error
}

// ErrCompleted tells the runner the handler has already marked the job done.
var ErrCompleted = errors.New("job completed by its handler")

// Config configures a Runner. Zero values take the documented defaults.
type Config struct {
	Queue    milepost.JobQueue
	Handlers map[string]Handler
	// Concurrency is how many jobs run at once (default 2×GOMAXPROCS).
	Concurrency int
	// PollInterval is how often the queue is polled when nothing wakes the runner (default 1 s).
	PollInterval time.Duration
	// Lease is how long a claimed job belongs to this worker (default 5 min); a job running
	// longer may be claimed by another worker.
	Lease time.Duration
	// JobTimeout bounds one run of a job (default 2 min, and less than Lease).
	JobTimeout time.Duration
	// Backoff is the wait before retry n (1-based); default 2^n s with jitter, at most 10 min.
	Backoff func(attempt int) time.Duration
	// WorkerID names this worker in the jobs table (default host:pid:random, so runners in one
	// process, or in containers that share a host name and PID 1, stay apart).
	WorkerID string
	Logger   *slog.Logger
}

// Runner is a pool of workers over the queue.
type Runner struct {
	cfg   Config
	kinds []string
	wake  chan struct{}
	sem   chan struct{}
	wg    sync.WaitGroup
}

// New returns a runner for the configured handlers.
func New(cfg Config) *Runner {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.JobTimeout <= 0 || cfg.JobTimeout >= cfg.Lease {
		cfg.JobTimeout = min(2*time.Minute, cfg.Lease*9/10)
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.WorkerID == "" {
		host, _ := os.Hostname()
		cfg.WorkerID = fmt.Sprintf("%s:%d:%08x", host, os.Getpid(), rand.Uint32())
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Runner{cfg: cfg, wake: make(chan struct{}, 1), sem: make(chan struct{}, cfg.Concurrency)}
	for k := range cfg.Handlers {
		r.kinds = append(r.kinds, k)
	}
	return r
}

// DefaultBackoff waits 2^attempt seconds (±25 %), at most 10 minutes.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Duration(1<<min(attempt, 10)) * time.Second
	d = min(d, 10*time.Minute)
	return d*3/4 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// Notify wakes the runner to claim jobs now (called after a local transaction enqueued one).
func (r *Runner) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run claims and runs jobs until ctx is done, then waits for the jobs in flight (which keep
// running on their own time-outs) before returning.
func (r *Runner) Run(ctx context.Context) error {
	log := r.cfg.Logger
	log.Info("job workers started", "worker", r.cfg.WorkerID, "concurrency", r.cfg.Concurrency, "kinds", strings.Join(r.kinds, ","))
	ticker := time.NewTicker(r.cfg.PollInterval)
	defer ticker.Stop()
	for {
		more := r.claimAndRun(ctx)
		if !more {
			select {
			case <-ctx.Done():
				r.wg.Wait()
				log.Info("job workers stopped", "worker", r.cfg.WorkerID)
				return nil
			case <-ticker.C:
			case <-r.wake:
			}
		} else if ctx.Err() != nil {
			r.wg.Wait()
			return nil
		}
	}
}

// claimAndRun claims as many jobs as there are free slots and starts them. It reports whether
// it filled every slot (more jobs may be waiting).
func (r *Runner) claimAndRun(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	// Wait for at least one free slot.
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	free := 1
	for free < cap(r.sem) {
		select {
		case r.sem <- struct{}{}:
			free++
			continue
		default:
		}
		break
	}
	jobs, err := r.cfg.Queue.ClaimJobs(ctx, r.cfg.WorkerID, r.kinds, free, r.cfg.Lease)
	if err != nil {
		if ctx.Err() == nil {
			r.cfg.Logger.Warn("claim jobs", "error", err)
		}
		jobs = nil
	}
	for i := len(jobs); i < free; i++ {
		<-r.sem
	}
	for _, j := range jobs {
		r.wg.Add(1)
		go func() {
			defer func() { <-r.sem; r.wg.Done() }()
			r.runOne(ctx, j)
		}()
	}
	return len(jobs) == free && len(jobs) > 0
}

// runOne runs a job to completion, retry or failure. It uses its own context so a shutdown
// (runCtx done) lets it finish (bounded by JobTimeout) rather than leaving half-done work.
func (r *Runner) runOne(runCtx context.Context, j *milepost.Job) {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.JobTimeout)
	defer cancel()
	log := r.cfg.Logger.With("job", j.ID, "kind", j.Kind, "attempt", j.Attempt)
	h := r.cfg.Handlers[j.Kind]
	var err error
	if j.Attempt > j.MaxAttempts {
		err = fmt.Errorf("the job was claimed %d times; the worker running it probably crashed", j.Attempt-1)
	} else {
		err = safeWork(ctx, h, j)
	}
	switch {
	case err == nil:
		r.settle(runCtx, log, "complete job", func(ctx context.Context) error { return r.cfg.Queue.CompleteJob(ctx, j.ID) })
	case errors.Is(err, ErrCompleted):
	case j.Attempt >= j.MaxAttempts:
		log.Error("job failed for good", "error", err)
		if xerr := h.Exhausted(ctx, j, err); xerr != nil {
			log.Error("handle exhausted job", "error", xerr)
		}
		r.settle(runCtx, log, "fail job", func(ctx context.Context) error { return r.cfg.Queue.FailJob(ctx, j.ID, err.Error()) })
	default:
		wait := r.cfg.Backoff(j.Attempt)
		log.Warn("job failed; will retry", "error", err, "retry_in", wait)
		r.settle(runCtx, log, "retry job", func(ctx context.Context) error {
			return r.cfg.Queue.RetryJob(ctx, j.ID, time.Now().Add(wait), err.Error())
		})
	}
}

// settleRetry is how often settle tries again while the queue's database is unavailable.
var settleRetry = 500 * time.Millisecond

// settle records a job's outcome with f. When the database is unavailable (the job most likely
// failed for that same reason), it tries again every settleRetry for up to a tenth of the lease,
// until the runner stops: otherwise a short database outage would leave the job leased to this
// worker, and idle, until its lease runs out. Past that, the lease is the fallback.
func (r *Runner) settle(runCtx context.Context, log *slog.Logger, what string, f func(ctx context.Context) error) {
	deadline := time.Now().Add(r.cfg.Lease / 10)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := f(ctx)
		cancel()
		if err == nil {
			return
		}
		if milepost.ErrorCode(err) != milepost.CodeUnavailable || runCtx.Err() != nil || time.Now().After(deadline) {
			log.Warn(what, "error", err)
			return
		}
		select {
		case <-runCtx.Done():
			log.Warn(what, "error", err)
			return
		case <-time.After(settleRetry):
		}
	}
}

// safeWork runs the handler, turning a panic into an error so one bad job cannot stop the worker.
func safeWork(ctx context.Context, h Handler, j *milepost.Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
	}()
	return h.Work(ctx, j)
}
