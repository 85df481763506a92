package milepost

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Campaign is what a partner's check-ins earn and what rewards can be claimed for. It is set up
// offline (milepost campaign apply --file) and replaces the partner's cadence for the types it
// rewards.
type Campaign struct {
	PartnerID string
	Name      string
	// Rewards holds the rewarded check-in types; a type absent earns nothing and keeps the
	// partner's cadence.
	Rewards   map[CheckinType]CampaignReward
	Products  []Product
	AppliedAt time.Time
}

// CampaignReward is the reward of one check-in type.
type CampaignReward struct {
	AmountCents int64
	CadenceDays int
	// PhotoBonusCents is added when a proof-of-address check-in has home photos.
	PhotoBonusCents int64
}

// Product is an item of the claim catalogue.
type Product struct {
	ID            string
	Name          string
	Category      string
	CurrencyCodes []string
	Countries     []string
	Description   string
	Disclosure    string
	Images        []ProductImage
}

// ProductImage is an image of a product (a logo or the card).
type ProductImage struct {
	Src  string
	Type string
}

// ProductCategories are the documented product categories.
var ProductCategories = []string{"bank", "charities", "merchant_cards", "paypal", "visa"}

// Campaign limits.
const (
	MaxRewardCents     = 100_000 // $1,000 per check-in
	MaxCampaignCadence = 3650
)

// Cadence returns base with the cadences of the types the campaign rewards.
func (c *Campaign) Cadence(base Cadence) Cadence {
	if c == nil {
		return base
	}
	if r, ok := c.Rewards[CheckinMileage]; ok {
		base.MileageDays = r.CadenceDays
	}
	if r, ok := c.Rewards[CheckinCondition]; ok {
		base.ConditionDays = r.CadenceDays
	}
	if r, ok := c.Rewards[CheckinProofOfAddress]; ok {
		base.ProofOfAddressDays = r.CadenceDays
	}
	return base
}

// Reward returns the reward of type t, if the campaign rewards it.
func (c *Campaign) Reward(t CheckinType) (CampaignReward, bool) {
	if c == nil {
		return CampaignReward{}, false
	}
	r, ok := c.Rewards[t]
	return r, ok
}

// Product returns the catalogue's product with id, if any.
func (c *Campaign) Product(id string) (Product, bool) {
	if c == nil {
		return Product{}, false
	}
	for _, p := range c.Products {
		if p.ID == id {
			return p, true
		}
	}
	return Product{}, false
}

// CampaignProblem is one fault of a campaign, with the path of the field at fault.
type CampaignProblem struct {
	Path    string // e.g. rewards.mileage.amount or products[2].category
	Message string
}

// Problems lists every fault of a campaign (none: it may be applied). Parsers add the line of
// each path.
func (c *Campaign) Problems() []CampaignProblem {
	var out []CampaignProblem
	add := func(path, msg string) { out = append(out, CampaignProblem{path, msg}) }
	if strings.TrimSpace(c.PartnerID) == "" {
		add("partner", "partner is required: the id of the partner the campaign belongs to.")
	}
	if strings.TrimSpace(c.Name) == "" || len(c.Name) > 100 {
		add("campaign", "campaign is required: a name of 1 to 100 characters.")
	}
	names := map[CheckinType]string{CheckinMileage: "mileage", CheckinCondition: "condition", CheckinProofOfAddress: "proofOfAddress"}
	for t, r := range c.Rewards {
		p := "rewards." + names[t]
		if r.AmountCents < 0 || r.AmountCents > MaxRewardCents {
			add(p+".amount", "amount must be between 0.00 and 1000.00 dollars.")
		}
		if r.CadenceDays < 0 || r.CadenceDays > MaxCampaignCadence {
			add(p+".cadenceDays", "cadenceDays must be between 0 and 3650.")
		}
		if r.PhotoBonusCents < 0 || r.PhotoBonusCents > MaxRewardCents {
			add(p+".photoBonus", "photoBonus must be between 0.00 and 1000.00 dollars.")
		}
		if r.PhotoBonusCents > 0 && t != CheckinProofOfAddress {
			add(p+".photoBonus", "photoBonus applies to proofOfAddress only.")
		}
	}
	seen := map[string]bool{}
	for i, p := range c.Products {
		at := "products[" + strconv.Itoa(i) + "]"
		switch {
		case strings.TrimSpace(p.ID) == "":
			add(at+".id", "id is required.")
		case seen[p.ID]:
			add(at+".id", "id "+p.ID+" is used twice.")
		}
		seen[p.ID] = true
		if strings.TrimSpace(p.Name) == "" {
			add(at+".name", "name is required.")
		}
		if !slices.Contains(ProductCategories, p.Category) {
			add(at+".category", "category must be one of "+strings.Join(ProductCategories, ", ")+".")
		}
		for _, img := range p.Images {
			if !strings.HasPrefix(img.Src, "https://") && !strings.HasPrefix(img.Src, "http://") {
				add(at+".images", "image src must be an http(s) URL.")
				break
			}
		}
	}
	return out
}

// CampaignService keeps campaigns (operator tooling, not the partner API).
type CampaignService interface {
	// ApplyCampaign creates or replaces the partner's campaign and catalogue in one transaction.
	ApplyCampaign(ctx context.Context, c *Campaign) error
	// FindCampaign returns the partner's campaign, or CodeNotFound.
	FindCampaign(ctx context.Context, partnerID string) (*Campaign, error)
}
