// Package payout holds the built-in payout provider: it records nothing outside Milepost and pays
// by giving the user a delivery page on this server that shows the product and amount (a
// stand-in for a gift-card or bank provider, which implements the same milepost.PayoutProvider).
package payout

import (
	"context"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// LinkSigner signs links to the delivery page (httpx.Signer).
type LinkSigner interface {
	Sign(path string, ttl time.Duration) string
}

// Builtin is the built-in provider. It is idempotent by construction: the reference and link of
// a payout are derived from its id.
type Builtin struct {
	// BaseURL is the server's public URL; the delivery page is BaseURL/payouts/{id}.
	BaseURL string
	Signer  LinkSigner
	// LinkTTL is how long delivery links stay valid (default 90 days).
	LinkTTL time.Duration
}

var _ milepost.PayoutProvider = (*Builtin)(nil)

// CreatePayout returns the payout's reference and its signed delivery link.
func (b *Builtin) CreatePayout(_ context.Context, req milepost.PayoutRequest) (milepost.PayoutResult, error) {
	ttl := b.LinkTTL
	if ttl <= 0 {
		ttl = 90 * 24 * time.Hour
	}
	path := "/payouts/" + req.PayoutID
	return milepost.PayoutResult{
		ReferenceID: "MP-" + strings.TrimPrefix(req.PayoutID, "PO_"),
		Link:        strings.TrimRight(b.BaseURL, "/") + path + "?" + b.Signer.Sign(path, ttl),
	}, nil
}
