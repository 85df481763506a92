package partnerapi

import (
	"net/http"
	"strconv"

	"github.com/milepost/milepost"
)

// vehicleJSON is the Vehicle object.
type vehicleJSON struct {
	ID                  string `json:"id" doc:"Id of the vehicle."`
	License             string `json:"license" doc:"License plate number (upper case, without spaces or dashes)."`
	PhotoURL            string `json:"photoUrl" doc:"Photo of Vehicle."`
	Make                string `json:"make"`
	Model               string `json:"model"`
	VIN                 string `json:"vin"`
	State               string `json:"state" doc:"2 Letter State Code (eg. AL, CA, CO etc.)"`
	Year                string `json:"year" doc:"Year vehicle was built."`
	DateAdded           string `json:"dateAdded" doc:"Time at which vehicle was added to the system."`
	Updated             string `json:"updated" doc:"Last updated timestamp."`
	UserID              string `json:"userId" doc:"User id of the owner."`
	CustomerPhoneNumber string `json:"customerPhoneNumber" doc:"Phone number of the owner."`
	Active              bool   `json:"active"`
}

func toVehicleJSON(v *milepost.Vehicle) vehicleJSON {
	return vehicleJSON{
		ID: v.ID, License: v.License, PhotoURL: v.PhotoURL, Make: v.Make, Model: v.Model, VIN: v.VIN, State: v.State,
		Year: yearString(v.Year), DateAdded: formatTime(v.CreatedAt), Updated: formatTime(v.UpdatedAt),
		UserID: v.UserID, CustomerPhoneNumber: v.Owner.Phone, Active: v.Active,
	}
}

func yearString(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// ownerJSON is the owner shown in vehicle lists.
type ownerJSON struct {
	ID        string `json:"id" doc:"Id of the user."`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// vehicleListItemJSON is a vehicle in GET /api/vehicles: the owner replaces userId and
// customerPhoneNumber.
type vehicleListItemJSON struct {
	ID        string    `json:"id"`
	License   string    `json:"license"`
	PhotoURL  string    `json:"photoUrl"`
	Make      string    `json:"make"`
	Model     string    `json:"model"`
	VIN       string    `json:"vin"`
	State     string    `json:"state"`
	Year      string    `json:"year"`
	DateAdded string    `json:"dateAdded"`
	Updated   string    `json:"updated"`
	Active    bool      `json:"active"`
	Owner     ownerJSON `json:"owner" doc:"Vehicle owner."`
}

// vehiclePageJSON is the page envelope of GET /api/vehicles.
type vehiclePageJSON struct {
	envelope
	Vehicles []vehicleListItemJSON `json:"vehicles"`
}

// createByVINRequest is the body of POST /api/vehicles/create/by-vin.
type createByVINRequest struct {
	UserID       string `json:"userId" required:"true" doc:"Id of the user."`
	VIN          string `json:"vin" required:"true" doc:"VIN of the vehicle: 17 characters, valid check digit (North-American WMIs), known manufacturer, model-year code matching year." minLength:"17" maxLength:"17"`
	Make         string `json:"make" required:"true" doc:"Make of the vehicle; must be a make of the VIN's manufacturer."`
	Model        string `json:"model" required:"true"`
	Year         int    `json:"year" required:"true" minimum:"1980" doc:"Model year; must match the VIN's position-10 code."`
	LicensePlate string `json:"licensePlate"`
	State        string `json:"state" doc:"2 Letter State Code (eg. AL, CA, CO etc.)"`
}

func (s *Server) createByVIN(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req createByVINRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v, err := s.Vehicles.CreateVehicleByVIN(r.Context(), a, milepost.NewVehicleByVIN{
		UserID: req.UserID, VIN: req.VIN, Make: req.Make, Model: req.Model, Year: req.Year, LicensePlate: req.LicensePlate, State: req.State,
	})
	if err != nil {
		return err
	}
	return ok(w, toVehicleJSON(v))
}

// createByLicenseRequest is the body of POST /api/vehicles/create/by-license.
type createByLicenseRequest struct {
	Phone        string `json:"phone" required:"true" doc:"User's cell phone number used when creating the user."`
	LicensePlate string `json:"licensePlate" required:"true" doc:"License plate number."`
	State        string `json:"state" required:"true" doc:"2 Letter State code for the state in which License plate is registered."`
	Mileage      int64  `json:"mileage" minimum:"1" doc:"Current Mileage of vehicle."`
}

func (s *Server) createByLicense(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req createByLicenseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v, err := s.Vehicles.CreateVehicleByPlate(r.Context(), a, milepost.NewVehicleByPlate{
		Phone: req.Phone, LicensePlate: req.LicensePlate, State: req.State, Mileage: req.Mileage,
	})
	if err != nil {
		return err
	}
	return ok(w, toVehicleJSON(v))
}

// updateVehicleRequest is the body of PUT /api/vehicles/update.
type updateVehicleRequest struct {
	ID           string  `json:"id" required:"true" doc:"Id of the vehicle."`
	LicensePlate *string `json:"licensePlate" doc:"License plate number of the vehicle. To blank out the license plate pass in an empty string."`
	State        *string `json:"state" doc:"2 Letter State Code."`
	Model        *string `json:"model" doc:"Model of the vehicle."`
}

func (s *Server) updateVehicle(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req updateVehicleRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v, err := s.Vehicles.UpdateVehicle(r.Context(), a, milepost.VehicleUpdate{ID: req.ID, LicensePlate: req.LicensePlate, State: req.State, Model: req.Model})
	if err != nil {
		return err
	}
	return ok(w, toVehicleJSON(v))
}

func (s *Server) setActive(active bool) func(http.ResponseWriter, *http.Request, milepost.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
		v, err := s.Vehicles.SetVehicleActive(r.Context(), a, r.PathValue("vehicleId"), active)
		if err != nil {
			return err
		}
		return ok(w, toVehicleJSON(v))
	}
}

func (s *Server) getVehicle(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	v, err := s.Vehicles.FindVehicleByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, toVehicleJSON(v))
}

func (s *Server) getVehicleByLicense(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	v, err := s.Vehicles.FindActiveVehicleByPlate(r.Context(), a, r.PathValue("state"), r.PathValue("licensePlateNumber"))
	if err != nil {
		return err
	}
	return ok(w, toVehicleJSON(v))
}

func (s *Server) listVehicles(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q := query{r: r}
	f := milepost.VehicleFilter{
		PageRequest: q.page(), SortBy: q.oneOf("sortBy", milepost.VehicleSortKeys), SortDirection: q.direction(),
		SearchBy: q.oneOf("searchBy", milepost.VehicleSearchKeys), SearchValue: q.str("searchValue"),
		Active: q.boolean("active"), AddedFrom: q.time("dateAddedStartDate"), AddedTo: q.time("dateAddedEndDate"),
	}
	if q.err != nil {
		return q.err
	}
	page, err := s.Vehicles.ListVehicles(r.Context(), a, f)
	if err != nil {
		return err
	}
	out := vehiclePageJSON{envelope: newEnvelope(page.Page, page.TotalItems, len(page.Vehicles)), Vehicles: make([]vehicleListItemJSON, len(page.Vehicles))}
	for i, v := range page.Vehicles {
		out.Vehicles[i] = vehicleListItemJSON{
			ID: v.ID, License: v.License, PhotoURL: v.PhotoURL, Make: v.Make, Model: v.Model, VIN: v.VIN, State: v.State,
			Year: yearString(v.Year), DateAdded: formatTime(v.CreatedAt), Updated: formatTime(v.UpdatedAt), Active: v.Active,
			Owner: ownerJSON{ID: v.Owner.ID, FirstName: v.Owner.FirstName, LastName: v.Owner.LastName},
		}
	}
	return ok(w, out)
}
