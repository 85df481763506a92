package partnerapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/milepost/milepost"
)

// reviewItemJSON is a check-in in the review queue.
type reviewItemJSON struct {
	ID            string `json:"id"`
	CheckInType   string `json:"checkInType" enum:"Mileage,Condition,ProofOfAddress"`
	CheckInStatus string `json:"checkInStatus" enum:"Pending,OnHold"`
	CheckedInAt   string `json:"checkedInAt"`
	Updated       string `json:"updated"`
	UserID        string `json:"userId"`
	VehicleID     string `json:"vehicleId"`
	Fraud         bool   `json:"fraud"`
	AdminNote     string `json:"adminNote"`
}

// claimedJSON is what the app claimed about a photo at upload.
type claimedJSON struct {
	TakenOn            string   `json:"takenOn"`
	Latitude           *float64 `json:"latitude"`
	Longitude          *float64 `json:"longitude"`
	DeviceIdentifier   string   `json:"deviceIdentifier"`
	DeviceManufacturer string   `json:"deviceManufacturer"`
	DeviceModel        string   `json:"deviceModel"`
	DeviceOS           string   `json:"deviceOS"`
}

// reviewPhotoJSON is a photo with everything known about it.
type reviewPhotoJSON struct {
	PhotoURL              string        `json:"photoUrl"`
	Role                  string        `json:"role" enum:"license,odometer,angle,home,document"`
	Type                  string        `json:"type" doc:"The angle, home photo type or document source."`
	MarkedInvalidByReview bool          `json:"markedInvalidByReview"`
	DamageDetected        bool          `json:"damageDetected"`
	ContentType           string        `json:"contentType"`
	Width                 int           `json:"width"`
	Height                int           `json:"height"`
	UploadedAt            string        `json:"uploadedAt"`
	Claimed               claimedJSON   `json:"claimed" doc:"What the app reported."`
	EXIF                  exifJSON      `json:"exif" doc:"What the file itself says."`
	Analysis              *analysisJSON `json:"analysis" doc:"What the pixels say; null for documents."`
}

// signalJSON is one verification finding.
type signalJSON struct {
	Analyzer string `json:"analyzer"`
	Name     string `json:"name"`
	Value    string `json:"value"`
	Verdict  string `json:"verdict" enum:"pass,hold,decline"`
	Fraud    bool   `json:"fraud"`
	Reason   string `json:"reason" doc:"Plain-language explanation for reviewers."`
	Note     string `json:"note" doc:"What the user is asked to do, when this signal decides."`
	PhotoURL string `json:"photoUrl,omitempty" doc:"The photo the signal is about, if any."`
	Damage   bool   `json:"damage" doc:"The signal marked that photo damageDetected."`
}

// analysisJSON is what the photo's pixels say (see docs/verification.md for the scales).
type analysisJSON struct {
	PHash      string  `json:"phash" doc:"64-bit perceptual hash, hex."`
	DHash      string  `json:"dhash" doc:"64-bit difference hash, hex."`
	ShortSide  int     `json:"shortSide"`
	Brightness float64 `json:"brightness" doc:"Mean luma, 0-255."`
	Dark       float64 `json:"dark" doc:"Fraction of near-black pixels."`
	Clipped    float64 `json:"clipped" doc:"Fraction of blown-out pixels."`
	Sharpness  float64 `json:"sharpness"`
	Moire      float64 `json:"moire" doc:"Strength of screen-like patterns, 0-1."`
}

func toAnalysisJSON(a *milepost.PhotoAnalysis) *analysisJSON {
	if a == nil {
		return nil
	}
	return &analysisJSON{PHash: fmt.Sprintf("%016x", a.PHash), DHash: fmt.Sprintf("%016x", a.DHash), ShortSide: a.ShortSide,
		Brightness: a.Brightness, Dark: a.Dark, Clipped: a.Clipped, Sharpness: a.Sharpness, Moire: a.Moire}
}

// transitionJSON is one move in a check-in's history.
type transitionJSON struct {
	From   string `json:"from"`
	To     string `json:"to"`
	By     string `json:"by" enum:"engine,reviewer,partner"`
	Actor  string `json:"actor"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// checkinReviewJSON is the body of GET /api/admin/checkins/{id}.
type checkinReviewJSON struct {
	ID              string              `json:"id"`
	CheckInType     string              `json:"checkInType" enum:"Mileage,Condition,ProofOfAddress"`
	CheckInStatus   string              `json:"checkInStatus" enum:"Confirmed,Declined,OnHold,Pending"`
	Fraud           bool                `json:"fraud"`
	AdminNote       string              `json:"adminNote"`
	UserNote        string              `json:"userNote"`
	CheckedInAt     string              `json:"checkedInAt"`
	Updated         string              `json:"updated"`
	NextCheckInDate string              `json:"nextCheckInDate"`
	Run             int                 `json:"run" doc:"Submissions so far: 1, plus one per change-flow update."`
	Mileage         int64               `json:"mileage,omitempty"`
	License         string              `json:"license,omitempty"`
	State           string              `json:"state,omitempty"`
	DocumentType    string              `json:"documentType,omitempty"`
	AddressType     string              `json:"addressType,omitempty"`
	Address         *checkinAddressJSON `json:"address,omitempty"`
	Vehicle         *vehicleJSON        `json:"vehicle,omitempty"`
	User            userJSON            `json:"user"`
	Photos          []reviewPhotoJSON   `json:"photos"`
	Signals         []signalJSON        `json:"signals" doc:"The signals of the latest verification."`
	History         []transitionJSON    `json:"history" doc:"Every transition, oldest first."`
}

func (s *Server) toReviewJSON(rv *milepost.CheckinReview) checkinReviewJSON {
	c := rv.Checkin
	out := checkinReviewJSON{
		ID: c.ID, CheckInType: checkinTypeNames[c.Type], CheckInStatus: string(c.Status), Fraud: c.Fraud, AdminNote: c.AdminNote,
		UserNote: c.UserNote, CheckedInAt: formatTime(c.CreatedAt), Updated: formatTime(c.UpdatedAt),
		NextCheckInDate: formatTimePtr(c.NextCheckInDate), Run: c.Run, Mileage: c.Mileage, License: c.License, State: c.State,
		DocumentType: c.DocumentType, AddressType: c.AddressType, Address: toCheckinAddressJSON(c.Address),
		User: toUserJSON(rv.User), Photos: []reviewPhotoJSON{}, Signals: []signalJSON{}, History: []transitionJSON{},
	}
	if rv.Vehicle != nil {
		v := toVehicleJSON(rv.Vehicle)
		out.Vehicle = &v
	}
	for _, p := range c.Photos {
		u := p.Upload
		ph := toPhotoJSON(s, u)
		out.Photos = append(out.Photos, reviewPhotoJSON{PhotoURL: ph.PhotoURL, Role: string(p.Role), Type: p.Kind,
			MarkedInvalidByReview: p.MarkedInvalidByReview, DamageDetected: p.DamageDetected, ContentType: u.Media.ContentType,
			Width: u.Media.Width, Height: u.Media.Height, UploadedAt: formatTime(u.CreatedAt),
			Claimed: claimedJSON{TakenOn: ph.TakenOn, Latitude: u.Latitude, Longitude: u.Longitude, DeviceIdentifier: u.Device.Identifier,
				DeviceManufacturer: u.Device.Manufacturer, DeviceModel: u.Device.Model, DeviceOS: u.Device.OS},
			EXIF: ph.EXIF, Analysis: toAnalysisJSON(u.Media.Analysis)})
	}
	urls := map[string]string{}
	for i, p := range c.Photos {
		urls[p.UploadID] = out.Photos[i].PhotoURL
	}
	for _, sg := range rv.Signals {
		out.Signals = append(out.Signals, signalJSON{Analyzer: sg.Analyzer, Name: sg.Name, Value: sg.Value, Verdict: string(sg.Verdict),
			Fraud: sg.Fraud, Reason: sg.Reason, Note: sg.Note, PhotoURL: urls[sg.UploadID], Damage: sg.Damage})
	}
	for _, t := range rv.Transitions {
		out.History = append(out.History, transitionJSON{From: string(t.From), To: string(t.To), By: string(t.By), Actor: t.ActorID,
			Reason: t.Reason, At: formatTime(t.At)})
	}
	return out
}

var reviewTypeParam = map[string]milepost.CheckinType{
	"mileage": milepost.CheckinMileage, "condition": milepost.CheckinCondition, "proofOfAddress": milepost.CheckinProofOfAddress,
}

func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q := query{r: r}
	f := milepost.ReviewFilter{PageRequest: q.page(), Type: reviewTypeParam[q.oneOf("type", []string{"mileage", "condition", "proofOfAddress"})],
		Status: milepost.CheckinStatus(q.oneOf("status", []string{"Pending", "OnHold"})), Fraud: q.boolean("fraud")}
	if q.err != nil {
		return q.err
	}
	page, err := s.Reviews.ReviewQueue(r.Context(), a, f)
	if err != nil {
		return err
	}
	return ok(w, checkinPage(page, func(c *milepost.Checkin) reviewItemJSON {
		return reviewItemJSON{ID: c.ID, CheckInType: checkinTypeNames[c.Type], CheckInStatus: string(c.Status),
			CheckedInAt: formatTime(c.CreatedAt), Updated: formatTime(c.UpdatedAt), UserID: c.UserID, VehicleID: c.VehicleID,
			Fraud: c.Fraud, AdminNote: c.AdminNote}
	}))
}

func (s *Server) reviewCheckin(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	rv, err := s.Reviews.ReviewCheckin(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, s.toReviewJSON(rv))
}

// photoMarkJSON is a reviewer's marks on one photo.
type photoMarkJSON struct {
	PhotoURL              string `json:"photoUrl" required:"true" doc:"The photoUrl (or fileUrl) of a photo of this check-in."`
	MarkedInvalidByReview *bool  `json:"markedInvalidByReview"`
	DamageDetected        *bool  `json:"damageDetected"`
}

// decisionRequest is the body of POST /api/admin/checkins/{id}/decision.
type decisionRequest struct {
	Status    string          `json:"status" required:"true" enum:"Confirmed,Declined,OnHold"`
	AdminNote string          `json:"adminNote" doc:"Shown to the partner: what to fix (OnHold) or why it was declined."`
	Fraud     *bool           `json:"fraud" doc:"Sets the check-in's fraud flag."`
	Reviewer  string          `json:"reviewer" doc:"Who decides (an e-mail or name), recorded in the history."`
	Photos    []photoMarkJSON `json:"photos"`
}

func (s *Server) decideCheckin(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req decisionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	d := milepost.ReviewDecision{Status: milepost.CheckinStatus(strings.TrimSpace(req.Status)), AdminNote: req.AdminNote, Fraud: req.Fraud, Reviewer: req.Reviewer}
	for i, p := range req.Photos {
		id, ok := s.uploadIDFromURL(p.PhotoURL, true)
		if !ok {
			return milepost.Invalidf("photos", "photos[%d].photoUrl %q is not a photo of this server.", i, p.PhotoURL)
		}
		d.Photos = append(d.Photos, milepost.PhotoReview{UploadID: id, MarkedInvalidByReview: p.MarkedInvalidByReview, DamageDetected: p.DamageDetected})
	}
	rv, err := s.Reviews.DecideCheckin(r.Context(), a, r.PathValue("id"), d)
	if err != nil {
		return err
	}
	return ok(w, s.toReviewJSON(rv))
}
