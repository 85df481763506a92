package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/milepost/milepost"
)

// DeviceAnalyzer holds check-ins whose photos come from a device identifier that many users'
// photos come from: one phone behind many accounts is how reward farming looks.
type DeviceAnalyzer struct {
	p     Policy
	stats milepost.DeviceStats
}

// NewDeviceAnalyzer returns the shared-device analyzer, counting users per device with stats.
func NewDeviceAnalyzer(p Policy, stats milepost.DeviceStats) *DeviceAnalyzer {
	return &DeviceAnalyzer{p: p, stats: stats}
}

// Name is "device".
func (*DeviceAnalyzer) Name() string { return analyzerDevice }

// Analyze counts the users of each device identifier of the check-in's photos; it fails when
// the count cannot be read.
func (a *DeviceAnalyzer) Analyze(ctx context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	var ids []string
	for _, ph := range in.Checkin.Photos {
		if ph.Upload != nil && ph.Upload.Device.Identifier != "" && !slices.Contains(ids, ph.Upload.Device.Identifier) {
			ids = append(ids, ph.Upload.Device.Identifier)
		}
	}
	if len(ids) == 0 {
		return []milepost.Signal{{Analyzer: analyzerDevice, Name: signalSharedDevice, Value: "none", Verdict: milepost.VerdictPass,
			Reason: "The app reported no device identifier for these photos."}}, nil
	}
	var out []milepost.Signal
	for _, id := range ids {
		n, err := a.stats.DeviceUsers(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("count users of device %s: %w", id, err)
		}
		s := milepost.Signal{Analyzer: analyzerDevice, Name: signalSharedDevice, Value: id + " users=" + strconv.Itoa(n), Verdict: milepost.VerdictPass,
			Reason: fmt.Sprintf("Device %s took photos for %s, within the limit of %d.", id, plural(int64(n), "user"), a.p.MaxUsersPerDevice)}
		if n > a.p.MaxUsersPerDevice {
			s.Verdict, s.Fraud = milepost.VerdictHold, true
			s.Reason = fmt.Sprintf("Device %s took photos for %s; more than %d users on one device suggests shared or farmed accounts.",
				id, plural(int64(n), "user"), a.p.MaxUsersPerDevice)
			s.Note = "A reviewer will check this check-in."
		}
		out = append(out, s)
	}
	return out, nil
}
