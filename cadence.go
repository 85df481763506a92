package milepost

import (
	"math"
	"time"
)

// Cadence is how many days must pass between two check-ins of a type before the next one is
// unlocked. It is set per partner until campaigns take it over.
type Cadence struct {
	MileageDays        int
	ConditionDays      int
	ProofOfAddressDays int
}

// DefaultCadence is the cadence of a new partner: 30 days for mileage, 90 for condition, 365 for
// proof of address.
var DefaultCadence = Cadence{MileageDays: 30, ConditionDays: 90, ProofOfAddressDays: 365}

// Days returns the cadence of type t in days.
func (c Cadence) Days(t CheckinType) int {
	switch t {
	case CheckinMileage:
		return c.MileageDays
	case CheckinCondition:
		return c.ConditionDays
	}
	return c.ProofOfAddressDays
}

// Validate checks that every cadence is between 0 (no wait) and 3650 days.
func (c Cadence) Validate() error {
	for _, d := range []int{c.MileageDays, c.ConditionDays, c.ProofOfAddressDays} {
		if d < 0 || d > 3650 {
			return Invalidf("cadence", "a cadence must be between 0 and 3650 days.")
		}
	}
	return nil
}

// NextCheckin says when the check-in after one made at last (nil: none yet) unlocks, given
// a cadence of days: whether it is unlocked at now, the unlock time (nil when there was no
// check-in) and the whole days left until then (0 when unlocked).
func NextCheckin(last *time.Time, days int, now time.Time) (unlocked bool, unlockAt *time.Time, daysLeft int64) {
	if last == nil {
		return true, nil, 0
	}
	at := last.AddDate(0, 0, days)
	if !now.Before(at) {
		return true, &at, 0
	}
	return false, &at, int64(math.Ceil(at.Sub(now).Hours() / 24))
}

// SummaryItem is one check-in in a summary.
type SummaryItem struct {
	ID        string
	Type      CheckinType
	Status    CheckinStatus
	Date      time.Time
	AdminNote string
	Address   *CheckinAddress // proof of address only
	Reward    *Reward         // nil when the check-in earned none
}

// CheckinSummary summarizes one type of check-in for a vehicle or a user.
type CheckinSummary struct {
	Type       CheckinType
	Checkins   []SummaryItem // newest first
	Unlocked   bool
	UnlockDate *time.Time
	DaysToNext int64
	// RewardForNextCents and PhotoBonusForNextCents come from the campaign (0 without one).
	RewardForNextCents     int64
	PhotoBonusForNextCents int64
	// LastConfirmedOrdinal is the ordinal of the last confirmed check-in (0: none confirmed).
	LastConfirmedOrdinal int
	// LastConfirmedMileage is the mileage of the last confirmed mileage check-in.
	LastConfirmedMileage int64
}

// VehicleCheckinSummary is the summary of a vehicle's check-ins.
type VehicleCheckinSummary struct {
	Vehicle   *Vehicle
	Mileage   CheckinSummary
	Condition CheckinSummary
}
