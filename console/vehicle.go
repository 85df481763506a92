package console

import (
	"html/template"
	"net/http"
	"slices"

	"github.com/milepost/milepost"
)

// maxListed bounds the registrations and trips a vehicle page lists (newest first).
const maxListed = 100

// vehicleView is what the vehicle page shows.
type vehicleView struct {
	V             *milepost.Vehicle
	Mileage       []*milepost.Checkin
	Condition     []*milepost.Checkin
	Registrations []*milepost.OdometerRegistration
	// RegistrationTotal counts all of the VIN's registrations (only maxListed are listed).
	RegistrationTotal int64
	Trips             []*milepost.Trip
	TripTotal         int
	Readings          []milepost.OdometerReading
	Chart             template.HTML
}

// vehicle shows a vehicle's check-ins, odometer registrations, trips and odometer history.
func (c *Console) vehicle(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	ctx, actor, id := r.Context(), s.Actor(), r.PathValue("id")
	v := vehicleView{}
	var err error
	if v.V, err = c.cfg.Vehicles.FindVehicleByID(ctx, actor, id); err != nil {
		c.renderError(w, r, err)
		return
	}
	if v.Mileage, err = c.cfg.Checkins.ListVehicleCheckins(ctx, actor, id, milepost.CheckinMileage); err != nil {
		c.renderError(w, r, err)
		return
	}
	if v.Condition, err = c.cfg.Checkins.ListVehicleCheckins(ctx, actor, id, milepost.CheckinCondition); err != nil {
		c.renderError(w, r, err)
		return
	}
	regs, err := c.cfg.Registrations.ListRegistrations(ctx, actor, milepost.RegistrationFilter{VIN: v.V.VIN, Limit: maxListed, Desc: true})
	switch milepost.ErrorCode(err) {
	case "":
		v.Registrations, v.RegistrationTotal = regs.Registrations, regs.Total
	case milepost.CodeInvalid: // a VIN that registrations cannot name has none
	default:
		c.renderError(w, r, err)
		return
	}
	_, trips, err := c.cfg.Trips.MileageLogData(ctx, s.Reviewer.PartnerID, v.V.VIN)
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	v.TripTotal = len(trips)
	trips = slices.Clone(trips)
	slices.Reverse(trips)
	v.Trips = trips[:min(len(trips), maxListed)]
	h, err := c.cfg.Odometer.VehicleOdometerHistory(ctx, actor, id)
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	v.Readings = h.Readings
	if v.Chart, err = OdometerChart(h, ""); err != nil {
		c.renderError(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "vehicle", "Vehicle "+v.V.VIN, v)
}
