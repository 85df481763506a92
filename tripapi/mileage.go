package tripapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// addressJSON is a trip point's address (read adds countryCode).
type addressJSON struct {
	CountryCode string `json:"countryCode,omitempty" doc:"Read only: USA."`
	State       string `json:"state"`
	City        string `json:"city"`
	Zip         string `json:"zip"`
	PhoneWork   string `json:"phoneWork"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
}

// pointIn is a trip's start or end as written.
type pointIn struct {
	Time       string       `json:"time" doc:"ISO-8601 UTC, e.g. 2023-11-07T05:31:56Z."`
	Lat        *flexNumber  `json:"lat" doc:"Latitude as a decimal string (a number is accepted too)."`
	Lng        *flexNumber  `json:"lng"`
	LocationID string       `json:"locationId"`
	Address    *addressJSON `json:"address"`
}

// distanceJSON is a distance: a decimal string and its unit.
type distanceJSON struct {
	Type  string      `json:"type" enum:"MILE,KILOMETER"`
	Value *flexNumber `json:"value" doc:"A decimal string such as \"12.5\"."`
}

// deductionJSON is a tax deduction in cents.
type deductionJSON struct {
	Amount *int64 `json:"amount" doc:"Integer cents."`
}

// mileageIn is one item of POST /v6/mileage (the write shape).
type mileageIn struct {
	ID              *string         `json:"id" doc:"Absent: create (the server assigns mlg_…); present: update that record."`
	Date            *string         `json:"date" doc:"The trip's date, YYYY-MM-DD. Required on create."`
	Status          *string         `json:"status" enum:"ACTIVE,INACTIVE"`
	MileageStatus   *string         `json:"mileageStatus" enum:"PENDING,BUSINESS,PERSONAL" doc:"NOT_BUSINESS is accepted as PERSONAL."`
	Description     *string         `json:"description" doc:"Purpose of the trip."`
	Notes           *string         `json:"notes"`
	CustomerID      *string         `json:"customerId"`
	ClassSegmentIDs *[]string       `json:"classSegmentIds"`
	Distance        *distanceJSON   `json:"distance" doc:"Required on create unless start and end lat/lng are given (then the great-circle distance is used)."`
	Start           *pointIn        `json:"start"`
	End             *pointIn        `json:"end"`
	Duration        *int64          `json:"duration" doc:"Milliseconds."`
	Deduction       *deductionJSON  `json:"deduction" doc:"Omitted on a BUSINESS trip: computed from the IRS business rate of the trip's date."`
	CarID           *string         `json:"carId"`
	CustomData      json.RawMessage `json:"customData" doc:"Up to 50 fields and 2000 characters of free JSON, echoed back."`
}

// saveMileageRequest is the body of POST /v6/mileage.
type saveMileageRequest struct {
	Data []mileageIn `json:"data" required:"true"`
}

func pointDomain(param string, p *pointIn) (*milepost.TripPoint, error) {
	if p == nil {
		return nil, nil
	}
	t, err := parseInstant(param+".time", p.Time)
	if err != nil {
		return nil, err
	}
	lat, err := p.Lat.float(param + ".lat")
	if err != nil {
		return nil, err
	}
	lng, err := p.Lng.float(param + ".lng")
	if err != nil {
		return nil, err
	}
	out := &milepost.TripPoint{Time: t, Lat: lat, Lng: lng, LocationID: p.LocationID}
	if a := p.Address; a != nil {
		out.Address = &milepost.TripAddress{Address1: a.Address1, Address2: a.Address2, City: a.City, State: a.State, Zip: a.Zip, PhoneWork: a.PhoneWork}
	}
	return out, nil
}

// domain turns a written item into the domain's input.
func (m mileageIn) domain() (milepost.TripInput, error) {
	in := milepost.TripInput{Status: m.Status, MileageStatus: m.MileageStatus, Description: m.Description, Notes: m.Notes,
		CustomerID: m.CustomerID, ClassSegmentIDs: m.ClassSegmentIDs, DurationMS: m.Duration, CarID: m.CarID, CustomData: m.CustomData}
	var err error
	if m.ID != nil {
		in.ID = *m.ID
	}
	if m.Date != nil {
		if in.Date, err = parseDate("date", *m.Date); err != nil {
			return in, err
		}
	}
	if d := m.Distance; d != nil {
		switch d.Type {
		case "MILE", "":
			in.DistanceUnit = milepost.Miles
		case "KILOMETER":
			in.DistanceUnit = milepost.Kilometers
		default:
			return in, &milepost.Error{Code: milepost.CodeInvalid, Reason: "INVALID_VALUE", Params: []string{"distance.type"}, Message: "distance.type must be MILE or KILOMETER."}
		}
		if d.Value == nil || d.Value.Raw == "" {
			return in, &milepost.Error{Code: milepost.CodeInvalid, Reason: "REQUIRED", Params: []string{"distance.value"}, Message: "distance.value is required."}
		}
		micro, err := milepost.ParseDecimalMicro("distance.value", d.Value.Raw)
		if err != nil {
			return in, err
		}
		in.DistanceMicro = &micro
	}
	if in.Start, err = pointDomain("start", m.Start); err != nil {
		return in, err
	}
	if in.End, err = pointDomain("end", m.End); err != nil {
		return in, err
	}
	if m.Deduction != nil && m.Deduction.Amount != nil {
		in.DeductionCents = m.Deduction.Amount
	}
	return in, nil
}

// refJSON is an expanded reference (customer, location, class segment) of which Milepost keeps
// only the id.
type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name" doc:"Empty: Milepost stores the reference only."`
}

// carRefJSON is the car of a trip.
type carRefJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Make  string `json:"make"`
	Model string `json:"model"`
}

// customerJSON is the customer of a trip.
type customerJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// pointOut is a trip point as read.
type pointOut struct {
	Time     *string      `json:"time"`
	Lat      *string      `json:"lat"`
	Lng      *string      `json:"lng"`
	Location *refJSON     `json:"location"`
	Address  *addressJSON `json:"address"`
}

// mileageOut is the mileage record as read.
type mileageOut struct {
	ID               string          `json:"id"`
	Date             string          `json:"date"`
	Status           string          `json:"status" enum:"ACTIVE,INACTIVE"`
	MileageStatus    string          `json:"mileageStatus" enum:"PENDING,BUSINESS,PERSONAL"`
	Description      string          `json:"description"`
	Notes            string          `json:"notes"`
	Customer         *customerJSON   `json:"customer"`
	ClassSegments    []refJSON       `json:"classSegments"`
	Distance         distanceOut     `json:"distance"`
	DistanceSource   string          `json:"distanceSource" enum:"CLIENT,GREAT_CIRCLE" doc:"Milepost: where the distance came from; GREAT_CIRCLE when computed from the start and end coordinates."`
	Start            pointOut        `json:"start"`
	End              pointOut        `json:"end"`
	Duration         *int64          `json:"duration"`
	Deduction        deductionOut    `json:"deduction"`
	DeductionSource  string          `json:"deductionSource" enum:"CLIENT,IRS_RATE,NONE" doc:"Milepost: IRS_RATE when computed from the IRS business rate of the trip's date."`
	IRSRateCentsMile *string         `json:"irsRateCentsPerMile,omitempty" doc:"Milepost: the IRS business rate used, in cents per mile (e.g. \"67\" or \"62.5\")."`
	Route            *struct{}       `json:"route" doc:"Always null: Milepost receives finished trips, not GPS traces."`
	Car              *carRefJSON     `json:"car"`
	CustomData       json.RawMessage `json:"customData"`
	UserID           string          `json:"userId" doc:"Milepost: the owner of the trip log."`
}

type distanceOut struct {
	Type  string `json:"type" enum:"MILE,KILOMETER"`
	Value string `json:"value"`
}

type deductionOut struct {
	Amount int64 `json:"amount"`
}

var unitNames = map[milepost.DistanceUnit]string{milepost.Miles: "MILE", milepost.Kilometers: "KILOMETER"}

func pointOutOf(p milepost.TripPoint) pointOut {
	out := pointOut{Lat: formatFloat(p.Lat), Lng: formatFloat(p.Lng)}
	if p.Time != nil {
		t := p.Time.UTC().Format(time.RFC3339)
		out.Time = &t
	}
	if p.LocationID != "" {
		out.Location = &refJSON{ID: p.LocationID}
	}
	if a := p.Address; a != nil {
		out.Address = &addressJSON{CountryCode: "USA", State: a.State, City: a.City, Zip: a.Zip, PhoneWork: a.PhoneWork, Address1: a.Address1, Address2: a.Address2}
	}
	return out
}

// cars looks up the cars trips refer to, once per car per request.
type cars struct {
	s     *Server
	ctx   context.Context
	actor milepost.Actor
	seen  map[string]*carRefJSON
}

func (c *cars) ref(id string) *carRefJSON {
	if id == "" {
		return nil
	}
	if r, ok := c.seen[id]; ok {
		return r
	}
	r := &carRefJSON{ID: id}
	if car, err := c.s.Trips.FindCar(c.ctx, c.actor, id); err == nil {
		r.Name, r.Make, r.Model = car.Name, car.Make, car.Model
	}
	c.seen[id] = r
	return r
}

func (s *Server) carsFor(r *http.Request, a milepost.Actor) *cars {
	return &cars{s: s, ctx: r.Context(), actor: a, seen: map[string]*carRefJSON{}}
}

func (c *cars) mileageOut(t *milepost.Trip) mileageOut {
	out := mileageOut{ID: t.ID, Date: t.Date.Format(time.DateOnly), Status: t.Status, MileageStatus: t.MileageStatus, Description: t.Description,
		Notes: t.Notes, ClassSegments: []refJSON{}, Distance: distanceOut{Type: unitNames[t.DistanceUnit], Value: milepost.FormatDecimalMicro(t.DistanceMicro)},
		DistanceSource: t.DistanceSource, Start: pointOutOf(t.Start), End: pointOutOf(t.End), Duration: t.DurationMS,
		Deduction: deductionOut{Amount: t.DeductionCents}, DeductionSource: t.DeductionSource, Car: c.ref(t.CarID),
		CustomData: t.CustomData, UserID: t.UserID}
	if t.CustomerID != "" {
		out.Customer = &customerJSON{ID: t.CustomerID}
	}
	for _, id := range t.ClassSegmentIDs {
		out.ClassSegments = append(out.ClassSegments, refJSON{ID: id})
	}
	if t.DeductionSource == milepost.FromIRSRate {
		rate := milepost.FormatDecimalMicro(int64(t.IRSRateTenthCents) * 100_000)
		out.IRSRateCentsMile = &rate
	}
	return out
}

// itemJSON is one item's result in a bulk save.
type itemJSON[T any] struct {
	Result     string      `json:"result" enum:"SUCCESS,FAILURE"`
	StatusCode int         `json:"statusCode"`
	Data       *T          `json:"data"`
	Error      []errorJSON `json:"error"`
}

// bulkBody reads {"data":[…]} keeping each item raw, so one malformed item fails alone.
func bulkBody(r *http.Request) ([]json.RawMessage, error) {
	var body struct {
		Data *[]json.RawMessage `json:"data"`
	}
	if err := httpx.DecodeJSON(r, &body); err != nil {
		if milepost.ErrorCode(err) == milepost.CodeInvalid {
			return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: "JSON_ERROR", Message: milepost.ErrorMessage(err)}
		}
		return nil, err
	}
	if body.Data == nil || len(*body.Data) == 0 {
		return nil, &milepost.Error{Code: milepost.CodeInvalid, Reason: "REQUIRED", Params: []string{"data"}, Message: "data is required: a non-empty array of items."}
	}
	return *body.Data, nil
}

// writeBulk answers a bulk save: 200 when every item succeeded, 207 when some did, and 400
// (FAILURE) when none did. Items keep the request's order.
func writeBulk[T any](s *Server, w http.ResponseWriter, r *http.Request, items []itemJSON[T]) {
	okCount := 0
	for _, it := range items {
		if it.Result == "SUCCESS" {
			okCount++
		}
	}
	body := envelope[[]itemJSON[T]]{Result: "SUCCESS", Data: items}
	status := http.StatusOK
	if okCount < len(items) {
		status, body.Result = http.StatusMultiStatus, "FAILURE"
		if okCount == 0 {
			status = http.StatusBadRequest
		}
		body.Error = []errorJSON{{Type: "BAD_REQUEST", Message: strconv.Itoa(len(items)-okCount) + " of " + strconv.Itoa(len(items)) +
			" items failed; each failed item has its own statusCode and error."}}
	}
	httpx.WriteJSON(w, status, body)
}

func failedItem[T any](err error, requestID string) itemJSON[T] {
	status, e := toError(err, requestID)
	return itemJSON[T]{Result: "FAILURE", StatusCode: status, Error: []errorJSON{e}}
}

func (s *Server) saveMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	raws, err := bulkBody(r)
	if err != nil {
		return err
	}
	out := make([]itemJSON[mileageOut], len(raws))
	var inputs []milepost.TripInput
	var at []int // positions of the items that parsed
	for i, raw := range raws {
		var m mileageIn
		err := decodeItem(raw, &m)
		var in milepost.TripInput
		if err == nil {
			in, err = m.domain()
		}
		if err != nil {
			out[i] = failedItem[mileageOut](err, httpx.RequestID(r.Context()))
			continue
		}
		inputs, at = append(inputs, in), append(at, i)
	}
	if len(inputs) > 0 {
		results, err := s.Trips.SaveTrips(r.Context(), a, inputs)
		if err != nil {
			return err
		}
		c := s.carsFor(r, a)
		for j, res := range results {
			if res.Err != nil {
				out[at[j]] = failedItem[mileageOut](res.Err, httpx.RequestID(r.Context()))
				continue
			}
			m := c.mileageOut(res.Value)
			out[at[j]] = itemJSON[mileageOut]{Result: "SUCCESS", StatusCode: http.StatusOK, Data: &m, Error: []errorJSON{}}
		}
	}
	writeBulk(s, w, r, out)
	return nil
}

func (s *Server) getMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	t, err := s.Trips.FindTrip(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, s.carsFor(r, a).mileageOut(t))
}

func (s *Server) deleteMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	t, err := s.Trips.DeleteTrip(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, s.carsFor(r, a).mileageOut(t))
}
