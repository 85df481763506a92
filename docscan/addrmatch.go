package docscan

import (
	"fmt"
	"strings"
)

// AddressMatch is how well a document's address matches the expected one.
type AddressMatch struct {
	Score  float64 // 0–1: street 0.5, house number 0.2, ZIP 0.15, city 0.1, unit 0.05
	Match  bool
	Reason string // plain English for reviewers
}

// Thresholds of CompareAddress.
const (
	StreetThreshold  = 0.88 // Jaro–Winkler of the street names without directionals and suffixes
	CityThreshold    = 0.85 // only used when a ZIP code is missing on one side
	AddressThreshold = 0.85 // overall score
)

// CompareAddress compares the address printed on a document (doc) with the expected one
// (want: the profile's or the one submitted with the check-in). It tolerates abbreviations,
// accents, punctuation, a missing directional or suffix, ZIP+4 and unit formatting ("Apt 4B",
// "#4B", "Unit 4B"), but never a different house number, ZIP code, state or unit.
func CompareAddress(doc, want Address) AddressMatch {
	a, b := NormalizeAddress(doc), NormalizeAddress(want)
	if a.Line1 == "" {
		return AddressMatch{Reason: "no street address was found on the document"}
	}
	if b.Line1 == "" {
		return AddressMatch{Reason: "there is no expected street address to compare with"}
	}
	got, exp := doc.String(), want.String()
	houseA, streetA := splitHouse(a.Line1)
	houseB, streetB := splitHouse(b.Line1)
	unitA, unitB := unitID(a.Line2), unitID(b.Line2)
	streetSim := jaroWinkler(streetCore(streetA), streetCore(streetB))
	citySim := jaroWinkler(a.City, b.City)
	score := 0.5*streetSim + 0.1*citySim
	score += 0.2 * same(houseA, houseB) * boolF(houseA == houseB)
	score += 0.15 * boolF(a.Zip != "" && a.Zip == b.Zip)
	score += 0.05 * boolF(unitA == unitB)
	m := AddressMatch{Score: score}
	switch {
	case houseA != houseB:
		m.Reason = fmt.Sprintf("the document's address is %s, not %s: the house number differs (%s, not %s)", got, exp, orNone(houseA), orNone(houseB))
	case a.Zip != "" && b.Zip != "" && a.Zip != b.Zip:
		m.Reason = fmt.Sprintf("the document's address is %s, not %s: the ZIP code differs (%s, not %s)", got, exp, a.Zip, b.Zip)
	case a.State != "" && b.State != "" && a.State != b.State:
		m.Reason = fmt.Sprintf("the document's address is %s, not %s: the state differs", got, exp)
	case streetSim < StreetThreshold:
		m.Reason = fmt.Sprintf("the document's address is %s, not %s: the street differs", got, exp)
	case unitA != "" && unitB != "" && unitA != unitB:
		m.Reason = fmt.Sprintf("the document's address is %s, not %s: the unit differs (%s, not %s)", got, exp, unitA, unitB)
	case (a.Zip == "" || b.Zip == "") && citySim < CityThreshold:
		m.Reason = fmt.Sprintf("the document's address is %s, not %s: the city differs and a ZIP code is missing", got, exp)
	case score < AddressThreshold:
		m.Reason = fmt.Sprintf("the document's address %s only partly matches %s", got, exp)
	default:
		m.Match = true
		m.Reason = fmt.Sprintf("the document's address %s matches %s", got, exp)
		if unitA != unitB {
			m.Reason += " (the unit is printed on one of them only)"
		}
	}
	return m
}

// BestAddressMatch compares every address found on the document with want and returns the
// best comparison: a bill's service address may match where its mailing address does not.
func BestAddressMatch(ins Insights, want Address) AddressMatch {
	list := ins.Addresses
	if len(list) == 0 && !ins.Address.IsZero() {
		list = []Address{ins.Address}
	}
	if len(list) == 0 {
		return CompareAddress(Address{}, want)
	}
	best := CompareAddress(list[0], want)
	for _, a := range list[1:] {
		if m := CompareAddress(a, want); m.Match && !best.Match || m.Match == best.Match && m.Score > best.Score {
			best = m
		}
	}
	return best
}

// splitHouse separates the house number (or "PO BOX n") from the street words.
func splitHouse(line1 string) (house, street string) {
	if strings.HasPrefix(line1, "PO BOX ") {
		return line1, ""
	}
	first, rest, _ := strings.Cut(line1, " ")
	if first != "" && first[0] >= '0' && first[0] <= '9' {
		if f, r, ok := strings.Cut(rest, " "); ok && strings.Contains(f, "/") { // "123 1/2 MAIN ST"
			return first + " " + f, r
		}
		return first, rest
	}
	return "", line1
}

// streetCore drops directionals and the suffix: "SE HAWTHORNE BLVD" → "HAWTHORNE", so a
// document that leaves them out still matches.
func streetCore(street string) string {
	words := strings.Fields(street)
	var core []string
	for i, w := range words {
		if directions[w] && len(words) > 1 || suffixes[w] && i == len(words)-1 && i > 0 {
			continue
		}
		core = append(core, w)
	}
	if len(core) == 0 {
		return street
	}
	return strings.Join(core, " ")
}

// unitID is the unit without its designator: "APT 4B" and "# 4B" are both "4B".
func unitID(line2 string) string {
	_, id, ok := strings.Cut(line2, " ")
	if !ok {
		return line2
	}
	return strings.ReplaceAll(id, " ", "")
}

func same(a, b string) float64 {
	if a == "" && b == "" {
		return 0.5
	}
	return 1
}

func boolF(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
