package docscan

import (
	"regexp"
	"strings"

	"github.com/milepost/milepost"
)

// Address is a US postal address as printed on a document or kept in a profile.
type Address struct {
	Line1 string // house number and street, or PO box
	Line2 string // unit: "APT 4B", "UNIT 5C", "# 12"
	City  string
	State string // two-letter USPS code once parsed or normalised
	Zip   string
}

// FromProfile converts a profile's address; Country is always US and is dropped.
func FromProfile(a milepost.Address) Address {
	return Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, Zip: a.Zip}
}

// IsZero reports whether no field is set.
func (a Address) IsZero() bool { return a == Address{} }

// String is the address on one line, as reviewers read it.
func (a Address) String() string {
	street := strings.TrimSpace(a.Line1 + " " + a.Line2)
	cityLine := strings.TrimSpace(strings.TrimSpace(a.State + " " + a.Zip))
	if a.City != "" {
		cityLine = strings.TrimSpace(a.City + ", " + cityLine)
	}
	switch {
	case street == "":
		return cityLine
	case cityLine == "":
		return street
	}
	return street + ", " + cityLine
}

// stateCodes are the USPS codes: the states, DC, the inhabited territories and the military.
var stateCodes = map[string]string{
	"ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
	"COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
	"FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
	"INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
	"MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
	"MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
	"NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
	"NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
	"PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
	"TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
	"WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
	"PUERTO RICO": "PR", "GUAM": "GU", "VIRGIN ISLANDS": "VI", "AMERICAN SAMOA": "AS",
	"NORTHERN MARIANA ISLANDS": "MP",
}

var validState = func() map[string]bool {
	m := map[string]bool{"AA": true, "AE": true, "AP": true}
	for _, c := range stateCodes {
		m[c] = true
	}
	return m
}()

// StateCode returns the USPS code for a two-letter code or a full state name in any case
// ("or", "Oregon"), and "" when s is neither.
func StateCode(s string) string {
	u := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(s, ".", "")), " "))
	if validState[u] {
		return u
	}
	return stateCodes[u]
}

// USPS abbreviations (Publication 28) for the words that vary most between documents.
var (
	suffixAbbr = map[string]string{
		"ALLEY": "ALY", "AVENUE": "AVE", "AV": "AVE", "AVEN": "AVE", "BOULEVARD": "BLVD", "BOUL": "BLVD",
		"CENTER": "CTR", "CIRCLE": "CIR", "COURT": "CT", "COVE": "CV", "CROSSING": "XING",
		"DRIVE": "DR", "DRV": "DR", "EXPRESSWAY": "EXPY", "FREEWAY": "FWY", "GARDENS": "GDNS",
		"GROVE": "GRV", "HEIGHTS": "HTS", "HIGHWAY": "HWY", "HILL": "HL", "LANE": "LN",
		"LOOP": "LOOP", "MANOR": "MNR", "PARKWAY": "PKWY", "PKY": "PKWY", "PIKE": "PIKE",
		"PLACE": "PL", "PLAZA": "PLZ", "POINT": "PT", "RIDGE": "RDG", "ROAD": "RD", "ROUTE": "RTE",
		"RUN": "RUN", "SQUARE": "SQ", "STREET": "ST", "STR": "ST", "TERRACE": "TER",
		"TRAIL": "TRL", "TURNPIKE": "TPKE", "VIEW": "VW", "WAY": "WAY",
	}
	suffixes = func() map[string]bool {
		m := map[string]bool{}
		for _, v := range suffixAbbr {
			m[v] = true
		}
		return m
	}()
	directionAbbr = map[string]string{
		"NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
		"NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
	}
	directions = map[string]bool{"N": true, "S": true, "E": true, "W": true, "NE": true, "NW": true, "SE": true, "SW": true}
	ordinals   = map[string]string{
		"FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH",
		"SIXTH": "6TH", "SEVENTH": "7TH", "EIGHTH": "8TH", "NINTH": "9TH", "TENTH": "10TH",
		"ELEVENTH": "11TH", "TWELFTH": "12TH",
	}
	// unitAbbr maps secondary unit designators to their USPS form; "#" stands alone.
	unitAbbr = map[string]string{
		"APARTMENT": "APT", "APT": "APT", "UNIT": "UNIT", "SUITE": "STE", "STE": "STE",
		"ROOM": "RM", "RM": "RM", "FLOOR": "FL", "FL": "FL", "BUILDING": "BLDG", "BLDG": "BLDG",
		"SPACE": "SPC", "SPC": "SPC", "LOT": "LOT", "TRAILER": "TRLR", "TRLR": "TRLR",
		"DEPARTMENT": "DEPT", "DEPT": "DEPT", "#": "#", "NO": "#",
	}
	cityAbbr = map[string]string{"SAINT": "ST", "FORT": "FT", "MOUNT": "MT"}
)

var (
	poBoxRe    = regexp.MustCompile(`^(?:P\s*O|POST OFFICE)\s*(?:BOX|BX)\s*#?\s*(\w+)`)
	zipDigitRe = regexp.MustCompile(`\d{5}`)
)

// addrTokens upper-cases and folds s and splits it into words, keeping "#", "1/2" and
// hyphenated house numbers ("12-34") and separating "#12" into "#", "12".
func addrTokens(s string) []string {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if f, ok := foldTable[r]; ok && len(f) == 1 {
			return rune(f[0])
		}
		switch {
		case r == '#' || r == '/' || r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
			return r
		case r == '.' || r == '\'' || r == '’':
			return -1
		}
		return ' '
	}, s))
	var out []string
	for _, f := range strings.Fields(s) {
		if len(f) > 1 && f[0] == '#' {
			out = append(out, "#", f[1:])
			continue
		}
		f = strings.Trim(f, "-/")
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// NormalizeAddress returns a in USPS style for comparison: upper case without accents or
// punctuation; street suffixes, directionals, ordinal words and unit designators abbreviated
// (Street → ST, North → N, Second → 2ND, Apartment → APT); a unit written on Line1 moved to
// Line2; "P.O. Box" as "PO BOX"; full state names as codes; the ZIP code cut to five digits.
func NormalizeAddress(a Address) Address {
	street, unit := splitUnit(addrTokens(a.Line1))
	if u2 := normalizeUnit(addrTokens(a.Line2)); u2 != "" {
		unit = u2
	}
	n := Address{Line1: normalizeStreet(street), Line2: unit}
	city := addrTokens(a.City)
	for i, t := range city {
		if v, ok := cityAbbr[t]; ok {
			city[i] = v
		}
	}
	n.City = strings.Join(city, " ")
	n.State = StateCode(a.State)
	if n.State == "" {
		n.State = strings.ToUpper(strings.TrimSpace(a.State))
	}
	n.Zip = zipDigitRe.FindString(a.Zip)
	return n
}

// splitUnit separates a trailing unit ("APT 4B", "# 12", "UNIT 5C") from the street words.
func splitUnit(toks []string) (street []string, unit string) {
	for i := 1; i < len(toks); i++ {
		if _, ok := unitAbbr[toks[i]]; ok && i+1 < len(toks) && (toks[i] != "NO" || isUnitID(toks[i+1])) {
			if u := normalizeUnit(toks[i:]); u != "" {
				return toks[:i], u
			}
		}
	}
	return toks, ""
}

func isUnitID(s string) bool { return strings.ContainsAny(s, "0123456789") || len(s) == 1 }

// normalizeUnit reads a unit line ("Apt. #4B", "Unit 5C", "#12", "4B") as "APT 4B".
func normalizeUnit(toks []string) string {
	if len(toks) == 0 {
		return ""
	}
	des := "#"
	if v, ok := unitAbbr[toks[0]]; ok {
		des, toks = v, toks[1:]
	}
	if len(toks) > 0 && toks[0] == "#" {
		toks = toks[1:]
	}
	if len(toks) == 0 {
		return ""
	}
	return des + " " + strings.Join(toks, " ")
}

// normalizeStreet abbreviates the words of a street line.
func normalizeStreet(toks []string) string {
	joined := strings.Join(toks, " ")
	if m := poBoxRe.FindStringSubmatch(joined); m != nil {
		return "PO BOX " + m[1]
	}
	out := make([]string, 0, len(toks))
	for i, t := range toks {
		if v, ok := ordinals[t]; ok {
			t = v
		}
		if v, ok := directionAbbr[t]; ok && len(toks) > 3 {
			t = v // "West 43rd Street" → "W 43RD ST", but "North Street" keeps its name
		}
		if v, ok := suffixAbbr[t]; ok && (i == len(toks)-1 || i == len(toks)-2 && directions[directionOf(toks[i+1])]) {
			t = v // only as the last word, or before a trailing directional: "Avenue of the Americas" stays
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}

func directionOf(t string) string {
	if v, ok := directionAbbr[t]; ok {
		return v
	}
	return t
}
