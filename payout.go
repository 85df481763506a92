package milepost

import (
	"context"
	"time"
)

// Payout states.
const (
	PayoutPending   = "pending"   // recorded; the provider has not confirmed it yet
	PayoutCompleted = "completed" // the provider made it; its rewards are Claimed
	PayoutFailed    = "failed"    // the provider failed; its rewards went back to Confirmed
)

// Payout is a claim of rewards for a product.
type Payout struct {
	ID          string
	PartnerID   string
	UserID      string
	ProductID   string
	Language    string
	AmountCents int64
	Status      string
	ReferenceID string
	Link        string
	Rewards     []*Reward
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PayoutRequest is what a payout provider is asked to pay.
type PayoutRequest struct {
	PayoutID    string
	PartnerID   string
	UserID      string
	Product     Product
	AmountCents int64
	Language    string
}

// PayoutResult is what the provider answers: a reference to show the user and the link where
// the user receives the reward.
type PayoutResult struct {
	ReferenceID string
	Link        string
}

// PayoutProvider pays rewards out (a gift-card service, a bank). CreatePayout must be idempotent
// on PayoutID: asked again for the same payout, it returns the same result without paying twice.
type PayoutProvider interface {
	CreatePayout(ctx context.Context, req PayoutRequest) (PayoutResult, error)
}

// LedgerProblem is one inconsistency found by the ledger check.
type LedgerProblem struct {
	UserID  string
	Subject string // a reward or payout id
	Message string
}
