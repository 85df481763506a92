package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/milepost/milepost"
)

const auditPageSize = 50

// auditView is what the audit log page shows.
type auditView struct {
	Entries   []*milepost.AuditEntry
	Total     int
	Page      int // 1-based
	Pages     int
	CheckinID string
	Prev      string
	Next      string
}

// audit lists the partner's reviewer decisions, newest first, optionally of one check-in.
func (c *Console) audit(w http.ResponseWriter, r *http.Request, s *milepost.ConsoleSession) {
	q := r.URL.Query()
	f := milepost.AuditFilter{PageRequest: milepost.PageRequest{Size: auditPageSize}, CheckinID: q.Get("checkin")}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			c.renderError(w, r, milepost.Invalidf("page", "The page must be a number from 1."))
			return
		}
		f.Page = n - 1
	}
	page, err := c.cfg.Audit.ReviewAudit(r.Context(), s.Actor(), f)
	if err != nil {
		c.renderError(w, r, err)
		return
	}
	v := auditView{Entries: page.Entries, Total: page.TotalItems, Page: f.Page + 1, Pages: f.TotalPages(page.TotalItems), CheckinID: f.CheckinID}
	link := func(p int) string {
		q := url.Values{"page": {strconv.Itoa(p)}}
		if f.CheckinID != "" {
			q.Set("checkin", f.CheckinID)
		}
		return "/console/audit?" + q.Encode()
	}
	if v.Page > 1 {
		v.Prev = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.Next = link(v.Page + 1)
	}
	c.render(w, r, http.StatusOK, "audit", "Audit log", v)
}
