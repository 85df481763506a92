package milepost

import (
	"regexp"
	"strings"
)

// Address is a postal address in the United States.
type Address struct {
	Line1   string
	Line2   string
	City    string
	State   string // two-letter USPS code, upper case
	Country string // two-letter ISO code; always "US"
	Zip     string
}

// usStates are the USPS codes accepted as a state: the 50 states, DC, the inhabited
// territories and the armed-forces codes.
var usStates = map[string]bool{
	"AL": true, "AK": true, "AZ": true, "AR": true, "CA": true, "CO": true, "CT": true, "DE": true,
	"FL": true, "GA": true, "HI": true, "ID": true, "IL": true, "IN": true, "IA": true, "KS": true,
	"KY": true, "LA": true, "ME": true, "MD": true, "MA": true, "MI": true, "MN": true, "MS": true,
	"MO": true, "MT": true, "NE": true, "NV": true, "NH": true, "NJ": true, "NM": true, "NY": true,
	"NC": true, "ND": true, "OH": true, "OK": true, "OR": true, "PA": true, "RI": true, "SC": true,
	"SD": true, "TN": true, "TX": true, "UT": true, "VT": true, "VA": true, "WA": true, "WV": true,
	"WI": true, "WY": true, "DC": true,
	"PR": true, "GU": true, "VI": true, "AS": true, "MP": true,
	"AA": true, "AE": true, "AP": true,
}

// NormalizeState returns the upper-case USPS code for s, or a CodeInvalid error with reason
// ERROR_INVALID_STATE_CODE naming param when s is not a US state code.
func NormalizeState(param, s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if !usStates[code] {
		return "", &Error{Code: CodeInvalid, Reason: ReasonInvalidStateCode, Params: []string{param},
			Message: "Invalid state code " + quote(s) + " passed in " + param + ": use a 2-letter US state code such as CA."}
	}
	return code, nil
}

var zipPattern = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

// Normalize checks the address and returns it trimmed, with upper-case state and country "US".
// A missing or unknown state is ERROR_INVALID_STATE_CODE; any other fault is
// ERROR_INVALID_PARAMETERS. prefix names the field in messages ("address").
func (a Address) Normalize(prefix string) (Address, error) {
	a.Line1 = strings.TrimSpace(a.Line1)
	a.Line2 = strings.TrimSpace(a.Line2)
	a.City = strings.TrimSpace(a.City)
	a.Zip = strings.TrimSpace(a.Zip)
	if strings.TrimSpace(a.State) == "" {
		return a, &Error{Code: CodeInvalid, Reason: ReasonInvalidStateCode, Params: []string{prefix + ".state"},
			Message: prefix + ".state is required: use a 2-letter US state code such as CA."}
	}
	st, err := NormalizeState(prefix+".state", a.State)
	if err != nil {
		return a, err
	}
	a.State = st
	switch strings.ToUpper(strings.TrimSpace(a.Country)) {
	case "", "US", "USA":
		a.Country = "US"
	default:
		return a, Invalidf(prefix+".country", "%s.country must be US.", prefix)
	}
	if a.Zip != "" && !zipPattern.MatchString(a.Zip) {
		return a, Invalidf(prefix+".zip", "%s.zip must be a US ZIP code such as 94105 or 94105-1234.", prefix)
	}
	for _, f := range []struct{ name, v string }{{"addressLine1", a.Line1}, {"addressLine2", a.Line2}, {"city", a.City}} {
		if len(f.v) > 200 {
			return a, Invalidf(prefix+"."+f.name, "%s.%s must be at most 200 characters.", prefix, f.name)
		}
	}
	return a, nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + s + `"`
}
