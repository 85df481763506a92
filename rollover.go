package milepost

// RolloverWindow is the fraction of an odometer's range, at its top and at its bottom, within
// which a lower reading is read as the odometer rolling over rather than going back: from
// 99,500 to 300 on a five-digit odometer, or from 999,000 to 1,200 on a six-digit one.
const RolloverWindow = 0.05

// Rollover reports whether going from reading prev to a lower reading next is an odometer
// rolling over (passing 10^5 or 10^6 and starting again from 0), and the amount it wrapped.
// A lower reading that is not a rollover is a rollback.
func Rollover(prev, next int64) (wrap int64, ok bool) {
	if next >= prev || next < 0 {
		return 0, false
	}
	for _, w := range []int64{100_000, 1_000_000} {
		if prev < w && float64(prev) >= float64(w)*(1-RolloverWindow) && float64(next) < float64(w)*RolloverWindow {
			return w, true
		}
	}
	return 0, false
}

// TotalMiles is the distance a mileage reading stands for: the displayed value plus what the
// odometer lost in rollovers.
func (c *Checkin) TotalMiles() int64 { return c.Mileage + c.OdometerOffset }
