package milepost

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Trip record statuses (liveness) and mileage statuses (business classification).
const (
	TripActive   = "ACTIVE"
	TripInactive = "INACTIVE"

	MileagePending  = "PENDING"
	MileageBusiness = "BUSINESS"
	MileagePersonal = "PERSONAL"
)

// Where a trip's distance and deduction came from.
const (
	FromClient      = "CLIENT"       // sent by the client
	FromGreatCircle = "GREAT_CIRCLE" // distance: computed from the start and end coordinates
	FromIRSRate     = "IRS_RATE"     // deduction: distance × the IRS business rate of the trip's date
	FromNone        = "NONE"         // deduction: zero (not a business trip, or no rate for its date)
)

// Trip is one entry of a user's trip log (the Tight API's mileage record).
type Trip struct {
	ID              string
	PartnerID       string
	UserID          string
	Date            time.Time // a calendar date (UTC midnight)
	Status          string
	MileageStatus   string
	Description     string
	Notes           string
	CustomerID      string
	ClassSegmentIDs []string
	// DistanceMicro is the distance in millionths of DistanceUnit, exactly as sent (or computed).
	DistanceMicro  int64
	DistanceUnit   DistanceUnit
	DistanceSource string
	Start, End     TripPoint
	DurationMS     *int64
	DeductionCents int64
	// DeductionSource says whether the deduction was sent or computed (FromIRSRate: at
	// IRSRateTenthCents per mile).
	DeductionSource   string
	IRSRateTenthCents int
	CarID             string
	CustomData        json.RawMessage
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// DistanceMiles is the trip's distance in miles.
func (t *Trip) DistanceMiles() float64 {
	return ToMiles(float64(t.DistanceMicro)/1e6, t.DistanceUnit)
}

// TripPoint is where and when a trip started or ended.
type TripPoint struct {
	Time       *time.Time
	Lat, Lng   *float64
	LocationID string
	Address    *TripAddress
}

// TripAddress is a postal address of a trip's start or end.
type TripAddress struct {
	Address1, Address2, City, State, Zip, PhoneWork string
}

// TripInput is one item of a bulk save: ID empty creates a trip; otherwise the fields that are
// not nil change that trip.
type TripInput struct {
	ID              string
	Date            *time.Time
	Status          *string
	MileageStatus   *string
	Description     *string
	Notes           *string
	CustomerID      *string
	ClassSegmentIDs *[]string
	DistanceMicro   *int64
	DistanceUnit    DistanceUnit
	Start, End      *TripPoint
	DurationMS      *int64
	DeductionCents  *int64
	CarID           *string
	CustomData      json.RawMessage
}

// ItemResult is the outcome of one item of a bulk save: the saved record or its error.
type ItemResult[T any] struct {
	Value T
	Err   error
}

// Car is a vehicle in a user's trip log, optionally linked to a Milepost vehicle by VIN. Its
// Details hold the odometer at the start of each tax year (in miles), readings of the VIN's
// odometer history.
type Car struct {
	ID         string
	PartnerID  string
	UserID     string
	Make       string
	Model      string
	Name       string
	Year       int
	IsPrimary  bool
	Status     string
	VIN        string
	Details    []CarYear
	CustomData json.RawMessage
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CarYear is a car's odometer (miles) at the start of a year.
type CarYear struct {
	Year     int
	Odometer float64
}

// CarInput is one item of a bulk car save; see TripInput.
type CarInput struct {
	ID         string
	Make       *string
	Model      *string
	Name       *string
	Year       *int
	IsPrimary  *bool
	Status     *string
	VIN        *string
	VehicleID  *string
	Details    *[]CarYear
	CustomData json.RawMessage
}

// StringFilter is a query filter on one field with the Tight API's operators.
type StringFilter struct {
	In, NotIn          []string
	Equal, NotEqual    *string
	Greater, GreaterEq *string
	Less, LessEq       *string
	present            bool
}

// Set reports whether any operator is used.
func (f StringFilter) Set() bool {
	return len(f.In) > 0 || len(f.NotIn) > 0 || f.Equal != nil || f.NotEqual != nil || f.Greater != nil || f.GreaterEq != nil || f.Less != nil || f.LessEq != nil
}

// PageKey is a position in a list sorted by date then id.
type PageKey struct {
	Date string `json:"d"`
	ID   string `json:"i"`
}

// TripQuery selects trips (or cars: Date filters are then ignored).
type TripQuery struct {
	Limit         int
	Desc          bool
	After, Before *PageKey
	Status        StringFilter // default: ACTIVE only
	MileageStatus StringFilter
	Date          StringFilter // YYYY-MM-DD values
	CarID         StringFilter
}

// TripPage is a page of trips with the keys to the neighbouring pages (nil at the ends).
type TripPage struct {
	Trips         []*Trip
	After, Before *PageKey
}

// CarPage is a page of cars.
type CarPage struct {
	Cars          []*Car
	After, Before *PageKey
}

// TripService keeps trip logs. A user-scoped actor reads and writes its own user's trips; an
// admin (partner-level) actor reads all of its partner's trips and cannot write (it has no user).
type TripService interface {
	// SaveTrips creates or updates each item on its own: one item's failure does not stop the
	// others. The results are in the items' order.
	SaveTrips(ctx context.Context, actor Actor, items []TripInput) ([]ItemResult[*Trip], error)
	QueryTrips(ctx context.Context, actor Actor, q TripQuery) (*TripPage, error)
	FindTrip(ctx context.Context, actor Actor, id string) (*Trip, error)
	// DeleteTrip marks a trip INACTIVE and returns it.
	DeleteTrip(ctx context.Context, actor Actor, id string) (*Trip, error)
	SaveCars(ctx context.Context, actor Actor, items []CarInput) ([]ItemResult[*Car], error)
	QueryCars(ctx context.Context, actor Actor, q TripQuery) (*CarPage, error)
	FindCar(ctx context.Context, actor Actor, id string) (*Car, error)
	DeleteCar(ctx context.Context, actor Actor, id string) (*Car, error)
}

// Trip field limits.
const (
	MaxTripMiles      = 10_000 // no single trip is longer
	maxCustomFields   = 50
	maxCustomDataLen  = 2000
	MaxQueryLimit     = 1000
	DefaultQueryLimit = 50
)

// ParseDecimalMicro reads a non-negative decimal string ("12.5") as millionths (12500000). More
// than six decimals are rounded half up.
func ParseDecimalMicro(param, s string) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	bad := func() (int64, error) {
		return 0, &Error{Code: CodeInvalid, Reason: ReasonInvalidFormat, Params: []string{param},
			Message: param + " must be a non-negative decimal number written as a string, such as \"12.5\"."}
	}
	if s == "" || len(whole) > 12 || strings.ContainsAny(whole+frac, "+-eE ") {
		return bad()
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return bad()
	}
	round := int64(0)
	if len(frac) > 6 {
		if frac[6] < '0' || frac[6] > '9' {
			return bad()
		}
		if frac[6] >= '5' {
			round = 1
		}
		frac = frac[:6]
	}
	frac += strings.Repeat("0", 6-len(frac))
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return bad()
	}
	return w*1_000_000 + f + round, nil
}

// FormatDecimalMicro writes millionths as a decimal string without trailing zeros ("12.5").
func FormatDecimalMicro(v int64) string {
	s := strconv.FormatInt(v/1_000_000, 10)
	if frac := v % 1_000_000; frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(1_000_000+frac, 10)[1:], "0")
	}
	return s
}

// ValidateCustomData checks a customData object: a JSON object of at most 50 fields and 2000
// characters ("" / null is empty).
func ValidateCustomData(param string, raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if len(raw) > maxCustomDataLen {
		return nil, &Error{Code: CodeInvalid, Reason: ReasonInvalidValue, Params: []string{param},
			Message: param + " may hold at most 2000 characters."}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, &Error{Code: CodeInvalid, Reason: ReasonInvalidFormat, Params: []string{param}, Message: param + " must be a JSON object."}
	}
	if len(m) > maxCustomFields {
		return nil, &Error{Code: CodeInvalid, Reason: ReasonInvalidValue, Params: []string{param}, Message: param + " may hold at most 50 fields."}
	}
	return raw, nil
}
