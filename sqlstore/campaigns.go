package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/milepost/milepost"
)

// Campaigns implements milepost.CampaignService.
type Campaigns struct{ db *DB }

// Campaigns returns the campaign service of this store.
func (db *DB) Campaigns() *Campaigns { return &Campaigns{db: db} }

var _ milepost.CampaignService = (*Campaigns)(nil)

// rewardTerms is how a campaign's rewards are kept in its rewards column.
type rewardTerms struct {
	AmountCents     int64 `json:"amountCents"`
	CadenceDays     int   `json:"cadenceDays"`
	PhotoBonusCents int64 `json:"photoBonusCents,omitempty"`
}

type productImages []milepost.ProductImage

// ApplyCampaign creates or replaces a partner's campaign and catalogue in one transaction: a
// failure leaves the previous campaign untouched.
func (s *Campaigns) ApplyCampaign(ctx context.Context, c *milepost.Campaign) error {
	if ps := c.Problems(); len(ps) > 0 {
		return milepost.Invalidf(ps[0].Path, "%s: %s", ps[0].Path, ps[0].Message)
	}
	rewards := map[string]rewardTerms{}
	for t, r := range c.Rewards {
		rewards[string(t)] = rewardTerms{AmountCents: r.AmountCents, CadenceDays: r.CadenceDays, PhotoBonusCents: r.PhotoBonusCents}
	}
	rb, err := json.Marshal(rewards)
	if err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := findPartner(ctx, tx, c.PartnerID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO campaigns (partner_id, name, rewards, applied_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (partner_id) DO UPDATE SET name = excluded.name, rewards = excluded.rewards, applied_at = excluded.applied_at`,
			c.PartnerID, c.Name, string(rb), tx.now.UnixMilli()); err != nil {
			return fmt.Errorf("save campaign: %w", err)
		}
		if _, err := tx.exec(ctx, "DELETE FROM products WHERE partner_id = ?", c.PartnerID); err != nil {
			return fmt.Errorf("clear products: %w", err)
		}
		for i, p := range c.Products {
			cur, _ := json.Marshal(p.CurrencyCodes)
			cty, _ := json.Marshal(p.Countries)
			img, _ := json.Marshal(productImages(p.Images))
			if _, err := tx.exec(ctx, `INSERT INTO products (partner_id, id, position, name, category, currency_codes, countries, description,
				disclosure, images) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.PartnerID, p.ID, i, p.Name, p.Category, string(cur), string(cty),
				p.Description, p.Disclosure, string(img)); err != nil {
				return fmt.Errorf("save product %s: %w", p.ID, err)
			}
		}
		c.AppliedAt = tx.now
		return nil
	})
}

// FindCampaign returns a partner's campaign, or CodeNotFound.
func (s *Campaigns) FindCampaign(ctx context.Context, partnerID string) (*milepost.Campaign, error) {
	c, err := readOne(ctx, s.db, func(tx *Tx) (*milepost.Campaign, error) { return findCampaign(ctx, tx, partnerID) })
	if err == nil && c == nil {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "The partner has no campaign.")
	}
	return c, err
}

// findCampaign returns the partner's campaign with its products, or nil when there is none.
func findCampaign(ctx context.Context, tx *Tx, partnerID string) (*milepost.Campaign, error) {
	var name, rewards string
	var applied int64
	err := tx.queryRow(ctx, "SELECT name, rewards, applied_at FROM campaigns WHERE partner_id = ?", partnerID).Scan(&name, &rewards, &applied)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find campaign: %w", err)
	}
	c := &milepost.Campaign{PartnerID: partnerID, Name: name, AppliedAt: fromMS(applied), Rewards: map[milepost.CheckinType]milepost.CampaignReward{}}
	var terms map[string]rewardTerms
	if err := json.Unmarshal([]byte(rewards), &terms); err != nil {
		return nil, fmt.Errorf("decode campaign rewards: %w", err)
	}
	for t, r := range terms {
		c.Rewards[milepost.CheckinType(t)] = milepost.CampaignReward{AmountCents: r.AmountCents, CadenceDays: r.CadenceDays, PhotoBonusCents: r.PhotoBonusCents}
	}
	err = eachRow(tx.query(ctx, `SELECT id, name, category, currency_codes, countries, description, disclosure, images FROM products
		WHERE partner_id = ? ORDER BY position`, partnerID))(func(rows *sql.Rows) error {
		var p milepost.Product
		var cur, cty, img string
		if err := rows.Scan(&p.ID, &p.Name, &p.Category, &cur, &cty, &p.Description, &p.Disclosure, &img); err != nil {
			return err
		}
		for _, f := range []struct {
			s string
			v any
		}{{cur, &p.CurrencyCodes}, {cty, &p.Countries}, {img, &p.Images}} {
			if f.s != "" {
				if err := json.Unmarshal([]byte(f.s), f.v); err != nil {
					return fmt.Errorf("decode product %s: %w", p.ID, err)
				}
			}
		}
		c.Products = append(c.Products, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	return c, nil
}

// terms are what a partner's check-ins follow now: the cadence (the campaign's where it rewards
// a type, the partner's otherwise) and the campaign (nil without one).
type terms struct {
	cadence  milepost.Cadence
	campaign *milepost.Campaign
}

func partnerTerms(ctx context.Context, tx *Tx, partnerID string) (terms, error) {
	p, err := findPartner(ctx, tx, partnerID)
	if err != nil {
		return terms{}, err
	}
	c, err := findCampaign(ctx, tx, partnerID)
	if err != nil {
		return terms{}, err
	}
	return terms{cadence: c.Cadence(p.Cadence), campaign: c}, nil
}
