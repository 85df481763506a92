package milepost

import (
	"context"
	"encoding/json"
	"time"
)

// Job kinds.
const (
	JobVerifyCheckin   = "verify_checkin"
	JobDeliverWebhook  = "deliver_webhook"
	JobReconcilePayout = "reconcile_payout"
)

// Job is a unit of asynchronous work in the durable queue. It is enqueued in the same
// transaction as the change that caused it, so it exists exactly when the change does.
type Job struct {
	ID          string
	Kind        string
	Payload     json.RawMessage
	Attempt     int // 1 on the first run
	MaxAttempts int
	RunAt       time.Time
}

// VerifyCheckinPayload is the payload of a JobVerifyCheckin job.
type VerifyCheckinPayload struct {
	CheckinID string `json:"checkinId"`
	Run       int    `json:"run"`
}

// DeliverWebhookPayload is the payload of a JobDeliverWebhook job.
type DeliverWebhookPayload struct {
	DeliveryID string `json:"deliveryId"`
}

// ReconcilePayoutPayload is the payload of a JobReconcilePayout job.
type ReconcilePayoutPayload struct {
	PayoutID string `json:"payoutId"`
}

// JobQueue is the durable queue the workers read. Claimed jobs are leased: a worker that dies
// leaves its jobs to be claimed again when the lease runs out.
type JobQueue interface {
	// ClaimJobs leases up to limit jobs of the given kinds that are due (or whose lease expired)
	// to worker for lease, incrementing their attempt.
	ClaimJobs(ctx context.Context, worker string, kinds []string, limit int, lease time.Duration) ([]*Job, error)
	// CompleteJob marks a job done.
	CompleteJob(ctx context.Context, id string) error
	// RetryJob releases a failed job to run again at runAt, recording the error.
	RetryJob(ctx context.Context, id string, runAt time.Time, errMsg string) error
	// FailJob gives up on a job after its last attempt, recording the error.
	FailJob(ctx context.Context, id string, errMsg string) error
}
