package milepost

import "context"

// Scope is what a credential may do within its partner.
type Scope string

// The two scopes of the partner API's tokens.
const (
	// ScopeAdmin reaches every user and vehicle of the partner. The legacy partnerId/clientId/
	// clientSecret headers act with this scope.
	ScopeAdmin Scope = "admin"
	// ScopeUser reaches only the one user the token was issued for.
	ScopeUser Scope = "user"
)

// Valid reports whether s is one of the defined scopes.
func (s Scope) Valid() bool { return s == ScopeAdmin || s == ScopeUser }

// Actor is who is calling: an authenticated partner credential, possibly narrowed to one user.
type Actor struct {
	PartnerID string
	Scope     Scope
	UserID    string // set only for ScopeUser
}

// RequireAdmin returns a Forbidden error unless the actor holds an admin-scoped credential.
func (a Actor) RequireAdmin() error {
	if a.Scope != ScopeAdmin {
		return Errorf(CodeForbidden, ReasonNoPermissions, "This operation requires an admin token.")
	}
	return nil
}

// CanAccessUser returns a Forbidden error unless the actor may read and act for the user with
// id userID that belongs to partnerID.
func (a Actor) CanAccessUser(partnerID, userID string) error {
	if partnerID != a.PartnerID {
		return Errorf(CodeForbidden, ReasonNoPermissions, "Forbidden.")
	}
	if a.Scope == ScopeUser && userID != a.UserID {
		return Errorf(CodeForbidden, ReasonNoPermissions, "Forbidden.")
	}
	return nil
}

type actorKey struct{}

// WithActor returns a copy of ctx carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor stored in ctx by WithActor, and false when there is none.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
