package console

import (
	"bytes"
	"context"
	"io"
	"slices"
	"sync"

	"github.com/milepost/milepost"
)

// fake is an in-memory stand-in for the domain services the console calls, with the same
// access rule as the store: another partner's record is CodeForbidden, a missing one
// CodeNotFound.
type fake struct {
	mu        sync.Mutex
	passwords map[string]string // e-mail → password
	reviewers map[string]*milepost.Reviewer
	sessions  map[string]*milepost.ConsoleSession
	signInErr error // returned by SignIn when set

	checkins  map[string]*milepost.Checkin
	signals   map[string][]milepost.Signal
	vehicles  map[string]*milepost.Vehicle
	users     map[string]*milepost.User
	rewards   []*milepost.Reward
	uploads   map[string]*milepost.Upload
	blobs     map[string][]byte
	history   map[string]*milepost.OdometerHistory
	audit     []*milepost.AuditEntry
	decisions []milepost.ReviewDecision
	filters   []milepost.ReviewFilter
	decideErr error
}

func newFake() *fake {
	return &fake{passwords: map[string]string{}, reviewers: map[string]*milepost.Reviewer{}, sessions: map[string]*milepost.ConsoleSession{},
		checkins: map[string]*milepost.Checkin{}, signals: map[string][]milepost.Signal{}, vehicles: map[string]*milepost.Vehicle{},
		users: map[string]*milepost.User{}, uploads: map[string]*milepost.Upload{}, blobs: map[string][]byte{},
		history: map[string]*milepost.OdometerHistory{}}
}

// config wires the fake into every service of a console Config.
func (f *fake) config() Config {
	return Config{Reviewers: f, Reviews: f, Audit: f, Checkins: f, Vehicles: f, Users: f, Odometer: f,
		Registrations: f, Trips: f, Rewards: f, Uploads: f}
}

func (f *fake) addReviewer(partnerID, email, password string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.passwords[email] = password
	f.reviewers[email] = &milepost.Reviewer{ID: "rev-" + email, PartnerID: partnerID, Email: email}
}

// session opens a session directly, as a signed-in browser would hold it.
func (f *fake) session(email string) *milepost.ConsoleSession {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := &milepost.ConsoleSession{Token: "tok-" + email, CSRF: "csrf-" + email, Reviewer: f.reviewers[email]}
	f.sessions[s.Token] = s
	return s
}

var errForbidden = milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "Forbidden.")

func notFound(what string) error {
	return milepost.Errorf(milepost.CodeNotFound, "", "%s not found.", what)
}

func (f *fake) SignIn(_ context.Context, email, password string) (*milepost.ConsoleSession, error) {
	if f.signInErr != nil {
		return nil, f.signInErr
	}
	f.mu.Lock()
	ok := f.passwords[email] == password && password != ""
	f.mu.Unlock()
	if !ok {
		return nil, milepost.Errorf(milepost.CodeUnauthorized, "", "Wrong e-mail or password.")
	}
	return f.session(email), nil
}

func (f *fake) Session(_ context.Context, token string) (*milepost.ConsoleSession, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.sessions[token]; ok {
		return s, nil
	}
	return nil, milepost.Errorf(milepost.CodeUnauthorized, "", "Please sign in.")
}

func (f *fake) SignOut(_ context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sessions, token)
	return nil
}

func (f *fake) ReviewQueue(_ context.Context, actor milepost.Actor, rf milepost.ReviewFilter) (*milepost.CheckinPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filters = append(f.filters, rf)
	page := &milepost.CheckinPage{Page: rf.PageRequest}
	for _, c := range f.checkins {
		if c.PartnerID == actor.PartnerID && !c.Status.Final() && (rf.Type == "" || c.Type == rf.Type) {
			page.Checkins = append(page.Checkins, c)
		}
	}
	slices.SortFunc(page.Checkins, func(a, b *milepost.Checkin) int { return a.CreatedAt.Compare(b.CreatedAt) })
	page.TotalItems = len(page.Checkins)
	return page, nil
}

func (f *fake) find(actor milepost.Actor, id string) (*milepost.Checkin, error) {
	c, ok := f.checkins[id]
	if !ok {
		return nil, notFound("Check-in")
	}
	if c.PartnerID != actor.PartnerID {
		return nil, errForbidden
	}
	return c, nil
}

func (f *fake) ReviewCheckin(_ context.Context, actor milepost.Actor, id string) (*milepost.CheckinReview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.find(actor, id)
	if err != nil {
		return nil, err
	}
	cp := *c
	cp.Photos = slices.Clone(c.Photos)
	for i := range cp.Photos {
		cp.Photos[i].Upload = f.uploads[cp.Photos[i].UploadID]
	}
	return &milepost.CheckinReview{Checkin: &cp, Vehicle: f.vehicles[c.VehicleID], User: f.users[c.UserID], Signals: f.signals[id],
		Transitions: []milepost.Transition{{To: milepost.StatusPending, By: milepost.ByPartner, At: c.CreatedAt}}}, nil
}

func (f *fake) DecideCheckin(ctx context.Context, actor milepost.Actor, id string, d milepost.ReviewDecision) (*milepost.CheckinReview, error) {
	f.mu.Lock()
	c, err := f.find(actor, id)
	if err == nil && f.decideErr != nil {
		err = f.decideErr
	}
	if err == nil && c.Status.Final() {
		err = milepost.Errorf(milepost.CodeConflict, milepost.ReasonCheckinFinal, "This check-in is %s, which is final.", c.Status)
	}
	if err != nil {
		f.mu.Unlock()
		return nil, err
	}
	f.decisions = append(f.decisions, d)
	f.audit = append(f.audit, &milepost.AuditEntry{PartnerID: c.PartnerID, CheckinID: id, CheckinType: c.Type, Reviewer: d.Reviewer,
		From: c.Status, To: d.Status, NoteBefore: c.AdminNote, NoteAfter: d.AdminNote, Photos: d.Photos})
	c.Status, c.AdminNote = d.Status, d.AdminNote
	f.mu.Unlock()
	return f.ReviewCheckin(ctx, actor, id)
}

func (f *fake) ReviewAudit(_ context.Context, actor milepost.Actor, af milepost.AuditFilter) (*milepost.AuditPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	page := &milepost.AuditPage{Page: af.PageRequest}
	for _, e := range slices.Backward(f.audit) {
		if e.PartnerID == actor.PartnerID && (af.CheckinID == "" || e.CheckinID == af.CheckinID) {
			page.Entries = append(page.Entries, e)
		}
	}
	page.TotalItems = len(page.Entries)
	return page, nil
}

func (f *fake) ReviewCounts(_ context.Context, actor milepost.Actor) (*milepost.ReviewCounts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := &milepost.ReviewCounts{}
	for _, c := range f.checkins {
		if c.PartnerID != actor.PartnerID {
			continue
		}
		switch c.Status {
		case milepost.StatusPending:
			n.Pending++
		case milepost.StatusOnHold:
			n.OnHold++
		}
	}
	return n, nil
}

func (f *fake) PreviousConfirmed(context.Context, milepost.Actor, string) (*milepost.Checkin, error) {
	return nil, nil
}

func (f *fake) ListVehicleCheckins(_ context.Context, actor milepost.Actor, vehicleID string, t milepost.CheckinType) ([]*milepost.Checkin, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*milepost.Checkin
	for _, c := range f.checkins {
		if c.VehicleID == vehicleID && c.Type == t && c.PartnerID == actor.PartnerID {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fake) ListUserAddressCheckins(_ context.Context, actor milepost.Actor, userID string) ([]*milepost.Checkin, error) {
	return nil, nil
}

func (f *fake) FindVehicleByID(_ context.Context, actor milepost.Actor, id string) (*milepost.Vehicle, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.vehicles[id]
	switch {
	case !ok:
		return nil, notFound("Vehicle")
	case v.PartnerID != actor.PartnerID:
		return nil, errForbidden
	}
	return v, nil
}

func (f *fake) FindUserByID(_ context.Context, actor milepost.Actor, id string) (*milepost.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[id]
	switch {
	case !ok:
		return nil, notFound("User")
	case u.PartnerID != actor.PartnerID:
		return nil, errForbidden
	}
	return u, nil
}

func (f *fake) VehicleOdometerHistory(_ context.Context, actor milepost.Actor, vehicleID string) (*milepost.OdometerHistory, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h, ok := f.history[vehicleID]; ok {
		return h, nil
	}
	return &milepost.OdometerHistory{VIN: f.vehicles[vehicleID].VIN}, nil
}

func (f *fake) ListRegistrations(context.Context, milepost.Actor, milepost.RegistrationFilter) (*milepost.RegistrationPage, error) {
	return &milepost.RegistrationPage{}, nil
}

func (f *fake) MileageLogData(context.Context, string, string) (*milepost.OdometerHistory, []*milepost.Trip, error) {
	return &milepost.OdometerHistory{}, nil, nil
}

func (f *fake) UserRewards(_ context.Context, actor milepost.Actor, userID string, _ bool) ([]*milepost.Reward, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*milepost.Reward
	for _, r := range f.rewards {
		if r.UserID == userID && r.PartnerID == actor.PartnerID {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fake) UserPayouts(context.Context, milepost.Actor, string) ([]*milepost.Payout, error) {
	return nil, nil
}

func (f *fake) OpenUpload(_ context.Context, actor milepost.Actor, id string) (*milepost.Upload, io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.uploads[id]
	switch {
	case !ok:
		return nil, nil, notFound("Upload")
	case u.PartnerID != actor.PartnerID:
		return nil, nil, errForbidden
	}
	return u, io.NopCloser(bytes.NewReader(f.blobs[id])), nil
}
