package milepost

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"
)

// SourceVehicleCreated is the odometer given when a vehicle was created by license plate.
const SourceVehicleCreated = "vehicle_created"

// MileageLog is an IRS-style mileage log of one vehicle for one year: the odometer at the start
// and end of the year from verified readings (saying which), the total miles, and the business
// trips with their deductions.
type MileageLog struct {
	VIN   string
	Year  int
	Start *LogReading
	End   *LogReading
	// TotalMiles is End − Start (0 when either is unknown).
	TotalMiles         float64
	BusinessTrips      []LogTrip
	BusinessMiles      float64
	DeductionCents     int64
	BusinessUsePercent float64 // business miles / total miles × 100, at most 100; 0 when unknown
}

// LogReading is the reading chosen for the start or end of the year, and why.
type LogReading struct {
	Reading OdometerReading
	Basis   string // e.g. "the car's odometer at the start of 2024"
}

// LogTrip is a business trip in the log.
type LogTrip struct {
	Date           time.Time
	Purpose        string
	Miles          float64
	DeductionCents int64
	TripID         string
}

// MileageLogSource reads what a mileage log is built from.
type MileageLogSource interface {
	// MileageLogData returns the VIN's odometer history and the trips of the cars with that VIN
	// (for partnerID; "" means every partner: the operator's CLI).
	MileageLogData(ctx context.Context, partnerID, vin string) (*OdometerHistory, []*Trip, error)
}

// BuildMileageLog builds the log of year from a VIN's history and trips. Rolled-back readings
// are not used. The start is the car's start-of-year odometer when known, else the first reading
// of the year, else the last one before it; the end is the next year's start-of-year odometer
// when known, else the last reading of the year, else the first one after it.
func BuildMileageLog(vin string, year int, h *OdometerHistory, trips []*Trip) *MileageLog {
	log := &MileageLog{VIN: vin, Year: year, BusinessTrips: []LogTrip{}}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	var in, before, after []OdometerReading
	for _, r := range h.Readings {
		switch {
		case r.Rollback:
		case r.At.Before(from):
			before = append(before, r)
		case r.At.Before(to):
			in = append(in, r)
		default:
			after = append(after, r)
		}
	}
	for _, r := range in {
		if r.Source == SourceCarYearStart && r.At.Equal(from) {
			log.Start = &LogReading{r, "the car's odometer at the start of the year"}
			break
		}
	}
	if log.Start == nil && len(in) > 0 {
		log.Start = &LogReading{in[0], "the first verified reading of the year"}
	}
	if log.Start == nil && len(before) > 0 {
		log.Start = &LogReading{before[len(before)-1], "the last verified reading before the year"}
	}
	for _, r := range after {
		if r.Source == SourceCarYearStart && r.At.Equal(to) {
			log.End = &LogReading{r, "the car's odometer at the start of the next year"}
			break
		}
	}
	if log.End == nil && len(in) > 0 {
		log.End = &LogReading{in[len(in)-1], "the last verified reading of the year"}
	}
	if log.End == nil && len(after) > 0 {
		log.End = &LogReading{after[0], "the first verified reading after the year"}
	}
	if log.Start != nil && log.End != nil && log.End.Reading.Miles >= log.Start.Reading.Miles {
		log.TotalMiles = round2(log.End.Reading.Miles - log.Start.Reading.Miles)
	}
	for _, t := range trips {
		if t.Status != TripActive || t.MileageStatus != MileageBusiness || t.Date.Before(from) || !t.Date.Before(to) {
			continue
		}
		miles := round2(t.DistanceMiles())
		log.BusinessTrips = append(log.BusinessTrips, LogTrip{Date: t.Date, Purpose: t.Description, Miles: miles, DeductionCents: t.DeductionCents, TripID: t.ID})
		log.BusinessMiles += miles
		log.DeductionCents += t.DeductionCents
	}
	sort.SliceStable(log.BusinessTrips, func(i, j int) bool { return log.BusinessTrips[i].Date.Before(log.BusinessTrips[j].Date) })
	log.BusinessMiles = round2(log.BusinessMiles)
	if log.TotalMiles > 0 {
		log.BusinessUsePercent = math.Min(100, round2(log.BusinessMiles/log.TotalMiles*100))
	}
	return log
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// WriteCSV writes the log as CSV: a summary block, a blank line, then one row per business trip.
func (l *MileageLog) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	reading := func(label string, r *LogReading) []string {
		if r == nil {
			return []string{label, "", "", "", "no verified reading"}
		}
		return []string{label, fmtMiles(r.Reading.Miles), "mi", r.Reading.At.Format(time.DateOnly), r.Basis + " (" + r.Reading.Source + ")"}
	}
	rows := [][]string{
		{"Mileage log", l.VIN, strconv.Itoa(l.Year)},
		reading("Start odometer", l.Start),
		reading("End odometer", l.End),
		{"Total miles", fmtMiles(l.TotalMiles)},
		{"Business miles", fmtMiles(l.BusinessMiles)},
		{"Business use %", fmtMiles(l.BusinessUsePercent)},
		{"Total deduction (USD)", fmtCents(l.DeductionCents)},
		{},
		{"Date", "Purpose", "Miles", "Deduction (USD)", "Trip"},
	}
	for _, t := range l.BusinessTrips {
		rows = append(rows, []string{t.Date.Format(time.DateOnly), t.Purpose, fmtMiles(t.Miles), fmtCents(t.DeductionCents), t.TripID})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write mileage log: %w", err)
	}
	return nil
}

func fmtMiles(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func fmtCents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }
