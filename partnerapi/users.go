package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
)

// addressJSON is a user's postal address.
type addressJSON struct {
	AddressLine1 string `json:"addressLine1"`
	AddressLine2 string `json:"addressLine2"`
	City         string `json:"city"`
	State        string `json:"state" required:"true" doc:"2 Letter State Code (eg. AL, CA, CO etc.)"`
	Country      string `json:"country" doc:"2 Letter Country Code. Must be US."`
	Zip          string `json:"zip"`
}

func (a *addressJSON) domain() *milepost.Address {
	if a == nil {
		return nil
	}
	return &milepost.Address{Line1: a.AddressLine1, Line2: a.AddressLine2, City: a.City, State: a.State, Country: a.Country, Zip: a.Zip}
}

func toAddressJSON(a milepost.Address) addressJSON {
	return addressJSON{AddressLine1: a.Line1, AddressLine2: a.Line2, City: a.City, State: a.State, Country: a.Country, Zip: a.Zip}
}

// policyJSON is a user's insurance policy.
type policyJSON struct {
	PolicyNumber string `json:"policyNumber" required:"true"`
	StartDate    string `json:"startDate" doc:"ISO8601 UTC, e.g. 2024-01-01T00:00:00.000Z. Required unless the partner may omit policy dates."`
	EndDate      string `json:"endDate" doc:"ISO8601 UTC, e.g. 2025-01-01T00:00:00.000Z. Required unless the partner may omit policy dates."`
}

func (p *policyJSON) domain(prefix string) (*milepost.PolicyInfo, error) {
	if p == nil {
		return nil, nil
	}
	start, err := parseTime(prefix+"startDate", p.StartDate)
	if err != nil {
		return nil, err
	}
	end, err := parseTime(prefix+"endDate", p.EndDate)
	if err != nil {
		return nil, err
	}
	return &milepost.PolicyInfo{PolicyNumber: p.PolicyNumber, StartDate: start, EndDate: end}, nil
}

// userJSON is the User object.
type userJSON struct {
	ID             string      `json:"id" doc:"Unique Id for the user."`
	FirstName      string      `json:"firstName"`
	LastName       string      `json:"lastName"`
	Email          string      `json:"email"`
	EmailVerified  bool        `json:"emailVerified"`
	Phone          string      `json:"phone" doc:"User's cell phone number (E.164)."`
	PhoneVerified  bool        `json:"phoneVerified"`
	AdminNote      string      `json:"adminNote" doc:"Internal admin note."`
	CustomField1   string      `json:"customField1"`
	CustomField2   string      `json:"customField2"`
	CustomField3   string      `json:"customField3"`
	CustomField4   string      `json:"customField4"`
	CustomField5   string      `json:"customField5"`
	Address        addressJSON `json:"address"`
	PolicyInfo     *policyJSON `json:"policyInfo,omitempty" doc:"Present when the user was created or updated with policy info."`
	TosAnswer      string      `json:"tosAnswer" enum:"None,Accepted,Declined" doc:"User's answer to terms of service for sharing data with Partner."`
	PartnerCode    string      `json:"partnerCode" doc:"A code generated for the user to share with Partner."`
	DateRegistered string      `json:"dateRegistered" doc:"Time at which user was registered on the system."`
	Updated        string      `json:"updated" doc:"Last updated timestamp."`
	Fraud          bool        `json:"fraud"`
}

func toUserJSON(u *milepost.User) userJSON {
	out := userJSON{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, EmailVerified: u.EmailVerified,
		Phone: u.Phone, PhoneVerified: u.PhoneVerified, AdminNote: u.AdminNote,
		CustomField1: u.CustomFields[0], CustomField2: u.CustomFields[1], CustomField3: u.CustomFields[2],
		CustomField4: u.CustomFields[3], CustomField5: u.CustomFields[4],
		Address: toAddressJSON(u.Address), TosAnswer: u.TOSAnswer, PartnerCode: u.PartnerCode,
		DateRegistered: formatTime(u.CreatedAt), Updated: formatTime(u.UpdatedAt), Fraud: u.Fraud,
	}
	if u.Policy != nil {
		out.PolicyInfo = &policyJSON{PolicyNumber: u.Policy.PolicyNumber, StartDate: formatTimePtr(u.Policy.StartDate), EndDate: formatTimePtr(u.Policy.EndDate)}
	}
	return out
}

// createUserRequest is the body of POST /api/users and /api/users/with-policy.
type createUserRequest struct {
	FirstName       string       `json:"firstName" required:"true"`
	LastName        string       `json:"lastName" required:"true"`
	Email           string       `json:"email"`
	IsEmailVerified bool         `json:"isEmailVerified" doc:"Has the user's email been verified by the partner?"`
	Phone           string       `json:"phone" required:"true" doc:"E.164 format +15556667777."`
	IsPhoneVerified bool         `json:"isPhoneVerified"`
	CustomField1    string       `json:"customField1"`
	CustomField2    string       `json:"customField2"`
	CustomField3    string       `json:"customField3"`
	CustomField4    string       `json:"customField4"`
	CustomField5    string       `json:"customField5"`
	Address         *addressJSON `json:"address" required:"true"`
}

// createUserWithPolicyRequest adds the required policy info.
type createUserWithPolicyRequest struct {
	createUserRequest
	PolicyInfo *policyJSON `json:"policyInfo" required:"true"`
}

func (req createUserRequest) domain() milepost.NewUser {
	return milepost.NewUser{
		FirstName: req.FirstName, LastName: req.LastName, Email: req.Email, EmailVerified: req.IsEmailVerified,
		Phone: req.Phone, PhoneVerified: req.IsPhoneVerified,
		CustomFields: [5]string{req.CustomField1, req.CustomField2, req.CustomField3, req.CustomField4, req.CustomField5},
		Address:      req.Address.domain(),
	}
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req createUserRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	return s.finishCreateUser(w, r, a, req.domain(), false)
}

func (s *Server) createUserWithPolicy(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req createUserWithPolicyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	in := req.createUserRequest.domain()
	p, err := req.PolicyInfo.domain("policyInfo.")
	if err != nil {
		return err
	}
	in.Policy = p
	return s.finishCreateUser(w, r, a, in, true)
}

func (s *Server) finishCreateUser(w http.ResponseWriter, r *http.Request, a milepost.Actor, in milepost.NewUser, withPolicy bool) error {
	q := query{r: r}
	ret := q.boolean("returnExistingUserIfExists")
	if q.err != nil {
		return q.err
	}
	opts := milepost.CreateUserOptions{WithPolicy: withPolicy, ReturnExisting: ret != nil && *ret}
	u, _, err := s.Users.CreateUser(r.Context(), a, in, opts)
	if err != nil {
		return err
	}
	return ok(w, toUserJSON(u))
}

// updateUserRequest is the body of PUT /api/users/{userId}; absent fields are left unchanged.
type updateUserRequest struct {
	FirstName       *string      `json:"firstName"`
	LastName        *string      `json:"lastName"`
	Email           *string      `json:"email"`
	IsEmailVerified *bool        `json:"isEmailVerified"`
	Phone           *string      `json:"phone" doc:"E.164 format +15556667777."`
	IsPhoneVerified *bool        `json:"isPhoneVerified"`
	CustomField1    *string      `json:"customField1"`
	CustomField2    *string      `json:"customField2"`
	CustomField3    *string      `json:"customField3"`
	CustomField4    *string      `json:"customField4"`
	CustomField5    *string      `json:"customField5"`
	Address         *addressJSON `json:"address" doc:"Replaces the whole address; state is required inside it."`
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req updateUserRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	upd := milepost.UserUpdate{
		FirstName: req.FirstName, LastName: req.LastName, Email: req.Email, EmailVerified: req.IsEmailVerified,
		Phone: req.Phone, PhoneVerified: req.IsPhoneVerified,
		CustomFields: [5]*string{req.CustomField1, req.CustomField2, req.CustomField3, req.CustomField4, req.CustomField5},
		Address:      req.Address.domain(),
	}
	u, err := s.Users.UpdateUser(r.Context(), a, r.PathValue("userId"), upd)
	if err != nil {
		return err
	}
	return ok(w, toUserJSON(u))
}

func (s *Server) updatePolicy(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req policyJSON
	if err := decode(r, &req); err != nil {
		return err
	}
	p, err := req.domain("")
	if err != nil {
		return err
	}
	u, err := s.Users.UpdatePolicy(r.Context(), a, r.PathValue("userId"), *p)
	if err != nil {
		return err
	}
	return ok(w, toUserJSON(u))
}

func (s *Server) getUserByPhone(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	u, err := s.Users.FindUserByPhone(r.Context(), a, r.PathValue("phoneNumber"))
	if err != nil {
		return err
	}
	return ok(w, toUserJSON(u))
}

func (s *Server) getUserByID(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	u, err := s.Users.FindUserByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, toUserJSON(u))
}

// userPageJSON is the page envelope of GET /api/users.
type userPageJSON struct {
	envelope
	Users []userJSON `json:"users"`
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q := query{r: r}
	f := milepost.UserFilter{
		PageRequest: q.page(), SortBy: q.oneOf("sortBy", milepost.UserSortKeys), SortDirection: q.direction(),
		SearchBy: q.oneOf("searchBy", milepost.UserSearchKeys), SearchValue: q.str("searchValue"),
	}
	if q.err != nil {
		return q.err
	}
	page, err := s.Users.ListUsers(r.Context(), a, f)
	if err != nil {
		return err
	}
	out := userPageJSON{envelope: newEnvelope(page.Page, page.TotalItems, len(page.Users)), Users: make([]userJSON, len(page.Users))}
	for i, u := range page.Users {
		out.Users[i] = toUserJSON(u)
	}
	return ok(w, out)
}
