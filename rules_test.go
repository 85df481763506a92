package milepost_test

import (
	"errors"
	"testing"
	"time"

	"github.com/milepost/milepost"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+15556667777", "+15556667777"},
		{"5556667777", "+15556667777"},
		{"1 (555) 666-7777", "+15556667777"},
		{"+44 20 7946 0958", "+442079460958"},
		{"555.666.7777", "+15556667777"},
		{"+1555666777", ""},       // +1 needs 10 digits
		{"666777", ""},            // too short
		{"+0123456789", ""},       // no country code starts with 0
		{"call me", ""},           // letters
		{"", ""},                  // empty
		{"+1234567890123456", ""}, // over 15 digits
	}
	for _, tt := range tests {
		got, err := milepost.NormalizePhone("phone", tt.in)
		if tt.want == "" {
			if milepost.ErrorCode(err) != milepost.CodeInvalid || milepost.ErrorParams(err)[0] != "phone" {
				t.Errorf("NormalizePhone(%q) = %q, %v; want an invalid-phone error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestAddressNormalize(t *testing.T) {
	tests := []struct {
		name   string
		in     milepost.Address
		reason string
	}{
		{"ok", milepost.Address{State: " ny ", Zip: "10001-1234"}, ""},
		{"missing state", milepost.Address{City: "X"}, milepost.ReasonInvalidStateCode},
		{"unknown state", milepost.Address{State: "XX"}, milepost.ReasonInvalidStateCode},
		{"territory", milepost.Address{State: "PR"}, ""},
		{"country USA", milepost.Address{State: "CA", Country: "usa"}, ""},
		{"country Canada", milepost.Address{State: "CA", Country: "CA"}, milepost.ReasonInvalidParameters},
		{"bad zip", milepost.Address{State: "CA", Zip: "9410"}, milepost.ReasonInvalidParameters},
	}
	for _, tt := range tests {
		got, err := tt.in.Normalize("address")
		if milepost.ErrorReason(err) != tt.reason {
			t.Errorf("%s: err %v, want reason %q", tt.name, err, tt.reason)
		}
		if err == nil && (got.Country != "US" || len(got.State) != 2 || got.State[0] < 'A' || got.State[0] > 'Z') {
			t.Errorf("%s: normalized %+v", tt.name, got)
		}
	}
}

func TestNormalizePlate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abc 123", "ABC123", true},
		{"7-ABC-123", "7ABC123", true},
		{"", "", true},
		{"ABC_123", "", false},
		{"ABCDEFGHIJK", "", false},
	}
	for _, tt := range tests {
		got, err := milepost.NormalizePlate("licensePlate", tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizePlate(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestPageRequest(t *testing.T) {
	p, err := milepost.PageRequest{}.Normalize()
	if err != nil || p.Size != milepost.DefaultPageSize {
		t.Fatalf("default page %+v %v", p, err)
	}
	for _, bad := range []milepost.PageRequest{{Page: -1}, {Size: -1}, {Size: milepost.MaxPageSize + 1}} {
		if _, err := bad.Normalize(); milepost.ErrorCode(err) != milepost.CodeInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	p = milepost.PageRequest{Page: 2, Size: 10}
	if p.Offset() != 20 || p.TotalPages(21) != 3 || p.TotalPages(0) != 0 || p.TotalPages(20) != 2 {
		t.Fatalf("paging arithmetic wrong for %+v", p)
	}
}

func TestNewUserValidate(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	base := func() milepost.NewUser {
		return milepost.NewUser{FirstName: " Ann ", LastName: "Lee", Phone: "5556667777", Email: " a@b.co ", Address: &milepost.Address{State: "ca"}}
	}
	u, err := base().Validate(false, false)
	if err != nil || u.FirstName != "Ann" || u.Phone != "+15556667777" || u.Email != "a@b.co" || u.Address.State != "CA" || u.Policy != nil {
		t.Fatalf("Validate = %+v, %v", u, err)
	}
	tests := []struct {
		name          string
		mut           func(*milepost.NewUser)
		policy, dates bool
		param         string
	}{
		{"no first name", func(u *milepost.NewUser) { u.FirstName = "" }, false, false, "firstName"},
		{"long last name", func(u *milepost.NewUser) { u.LastName = string(make([]byte, 101)) }, false, false, "lastName"},
		{"bad email", func(u *milepost.NewUser) { u.Email = "a@b" }, false, false, "email"},
		{"no address", func(u *milepost.NewUser) { u.Address = nil }, false, false, "address"},
		{"policy required", func(u *milepost.NewUser) {}, true, false, "policyInfo"},
		{"policy dates required", func(u *milepost.NewUser) { u.Policy = &milepost.PolicyInfo{PolicyNumber: "P"} }, true, false, "policyInfo.startDate"},
		{"policy backwards", func(u *milepost.NewUser) {
			u.Policy = &milepost.PolicyInfo{PolicyNumber: "P", StartDate: &end, EndDate: &start}
		}, true, false, "policyInfo.endDate"},
	}
	for _, tt := range tests {
		in := base()
		tt.mut(&in)
		_, err := in.Validate(tt.policy, tt.dates)
		if ps := milepost.ErrorParams(err); len(ps) == 0 || ps[0] != tt.param {
			t.Errorf("%s: err %v, want one naming %s", tt.name, err, tt.param)
		}
	}
	in := base()
	in.Policy = &milepost.PolicyInfo{PolicyNumber: "P"}
	if _, err := in.Validate(true, true); err != nil {
		t.Fatalf("dates optional: %v", err)
	}
}

func TestActorAccess(t *testing.T) {
	admin := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeAdmin}
	user := milepost.Actor{PartnerID: "p1", Scope: milepost.ScopeUser, UserID: "u1"}
	tests := []struct {
		name      string
		a         milepost.Actor
		partner   string
		user      string
		forbidden bool
	}{
		{"admin, own partner", admin, "p1", "u2", false},
		{"admin, other partner", admin, "p2", "u9", true},
		{"user, itself", user, "p1", "u1", false},
		{"user, another user", user, "p1", "u2", true},
		{"user, other partner", user, "p2", "u1", true},
	}
	for _, tt := range tests {
		err := tt.a.CanAccessUser(tt.partner, tt.user)
		if (err != nil) != tt.forbidden || (err != nil && milepost.ErrorReason(err) != milepost.ReasonNoPermissions) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if admin.RequireAdmin() != nil || milepost.ErrorCode(user.RequireAdmin()) != milepost.CodeForbidden {
		t.Fatal("RequireAdmin")
	}
}

func TestErrorHelpers(t *testing.T) {
	err := milepost.Invalidf("vin", "vin is bad.")
	wrapped := errors.Join(errors.New("context"), err)
	if milepost.ErrorCode(wrapped) != milepost.CodeInvalid || milepost.ErrorMessage(wrapped) != "vin is bad." || milepost.ErrorParams(wrapped)[0] != "vin" {
		t.Fatal("wrapped *Error not found")
	}
	plain := errors.New("db exploded: password=hunter2")
	if milepost.ErrorCode(plain) != milepost.CodeInternal || milepost.ErrorMessage(plain) != "Internal error." || milepost.ErrorCode(nil) != "" {
		t.Fatal("internal errors must not leak their text")
	}
}

func TestUploadValidate(t *testing.T) {
	lat, lon, now := 30.0, -97.0, time.Now()
	ok := milepost.NewUpload{UserID: "u", Name: "a.jpg", Data: []byte{1}, TakenOn: &now, Latitude: &lat, Longitude: &lon}
	if _, err := ok.Validate(milepost.UploadPhoto, 10); err != nil {
		t.Fatal(err)
	}
	bad := -91.0
	tests := []struct {
		name string
		mut  func(*milepost.NewUpload)
		kind milepost.UploadKind
		code string
	}{
		{"too large", func(u *milepost.NewUpload) { u.Data = make([]byte, 11) }, milepost.UploadPhoto, milepost.CodeTooLarge},
		{"empty", func(u *milepost.NewUpload) { u.Data = nil }, milepost.UploadPhoto, milepost.CodeInvalid},
		{"photo without takenOn", func(u *milepost.NewUpload) { u.TakenOn = nil }, milepost.UploadPhoto, milepost.CodeInvalid},
		{"bad latitude", func(u *milepost.NewUpload) { u.Latitude = &bad }, milepost.UploadFile, milepost.CodeInvalid},
		{"no name", func(u *milepost.NewUpload) { u.Name = "" }, milepost.UploadFile, milepost.CodeInvalid},
	}
	for _, tt := range tests {
		in := ok
		tt.mut(&in)
		if _, err := in.Validate(tt.kind, 10); milepost.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	file := ok
	file.TakenOn, file.Latitude, file.Longitude = nil, nil, nil
	if _, err := file.Validate(milepost.UploadFile, 10); err != nil {
		t.Fatalf("a file needs no takenOn or coordinates: %v", err)
	}
}
