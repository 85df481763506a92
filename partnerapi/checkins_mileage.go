package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
)

// mileageCheckinRequest is the body of POST (and PUT) /api/vehicles/checkin/mileage.
type mileageCheckinRequest struct {
	VehicleID      string         `json:"vehicleId" required:"true" doc:"Vehicle Id of the vehicle (creation only)."`
	LicensePlate   string         `json:"licensePlate" required:"true" doc:"License plate number of the vehicle."`
	State          string         `json:"state" doc:"2 Letter State Code (eg. AL, CA, CO etc.)"`
	Mileage        int64          `json:"mileage" required:"true" minimum:"1" doc:"Current mileage. It must equal or exceed the mileage of the vehicle's earlier (not Declined) check-ins."`
	LicensePhotos  []photoRefJSON `json:"licensePhotos" required:"true" doc:"Photos of the license plate (on update: replaces them when given)."`
	OdometerPhotos []photoRefJSON `json:"odometerPhotos" required:"true" doc:"Photos of the odometer (on update: replaces them when given)."`
}

// mileageCheckinJSON is the MileageCheckin object.
type mileageCheckinJSON struct {
	ID              string         `json:"id" doc:"Id of the checkin."`
	VehicleID       string         `json:"vehicleId" doc:"Id of the vehicle."`
	License         string         `json:"license" doc:"License plate number."`
	State           string         `json:"state"`
	AdminNote       string         `json:"adminNote" doc:"Admin generated note: what to fix on an OnHold check-in, or why it was declined."`
	CheckedInAt     string         `json:"checkedInAt" doc:"Check-in date."`
	CheckInStatus   string         `json:"checkInStatus" enum:"Confirmed,Declined,OnHold,Pending"`
	Mileage         int64          `json:"mileage" doc:"Mileage at time of check-in."`
	NextCheckInDate string         `json:"nextCheckInDate" doc:"Indicative date of the next check-in (the partner's cadence after this one)."`
	Updated         string         `json:"updated" doc:"Last updated on."`
	Fraud           bool           `json:"fraud"`
	LicensePhotos   []photoOutJSON `json:"licensePhotos"`
	OdometerPhotos  []photoOutJSON `json:"odometerPhotos"`
}

func (s *Server) toMileageJSON(c *milepost.Checkin) mileageCheckinJSON {
	return mileageCheckinJSON{
		ID: c.ID, VehicleID: c.VehicleID, License: c.License, State: c.State, AdminNote: c.AdminNote,
		CheckedInAt: formatTime(c.CreatedAt), CheckInStatus: string(c.Status), Mileage: c.Mileage,
		NextCheckInDate: formatTimePtr(c.NextCheckInDate), Updated: formatTime(c.UpdatedAt), Fraud: c.Fraud,
		LicensePhotos: s.photosOut(c, milepost.RoleLicense), OdometerPhotos: s.photosOut(c, milepost.RoleOdometer),
	}
}

func (s *Server) readMileage(r *http.Request) (milepost.NewMileageCheckin, error) {
	var req mileageCheckinRequest
	if err := decode(r, &req); err != nil {
		return milepost.NewMileageCheckin{}, err
	}
	lic, err := plainRefs(s, "licensePhotos", req.LicensePhotos)
	if err != nil {
		return milepost.NewMileageCheckin{}, err
	}
	odo, err := plainRefs(s, "odometerPhotos", req.OdometerPhotos)
	if err != nil {
		return milepost.NewMileageCheckin{}, err
	}
	return milepost.NewMileageCheckin{VehicleID: req.VehicleID, LicensePlate: req.LicensePlate, State: req.State,
		Mileage: req.Mileage, LicensePhotos: lic, OdometerPhotos: odo}, nil
}

func (s *Server) createMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	in, err := s.readMileage(r)
	if err != nil {
		return err
	}
	c, err := s.Checkins.CreateMileageCheckin(r.Context(), a, in)
	if err != nil {
		return err
	}
	return ok(w, s.toMileageJSON(c))
}

func (s *Server) updateMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	in, err := s.readMileage(r)
	if err != nil {
		return err
	}
	c, err := s.Checkins.UpdateMileageCheckin(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return ok(w, s.toMileageJSON(c))
}

func (s *Server) getMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	c, err := s.Checkins.FindCheckin(r.Context(), a, milepost.CheckinMileage, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, s.toMileageJSON(c))
}

func (s *Server) vehicleMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	cs, err := s.Checkins.ListVehicleCheckins(r.Context(), a, r.PathValue("vehicleId"), milepost.CheckinMileage)
	if err != nil {
		return err
	}
	return ok(w, mapAll(cs, s.toMileageJSON))
}

func (s *Server) listMileage(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	page, err := s.listCheckins(r, a, milepost.CheckinMileage)
	if err != nil {
		return err
	}
	return ok(w, checkinPage(page, s.toMileageJSON))
}

// listCheckins reads the shared query of the partner-wide check-in lists.
func (s *Server) listCheckins(r *http.Request, a milepost.Actor, t milepost.CheckinType) (*milepost.CheckinPage, error) {
	q := query{r: r}
	f := milepost.CheckinFilter{
		Type: t, PageRequest: q.page(), SortBy: q.oneOf("sortBy", milepost.CheckinSortKeys), SortDirection: q.direction(),
		SearchBy: q.oneOf("searchBy", milepost.CheckinSearchKeys(t)), SearchValue: q.str("searchValue"),
		Status: q.oneOf("status", milepost.CheckinStatusFilters), VehicleID: q.str("vehicleId"), Fraud: q.boolean("fraud"),
		DamageDetected: q.boolean("damageDetected"),
		CheckinFrom:    q.time("checkinStartDate"), CheckinTo: q.time("checkinEndDate"),
		UpdatedFrom: q.time("updatedStartDate"), UpdatedTo: q.time("updatedEndDate"),
	}
	if q.err != nil {
		return nil, q.err
	}
	return s.Checkins.ListCheckins(r.Context(), a, f)
}
