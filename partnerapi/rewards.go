package partnerapi

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// PayoutFinder reads a payout for its delivery page.
type PayoutFinder interface {
	FindPayout(ctx context.Context, id string) (*milepost.Payout, error)
}

// rewardJSONFull is the Reward object.
type rewardJSONFull struct {
	ID           string  `json:"id" doc:"Id of the reward."`
	Status       string  `json:"status" enum:"Pending,Confirmed,Declined,Claimed"`
	Type         string  `json:"type" enum:"MileageCheckIn,ConditionCheckIn,GaragingCheckIn,LowMileageBonus,Custom,SurveyCompleted"`
	Description  string  `json:"description"`
	VehicleID    string  `json:"vehicleId" doc:"Id of the vehicle (if the reward is tied to an action on the vehicle like a Mileage Check-in)."`
	CheckinID    string  `json:"checkinId" doc:"Milepost: the check-in that earned it."`
	PayoutID     string  `json:"payoutId" doc:"Id of the payout (if the reward has been claimed)."`
	DateRewarded string  `json:"dateRewarded" doc:"Date on which reward was created."`
	Amount       float64 `json:"amount" doc:"Dollars."`
}

func toRewardJSON(r *milepost.Reward) rewardJSONFull {
	return rewardJSONFull{ID: r.ID, Status: string(r.Status), Type: string(r.Type), Description: r.Description, VehicleID: r.VehicleID,
		CheckinID: r.CheckinID, PayoutID: r.PayoutID, DateRewarded: formatTime(r.CreatedAt), Amount: milepost.Dollars(r.AmountCents)}
}

func (s *Server) rewardsByID(confirmedOnly bool) func(http.ResponseWriter, *http.Request, milepost.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
		rs, err := s.Rewards.UserRewards(r.Context(), a, r.PathValue("id"), confirmedOnly)
		if err != nil {
			return err
		}
		return ok(w, mapAll(rs, toRewardJSON))
	}
}

func (s *Server) rewardsByPhone(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	rs, err := s.Rewards.UserRewardsByPhone(r.Context(), a, r.PathValue("phoneNumber"))
	if err != nil {
		return err
	}
	return ok(w, mapAll(rs, toRewardJSON))
}

// grantRequest is the body of POST /api/rewards/grant.
type grantRequest struct {
	UserID          string   `json:"userId" required:"true"`
	Amount          *float64 `json:"amount" required:"true" minimum:"1" maximum:"100" doc:"Dollars, 1.00 to 100.00."`
	ActionCode      string   `json:"actionCode" required:"true" maxLength:"64" pattern:"^[a-zA-Z0-9._-]+$" doc:"Free-form, used for grouping and reporting."`
	ClientReference string   `json:"clientReference" required:"true" maxLength:"128" doc:"The idempotency key, unique per partner."`
}

// grantJSON is the GrantRewardResponse.
type grantJSON struct {
	ID              string  `json:"id" doc:"Id of the granted reward (XT_*)."`
	UserID          string  `json:"userId"`
	Amount          float64 `json:"amount"`
	Type            string  `json:"type" enum:"Custom" doc:"Always Custom for grant-reward calls."`
	ActionCode      string  `json:"actionCode"`
	ClientReference string  `json:"clientReference"`
	Status          string  `json:"status" enum:"Confirmed" doc:"Grants are Confirmed at once, immediately claimable."`
	CreatedAt       string  `json:"createdAt" doc:"ISO-8601 timestamp at which the reward was created."`
	Replayed        bool    `json:"replayed" doc:"True when this call returned an existing reward (idempotent replay)."`
}

func (s *Server) grant(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	var req grantRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Amount == nil {
		return milepost.Invalidf("amount", "amount is required: 1.00 to 100.00 dollars.")
	}
	cents, err := milepost.CentsFromDollars("amount", *req.Amount)
	if err != nil {
		return err
	}
	rw, replayed, err := s.Rewards.Grant(r.Context(), a, milepost.GrantInput{UserID: req.UserID, AmountCents: cents, ActionCode: req.ActionCode, ClientReference: req.ClientReference})
	if err != nil {
		return err
	}
	return ok(w, grantJSON{ID: rw.ID, UserID: rw.UserID, Amount: milepost.Dollars(rw.AmountCents), Type: string(rw.Type), ActionCode: rw.ActionCode,
		ClientReference: rw.ClientReference, Status: string(rw.Status), CreatedAt: formatTime(rw.CreatedAt), Replayed: replayed})
}

// productImageJSON is an image of a product.
type productImageJSON struct {
	Src  string `json:"src" doc:"URL to this image."`
	Type string `json:"type" doc:"Type of image."`
}

// productJSON is the Product object.
type productJSON struct {
	ID            string             `json:"id"`
	Name          string             `json:"name"`
	CurrencyCodes []string           `json:"currencyCodes"`
	Countries     []string           `json:"countries"`
	Description   string             `json:"description"`
	Disclosure    string             `json:"disclosure" doc:"Legal disclosures for this product. Can be in HTML format."`
	Category      string             `json:"category" enum:"bank,charities,merchant_cards,paypal,visa"`
	Images        []productImageJSON `json:"images"`
}

func toProductJSON(p milepost.Product) productJSON {
	out := productJSON{ID: p.ID, Name: p.Name, CurrencyCodes: p.CurrencyCodes, Countries: p.Countries, Description: p.Description,
		Disclosure: p.Disclosure, Category: p.Category, Images: []productImageJSON{}}
	if out.CurrencyCodes == nil {
		out.CurrencyCodes = []string{}
	}
	if out.Countries == nil {
		out.Countries = []string{}
	}
	for _, img := range p.Images {
		out.Images = append(out.Images, productImageJSON{Src: img.Src, Type: img.Type})
	}
	return out
}

func (s *Server) products(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	ps, err := s.Rewards.Products(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, mapAll(ps, toProductJSON))
}

// claimJSON is the claim response.
type claimJSON struct {
	RewardDeliveryLink string `json:"rewardDeliveryLink" doc:"Link for user to claim the reward."`
}

func (s *Server) claim(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	q := r.URL.Query()
	p, err := s.Rewards.Claim(r.Context(), a, r.PathValue("userId"), q.Get("product"), q.Get("language"))
	if err != nil {
		return err
	}
	return ok(w, claimJSON{RewardDeliveryLink: p.Link})
}

// payoutJSON is the Payout object.
type payoutJSON struct {
	ID                   string           `json:"id"`
	DateClaimed          string           `json:"dateClaimed"`
	PaymentReferenceID   string           `json:"paymentReferenceId" doc:"A reference id to display to the user for communicating with admins."`
	PaymentReferenceLink string           `json:"paymentReferenceLink" doc:"A link which will take the user to the payout system."`
	ProductID            string           `json:"productId" doc:"Milepost: the product claimed."`
	Rewards              []rewardJSONFull `json:"rewards" doc:"List of rewards tied to the payout."`
	Amount               float64          `json:"amount"`
}

func toPayoutJSON(p *milepost.Payout) payoutJSON {
	return payoutJSON{ID: p.ID, DateClaimed: formatTime(p.CreatedAt), PaymentReferenceID: p.ReferenceID, PaymentReferenceLink: p.Link,
		ProductID: p.ProductID, Rewards: mapAll(p.Rewards, toRewardJSON), Amount: milepost.Dollars(p.AmountCents)}
}

func (s *Server) payoutsByID(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	ps, err := s.Rewards.UserPayouts(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return ok(w, mapAll(ps, toPayoutJSON))
}

func (s *Server) payoutsByPhone(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	ps, err := s.Rewards.UserPayoutsByPhone(r.Context(), a, r.PathValue("phoneNumber"))
	if err != nil {
		return err
	}
	return ok(w, mapAll(ps, toPayoutJSON))
}

var payoutPage = template.Must(template.New("payout").Parse(`<!doctype html>
<html lang="{{.Language}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your reward</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
.card{border:1px solid #d0d7de;border-radius:8px;padding:1.5rem}.amount{font-size:2rem;font-weight:700}
img{max-width:8rem}</style></head><body>
<main class="card"><h1>Your reward</h1>
{{with .Product}}{{range .Images}}{{if eq .Type "logo"}}<img src="{{.Src}}" alt="">{{end}}{{end}}<h2>{{.Name}}</h2><p>{{.Description}}</p>{{end}}
<p class="amount">${{.Amount}}</p>
<p>Reference: <strong>{{.Reference}}</strong> · claimed {{.Date}}</p>
{{with .Product}}{{if .Disclosure}}<p><small>{{.Disclosure}}</small></p>{{end}}{{end}}
</main></body></html>`))

// servePayoutPage shows a payout's product and amount to whoever holds its signed delivery link.
func (s *Server) servePayoutPage(w http.ResponseWriter, r *http.Request) {
	if err := s.Limiter.AllowClient(r, audience); err != nil {
		httpx.SetRetryAfter(w.Header(), err)
		http.Error(w, milepost.ErrorMessage(err), http.StatusTooManyRequests)
		return
	}
	if !s.Signer.Valid(r.URL.Path, r.URL.Query()) {
		http.Error(w, "This reward link is invalid or has expired.", http.StatusForbidden)
		return
	}
	p, err := s.Payouts.FindPayout(r.Context(), r.PathValue("id"))
	if err != nil || p.Status != milepost.PayoutCompleted {
		http.Error(w, "This reward is not available.", http.StatusNotFound)
		return
	}
	product := milepost.Product{ID: p.ProductID, Name: p.ProductID}
	if ps, err := s.Rewards.Products(r.Context(), milepost.Actor{PartnerID: p.PartnerID, Scope: milepost.ScopeAdmin}); err == nil {
		for _, candidate := range ps {
			if candidate.ID == p.ProductID {
				product = candidate
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	_ = payoutPage.Execute(w, map[string]any{"Product": product, "Amount": fmt.Sprintf("%d.%02d", p.AmountCents/100, p.AmountCents%100),
		"Reference": p.ReferenceID, "Date": p.CreatedAt.Format("January 2, 2006"), "Language": p.Language})
}
