package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/milepost/milepost"
)

const rewardCols = `id, partner_id, user_id, vehicle_id, checkin_id, type, status, amount_cents, description, payout_id, action_code,
	client_reference, created_at, updated_at`

func scanReward(row interface{ Scan(...any) error }) (*milepost.Reward, error) {
	var r milepost.Reward
	var checkin, payout, ref sql.NullString
	var typ, status string
	var created, updated int64
	err := row.Scan(&r.ID, &r.PartnerID, &r.UserID, &r.VehicleID, &checkin, &typ, &status, &r.AmountCents, &r.Description, &payout,
		&r.ActionCode, &ref, &created, &updated)
	if err != nil {
		return nil, err
	}
	r.CheckinID, r.PayoutID, r.ClientReference = checkin.String, payout.String, ref.String
	r.Type, r.Status = milepost.RewardType(typ), milepost.RewardStatus(status)
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	return &r, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func insertReward(ctx context.Context, tx *Tx, r *milepost.Reward) error {
	_, err := tx.exec(ctx, "INSERT INTO rewards ("+rewardCols+") VALUES ("+placeholders(14)+")",
		r.ID, r.PartnerID, r.UserID, r.VehicleID, nullString(r.CheckinID), string(r.Type), string(r.Status), r.AmountCents, r.Description,
		nullString(r.PayoutID), r.ActionCode, nullString(r.ClientReference), r.CreatedAt.UnixMilli(), r.UpdatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("insert reward: %w", err)
	}
	return nil
}

func newRewardID() string { return "XT_" + strings.ToUpper(randomHex(10)) }

// createCheckinReward gives a new check-in its reward when the campaign rewards its type and the
// type's cadence had unlocked (counted from the previous check-in of the vehicle, or of the user
// for proof of address, that was not Declined).
func createCheckinReward(ctx context.Context, tx *Tx, c *milepost.Checkin, tm terms) error {
	r, ok := tm.campaign.Reward(c.Type)
	if !ok {
		return nil
	}
	col, owner := "vehicle_id", c.VehicleID
	if c.Type == milepost.CheckinProofOfAddress {
		col, owner = "user_id", c.UserID
	}
	var last sql.NullInt64
	if err := tx.queryRow(ctx, "SELECT MAX(created_at) FROM checkins WHERE "+col+" = ? AND type = ? AND status <> 'Declined' AND id <> ?",
		owner, string(c.Type), c.ID).Scan(&last); err != nil {
		return fmt.Errorf("previous check-in: %w", err)
	}
	if unlocked, _, _ := milepost.NextCheckin(timePtr(last), r.CadenceDays, c.CreatedAt); !unlocked {
		return nil
	}
	amount := r.AmountCents
	if c.Type == milepost.CheckinProofOfAddress {
		for _, p := range c.Photos {
			if p.Role == milepost.RoleHome {
				amount += r.PhotoBonusCents
				break
			}
		}
	}
	if amount <= 0 {
		return nil
	}
	return insertReward(ctx, tx, &milepost.Reward{ID: newRewardID(), PartnerID: c.PartnerID, UserID: c.UserID, VehicleID: c.VehicleID,
		CheckinID: c.ID, Type: milepost.RewardTypeFor(c.Type), Status: milepost.RewardPending, AmountCents: amount,
		Description: c.Type.Label() + " reward (" + tm.campaign.Name + ")", CreatedAt: tx.now, UpdatedAt: tx.now})
}

// syncCheckinReward moves a check-in's reward to status (never a Claimed one) and emits
// reward.confirmed when it becomes Confirmed.
func syncCheckinReward(ctx context.Context, tx *Tx, c *milepost.Checkin, status milepost.RewardStatus) error {
	r, err := scanReward(tx.queryRow(ctx, "SELECT "+rewardCols+" FROM rewards WHERE checkin_id = ?", c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find check-in reward: %w", err)
	}
	if r.Status == status || r.Status == milepost.RewardClaimed {
		return nil
	}
	if _, err := tx.exec(ctx, "UPDATE rewards SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
		string(status), tx.now.UnixMilli(), r.ID, string(r.Status)); err != nil {
		return fmt.Errorf("update reward: %w", err)
	}
	if status == milepost.RewardConfirmed {
		return emitRewardConfirmed(ctx, tx, r)
	}
	return nil
}

func emitRewardConfirmed(ctx context.Context, tx *Tx, r *milepost.Reward) error {
	return emitEvent(ctx, tx, r.PartnerID, milepost.EventRewardConfirmed, map[string]any{
		"rewardId": r.ID, "userId": r.UserID, "type": string(r.Type), "amount": milepost.Dollars(r.AmountCents), "checkinId": r.CheckinID,
	})
}

// Rewards implements milepost.RewardService.
type Rewards struct {
	db       *DB
	provider milepost.PayoutProvider
}

// Rewards returns the reward service of this store, paying out through provider.
func (db *DB) Rewards(provider milepost.PayoutProvider) *Rewards {
	return &Rewards{db: db, provider: provider}
}

var _ milepost.RewardService = (*Rewards)(nil)

// Grant mints a Confirmed Custom reward, idempotent on the partner's client reference.
func (s *Rewards) Grant(ctx context.Context, actor milepost.Actor, g milepost.GrantInput) (*milepost.Reward, bool, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, false, err
	}
	g, err := g.Validate()
	if err != nil {
		return nil, false, err
	}
	replayed := false
	r, err := writeOne(ctx, s.db, func(tx *Tx) (*milepost.Reward, error) {
		u, err := findUser(ctx, tx, actor, g.UserID)
		if err != nil {
			return nil, err
		}
		prev, err := scanReward(tx.queryRow(ctx, "SELECT "+rewardCols+" FROM rewards WHERE partner_id = ? AND client_reference = ?", actor.PartnerID, g.ClientReference))
		switch {
		case err == nil:
			if prev.UserID != u.ID || prev.AmountCents != g.AmountCents {
				return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonClientReferenceConflict,
					"clientReference %s was already used for another user or amount.", g.ClientReference)
			}
			replayed = true
			return prev, nil
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("find grant: %w", err)
		}
		r := &milepost.Reward{ID: newRewardID(), PartnerID: u.PartnerID, UserID: u.ID, Type: milepost.RewardCustom, Status: milepost.RewardConfirmed,
			AmountCents: g.AmountCents, Description: "Granted: " + g.ActionCode, ActionCode: g.ActionCode, ClientReference: g.ClientReference,
			CreatedAt: tx.now, UpdatedAt: tx.now}
		if err := insertReward(ctx, tx, r); err != nil {
			if tx.d.isUniqueViolation(err) {
				return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonClientReferenceConflict, "clientReference %s is being used by a concurrent grant; retry.", g.ClientReference)
			}
			return nil, err
		}
		return r, emitRewardConfirmed(ctx, tx, r)
	})
	if err != nil {
		return nil, false, err
	}
	return r, replayed, nil
}

func userRewards(ctx context.Context, tx *Tx, userID string, confirmedOnly bool) ([]*milepost.Reward, error) {
	q := "SELECT " + rewardCols + " FROM rewards WHERE user_id = ?"
	if confirmedOnly {
		q += " AND status = 'Confirmed'"
	}
	var out []*milepost.Reward
	err := eachRow(tx.query(ctx, q+" ORDER BY created_at DESC, id DESC", userID))(func(rows *sql.Rows) error {
		r, err := scanReward(rows)
		if err == nil {
			out = append(out, r)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list rewards: %w", err)
	}
	if out == nil {
		out = []*milepost.Reward{}
	}
	return out, nil
}

// UserRewards lists a user's rewards; see milepost.RewardService.
func (s *Rewards) UserRewards(ctx context.Context, actor milepost.Actor, userID string, confirmedOnly bool) ([]*milepost.Reward, error) {
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.Reward, error) {
		u, err := findUser(ctx, tx, actor, userID)
		if err != nil {
			return nil, err
		}
		return userRewards(ctx, tx, u.ID, confirmedOnly)
	})
}

// UserRewardsByPhone lists the rewards of the partner's user with that phone.
func (s *Rewards) UserRewardsByPhone(ctx context.Context, actor milepost.Actor, phone string) ([]*milepost.Reward, error) {
	phone, err := milepost.NormalizePhone("phoneNumber", phone)
	if err != nil {
		return nil, err
	}
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.Reward, error) {
		u, err := findUserByPhone(ctx, tx, actor, phone)
		if err != nil {
			return nil, err
		}
		return userRewards(ctx, tx, u.ID, false)
	})
}

// Products returns the partner's claim catalogue (empty without a campaign).
func (s *Rewards) Products(ctx context.Context, actor milepost.Actor) ([]milepost.Product, error) {
	return readOne(ctx, s.db, func(tx *Tx) ([]milepost.Product, error) {
		c, err := findCampaign(ctx, tx, actor.PartnerID)
		if err != nil || c == nil {
			return []milepost.Product{}, err
		}
		return c.Products, nil
	})
}
