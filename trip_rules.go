package milepost

import (
	"math"
	"slices"
	"strings"
	"time"
)

func required(param, what string) error {
	return &Error{Code: CodeInvalid, Reason: ReasonRequired, Params: []string{param}, Message: what}
}

func invalidValue(param, format string, args ...any) error {
	e := Errorf(CodeInvalid, ReasonInvalidValue, format, args...)
	e.Params = []string{param}
	return e
}

// ApplyTrip returns the trip that results from saving in over existing (nil: a new trip). It
// fills the defaults (ACTIVE, PENDING), computes a missing distance from the start and end
// coordinates (great circle) and a missing deduction of a business trip from the IRS rate of its
// date, and checks every field. It does not set IDs or times.
func ApplyTrip(existing *Trip, in TripInput) (*Trip, error) {
	t := &Trip{Status: TripActive, MileageStatus: MileagePending, DistanceUnit: Miles}
	if existing != nil {
		c := *existing
		t = &c
	}
	var err error
	if in.Date != nil {
		t.Date = in.Date.UTC().Truncate(24 * time.Hour)
	} else if existing == nil {
		return nil, required("date", "date is required (YYYY-MM-DD).")
	}
	if in.Status != nil {
		s := strings.ToUpper(strings.TrimSpace(*in.Status))
		if s != TripActive && s != TripInactive {
			return nil, invalidValue("status", "status must be ACTIVE or INACTIVE.")
		}
		t.Status = s
	}
	if in.MileageStatus != nil {
		ms := strings.ToUpper(strings.TrimSpace(*in.MileageStatus))
		if ms == "NOT_BUSINESS" { // the v5 name of PERSONAL
			ms = MileagePersonal
		}
		if ms != MileagePending && ms != MileageBusiness && ms != MileagePersonal {
			return nil, invalidValue("mileageStatus", "mileageStatus must be PENDING, BUSINESS or PERSONAL.")
		}
		t.MileageStatus = ms
	}
	for _, f := range []struct {
		param string
		src   *string
		dst   *string
		max   int
	}{{"description", in.Description, &t.Description, 1000}, {"notes", in.Notes, &t.Notes, 2000}, {"customerId", in.CustomerID, &t.CustomerID, 100}, {"carId", in.CarID, &t.CarID, 100}} {
		if f.src != nil {
			if *f.dst, err = optionalText(f.param, *f.src, f.max); err != nil {
				return nil, err
			}
		}
	}
	if in.ClassSegmentIDs != nil {
		if len(*in.ClassSegmentIDs) > 20 {
			return nil, invalidValue("classSegmentIds", "classSegmentIds may hold at most 20 ids.")
		}
		t.ClassSegmentIDs = slices.Clone(*in.ClassSegmentIDs)
	}
	for _, p := range []struct {
		param string
		src   *TripPoint
		dst   *TripPoint
	}{{"start", in.Start, &t.Start}, {"end", in.End, &t.End}} {
		if p.src == nil {
			continue
		}
		if err := checkPoint(p.param, *p.src); err != nil {
			return nil, err
		}
		*p.dst = *p.src
	}
	if in.DurationMS != nil {
		if *in.DurationMS < 0 || *in.DurationMS > 7*24*3600*1000 {
			return nil, invalidValue("duration", "duration must be between 0 and 604800000 milliseconds.")
		}
		d := *in.DurationMS
		t.DurationMS = &d
	}
	if t.CustomData, err = customData(in.CustomData, t.CustomData); err != nil {
		return nil, err
	}
	if err := applyDistance(t, existing, in); err != nil {
		return nil, err
	}
	return t, applyDeduction(t, existing, in)
}

func customData(in, current []byte) ([]byte, error) {
	if in == nil {
		return current, nil
	}
	return ValidateCustomData("customData", in)
}

func checkPoint(param string, p TripPoint) error {
	if (p.Lat == nil) != (p.Lng == nil) {
		return required(param, param+".lat and "+param+".lng go together.")
	}
	if p.Lat != nil && (math.IsNaN(*p.Lat) || *p.Lat < -90 || *p.Lat > 90 || math.IsNaN(*p.Lng) || *p.Lng < -180 || *p.Lng > 180) {
		return invalidValue(param, "%s.lat must be between -90 and 90 and %s.lng between -180 and 180.", param, param)
	}
	return nil
}

// applyDistance takes the sent distance, or the great-circle distance between the start and end
// coordinates when none was ever sent.
func applyDistance(t, existing *Trip, in TripInput) error {
	switch {
	case in.DistanceMicro != nil:
		if in.DistanceUnit != Miles && in.DistanceUnit != Kilometers {
			return invalidValue("distance.type", "distance.type must be MILE or KILOMETER.")
		}
		t.DistanceMicro, t.DistanceUnit, t.DistanceSource = *in.DistanceMicro, in.DistanceUnit, FromClient
	case existing != nil && existing.DistanceSource == FromClient:
		// Keep the distance the client sent earlier.
	case t.Start.Lat != nil && t.End.Lat != nil:
		miles := GreatCircleMiles(*t.Start.Lat, *t.Start.Lng, *t.End.Lat, *t.End.Lng)
		t.DistanceMicro, t.DistanceUnit, t.DistanceSource = int64(math.Round(miles*1e6)), Miles, FromGreatCircle
	case existing == nil:
		return required("distance", "distance is required (or start and end coordinates to compute it).")
	}
	if t.DistanceMiles() > MaxTripMiles {
		return invalidValue("distance", "distance must be at most %d miles.", MaxTripMiles)
	}
	return nil
}

// applyDeduction takes the sent deduction; otherwise a business trip's deduction is its
// distance at the IRS business rate of its date, and any other trip's is 0. A deduction the
// client sent earlier is kept unless the distance, date or classification changes.
func applyDeduction(t, existing *Trip, in TripInput) error {
	if in.DeductionCents != nil {
		if *in.DeductionCents < 0 || *in.DeductionCents > 100_000_000 {
			return invalidValue("deduction.amount", "deduction.amount must be between 0 and 100000000 cents.")
		}
		t.DeductionCents, t.DeductionSource, t.IRSRateTenthCents = *in.DeductionCents, FromClient, 0
		return nil
	}
	changed := in.DistanceMicro != nil || in.Date != nil || in.MileageStatus != nil || (in.Start != nil || in.End != nil) && t.DistanceSource == FromGreatCircle
	if existing != nil && existing.DeductionSource == FromClient && !changed {
		return nil
	}
	t.DeductionCents, t.DeductionSource, t.IRSRateTenthCents = 0, FromNone, 0
	if t.MileageStatus != MileageBusiness {
		return nil
	}
	microMiles := int64(math.Round(ToMiles(float64(t.DistanceMicro), t.DistanceUnit)))
	if cents, ok := BusinessDeductionCents(microMiles, t.Date); ok {
		rate, _ := IRSRateOn(t.Date)
		t.DeductionCents, t.DeductionSource, t.IRSRateTenthCents = cents, FromIRSRate, rate.Business
	}
	return nil
}

// ApplyCar returns the car that results from saving in over existing (nil: a new car).
func ApplyCar(existing *Car, in CarInput, now time.Time) (*Car, error) {
	c := &Car{Status: TripActive}
	if existing != nil {
		cp := *existing
		c = &cp
	}
	var err error
	for _, f := range []struct {
		param string
		src   *string
		dst   *string
	}{{"make", in.Make, &c.Make}, {"model", in.Model, &c.Model}, {"name", in.Name, &c.Name}} {
		if f.src != nil {
			if *f.dst, err = optionalText(f.param, *f.src, 100); err != nil {
				return nil, err
			}
		}
	}
	if existing == nil && c.Name == "" && c.Make == "" && c.Model == "" {
		return nil, required("name", "a car needs a name, or a make and model.")
	}
	if in.Year != nil {
		if *in.Year < 1900 || *in.Year > now.Year()+2 {
			return nil, invalidValue("year", "year must be between 1900 and %d.", now.Year()+2)
		}
		c.Year = *in.Year
	}
	if in.IsPrimary != nil {
		c.IsPrimary = *in.IsPrimary
	}
	if in.Status != nil {
		s := strings.ToUpper(strings.TrimSpace(*in.Status))
		if s != TripActive && s != TripInactive {
			return nil, invalidValue("status", "status must be ACTIVE or INACTIVE.")
		}
		c.Status = s
	}
	if in.VIN != nil {
		v := NormalizeVIN(*in.VIN)
		if v != "" && !ValidVINShape(v) {
			return nil, invalidValue("vin", "vin must be 17 characters of the VIN alphabet.")
		}
		c.VIN = v
	}
	if in.Details != nil {
		seen := map[int]bool{}
		for i, d := range *in.Details {
			if d.Year < 1900 || d.Year > now.Year()+1 {
				return nil, invalidValue("details", "details[%d].year must be between 1900 and %d.", i, now.Year()+1)
			}
			if d.Odometer < 0 || d.Odometer > MaxMileage || math.IsNaN(d.Odometer) {
				return nil, invalidValue("details", "details[%d].odometer must be between 0 and %d.", i, MaxMileage)
			}
			if seen[d.Year] {
				return nil, invalidValue("details", "details has the year %d twice.", d.Year)
			}
			seen[d.Year] = true
		}
		c.Details = slices.Clone(*in.Details)
		slices.SortFunc(c.Details, func(a, b CarYear) int { return a.Year - b.Year })
	}
	if c.CustomData, err = customData(in.CustomData, c.CustomData); err != nil {
		return nil, err
	}
	return c, nil
}
