package console

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
)

// funcs are the helpers templates format values with. Times are shown in UTC with the zone
// written out: reviewers and users may sit in different zones, and the signals speak UTC.
var funcs = template.FuncMap{
	"asset":       assetURL,
	"when":        when,
	"whenp":       whenPtr,
	"iso":         func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"day":         func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"dollars":     dollars,
	"number":      number,
	"typeLabel":   typeLabel,
	"statusClass": func(s any) string { return "status status-" + strings.ToLower(toString(s)) },
	"verdict":     verdictLabel,
	"flag":        flag,
}

// flag writes an optional yes/no: "" when it was not set.
func flag(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

const timeLayout = "2006-01-02 15:04 MST"

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format(timeLayout)
}

func whenPtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return when(*t)
}

// dollars formats cents as US dollars: 250 → "$2.50".
func dollars(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + "$" + group(strconv.FormatInt(cents/100, 10)) + "." + strconv.FormatInt(cents%100+100, 10)[1:]
}

// number formats an integer or a float (rounded) with thousands separators: 12345 → "12,345".
func number(v any) string {
	switch n := v.(type) {
	case int:
		return signed(int64(n))
	case int64:
		return signed(n)
	case float64:
		return signed(int64(math.Round(n)))
	}
	return toString(v)
}

func signed(n int64) string {
	if n < 0 {
		return "-" + group(strconv.FormatInt(-n, 10))
	}
	return group(strconv.FormatInt(n, 10))
}

// group puts a comma between each group of three digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func typeLabel(t milepost.CheckinType) string {
	switch t {
	case milepost.CheckinMileage:
		return "Mileage"
	case milepost.CheckinCondition:
		return "Condition"
	case milepost.CheckinProofOfAddress:
		return "Proof of address"
	}
	return string(t)
}

func verdictLabel(v milepost.Verdict) string {
	switch v {
	case milepost.VerdictPass:
		return "Passed"
	case milepost.VerdictHold:
		return "Needs review"
	case milepost.VerdictDecline:
		return "Decline"
	}
	return string(v)
}

func toString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case milepost.CheckinStatus:
		return string(s)
	case milepost.RewardStatus:
		return string(s)
	case milepost.Verdict:
		return string(s)
	}
	return ""
}
