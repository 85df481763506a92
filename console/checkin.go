package console

import (
	"context"
	"html/template"
	"net/http"

	"github.com/milepost/milepost"
)

// checkinView is what the check-in page shows.
type checkinView struct {
	C           *milepost.Checkin
	Vehicle     *milepost.Vehicle
	User        *milepost.User
	Photos      []photoView
	Attention   []signalView
	Passed      []signalView
	Transitions []milepost.Transition
	Reward      *milepost.Reward
	Audit       []*milepost.AuditEntry
	Chart       template.HTML
	Previous    *milepost.Checkin
	// Next is the oldest other check-in waiting in the queue ("" when none).
	Next string
	// Form: the decision form's values (kept after a refused decision) and its outcome.
	Note  string
	Fraud string // "", "yes" or "no"
	Saved bool
	Error string
	CSRF  string
}

// Final reports whether the check-in can no longer be decided.
func (v *checkinView) Final() bool { return v.C.Status.Final() }

// checkin shows one check-in with everything a reviewer needs to decide it.
func (c *Console) checkin(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	v, err := c.loadCheckin(r.Context(), s, r.PathValue("id"))
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	v.Saved = r.URL.Query().Get("saved") == "1"
	c.render(w, r, http.StatusOK, "checkin", typeLabel(v.C.Type)+" check-in", v)
}

// loadCheckin gathers the check-in's review, its previous confirmed check-in, the vehicle's
// odometer chart, its reward, its audit entries and the next check-in of the queue.
func (c *Console) loadCheckin(ctx context.Context, s *milepost.ConsoleSession, id string) (*checkinView, error) {
	actor := s.Actor()
	rv, err := c.cfg.Reviews.ReviewCheckin(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	v := &checkinView{C: rv.Checkin, Vehicle: rv.Vehicle, User: rv.User, Transitions: rv.Transitions,
		Note: rv.Checkin.AdminNote, CSRF: s.CSRF}
	if v.Previous, err = c.cfg.Audit.PreviousConfirmed(ctx, actor, id); err != nil {
		return nil, err
	}
	v.Photos = viewPhotos(rv.Checkin, rv.Signals, v.Previous)
	labels := map[string]string{}
	for _, p := range v.Photos {
		labels[p.UploadID] = p.Label
	}
	v.Attention, v.Passed = viewSignals(rv.Signals, labels)
	if rv.Vehicle != nil {
		h, err := c.cfg.Odometer.VehicleOdometerHistory(ctx, actor, rv.Vehicle.ID)
		if err != nil {
			return nil, err
		}
		if v.Chart, err = OdometerChart(h, id); err != nil {
			return nil, err
		}
	}
	rewards, err := c.cfg.Rewards.UserRewards(ctx, actor, rv.Checkin.UserID, false)
	if err != nil {
		return nil, err
	}
	for _, rw := range rewards {
		if rw.CheckinID == id {
			v.Reward = rw
		}
	}
	audit, err := c.cfg.Audit.ReviewAudit(ctx, actor, milepost.AuditFilter{CheckinID: id, PageRequest: milepost.PageRequest{Size: 100}})
	if err != nil {
		return nil, err
	}
	v.Audit = audit.Entries
	q, err := c.cfg.Reviews.ReviewQueue(ctx, actor, milepost.ReviewFilter{PageRequest: milepost.PageRequest{Size: 2}})
	if err != nil {
		return nil, err
	}
	for _, n := range q.Checkins {
		if n.ID != id {
			v.Next = n.ID
			break
		}
	}
	return v, nil
}
