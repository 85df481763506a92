package odometerapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/openapi"
)

// The stand-ins below replace the store for handler tests: like the store, they validate with
// the domain's rules first, then answer with a plausible record; they keep nothing.

// testClients are the OAuth2 clients fakeAuth accepts: client id → partner id and secret.
var testClients = map[string]struct{ partner, secret string }{
	"c1": {"p1", "s1"},
	"c2": {"p2", "s2"},
}

type fakeAuth struct{}

func (fakeAuth) Authenticate(_ context.Context, partnerID, clientID, secret string) (*milepost.Partner, error) {
	c, ok := testClients[clientID]
	if !ok || c.secret != secret || (partnerID != "" && partnerID != c.partner) {
		return nil, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "Wrong credentials.")
	}
	return &milepost.Partner{ID: c.partner, ClientID: clientID}, nil
}

var testTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// knownID is the one registration the stand-in has, owned by partner p1.
const knownID = "0195f0c2-7a1b-7c3d-8e4f-0123456789ab"

type fakeRegistrations struct{}

func (fakeRegistrations) CreateRegistration(_ context.Context, a milepost.Actor, in milepost.NewOdometerRegistration) (*milepost.OdometerRegistration, error) {
	if err := a.RequireAdmin(); err != nil {
		return nil, err
	}
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	return &milepost.OdometerRegistration{ID: knownID, PartnerID: a.PartnerID, VIN: in.VIN, ValueKm: in.ValueKm, TicketID: in.TicketID,
		CreatedAt: testTime}, nil
}

func (fakeRegistrations) FindRegistration(_ context.Context, a milepost.Actor, id string) (*milepost.OdometerRegistration, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	switch {
	case !milepost.ValidUUID(id):
		return nil, milepost.Invalidf("odometer-registration-id", "The odometer registration id must be a UUID.")
	case id != knownID:
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "No odometer registration %s.", id)
	case a.PartnerID != "p1":
		return nil, milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "This odometer registration belongs to another partner.")
	}
	return &milepost.OdometerRegistration{ID: id, PartnerID: "p1", VIN: "WVWZZZ1JZXW000001", ValueKm: 1234.5, CreatedAt: testTime}, nil
}

// ListRegistrations checks the filter as the store does and returns as many registrations as
// the page asks for, up to 3.
func (fakeRegistrations) ListRegistrations(_ context.Context, a milepost.Actor, f milepost.RegistrationFilter) (*milepost.RegistrationPage, error) {
	f.VIN = milepost.NormalizeVIN(f.VIN)
	switch {
	case !milepost.ValidVINShape(f.VIN):
		return nil, milepost.Invalidf("vin", "vin is required: exactly 17 characters of the VIN alphabet.")
	case f.Limit < 0 || f.Limit > 1000:
		return nil, milepost.Invalidf("limit", "limit must be between 0 and 1000.")
	case f.Offset < 0:
		return nil, milepost.Invalidf("offset", "offset must be 0 or more.")
	}
	page := &milepost.RegistrationPage{Total: 3}
	for i := f.Offset; i < 3 && len(page.Registrations) < f.Limit; i++ {
		page.Registrations = append(page.Registrations, &milepost.OdometerRegistration{ID: knownID, PartnerID: a.PartnerID, VIN: f.VIN,
			ValueKm: float64(1000 * (i + 1)), CreatedAt: testTime})
	}
	return page, nil
}

// testServer is the Jifeline API over the stand-ins, mounted as the binary mounts it.
type testServer struct {
	*Server
	mux http.Handler
}

func newTestServer(t testing.TB, lim *httpx.RateLimiter) *testServer {
	t.Helper()
	s := New(Config{Auth: fakeAuth{}, Registrations: fakeRegistrations{}, Tokens: httpx.NewTokens([]byte("test-key"), time.Hour), Limiter: lim})
	mux := http.NewServeMux()
	s.Register(mux, openapi.New("test", "0", "test"))
	return &testServer{Server: s, mux: httpx.WithRequestID(mux)}
}

func (ts *testServer) serve(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	ts.mux.ServeHTTP(rec, r)
	return rec
}

// apiKey authenticates r as client c1 or c2 with the X-Api-Key header.
func apiKey(r *http.Request, clientID string) *http.Request {
	r.Header.Set("X-Api-Key", clientID+":"+testClients[clientID].secret)
	return r
}

func from(r *http.Request, addr string) *http.Request {
	r.RemoteAddr = addr + ":40000"
	return r
}
