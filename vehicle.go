package milepost

import (
	"context"
	"slices"
	"strings"
	"time"
)

// MinVehicleYear is the oldest model year the partner API accepts (VINs took their 17-character
// form in 1981; Ownli documents year >= 1980).
const MinVehicleYear = 1980

// Vehicle is a car registered by a partner for one of its users, identified by its VIN. At most
// one active vehicle of a partner has a given VIN, and at most one a given state and plate.
type Vehicle struct {
	ID        string
	PartnerID string
	UserID    string
	VIN       string
	Make      string
	Model     string
	Year      int
	License   string // normalized plate: upper case, no spaces or dashes; "" when unknown
	State     string // USPS code of the plate's state; "" when unknown
	PhotoURL  string
	Active    bool
	// InitialMileage is the odometer reading given when the vehicle was created by plate (0 when
	// none was given).
	InitialMileage int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Owner          VehicleOwner
}

// VehicleOwner is the part of the owning user shown with a vehicle.
type VehicleOwner struct {
	ID        string
	FirstName string
	LastName  string
	Email     string
	Phone     string
}

// NewVehicleByVIN is the input of vehicle creation by VIN.
type NewVehicleByVIN struct {
	UserID       string
	VIN          string
	Make         string
	Model        string
	Year         int
	LicensePlate string
	State        string
}

// NewVehicleByPlate is the input of vehicle creation by license plate and state: the owner is
// found by phone and the VIN through the PlateResolver.
type NewVehicleByPlate struct {
	Phone        string
	LicensePlate string
	State        string
	Mileage      int64 // 0 = not given
}

// VehicleUpdate changes the plate and state of a vehicle when they are not nil; an empty
// LicensePlate blanks the plate.
type VehicleUpdate struct {
	ID           string
	LicensePlate *string
	State        *string
	Model        *string
}

// Vehicle list sort keys and search fields, as the partner API names them.
var (
	VehicleSortKeys   = []string{"license", "vin", "state", "dateAdded", "active"}
	VehicleSearchKeys = []string{"license", "vin", "state", "userFirstName", "userLastName", "userEmail", "userPhone"}
)

// VehicleFilter selects a page of a partner's vehicles.
type VehicleFilter struct {
	PageRequest
	SortBy        string
	SortDirection SortDirection
	SearchBy      string
	SearchValue   string
	Active        *bool
	AddedFrom     *time.Time
	AddedTo       *time.Time
}

// VehiclePage is one page of vehicles.
type VehiclePage struct {
	Vehicles   []*Vehicle
	TotalItems int
	Page       PageRequest
}

// VehicleService manages a partner's vehicles. Writes need admin scope; reads are open to a
// user-scoped actor for its own vehicles. Another partner's vehicle is CodeForbidden.
type VehicleService interface {
	// CreateVehicleByVIN validates the VIN (and the declared make and year against it) and
	// creates an active vehicle. A failed VIN check is CodeInvalid naming the check; an unknown
	// user CodeNotFound; an active vehicle with the same VIN or state+plate CodeConflict.
	CreateVehicleByVIN(ctx context.Context, actor Actor, in NewVehicleByVIN) (*Vehicle, error)
	// CreateVehicleByPlate resolves state+plate to a VIN and creates the vehicle for the user with
	// that phone. No VIN for the plate is CodeNotFound (ERROR_VEHICLE_NOT_FOUND).
	CreateVehicleByPlate(ctx context.Context, actor Actor, in NewVehicleByPlate) (*Vehicle, error)
	// UpdateVehicle changes plate and state; on an active vehicle the new plate must be free.
	UpdateVehicle(ctx context.Context, actor Actor, upd VehicleUpdate) (*Vehicle, error)
	// SetVehicleActive deactivates or reactivates a vehicle (idempotent). Reactivating a vehicle
	// whose VIN or plate is now on another active vehicle is CodeConflict.
	SetVehicleActive(ctx context.Context, actor Actor, id string, active bool) (*Vehicle, error)
	// FindVehicleByID returns the vehicle or CodeNotFound (ERROR_VEHICLE_NOT_FOUND).
	FindVehicleByID(ctx context.Context, actor Actor, id string) (*Vehicle, error)
	// FindActiveVehicleByPlate returns the partner's active vehicle with that state and plate.
	FindActiveVehicleByPlate(ctx context.Context, actor Actor, state, plate string) (*Vehicle, error)
	// ListVehicles returns a page of the partner's vehicles (admin only).
	ListVehicles(ctx context.Context, actor Actor, f VehicleFilter) (*VehiclePage, error)
}

// VINInfo is what a VIN decodes to.
type VINInfo struct {
	VIN          string
	WMI          string // 3 characters, or 6 for low-volume manufacturers
	Manufacturer string
	Makes        []string // makes built under this WMI
	Country      string
	VehicleType  string
	// ModelYears are the model years position 10 can stand for (30 years apart), latest first.
	ModelYears []int
	// CheckDigitValid tells whether position 9 is right; it is required only for North-American
	// WMIs (first character 1-5) and advisory elsewhere.
	CheckDigitValid bool
}

// VINValidator checks and decodes VINs.
type VINValidator interface {
	// ValidateVIN checks the VIN's form, check digit (for North-American WMIs), manufacturer and
	// model-year code. When make is not empty it must be a make of the VIN's manufacturer; when
	// year is not 0 it must be one the model-year code stands for. A failure is a CodeInvalid
	// *Error whose message says which check failed.
	ValidateVIN(vin, make string, year int) (VINInfo, error)
}

// PlateRecord ties a state and plate to a VIN, with what is known of the vehicle.
type PlateRecord struct {
	State string
	Plate string
	VIN   string
	Make  string
	Model string
	Year  int
}

// PlateResolver finds the VIN registered for a license plate.
type PlateResolver interface {
	// ResolvePlate returns the record for state and plate, or CodeNotFound.
	ResolvePlate(ctx context.Context, state, plate string) (PlateRecord, error)
}

// PlateImporter loads plate records into the built-in PlateResolver.
type PlateImporter interface {
	// ImportPlates upserts the records (keyed by state and plate) in one transaction.
	ImportPlates(ctx context.Context, recs []PlateRecord) (int, error)
}

// NormalizePlate returns a plate in the stored form: upper case with spaces and dashes removed.
// It must be 1 to 10 letters and digits; "" stays "" (no plate).
func NormalizePlate(param, s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		switch {
		case r == ' ' || r == '-' || r == '·':
		case (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'):
			b.WriteRune(r)
		default:
			return "", Invalidf(param, "%s %s may contain only letters, digits, spaces and dashes.", param, quote(s))
		}
	}
	p := b.String()
	if len(p) > 10 {
		return "", Invalidf(param, "%s %s is longer than 10 characters.", param, quote(s))
	}
	return p, nil
}

// NormalizeVIN upper-cases and trims a VIN; the VINValidator checks the rest.
func NormalizeVIN(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Validate checks the parts of a by-VIN creation that need no decoder and returns it
// normalized: user id, year >= 1980, make and model present, plate and state well-formed.
func (in NewVehicleByVIN) Validate(now time.Time) (NewVehicleByVIN, error) {
	var err error
	if strings.TrimSpace(in.UserID) == "" {
		return in, Invalidf("userId", "userId is required.")
	}
	in.VIN = NormalizeVIN(in.VIN)
	if in.VIN == "" {
		return in, Invalidf("vin", "vin is required.")
	}
	if in.Make, err = requiredText("make", in.Make, 60); err != nil {
		return in, err
	}
	if in.Model, err = requiredText("model", in.Model, 60); err != nil {
		return in, err
	}
	if in.Year < MinVehicleYear || in.Year > now.Year()+2 {
		return in, Invalidf("year", "year must be between %d and %d.", MinVehicleYear, now.Year()+2)
	}
	if in.LicensePlate, in.State, err = normalizePlateState(in.LicensePlate, in.State, false); err != nil {
		return in, err
	}
	return in, nil
}

// Validate checks a by-plate creation and returns it normalized.
func (in NewVehicleByPlate) Validate() (NewVehicleByPlate, error) {
	var err error
	if strings.TrimSpace(in.Phone) == "" {
		return in, Invalidf("phone", "phone is required.")
	}
	if in.Phone, err = NormalizePhone("phone", in.Phone); err != nil {
		return in, err
	}
	if in.LicensePlate, in.State, err = normalizePlateState(in.LicensePlate, in.State, true); err != nil {
		return in, err
	}
	if in.Mileage < 0 {
		return in, Invalidf("mileage", "mileage must be 1 or more.")
	}
	return in, nil
}

// normalizePlateState checks a plate and its state. A state is required with a plate when
// required is set; a plate without a state is accepted otherwise (the state is unknown).
func normalizePlateState(plate, state string, required bool) (string, string, error) {
	p, err := NormalizePlate("licensePlate", plate)
	if err != nil {
		return "", "", err
	}
	if required && p == "" {
		return "", "", Invalidf("licensePlate", "licensePlate is required.")
	}
	if strings.TrimSpace(state) == "" {
		if required {
			return "", "", &Error{Code: CodeInvalid, Reason: ReasonInvalidStateCode, Params: []string{"state"},
				Message: "state is required: use a 2-letter US state code such as CA."}
		}
		return p, "", nil
	}
	s, err := NormalizeState("state", state)
	if err != nil {
		return "", "", err
	}
	return p, s, nil
}

// Validate checks an update and returns it normalized.
func (u VehicleUpdate) Validate() (VehicleUpdate, error) {
	if strings.TrimSpace(u.ID) == "" {
		return u, Invalidf("id", "id is required.")
	}
	if u.LicensePlate != nil {
		p, err := NormalizePlate("licensePlate", *u.LicensePlate)
		if err != nil {
			return u, err
		}
		u.LicensePlate = &p
	}
	if u.State != nil && strings.TrimSpace(*u.State) != "" {
		s, err := NormalizeState("state", *u.State)
		if err != nil {
			return u, err
		}
		u.State = &s
	}
	if u.Model != nil {
		m, err := requiredText("model", *u.Model, 60)
		if err != nil {
			return u, err
		}
		u.Model = &m
	}
	return u, nil
}

// Validate checks a vehicle list filter and fills defaults (sort by dateAdded, desc).
func (f VehicleFilter) Validate() (VehicleFilter, error) {
	var err error
	if f.PageRequest, err = f.PageRequest.Normalize(); err != nil {
		return f, err
	}
	if f.SortBy == "" {
		f.SortBy = "dateAdded"
	} else if !slices.Contains(VehicleSortKeys, f.SortBy) {
		return f, Invalidf("sortBy", "sortBy must be one of %s.", strings.Join(VehicleSortKeys, ", "))
	}
	if f.SortDirection == "" {
		f.SortDirection = SortDesc
	}
	if f.SearchBy != "" && !slices.Contains(VehicleSearchKeys, f.SearchBy) {
		return f, Invalidf("searchBy", "searchBy must be one of %s.", strings.Join(VehicleSearchKeys, ", "))
	}
	if f.SearchBy != "" && strings.TrimSpace(f.SearchValue) == "" {
		return f, Invalidf("searchValue", "searchValue is required with searchBy.")
	}
	if f.SearchBy == "" && f.SearchValue != "" {
		return f, Invalidf("searchBy", "searchBy is required with searchValue.")
	}
	f.SearchValue = strings.TrimSpace(f.SearchValue)
	if f.AddedFrom != nil && f.AddedTo != nil && f.AddedTo.Before(*f.AddedFrom) {
		return f, Invalidf("dateAddedEndDate", "dateAddedEndDate must not be before dateAddedStartDate.")
	}
	return f, nil
}
