package campaignfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/milepost/milepost"
)

// header opens every formatted file.
const header = "Milepost campaign file (format: docs/campaigns.md).\n" +
	"Amounts are dollars per confirmed check-in; cadenceDays is the days between check-ins."

// Format writes a campaign in the file format Parse reads, so Parse(Format(c)) gives back c
// (AppliedAt aside, which the file does not hold). Rewards are written in the order mileage,
// condition, proofOfAddress; empty optional fields are left out. It fails on a nil campaign or
// a reward of an unknown check-in type.
func Format(c *milepost.Campaign) ([]byte, error) {
	if c == nil {
		return nil, errors.New("format campaign: nil campaign")
	}
	root := &yaml.Node{Kind: yaml.MappingNode, HeadComment: header}
	root.Content = append(root.Content, text("partner"), text(c.PartnerID), text("campaign"), text(c.Name))

	if len(c.Rewards) > 0 {
		for t := range c.Rewards {
			if !t.Valid() {
				return nil, fmt.Errorf("format campaign: unknown reward type %q", t)
			}
		}
		rewards := &yaml.Node{Kind: yaml.MappingNode}
		for _, key := range rewardKeys {
			r, ok := c.Rewards[rewardTypes[key]]
			if !ok {
				continue
			}
			terms := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			terms.Content = append(terms.Content, text("amount"), money(r.AmountCents),
				text("cadenceDays"), &yaml.Node{Kind: yaml.ScalarNode, Tag: tagInt, Value: strconv.Itoa(r.CadenceDays)})
			if r.PhotoBonusCents != 0 {
				terms.Content = append(terms.Content, text("photoBonus"), money(r.PhotoBonusCents))
			}
			rewards.Content = append(rewards.Content, text(key), terms)
		}
		root.Content = append(root.Content, text("rewards"), rewards)
	}

	if len(c.Products) > 0 {
		products := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range c.Products {
			products.Content = append(products.Content, product(p))
		}
		root.Content = append(root.Content, text("products"), products)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("format campaign: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("format campaign: %w", err)
	}
	return buf.Bytes(), nil
}

// product is one item of the products list: id, name and category always, the rest when set.
func product(p milepost.Product) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) { n.Content = append(n.Content, text(key), v) }
	add("id", text(p.ID))
	add("name", text(p.Name))
	add("category", text(p.Category))
	if len(p.CurrencyCodes) > 0 {
		add("currencyCodes", texts(p.CurrencyCodes))
	}
	if len(p.Countries) > 0 {
		add("countries", texts(p.Countries))
	}
	if p.Description != "" {
		add("description", text(p.Description))
	}
	if p.Disclosure != "" {
		add("disclosure", text(p.Disclosure))
	}
	if len(p.Images) > 0 {
		images := &yaml.Node{Kind: yaml.SequenceNode}
		for _, img := range p.Images {
			m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			m.Content = append(m.Content, text("src"), text(img.Src))
			if img.Type != "" {
				m.Content = append(m.Content, text("type"), text(img.Type))
			}
			images.Content = append(images.Content, m)
		}
		add("images", images)
	}
	return n
}

// text is a string scalar; the encoder quotes it when it would otherwise read as something else.
func text(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tagStr, Value: s} }

// texts is a flow list of strings: [USD, EUR].
func texts(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, text(s))
	}
	return n
}

// money writes cents as dollars with two decimals: 250 → 2.50.
func money(cents int64) *yaml.Node {
	sign, u := "", uint64(cents)
	if cents < 0 {
		sign, u = "-", uint64(-(cents+1))+1
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tagFloat, Value: fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)}
}
