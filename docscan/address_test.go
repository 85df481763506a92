package docscan

import (
	"strings"
	"testing"

	"github.com/milepost/milepost"
)

func TestNormalizeAddress(t *testing.T) {
	tests := []struct {
		in, want Address
	}{
		{Address{"4821 Southeast Hawthorne Boulevard", "Apartment #12", "Portland", "Oregon", "97215-3322"},
			Address{"4821 SE HAWTHORNE BLVD", "APT 12", "PORTLAND", "OR", "97215"}},
		{Address{"77 West 43rd Street, Unit 5C", "", "New York", "ny", "10036"},
			Address{"77 W 43RD ST", "UNIT 5C", "NEW YORK", "NY", "10036"}},
		{Address{"12 Second Ave. #3", "", "Saint Paul", "MN", "55101"},
			Address{"12 2ND AVE", "# 3", "ST PAUL", "MN", "55101"}},
		{Address{"P.O. Box 4404", "", "Portland", "OR", "97208"},
			Address{"PO BOX 4404", "", "PORTLAND", "OR", "97208"}},
		{Address{"100 North Street", "", "Dallas", "TX", "75201"},
			Address{"100 NORTH ST", "", "DALLAS", "TX", "75201"}},
		{Address{"1 Avenue of the Americas", "Suite 300", "New York", "NY", "10020"},
			Address{"1 AVENUE OF THE AMERICAS", "STE 300", "NEW YORK", "NY", "10020"}},
		{Address{"55 Elm St.", "#2", "Springfield", "MA", "01103"},
			Address{"55 ELM ST", "# 2", "SPRINGFIELD", "MA", "01103"}},
		{Address{"123 ½ Main Street", "Apt. 4-B", "Mañana", "ZZ", "1234"},
			Address{"123 MAIN ST", "APT 4-B", "MANANA", "ZZ", ""}},
	}
	for _, tt := range tests {
		if got := NormalizeAddress(tt.in); got != tt.want {
			t.Errorf("NormalizeAddress(%+v)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestStateCode(t *testing.T) {
	for in, want := range map[string]string{"or": "OR", "Oregon": "OR", "new  york": "NY", "D.C.": "DC", "District of Columbia": "DC", "XX": "", "": "", "Puerto Rico": "PR"} {
		if got := StateCode(in); got != want {
			t.Errorf("StateCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompareAddress(t *testing.T) {
	profile := Address{"4821 SE Hawthorne Blvd", "Apt 12", "Portland", "OR", "97215"}
	tests := []struct {
		name   string
		doc    Address
		match  bool
		reason string
	}{
		{"same", profile, true, "the document's address 4821 SE Hawthorne Blvd Apt 12, Portland, OR 97215 matches"},
		{"spelled out, ZIP+4, unit as #", Address{"4821 Southeast Hawthorne Boulevard #12", "", "PORTLAND", "Oregon", "97215-3322"}, true, ""},
		{"unit on line 1 with Unit", Address{"4821 SE HAWTHORNE BLVD UNIT 12", "", "Portland", "OR", "97215"}, true, ""},
		{"no directional, typo", Address{"4821 Hawthrone Blvd", "Apt 12", "Portland", "OR", "97215"}, true, ""},
		{"unit missing on the document", Address{"4821 SE Hawthorne Blvd", "", "Portland", "OR", "97215"}, true, "(the unit is printed on one of them only)"},
		{"city differs but ZIP agrees", Address{"4821 SE Hawthorne Blvd", "Apt 12", "Mt Tabor", "OR", "97215"}, true, ""},
		{"house number differs", Address{"4823 SE Hawthorne Blvd", "Apt 12", "Portland", "OR", "97215"}, false, "house number differs (4823, not 4821)"},
		{"ZIP differs", Address{"4821 SE Hawthorne Blvd", "Apt 12", "Portland", "OR", "97214"}, false, "ZIP code differs (97214, not 97215)"},
		{"unit differs", Address{"4821 SE Hawthorne Blvd", "Apt 14", "Portland", "OR", "97215"}, false, "unit differs (14, not 12)"},
		{"street differs", Address{"4821 SE Belmont St", "Apt 12", "Portland", "OR", "97215"}, false, "the street differs"},
		{"state differs", Address{"4821 SE Hawthorne Blvd", "Apt 12", "Portland", "ME", ""}, false, "the state differs"},
		{"PO box", Address{"PO Box 4404", "", "Portland", "OR", "97215"}, false, "house number differs"},
		{"nothing found", Address{}, false, "no street address was found on the document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := CompareAddress(tt.doc, profile)
			if m.Match != tt.match || !strings.Contains(m.Reason, tt.reason) {
				t.Errorf("got %+v, want match %v, reason with %q", m, tt.match, tt.reason)
			}
			if m.Match && m.Score < AddressThreshold || m.Score > 1 {
				t.Errorf("score %v", m.Score)
			}
		})
	}
}

func TestBestAddressMatch(t *testing.T) {
	ins := ParseInsights(utilityBill, now)
	want := Address{"4821 SE Hawthorne Blvd", "Apt 12", "Portland", "OR", "97215"}
	if m := BestAddressMatch(ins, want); !m.Match {
		t.Fatalf("%+v", m)
	}
	// A bill mailed to a PO box still proves the service address printed on it.
	mailed := Insights{Addresses: []Address{{"PO Box 99", "", "Portland", "OR", "97215"}, want}}
	if m := BestAddressMatch(mailed, want); !m.Match {
		t.Fatalf("%+v", m)
	}
	if m := BestAddressMatch(Insights{}, want); m.Match || m.Reason != "no street address was found on the document" {
		t.Fatalf("%+v", m)
	}
}

func TestFromProfile(t *testing.T) {
	p := milepost.Address{Line1: "1 Main St", Line2: "Apt 2", City: "Austin", State: "TX", Country: "US", Zip: "78701"}
	if got := FromProfile(p); got != (Address{"1 Main St", "Apt 2", "Austin", "TX", "78701"}) {
		t.Fatalf("%+v", got)
	}
}
