package milepost

import "time"

// IRSRate is the IRS standard mileage rates in force from a date, in tenths of a cent per mile
// (57.5¢ = 575) so that half-cent rates are exact.
type IRSRate struct {
	From     time.Time
	Business int
	Medical  int // medical and moving
	Charity  int
}

// irsRates are the standard mileage rates by effective date (oldest first). Some years change
// mid-year (July 2022, July 2026), so rates are looked up by the trip's date, not its year.
// Sources: IRS notices IR-2019-215, 2021-02, the June 2022 increase, 2023-03, 2024-08, 2025-5,
// 2026-10 and Announcement 2026-11 (see docs/api-tight.md).
var irsRates = []IRSRate{
	{From: day(2020, 1, 1), Business: 575, Medical: 170, Charity: 140},
	{From: day(2021, 1, 1), Business: 560, Medical: 160, Charity: 140},
	{From: day(2022, 1, 1), Business: 585, Medical: 180, Charity: 140},
	{From: day(2022, 7, 1), Business: 625, Medical: 220, Charity: 140},
	{From: day(2023, 1, 1), Business: 655, Medical: 220, Charity: 140},
	{From: day(2024, 1, 1), Business: 670, Medical: 210, Charity: 140},
	{From: day(2025, 1, 1), Business: 700, Medical: 210, Charity: 140},
	{From: day(2026, 1, 1), Business: 725, Medical: 205, Charity: 140},
	{From: day(2026, 7, 1), Business: 760, Medical: 235, Charity: 140},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// IRSRateOn returns the rates in force on date d, and false before the first known rate.
func IRSRateOn(d time.Time) (IRSRate, bool) {
	for i := len(irsRates) - 1; i >= 0; i-- {
		if !d.Before(irsRates[i].From) {
			return irsRates[i], true
		}
	}
	return IRSRate{}, false
}

// BusinessDeductionCents is the deduction of a business trip of microMiles (miles × 10^6) on
// date d at the IRS business rate, rounded half up to the cent; false when no rate is known for d.
func BusinessDeductionCents(microMiles int64, d time.Time) (int64, bool) {
	r, ok := IRSRateOn(d)
	if !ok || microMiles <= 0 {
		return 0, ok
	}
	// cents = miles × tenths-of-cents / 10 = microMiles × rate / 10^7, rounded half up.
	const den = 10_000_000
	return (microMiles*int64(r.Business) + den/2) / den, true
}
