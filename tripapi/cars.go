package tripapi

import (
	"encoding/json"
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// carDetailJSON is a car's odometer at the start of a year.
type carDetailJSON struct {
	Year     int     `json:"year"`
	Odometer float64 `json:"odometer" doc:"Miles at the start of the year (the beginning odometer for tax substantiation)."`
}

// carIn is one item of POST /v6/mileage/cars.
type carIn struct {
	ID         *string          `json:"id" doc:"Absent: create (car_…); present: update."`
	Make       *string          `json:"make"`
	Model      *string          `json:"model"`
	Name       *string          `json:"name"`
	Year       *int             `json:"year"`
	IsPrimary  *bool            `json:"isPrimary" doc:"At most one primary car per user: setting it clears the others."`
	Status     *string          `json:"status" enum:"ACTIVE,INACTIVE"`
	VIN        *string          `json:"vin" doc:"Milepost: links the car to a VIN (its odometer readings join that VIN's history)."`
	VehicleID  *string          `json:"vehicleId" doc:"Milepost: links the car to a Milepost vehicle of the partner (its VIN)."`
	Details    *[]carDetailJSON `json:"details"`
	CustomData json.RawMessage  `json:"customData"`
}

// saveCarsRequest is the body of POST /v6/mileage/cars.
type saveCarsRequest struct {
	Data []carIn `json:"data" required:"true"`
}

func (c carIn) domain() milepost.CarInput {
	in := milepost.CarInput{Make: c.Make, Model: c.Model, Name: c.Name, Year: c.Year, IsPrimary: c.IsPrimary, Status: c.Status,
		VIN: c.VIN, VehicleID: c.VehicleID, CustomData: c.CustomData}
	if c.ID != nil {
		in.ID = *c.ID
	}
	if c.Details != nil {
		ds := make([]milepost.CarYear, len(*c.Details))
		for i, d := range *c.Details {
			ds[i] = milepost.CarYear{Year: d.Year, Odometer: d.Odometer}
		}
		in.Details = &ds
	}
	return in
}

// carOut is a car as read.
type carOut struct {
	ID         string          `json:"id"`
	Make       string          `json:"make"`
	Model      string          `json:"model"`
	Name       string          `json:"name"`
	Year       int             `json:"year"`
	IsPrimary  bool            `json:"isPrimary"`
	Status     string          `json:"status" enum:"ACTIVE,INACTIVE"`
	VIN        string          `json:"vin"`
	Details    []carDetailJSON `json:"details"`
	CustomData json.RawMessage `json:"customData"`
	UserID     string          `json:"userId"`
}

func carOutOf(c *milepost.Car) carOut {
	out := carOut{ID: c.ID, Make: c.Make, Model: c.Model, Name: c.Name, Year: c.Year, IsPrimary: c.IsPrimary, Status: c.Status,
		VIN: c.VIN, Details: []carDetailJSON{}, CustomData: c.CustomData, UserID: c.UserID}
	for _, d := range c.Details {
		out.Details = append(out.Details, carDetailJSON{Year: d.Year, Odometer: d.Odometer})
	}
	return out
}

func (s *Server) saveCars(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	raws, err := bulkBody(r)
	if err != nil {
		return err
	}
	out := make([]itemJSON[carOut], len(raws))
	var inputs []milepost.CarInput
	var at []int
	for i, raw := range raws {
		var c carIn
		if err := decodeItem(raw, &c); err != nil {
			out[i] = failedItem[carOut](err, httpx.RequestID(r.Context()))
			continue
		}
		inputs, at = append(inputs, c.domain()), append(at, i)
	}
	if len(inputs) > 0 {
		results, err := s.Trips.SaveCars(r.Context(), a, inputs)
		if err != nil {
			return err
		}
		for j, res := range results {
			if res.Err != nil {
				out[at[j]] = failedItem[carOut](res.Err, httpx.RequestID(r.Context()))
				continue
			}
			c := carOutOf(res.Value)
			out[at[j]] = itemJSON[carOut]{Result: "SUCCESS", StatusCode: http.StatusOK, Data: &c, Error: []errorJSON{}}
		}
	}
	writeBulk(s, w, r, out)
	return nil
}

func (s *Server) queryCars(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q, err := readQuery(r)
	if err != nil {
		return err
	}
	q.MileageStatus, q.Date, q.CarID = milepost.StringFilter{}, milepost.StringFilter{}, milepost.StringFilter{}
	page, err := s.Trips.QueryCars(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := pageEnvelope[carOut]{Result: "SUCCESS", Data: make([]carOut, len(page.Cars)),
		Cursor: cursorJSON{After: encodeCursor(page.After, false), Before: encodeCursor(page.Before, true)}}
	for i, c := range page.Cars {
		out.Data[i] = carOutOf(c)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getCar(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	c, err := s.Trips.FindCar(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, carOutOf(c))
}

func (s *Server) deleteCar(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	c, err := s.Trips.DeleteCar(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, carOutOf(c))
}
