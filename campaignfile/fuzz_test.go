package campaignfile_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/milepost/milepost/campaignfile"
)

// FuzzParse checks that Parse never panics, fails only with *Errors whose problems all have a
// message, and that what it accepts survives Format and Parse again unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		validFile,
		"",
		"partner: p\ncampaign: c\n",
		"partner: p\ncampaign: c\nrewards: {mileage: {amount: 1.005, cadenceDays: x}}\n",
		"partner: &a p\ncampaign: *a\n",
		"- a\n- b\n",
		"a: [\n",
		"partner: p\ncampaign: c\n---\nx: 1\n",
		"partner: p\ncampaign: c\nproducts:\n  - {id: a, name: A, category: visa, images: [{src: 'https://x'}]}\n",
		"partner: p\ncampaign: c\nrewards:\n  proofOfAddress: {amount: .5, cadenceDays: 0, photoBonus: 0.01}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := campaignfile.Parse(data)
		if err != nil {
			var e *campaignfile.Errors
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty *Errors", err, err)
			}
			for _, p := range e.Problems {
				if p.Message == "" || p.Line < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
			if c != nil {
				t.Fatal("a campaign returned with an error")
			}
			return
		}
		out, err := campaignfile.Format(c)
		if err != nil {
			t.Fatalf("Format of a parsed campaign: %v", err)
		}
		c2, err := campaignfile.Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(Parse(data))): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip changed the campaign:\n%+v\n%+v\n%s", c, c2, out)
		}
	})
}
