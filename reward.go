package milepost

import (
	"context"
	"math"
	"regexp"
	"strings"
	"time"
)

// RewardStatus is where a reward is in its life.
type RewardStatus string

// Reward statuses. A check-in's reward mirrors it: Pending while the check-in is Pending or
// OnHold, Confirmed or Declined with it; a Confirmed reward becomes Claimed in a payout.
const (
	RewardPending   RewardStatus = "Pending"
	RewardConfirmed RewardStatus = "Confirmed"
	RewardDeclined  RewardStatus = "Declined"
	RewardClaimed   RewardStatus = "Claimed"
)

// RewardType says what a reward is for.
type RewardType string

// The documented reward types.
const (
	RewardMileage         RewardType = "MileageCheckIn"
	RewardCondition       RewardType = "ConditionCheckIn"
	RewardGaraging        RewardType = "GaragingCheckIn" // proof of address
	RewardLowMileageBonus RewardType = "LowMileageBonus"
	RewardCustom          RewardType = "Custom"
	RewardSurvey          RewardType = "SurveyCompleted"
)

// RewardTypeFor is the reward type of a check-in type.
func RewardTypeFor(t CheckinType) RewardType {
	switch t {
	case CheckinMileage:
		return RewardMileage
	case CheckinCondition:
		return RewardCondition
	}
	return RewardGaraging
}

// RewardStatusFor is the status a check-in's reward has while the check-in has status s.
func RewardStatusFor(s CheckinStatus) RewardStatus {
	switch s {
	case StatusConfirmed:
		return RewardConfirmed
	case StatusDeclined:
		return RewardDeclined
	}
	return RewardPending
}

// Reward is money a user earned: by a check-in, or granted by the partner.
type Reward struct {
	ID              string
	PartnerID       string
	UserID          string
	VehicleID       string
	CheckinID       string
	Type            RewardType
	Status          RewardStatus
	AmountCents     int64
	Description     string
	PayoutID        string
	ActionCode      string
	ClientReference string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Grant limits (dollars 1.00 to 100.00).
const (
	MinGrantCents = 100
	MaxGrantCents = 10_000
	// MinClaimCents is the least a claim may pay out ($1).
	MinClaimCents = 100
)

// Reward error reasons.
const (
	ReasonNoConfirmedRewards      = "ERROR_NO_CONFIRMED_REWARDS"
	ReasonMinimumThresholdNotMet  = "ERROR_MINIMUM_REWARD_THRESHOLD_NOT_MET"
	ReasonClaimingRewards         = "ERROR_CLAIMING_REWARDS"
	ReasonClientReferenceConflict = "ERROR_CLIENT_REFERENCE_CONFLICT"
)

// CentsFromDollars converts a dollar amount with at most two decimals to cents.
func CentsFromDollars(param string, d float64) (int64, error) {
	c := math.Round(d * 100)
	if math.IsNaN(d) || math.IsInf(d, 0) || math.Abs(d*100-c) > 1e-6 {
		return 0, Invalidf(param, "%s must be an amount in dollars with at most two decimals.", param)
	}
	return int64(c), nil
}

// Dollars converts cents to dollars for the API.
func Dollars(cents int64) float64 { return float64(cents) / 100 }

// GrantInput is a grant request.
type GrantInput struct {
	UserID          string
	AmountCents     int64
	ActionCode      string
	ClientReference string
}

var actionCodeShape = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,64}$`)

// Validate checks a grant: $1.00 to $100.00, an action code of up to 64 of [a-zA-Z0-9._-], a
// client reference of 1 to 128 characters.
func (g GrantInput) Validate() (GrantInput, error) {
	g.UserID, g.ClientReference = strings.TrimSpace(g.UserID), strings.TrimSpace(g.ClientReference)
	if g.UserID == "" {
		return g, Invalidf("userId", "userId is required.")
	}
	if g.AmountCents < MinGrantCents || g.AmountCents > MaxGrantCents {
		return g, Invalidf("amount", "amount must be between 1.00 and 100.00 dollars.")
	}
	if !actionCodeShape.MatchString(g.ActionCode) {
		return g, Invalidf("actionCode", "actionCode must be 1 to 64 characters of letters, digits, '.', '_' and '-'.")
	}
	if g.ClientReference == "" || len(g.ClientReference) > 128 {
		return g, Invalidf("clientReference", "clientReference is required (at most 128 characters): the idempotency key of the grant.")
	}
	return g, nil
}

// RewardService keeps rewards, the catalogue, claims and payouts. Actor checks as for users.
type RewardService interface {
	// Grant mints a Confirmed Custom reward, idempotently on the partner's clientReference: a
	// replay returns the same reward (replayed=true); the same reference with another user or
	// amount is CodeConflict.
	Grant(ctx context.Context, actor Actor, g GrantInput) (r *Reward, replayed bool, err error)
	// UserRewards lists a user's rewards (only Confirmed ones when confirmedOnly), newest first.
	UserRewards(ctx context.Context, actor Actor, userID string, confirmedOnly bool) ([]*Reward, error)
	// UserRewardsByPhone lists the rewards of the partner's user with that phone.
	UserRewardsByPhone(ctx context.Context, actor Actor, phone string) ([]*Reward, error)
	// Products returns the partner's claim catalogue.
	Products(ctx context.Context, actor Actor) ([]Product, error)
	// Claim pays out all Confirmed, unclaimed rewards of the user as one payout for product. At
	// most one claim per user runs at a time; a provider failure leaves the rewards Confirmed.
	Claim(ctx context.Context, actor Actor, userID, productID, language string) (*Payout, error)
	// UserPayouts lists a user's payouts, newest first.
	UserPayouts(ctx context.Context, actor Actor, userID string) ([]*Payout, error)
	// UserPayoutsByPhone lists the payouts of the partner's user with that phone.
	UserPayoutsByPhone(ctx context.Context, actor Actor, phone string) ([]*Payout, error)
}
