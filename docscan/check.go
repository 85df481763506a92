package docscan

import (
	"fmt"
	"time"
)

// DefaultMaxAgeDays is how old a proof-of-address document may be: 90 days, the window
// banks and agencies use, which a monthly bill or statement always meets.
const DefaultMaxAgeDays = 90

// DocumentAge is how long before now the document was dated, and false when it has no date.
// A date up to the parser's tolerance in the future counts as age zero.
func DocumentAge(ins Insights, now time.Time) (time.Duration, bool) {
	if ins.DocumentDate == nil {
		return 0, false
	}
	return max(0, now.Sub(*ins.DocumentDate)), true
}

// OlderThan reports whether the document is dated more than days calendar days before now's
// date (in UTC, as document dates are); known is false when the document has no date.
func OlderThan(ins Insights, now time.Time, days int) (old, known bool) {
	if ins.DocumentDate == nil {
		return false, false
	}
	y, m, d := now.UTC().Date()
	cutoff := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -days)
	return ins.DocumentDate.Before(cutoff), true
}

// Expected is what a proof-of-address document must show: the user's name and the address
// submitted with the check-in (or, when none was, the profile's).
type Expected struct {
	FirstName, LastName string
	Submitted           Address
	Profile             Address
}

// Review is the outcome of checking one document against what is expected.
type Review struct {
	Hold    bool     // the check-in goes OnHold for a reviewer
	Reasons []string // why, in plain English; empty when nothing is wrong
	Name    NameMatch
	Address AddressMatch
	Age     time.Duration
	Dated   bool // a document date was found
}

// ReviewDocument applies the proof-of-address rules: the document must name the user, show the
// expected address and be at most maxAgeDays old (<= 0: DefaultMaxAgeDays). A missing name,
// address or date also holds the check-in, since a reviewer must then look.
func ReviewDocument(ins Insights, want Expected, now time.Time, maxAgeDays int) Review {
	if maxAgeDays <= 0 {
		maxAgeDays = DefaultMaxAgeDays
	}
	r := Review{Name: CompareName(want.FirstName, want.LastName, ins)}
	if !r.Name.Match {
		r.Reasons = append(r.Reasons, r.Name.Reason)
	}
	target := want.Submitted
	if target.IsZero() {
		target = want.Profile
	}
	r.Address = BestAddressMatch(ins, target)
	if !r.Address.Match {
		r.Reasons = append(r.Reasons, r.Address.Reason)
	}
	r.Age, r.Dated = DocumentAge(ins, now)
	switch old, known := OlderThan(ins, now, maxAgeDays); {
	case !known:
		r.Reasons = append(r.Reasons, "no issue date was found on the document")
	case old:
		r.Reasons = append(r.Reasons, fmt.Sprintf("the document is dated %s, %d days ago (more than %d)",
			ins.DocumentDate.Format("Jan 2, 2006"), int(r.Age.Hours()/24), maxAgeDays))
	}
	r.Hold = len(r.Reasons) > 0
	return r
}
