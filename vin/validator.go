package vin

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/milepost/milepost"
)

// Validator is the built-in milepost.VINValidator: VIN form, check digit, model-year code and
// WMI from a Table. It is immutable and safe for concurrent use; create it with New (the zero
// Validator has no table).
type Validator struct {
	table Table
	now   func() time.Time
}

var _ milepost.VINValidator = (*Validator)(nil)

// Option configures a Validator.
type Option func(*Validator)

// WithTable makes the Validator look manufacturers up in t instead of the built-in table.
func WithTable(t Table) Option { return func(v *Validator) { v.table = t } }

// WithClock sets the clock that bounds model years (at most two years ahead of now), so tests
// do not depend on the date they run.
func WithClock(now func() time.Time) Option { return func(v *Validator) { v.now = now } }

// New returns a Validator; without WithTable it uses the built-in WMI table, parsed on the
// first call in the process.
func New(opts ...Option) *Validator {
	v := &Validator{now: time.Now}
	for _, o := range opts {
		o(v)
	}
	if v.table == nil {
		v.table = Builtin()
	}
	return v
}

// NewWithTable returns a Validator whose WMI table is read from r, in the format of the
// built-in wmi.csv.gz (see ReadTable); a table that cannot be read is an error.
func NewWithTable(r io.Reader, opts ...Option) (*Validator, error) {
	t, err := ReadTable(r)
	if err != nil {
		return nil, err
	}
	return New(append(opts[:len(opts):len(opts)], WithTable(t))...), nil
}

// ValidateVIN implements milepost.VINValidator. The VIN is trimmed and upper-cased, then must
// be 17 characters of the VIN alphabet, have a right check digit when its WMI is North-American
// (first character 1-5), belong to a known WMI and have a valid model-year code. A non-empty
// make must be one of the manufacturer's, and a non-zero year one the model-year code stands
// for. A failure is a CodeInvalid *milepost.Error naming the field ("vin", "make" or "year")
// whose message says which check failed; the VINInfo is then empty.
func (v *Validator) ValidateVIN(vin, make string, year int) (milepost.VINInfo, error) {
	s := milepost.NormalizeVIN(vin)
	if err := checkForm(s); err != nil {
		return milepost.VINInfo{}, err
	}
	// The check digit is computed from the whole VIN, so its failure is the likeliest sign of
	// a typo anywhere: report it before the checks of single parts.
	want, _ := CheckDigit(s)
	digitOK := s[8] == want
	if !digitOK && northAmerican(s) {
		return milepost.VINInfo{}, milepost.Invalidf("vin",
			"vin check digit (position 9) is %c but should be %c.", s[8], want)
	}
	rec, ok := v.table.LookupVIN(s)
	if !ok {
		if s[2] == '9' {
			return milepost.VINInfo{}, milepost.Invalidf("vin",
				"vin WMI %q (or %q with positions 12-14) is not a known manufacturer.", s[:3], s[:3]+s[11:14])
		}
		return milepost.VINInfo{}, milepost.Invalidf("vin", "vin WMI %q is not a known manufacturer.", s[:3])
	}
	var years [maxYearsPerCode]int
	maxYear := v.now().Year() + 2
	n := modelYears(&years, s[9], maxYear)
	if n == 0 {
		if yearBase[s[9]] == 0 {
			return milepost.VINInfo{}, milepost.Invalidf("vin",
				"vin model-year code (position 10) %q is not a valid model-year code "+
					"(digits 1-9 and letters other than I, O, Q, U and Z).", s[9:10])
		}
		return milepost.VINInfo{}, milepost.Invalidf("vin",
			"vin model-year code (position 10) %q stands for %d, later than %d.", s[9:10], yearBase[s[9]], maxYear)
	}
	if make != "" {
		var buf [64]byte
		norm := appendNorm(buf[:0], make)
		if !makeMatches(norm, &rec) {
			return milepost.VINInfo{}, milepost.Invalidf("make",
				"make %s does not match the VIN's manufacturer (%s).", quote(make), describe(&rec))
		}
	}
	if year != 0 && !slices.Contains(years[:n], year) {
		return milepost.VINInfo{}, milepost.Invalidf("year",
			"year %d does not match the VIN's model-year code %q (%s).", year, s[9:10], orList(years[:n]))
	}
	wmi := rec.WMI
	if wmi == "" { // a Table that does not say which key matched
		wmi = s[:3]
	}
	return milepost.VINInfo{
		VIN:             s,
		WMI:             wmi,
		Manufacturer:    rec.Manufacturer,
		Makes:           slices.Clone(rec.Makes), // the table's slice is shared
		Country:         rec.Country,
		VehicleType:     rec.VehicleType,
		ModelYears:      slices.Clone(years[:n]),
		CheckDigitValid: digitOK,
	}, nil
}

// checkForm checks that s is 17 characters of the VIN alphabet.
func checkForm(s string) error {
	if s == "" {
		return milepost.Invalidf("vin", "vin is required.")
	}
	if n := utf8.RuneCountInString(s); n != 17 {
		return milepost.Invalidf("vin", "vin must be 17 characters (got %d).", n)
	}
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case r == 'I' || r == 'O' || r == 'Q':
			return milepost.Invalidf("vin",
				"vin contains %c at position %d, which VINs never use (they leave out I, O and Q).", r, pos)
		case r >= utf8.RuneSelf || vinValue[r] == 0xFF:
			return milepost.Invalidf("vin",
				"vin contains %s at position %d: a VIN has only digits and letters other than I, O and Q.",
				strconv.QuoteRune(r), pos)
		}
	}
	return nil
}

// northAmerican tells whether the VIN's WMI was assigned in North America (1-5: United States,
// Canada, Mexico), where 49 CFR 565 makes the check digit mandatory; elsewhere position 9 is
// often just a filler.
func northAmerican(s string) bool { return s[0] >= '1' && s[0] <= '5' }

// describe names a record for an error message: "HONDA MOTOR CO., LTD.: Acura".
func describe(rec *Record) string {
	const maxMakes = 5
	var b strings.Builder
	b.WriteString(rec.Manufacturer)
	for i, m := range rec.Makes {
		switch {
		case i == 0 && rec.Manufacturer != "":
			b.WriteString(": ")
		case i == 0:
		case i == maxMakes:
			fmt.Fprintf(&b, " and %d more", len(rec.Makes)-maxMakes)
			return b.String()
		default:
			b.WriteString(", ")
		}
		b.WriteString(m)
	}
	return b.String()
}

// orList lists model years oldest first: "1993 or 2023".
func orList(years []int) string {
	var b strings.Builder
	for i := len(years) - 1; i >= 0; i-- {
		if i != len(years)-1 {
			if i == 0 {
				b.WriteString(" or ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(strconv.Itoa(years[i]))
	}
	return b.String()
}

// quote shows client input in a message, cut to 40 characters so one field cannot flood it.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return strconv.Quote(s)
}
