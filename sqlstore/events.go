package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/milepost/milepost"
)

// eventJSON is the body every webhook delivery carries.
type eventJSON struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"createdAt"`
	PartnerID string    `json:"partnerId"`
	Data      any       `json:"data"`
}

// emitEvent writes an event into the outbox of every active endpoint of the partner — a delivery
// row and its delivery job — in the transaction of the change that caused it, so the event exists
// exactly when the change does and survives a crash or a receiver that is down.
func emitEvent(ctx context.Context, tx *Tx, partnerID, eventType string, data any) error {
	var endpoints []string
	err := eachRow(tx.query(ctx, "SELECT id FROM webhook_endpoints WHERE partner_id = ? AND active", partnerID))(func(rows *sql.Rows) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		endpoints = append(endpoints, id)
		return nil
	})
	if err != nil || len(endpoints) == 0 {
		return err
	}
	body, err := json.Marshal(eventJSON{ID: newID(), Type: eventType, CreatedAt: tx.now, PartnerID: partnerID, Data: data})
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	var event eventJSON
	_ = json.Unmarshal(body, &event)
	for _, ep := range endpoints {
		id := newID()
		if _, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, ep, event.ID, eventType, string(body), milepost.DeliveryPending, tx.now.UnixMilli()); err != nil {
			return fmt.Errorf("insert delivery: %w", err)
		}
		if err := enqueueJob(ctx, tx, milepost.JobDeliverWebhook, milepost.DeliverWebhookPayload{DeliveryID: id}, tx.now); err != nil {
			return err
		}
	}
	return nil
}

var checkinTypeNames = map[milepost.CheckinType]string{
	milepost.CheckinMileage: "Mileage", milepost.CheckinCondition: "Condition", milepost.CheckinProofOfAddress: "ProofOfAddress",
}

// afterTransition records a check-in's transition, moves its reward along (Pending while
// Pending or OnHold, Confirmed or Declined with it) and emits checkin.status_changed, all in tx.
func afterTransition(ctx context.Context, tx *Tx, c *milepost.Checkin, t milepost.Transition, adminNote string, fraud bool) error {
	if err := insertTransition(ctx, tx, c.ID, t); err != nil {
		return err
	}
	if err := syncCheckinReward(ctx, tx, c, milepost.RewardStatusFor(t.To)); err != nil {
		return err
	}
	return emitEvent(ctx, tx, c.PartnerID, milepost.EventCheckinStatusChanged, map[string]any{
		"checkinId": c.ID, "checkInType": checkinTypeNames[c.Type], "status": string(t.To), "previousStatus": string(t.From),
		"userId": c.UserID, "vehicleId": c.VehicleID, "adminNote": adminNote, "fraud": fraud,
	})
}
