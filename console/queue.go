package console

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/milepost/milepost"
)

// queuePageSize is how many check-ins one page of the queue lists.
const queuePageSize = 50

// queueFilter is the queue's filter form as submitted (GET), kept as strings to fill the form
// again.
type queueFilter struct {
	Type, Status, Fraud, Damage, From, To string
	Page                                  int // 1-based
}

// queueView is what the queue page shows.
type queueView struct {
	Filter   queueFilter
	Error    string
	Counts   *milepost.ReviewCounts
	Checkins []*milepost.Checkin
	Total    int
	Pages    int
	Prev     string // link to the previous page, "" on the first
	Next     string
	Types    []option
	Statuses []option
}

// option is a choice of a select.
type option struct{ Value, Label string }

var (
	typeOptions = []option{{"", "All types"}, {string(milepost.CheckinMileage), "Mileage"},
		{string(milepost.CheckinCondition), "Condition"}, {string(milepost.CheckinProofOfAddress), "Proof of address"}}
	statusOptions = []option{{"", "Pending and OnHold"}, {string(milepost.StatusPending), "Pending"}, {string(milepost.StatusOnHold), "OnHold"}}
)

// queue lists the partner's check-ins waiting for a decision, oldest first.
func (c *Console) queue(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	q := r.URL.Query()
	v := queueView{Filter: queueFilter{Type: q.Get("type"), Status: q.Get("status"), Fraud: q.Get("fraud"),
		Damage: q.Get("damage"), From: q.Get("from"), To: q.Get("to")}, Types: typeOptions, Statuses: statusOptions}
	counts, err := c.cfg.Audit.ReviewCounts(r.Context(), s.Actor())
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	v.Counts = counts
	f, err := v.Filter.parse(q.Get("page"))
	status := http.StatusOK
	if err == nil {
		var page *milepost.CheckinPage
		if page, err = c.cfg.Reviews.ReviewQueue(r.Context(), s.Actor(), f); err == nil {
			v.Checkins, v.Total = page.Checkins, page.TotalItems
			v.Pages = page.Page.TotalPages(page.TotalItems)
			v.Filter.Page = f.Page + 1
			if f.Page > 0 {
				v.Prev = v.Filter.link(f.Page)
			}
			if f.Page+1 < v.Pages {
				v.Next = v.Filter.link(f.Page + 2)
			}
		}
	}
	if err != nil {
		if milepost.ErrorCode(err) != milepost.CodeInvalid {
			c.renderError(w, r, err)
			return
		}
		v.Error, status = milepost.ErrorMessage(err), http.StatusBadRequest
	}
	c.render(w, r, status, "queue", "Review queue", v)
}

// parse turns the form into a ReviewFilter. Dates are whole days in UTC; "to" includes its day.
func (f queueFilter) parse(page string) (milepost.ReviewFilter, error) {
	out := milepost.ReviewFilter{PageRequest: milepost.PageRequest{Size: queuePageSize},
		Type: milepost.CheckinType(f.Type), Status: milepost.CheckinStatus(f.Status)}
	if page != "" {
		n, err := strconv.Atoi(page)
		if err != nil || n < 1 {
			return out, milepost.Invalidf("page", "The page must be a number from 1.")
		}
		out.Page = n - 1
	}
	if f.Type != "" && !out.Type.Valid() {
		return out, milepost.Invalidf("type", "Choose a check-in type from the list.")
	}
	if f.Status != "" && out.Status != milepost.StatusPending && out.Status != milepost.StatusOnHold {
		return out, milepost.Invalidf("status", "The queue holds only Pending and OnHold check-ins.")
	}
	var err error
	if out.Fraud, err = yesNo("fraud", f.Fraud); err != nil {
		return out, err
	}
	if out.Damage, err = yesNo("damage", f.Damage); err != nil {
		return out, err
	}
	if out.From, err = date("from", f.From, 0); err != nil {
		return out, err
	}
	if out.To, err = date("to", f.To, 24*time.Hour-time.Millisecond); err != nil {
		return out, err
	}
	if out.From != nil && out.To != nil && out.To.Before(*out.From) {
		return out, milepost.Invalidf("to", "The end date is before the start date.")
	}
	return out, nil
}

func yesNo(field, s string) (*bool, error) {
	switch s {
	case "":
		return nil, nil
	case "yes":
		t := true
		return &t, nil
	case "no":
		f := false
		return &f, nil
	}
	return nil, milepost.Invalidf(field, "%s must be yes, no or empty.", field)
}

func date(field, s string, add time.Duration) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, milepost.Invalidf(field, "Dates are written YYYY-MM-DD.")
	}
	d = d.Add(add)
	return &d, nil
}

// link is the queue URL of a page (1-based) with the same filters.
func (f queueFilter) link(page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"type": f.Type, "status": f.Status, "fraud": f.Fraud, "damage": f.Damage, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("page", strconv.Itoa(page))
	return "/console/?" + q.Encode()
}
