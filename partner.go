package milepost

import (
	"context"
	"time"
)

// Partner is a company integrating with Milepost (an insurer, a fleet or mileage app, a data
// buyer). Every user, vehicle and upload belongs to exactly one partner.
type Partner struct {
	ID        string
	Name      string
	ClientID  string
	CreatedAt time.Time
	// PolicyDatesOptional lets this partner create users with policy info that has no start or
	// end date (Ownli's "policy.dates-optional.partner-ids").
	PolicyDatesOptional bool
	// Cadence is the days between check-ins of each type (DefaultCadence for a new partner).
	Cadence Cadence
}

// PartnerCredentials is a newly made partner with its client secret. The secret is shown once,
// at creation, and stored only as a hash.
type PartnerCredentials struct {
	Partner      *Partner
	ClientSecret string
}

// PartnerService manages partners and checks their credentials.
type PartnerService interface {
	// CreatePartner makes a partner with fresh client credentials. An empty name is CodeInvalid.
	CreatePartner(ctx context.Context, name string) (*PartnerCredentials, error)
	// ListPartners returns all partners, oldest first (no secrets).
	ListPartners(ctx context.Context) ([]*Partner, error)
	// FindPartnerByID returns the partner or a CodeNotFound error.
	FindPartnerByID(ctx context.Context, id string) (*Partner, error)
	// Authenticate checks a client id and secret (and, when partnerID is not empty, that they
	// belong to that partner) in constant time. Any mismatch is a CodeUnauthorized error that
	// does not say which part was wrong.
	Authenticate(ctx context.Context, partnerID, clientID, clientSecret string) (*Partner, error)
}

// PartnerSettings changes a partner's settings where the fields are not nil.
type PartnerSettings struct {
	PolicyDatesOptional *bool
	Cadence             *Cadence
}
