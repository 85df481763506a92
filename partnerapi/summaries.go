package partnerapi

import (
	"net/http"

	"github.com/milepost/milepost"
)

// rewardJSON is the reward of a check-in in a summary.
type rewardJSON struct {
	ID           string  `json:"id"`
	Status       string  `json:"status" enum:"Pending,Confirmed,Declined,Claimed,All"`
	DateRewarded string  `json:"dateRewarded"`
	Amount       float64 `json:"amount"`
}

// summaryItemJSON is one check-in in a summary.
type summaryItemJSON struct {
	ID          string              `json:"id"`
	CheckInType string              `json:"checkInType" enum:"Mileage,Condition,ProofOfAddress"`
	Status      string              `json:"status" enum:"Confirmed,Declined,OnHold,Pending"`
	CheckinDate string              `json:"checkinDate"`
	AdminNote   string              `json:"adminNote"`
	Reward      *rewardJSON         `json:"reward" doc:"The reward of the check-in; null when none."`
	Address     *checkinAddressJSON `json:"address,omitempty" doc:"Proof of address only."`
}

// summaryJSON is a per-type check-in summary.
type summaryJSON struct {
	Checkins                   []summaryItemJSON `json:"checkins"`
	CheckinUnlocked            bool              `json:"checkinUnlocked" doc:"Is a check-in unlocked."`
	UnlockDate                 *string           `json:"unlockDate" doc:"When the next check-in unlocks (or unlocked); null before the first check-in."`
	DaysToNextCheckin          int64             `json:"daysToNextCheckin" doc:"Number of days to next check-in."`
	RewardAmountForNextCheckin float64           `json:"rewardAmountForNextCheckin" doc:"Reward for next check-in based on current campaign setup."`
	LastConfirmedOrdinal       int               `json:"lastConfirmedOrdinal" doc:"The ordinal of the last confirmed check-in. 0 represents no confirmed check-ins."`
	LastConfirmedMileage       *int64            `json:"lastConfirmedMileage,omitempty" doc:"Mileage of last confirmed check-in (mileage summary only)."`
	PhotoBonusForNextCheckin   *float64          `json:"photoBonusForNextCheckin,omitempty" doc:"Bonus for home photos for next check-in (proof of address only)."`
}

// vehicleSummaryJSON is the body of GET /api/vehicles/{vehicleId}/checkin-summary.
type vehicleSummaryJSON struct {
	ID                      string      `json:"id"`
	License                 string      `json:"license"`
	Make                    string      `json:"make"`
	Model                   string      `json:"model"`
	VIN                     string      `json:"vin"`
	State                   string      `json:"state"`
	MileageCheckinSummary   summaryJSON `json:"mileageCheckinSummary"`
	ConditionCheckinSummary summaryJSON `json:"conditionCheckinSummary"`
}

var checkinTypeNames = map[milepost.CheckinType]string{
	milepost.CheckinMileage: "Mileage", milepost.CheckinCondition: "Condition", milepost.CheckinProofOfAddress: "ProofOfAddress",
}

func cents(c int64) float64 { return float64(c) / 100 }

func toSummaryJSON(s milepost.CheckinSummary) summaryJSON {
	out := summaryJSON{Checkins: make([]summaryItemJSON, len(s.Checkins)), CheckinUnlocked: s.Unlocked, DaysToNextCheckin: s.DaysToNext,
		RewardAmountForNextCheckin: cents(s.RewardForNextCents), LastConfirmedOrdinal: s.LastConfirmedOrdinal}
	if s.UnlockDate != nil {
		d := formatTime(*s.UnlockDate)
		out.UnlockDate = &d
	}
	for i, it := range s.Checkins {
		out.Checkins[i] = summaryItemJSON{ID: it.ID, CheckInType: checkinTypeNames[it.Type], Status: string(it.Status),
			CheckinDate: formatTime(it.Date), AdminNote: it.AdminNote, Address: toCheckinAddressJSON(it.Address)}
		if r := it.Reward; r != nil {
			out.Checkins[i].Reward = &rewardJSON{ID: r.ID, Status: string(r.Status), DateRewarded: formatTime(r.CreatedAt), Amount: cents(r.AmountCents)}
		}
	}
	switch s.Type {
	case milepost.CheckinMileage:
		m := s.LastConfirmedMileage
		out.LastConfirmedMileage = &m
	case milepost.CheckinProofOfAddress:
		b := cents(s.PhotoBonusForNextCents)
		out.PhotoBonusForNextCheckin = &b
	}
	return out
}

func (s *Server) vehicleSummary(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	sum, err := s.Checkins.VehicleSummary(r.Context(), a, r.PathValue("vehicleId"))
	if err != nil {
		return err
	}
	v := sum.Vehicle
	return ok(w, vehicleSummaryJSON{ID: v.ID, License: v.License, Make: v.Make, Model: v.Model, VIN: v.VIN, State: v.State,
		MileageCheckinSummary: toSummaryJSON(sum.Mileage), ConditionCheckinSummary: toSummaryJSON(sum.Condition)})
}

// addressSummary answers with an array of one summary, as the documentation shows it.
func (s *Server) addressSummary(w http.ResponseWriter, r *http.Request, a milepost.Actor) error {
	sum, err := s.Checkins.AddressSummary(r.Context(), a, r.PathValue("userId"))
	if err != nil {
		return err
	}
	return ok(w, []summaryJSON{toSummaryJSON(*sum)})
}
