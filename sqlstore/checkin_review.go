package sqlstore

import (
	"context"
	"fmt"

	"github.com/milepost/milepost"
)

// ReviewQueue returns the partner's Pending and OnHold check-ins, oldest first; see
// milepost.ReviewService.
func (s *Checkins) ReviewQueue(ctx context.Context, actor milepost.Actor, f milepost.ReviewFilter) (*milepost.CheckinPage, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	var err error
	if f.PageRequest, err = f.PageRequest.Normalize(); err != nil {
		return nil, err
	}
	where := "c.partner_id = ? AND c.status IN ('Pending', 'OnHold')"
	args := []any{actor.PartnerID}
	if f.Type != "" {
		if !f.Type.Valid() {
			return nil, milepost.Invalidf("type", "type must be mileage, condition or proofOfAddress.")
		}
		where += " AND c.type = ?"
		args = append(args, string(f.Type))
	}
	if f.Status != "" {
		if f.Status != milepost.StatusPending && f.Status != milepost.StatusOnHold {
			return nil, milepost.Invalidf("status", "status must be Pending or OnHold.")
		}
		where += " AND c.status = ?"
		args = append(args, string(f.Status))
	}
	if f.Fraud != nil {
		where += " AND c.fraud = ?"
		args = append(args, *f.Fraud)
	}
	if f.Damage != nil {
		cond := "EXISTS (SELECT 1 FROM checkin_photos p WHERE p.checkin_id = c.id AND p.damage_detected)"
		if !*f.Damage {
			cond = "NOT " + cond
		}
		where += " AND " + cond
	}
	if f.From != nil {
		where += " AND c.created_at >= ?"
		args = append(args, f.From.UnixMilli())
	}
	if f.To != nil {
		where += " AND c.created_at <= ?"
		args = append(args, f.To.UnixMilli())
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.CheckinPage, error) {
		page := &milepost.CheckinPage{Page: f.PageRequest}
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM checkins c WHERE "+where, args...).Scan(&page.TotalItems); err != nil {
			return nil, fmt.Errorf("count review queue: %w", err)
		}
		cs, err := queryCheckins(ctx, tx, "SELECT "+checkinCols+" FROM checkins c WHERE "+where+" ORDER BY c.created_at ASC, c.id ASC LIMIT ? OFFSET ?",
			append(args, f.Size, f.Offset())...)
		if err != nil {
			return nil, err
		}
		page.Checkins = cs
		return page, withNextDates(ctx, tx, actor.PartnerID, cs...)
	})
}

// review loads everything a reviewer sees of a check-in.
func review(ctx context.Context, tx *Tx, actor milepost.Actor, id string) (*milepost.CheckinReview, error) {
	c, err := findCheckin(ctx, tx, actor, "", id, false)
	if err != nil {
		return nil, err
	}
	if err := withNextDates(ctx, tx, c.PartnerID, c); err != nil {
		return nil, err
	}
	r := &milepost.CheckinReview{Checkin: c}
	if c.VehicleID != "" {
		if r.Vehicle, err = findVehicle(ctx, tx, actor, c.VehicleID); err != nil {
			return nil, err
		}
	}
	if r.User, err = findUser(ctx, tx, actor, c.UserID); err != nil {
		return nil, err
	}
	if r.Signals, err = latestSignals(ctx, tx, c.ID); err != nil {
		return nil, err
	}
	if r.Transitions, err = transitionsOf(ctx, tx, c.ID); err != nil {
		return nil, err
	}
	return r, nil
}

// ReviewCheckin returns a check-in with its evidence, signals and history; see
// milepost.ReviewService.
func (s *Checkins) ReviewCheckin(ctx context.Context, actor milepost.Actor, id string) (*milepost.CheckinReview, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.CheckinReview, error) { return review(ctx, tx, actor, id) })
}

// DecideCheckin applies a reviewer's decision; see milepost.ReviewService.
func (s *Checkins) DecideCheckin(ctx context.Context, actor milepost.Actor, id string, d milepost.ReviewDecision) (*milepost.CheckinReview, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	d, err := d.Validate()
	if err != nil {
		return nil, err
	}
	return writeOne(ctx, s.db, func(tx *Tx) (*milepost.CheckinReview, error) {
		c, err := findCheckin(ctx, tx, actor, "", id, false)
		if err != nil {
			return nil, err
		}
		from := c.Status
		if from.Final() {
			return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinFinal, "This check-in is %s, which is final.", from)
		}
		sameHold := from == milepost.StatusOnHold && d.Status == milepost.StatusOnHold
		if !sameHold && !milepost.CanTransitionBy(from, d.Status, milepost.ByReviewer) {
			return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinFinal, "A reviewer cannot move a check-in from %s to %s.", from, d.Status)
		}
		// A reviewer who confirms has judged the check-in genuine: the engine's fraud suspicion
		// is cleared unless the reviewer says otherwise.
		fraud := c.Fraud && d.Status != milepost.StatusConfirmed
		if d.Fraud != nil {
			fraud = *d.Fraud
		}
		res, err := tx.exec(ctx, "UPDATE checkins SET status = ?, fraud = ?, admin_note = ?, updated_at = ? WHERE id = ? AND status = ?",
			string(d.Status), fraud, d.AdminNote, tx.now.UnixMilli(), c.ID, string(from))
		if err != nil {
			return nil, fmt.Errorf("decide check-in: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinFinal, "The check-in changed meanwhile; reload it.")
		}
		for i, p := range d.Photos {
			if err := markPhoto(ctx, tx, c, p); err != nil {
				return nil, milepost.Invalidf("photos", "photos[%d]: %s", i, milepost.ErrorMessage(err))
			}
		}
		who := d.Reviewer
		if who == "" {
			who = actorName(actor)
		}
		if err := insertAudit(ctx, tx, c, from, d, who, fraud); err != nil {
			return nil, err
		}
		if !sameHold {
			reason := d.AdminNote
			if reason == "" {
				reason = "reviewer decision"
			}
			if err := afterTransition(ctx, tx, c, milepost.Transition{From: from, To: d.Status, By: milepost.ByReviewer, ActorID: who, Reason: reason}, d.AdminNote, fraud); err != nil {
				return nil, err
			}
		}
		return review(ctx, tx, actor, c.ID)
	})
}

// markPhoto applies a reviewer's marks to one photo of the check-in.
func markPhoto(ctx context.Context, tx *Tx, c *milepost.Checkin, p milepost.PhotoReview) error {
	for _, have := range c.Photos {
		if have.UploadID != p.UploadID {
			continue
		}
		invalid, damage := have.MarkedInvalidByReview, have.DamageDetected
		if p.MarkedInvalidByReview != nil {
			invalid = *p.MarkedInvalidByReview
		}
		if p.DamageDetected != nil {
			damage = *p.DamageDetected
		}
		_, err := tx.exec(ctx, "UPDATE checkin_photos SET marked_invalid = ?, damage_detected = ? WHERE checkin_id = ? AND upload_id = ?",
			invalid, damage, c.ID, p.UploadID)
		if err != nil {
			return fmt.Errorf("mark photo: %w", err)
		}
		return nil
	}
	return milepost.Invalidf("photos", "the photo is not part of this check-in.")
}
