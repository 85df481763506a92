package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

type okProvider struct{}

func (okProvider) CreatePayout(_ context.Context, r milepost.PayoutRequest) (milepost.PayoutResult, error) {
	return milepost.PayoutResult{ReferenceID: "R-" + r.PayoutID, Link: "https://pay.example.com/" + r.PayoutID}, nil
}

// TestLedgerCheckFindsProblems damages a consistent ledger in each way the check knows and
// expects it to say so.
func TestLedgerCheckFindsProblems(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		ctx := context.Background()
		db := openDB(t, s)
		creds, admin := newPartner(t, db)
		if err := db.Campaigns().ApplyCampaign(ctx, &milepost.Campaign{PartnerID: creds.Partner.ID, Name: "c",
			Products: []milepost.Product{{ID: "card", Name: "Card", Category: "visa"}}}); err != nil {
			t.Fatal(err)
		}
		u := newUser(t, db, admin, "+15557000001")
		rw := db.Rewards(okProvider{})
		grant := func(ref string, cents int64) *milepost.Reward {
			r, _, err := rw.Grant(ctx, admin, milepost.GrantInput{UserID: u.ID, AmountCents: cents, ActionCode: "a", ClientReference: ref})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		grant("a", 300)
		grant("b", 200)
		p, err := rw.Claim(ctx, admin, u.ID, "card", "")
		if err != nil || p.AmountCents != 500 || p.Status != milepost.PayoutCompleted {
			t.Fatalf("claim %+v %v", p, err)
		}
		loose := grant("c", 150)
		check := func(t *testing.T, want ...string) {
			t.Helper()
			problems, err := db.LedgerCheck(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, pr := range problems {
				got = append(got, pr.Message)
			}
			if len(got) != len(want) {
				t.Fatalf("problems %q, want %d matching %q", got, len(want), want)
			}
			for i, w := range want {
				if !strings.Contains(got[i], w) {
					t.Fatalf("problem %d is %q, want %q", i, got[i], w)
				}
			}
		}
		check(t)

		damage := []struct {
			name, do, undo string
			args           []any
			want           []string
		}{
			{"payout amount", "UPDATE payouts SET amount_cents = amount_cents + 1 WHERE id = ?", "UPDATE payouts SET amount_cents = amount_cents - 1 WHERE id = ?",
				[]any{p.ID}, []string{"does not equal the sum", "earned"}},
			{"claimed without payout", "UPDATE rewards SET status = 'Claimed' WHERE id = ?", "UPDATE rewards SET status = 'Confirmed' WHERE id = ?",
				[]any{loose.ID}, []string{"without a pending or completed payout", "earned"}},
			{"confirmed inside a payout", "UPDATE rewards SET payout_id = '" + p.ID + "' WHERE id = ?", "UPDATE rewards SET payout_id = NULL WHERE id = ?",
				[]any{loose.ID}, []string{"is not Claimed is in a payout", "does not equal the sum"}},
			{"failed payout keeps rewards", "UPDATE payouts SET status = 'failed' WHERE id = ?", "UPDATE payouts SET status = 'completed' WHERE id = ?",
				[]any{p.ID}, []string{"without a pending or completed payout", "without a pending or completed payout", "failed payout still holds", "earned"}},
		}
		for _, d := range damage {
			t.Run(d.name, func(t *testing.T) {
				if err := db.ExecForTest(ctx, d.do, d.args...); err != nil {
					t.Fatal(err)
				}
				check(t, d.want...)
				if err := db.ExecForTest(ctx, d.undo, d.args...); err != nil {
					t.Fatal(err)
				}
				check(t)
			})
		}
	})
}
