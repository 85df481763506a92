package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// The endpoints Bench drives, by the names the report uses.
const (
	MileageCheckinCreate       = "mileage_checkin_create"
	VehicleCheckinsList        = "vehicle_checkins_list"
	OdometerRegistrationCreate = "odometer_registration_create"
	TripsBulkSave              = "trips_bulk_save"
	PhotoUpload                = "photo_upload"
)

// Goal is a target an endpoint is held to, relative to the bare handler.
type Goal struct {
	// MinRatio is the least acceptable share of the bare handler's requests per second.
	MinRatio float64 `json:"min_ratio"`
	// MaxP99Ms, when set, is the highest acceptable 99th percentile latency in milliseconds.
	MaxP99Ms float64 `json:"max_p99_ms,omitempty"`
}

// requestFunc builds worker's seq-th request.
type requestFunc = func(worker, seq int) (*http.Request, error)

// endpoint is one measured API call: what it needs seeded and how each request is built.
type endpoint struct {
	name    string
	request string // method and path, for the table
	goal    *Goal
	expect  int
	prepare func(ctx context.Context, s *seed) (requestFunc, error)
}

// Issue 8's targets, at 64 connections on SQLite.
var (
	checkinGoal = &Goal{MinRatio: 0.40, MaxP99Ms: 20}
	listGoal    = &Goal{MinRatio: 0.60}
)

func endpoints(photoBody string) []endpoint {
	return []endpoint{
		{MileageCheckinCreate, "POST /api/vehicles/checkin/mileage", checkinGoal, http.StatusOK, prepareCheckinCreate},
		{VehicleCheckinsList, "GET /api/vehicles/{id}/checkins/mileage", listGoal, http.StatusOK, prepareCheckinList},
		{OdometerRegistrationCreate, "POST /v2/vehicles/odometer-registrations", nil, http.StatusCreated, prepareRegistration},
		{TripsBulkSave, "POST /v6/mileage (100 trips)", nil, http.StatusOK, prepareTrips},
		{PhotoUpload, "POST /api/photo/upload (12 MP JPEG, " + photoBody + ")", nil, http.StatusOK,
			func(ctx context.Context, s *seed) (requestFunc, error) { return preparePhotoUpload(ctx, s, photoBody) }},
	}
}

// Endpoints lists the endpoint names in the order Bench runs them.
func Endpoints() []string {
	var names []string
	for _, e := range endpoints("") {
		names = append(names, e.name)
	}
	return names
}

// post builds a request with a JSON body and a bearer token.
func post(url, token string, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// mileageBody is a mileage check-in request; odometer readings rise with seq, so each worker's
// check-ins on its own vehicle never go backwards (that would be a 409).
func mileageBody(v vehicle, license, odometer string, mileage int) []byte {
	return fmt.Appendf(nil, `{"vehicleId":%s,"licensePlate":%s,"state":"CA","mileage":%d,"licensePhotos":[{"url":%s}],"odometerPhotos":[{"url":%s}]}`,
		jsonString(v.id), jsonString(v.plate), mileage, jsonString(license), jsonString(odometer))
}

// firstMileage is every seeded vehicle's first reading.
const firstMileage = 1000

// prepareCheckinCreate gives each worker its own vehicle (owned by the worker's user) and that
// user's license and odometer photos.
func prepareCheckinCreate(ctx context.Context, s *seed) (requestFunc, error) {
	users, err := s.users(ctx)
	if err != nil {
		return nil, err
	}
	s.logf("  %d vehicles with a license and an odometer photo each", len(users))
	bodies := make([]func(seq int) []byte, len(users))
	err = parallel(ctx, len(users), func(i int) error {
		v, err := s.c.createVehicle(ctx, users[i])
		if err != nil {
			return err
		}
		lic, odo, err := s.evidenceFor(ctx, users[i])
		if err != nil {
			return err
		}
		bodies[i] = func(seq int) []byte { return mileageBody(v, lic, odo, firstMileage+seq) }
		return nil
	})
	if err != nil {
		return nil, err
	}
	url := s.c.base + "/api/vehicles/checkin/mileage"
	return func(w, seq int) (*http.Request, error) { return post(url, s.c.admin, bodies[w](seq)) }, nil
}

// List vehicles: how many, and how many check-ins each has. 25 rows is the page the issue's
// scale figure ("an indexed 25-row read") was measured with.
const (
	maxListVehicles = 16
	checkinsPerList = 25
)

// prepareCheckinList creates vehicles with checkinsPerList mileage check-ins each, apart from
// the vehicles the create endpoint adds to, so the list's length stays fixed. Each worker walks
// through them from its own starting point.
func prepareCheckinList(ctx context.Context, s *seed) (requestFunc, error) {
	users, err := s.users(ctx)
	if err != nil {
		return nil, err
	}
	n := min(len(users), maxListVehicles)
	s.logf("  %d vehicles with %d mileage check-ins each", n, checkinsPerList)
	urls := make([]string, n)
	err = parallel(ctx, n, func(i int) error {
		v, err := s.c.createVehicle(ctx, users[i])
		if err != nil {
			return err
		}
		lic, odo, err := s.evidenceFor(ctx, users[i])
		if err != nil {
			return err
		}
		for k := range checkinsPerList {
			if err := s.c.createCheckin(ctx, mileageBody(v, lic, odo, firstMileage+100*k)); err != nil {
				return fmt.Errorf("seed check-in: %w", err)
			}
		}
		urls[i] = s.c.base + "/api/vehicles/" + v.id + "/checkins/mileage"
		return nil
	})
	if err != nil {
		return nil, err
	}
	return func(w, seq int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, urls[(w+seq)%n], nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+s.c.admin)
		return req, nil
	}, nil
}

// prepareRegistration gives each worker its own VIN, whose readings rise with seq (so none is
// breaking), and its own ticket.
func prepareRegistration(ctx context.Context, s *seed) (requestFunc, error) {
	token, err := s.c.jifelineToken(ctx)
	if err != nil {
		return nil, fmt.Errorf("get a /v2 token: %w", err)
	}
	s.logf("  a VIN per worker, readings rising")
	heads := make([]string, s.workers)
	for i := range heads {
		heads[i] = `{"vin":` + jsonString(RandomVIN()) + `,"ticket_id":` + jsonString(randomUUID()) + `,"value":`
	}
	url := s.c.base + "/v2/vehicles/odometer-registrations"
	return func(w, seq int) (*http.Request, error) {
		body := strconv.AppendInt([]byte(heads[w]), int64(firstMileage+seq), 10)
		return post(url, token, append(body, '}'))
	}, nil
}

// TripsPerSave is how many trips one bulk save carries.
const TripsPerSave = 100

// prepareTrips gives each worker a /v6 token for its user. Every save creates TripsPerSave new
// business trips (the server gives each its id) over the last TripsPerSave days.
func prepareTrips(ctx context.Context, s *seed) (requestFunc, error) {
	users, err := s.users(ctx)
	if err != nil {
		return nil, err
	}
	s.logf("  a /v6 user token per worker")
	tokens := make([]string, len(users))
	err = parallel(ctx, len(users), func(i int) error {
		var err error
		tokens[i], err = s.c.tightToken(ctx, users[i])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get /v6 tokens: %w", err)
	}
	days := make([]time.Time, TripsPerSave)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for i := range days {
		days[i] = today.AddDate(0, 0, -i-1)
	}
	url := s.c.base + "/v6/mileage"
	return func(w, seq int) (*http.Request, error) {
		return post(url, tokens[w], tripsBody(days, w, seq))
	}, nil
}

// tripsBody is one bulk save: a business trip a day, with coordinates, times and a purpose
// naming the worker, request and trip.
func tripsBody(days []time.Time, w, seq int) []byte {
	b := make([]byte, 0, 360*len(days))
	b = append(b, `{"data":[`...)
	for i, d := range days {
		if i > 0 {
			b = append(b, ',')
		}
		date := d.Format(time.DateOnly)
		b = fmt.Appendf(b, `{"date":"%s","mileageStatus":"BUSINESS","description":"Client visit w%d r%d t%d",`+
			`"distance":{"type":"MILE","value":"%d.%d"},"duration":1800000,`+
			`"start":{"time":"%sT09:00:00Z","lat":"38.8977","lng":"-77.0365"},`+
			`"end":{"time":"%sT09:30:00Z","lat":"39.2904","lng":"-76.6122"}}`,
			date, w, seq, i, 5+i%40, i%10, date, date)
	}
	return append(b, "]}"...)
}
