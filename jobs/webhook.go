package jobs

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/milepost/milepost"
)

// Deliverer sends one webhook delivery (the webhook package's Deliverer).
type Deliverer interface {
	Deliver(ctx context.Context, ep *milepost.WebhookEndpoint, dl *milepost.WebhookDelivery) (status int, err error)
}

// WebhookHandler runs JobDeliverWebhook jobs: one attempt per run, recorded on the delivery; a
// failed attempt returns an error so the runner retries with backoff, and the last one marks the
// delivery failed.
type WebhookHandler struct {
	Store     milepost.WebhookStore
	Deliverer Deliverer
}

func (h WebhookHandler) delivery(j *milepost.Job) (string, error) {
	var p milepost.DeliverWebhookPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.DeliveryID == "" {
		return "", fmt.Errorf("bad %s payload %s: %v", j.Kind, j.Payload, err)
	}
	return p.DeliveryID, nil
}

// Work makes one delivery attempt. A delivery already delivered, or whose endpoint was removed,
// needs nothing more.
func (h WebhookHandler) Work(ctx context.Context, j *milepost.Job) error {
	id, err := h.delivery(j)
	if err != nil {
		return err
	}
	dl, ep, err := h.Store.LoadDelivery(ctx, id)
	if milepost.ErrorCode(err) == milepost.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if dl.Status != milepost.DeliveryPending || !ep.Active {
		return nil
	}
	status, derr := h.Deliverer.Deliver(ctx, ep, dl)
	msg := ""
	if derr != nil {
		msg = derr.Error()
	}
	if err := h.Store.RecordAttempt(ctx, id, status, msg, derr == nil, false); err != nil {
		return err
	}
	return derr
}

// Exhausted marks the delivery failed after its last attempt.
func (h WebhookHandler) Exhausted(ctx context.Context, j *milepost.Job, cause error) error {
	id, err := h.delivery(j)
	if err != nil {
		return err
	}
	return h.Store.RecordAttempt(ctx, id, 0, "gave up: "+cause.Error(), false, true)
}

// PayoutReconciler finishes payouts left pending (the sqlstore reward service).
type PayoutReconciler interface {
	ReconcilePayout(ctx context.Context, payoutID string) error
}

// PayoutHandler runs JobReconcilePayout jobs.
type PayoutHandler struct {
	Payouts PayoutReconciler
}

// Work reconciles the payout (a no-op when its claim completed normally).
func (h PayoutHandler) Work(ctx context.Context, j *milepost.Job) error {
	var p milepost.ReconcilePayoutPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.PayoutID == "" {
		return fmt.Errorf("bad %s payload %s: %v", j.Kind, j.Payload, err)
	}
	return h.Payouts.ReconcilePayout(ctx, p.PayoutID)
}

// Exhausted leaves the payout for an operator: the ledger check reports it.
func (h PayoutHandler) Exhausted(context.Context, *milepost.Job, error) error { return nil }
