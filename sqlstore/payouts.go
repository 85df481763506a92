package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

const payoutCols = "id, partner_id, user_id, product_id, language, amount_cents, status, reference_id, link, created_at, updated_at"

func scanPayout(row interface{ Scan(...any) error }) (*milepost.Payout, error) {
	var p milepost.Payout
	var created, updated int64
	if err := row.Scan(&p.ID, &p.PartnerID, &p.UserID, &p.ProductID, &p.Language, &p.AmountCents, &p.Status, &p.ReferenceID, &p.Link, &created, &updated); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = fromMS(created), fromMS(updated)
	return &p, nil
}

var languageShape = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z]{2,4})?$`)

// payoutProviderTimeout bounds one call to the provider within a claim request.
const payoutProviderTimeout = 30 * time.Second

// Claim pays out every Confirmed, unclaimed reward of the user; see milepost.RewardService.
//
// It runs in three steps so that no money is lost or doubled: (1) one transaction, holding the
// user's row lock (PostgreSQL) or the single writer (SQLite), records a pending payout, marks the
// rewards Claimed with its id and enqueues a reconciliation job; concurrent claims then find
// nothing left. (2) The provider is asked to pay (idempotent on the payout id). (3) A second
// transaction completes the payout, or fails it and puts the rewards back to Confirmed. If the
// process dies between (1) and (3), the reconciliation job finishes the payout later.
func (s *Rewards) Claim(ctx context.Context, actor milepost.Actor, userID, productID, language string) (*milepost.Payout, error) {
	language = strings.TrimSpace(language)
	if language == "" {
		language = "en"
	}
	if !languageShape.MatchString(language) {
		return nil, milepost.Invalidf("language", "language must be a language code such as en or es-US.")
	}
	if strings.TrimSpace(productID) == "" {
		return nil, milepost.Invalidf("product", "product is required: the id of a product from /api/rewards/products.")
	}
	var req milepost.PayoutRequest
	p, err := writeOne(ctx, s.db, func(tx *Tx) (*milepost.Payout, error) {
		if f := tx.d.forUpdate(); f != "" {
			if _, err := tx.exec(ctx, "SELECT id FROM users WHERE id = ?"+f, userID); err != nil {
				return nil, fmt.Errorf("lock user: %w", err)
			}
		}
		u, err := findUser(ctx, tx, actor, userID)
		if err != nil {
			return nil, err
		}
		c, err := findCampaign(ctx, tx, u.PartnerID)
		if err != nil {
			return nil, err
		}
		product, ok := c.Product(productID)
		if !ok {
			return nil, milepost.Invalidf("product", "product %q is not in the partner's catalogue (see /api/rewards/products).", productID)
		}
		rewards, err := userRewards(ctx, tx, u.ID, true)
		if err != nil {
			return nil, err
		}
		if len(rewards) == 0 {
			return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonNoConfirmedRewards, "The user has no confirmed, unclaimed rewards.")
		}
		var total int64
		ids := make([]any, 0, len(rewards)+2)
		for _, r := range rewards {
			total += r.AmountCents
			ids = append(ids, r.ID)
		}
		if total < milepost.MinClaimCents {
			return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonMinimumThresholdNotMet,
				"The unclaimed confirmed amount is $%d.%02d; it must be at least $1.00.", total/100, total%100)
		}
		p := &milepost.Payout{ID: "PO_" + strings.ToUpper(randomHex(10)), PartnerID: u.PartnerID, UserID: u.ID, ProductID: product.ID, Language: language,
			AmountCents: total, Status: milepost.PayoutPending, Rewards: rewards, CreatedAt: tx.now, UpdatedAt: tx.now}
		if _, err := tx.exec(ctx, "INSERT INTO payouts ("+payoutCols+") VALUES ("+placeholders(11)+")", p.ID, p.PartnerID, p.UserID, p.ProductID,
			p.Language, p.AmountCents, p.Status, "", "", p.CreatedAt.UnixMilli(), p.UpdatedAt.UnixMilli()); err != nil {
			return nil, fmt.Errorf("insert payout: %w", err)
		}
		res, err := tx.exec(ctx, "UPDATE rewards SET status = 'Claimed', payout_id = ?, updated_at = ? WHERE status = 'Confirmed' AND payout_id IS NULL AND id IN ("+
			placeholders(len(ids))+")", append([]any{p.ID, tx.now.UnixMilli()}, ids...)...)
		if err != nil {
			return nil, fmt.Errorf("claim rewards: %w", err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(ids)) {
			return nil, milepost.Errorf(milepost.CodeConflict, milepost.ReasonClaimingRewards, "The rewards changed during the claim; try again.")
		}
		for _, r := range rewards {
			r.Status, r.PayoutID = milepost.RewardClaimed, p.ID
		}
		if err := enqueueJob(ctx, tx, milepost.JobReconcilePayout, milepost.ReconcilePayoutPayload{PayoutID: p.ID}, tx.now.Add(2*time.Minute)); err != nil {
			return nil, err
		}
		req = milepost.PayoutRequest{PayoutID: p.ID, PartnerID: p.PartnerID, UserID: p.UserID, Product: product, AmountCents: total, Language: language}
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), payoutProviderTimeout)
	defer cancel()
	result, perr := s.provider.CreatePayout(pctx, req)
	if perr != nil {
		if err := s.failPayout(context.WithoutCancel(ctx), p.ID); err != nil {
			return nil, err
		}
		return nil, &providerError{err: perr}
	}
	if err := s.completePayout(context.WithoutCancel(ctx), p, result); err != nil {
		return nil, err
	}
	return p, nil
}

// providerError is a payout provider's failure: CodeUnavailable with the claim's error code, the
// cause kept for logs.
type providerError struct{ err error }

func (e *providerError) Error() string { return "payout provider: " + e.err.Error() }
func (e *providerError) Unwrap() []error {
	return []error{e.err, &milepost.Error{Code: milepost.CodeUnavailable, Reason: milepost.ReasonClaimingRewards,
		Message: "The payout provider could not pay out now; the rewards are still confirmed and can be claimed again."}}
}

// completePayout marks a pending payout completed with the provider's reference and emits
// payout.created.
func (s *Rewards) completePayout(ctx context.Context, p *milepost.Payout, r milepost.PayoutResult) error {
	return s.db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE payouts SET status = ?, reference_id = ?, link = ?, updated_at = ? WHERE id = ? AND status = ?",
			milepost.PayoutCompleted, r.ReferenceID, r.Link, tx.now.UnixMilli(), p.ID, milepost.PayoutPending)
		if err != nil {
			return fmt.Errorf("complete payout: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil // reconciled meanwhile
		}
		p.Status, p.ReferenceID, p.Link, p.UpdatedAt = milepost.PayoutCompleted, r.ReferenceID, r.Link, tx.now
		ids := make([]string, len(p.Rewards))
		for i, rw := range p.Rewards {
			ids[i] = rw.ID
		}
		return emitEvent(ctx, tx, p.PartnerID, milepost.EventPayoutCreated, map[string]any{"payoutId": p.ID, "userId": p.UserID,
			"amount": milepost.Dollars(p.AmountCents), "productId": p.ProductID, "rewardIds": ids, "paymentReferenceId": r.ReferenceID})
	})
}

// failPayout marks a pending payout failed and gives its rewards back (Confirmed, claimable).
func (s *Rewards) failPayout(ctx context.Context, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE payouts SET status = ?, updated_at = ? WHERE id = ? AND status = ?", milepost.PayoutFailed, tx.now.UnixMilli(), id, milepost.PayoutPending)
		if err != nil {
			return fmt.Errorf("fail payout: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		if _, err := tx.exec(ctx, "UPDATE rewards SET status = 'Confirmed', payout_id = NULL, updated_at = ? WHERE payout_id = ? AND status = 'Claimed'",
			tx.now.UnixMilli(), id); err != nil {
			return fmt.Errorf("release rewards: %w", err)
		}
		return nil
	})
}

// ReconcilePayout finishes a payout left pending by a claim that did not complete (the process
// died after recording it): the provider is asked again — it is idempotent — and the payout is
// completed, or failed with its rewards released. A payout that is no longer pending needs nothing.
func (s *Rewards) ReconcilePayout(ctx context.Context, id string) error {
	p, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.Payout, error) {
		p, err := scanPayout(tx.queryRow(ctx, "SELECT "+payoutCols+" FROM payouts WHERE id = ?", id))
		if err != nil {
			return nil, err
		}
		if p.Rewards, err = payoutRewards(ctx, tx, p.ID); err != nil {
			return nil, err
		}
		return p, nil
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil || p.Status != milepost.PayoutPending {
		return err
	}
	var product milepost.Product
	if err := s.db.view(ctx, func(tx *Tx) error {
		c, err := findCampaign(ctx, tx, p.PartnerID)
		if err != nil {
			return err
		}
		var ok bool
		if product, ok = c.Product(p.ProductID); !ok {
			product = milepost.Product{ID: p.ProductID, Name: p.ProductID}
		}
		return nil
	}); err != nil {
		return err
	}
	res, perr := s.provider.CreatePayout(ctx, milepost.PayoutRequest{PayoutID: p.ID, PartnerID: p.PartnerID, UserID: p.UserID, Product: product,
		AmountCents: p.AmountCents, Language: p.Language})
	if perr != nil {
		return s.failPayout(ctx, p.ID)
	}
	return s.completePayout(ctx, p, res)
}

func payoutRewards(ctx context.Context, tx *Tx, payoutID string) ([]*milepost.Reward, error) {
	var out []*milepost.Reward
	err := eachRow(tx.query(ctx, "SELECT "+rewardCols+" FROM rewards WHERE payout_id = ? ORDER BY created_at, id", payoutID))(func(rows *sql.Rows) error {
		r, err := scanReward(rows)
		if err == nil {
			out = append(out, r)
		}
		return err
	})
	return out, err
}

func userPayouts(ctx context.Context, tx *Tx, userID string) ([]*milepost.Payout, error) {
	var out []*milepost.Payout
	err := eachRow(tx.query(ctx, "SELECT "+payoutCols+" FROM payouts WHERE user_id = ? AND status = ? ORDER BY created_at DESC, id DESC",
		userID, milepost.PayoutCompleted))(func(rows *sql.Rows) error {
		p, err := scanPayout(rows)
		if err == nil {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list payouts: %w", err)
	}
	for _, p := range out {
		if p.Rewards, err = payoutRewards(ctx, tx, p.ID); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []*milepost.Payout{}
	}
	return out, nil
}

// UserPayouts lists a user's completed payouts; see milepost.RewardService.
func (s *Rewards) UserPayouts(ctx context.Context, actor milepost.Actor, userID string) ([]*milepost.Payout, error) {
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.Payout, error) {
		u, err := findUser(ctx, tx, actor, userID)
		if err != nil {
			return nil, err
		}
		return userPayouts(ctx, tx, u.ID)
	})
}

// UserPayoutsByPhone lists the payouts of the partner's user with that phone.
func (s *Rewards) UserPayoutsByPhone(ctx context.Context, actor milepost.Actor, phone string) ([]*milepost.Payout, error) {
	phone, err := milepost.NormalizePhone("phoneNumber", phone)
	if err != nil {
		return nil, err
	}
	return readOne(ctx, s.db, func(tx *Tx) ([]*milepost.Payout, error) {
		u, err := findUserByPhone(ctx, tx, actor, phone)
		if err != nil {
			return nil, err
		}
		return userPayouts(ctx, tx, u.ID)
	})
}

// FindPayout returns a payout with its rewards (for the delivery page, authorized by a signed
// link), or CodeNotFound.
func (s *Rewards) FindPayout(ctx context.Context, id string) (*milepost.Payout, error) {
	p, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.Payout, error) {
		p, err := scanPayout(tx.queryRow(ctx, "SELECT "+payoutCols+" FROM payouts WHERE id = ?", id))
		if err != nil {
			return nil, err
		}
		p.Rewards, err = payoutRewards(ctx, tx, p.ID)
		return p, err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "No payout %s.", id)
	}
	return p, err
}
