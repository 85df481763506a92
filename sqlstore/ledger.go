package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/milepost/milepost"
)

// LedgerCheck verifies the reward ledger of every user and returns what is inconsistent (none:
// nothing): every Claimed reward belongs to a pending or completed payout of the same user; no
// other reward is in a payout; every payout equals the sum of its rewards and a failed one has
// none; and per user, what was earned (Confirmed + Claimed) equals what was claimed (the payouts)
// plus what is unclaimed (Confirmed).
func (db *DB) LedgerCheck(ctx context.Context) ([]milepost.LedgerProblem, error) {
	return readOne(ctx, db, func(tx *Tx) ([]milepost.LedgerProblem, error) {
		var out []milepost.LedgerProblem
		check := func(q, msg string) error {
			return eachRow(tx.query(ctx, q))(func(rows *sql.Rows) error {
				var p milepost.LedgerProblem
				if err := rows.Scan(&p.UserID, &p.Subject); err != nil {
					return err
				}
				p.Message = msg
				out = append(out, p)
				return nil
			})
		}
		checks := []struct{ q, msg string }{
			{`SELECT r.user_id, r.id FROM rewards r LEFT JOIN payouts p ON p.id = r.payout_id
				WHERE r.status = 'Claimed' AND (p.id IS NULL OR p.status = 'failed' OR p.user_id <> r.user_id)`,
				"a Claimed reward without a pending or completed payout of its user"},
			{`SELECT user_id, id FROM rewards WHERE status <> 'Claimed' AND payout_id IS NOT NULL`, "a reward that is not Claimed is in a payout"},
			{`SELECT p.user_id, p.id FROM payouts p WHERE p.status <> 'failed' AND p.amount_cents <>
				(SELECT COALESCE(SUM(r.amount_cents), 0) FROM rewards r WHERE r.payout_id = p.id)`, "a payout that does not equal the sum of its rewards"},
			{`SELECT p.user_id, p.id FROM payouts p WHERE p.status = 'failed' AND EXISTS (SELECT 1 FROM rewards r WHERE r.payout_id = p.id)`,
				"a failed payout still holds rewards"},
			{`SELECT u.id, u.id FROM users u WHERE
				(SELECT COALESCE(SUM(amount_cents), 0) FROM rewards WHERE user_id = u.id AND status IN ('Confirmed', 'Claimed')) <>
				(SELECT COALESCE(SUM(amount_cents), 0) FROM payouts WHERE user_id = u.id AND status <> 'failed') +
				(SELECT COALESCE(SUM(amount_cents), 0) FROM rewards WHERE user_id = u.id AND status = 'Confirmed')`,
				"earned (Confirmed + Claimed) is not claimed (payouts) + unclaimed (Confirmed)"},
		}
		for _, c := range checks {
			if err := check(c.q, c.msg); err != nil {
				return nil, fmt.Errorf("ledger check: %w", err)
			}
		}
		return out, nil
	})
}
