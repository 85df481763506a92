package milepost

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
)

// KilometersPerMile is exact by definition (the international mile).
const KilometersPerMile = 1.609344

// DistanceUnit is the unit of a distance or an odometer value.
type DistanceUnit string

// The two units.
const (
	Miles      DistanceUnit = "mi"
	Kilometers DistanceUnit = "km"
)

// ToMiles converts v in unit u to miles.
func ToMiles(v float64, u DistanceUnit) float64 {
	if u == Kilometers {
		return v / KilometersPerMile
	}
	return v
}

// ToKilometers converts v in unit u to kilometres.
func ToKilometers(v float64, u DistanceUnit) float64 {
	if u == Miles {
		return v * KilometersPerMile
	}
	return v
}

// OdometerRegistration is a workshop's odometer reading of a VIN during a ticket (the Jifeline
// API), in kilometres. IsBreaking flags a value lower than the previous registration of the same
// VIN; such a registration is stored, never refused.
type OdometerRegistration struct {
	ID         string
	PartnerID  string
	VIN        string
	ValueKm    float64
	TicketID   string
	IsBreaking bool
	CreatedAt  time.Time
}

// NewOdometerRegistration is the input of a registration.
type NewOdometerRegistration struct {
	VIN      string
	ValueKm  float64
	TicketID string
}

var (
	vinShape  = regexp.MustCompile(`^[A-HJ-NPR-Z0-9]{17}$`)
	uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// ValidVINShape reports whether s (already upper case) is 17 characters of the VIN alphabet.
// Registrations and lookups by VIN check only this: a workshop reads the VIN off the car, and
// European VINs carry no check digit.
func ValidVINShape(s string) bool { return vinShape.MatchString(s) }

// ValidUUID reports whether s is a UUID in its canonical text form.
func ValidUUID(s string) bool { return uuidShape.MatchString(s) }

// Validate checks a registration: value 1 to 1e9 km, VIN of 17 VIN characters, ticket_id a UUID.
func (in NewOdometerRegistration) Validate() (NewOdometerRegistration, error) {
	in.VIN = NormalizeVIN(in.VIN)
	in.TicketID = strings.ToLower(strings.TrimSpace(in.TicketID))
	if math.IsNaN(in.ValueKm) || in.ValueKm < 1 || in.ValueKm > 1e9 {
		return in, Invalidf("value", "value must be between 1 and 1000000000 (kilometres).")
	}
	if !ValidVINShape(in.VIN) {
		return in, Invalidf("vin", "vin must be exactly 17 characters of the VIN alphabet (digits and letters except I, O, Q).")
	}
	if !ValidUUID(in.TicketID) {
		return in, Invalidf("ticket_id", "ticket_id must be a UUID.")
	}
	return in, nil
}

// RegistrationFilter selects registrations of one VIN.
type RegistrationFilter struct {
	VIN    string
	Limit  int // 0..1000
	Offset int64
	Desc   bool // sort by created_at descending
}

// RegistrationPage is a page of registrations and the VIN's total.
type RegistrationPage struct {
	Registrations []*OdometerRegistration
	Total         int64
}

// OdometerRegistrationService keeps odometer registrations. Registrations belong to the partner
// that made them; another partner's registration is CodeForbidden, and is_breaking compares only
// with the same partner's registrations of the VIN (so it reveals nothing of other partners).
type OdometerRegistrationService interface {
	CreateRegistration(ctx context.Context, actor Actor, in NewOdometerRegistration) (*OdometerRegistration, error)
	FindRegistration(ctx context.Context, actor Actor, id string) (*OdometerRegistration, error)
	ListRegistrations(ctx context.Context, actor Actor, f RegistrationFilter) (*RegistrationPage, error)
}

// Odometer reading sources.
const (
	SourceMileageCheckin = "mileage_checkin"       // a Confirmed mileage check-in (miles)
	SourceRegistration   = "odometer_registration" // a workshop registration (km)
	SourceCarYearStart   = "car_year_start"        // a trip-log car's odometer at the start of a year (miles)
)

// OdometerReading is one point of a VIN's odometer history, with its own unit and both
// conversions.
type OdometerReading struct {
	Source   string
	SourceID string
	At       time.Time
	Value    float64
	Unit     DistanceUnit
	Miles    float64
	Km       float64
	// Rollback is set when the reading is lower than an earlier one of the history.
	Rollback bool
	// Breaking is an odometer registration's is_breaking: lower than the partner's previous
	// registration of the VIN.
	Breaking bool
}

// OdometerHistory is every reading of one VIN, oldest first.
type OdometerHistory struct {
	VIN      string
	Readings []OdometerReading
}

// MarkRollbacks sorts readings by time and flags each one lower than the highest before it.
func MarkRollbacks(rs []OdometerReading) {
	sortReadings(rs)
	high := -1.0
	for i := range rs {
		rs[i].Rollback = rs[i].Miles < high-1e-9
		if rs[i].Miles > high {
			high = rs[i].Miles
		}
	}
}

// OdometerHistoryService reads the one odometer history of a VIN.
type OdometerHistoryService interface {
	// VehicleOdometerHistory is the history of a vehicle's VIN as the actor's partner knows it.
	VehicleOdometerHistory(ctx context.Context, actor Actor, vehicleID string) (*OdometerHistory, error)
	// VINOdometerHistory is the history of a VIN across every partner (operators only: the CLI).
	VINOdometerHistory(ctx context.Context, vin string) (*OdometerHistory, error)
}

// sortReadings orders readings by time, then source and id, so equal times sort the same way
// every time.
func sortReadings(rs []OdometerReading) {
	sort.SliceStable(rs, func(i, j int) bool {
		if !rs[i].At.Equal(rs[j].At) {
			return rs[i].At.Before(rs[j].At)
		}
		if rs[i].Source != rs[j].Source {
			return rs[i].Source < rs[j].Source
		}
		return rs[i].SourceID < rs[j].SourceID
	})
}
