package milepost

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// TOS answers: a user's answer to the terms of service for sharing data with the partner.
const (
	TOSNone     = "None"
	TOSAccepted = "Accepted"
	TOSDeclined = "Declined"
)

// User is a person registered by a partner: a policy holder, a driver, an app user.
type User struct {
	ID            string
	PartnerID     string
	FirstName     string
	LastName      string
	Email         string
	EmailVerified bool
	Phone         string // E.164
	PhoneVerified bool
	CustomFields  [5]string
	Address       Address
	Policy        *PolicyInfo // nil unless created or updated with policy info
	AdminNote     string
	TOSAnswer     string
	PartnerCode   string
	Fraud         bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// PolicyInfo is the insurance policy a user is registered under.
type PolicyInfo struct {
	PolicyNumber string
	StartDate    *time.Time
	EndDate      *time.Time
}

// NewUser is the input of user creation.
type NewUser struct {
	FirstName     string
	LastName      string
	Email         string
	EmailVerified bool
	Phone         string
	PhoneVerified bool
	CustomFields  [5]string
	Address       *Address
	Policy        *PolicyInfo // required by the with-policy variant only
}

// UserUpdate changes the fields that are not nil.
type UserUpdate struct {
	FirstName     *string
	LastName      *string
	Email         *string
	EmailVerified *bool
	Phone         *string
	PhoneVerified *bool
	CustomFields  [5]*string
	Address       *Address
}

// CreateUserOptions modify user creation.
type CreateUserOptions struct {
	// ReturnExisting returns the existing user instead of a conflict when the phone or email
	// (with policy: the phone and policy number) is already registered with the partner.
	ReturnExisting bool
	// WithPolicy requires Policy and makes phone + policy number the user's identity.
	WithPolicy bool
	// PolicyDatesOptional lets Policy omit its dates (a per-partner setting).
	PolicyDatesOptional bool
}

// UserFilter selects a page of a partner's users.
type UserFilter struct {
	PageRequest
	SortBy        string // dateRegistered (default), firstName, lastName, email, phone
	SortDirection SortDirection
	SearchBy      string // firstName, lastName, email, phone, policyNumber
	SearchValue   string
}

// UserPage is one page of users.
type UserPage struct {
	Users      []*User
	TotalItems int
	Page       PageRequest
}

// UserService manages a partner's users. Every method checks the actor: another partner's user
// is CodeForbidden, a user-scoped actor reaches only its own user, and writes need admin scope.
type UserService interface {
	// CreateUser validates and registers a user. A phone or email already registered with the
	// partner is CodeConflict (ERROR_USER_ALREADY_EXISTS) unless opts.ReturnExisting, in which
	// case the existing user is returned with created=false.
	CreateUser(ctx context.Context, actor Actor, in NewUser, opts CreateUserOptions) (u *User, created bool, err error)
	// UpdateUser changes the given fields; a phone or email taken by another user is CodeConflict.
	UpdateUser(ctx context.Context, actor Actor, id string, upd UserUpdate) (*User, error)
	// UpdatePolicy sets the user's policy info.
	UpdatePolicy(ctx context.Context, actor Actor, id string, p PolicyInfo) (*User, error)
	// FindUserByID returns the user or CodeNotFound (ERROR_USER_NOT_FOUND).
	FindUserByID(ctx context.Context, actor Actor, id string) (*User, error)
	// FindUserByPhone returns the partner's user with that phone or CodeNotFound.
	FindUserByPhone(ctx context.Context, actor Actor, phone string) (*User, error)
	// ListUsers returns a page of the partner's users (admin only).
	ListUsers(ctx context.Context, actor Actor, f UserFilter) (*UserPage, error)
}

// Field limits for users.
const (
	maxNameLen        = 100
	maxEmailLen       = 254
	maxCustomFieldLen = 255
	maxPolicyLen      = 100
)

// Validate checks a new user and returns it normalized (trimmed names, E.164 phone, lower-case
// email domain untouched, normalized address and policy). requirePolicy is set for the
// with-policy variant; datesOptional relaxes the policy dates.
func (in NewUser) Validate(requirePolicy, datesOptional bool) (NewUser, error) {
	var err error
	if in.FirstName, err = requiredText("firstName", in.FirstName, maxNameLen); err != nil {
		return in, err
	}
	if in.LastName, err = requiredText("lastName", in.LastName, maxNameLen); err != nil {
		return in, err
	}
	if strings.TrimSpace(in.Phone) == "" {
		return in, Invalidf("phone", "phone is required (E.164 format such as +15556667777).")
	}
	if in.Phone, err = NormalizePhone("phone", in.Phone); err != nil {
		return in, err
	}
	if in.Email, err = NormalizeEmail("email", in.Email); err != nil {
		return in, err
	}
	for i := range in.CustomFields {
		if in.CustomFields[i], err = optionalText(customFieldName(i), in.CustomFields[i], maxCustomFieldLen); err != nil {
			return in, err
		}
	}
	if in.Address == nil {
		return in, Invalidf("address", "address is required.")
	}
	a, err := in.Address.Normalize("address")
	if err != nil {
		return in, err
	}
	in.Address = &a
	if requirePolicy {
		if in.Policy == nil {
			return in, Invalidf("policyInfo", "policyInfo is required.")
		}
		p, err := in.Policy.Validate("policyInfo", datesOptional)
		if err != nil {
			return in, err
		}
		in.Policy = &p
	} else {
		in.Policy = nil
	}
	return in, nil
}

// Validate checks an update and returns it normalized; see NewUser.Validate.
func (u UserUpdate) Validate() (UserUpdate, error) {
	var err error
	if u.FirstName != nil {
		v, err := requiredText("firstName", *u.FirstName, maxNameLen)
		if err != nil {
			return u, err
		}
		u.FirstName = &v
	}
	if u.LastName != nil {
		v, err := requiredText("lastName", *u.LastName, maxNameLen)
		if err != nil {
			return u, err
		}
		u.LastName = &v
	}
	if u.Phone != nil {
		v, err := NormalizePhone("phone", *u.Phone)
		if err != nil {
			return u, err
		}
		u.Phone = &v
	}
	if u.Email != nil {
		v, err := NormalizeEmail("email", *u.Email)
		if err != nil {
			return u, err
		}
		u.Email = &v
	}
	for i, f := range u.CustomFields {
		if f != nil {
			v, err := optionalText(customFieldName(i), *f, maxCustomFieldLen)
			if err != nil {
				return u, err
			}
			u.CustomFields[i] = &v
		}
	}
	if u.Address != nil {
		a, err := u.Address.Normalize("address")
		if err != nil {
			return u, err
		}
		u.Address = &a
	}
	return u, err
}

// Apply writes the non-nil fields of u onto user.
func (u UserUpdate) Apply(user *User) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&user.FirstName, u.FirstName)
	set(&user.LastName, u.LastName)
	set(&user.Email, u.Email)
	set(&user.Phone, u.Phone)
	if u.EmailVerified != nil {
		user.EmailVerified = *u.EmailVerified
	}
	if u.PhoneVerified != nil {
		user.PhoneVerified = *u.PhoneVerified
	}
	for i, f := range u.CustomFields {
		set(&user.CustomFields[i], f)
	}
	if u.Address != nil {
		user.Address = *u.Address
	}
}

// Validate checks policy info; dates are required unless datesOptional, and the start may not
// be after the end.
func (p PolicyInfo) Validate(prefix string, datesOptional bool) (PolicyInfo, error) {
	var err error
	if p.PolicyNumber, err = requiredText(prefix+".policyNumber", p.PolicyNumber, maxPolicyLen); err != nil {
		return p, err
	}
	if !datesOptional {
		if p.StartDate == nil {
			return p, Invalidf(prefix+".startDate", "%s.startDate is required (ISO8601 UTC, e.g. 2024-01-01T00:00:00.000Z).", prefix)
		}
		if p.EndDate == nil {
			return p, Invalidf(prefix+".endDate", "%s.endDate is required (ISO8601 UTC, e.g. 2025-01-01T00:00:00.000Z).", prefix)
		}
	}
	if p.StartDate != nil && p.EndDate != nil && p.EndDate.Before(*p.StartDate) {
		return p, Invalidf(prefix+".endDate", "%s.endDate must not be before startDate.", prefix)
	}
	return p, nil
}

// NormalizeEmail trims an e-mail address and checks its form; "" stays "" (email is optional).
func NormalizeEmail(param, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > maxEmailLen {
		return "", Invalidf(param, "%s must be at most %d characters.", param, maxEmailLen)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", Invalidf(param, "%s %s is not a valid e-mail address.", param, quote(s))
	}
	return s, nil
}

func customFieldName(i int) string { return "customField" + string(rune('1'+i)) }

func requiredText(param, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Invalidf(param, "%s is required.", param)
	}
	return optionalText(param, s, max)
}

func optionalText(param, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > max {
		return "", Invalidf(param, "%s must be at most %d characters.", param, max)
	}
	return s, nil
}

// User list sort keys and search fields.
var (
	UserSortKeys   = []string{"dateRegistered", "firstName", "lastName", "email", "phone"}
	UserSearchKeys = []string{"firstName", "lastName", "email", "phone", "policyNumber"}
)

// Validate checks a user list filter and fills defaults (sort by dateRegistered, desc).
func (f UserFilter) Validate() (UserFilter, error) {
	var err error
	if f.PageRequest, err = f.PageRequest.Normalize(); err != nil {
		return f, err
	}
	if f.SortBy == "" {
		f.SortBy = "dateRegistered"
	} else if !slices.Contains(UserSortKeys, f.SortBy) {
		return f, Invalidf("sortBy", "sortBy must be one of %s.", strings.Join(UserSortKeys, ", "))
	}
	if f.SortDirection == "" {
		f.SortDirection = SortDesc
	}
	if f.SearchBy != "" && !slices.Contains(UserSearchKeys, f.SearchBy) {
		return f, Invalidf("searchBy", "searchBy must be one of %s.", strings.Join(UserSearchKeys, ", "))
	}
	f.SearchValue = strings.TrimSpace(f.SearchValue)
	if f.SearchBy != "" && f.SearchValue == "" {
		return f, Invalidf("searchValue", "searchValue is required with searchBy.")
	}
	if f.SearchBy == "" && f.SearchValue != "" {
		return f, Invalidf("searchBy", "searchBy is required with searchValue.")
	}
	return f, nil
}
