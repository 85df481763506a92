package milepost_test

import (
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

func TestCentsFromDollars(t *testing.T) {
	tests := []struct {
		in   float64
		want int64
		ok   bool
	}{
		{1, 100, true}, {12.5, 1250, true}, {0.01, 1, true}, {100, 10000, true}, {19.99, 1999, true},
		{0.1 + 0.2, 30, true}, // float noise below a thousandth of a cent is not a third decimal
		{1.005, 0, false}, {0.001, 0, false}, {-2.5, -250, true},
	}
	for _, tt := range tests {
		got, err := milepost.CentsFromDollars("amount", tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("CentsFromDollars(%v) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && milepost.ErrorCode(err) != milepost.CodeInvalid {
			t.Errorf("CentsFromDollars(%v) error %v is not CodeInvalid", tt.in, err)
		}
	}
}

func TestGrantInputValidate(t *testing.T) {
	ok := milepost.GrantInput{UserID: " u1 ", AmountCents: 100, ActionCode: "survey.v2_done-1", ClientReference: " ref "}
	g, err := ok.Validate()
	if err != nil || g.UserID != "u1" || g.ClientReference != "ref" {
		t.Fatalf("valid grant: %+v %v", g, err)
	}
	bad := map[string]func(*milepost.GrantInput){
		"no user":           func(g *milepost.GrantInput) { g.UserID = " " },
		"99 cents":          func(g *milepost.GrantInput) { g.AmountCents = 99 },
		"$100.01":           func(g *milepost.GrantInput) { g.AmountCents = 10001 },
		"empty action":      func(g *milepost.GrantInput) { g.ActionCode = "" },
		"action with space": func(g *milepost.GrantInput) { g.ActionCode = "a b" },
		"no reference":      func(g *milepost.GrantInput) { g.ClientReference = "" },
		"long reference":    func(g *milepost.GrantInput) { g.ClientReference = strings.Repeat("x", 129) },
	}
	for name, mut := range bad {
		g := ok
		mut(&g)
		if _, err := g.Validate(); milepost.ErrorCode(err) != milepost.CodeInvalid {
			t.Errorf("%s: got %v, want CodeInvalid", name, err)
		}
	}
	g = ok
	g.AmountCents = 10000
	if _, err := g.Validate(); err != nil {
		t.Errorf("$100.00 refused: %v", err)
	}
}

func TestRewardMirrorsCheckin(t *testing.T) {
	want := map[milepost.CheckinStatus]milepost.RewardStatus{
		milepost.StatusPending: milepost.RewardPending, milepost.StatusOnHold: milepost.RewardPending,
		milepost.StatusConfirmed: milepost.RewardConfirmed, milepost.StatusDeclined: milepost.RewardDeclined,
	}
	for cs, rs := range want {
		if got := milepost.RewardStatusFor(cs); got != rs {
			t.Errorf("RewardStatusFor(%s) = %s, want %s", cs, got, rs)
		}
	}
	types := map[milepost.CheckinType]milepost.RewardType{
		milepost.CheckinMileage: "MileageCheckIn", milepost.CheckinCondition: "ConditionCheckIn", milepost.CheckinProofOfAddress: "GaragingCheckIn",
	}
	for ct, rt := range types {
		if got := milepost.RewardTypeFor(ct); got != rt {
			t.Errorf("RewardTypeFor(%s) = %s, want %s", ct, got, rt)
		}
	}
}

func TestCampaignProblemsAndCadence(t *testing.T) {
	c := &milepost.Campaign{PartnerID: "p", Name: "spring",
		Rewards: map[milepost.CheckinType]milepost.CampaignReward{
			milepost.CheckinMileage:        {AmountCents: 200, CadenceDays: 14, PhotoBonusCents: 50},
			milepost.CheckinProofOfAddress: {AmountCents: -1, CadenceDays: 4000},
		},
		Products: []milepost.Product{{ID: "a", Name: "A", Category: "visa"}, {ID: "a", Name: "", Category: "lottery", Images: []milepost.ProductImage{{Src: "ftp://x"}}}},
	}
	got := map[string]bool{}
	for _, p := range c.Problems() {
		got[p.Path] = true
	}
	for _, path := range []string{"rewards.mileage.photoBonus", "rewards.proofOfAddress.amount", "rewards.proofOfAddress.cadenceDays",
		"products[1].id", "products[1].name", "products[1].category", "products[1].images"} {
		if !got[path] {
			t.Errorf("no problem at %s in %v", path, c.Problems())
		}
	}
	if len(got) != 7 {
		t.Errorf("problems %v", c.Problems())
	}
	base := milepost.Cadence{MileageDays: 30, ConditionDays: 90, ProofOfAddressDays: 365}
	if cd := c.Cadence(base); cd.MileageDays != 14 || cd.ConditionDays != 90 || cd.ProofOfAddressDays != 4000 {
		t.Errorf("campaign cadence %+v", cd)
	}
	var none *milepost.Campaign
	if none.Cadence(base) != base {
		t.Error("no campaign must keep the partner's cadence")
	}
	if _, ok := none.Product("a"); ok {
		t.Error("no campaign has no products")
	}
}

func TestRollover(t *testing.T) {
	tests := []struct {
		prev, next, wrap int64
		ok               bool
	}{
		{99_950, 120, 100_000, true},
		{95_000, 4_999, 100_000, true},
		{94_999, 100, 0, false},   // not near the top
		{99_950, 5_000, 0, false}, // not near the bottom
		{999_000, 1_200, 1_000_000, true},
		{999_000, 60_000, 0, false},
		{60_000, 50_000, 0, false}, // a rollback
		{100, 200, 0, false},       // not lower
		{99_999, 99_999, 0, false},
	}
	for _, tt := range tests {
		wrap, ok := milepost.Rollover(tt.prev, tt.next)
		if wrap != tt.wrap || ok != tt.ok {
			t.Errorf("Rollover(%d, %d) = %d, %v; want %d, %v", tt.prev, tt.next, wrap, ok, tt.wrap, tt.ok)
		}
	}
}
