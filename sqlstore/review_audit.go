package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/milepost/milepost"
)

var _ milepost.ReviewLog = (*Checkins)(nil)

// auditPhoto is a photo mark as kept in the audit row.
type auditPhoto struct {
	UploadID              string `json:"uploadId"`
	MarkedInvalidByReview *bool  `json:"markedInvalidByReview,omitempty"`
	DamageDetected        *bool  `json:"damageDetected,omitempty"`
}

// insertAudit records a reviewer decision in the transaction that applies it.
func insertAudit(ctx context.Context, tx *Tx, c *milepost.Checkin, from milepost.CheckinStatus, d milepost.ReviewDecision, who string, fraud bool) error {
	photos := ""
	if len(d.Photos) > 0 {
		ps := make([]auditPhoto, len(d.Photos))
		for i, p := range d.Photos {
			ps[i] = auditPhoto{UploadID: p.UploadID, MarkedInvalidByReview: p.MarkedInvalidByReview, DamageDetected: p.DamageDetected}
		}
		b, err := json.Marshal(ps)
		if err != nil {
			return fmt.Errorf("encode audit photos: %w", err)
		}
		photos = string(b)
	}
	_, err := tx.exec(ctx, `INSERT INTO review_audit (id, partner_id, checkin_id, checkin_type, reviewer, from_status, to_status,
		fraud_before, fraud_after, note_before, note_after, photos, created_at) VALUES (`+placeholders(13)+`)`,
		newID(), c.PartnerID, c.ID, string(c.Type), who, string(from), string(d.Status), c.Fraud, fraud, c.AdminNote, d.AdminNote, photos, tx.now.UnixMilli())
	if err != nil {
		return fmt.Errorf("record audit: %w", err)
	}
	return nil
}

const auditCols = "id, partner_id, checkin_id, checkin_type, reviewer, from_status, to_status, fraud_before, fraud_after, note_before, note_after, photos, created_at"

func scanAudit(row interface{ Scan(...any) error }) (*milepost.AuditEntry, error) {
	var e milepost.AuditEntry
	var typ, from, to, photos string
	var at int64
	if err := row.Scan(&e.ID, &e.PartnerID, &e.CheckinID, &typ, &e.Reviewer, &from, &to, &e.FraudBefore, &e.FraudAfter,
		&e.NoteBefore, &e.NoteAfter, &photos, &at); err != nil {
		return nil, err
	}
	e.CheckinType, e.From, e.To, e.At = milepost.CheckinType(typ), milepost.CheckinStatus(from), milepost.CheckinStatus(to), fromMS(at)
	if photos != "" {
		var ps []auditPhoto
		if err := json.Unmarshal([]byte(photos), &ps); err != nil {
			return nil, fmt.Errorf("audit %s photos: %w", e.ID, err)
		}
		for _, p := range ps {
			e.Photos = append(e.Photos, milepost.PhotoReview{UploadID: p.UploadID, MarkedInvalidByReview: p.MarkedInvalidByReview, DamageDetected: p.DamageDetected})
		}
	}
	return &e, nil
}

// ReviewAudit returns a page of the partner's audit log, newest first; see milepost.ReviewLog.
func (s *Checkins) ReviewAudit(ctx context.Context, actor milepost.Actor, f milepost.AuditFilter) (*milepost.AuditPage, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	var err error
	if f.PageRequest, err = f.PageRequest.Normalize(); err != nil {
		return nil, err
	}
	where, args := "partner_id = ?", []any{actor.PartnerID}
	if f.CheckinID != "" {
		where += " AND checkin_id = ?"
		args = append(args, f.CheckinID)
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.AuditPage, error) {
		page := &milepost.AuditPage{Page: f.PageRequest, Entries: []*milepost.AuditEntry{}}
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM review_audit WHERE "+where, args...).Scan(&page.TotalItems); err != nil {
			return nil, fmt.Errorf("count audit: %w", err)
		}
		err := eachRow(tx.query(ctx, "SELECT "+auditCols+" FROM review_audit WHERE "+where+" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
			append(args, f.Size, f.Offset())...))(func(rows *sql.Rows) error {
			e, err := scanAudit(rows)
			if err == nil {
				page.Entries = append(page.Entries, e)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		return page, nil
	})
}

// ReviewCounts counts the partner's Pending and OnHold check-ins; see milepost.ReviewLog.
func (s *Checkins) ReviewCounts(ctx context.Context, actor milepost.Actor) (*milepost.ReviewCounts, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.ReviewCounts, error) {
		var out milepost.ReviewCounts
		err := eachRow(tx.query(ctx, "SELECT status, COUNT(*) FROM checkins WHERE partner_id = ? AND status IN ('Pending', 'OnHold') GROUP BY status",
			actor.PartnerID))(func(rows *sql.Rows) error {
			var st string
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return err
			}
			if milepost.CheckinStatus(st) == milepost.StatusPending {
				out.Pending = n
			} else {
				out.OnHold = n
			}
			return nil
		})
		return &out, err
	})
}

// PreviousConfirmed returns the latest Confirmed check-in of the same type and vehicle (or
// user, for proof of address) made before this one; see milepost.ReviewLog.
func (s *Checkins) PreviousConfirmed(ctx context.Context, actor milepost.Actor, checkinID string) (*milepost.Checkin, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.Checkin, error) {
		c, err := findCheckin(ctx, tx, actor, "", checkinID, false)
		if err != nil {
			return nil, err
		}
		col, owner := "c.vehicle_id", c.VehicleID
		if c.Type == milepost.CheckinProofOfAddress {
			col, owner = "c.user_id", c.UserID
		}
		prev, err := scanCheckin(tx.queryRow(ctx, "SELECT "+checkinCols+" FROM checkins c WHERE "+col+` = ? AND c.type = ?
			AND c.status = 'Confirmed' AND c.created_at < ? AND c.id <> ? ORDER BY c.created_at DESC, c.id DESC LIMIT 1`,
			owner, string(c.Type), c.CreatedAt.UnixMilli(), c.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("previous confirmed check-in: %w", err)
		}
		return prev, loadPhotos(ctx, tx, []*milepost.Checkin{prev})
	})
}
