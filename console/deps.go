package console

import (
	"context"
	"io"

	"github.com/milepost/milepost"
)

// The console asks each service only for what it uses, so the store's implementations and
// small test fakes both fit.

// Reviewers signs reviewers in and out; milepost.ReviewerService satisfies it.
type Reviewers interface {
	SignIn(ctx context.Context, email, password string) (*milepost.ConsoleSession, error)
	Session(ctx context.Context, token string) (*milepost.ConsoleSession, error)
	SignOut(ctx context.Context, token string) error
}

// CheckinLister lists check-ins of a vehicle and of a user; milepost.CheckinService satisfies it.
type CheckinLister interface {
	ListVehicleCheckins(ctx context.Context, actor milepost.Actor, vehicleID string, t milepost.CheckinType) ([]*milepost.Checkin, error)
	ListUserAddressCheckins(ctx context.Context, actor milepost.Actor, userID string) ([]*milepost.Checkin, error)
}

// VehicleFinder finds a vehicle; milepost.VehicleService satisfies it.
type VehicleFinder interface {
	FindVehicleByID(ctx context.Context, actor milepost.Actor, id string) (*milepost.Vehicle, error)
}

// UserFinder finds a user; milepost.UserService satisfies it.
type UserFinder interface {
	FindUserByID(ctx context.Context, actor milepost.Actor, id string) (*milepost.User, error)
}

// OdometerHistory reads a vehicle's odometer history; milepost.OdometerHistoryService satisfies it.
type OdometerHistory interface {
	VehicleOdometerHistory(ctx context.Context, actor milepost.Actor, vehicleID string) (*milepost.OdometerHistory, error)
}

// RegistrationLister lists odometer registrations; milepost.OdometerRegistrationService
// satisfies it.
type RegistrationLister interface {
	ListRegistrations(ctx context.Context, actor milepost.Actor, f milepost.RegistrationFilter) (*milepost.RegistrationPage, error)
}

// RewardLister lists a user's rewards and payouts; milepost.RewardService satisfies it.
type RewardLister interface {
	UserRewards(ctx context.Context, actor milepost.Actor, userID string, confirmedOnly bool) ([]*milepost.Reward, error)
	UserPayouts(ctx context.Context, actor milepost.Actor, userID string) ([]*milepost.Payout, error)
}

// UploadOpener opens an upload's bytes for an actor; milepost.UploadService satisfies it.
type UploadOpener interface {
	OpenUpload(ctx context.Context, actor milepost.Actor, id string) (*milepost.Upload, io.ReadCloser, error)
}

// Compile-time checks that the domain's service interfaces fit.
var (
	_ Reviewers          = milepost.ReviewerService(nil)
	_ CheckinLister      = milepost.CheckinService(nil)
	_ VehicleFinder      = milepost.VehicleService(nil)
	_ UserFinder         = milepost.UserService(nil)
	_ OdometerHistory    = milepost.OdometerHistoryService(nil)
	_ RegistrationLister = milepost.OdometerRegistrationService(nil)
	_ RewardLister       = milepost.RewardService(nil)
	_ UploadOpener       = milepost.UploadService(nil)
)
