package verify

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/milepost/milepost"
)

// velocityAnalyzer compares a mileage check-in with the vehicle's latest confirmed one: the
// reading must not have risen faster than MaxMilesPerDay, nor gone down.
type velocityAnalyzer struct{ p Policy }

func (velocityAnalyzer) Name() string { return analyzerVelocity }

// minElapsed keeps the rate finite for two check-ins made moments apart.
const minElapsed = time.Hour

func (a velocityAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) []milepost.Signal {
	c := in.Checkin
	if c.Type != milepost.CheckinMileage {
		return nil
	}
	s := milepost.Signal{Analyzer: analyzerVelocity, Name: signalMilesPerDay, Verdict: milepost.VerdictPass}
	prev := in.PreviousConfirmed
	if prev == nil {
		s.Value = "first"
		s.Reason = fmt.Sprintf("This is the vehicle's first confirmed mileage (%s miles); there is nothing to compare.", thousands(c.Mileage))
		return []milepost.Signal{s}
	}
	delta := c.Mileage - prev.Mileage
	from := fmt.Sprintf("%s miles on %s", thousands(prev.Mileage), prev.CreatedAt.UTC().Format("2006-01-02 15:04 MST"))
	to := fmt.Sprintf("%s miles on %s", thousands(c.Mileage), c.CreatedAt.UTC().Format("2006-01-02 15:04 MST"))
	if delta < 0 {
		s.Name = signalMileageDecrease
		s.Value = strconv.FormatInt(delta, 10)
		s.Verdict = milepost.VerdictHold
		s.Reason = fmt.Sprintf("The reading went down from the last confirmed %s to %s (%s miles).", from, to, thousands(delta))
		s.Note = fmt.Sprintf("The mileage %s is lower than the last confirmed reading of %s; please check the odometer reading.",
			thousands(c.Mileage), thousands(prev.Mileage))
		return []milepost.Signal{s}
	}
	elapsed := max(c.CreatedAt.Sub(prev.CreatedAt), minElapsed)
	days := elapsed.Hours() / 24
	rate := float64(delta) / days
	s.Value = strconv.FormatFloat(rate, 'f', 1, 64)
	detail := fmt.Sprintf("From the last confirmed %s to %s: %s miles in %s days, %s miles per day",
		from, to, thousands(delta), strconv.FormatFloat(days, 'f', 2, 64), s.Value)
	limit := strconv.FormatFloat(a.p.MaxMilesPerDay, 'f', -1, 64)
	if rate > a.p.MaxMilesPerDay {
		s.Verdict = milepost.VerdictHold
		s.Reason = detail + ", above the limit of " + limit + "."
		s.Note = "The mileage rose faster than a vehicle can be driven; a reviewer will check it."
		return []milepost.Signal{s}
	}
	s.Reason = detail + ", within the limit of " + limit + "."
	return []milepost.Signal{s}
}
