package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// Jobs is the durable job queue (milepost.JobQueue) in the jobs table. Jobs are inserted by
// enqueueJob inside the transaction of the change that causes them.
type Jobs struct{ db *DB }

// Jobs returns the job queue of this store.
func (db *DB) Jobs() *Jobs { return &Jobs{db: db} }

var _ milepost.JobQueue = (*Jobs)(nil)

// Job states.
const (
	jobAvailable = "available"
	jobRunning   = "running"
	jobDone      = "done"
	jobFailed    = "failed"
)

// defaultMaxAttempts bounds retries of a job (with backoff between them).
const defaultMaxAttempts = 8

// maxAttemptsByKind gives some kinds more attempts: webhook deliveries keep retrying for more
// than a day (the runner's backoff grows to 10 minutes between attempts).
var maxAttemptsByKind = map[string]int{milepost.JobDeliverWebhook: 200, milepost.JobReconcilePayout: 50}

// Enqueue adds a job on its own (most jobs are enqueued inside the transaction of the change
// that causes them, by the store's services).
func (q *Jobs) Enqueue(ctx context.Context, kind string, payload any, runAt time.Time) error {
	return q.db.update(ctx, func(tx *Tx) error { return enqueueJob(ctx, tx, kind, payload, runAt) })
}

// enqueueJob inserts a job due at runAt in tx.
func enqueueJob(ctx context.Context, tx *Tx, kind string, payload any, runAt time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s payload: %w", kind, err)
	}
	maxAttempts := defaultMaxAttempts
	if n, ok := maxAttemptsByKind[kind]; ok {
		maxAttempts = n
	}
	_, err = tx.exec(ctx, `INSERT INTO jobs (id, kind, payload, state, attempt, max_attempts, run_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)`, newID(), kind, string(b), jobAvailable, maxAttempts, runAt.UnixMilli(), tx.now.UnixMilli(), tx.now.UnixMilli())
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", kind, err)
	}
	if db := tx.db; db.JobEnqueued != nil {
		tx.afterCommit = append(tx.afterCommit, func() { db.JobEnqueued(kind) })
	}
	return nil
}

// ClaimJobs leases due jobs (and jobs whose lease ran out, left by a worker that died) to
// worker. On PostgreSQL, FOR UPDATE SKIP LOCKED lets several workers claim at once without
// taking the same job; on SQLite the single writer serializes claims.
func (q *Jobs) ClaimJobs(ctx context.Context, worker string, kinds []string, limit int, lease time.Duration) ([]*milepost.Job, error) {
	if len(kinds) == 0 || limit <= 0 {
		return nil, nil
	}
	return writeOne(ctx, q.db, func(tx *Tx) ([]*milepost.Job, error) {
		now := tx.now.UnixMilli()
		args := []any{worker, tx.now.Add(lease).UnixMilli(), now}
		for _, k := range kinds {
			args = append(args, k)
		}
		args = append(args, now, now, limit)
		rows, err := tx.query(ctx, `UPDATE jobs SET state = 'running', attempt = attempt + 1, locked_by = ?, locked_until = ?, updated_at = ?
			WHERE id IN (SELECT id FROM jobs WHERE kind IN (`+placeholders(len(kinds))+`)
				AND ((state = 'available' AND run_at <= ?) OR (state = 'running' AND locked_until <= ?))
				ORDER BY run_at, id LIMIT ?`+tx.d.skipLocked()+`)
			RETURNING id, kind, payload, attempt, max_attempts, run_at`, args...)
		if err != nil {
			return nil, fmt.Errorf("claim jobs: %w", err)
		}
		defer rows.Close()
		var out []*milepost.Job
		for rows.Next() {
			var j milepost.Job
			var payload string
			var runAt int64
			if err := rows.Scan(&j.ID, &j.Kind, &payload, &j.Attempt, &j.MaxAttempts, &runAt); err != nil {
				return nil, fmt.Errorf("scan job: %w", err)
			}
			j.Payload, j.RunAt = json.RawMessage(payload), fromMS(runAt)
			out = append(out, &j)
		}
		return out, rows.Err()
	})
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (q *Jobs) setState(ctx context.Context, id, state string, runAt *time.Time, errMsg string) error {
	return q.db.update(ctx, func(tx *Tx) error {
		return setJobState(ctx, tx, id, state, runAt, errMsg)
	})
}

func setJobState(ctx context.Context, tx *Tx, id, state string, runAt *time.Time, errMsg string) error {
	if len(errMsg) > 2000 {
		errMsg = errMsg[:2000]
	}
	q := "UPDATE jobs SET state = ?, locked_by = '', locked_until = 0, last_error = ?, updated_at = ? WHERE id = ?"
	args := []any{state, errMsg, tx.now.UnixMilli(), id}
	if runAt != nil {
		q = "UPDATE jobs SET state = ?, locked_by = '', locked_until = 0, last_error = ?, updated_at = ?, run_at = ? WHERE id = ?"
		args = []any{state, errMsg, tx.now.UnixMilli(), runAt.UnixMilli(), id}
	}
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("set job %s %s: %w", id, state, err)
	}
	return nil
}

// CompleteJob marks a job done.
func (q *Jobs) CompleteJob(ctx context.Context, id string) error {
	return q.setState(ctx, id, jobDone, nil, "")
}

// RetryJob makes a failed job available again at runAt.
func (q *Jobs) RetryJob(ctx context.Context, id string, runAt time.Time, errMsg string) error {
	return q.setState(ctx, id, jobAvailable, &runAt, errMsg)
}

// FailJob gives up on a job.
func (q *Jobs) FailJob(ctx context.Context, id string, errMsg string) error {
	return q.setState(ctx, id, jobFailed, nil, errMsg)
}

// JobCounts returns how many jobs are in each state (for tests and operations).
func (q *Jobs) JobCounts(ctx context.Context) (map[string]int, error) {
	return readOne(ctx, q.db, func(tx *Tx) (map[string]int, error) {
		rows, err := tx.query(ctx, "SELECT state, COUNT(*) FROM jobs GROUP BY state")
		if err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var s string
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				return nil, err
			}
			out[s] = n
		}
		return out, rows.Err()
	})
}

// PruneJobs deletes jobs that finished (done) before the cutoff; failed jobs are kept for
// inspection.
func (q *Jobs) PruneJobs(ctx context.Context, before time.Time) (int64, error) {
	return writeOne(ctx, q.db, func(tx *Tx) (int64, error) {
		res, err := tx.exec(ctx, "DELETE FROM jobs WHERE state = 'done' AND updated_at < ?", before.UnixMilli())
		if err != nil {
			return 0, fmt.Errorf("prune jobs: %w", err)
		}
		return res.RowsAffected()
	})
}
