package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
)

// checkinAddressJSON is the address of a proof-of-address check-in.
type checkinAddressJSON struct {
	AddressLine1 string   `json:"addressLine1"`
	AddressLine2 string   `json:"addressLine2"`
	City         string   `json:"city"`
	State        string   `json:"state" doc:"2 Letter State Code."`
	Country      string   `json:"country" doc:"Must be US."`
	Zip          string   `json:"zip"`
	Latitude     *float64 `json:"latitude"`
	Longitude    *float64 `json:"longitude"`
}

func (a *checkinAddressJSON) domain() *milepost.CheckinAddress {
	if a == nil {
		return nil
	}
	return &milepost.CheckinAddress{Line1: a.AddressLine1, Line2: a.AddressLine2, City: a.City, State: a.State, Country: a.Country,
		Zip: a.Zip, Latitude: a.Latitude, Longitude: a.Longitude}
}

func toCheckinAddressJSON(a *milepost.CheckinAddress) *checkinAddressJSON {
	if a == nil {
		return nil
	}
	return &checkinAddressJSON{AddressLine1: a.Line1, AddressLine2: a.Line2, City: a.City, State: a.State, Country: a.Country,
		Zip: a.Zip, Latitude: a.Latitude, Longitude: a.Longitude}
}

// addressCheckinRequest is the body of POST (and PUT) /api/users/checkin/proof-of-address.
type addressCheckinRequest struct {
	UserID       string              `json:"userId" required:"true" doc:"Id of the user (creation only)."`
	DocumentType string              `json:"documentType" required:"true" enum:"UtilityBill,Paycheck,FinancialStatement,SaleDeed,LeaseAgreement,PhoneBill"`
	Latitude     *float64            `json:"latitude" required:"true" doc:"Latitude of the check-in."`
	Longitude    *float64            `json:"longitude" required:"true" doc:"Longitude of the check-in."`
	AddressType  string              `json:"addressType" enum:"StandaloneHome,Apartment,Condominium,Duplex,Other" doc:"Type of home."`
	Address      *checkinAddressJSON `json:"address"`
	UserNote     string              `json:"userNote"`
	Photos       []typedPhotoRefJSON `json:"photos" doc:"Photos of the home; type FrontView or AlternateView."`
	Documents    []documentRefJSON   `json:"documents" doc:"The document(s) proving residence. A document or photos are required."`
}

// insightsJSON is what verification read from the documents.
type insightsJSON struct {
	FirstName string      `json:"firstName" doc:"First name on document(s)."`
	LastName  string      `json:"lastName" doc:"Last name on document(s)."`
	Address   addressJSON `json:"address"`
}

// documentOutJSON is a document of a proof-of-address check-in.
type documentOutJSON struct {
	URL                   string   `json:"url"`
	Type                  string   `json:"type" enum:"DOCUMENT,GALLERY,CAMERA,INVALID"`
	Ordinal               int      `json:"ordinal"`
	Latitude              *float64 `json:"latitude"`
	Longitude             *float64 `json:"longitude"`
	MarkedInvalidByReview bool     `json:"markedInvalidByReview"`
}

// homePhotoJSON is a photo of the home.
type homePhotoJSON struct {
	PhotoURL              string   `json:"photoUrl"`
	Type                  string   `json:"type" enum:"FrontView,AlternateView"`
	Latitude              *float64 `json:"latitude"`
	Longitude             *float64 `json:"longitude"`
	MarkedInvalidByReview bool     `json:"markedInvalidByReview"`
}

// addressCheckinJSON is the ProofOfAddressCheckin object.
type addressCheckinJSON struct {
	ID              string              `json:"id"`
	UserID          string              `json:"userId"`
	UserNote        string              `json:"userNote"`
	AdminNote       string              `json:"adminNote"`
	CheckedInAt     string              `json:"checkedInAt"`
	CheckInStatus   string              `json:"checkInStatus" enum:"Confirmed,Declined,OnHold,Pending"`
	NextCheckInDate string              `json:"nextCheckInDate"`
	Updated         string              `json:"updated"`
	Fraud           bool                `json:"fraud"`
	DocumentType    string              `json:"documentType" enum:"UtilityBill,Paycheck,FinancialStatement,SaleDeed,LeaseAgreement,PhoneBill,Invalid"`
	AddressType     string              `json:"addressType"`
	Address         *checkinAddressJSON `json:"address"`
	Latitude        *float64            `json:"latitude"`
	Longitude       *float64            `json:"longitude"`
	Insights        *insightsJSON       `json:"insights" doc:"Insights gathered from the uploaded document(s); null until verification reads them."`
	Documents       []documentOutJSON   `json:"documents"`
	Photos          []homePhotoJSON     `json:"photos"`
}

func (s *Server) toAddressJSON(c *milepost.Checkin) addressCheckinJSON {
	out := addressCheckinJSON{
		ID: c.ID, UserID: c.UserID, UserNote: c.UserNote, AdminNote: c.AdminNote, CheckedInAt: formatTime(c.CreatedAt),
		CheckInStatus: string(c.Status), NextCheckInDate: formatTimePtr(c.NextCheckInDate), Updated: formatTime(c.UpdatedAt),
		Fraud: c.Fraud, DocumentType: c.DocumentType, AddressType: c.AddressType, Address: toCheckinAddressJSON(c.Address),
		Latitude: c.Latitude, Longitude: c.Longitude, Documents: []documentOutJSON{}, Photos: []homePhotoJSON{},
	}
	if c.Insights != nil {
		out.Insights = &insightsJSON{FirstName: c.Insights.FirstName, LastName: c.Insights.LastName, Address: toAddressJSON(c.Insights.Address)}
	}
	for _, p := range c.Photos {
		switch p.Role {
		case milepost.RoleDocument:
			out.Documents = append(out.Documents, documentOutJSON{URL: s.uploadURL(p.Upload), Type: p.Kind, Ordinal: p.Ordinal,
				Latitude: p.Upload.Latitude, Longitude: p.Upload.Longitude, MarkedInvalidByReview: p.MarkedInvalidByReview})
		case milepost.RoleHome:
			out.Photos = append(out.Photos, homePhotoJSON{PhotoURL: s.uploadURL(p.Upload), Type: p.Kind, Latitude: p.Upload.Latitude,
				Longitude: p.Upload.Longitude, MarkedInvalidByReview: p.MarkedInvalidByReview})
		}
	}
	return out
}

func (s *Server) readAddressCheckin(r *http.Request) (milepost.NewAddressCheckin, error) {
	var req addressCheckinRequest
	if err := decode(r, &req); err != nil {
		return milepost.NewAddressCheckin{}, err
	}
	photos, err := typedRefs(s, "photos", req.Photos)
	if err != nil {
		return milepost.NewAddressCheckin{}, err
	}
	docs, err := documentRefs(s, req.Documents)
	if err != nil {
		return milepost.NewAddressCheckin{}, err
	}
	return milepost.NewAddressCheckin{UserID: req.UserID, DocumentType: req.DocumentType, AddressType: req.AddressType,
		Address: req.Address.domain(), Latitude: req.Latitude, Longitude: req.Longitude, UserNote: req.UserNote,
		Photos: photos, Documents: docs}, nil
}

func (s *Server) createAddressCheckin(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	in, err := s.readAddressCheckin(r)
	if err != nil {
		return err
	}
	c, err := s.Checkins.CreateAddressCheckin(r.Context(), a, in)
	if err != nil {
		return err
	}
	return ok(w, s.toAddressJSON(c))
}

func (s *Server) updateAddressCheckin(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	in, err := s.readAddressCheckin(r)
	if err != nil {
		return err
	}
	c, err := s.Checkins.UpdateAddressCheckin(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return ok(w, s.toAddressJSON(c))
}

func (s *Server) getAddressCheckin(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	c, err := s.Checkins.FindCheckin(r.Context(), a, milepost.CheckinProofOfAddress, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, s.toAddressJSON(c))
}

func (s *Server) userAddressCheckins(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	cs, err := s.Checkins.ListUserAddressCheckins(r.Context(), a, r.PathValue("userId"))
	if err != nil {
		return err
	}
	return ok(w, mapAll(cs, s.toAddressJSON))
}

func (s *Server) listAddressCheckins(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	page, err := s.listCheckins(r, a, milepost.CheckinProofOfAddress)
	if err != nil {
		return err
	}
	return ok(w, checkinPage(page, s.toAddressJSON))
}
