package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/milepost/milepost"
)

// summarize builds the summary of one type of check-in from its rows (newest first) and the
// partner's terms. The next check-in unlocks a cadence after the latest check-in that was not
// Declined (a declined attempt does not hold the user back); the reward for it is the campaign's.
func summarize(t milepost.CheckinType, cs []*milepost.Checkin, rewards map[string]*milepost.Reward, tm terms, tx *Tx) milepost.CheckinSummary {
	sum := milepost.CheckinSummary{Type: t, Checkins: make([]milepost.SummaryItem, 0, len(cs))}
	var last *milepost.Checkin
	for _, c := range cs {
		sum.Checkins = append(sum.Checkins, milepost.SummaryItem{ID: c.ID, Type: c.Type, Status: c.Status, Date: c.CreatedAt, AdminNote: c.AdminNote,
			Address: c.Address, Reward: rewards[c.ID]})
		if c.Status != milepost.StatusDeclined && last == nil {
			last = c
		}
		if c.Status == milepost.StatusConfirmed {
			if sum.LastConfirmedOrdinal == 0 {
				sum.LastConfirmedMileage = c.Mileage
			}
			sum.LastConfirmedOrdinal++
		}
	}
	var lastAt *time.Time
	if last != nil {
		lastAt = &last.CreatedAt
	}
	sum.Unlocked, sum.UnlockDate, sum.DaysToNext = milepost.NextCheckin(lastAt, tm.cadence.Days(t), tx.now)
	if r, ok := tm.campaign.Reward(t); ok {
		sum.RewardForNextCents, sum.PhotoBonusForNextCents = r.AmountCents, r.PhotoBonusCents
	}
	return sum
}

// summaryRows reads the check-ins a summary needs (no photos).
func summaryRows(ctx context.Context, tx *Tx, where string, args ...any) ([]*milepost.Checkin, error) {
	rows, err := tx.query(ctx, "SELECT "+checkinCols+" FROM checkins c WHERE "+where+" ORDER BY c.created_at DESC, c.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	defer rows.Close()
	var out []*milepost.Checkin
	for rows.Next() {
		c, err := scanCheckin(rows)
		if err != nil {
			return nil, fmt.Errorf("scan summary row: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// summaryRewards reads the rewards of check-ins of one owner (a vehicle, or a user for proof of
// address), by check-in id.
func summaryRewards(ctx context.Context, tx *Tx, where string, args ...any) (map[string]*milepost.Reward, error) {
	out := map[string]*milepost.Reward{}
	err := eachRow(tx.query(ctx, "SELECT "+rewardCols+" FROM rewards WHERE checkin_id IS NOT NULL AND "+where, args...))(func(rows *sql.Rows) error {
		r, err := scanReward(rows)
		if err == nil {
			out[r.CheckinID] = r
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("summary rewards: %w", err)
	}
	return out, nil
}

// VehicleSummary summarizes a vehicle's mileage and condition check-ins; see milepost.CheckinService.
func (s *Checkins) VehicleSummary(ctx context.Context, actor milepost.Actor, vehicleID string) (*milepost.VehicleCheckinSummary, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.VehicleCheckinSummary, error) {
		v, err := findVehicle(ctx, tx, actor, vehicleID)
		if err != nil {
			return nil, err
		}
		tm, err := partnerTerms(ctx, tx, v.PartnerID)
		if err != nil {
			return nil, err
		}
		rewards, err := summaryRewards(ctx, tx, "vehicle_id = ?", v.ID)
		if err != nil {
			return nil, err
		}
		out := &milepost.VehicleCheckinSummary{Vehicle: v}
		for _, t := range []milepost.CheckinType{milepost.CheckinMileage, milepost.CheckinCondition} {
			cs, err := summaryRows(ctx, tx, "c.vehicle_id = ? AND c.type = ?", v.ID, string(t))
			if err != nil {
				return nil, err
			}
			sum := summarize(t, cs, rewards, tm, tx)
			if t == milepost.CheckinMileage {
				out.Mileage = sum
			} else {
				out.Condition = sum
			}
		}
		return out, nil
	})
}

// AddressSummary summarizes a user's proof-of-address check-ins; see milepost.CheckinService.
func (s *Checkins) AddressSummary(ctx context.Context, actor milepost.Actor, userID string) (*milepost.CheckinSummary, error) {
	return readOne(ctx, s.db, func(tx *Tx) (*milepost.CheckinSummary, error) {
		u, err := findUser(ctx, tx, actor, userID)
		if err != nil {
			return nil, err
		}
		tm, err := partnerTerms(ctx, tx, u.PartnerID)
		if err != nil {
			return nil, err
		}
		cs, err := summaryRows(ctx, tx, "c.user_id = ? AND c.type = ?", u.ID, string(milepost.CheckinProofOfAddress))
		if err != nil {
			return nil, err
		}
		rewards, err := summaryRewards(ctx, tx, "user_id = ? AND type = ?", u.ID, string(milepost.RewardGaraging))
		if err != nil {
			return nil, err
		}
		sum := summarize(milepost.CheckinProofOfAddress, cs, rewards, tm, tx)
		return &sum, nil
	})
}
