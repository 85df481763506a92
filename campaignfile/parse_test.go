package campaignfile_test

import (
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/campaignfile"
)

const validFile = `partner: 0190a1b2-0000-7000-8000-000000000001
campaign: spring-2027
rewards:                      # amount in dollars per confirmed check-in
  mileage:        {amount: 2.00, cadenceDays: 30}
  condition:      {amount: 5.00, cadenceDays: 90}
  proofOfAddress: {amount: 3.00, cadenceDays: 365, photoBonus: 1.00}
products:
  - {id: amazon-us, name: Amazon.com Gift Card, category: merchant_cards,
     currencyCodes: [USD], countries: [US], description: Shop online., disclosure: Terms apply.,
     images: [{src: "https://img.example/amazon.png", type: logo}]}
  - id: visa-prepaid
    name: Prepaid Visa
    category: visa
    currencyCodes:
      - USD
    countries: [US, PR]
`

func TestParseValid(t *testing.T) {
	c, err := campaignfile.Parse([]byte(validFile))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := &milepost.Campaign{
		PartnerID: "0190a1b2-0000-7000-8000-000000000001",
		Name:      "spring-2027",
		Rewards: map[milepost.CheckinType]milepost.CampaignReward{
			milepost.CheckinMileage:        {AmountCents: 200, CadenceDays: 30},
			milepost.CheckinCondition:      {AmountCents: 500, CadenceDays: 90},
			milepost.CheckinProofOfAddress: {AmountCents: 300, CadenceDays: 365, PhotoBonusCents: 100},
		},
		Products: []milepost.Product{
			{ID: "amazon-us", Name: "Amazon.com Gift Card", Category: "merchant_cards", CurrencyCodes: []string{"USD"},
				Countries: []string{"US"}, Description: "Shop online.", Disclosure: "Terms apply.",
				Images: []milepost.ProductImage{{Src: "https://img.example/amazon.png", Type: "logo"}}},
			{ID: "visa-prepaid", Name: "Prepaid Visa", Category: "visa", CurrencyCodes: []string{"USD"}, Countries: []string{"US", "PR"}},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", c, want)
	}
}

func TestParseMinimal(t *testing.T) {
	c, err := campaignfile.Parse([]byte("partner: p1\ncampaign: c1\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if c.PartnerID != "p1" || c.Name != "c1" || len(c.Rewards) != 0 || c.Rewards == nil || c.Products != nil {
		t.Errorf("Parse = %+v", c)
	}
}

func TestParseAmounts(t *testing.T) {
	tests := []struct {
		text  string
		cents int64
		err   string // substring of the problem; "" means valid
	}{
		{"2.00", 200, ""},
		{"2", 200, ""},
		{"0.5", 50, ""},
		{"0.05", 5, ""},
		{".5", 50, ""},
		{"5.", 500, ""},
		{"0", 0, ""},
		{"000012.34", 1234, ""},
		{"1000.00", 100_000, ""},
		{"1000.01", 0, "between 0.00 and 1000.00"}, // the domain's rule
		{"1.005", 0, "at most 2 decimals"},
		{"0.001", 0, "at most 2 decimals"},
		{"-1.00", 0, "must not be negative"},
		{"-0", 0, "must not be negative"},
		{"1e2", 0, "plain number of dollars"},
		{"0x10", 0, "plain number of dollars"},
		{".inf", 0, "plain number of dollars"},
		{".nan", 0, "plain number of dollars"},
		{"+2.00", 0, "plain number of dollars"},
		{"99999999999999999999.00", 0, "too large"},
		{`"2.00"`, 0, `must be a number of dollars like 2.50, not the text "2.00"`},
		{"two", 0, `not the text "two"`},
		{"true", 0, "not the boolean true"},
		{"[1]", 0, "not a list"},
		{"", 0, "amount is empty"},
		{"~", 0, "amount is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			file := "partner: p\ncampaign: c\nrewards:\n  mileage:\n    amount: " + tt.text + "\n    cadenceDays: 30\n"
			c, err := campaignfile.Parse([]byte(file))
			if tt.err == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got := c.Rewards[milepost.CheckinMileage].AmountCents; got != tt.cents {
					t.Errorf("AmountCents = %d, want %d", got, tt.cents)
				}
				return
			}
			ps := problems(t, err)
			if len(ps) != 1 || ps[0].Line != 5 || ps[0].Path != "rewards.mileage.amount" || !strings.Contains(ps[0].Message, tt.err) {
				t.Errorf("Parse: %v\nwant one problem at line 5 rewards.mileage.amount containing %q", err, tt.err)
			}
		})
	}
}

// want is an expected problem: its line and path exactly, and a substring of its message.
type want struct {
	line int
	path string
	msg  string
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []want
	}{
		{"empty", "", []want{{1, "", "the file is empty"}}},
		{"blank lines", "\n\n  \n", []want{{1, "", "the file is empty"}}},
		{"comments only", "# a campaign\n# nothing yet\n", []want{{1, "", "only comments"}}},
		{"empty document", "---\n", []want{{1, "", "the file is empty"}}},
		{"null document", "~\n", []want{{1, "", "the file is empty"}}},
		{"a list", "\n- partner: p\n", []want{{2, "", "must be a mapping of partner, campaign, rewards, products, not a list"}}},
		{"a scalar", "# x\nhello\n", []want{{2, "", `not the text "hello"`}}},
		{"two documents", "partner: p\ncampaign: c\n---\npartner: q\ncampaign: d\n", []want{{3, "", "more than one YAML document"}}},
		{"syntax: unclosed flow", "partner: p\ncampaign: c\nrewards: {mileage: {amount: 1\n", []want{{3, "", "YAML syntax error: did not find expected ',' or '}'"}}},
		{"syntax: tab indent", "partner: p\ncampaign: c\nrewards:\n\tmileage: {}\n", []want{{4, "", "YAML syntax error: found character that cannot start any token"}}},
		{"syntax: bad indent", "partner: p\n  campaign: c\n", []want{{2, "", "mapping values are not allowed"}}},
		{"syntax in second document", "partner: p\ncampaign: c\n---\na: [\n", []want{{5, "", "YAML syntax error"}}},
		{"syntax: key out of indent", "partner: p\ncampaign: c\nrewards:\n  mileage: {amount: 1, cadenceDays: 2}\n condition: x\n", []want{{5, "", "did not find expected key"}}},
		{"syntax: list item out of indent", "partner: p\ncampaign: c\nproducts:\n  - id: a\n  name: b\n", []want{{4, "", "did not find expected '-' indicator"}}},
		{"syntax: unclosed quote", "partner: p\ncampaign: \"abc\n\nfoo: 1\n", []want{{2, "", "found unexpected end of stream"}}},
		{"syntax: unclosed flow sequence", "partner: p\ncampaign: c\nproducts: [a, b\nfoo: 1\n", []want{{3, "", "did not find expected ',' or ']'"}}},
		{"control character", "partner: p\ncampaign: c\nx: \x01\n", []want{{3, "", "control character U+0001"}}},
		{"binary tag", "partner: p\ncampaign: !!binary aGVsbG8=\n", []want{{2, "campaign", "campaign must be text, not a value tagged !!binary"}}},
		{"not UTF-8", "partner: p\ncampaign: \xff\xfe\n", []want{{2, "", "not valid UTF-8"}}},
		{"missing partner and campaign", "\nrewards:\n  mileage: {amount: 1, cadenceDays: 30}\n", []want{
			{2, "campaign", "campaign is required"},
			{2, "partner", "partner is required"},
		}},
		{"empty partner", "partner:\ncampaign: c\n", []want{{1, "partner", "partner is required"}}},
		{"campaign name too long", "partner: p\ncampaign: " + strings.Repeat("x", 101) + "\n", []want{{2, "campaign", "1 to 100 characters"}}},
		{"partner not text", "partner: {id: 1}\ncampaign: [c]\n", []want{
			{1, "partner", "partner must be text, not a mapping"},
			{2, "campaign", "campaign must be text, not a list"},
		}},
		{"boolean name", "partner: p\ncampaign: true\n", []want{{2, "campaign", "not the boolean true"}}},
		{"unknown root keys", "partner: p\ncampaign: c\nreward: {}\nproduct: []\nextra: 1\n", []want{
			{3, "reward", `unknown key "reward" (did you mean rewards?); allowed: partner, campaign, rewards, products`},
			{4, "product", "did you mean products?"},
			{5, "extra", `unknown key "extra"; allowed`},
		}},
		{"duplicate key", "partner: p\ncampaign: c\npartner: q\n", []want{{3, "partner", "given twice (first at line 1)"}}},
		{"non-scalar key", "partner: p\ncampaign: c\n? [a, b]\n: 1\n", []want{{3, "", "keys must be plain names, not a list"}}},
		{"rewards not a mapping", "partner: p\ncampaign: c\nrewards: [mileage]\n", []want{{3, "rewards", "rewards must be a mapping of reward types"}}},
		{"unknown reward type", "partner: p\ncampaign: c\nrewards:\n  mileage: {amount: 1, cadenceDays: 30}\n  fuel: {amount: 1, cadenceDays: 30}\n  Condition: {amount: 1, cadenceDays: 30}\n", []want{
			{5, "rewards.fuel", `unknown reward type "fuel"; allowed: mileage, condition, proofOfAddress`},
			{6, "rewards.Condition", "did you mean condition?"},
		}},
		{"reward not a mapping", "partner: p\ncampaign: c\nrewards:\n  mileage: 2.00\n  condition:\n", []want{
			{4, "rewards.mileage", "mileage must be a mapping like {amount: 2.00, cadenceDays: 30}, not the number 2.00"},
			{5, "rewards.condition", "not an empty value"},
		}},
		{"reward missing fields", "partner: p\ncampaign: c\nrewards:\n  mileage: {}\n  condition:\n    amount: 1\n", []want{
			{4, "rewards.mileage.amount", "amount is required"},
			{4, "rewards.mileage.cadenceDays", "cadenceDays is required"},
			{5, "rewards.condition.cadenceDays", "cadenceDays is required"},
		}},
		{"reward unknown and mistyped fields", "partner: p\ncampaign: c\nrewards:\n  mileage:\n    amount: 2.00\n    cadenceDays: thirty\n    cadence: 30\n  proofOfAddress:\n    amount: 3.00\n    cadenceDays: 30.5\n    photoBonus: 1.001\n", []want{
			{6, "rewards.mileage.cadenceDays", `cadenceDays must be a whole number of days like 30, not the text "thirty"`},
			{7, "rewards.mileage.cadence", `unknown key "cadence" (did you mean cadenceDays?)`},
			{10, "rewards.proofOfAddress.cadenceDays", "whole number of days like 30, not 30.5"},
			{11, "rewards.proofOfAddress.photoBonus", "at most 2 decimals"},
		}},
		{"domain: reward ranges", "partner: p\ncampaign: c\nrewards:\n  mileage: {amount: 2000.00, cadenceDays: 30, photoBonus: 1}\n  condition:\n    amount: 1\n    cadenceDays: 4000\n  proofOfAddress: {amount: 1, cadenceDays: -1}\n", []want{
			{4, "rewards.mileage.amount", "between 0.00 and 1000.00"},
			{4, "rewards.mileage.photoBonus", "photoBonus applies to proofOfAddress only"},
			{7, "rewards.condition.cadenceDays", "between 0 and 3650"},
			{8, "rewards.proofOfAddress.cadenceDays", "between 0 and 3650"},
		}},
		{"huge cadence", "partner: p\ncampaign: c\nrewards:\n  mileage: {amount: 1, cadenceDays: 99999999999999999999}\n", []want{
			{4, "rewards.mileage.cadenceDays", "between 0 and 3650"},
		}},
		{"products not a list", "partner: p\ncampaign: c\nproducts: {id: x}\n", []want{{3, "products", "products must be a list, not a mapping"}}},
		{"product items", "partner: p\ncampaign: c\nproducts:\n  - amazon-us\n  - id: visa\n    name: Visa\n    category: visa\n    colour: blue\n  -\n", []want{
			{4, "products[0]", `products[0] must be a mapping like {id: amazon-us, name: ..., category: merchant_cards}, not the text "amazon-us"`},
			{8, "products[1].colour", `unknown key "colour"; allowed: id, name, category, currencyCodes, countries, description, disclosure, images`},
			{9, "products[2]", "not an empty value"},
		}},
		{"domain: product rules", "partner: p\ncampaign: c\nproducts:\n  - id: a\n    name: A\n    category: cards\n  - name: B\n    category: visa\n  - id: a\n    category: bank\n", []want{
			{6, "products[0].category", "category must be one of bank, charities, merchant_cards, paypal, visa"},
			{7, "products[1].id", "id is required"},
			{9, "products[2].id", "id a is used twice"},
			{9, "products[2].name", "name is required"},
		}},
		{"product lists", "partner: p\ncampaign: c\nproducts:\n  - id: a\n    name: A\n    category: visa\n    currencyCodes: USD\n    countries:\n      - US\n      - [CA]\n", []want{
			{7, "products[0].currencyCodes", "currencyCodes must be a list, not the text \"USD\""},
			{10, "products[0].countries[1]", "countries[1] must be text, not a list"},
		}},
		{"images", "partner: p\ncampaign: c\nproducts:\n  - id: a\n    name: A\n    category: visa\n    images:\n      - {src: https://x.example/a.png, type: logo}\n      - {src: ftp://x.example/b.png}\n      - {type: card}\n      - https://x.example/c.png\n      - {src: https://x.example/d.png, alt: D}\n", []want{
			{9, "products[0].images[1].src", "src must be an http(s) URL"},
			{10, "products[0].images[2].src", "src is required"},
			{11, "products[0].images[3]", "must be a mapping like {src: https://..., type: logo}"},
			{12, "products[0].images[4].alt", `unknown key "alt"; allowed: src, type`},
		}},
		{"alias", "partner: &p p\ncampaign: *p\n", []want{{2, "campaign", "aliases (*p) are not supported"}}},
		{"merge key", "partner: p\ncampaign: c\nrewards:\n  mileage: &m {amount: 1, cadenceDays: 30}\n  condition:\n    <<: *m\n", []want{
			{6, "rewards.condition.<<", `unknown key "<<"`},
			{5, "rewards.condition.amount", "amount is required"},
			{5, "rewards.condition.cadenceDays", "cadenceDays is required"},
		}},
		{"many problems at once", "partner: p\ncampaign:\nrewards:\n  mileage: {amount: -1, cadenceDays: 30}\n  fuel: {}\nproducts:\n  - {id: x, name: X, category: nope}\nfoo: bar\n", []want{
			{2, "campaign", "campaign is required"},
			{4, "rewards.mileage.amount", "must not be negative"},
			{5, "rewards.fuel", "unknown reward type"},
			{7, "products[0].category", "category must be one of"},
			{8, "foo", "unknown key"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := campaignfile.Parse([]byte(tt.file))
			ps := problems(t, err)
			if len(ps) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tt.want), err)
			}
			// Problems come in line order; compare as sets of (line, path).
			for _, w := range tt.want {
				found := false
				for _, p := range ps {
					if p.Line == w.line && p.Path == w.path && strings.Contains(p.Message, w.msg) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("missing problem line %d %s %q in:\n%v", w.line, w.path, w.msg, err)
				}
			}
			for i := 1; i < len(ps); i++ {
				if ps[i].Line < ps[i-1].Line {
					t.Errorf("problems not in line order:\n%v", err)
				}
			}
		})
	}
}

// problems asserts that err is an *Errors and returns its problems.
func problems(t *testing.T, err error) []campaignfile.Problem {
	t.Helper()
	var e *campaignfile.Errors
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *campaignfile.Errors", err, err)
	}
	if len(e.Problems) == 0 {
		t.Fatal("*Errors without problems")
	}
	return e.Problems
}

func TestErrorsString(t *testing.T) {
	e := &campaignfile.Errors{Problems: []campaignfile.Problem{
		{Line: 7, Path: "rewards.mileage.amount", Message: "amount must not be negative."},
		{Line: 12, Message: "YAML syntax error: x."},
		{Path: "partner", Message: "partner is required."},
	}}
	want := "line 7: rewards.mileage.amount: amount must not be negative.\nline 12: YAML syntax error: x.\npartner: partner is required."
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

// TestDocsExample keeps the example of docs/campaigns.md valid.
func TestDocsExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/campaigns.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(m) == 0 {
		t.Fatal("no yaml example in docs/campaigns.md")
	}
	c, err := campaignfile.Parse(m[0][1])
	if err != nil {
		t.Fatalf("the first example of docs/campaigns.md does not parse:\n%v", err)
	}
	if len(c.Rewards) != 3 || len(c.Products) == 0 {
		t.Errorf("the first example should show every reward type and a product: %+v", c)
	}

	// The error example: a numbered file, then the report it gets.
	blocks := regexp.MustCompile("(?s)```text\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) < 2 {
		t.Fatal("docs/campaigns.md lacks the error example")
	}
	file := regexp.MustCompile(`(?m)^\d+ {1,2}`).ReplaceAll(blocks[0][1], nil)
	_, err = campaignfile.Parse(file)
	if err == nil || err.Error()+"\n" != string(blocks[1][1]) {
		t.Errorf("the error example of docs/campaigns.md is reported as\n%v\nnot\n%s", err, blocks[1][1])
	}
}
