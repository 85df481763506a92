package campaignfile_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/campaignfile"
)

func TestFormatRoundTrip(t *testing.T) {
	tests := []*milepost.Campaign{
		{PartnerID: "p", Name: "c", Rewards: map[milepost.CheckinType]milepost.CampaignReward{}},
		{
			PartnerID: "0190a1b2-0000-7000-8000-000000000001",
			Name:      "spring-2027",
			Rewards: map[milepost.CheckinType]milepost.CampaignReward{
				milepost.CheckinMileage:        {AmountCents: 200, CadenceDays: 30},
				milepost.CheckinCondition:      {AmountCents: 5, CadenceDays: 0},
				milepost.CheckinProofOfAddress: {AmountCents: 100_000, CadenceDays: 3650, PhotoBonusCents: 150},
			},
			Products: []milepost.Product{
				{ID: "amazon-us", Name: "Amazon.com Gift Card", Category: "merchant_cards", CurrencyCodes: []string{"USD"},
					Countries: []string{"US", "PR"}, Description: "Line one.\nLine two: with a colon.\n", Disclosure: "Amazon is not a sponsor.",
					Images: []milepost.ProductImage{{Src: "https://img.example/a.png", Type: "logo"}, {Src: "http://img.example/b.png?x=1&y=#2"}}},
				{ID: "123", Name: "true", Category: "visa", Description: "  leading and trailing spaces  "},
				{ID: "null", Name: "~", Category: "bank", Disclosure: `quotes ' and " and # hash, {braces} [brackets] *star &amp`},
				{ID: "2027-01-01", Name: "1e3", Category: "paypal", Description: "- dash\n? question\n\ttab"},
				{ID: "unicode", Name: "Café ☕ — 10 €", Category: "charities", Countries: []string{"FR"}, CurrencyCodes: []string{"EUR", "USD"}},
			},
		},
	}
	for _, c := range tests {
		out, err := campaignfile.Format(c)
		if err != nil {
			t.Fatalf("Format: %v", err)
		}
		c2, err := campaignfile.Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(c)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(c2, c) {
			t.Errorf("round trip:\n got %+v\nwant %+v\nfile:\n%s", c2, c, out)
		}
	}
}

func TestFormatOutput(t *testing.T) {
	c := &milepost.Campaign{
		PartnerID: "p1", Name: "spring-2027", AppliedAt: time.Now(),
		Rewards: map[milepost.CheckinType]milepost.CampaignReward{
			milepost.CheckinProofOfAddress: {AmountCents: 300, CadenceDays: 365, PhotoBonusCents: 100},
			milepost.CheckinMileage:        {AmountCents: 250, CadenceDays: 30},
		},
		Products: []milepost.Product{{ID: "amazon-us", Name: "Amazon.com Gift Card", Category: "merchant_cards",
			CurrencyCodes: []string{"USD"}, Images: []milepost.ProductImage{{Src: "https://img.example/a.png", Type: "logo"}}}},
	}
	out, err := campaignfile.Format(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `# Milepost campaign file (format: docs/campaigns.md).
# Amounts are dollars per confirmed check-in; cadenceDays is the days between check-ins.
partner: p1
campaign: spring-2027
rewards:
  mileage: {amount: 2.50, cadenceDays: 30}
  proofOfAddress: {amount: 3.00, cadenceDays: 365, photoBonus: 1.00}
products:
  - id: amazon-us
    name: Amazon.com Gift Card
    category: merchant_cards
    currencyCodes: [USD]
    images:
      - {src: 'https://img.example/a.png', type: logo}
`
	if string(out) != want {
		t.Errorf("Format =\n%s\nwant\n%s", out, want)
	}
}

func TestFormatErrors(t *testing.T) {
	if _, err := campaignfile.Format(nil); err == nil {
		t.Error("Format(nil) succeeded")
	}
	c := &milepost.Campaign{PartnerID: "p", Name: "c", Rewards: map[milepost.CheckinType]milepost.CampaignReward{"fuel": {}}}
	if _, err := campaignfile.Format(c); err == nil || !strings.Contains(err.Error(), `unknown reward type "fuel"`) {
		t.Errorf("Format(unknown reward type) = %v", err)
	}
}
