package partnerapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/milepost/milepost"
)

// readingJSON is one reading of a vehicle's odometer history.
type readingJSON struct {
	Source   string  `json:"source" enum:"mileage_checkin,odometer_registration,car_year_start,vehicle_created" doc:"Where the reading comes from: a Confirmed mileage check-in (miles), a workshop odometer registration (km), a trip-log car's odometer at the start of a year (miles), or the mileage given when the vehicle was created by plate."`
	SourceID string  `json:"sourceId"`
	At       string  `json:"at"`
	Value    float64 `json:"value" doc:"The reading in its own unit."`
	Unit     string  `json:"unit" enum:"mi,km"`
	Miles    float64 `json:"miles"`
	Km       float64 `json:"km"`
	Rollback bool    `json:"rollback" doc:"Lower than an earlier reading of the history."`
}

// odometerHistoryJSON is the body of GET /api/vehicles/{vehicleId}/odometer-history.
type odometerHistoryJSON struct {
	VIN      string        `json:"vin"`
	Readings []readingJSON `json:"readings" doc:"Oldest first."`
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

func (s *Server) odometerHistory(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	h, err := s.Odometer.VehicleOdometerHistory(r.Context(), a, r.PathValue("vehicleId"))
	if err != nil {
		return err
	}
	out := odometerHistoryJSON{VIN: h.VIN, Readings: make([]readingJSON, len(h.Readings))}
	for i, rd := range h.Readings {
		out.Readings[i] = readingJSON{Source: rd.Source, SourceID: rd.SourceID, At: formatTime(rd.At), Value: rd.Value, Unit: string(rd.Unit),
			Miles: round3(rd.Miles), Km: round3(rd.Km), Rollback: rd.Rollback}
	}
	return ok(w, out)
}

// logReadingJSON is the reading chosen for one end of the year.
type logReadingJSON struct {
	readingJSON
	Basis string `json:"basis" doc:"Why this reading was chosen."`
}

// logTripJSON is a business trip in the log.
type logTripJSON struct {
	Date      string  `json:"date"`
	Purpose   string  `json:"purpose"`
	Miles     float64 `json:"miles"`
	Deduction float64 `json:"deduction" doc:"Dollars."`
	TripID    string  `json:"tripId"`
}

// mileageLogJSON is the IRS-style mileage log of a vehicle for a year.
type mileageLogJSON struct {
	VIN                string          `json:"vin"`
	Year               int             `json:"year"`
	StartOdometer      *logReadingJSON `json:"startOdometer"`
	EndOdometer        *logReadingJSON `json:"endOdometer"`
	TotalMiles         float64         `json:"totalMiles"`
	BusinessMiles      float64         `json:"businessMiles"`
	BusinessUsePercent float64         `json:"businessUsePercent"`
	Deduction          float64         `json:"deduction" doc:"Dollars."`
	BusinessTrips      []logTripJSON   `json:"businessTrips"`
}

func logReading(l *milepost.LogReading) *logReadingJSON {
	if l == nil {
		return nil
	}
	rd := l.Reading
	return &logReadingJSON{readingJSON: readingJSON{Source: rd.Source, SourceID: rd.SourceID, At: formatTime(rd.At), Value: rd.Value,
		Unit: string(rd.Unit), Miles: round3(rd.Miles), Km: round3(rd.Km)}, Basis: l.Basis}
}

func (s *Server) mileageLog(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q := query{r: r}
	year := q.integer("year", time.Now().UTC().Year()-1)
	format := q.oneOf("format", []string{"json", "csv"})
	if q.err != nil {
		return q.err
	}
	if year < 1980 || year > 2100 {
		return milepost.Invalidf("year", "year must be between 1980 and 2100.")
	}
	v, err := s.Vehicles.FindVehicleByID(r.Context(), a, r.PathValue("vehicleId"))
	if err != nil {
		return err
	}
	h, trips, err := s.MileageLogs.MileageLogData(r.Context(), v.PartnerID, v.VIN)
	if err != nil {
		return err
	}
	l := milepost.BuildMileageLog(v.VIN, year, h, trips)
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="mileage-log-`+v.VIN+`-`+strconv.Itoa(year)+`.csv"`)
		return l.WriteCSV(w)
	}
	out := mileageLogJSON{VIN: l.VIN, Year: l.Year, StartOdometer: logReading(l.Start), EndOdometer: logReading(l.End), TotalMiles: l.TotalMiles,
		BusinessMiles: l.BusinessMiles, BusinessUsePercent: l.BusinessUsePercent, Deduction: cents(l.DeductionCents), BusinessTrips: []logTripJSON{}}
	for _, t := range l.BusinessTrips {
		out.BusinessTrips = append(out.BusinessTrips, logTripJSON{Date: t.Date.Format(time.DateOnly), Purpose: t.Purpose, Miles: t.Miles,
			Deduction: cents(t.DeductionCents), TripID: t.TripID})
	}
	return ok(w, out)
}
