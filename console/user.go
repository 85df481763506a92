package console

import (
	"net/http"

	"github.com/milepost/milepost"
)

// userView is what the user page shows.
type userView struct {
	U         *milepost.User
	Rewards   []*milepost.Reward
	Payouts   []*milepost.Payout
	Addresses []*milepost.Checkin
	// Earned sums the Confirmed rewards not yet paid out; Paid the Claimed ones.
	Earned, Paid int64
}

// user shows a user's rewards, payouts and proof-of-address history.
func (c *Console) user(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	ctx, actor, id := r.Context(), s.Actor(), r.PathValue("id")
	v := userView{}
	var err error
	if v.U, err = c.cfg.Users.FindUserByID(ctx, actor, id); err != nil {
		c.renderError(w, r, err)
		return
	}
	if v.Rewards, err = c.cfg.Rewards.UserRewards(ctx, actor, id, false); err != nil {
		c.renderError(w, r, err)
		return
	}
	if v.Payouts, err = c.cfg.Rewards.UserPayouts(ctx, actor, id); err != nil {
		c.renderError(w, r, err)
		return
	}
	if v.Addresses, err = c.cfg.Checkins.ListUserAddressCheckins(ctx, actor, id); err != nil {
		c.renderError(w, r, err)
		return
	}
	for _, rw := range v.Rewards {
		switch rw.Status {
		case milepost.RewardConfirmed:
			v.Earned += rw.AmountCents
		case milepost.RewardClaimed:
			v.Paid += rw.AmountCents
		}
	}
	c.render(w, r, http.StatusOK, "user", "User "+v.U.FirstName+" "+v.U.LastName, v)
}
