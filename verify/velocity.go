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

// Analyze never fails: it reads only the input.
func (a velocityAnalyzer) Analyze(_ context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error) {
	return a.signals(in), nil
}

func (a velocityAnalyzer) signals(in *milepost.VerificationInput) []milepost.Signal {
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
	// Distances really covered: a reading after a rollover carries the wrap in its offset.
	delta := c.TotalMiles() - prev.TotalMiles()
	from := fmt.Sprintf("%s miles on %s", thousands(prev.Mileage), prev.CreatedAt.UTC().Format("2006-01-02 15:04 MST"))
	to := fmt.Sprintf("%s miles on %s", thousands(c.Mileage), c.CreatedAt.UTC().Format("2006-01-02 15:04 MST"))
	var out []milepost.Signal
	if wrap := c.OdometerOffset - prev.OdometerOffset; wrap > 0 && delta >= 0 {
		out = append(out, milepost.Signal{Analyzer: analyzerVelocity, Name: signalOdometerRollover, Verdict: milepost.VerdictPass,
			Value: strconv.FormatInt(wrap, 10),
			Reason: fmt.Sprintf("The odometer rolled over past %s: from the last confirmed %s to %s is %s miles driven, not a rollback.",
				thousands(wrap), from, to, thousands(delta))})
	}
	if delta < 0 {
		s.Name = signalMileageDecrease
		s.Value = strconv.FormatInt(delta, 10)
		s.Verdict = milepost.VerdictHold
		s.Reason = fmt.Sprintf("The reading went down from the last confirmed %s to %s (%s miles).", from, to, thousands(delta))
		s.Note = fmt.Sprintf("The mileage %s is lower than the last confirmed reading of %s; please check the odometer reading.",
			thousands(c.Mileage), thousands(prev.Mileage))
		return append(out, s)
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
		return append(out, s)
	}
	s.Reason = detail + ", within the limit of " + limit + "."
	return append(out, s)
}
