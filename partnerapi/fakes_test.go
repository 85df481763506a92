package partnerapi

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
	"github.com/milepost/milepost/openapi"
	"github.com/milepost/milepost/vin"
)

// The stand-ins below replace the store for handler tests. Like the store, they first validate
// inputs with the domain's own rules (the root package), then answer with a plausible record;
// they keep nothing. Services no test reaches are left nil inside the embedded interface.

const testPublicURL = "http://milepost.test"

// testPartners are the credentials fakeAuth accepts: client id → partner id and secret.
var testPartners = map[string]struct{ partner, secret string }{
	"c1": {"p1", "s1"},
	"c2": {"p2", "s2"},
}

type fakeAuth struct{}

func (fakeAuth) Authenticate(_ context.Context, partnerID, clientID, secret string) (*milepost.Partner, error) {
	p, ok := testPartners[clientID]
	if !ok || p.secret != secret || (partnerID != "" && partnerID != p.partner) {
		return nil, milepost.Errorf(milepost.CodeUnauthorized, milepost.ReasonUnauthorized, "Wrong credentials.")
	}
	return &milepost.Partner{ID: p.partner, ClientID: clientID}, nil
}

var testTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func sampleUser(partnerID, id string) *milepost.User {
	return &milepost.User{ID: id, PartnerID: partnerID, FirstName: "Ann", LastName: "Lee", Phone: "+15556667777",
		Address: milepost.Address{State: "CA", Country: "US"}, CreatedAt: testTime, UpdatedAt: testTime}
}

// findUser answers the ids "u…" as users of the actor's partner and anything else as unknown.
func findUser(a milepost.Actor, id string) (*milepost.User, error) {
	if !strings.HasPrefix(id, "u") {
		return nil, milepost.Errorf(milepost.CodeNotFound, milepost.ReasonUserNotFound, "User not found.")
	}
	if err := a.CanAccessUser(a.PartnerID, id); err != nil {
		return nil, err
	}
	return sampleUser(a.PartnerID, id), nil
}

type fakeUsers struct{ milepost.UserService }

func (fakeUsers) CreateUser(_ context.Context, a milepost.Actor, in milepost.NewUser, opts milepost.CreateUserOptions) (*milepost.User, bool, error) {
	in, err := in.Validate(opts.WithPolicy, false)
	if err != nil {
		return nil, false, err
	}
	u := &milepost.User{ID: "u-new", PartnerID: a.PartnerID, FirstName: in.FirstName, LastName: in.LastName, Email: in.Email,
		EmailVerified: in.EmailVerified, Phone: in.Phone, PhoneVerified: in.PhoneVerified, CustomFields: in.CustomFields,
		Policy: in.Policy, CreatedAt: testTime, UpdatedAt: testTime}
	if in.Address != nil {
		u.Address = *in.Address
	}
	return u, true, nil
}

func (fakeUsers) UpdateUser(_ context.Context, a milepost.Actor, id string, upd milepost.UserUpdate) (*milepost.User, error) {
	upd, err := upd.Validate()
	if err != nil {
		return nil, err
	}
	u, err := findUser(a, id)
	if err != nil {
		return nil, err
	}
	upd.Apply(u)
	return u, nil
}

func (fakeUsers) UpdatePolicy(_ context.Context, a milepost.Actor, id string, p milepost.PolicyInfo) (*milepost.User, error) {
	p, err := p.Validate("policyInfo", false)
	if err != nil {
		return nil, err
	}
	u, err := findUser(a, id)
	if err != nil {
		return nil, err
	}
	u.Policy = &p
	return u, nil
}

func (fakeUsers) FindUserByID(_ context.Context, a milepost.Actor, id string) (*milepost.User, error) {
	return findUser(a, id)
}

func sampleVehicle(a milepost.Actor) *milepost.Vehicle {
	return &milepost.Vehicle{ID: "v1", PartnerID: a.PartnerID, UserID: "u1", VIN: "1HGCM82633A004352", Make: "Honda", Model: "Accord",
		Year: 2003, Active: true, CreatedAt: testTime, UpdatedAt: testTime, Owner: milepost.VehicleOwner{ID: "u1", FirstName: "Ann", LastName: "Lee"}}
}

type fakeVehicles struct {
	milepost.VehicleService
	vin *vin.Validator
}

func (f fakeVehicles) CreateVehicleByVIN(_ context.Context, a milepost.Actor, in milepost.NewVehicleByVIN) (*milepost.Vehicle, error) {
	in, err := in.Validate(testTime)
	if err != nil {
		return nil, err
	}
	if _, err := f.vin.ValidateVIN(in.VIN, in.Make, in.Year); err != nil {
		return nil, err
	}
	if _, err := findUser(a, in.UserID); err != nil {
		return nil, err
	}
	v := sampleVehicle(a)
	v.UserID, v.VIN, v.Make, v.Model, v.Year, v.License, v.State = in.UserID, in.VIN, in.Make, in.Model, in.Year, in.LicensePlate, in.State
	return v, nil
}

func (fakeVehicles) CreateVehicleByPlate(_ context.Context, a milepost.Actor, in milepost.NewVehicleByPlate) (*milepost.Vehicle, error) {
	in, err := in.Validate()
	if err != nil {
		return nil, err
	}
	v := sampleVehicle(a)
	v.License, v.State, v.InitialMileage = in.LicensePlate, in.State, in.Mileage
	return v, nil
}

func (fakeVehicles) UpdateVehicle(_ context.Context, a milepost.Actor, upd milepost.VehicleUpdate) (*milepost.Vehicle, error) {
	upd, err := upd.Validate()
	if err != nil {
		return nil, err
	}
	v := sampleVehicle(a)
	if upd.LicensePlate != nil {
		v.License = *upd.LicensePlate
	}
	if upd.State != nil {
		v.State = *upd.State
	}
	return v, nil
}

func sampleUpload(a milepost.Actor, id string) *milepost.Upload {
	return &milepost.Upload{ID: id, PartnerID: a.PartnerID, UserID: "u1", Kind: milepost.UploadPhoto, SHA256: "00", Size: 4,
		Media: milepost.Media{ContentType: "image/jpeg", Width: 8, Height: 8}, CreatedAt: testTime}
}

type fakeUploads struct {
	milepost.UploadService
	maxBytes int64
}

func (f fakeUploads) Upload(_ context.Context, a milepost.Actor, kind milepost.UploadKind, in milepost.NewUpload) (*milepost.Upload, error) {
	in, err := in.Validate(kind, f.maxBytes)
	if err != nil {
		return nil, err
	}
	if _, err := findUser(a, in.UserID); err != nil {
		return nil, err
	}
	u := sampleUpload(a, "ph-new")
	u.Kind, u.UserID, u.Name, u.Size, u.Device, u.TakenOn, u.Latitude, u.Longitude = kind, in.UserID, in.Name, int64(len(in.Data)),
		in.Device, in.TakenOn, in.Latitude, in.Longitude
	return u, nil
}

func (fakeUploads) OpenUpload(_ context.Context, a milepost.Actor, id string) (*milepost.Upload, io.ReadCloser, error) {
	return sampleUpload(a, id), io.NopCloser(strings.NewReader("jpeg")), nil
}

func (fakeUploads) OpenUploadUnchecked(_ context.Context, id string) (*milepost.Upload, io.ReadCloser, error) {
	return sampleUpload(milepost.Actor{PartnerID: "p1"}, id), io.NopCloser(strings.NewReader("jpeg")), nil
}

// sampleCheckin is a Pending check-in holding the evidence it was given.
func sampleCheckin(a milepost.Actor, t milepost.CheckinType, roles map[milepost.PhotoRole][]milepost.EvidenceRef) *milepost.Checkin {
	c := &milepost.Checkin{ID: "ck1", PartnerID: a.PartnerID, UserID: "u1", Type: t, Status: milepost.StatusPending, Run: 1,
		SubmittedAt: testTime, CreatedAt: testTime, UpdatedAt: testTime}
	if t != milepost.CheckinProofOfAddress {
		c.VehicleID = "v1"
	}
	for role, refs := range roles {
		for _, r := range refs {
			c.Photos = append(c.Photos, milepost.CheckinPhoto{UploadID: r.UploadID, Role: role, Kind: r.Kind, Ordinal: r.Ordinal,
				AttachedAt: testTime, Upload: sampleUpload(a, r.UploadID)})
		}
	}
	return c
}

type fakeCheckins struct{ milepost.CheckinService }

func (fakeCheckins) mileage(a milepost.Actor, in milepost.NewMileageCheckin, create bool) (*milepost.Checkin, error) {
	in, err := in.Validate(create)
	if err != nil {
		return nil, err
	}
	c := sampleCheckin(a, milepost.CheckinMileage, map[milepost.PhotoRole][]milepost.EvidenceRef{
		milepost.RoleLicense: in.LicensePhotos, milepost.RoleOdometer: in.OdometerPhotos})
	c.License, c.State, c.Mileage = in.LicensePlate, in.State, in.Mileage
	return c, nil
}

func (f fakeCheckins) CreateMileageCheckin(_ context.Context, a milepost.Actor, in milepost.NewMileageCheckin) (*milepost.Checkin, error) {
	return f.mileage(a, in, true)
}

func (f fakeCheckins) UpdateMileageCheckin(_ context.Context, a milepost.Actor, _ string, in milepost.NewMileageCheckin) (*milepost.Checkin, error) {
	return f.mileage(a, in, false)
}

func (fakeCheckins) condition(a milepost.Actor, in milepost.NewConditionCheckin, create bool) (*milepost.Checkin, error) {
	in, err := in.Validate(create)
	if err != nil {
		return nil, err
	}
	c := sampleCheckin(a, milepost.CheckinCondition, map[milepost.PhotoRole][]milepost.EvidenceRef{milepost.RoleAngle: in.Photos})
	c.UserNote = in.UserNote
	return c, nil
}

func (f fakeCheckins) CreateConditionCheckin(_ context.Context, a milepost.Actor, in milepost.NewConditionCheckin) (*milepost.Checkin, error) {
	return f.condition(a, in, true)
}

func (f fakeCheckins) UpdateConditionCheckin(_ context.Context, a milepost.Actor, _ string, in milepost.NewConditionCheckin) (*milepost.Checkin, error) {
	return f.condition(a, in, false)
}

func (fakeCheckins) address(a milepost.Actor, in milepost.NewAddressCheckin, create bool) (*milepost.Checkin, error) {
	in, err := in.Validate(create)
	if err != nil {
		return nil, err
	}
	c := sampleCheckin(a, milepost.CheckinProofOfAddress, map[milepost.PhotoRole][]milepost.EvidenceRef{
		milepost.RoleHome: in.Photos, milepost.RoleDocument: in.Documents})
	c.DocumentType, c.AddressType, c.Address, c.Latitude, c.Longitude, c.UserNote = in.DocumentType, in.AddressType, in.Address,
		in.Latitude, in.Longitude, in.UserNote
	return c, nil
}

func (f fakeCheckins) CreateAddressCheckin(_ context.Context, a milepost.Actor, in milepost.NewAddressCheckin) (*milepost.Checkin, error) {
	return f.address(a, in, true)
}

func (f fakeCheckins) UpdateAddressCheckin(_ context.Context, a milepost.Actor, _ string, in milepost.NewAddressCheckin) (*milepost.Checkin, error) {
	return f.address(a, in, false)
}

type fakeReviews struct{ milepost.ReviewService }

func (fakeReviews) DecideCheckin(_ context.Context, a milepost.Actor, _ string, d milepost.ReviewDecision) (*milepost.CheckinReview, error) {
	d, err := d.Validate()
	if err != nil {
		return nil, err
	}
	c := sampleCheckin(a, milepost.CheckinMileage, nil)
	c.Status, c.AdminNote = d.Status, d.AdminNote
	for _, p := range d.Photos {
		c.Photos = append(c.Photos, milepost.CheckinPhoto{UploadID: p.UploadID, Role: milepost.RoleOdometer, Upload: sampleUpload(a, p.UploadID)})
	}
	return &milepost.CheckinReview{Checkin: c, Vehicle: sampleVehicle(a), User: sampleUser(a.PartnerID, "u1")}, nil
}

type fakeRewards struct{ milepost.RewardService }

func (fakeRewards) Grant(_ context.Context, a milepost.Actor, g milepost.GrantInput) (*milepost.Reward, bool, error) {
	g, err := g.Validate()
	if err != nil {
		return nil, false, err
	}
	if _, err := findUser(a, g.UserID); err != nil {
		return nil, false, err
	}
	return &milepost.Reward{ID: "XT_1", PartnerID: a.PartnerID, UserID: g.UserID, Type: milepost.RewardCustom, Status: milepost.RewardConfirmed,
		AmountCents: g.AmountCents, ActionCode: g.ActionCode, ClientReference: g.ClientReference, CreatedAt: testTime}, false, nil
}

type fakeWebhooks struct{ milepost.WebhookService }

func (fakeWebhooks) AddEndpoint(_ context.Context, a milepost.Actor, url string) (*milepost.WebhookEndpoint, error) {
	url, err := milepost.ValidateWebhookURL(url)
	if err != nil {
		return nil, err
	}
	return &milepost.WebhookEndpoint{ID: "wh1", PartnerID: a.PartnerID, URL: url, Secret: "whsec", Active: true, CreatedAt: testTime}, nil
}

// testServer is a partner API over the stand-ins, mounted on a mux as the binary mounts it.
type testServer struct {
	*Server
	mux    *http.ServeMux
	tokens *httpx.Tokens
}

func newTestServer(t testing.TB, lim *httpx.RateLimiter) *testServer {
	t.Helper()
	tokens := httpx.NewTokens([]byte("test-key"), time.Hour)
	s := New(Config{
		Auth: fakeAuth{}, Users: fakeUsers{}, Vehicles: fakeVehicles{vin: vin.New(vin.WithClock(func() time.Time { return testTime }))},
		Uploads: fakeUploads{maxBytes: testMaxUpload}, Checkins: fakeCheckins{}, Reviews: fakeReviews{}, Rewards: fakeRewards{},
		Webhooks: fakeWebhooks{}, Tokens: tokens, Signer: httpx.NewSigner([]byte("link-key")), PublicURL: testPublicURL,
		MaxUploadBytes: testMaxUpload, Limiter: lim,
	})
	mux := http.NewServeMux()
	s.Register(mux, openapi.New("test", "0", "test"))
	return &testServer{Server: s, mux: mux, tokens: tokens}
}

// testMaxUpload keeps upload bodies small in tests.
const testMaxUpload = 3000

// token returns a bearer token of this dialect for the actor.
func (ts *testServer) token(t testing.TB, a milepost.Actor) string {
	t.Helper()
	tok, err := ts.tokens.Issue(a, audience)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// legacy sets the partnerId/clientId/clientSecret headers of client c1 or c2.
func legacy(r *http.Request, clientID string) *http.Request {
	p := testPartners[clientID]
	r.Header.Set("partnerId", p.partner)
	r.Header.Set("clientId", clientID)
	r.Header.Set("clientSecret", p.secret)
	return r
}
