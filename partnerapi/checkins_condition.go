package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
)

// conditionCheckinRequest is the body of POST /api/vehicles/checkin/condition.
type conditionCheckinRequest struct {
	VehicleID    string              `json:"vehicleId" required:"true"`
	LicensePlate string              `json:"licensePlate"`
	State        string              `json:"state"`
	UserNote     string              `json:"userNote" doc:"An optional note from the user."`
	Photos       []typedPhotoRefJSON `json:"photos" required:"true" doc:"One photo per angle: the four required angles Front, Back, DriverSide, PassengerSide, and optionally DriverSideFront, DriverSideBack, PassengerSideFront, PassengerSideBack."`
}

// conditionUpdateRequest is the body of PUT /api/vehicles/checkin/condition/{id}.
type conditionUpdateRequest struct {
	UserNote string              `json:"userNote" doc:"An optional note from the user when updating the check-in."`
	Photos   []typedPhotoRefJSON `json:"photos" required:"true" doc:"Photos that replace those of the same angles; the other angles are kept."`
}

// conditionPhotoJSON is a photo of a condition check-in.
type conditionPhotoJSON struct {
	PhotoURL              string   `json:"photoUrl"`
	Type                  string   `json:"type" enum:"Back,Front,DriverSide,DriverSideFront,DriverSideBack,PassengerSide,PassengerSideFront,PassengerSideBack"`
	Latitude              *float64 `json:"latitude"`
	Longitude             *float64 `json:"longitude"`
	MarkedInvalidByReview bool     `json:"markedInvalidByReview" doc:"Indicates that the photo has been marked invalid on review."`
	DamageDetected        bool     `json:"damageDetected" doc:"Indicates that the review has detected damage to the vehicle."`
}

// conditionCheckinJSON is the ConditionCheckin object.
type conditionCheckinJSON struct {
	ID              string               `json:"id"`
	VehicleID       string               `json:"vehicleId"`
	License         string               `json:"license"`
	UserNote        string               `json:"userNote" doc:"User generated note. For communication between the user to the admin."`
	AdminNote       string               `json:"adminNote"`
	CheckedInAt     string               `json:"checkedInAt"`
	CheckInStatus   string               `json:"checkInStatus" enum:"Confirmed,Declined,OnHold,Pending"`
	NextCheckInDate string               `json:"nextCheckInDate"`
	Updated         string               `json:"updated"`
	Fraud           bool                 `json:"fraud"`
	Photos          []conditionPhotoJSON `json:"photos" doc:"The photos of the vehicle taken from different angles."`
}

func (s *Server) toConditionJSON(c *milepost.Checkin) conditionCheckinJSON {
	out := conditionCheckinJSON{
		ID: c.ID, VehicleID: c.VehicleID, License: c.License, UserNote: c.UserNote, AdminNote: c.AdminNote,
		CheckedInAt: formatTime(c.CreatedAt), CheckInStatus: string(c.Status), NextCheckInDate: formatTimePtr(c.NextCheckInDate),
		Updated: formatTime(c.UpdatedAt), Fraud: c.Fraud, Photos: []conditionPhotoJSON{},
	}
	for _, p := range c.Photos {
		out.Photos = append(out.Photos, conditionPhotoJSON{PhotoURL: s.uploadURL(p.Upload), Type: p.Kind, Latitude: p.Upload.Latitude,
			Longitude: p.Upload.Longitude, MarkedInvalidByReview: p.MarkedInvalidByReview, DamageDetected: p.DamageDetected})
	}
	return out
}

func (s *Server) createCondition(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req conditionCheckinRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	photos, err := typedRefs(s, "photos", req.Photos)
	if err != nil {
		return err
	}
	c, err := s.Checkins.CreateConditionCheckin(r.Context(), a, milepost.NewConditionCheckin{
		VehicleID: req.VehicleID, LicensePlate: req.LicensePlate, State: req.State, UserNote: req.UserNote, Photos: photos})
	if err != nil {
		return err
	}
	return ok(w, s.toConditionJSON(c))
}

func (s *Server) updateCondition(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req conditionUpdateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	photos, err := typedRefs(s, "photos", req.Photos)
	if err != nil {
		return err
	}
	c, err := s.Checkins.UpdateConditionCheckin(r.Context(), a, r.PathValue("id"), milepost.NewConditionCheckin{UserNote: req.UserNote, Photos: photos})
	if err != nil {
		return err
	}
	return ok(w, s.toConditionJSON(c))
}

func (s *Server) getCondition(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	c, err := s.Checkins.FindCheckin(r.Context(), a, milepost.CheckinCondition, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, s.toConditionJSON(c))
}

func (s *Server) vehicleConditions(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	cs, err := s.Checkins.ListVehicleCheckins(r.Context(), a, r.PathValue("vehicleId"), milepost.CheckinCondition)
	if err != nil {
		return err
	}
	return ok(w, mapAll(cs, s.toConditionJSON))
}

func (s *Server) listConditions(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	page, err := s.listCheckins(r, a, milepost.CheckinCondition)
	if err != nil {
		return err
	}
	return ok(w, checkinPage(page, s.toConditionJSON))
}
