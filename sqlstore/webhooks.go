package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

// Webhooks implements milepost.WebhookService and milepost.WebhookStore.
type Webhooks struct{ db *DB }

// Webhooks returns the webhook service of this store.
func (db *DB) Webhooks() *Webhooks { return &Webhooks{db: db} }

var (
	_ milepost.WebhookService = (*Webhooks)(nil)
	_ milepost.WebhookStore   = (*Webhooks)(nil)
)

const endpointCols = "id, partner_id, url, secret, active, created_at"

func scanEndpoint(row interface{ Scan(...any) error }) (*milepost.WebhookEndpoint, error) {
	var e milepost.WebhookEndpoint
	var created int64
	if err := row.Scan(&e.ID, &e.PartnerID, &e.URL, &e.Secret, &e.Active, &created); err != nil {
		return nil, err
	}
	e.CreatedAt = fromMS(created)
	return &e, nil
}

// AddEndpoint registers a URL for the partner's events and returns it with its new secret.
func (s *Webhooks) AddEndpoint(ctx context.Context, actor milepost.Actor, url string) (*milepost.WebhookEndpoint, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	url, err := milepost.ValidateWebhookURL(url)
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.WebhookEndpoint, error) {
		if _, err := findPartner(ctx, tx, actor.PartnerID); err != nil {
			return nil, err
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM webhook_endpoints WHERE partner_id = ? AND active", actor.PartnerID).Scan(&n); err != nil {
			return nil, err
		}
		if n >= 20 {
			return nil, milepost.Errorf(milepost.CodeConflict, "", "A partner may have at most 20 webhook endpoints.")
		}
		e := &milepost.WebhookEndpoint{ID: "we_" + randomHex(8), PartnerID: actor.PartnerID, URL: url, Secret: "whsec_" + randomToken(24), Active: true, CreatedAt: tx.now}
		if _, err := tx.exec(ctx, "INSERT INTO webhook_endpoints ("+endpointCols+") VALUES (?, ?, ?, ?, ?, ?)",
			e.ID, e.PartnerID, e.URL, e.Secret, e.Active, e.CreatedAt.UnixMilli()); err != nil {
			return nil, fmt.Errorf("insert endpoint: %w", err)
		}
		return e, nil
	})
}

// ListEndpoints returns the partner's active endpoints (their secrets blanked).
func (s *Webhooks) ListEndpoints(ctx context.Context, actor milepost.Actor) ([]*milepost.WebhookEndpoint, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.WebhookEndpoint, error) {
		out := []*milepost.WebhookEndpoint{}
		err := eachRow(tx.query(ctx, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE partner_id = ? AND active ORDER BY created_at, id",
			actor.PartnerID))(func(rows *sql.Rows) error {
			e, err := scanEndpoint(rows)
			if err == nil {
				e.Secret = ""
				out = append(out, e)
			}
			return err
		})
		return out, err
	})
}

func findEndpoint(ctx context.Context, tx *Tx, actor milepost.Actor, id string) (*milepost.WebhookEndpoint, error) {
	e, err := scanEndpoint(tx.queryRow(ctx, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE id = ?", strings.TrimSpace(id)))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !e.Active) {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "No webhook endpoint %s.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find endpoint: %w", err)
	}
	if e.PartnerID != actor.PartnerID {
		return nil, milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "This webhook endpoint belongs to another partner.")
	}
	return e, nil
}

// RemoveEndpoint stops sending events to an endpoint (its deliveries stay visible).
func (s *Webhooks) RemoveEndpoint(ctx context.Context, actor milepost.Actor, id string) error {
	if err := actor.RequireAdmin(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		e, err := findEndpoint(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, "UPDATE webhook_endpoints SET active = ? WHERE id = ?", false, e.ID)
		return err
	})
}

const deliveryCols = `id, endpoint_id, event_id, event_type, payload, status, attempts, last_status_code, last_error, last_attempt_at,
	delivered_at, created_at`

func scanDelivery(row interface{ Scan(...any) error }) (*milepost.WebhookDelivery, error) {
	var d milepost.WebhookDelivery
	var payload string
	var last, delivered sql.NullInt64
	var created int64
	if err := row.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &payload, &d.Status, &d.Attempts, &d.LastStatusCode, &d.LastError,
		&last, &delivered, &created); err != nil {
		return nil, err
	}
	d.Payload, d.LastAttemptAt, d.DeliveredAt, d.CreatedAt = []byte(payload), timePtr(last), timePtr(delivered), fromMS(created)
	return &d, nil
}

// Deliveries returns an endpoint's latest deliveries, newest first.
func (s *Webhooks) Deliveries(ctx context.Context, actor milepost.Actor, endpointID string, limit int) ([]*milepost.WebhookDelivery, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.WebhookDelivery, error) {
		e, err := scanEndpoint(tx.queryRow(ctx, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE id = ?", strings.TrimSpace(endpointID)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, milepost.Errorf(milepost.CodeNotFound, "", "No webhook endpoint %s.", endpointID)
		}
		if err != nil {
			return nil, err
		}
		if e.PartnerID != actor.PartnerID {
			return nil, milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "This webhook endpoint belongs to another partner.")
		}
		out := []*milepost.WebhookDelivery{}
		err = eachRow(tx.query(ctx, "SELECT "+deliveryCols+" FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
			e.ID, limit))(func(rows *sql.Rows) error {
			d, err := scanDelivery(rows)
			if err == nil {
				out = append(out, d)
			}
			return err
		})
		return out, err
	})
}

// LoadDelivery returns a delivery and its endpoint; see milepost.WebhookStore.
func (s *Webhooks) LoadDelivery(ctx context.Context, id string) (*milepost.WebhookDelivery, *milepost.WebhookEndpoint, error) {
	var ep *milepost.WebhookEndpoint
	d, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.WebhookDelivery, error) {
		d, err := scanDelivery(tx.queryRow(ctx, "SELECT "+deliveryCols+" FROM webhook_deliveries WHERE id = ?", id))
		if err != nil {
			return nil, err
		}
		ep, err = scanEndpoint(tx.queryRow(ctx, "SELECT "+endpointCols+" FROM webhook_endpoints WHERE id = ?", d.EndpointID))
		return d, err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, milepost.Errorf(milepost.CodeNotFound, "", "No delivery %s.", id)
	}
	return d, ep, err
}

// RecordAttempt records one delivery attempt; see milepost.WebhookStore.
func (s *Webhooks) RecordAttempt(ctx context.Context, id string, status int, errMsg string, delivered, final bool) error {
	if len(errMsg) > 1000 {
		errMsg = errMsg[:1000]
	}
	return s.db.update(ctx, func(tx *Tx) error {
		// The final record only closes the delivery: its last attempt was already recorded.
		state, deliveredAt, attempt := milepost.DeliveryPending, sql.NullInt64{}, 1
		switch {
		case delivered:
			state, deliveredAt = milepost.DeliveryDelivered, sql.NullInt64{Int64: tx.now.UnixMilli(), Valid: true}
		case final:
			state, attempt = milepost.DeliveryFailed, 0
		}
		if final {
			_, err := tx.exec(ctx, "UPDATE webhook_deliveries SET status = ?, last_error = ? WHERE id = ? AND status = ?", state, errMsg, id, milepost.DeliveryPending)
			return err
		}
		_, err := tx.exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = attempts + ?, last_status_code = ?, last_error = ?,
			last_attempt_at = ?, delivered_at = COALESCE(delivered_at, ?) WHERE id = ?`, state, attempt, status, errMsg, tx.now.UnixMilli(), deliveredAt, id)
		return err
	})
}
