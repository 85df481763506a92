package odometerapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// registrationJSON is the "Odometer registration" object.
type registrationJSON struct {
	ID         string  `json:"id" format:"uuid" doc:"Identifier of odometer registration."`
	CreatedAt  string  `json:"created_at" format:"date-time" doc:"Date and time of creation."`
	IsBreaking bool    `json:"is_breaking" doc:"Whether this registration is breaking the trend of increasing registrations, meaning its value is lower than the previous registration for the same VIN."`
	Value      float64 `json:"value" format:"float" minimum:"1" maximum:"1000000000" doc:"Odometer registration in kilometers."`
	VIN        string  `json:"vin" minLength:"17" maxLength:"17" doc:"Vehicle Identification Number (VIN) of the vehicle for this odometer registration."`
}

func toJSON(r *milepost.OdometerRegistration) registrationJSON {
	return registrationJSON{ID: r.ID, CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339Nano), IsBreaking: r.IsBreaking, Value: r.ValueKm, VIN: r.VIN}
}

// createRequest is the body of POST /v2/vehicles/odometer-registrations.
type createRequest struct {
	Value    *float64 `json:"value" required:"true" format:"float" minimum:"1" maximum:"1000000000" doc:"Odometer registration in kilometers."`
	VIN      string   `json:"vin" required:"true" minLength:"17" maxLength:"17"`
	TicketID string   `json:"ticket_id" required:"true" format:"uuid" doc:"Identifier of the ticket."`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req createRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.Value == nil {
		return milepost.Invalidf("value", "value is required (kilometres, 1 to 1000000000).")
	}
	reg, err := s.Registrations.CreateRegistration(r.Context(), a, milepost.NewOdometerRegistration{VIN: req.VIN, ValueKm: *req.Value, TicketID: req.TicketID})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v2/vehicles/odometer-registrations/"+reg.ID)
	httpx.WriteJSON(w, http.StatusCreated, toJSON(reg))
	return nil
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	reg, err := s.Registrations.FindRegistration(r.Context(), a, r.PathValue("odometer-registration-id"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, toJSON(reg))
	return nil
}

// appliedQuery echoes the query parameters the list applied, defaults included.
type appliedQuery struct {
	VIN    string            `json:"vin"`
	Limit  int               `json:"limit" doc:"The applied value of the limit query parameter."`
	Offset int64             `json:"offset" doc:"The applied value of the offset query parameter."`
	SortBy map[string]string `json:"sort_by" doc:"The applied value of the sort_by query parameter."`
}

// listJSON is the list envelope.
type listJSON struct {
	Query  appliedQuery       `json:"query" doc:"Applied query parameters, including defaults."`
	Result []registrationJSON `json:"result" doc:"Odometer registrations of the vin, sorted by created_at."`
	Total  int64              `json:"total" doc:"Total number of resources matching provided query parameters."`
}

// parseList reads vin, limit, offset and sort_by[created_at]; any other sort_by key is refused.
func parseList(r *http.Request) (milepost.RegistrationFilter, appliedQuery, error) {
	q := r.URL.Query()
	f := milepost.RegistrationFilter{VIN: milepost.NormalizeVIN(q.Get("vin")), Limit: 25}
	applied := appliedQuery{SortBy: map[string]string{"created_at": "asc"}}
	if q.Get("vin") == "" {
		return f, applied, milepost.Invalidf("vin", "vin is required: the 17-character VIN to list registrations for.")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			return f, applied, milepost.Invalidf("limit", "limit must be an integer from 0 to 1000.")
		}
		f.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return f, applied, milepost.Invalidf("offset", "offset must be an integer of 0 or more.")
		}
		f.Offset = n
	}
	for key, vals := range q {
		if !strings.HasPrefix(key, "sort_by") {
			continue
		}
		if key != "sort_by[created_at]" {
			return f, applied, milepost.Invalidf(key, "only sort_by[created_at] is supported.")
		}
		switch strings.ToLower(vals[0]) {
		case "asc":
		case "desc":
			f.Desc = true
			applied.SortBy["created_at"] = "desc"
		default:
			return f, applied, milepost.Invalidf(key, "sort_by[created_at] must be asc or desc.")
		}
	}
	applied.VIN, applied.Limit, applied.Offset = f.VIN, f.Limit, f.Offset
	return f, applied, nil
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	f, applied, err := parseList(r)
	if err != nil {
		return err
	}
	page, err := s.Registrations.ListRegistrations(r.Context(), a, f)
	if err != nil {
		return err
	}
	out := listJSON{Query: applied, Result: make([]registrationJSON, len(page.Registrations)), Total: page.Total}
	for i, reg := range page.Registrations {
		out.Result[i] = toJSON(reg)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
