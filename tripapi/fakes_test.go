package tripapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/openapi"
)

// The stand-ins below replace the store for handler tests: like the store, they validate with
// the domain's rules first (ApplyTrip, ApplyCar), then answer with a plausible record; they keep
// nothing.

// testClients are the client credentials fakeAuth accepts: client id → partner id and secret.
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

// knownUser is the one user of partner p1; knownTrip and knownCar are its records.
const (
	knownUser = "u1"
	knownTrip = "mlg_known"
	knownCar  = "car_known"
)

// fakeUsers knows one user; the other methods are not used by this dialect.
type fakeUsers struct{ milepost.UserService }

func (fakeUsers) FindUserByID(_ context.Context, a milepost.Actor, id string) (*milepost.User, error) {
	if id != knownUser || a.PartnerID != "p1" {
		return nil, milepost.Errorf(milepost.CodeNotFound, milepost.ReasonUserNotFound, "No user %s.", id)
	}
	return &milepost.User{ID: id, PartnerID: a.PartnerID}, nil
}

type fakeTrips struct{}

var _ milepost.TripService = fakeTrips{}

func requireUser(a milepost.Actor) error {
	if a.UserID == "" {
		return milepost.Errorf(milepost.CodeForbidden, milepost.ReasonNoPermissions, "Writing needs a user-scoped token.")
	}
	return nil
}

func (fakeTrips) SaveTrips(_ context.Context, a milepost.Actor, items []milepost.TripInput) ([]milepost.ItemResult[*milepost.Trip], error) {
	if err := requireUser(a); err != nil {
		return nil, err
	}
	out := make([]milepost.ItemResult[*milepost.Trip], len(items))
	for i, in := range items {
		var existing *milepost.Trip
		if in.ID != "" {
			if in.ID != knownTrip {
				out[i].Err = milepost.Errorf(milepost.CodeNotFound, "", "No mileage record %s.", in.ID)
				continue
			}
			existing = knownTripRecord(a)
		}
		t, err := milepost.ApplyTrip(existing, in)
		if err != nil {
			out[i].Err = err
			continue
		}
		if t.ID == "" {
			t.ID, t.PartnerID, t.UserID, t.CreatedAt = knownTrip, a.PartnerID, a.UserID, testTime
		}
		out[i].Value = t
	}
	return out, nil
}

func knownTripRecord(a milepost.Actor) *milepost.Trip {
	return &milepost.Trip{ID: knownTrip, PartnerID: a.PartnerID, UserID: knownUser, Date: testTime, Status: milepost.TripActive,
		MileageStatus: milepost.MileagePending, DistanceUnit: milepost.Miles, DistanceMicro: 12_500_000, CreatedAt: testTime}
}

func (fakeTrips) QueryTrips(_ context.Context, a milepost.Actor, q milepost.TripQuery) (*milepost.TripPage, error) {
	if q.Limit < 0 || q.Limit > milepost.MaxQueryLimit {
		return nil, milepost.Invalidf("limit", "limit must be from 0 to %d.", milepost.MaxQueryLimit)
	}
	return &milepost.TripPage{Trips: []*milepost.Trip{knownTripRecord(a)}}, nil
}

func (fakeTrips) FindTrip(_ context.Context, a milepost.Actor, id string) (*milepost.Trip, error) {
	if id != knownTrip || a.PartnerID != "p1" {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "No mileage record %s.", id)
	}
	return knownTripRecord(a), nil
}

func (f fakeTrips) DeleteTrip(ctx context.Context, a milepost.Actor, id string) (*milepost.Trip, error) {
	if err := requireUser(a); err != nil {
		return nil, err
	}
	t, err := f.FindTrip(ctx, a, id)
	if err != nil {
		return nil, err
	}
	t.Status = milepost.TripInactive
	return t, nil
}

func (fakeTrips) SaveCars(_ context.Context, a milepost.Actor, items []milepost.CarInput) ([]milepost.ItemResult[*milepost.Car], error) {
	if err := requireUser(a); err != nil {
		return nil, err
	}
	out := make([]milepost.ItemResult[*milepost.Car], len(items))
	for i, in := range items {
		if in.ID != "" && in.ID != knownCar {
			out[i].Err = milepost.Errorf(milepost.CodeNotFound, "", "No car %s.", in.ID)
			continue
		}
		c, err := milepost.ApplyCar(nil, in, testTime)
		if err != nil {
			out[i].Err = err
			continue
		}
		c.ID, c.PartnerID, c.UserID, c.CreatedAt = knownCar, a.PartnerID, a.UserID, testTime
		out[i].Value = c
	}
	return out, nil
}

func (fakeTrips) QueryCars(_ context.Context, a milepost.Actor, q milepost.TripQuery) (*milepost.CarPage, error) {
	return &milepost.CarPage{}, nil
}

func (fakeTrips) FindCar(_ context.Context, a milepost.Actor, id string) (*milepost.Car, error) {
	if id != knownCar || a.PartnerID != "p1" {
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "No car %s.", id)
	}
	return &milepost.Car{ID: id, PartnerID: a.PartnerID, UserID: knownUser, Make: "Honda", Model: "Civic", Status: "ACTIVE", CreatedAt: testTime}, nil
}

func (f fakeTrips) DeleteCar(ctx context.Context, a milepost.Actor, id string) (*milepost.Car, error) {
	return f.FindCar(ctx, a, id)
}

// testServer is the Tight API over the stand-ins, mounted as the binary mounts it.
type testServer struct {
	*Server
	mux http.Handler
}

func newTestServer(t testing.TB, lim *httpx.RateLimiter) *testServer {
	t.Helper()
	s := New(Config{Auth: fakeAuth{}, Users: fakeUsers{}, Trips: fakeTrips{}, Tokens: httpx.NewTokens([]byte("test-key"), time.Hour), Limiter: lim})
	mux := http.NewServeMux()
	s.Register(mux, openapi.New("test", "0", "test"))
	return &testServer{Server: s, mux: httpx.WithRequestID(mux)}
}

func (ts *testServer) serve(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	ts.mux.ServeHTTP(rec, r)
	return rec
}

// token issues a token of this dialect: partner-level, or for userID.
func (ts *testServer) token(t testing.TB, partnerID, userID string) string {
	t.Helper()
	a := milepost.Actor{PartnerID: partnerID, Scope: milepost.ScopeAdmin}
	if userID != "" {
		a = milepost.Actor{PartnerID: partnerID, Scope: milepost.ScopeUser, UserID: userID}
	}
	tok, err := ts.Tokens.Issue(a, audience)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func from(r *http.Request, addr string) *http.Request {
	r.RemoteAddr = addr + ":40000"
	return r
}
