package milepost

import (
	"context"
	"time"
)

// CheckinType is one of the three kinds of check-in.
type CheckinType string

// The check-in types.
const (
	CheckinMileage        CheckinType = "mileage"
	CheckinCondition      CheckinType = "condition"
	CheckinProofOfAddress CheckinType = "proofOfAddress"
)

// Valid reports whether t is a known type.
func (t CheckinType) Valid() bool {
	return t == CheckinMileage || t == CheckinCondition || t == CheckinProofOfAddress
}

// Label is the type's name in sentences ("mileage check-in").
func (t CheckinType) Label() string {
	switch t {
	case CheckinMileage:
		return "mileage check-in"
	case CheckinCondition:
		return "condition check-in"
	case CheckinProofOfAddress:
		return "proof-of-address check-in"
	}
	return "check-in"
}

// NotFoundReason is the partner API's error code for a missing check-in of this type.
func (t CheckinType) NotFoundReason() string {
	switch t {
	case CheckinMileage:
		return "ERROR_MILEAGE_CHECKIN_NOT_FOUND"
	case CheckinCondition:
		return "ERROR_CONDITION_CHECKIN_NOT_FOUND"
	}
	return "ERROR_PROOF_OF_ADDRESS_CHECKIN_NOT_FOUND"
}

// Check-in error reasons of our own (the public docs list a 409 without naming its code).
const (
	ReasonMileageLowerThanPrevious = "ERROR_MILEAGE_LOWER_THAN_PREVIOUS"
	ReasonVehicleInactive          = "ERROR_VEHICLE_INACTIVE"
	ReasonCheckinNotOnHold         = "ERROR_CHECKIN_NOT_ON_HOLD"
	ReasonCheckinFinal             = "ERROR_CHECKIN_ALREADY_DECIDED"
)

// Checkin is a mileage, condition or proof-of-address check-in with its evidence.
type Checkin struct {
	ID        string
	PartnerID string
	UserID    string
	VehicleID string // empty for proof of address
	Type      CheckinType
	Status    CheckinStatus
	Fraud     bool
	AdminNote string
	UserNote  string
	// Mileage check-ins.
	License string
	State   string
	Mileage int64
	// OdometerOffset is what the odometer lost in rollovers before this reading (a multiple of
	// 10^5 or 10^6): Mileage + OdometerOffset is the distance the vehicle has really covered.
	OdometerOffset int64
	// Proof-of-address check-ins.
	DocumentType string
	AddressType  string
	Address      *CheckinAddress
	Latitude     *float64
	Longitude    *float64
	Insights     *AddressInsights
	// Photos holds every piece of evidence, in submission order.
	Photos []CheckinPhoto
	// Run counts submissions: 1 at creation, +1 for each change-flow update. A verification job
	// decides only the run it was enqueued for.
	Run int
	// SubmittedAt is when the current run was submitted (creation or the last change-flow update).
	SubmittedAt     time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	NextCheckInDate *time.Time
}

// CheckinAddress is the address a proof-of-address check-in claims.
type CheckinAddress struct {
	Line1     string
	Line2     string
	City      string
	State     string
	Country   string
	Zip       string
	Latitude  *float64
	Longitude *float64
}

// AddressInsights is what verification read from proof-of-address documents.
type AddressInsights struct {
	FirstName string
	LastName  string
	Address   Address
}

// PhotoRole says what a piece of evidence shows.
type PhotoRole string

// The evidence roles.
const (
	RoleLicense  PhotoRole = "license"  // mileage: the license plate
	RoleOdometer PhotoRole = "odometer" // mileage: the odometer
	RoleAngle    PhotoRole = "angle"    // condition: one of the 8 angles (Kind)
	RoleHome     PhotoRole = "home"     // proof of address: a photo of the home (Kind FrontView/AlternateView)
	RoleDocument PhotoRole = "document" // proof of address: a document (Kind DOCUMENT/GALLERY/CAMERA)
)

// CheckinPhoto is one photo or document of a check-in.
type CheckinPhoto struct {
	UploadID string
	Role     PhotoRole
	// Kind is the angle (Front, …), the home photo type (FrontView, …) or the document source
	// (DOCUMENT, …); empty for mileage photos.
	Kind                  string
	Ordinal               int
	MarkedInvalidByReview bool
	DamageDetected        bool
	// AttachedAt is when the photo joined the check-in (its submission; a photo kept through
	// the change flow keeps its first time).
	AttachedAt time.Time
	// Upload is the stored upload (claimed coordinates, EXIF), filled when the check-in is read.
	Upload *Upload
}

// The condition angles: the four required and the four enhanced (optional) ones.
var (
	RequiredAngles = []string{"Front", "Back", "DriverSide", "PassengerSide"}
	EnhancedAngles = []string{"DriverSideFront", "DriverSideBack", "PassengerSideFront", "PassengerSideBack"}
)

// Proof-of-address enums.
var (
	DocumentTypes      = []string{"UtilityBill", "Paycheck", "FinancialStatement", "SaleDeed", "LeaseAgreement", "PhoneBill"}
	AddressTypes       = []string{"StandaloneHome", "Apartment", "Condominium", "Duplex", "Other"}
	HomePhotoTypes     = []string{"FrontView", "AlternateView"}
	DocumentSourceType = []string{"DOCUMENT", "GALLERY", "CAMERA"}
)

// EvidenceRef is a photo or document named by a check-in request: the upload it refers to (the
// API turns photoUrl into UploadID) with its kind and ordinal.
type EvidenceRef struct {
	UploadID string
	// Ref is how the client named it (the URL), for error messages.
	Ref     string
	Kind    string
	Ordinal int
}

// NewMileageCheckin is the input of a mileage check-in (creation or change-flow update).
type NewMileageCheckin struct {
	VehicleID      string // creation only
	LicensePlate   string
	State          string
	Mileage        int64
	LicensePhotos  []EvidenceRef
	OdometerPhotos []EvidenceRef
}

// NewConditionCheckin is the input of a condition check-in.
type NewConditionCheckin struct {
	VehicleID    string // creation only
	LicensePlate string
	State        string
	UserNote     string
	Photos       []EvidenceRef // Kind is the angle
}

// NewAddressCheckin is the input of a proof-of-address check-in.
type NewAddressCheckin struct {
	UserID       string // creation only
	DocumentType string
	AddressType  string
	Address      *CheckinAddress
	Latitude     *float64
	Longitude    *float64
	UserNote     string
	Photos       []EvidenceRef // home photos; Kind FrontView/AlternateView
	Documents    []EvidenceRef // Kind DOCUMENT/GALLERY/CAMERA
}

// CheckinFilter selects a page of a partner's check-ins of one type.
type CheckinFilter struct {
	PageRequest
	Type           CheckinType
	SortBy         string // dateCheckedIn (default) or dateUpdated
	SortDirection  SortDirection
	SearchBy       string
	SearchValue    string
	Status         string // a CheckinStatus, "All" or "Archived"; "" means All
	VehicleID      string
	Fraud          *bool
	DamageDetected *bool
	CheckinFrom    *time.Time
	CheckinTo      *time.Time
	UpdatedFrom    *time.Time
	UpdatedTo      *time.Time
}

// CheckinPage is one page of check-ins.
type CheckinPage struct {
	Checkins   []*Checkin
	TotalItems int
	Page       PageRequest
}

// CheckinService manages check-ins. Every method checks the actor like the vehicle and user
// services: another partner's check-in is CodeForbidden, a user token reaches its own only.
type CheckinService interface {
	// CreateMileageCheckin records a Pending check-in and enqueues its verification in the same
	// transaction. Mileage lower than a non-Declined earlier check-in of the vehicle is
	// CodeConflict (ERROR_MILEAGE_LOWER_THAN_PREVIOUS); a deactivated vehicle CodeConflict
	// (ERROR_VEHICLE_INACTIVE); evidence that is not this user's upload CodeInvalid.
	CreateMileageCheckin(ctx context.Context, actor Actor, in NewMileageCheckin) (*Checkin, error)
	// UpdateMileageCheckin is the change flow: only an OnHold check-in may change (else
	// CodeConflict); it goes back to Pending and is verified again. Absent photo lists are kept.
	UpdateMileageCheckin(ctx context.Context, actor Actor, id string, in NewMileageCheckin) (*Checkin, error)
	CreateConditionCheckin(ctx context.Context, actor Actor, in NewConditionCheckin) (*Checkin, error)
	UpdateConditionCheckin(ctx context.Context, actor Actor, id string, in NewConditionCheckin) (*Checkin, error)
	CreateAddressCheckin(ctx context.Context, actor Actor, in NewAddressCheckin) (*Checkin, error)
	UpdateAddressCheckin(ctx context.Context, actor Actor, id string, in NewAddressCheckin) (*Checkin, error)
	// FindCheckin returns a check-in of the given type, or CodeNotFound with the type's reason.
	FindCheckin(ctx context.Context, actor Actor, t CheckinType, id string) (*Checkin, error)
	// ListVehicleCheckins returns a vehicle's check-ins of one type, newest first.
	ListVehicleCheckins(ctx context.Context, actor Actor, vehicleID string, t CheckinType) ([]*Checkin, error)
	// ListUserAddressCheckins returns a user's proof-of-address check-ins, newest first.
	ListUserAddressCheckins(ctx context.Context, actor Actor, userID string) ([]*Checkin, error)
	// ListCheckins returns a page of the partner's check-ins of one type (admin only).
	ListCheckins(ctx context.Context, actor Actor, f CheckinFilter) (*CheckinPage, error)
	// VehicleSummary summarizes a vehicle's mileage and condition check-ins.
	VehicleSummary(ctx context.Context, actor Actor, vehicleID string) (*VehicleCheckinSummary, error)
	// AddressSummary summarizes a user's proof-of-address check-ins.
	AddressSummary(ctx context.Context, actor Actor, userID string) (*CheckinSummary, error)
}
