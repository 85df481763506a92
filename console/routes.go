package console

import (
	"net/http"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/httpx"
)

// maxFormBytes bounds a form post: a decision is a note (at most a few kilobytes) and a few
// dozen photo marks.
const maxFormBytes = 64 << 10

// routes is every page of the console. Pages need a session; forms need the session's CSRF
// token as well (the sign-in form its own, see login.go).
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /console/assets/{name}", http.HandlerFunc(serveAsset))
	mux.HandleFunc("GET /console/login", c.loginPage)
	mux.HandleFunc("POST /console/login", c.login)
	mux.Handle("POST /console/logout", c.form(c.logout))
	mux.Handle("GET /console/{$}", c.page(c.queue))
	mux.Handle("GET /console/checkins/{id}", c.page(c.checkin))
	mux.Handle("POST /console/checkins/{id}/decision", c.form(c.decide))
	mux.Handle("GET /console/vehicles/{id}", c.page(c.vehicle))
	mux.Handle("GET /console/users/{id}", c.page(c.user))
	mux.Handle("GET /console/audit", c.page(c.audit))
	mux.Handle("GET /console/photos/{id}", c.page(c.photo))
	mux.Handle("/console/", c.page(func(w http.ResponseWriter, r *http.Request, _ *milepost.ConsoleSession) {
		c.renderError(w, r, milepost.Errorf(milepost.CodeNotFound, "", "There is no such page."))
	}))
	recovered := httpx.Recover(c.log, func(w http.ResponseWriter, r *http.Request, err error) {
		c.renderError(w, r, err)
	}, mux)
	return securityHeaders(recovered)
}
